import Domain
import Foundation

/// Reads an instance of the matching format (docs/matching-format.md) straight from its
/// bytes, without `JSONDecoder`: the generic decoder spent its time on retains and
/// metadata lookups (about 37 MB/s), a parser that knows the format reads at a few
/// hundred. It accepts what `MatchingJSON.decoder` accepts (unknown keys are skipped,
/// `null` is an optional field left out, later keys win, a comma may close an object or
/// an array), and says where an instance is
/// wrong: `demands[3].start: 2026-13-01 is not an ISO 8601 date-time with a zone`.
struct MatchingReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var at = 0
    /// Where the reader is, for messages: keys and indices from the top.
    private var path: [Step] = []

    enum Step {
        case key(StaticString)
        case index(Int)
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    static func instance(from data: Data) throws -> MatchingInstance {
        try data.withUnsafeBytes { raw in
            var reader = MatchingReader(raw.bindMemory(to: UInt8.self))
            let instance = try reader.instance()
            reader.skipSpace()
            if reader.at < reader.bytes.count { throw reader.syntax("more after the instance's end") }
            return instance
        }
    }

    // MARK: The format

    private mutating func instance() throws -> MatchingInstance {
        var people: [PoolPerson]?, demands: [Demand]?
        var confirmed: [Assignment] = [], previous: [Assignment] = [], forbidden: [Assignment] = []
        try object { reader, key in
            switch key {
            case "people": people = try reader.field("people") { r in try r.array { r in try r.person() } }
            case "demands": demands = try reader.field("demands") { r in try r.array { r in try r.demand() } }
            case "confirmed": confirmed = try reader.optional("confirmed") { r in try r.assignments() } ?? []
            case "previous": previous = try reader.optional("previous") { r in try r.assignments() } ?? []
            case "forbidden": forbidden = try reader.optional("forbidden") { r in try r.assignments() } ?? []
            default: try reader.skipValue()
            }
        }
        return MatchingInstance(
            people: try required(people, "people"), demands: try required(demands, "demands"),
            confirmed: confirmed, previous: previous, forbidden: forbidden)
    }

    private mutating func person() throws -> PoolPerson {
        var id: String?, home: String?, qualifications: [String]?, allowed: [String]?, preferred: [String] = []
        var availability: [TimeWindow]?, cap: Double?, commitments: [TimeWindow] = [], vog: Date?
        var registrations: [PoolPerson.Registration] = [], inductions: [PoolPerson.Induction] = []
        try object { r, key in
            switch key {
            case "id": id = try r.field("id") { r in try r.string() }
            case "home_organisation": home = try r.field("home_organisation") { r in try r.string() }
            case "qualifications": qualifications = try r.field("qualifications") { r in try r.strings() }
            case "allowed_areas": allowed = try r.field("allowed_areas") { r in try r.strings() }
            case "preferred_areas": preferred = try r.optional("preferred_areas") { r in try r.strings() } ?? []
            case "availability": availability = try r.field("availability") { r in try r.windows() }
            case "weekly_cap_hours": cap = try r.field("weekly_cap_hours") { r in try r.number() }
            case "commitments": commitments = try r.optional("commitments") { r in try r.windows() } ?? []
            case "vog_issued": vog = try r.optional("vog_issued") { r in try r.date() }
            case "registrations":
                registrations = try r.optional("registrations") { r in
                    try r.array { r in try r.registration() }
                } ?? []
            case "inductions":
                inductions = try r.optional("inductions") { r in
                    try r.array { r in try r.induction() }
                } ?? []
            default: try r.skipValue()
            }
        }
        return PoolPerson(
            id: try required(id, "id"), homeOrganisation: try required(home, "home_organisation"),
            qualifications: try required(qualifications, "qualifications"), allowedAreas: try required(allowed, "allowed_areas"),
            preferredAreas: preferred, availability: try required(availability, "availability"),
            weeklyCapHours: try required(cap, "weekly_cap_hours"), commitments: commitments, vogIssued: vog,
            registrations: registrations, inductions: inductions)
    }

    private mutating func registration() throws -> PoolPerson.Registration {
        var register: String?, from: Date?, until: Date?
        try object { r, key in
            switch key {
            case "register": register = try r.field("register") { r in try r.string() }
            case "from": from = try r.field("from") { r in try r.date() }
            case "until": until = try r.optional("until") { r in try r.date() }
            default: try r.skipValue()
            }
        }
        return PoolPerson.Registration(register: try required(register, "register"), from: try required(from, "from"), until: until)
    }

    private mutating func induction() throws -> PoolPerson.Induction {
        var location: String?, since: Date?
        try object { r, key in
            switch key {
            case "location": location = try r.field("location") { r in try r.string() }
            case "since": since = try r.field("since") { r in try r.date() }
            default: try r.skipValue()
            }
        }
        return PoolPerson.Induction(location: try required(location, "location"), since: try required(since, "since"))
    }

    private mutating func demand() throws -> Demand {
        var id: String?, organisation: String?, area: String?, qualification: String?, start: Date?, end: Date?, needed: Int?
        var priority = Demand.Priority.normal, vogSince: Date?, register: String?, location: String?
        try object { r, key in
            switch key {
            case "id": id = try r.field("id") { r in try r.string() }
            case "organisation": organisation = try r.field("organisation") { r in try r.string() }
            case "area": area = try r.field("area") { r in try r.string() }
            case "qualification": qualification = try r.field("qualification") { r in try r.string() }
            case "start": start = try r.field("start") { r in try r.date() }
            case "end": end = try r.field("end") { r in try r.date() }
            case "needed": needed = try r.field("needed") { r in try r.integer() }
            case "priority":
                priority = try r.optional("priority") { r in
                    let text = try r.string()
                    guard let priority = Demand.Priority(rawValue: text) else { throw r.wrong("\(text) is not urgent or normal") }
                    return priority
                } ?? .normal
            case "vog_issued_since": vogSince = try r.optional("vog_issued_since") { r in try r.date() }
            case "register": register = try r.optional("register") { r in try r.string() }
            case "induction_location": location = try r.optional("induction_location") { r in try r.string() }
            default: try r.skipValue()
            }
        }
        return Demand(
            id: try required(id, "id"), organisation: try required(organisation, "organisation"), area: try required(area, "area"),
            qualification: try required(qualification, "qualification"),
            shift: TimeWindow(start: try required(start, "start"), end: try required(end, "end")),
            needed: try required(needed, "needed"), priority: priority, vogIssuedSince: vogSince, register: register,
            inductionLocation: location)
    }

    private mutating func assignments() throws -> [Assignment] {
        try array { r in
            var demand: String?, person: String?
            try r.object { r, key in
                switch key {
                case "demand": demand = try r.field("demand") { r in try r.string() }
                case "person": person = try r.field("person") { r in try r.string() }
                default: try r.skipValue()
                }
            }
            return Assignment(demand: try r.required(demand, "demand"), person: try r.required(person, "person"))
        }
    }

    private mutating func windows() throws -> [TimeWindow] {
        try array { r in
            var start: Date?, end: Date?
            try r.object { r, key in
                switch key {
                case "start": start = try r.field("start") { r in try r.date() }
                case "end": end = try r.field("end") { r in try r.date() }
                default: try r.skipValue()
                }
            }
            return TimeWindow(start: try r.required(start, "start"), end: try r.required(end, "end"))
        }
    }

    private mutating func strings() throws -> [String] {
        try array { r in try r.string() }
    }

    // MARK: Fields and their place

    /// A required field's value, read with its key on the path.
    private mutating func field<T>(_ key: StaticString, _ read: (inout MatchingReader) throws -> T) throws -> T {
        path.append(.key(key))
        if peek() == UInt8(ascii: "n") { throw wrong("may not be null") }
        let value = try read(&self)
        path.removeLast()
        return value
    }

    /// An optional field's value: `null` is none.
    private mutating func optional<T>(_ key: StaticString, _ read: (inout MatchingReader) throws -> T) throws -> T? {
        path.append(.key(key))
        defer { path.removeLast() }
        if peek() == UInt8(ascii: "n") {
            try literal("null")
            return nil
        }
        return try read(&self)
    }

    private func required<T>(_ value: T?, _ key: StaticString) throws -> T {
        guard let value else { throw MatchingJSON.ReadError(message: "missing " + place(then: key)) }
        return value
    }

    private func place(then key: StaticString? = nil) -> String {
        var text = ""
        for step in path + (key.map { [.key($0)] } ?? []) {
            switch step {
            case .key(let key): text += (text.isEmpty ? "" : ".") + key.description
            case .index(let index): text += "[\(index)]"
            }
        }
        return text.isEmpty ? "the instance" : text
    }

    /// A value of the right JSON type that the format does not allow.
    private func wrong(_ what: String) -> MatchingJSON.ReadError {
        MatchingJSON.ReadError(message: place() + ": " + what)
    }

    /// Not JSON, or not the JSON type the format has here.
    private func syntax(_ what: String) -> MatchingJSON.ReadError {
        let line = bytes[..<min(at, bytes.count)].reduce(1) { $0 + ($1 == 10 ? 1 : 0) }
        return MatchingJSON.ReadError(message: "\(place()): \(what) (line \(line), byte \(at + 1))")
    }

    // MARK: JSON

    private func peek() -> UInt8? {
        var k = at
        while k < bytes.count, bytes[k] == 32 || bytes[k] == 10 || bytes[k] == 13 || bytes[k] == 9 { k += 1 }
        return k < bytes.count ? bytes[k] : nil
    }

    private mutating func skipSpace() {
        while at < bytes.count, bytes[at] == 32 || bytes[at] == 10 || bytes[at] == 13 || bytes[at] == 9 { at += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        skipSpace()
        guard at < bytes.count, bytes[at] == byte else { throw syntax("expected \(what)") }
        at += 1
    }

    /// An object: `body` reads the value of each key (the key as raw bytes, compared
    /// with the format's names without making a string).
    private mutating func object(_ body: (inout MatchingReader, Key) throws -> Void) throws {
        try expect(UInt8(ascii: "{"), "an object")
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
            at += 1
            return
        }
        while true {
            skipSpace()
            guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw syntax("expected a key") }
            if let plain = plainString() {
                try expect(UInt8(ascii: ":"), "':' after a key")
                try body(&self, Key(bytes: UnsafeBufferPointer(rebasing: bytes[plain])))
            } else {
                // A key with escapes, unescaped.
                let name = Array(try string().utf8)
                try expect(UInt8(ascii: ":"), "':' after a key")
                try name.withUnsafeBufferPointer { name in try body(&self, Key(bytes: name)) }
            }
            skipSpace()
            guard at < bytes.count else { throw syntax("the object does not end") }
            if bytes[at] == UInt8(ascii: ",") {
                // A comma before the end is let through, as JSONDecoder does.
                at += 1
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "}") {
                    at += 1
                    return
                }
            } else if bytes[at] == UInt8(ascii: "}") {
                at += 1
                return
            } else {
                throw syntax("expected ',' or '}'")
            }
        }
    }

    /// An array, each element read by `element` with its index on the path.
    private mutating func array<T>(_ element: (inout MatchingReader) throws -> T) throws -> [T] {
        try expect(UInt8(ascii: "["), "an array")
        var items: [T] = []
        skipSpace()
        if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
            at += 1
            return items
        }
        while true {
            path.append(.index(items.count))
            items.append(try element(&self))
            path.removeLast()
            skipSpace()
            guard at < bytes.count else { throw syntax("the array does not end") }
            if bytes[at] == UInt8(ascii: ",") {
                at += 1
                skipSpace()
                if at < bytes.count, bytes[at] == UInt8(ascii: "]") {
                    at += 1
                    return items
                }
            } else if bytes[at] == UInt8(ascii: "]") {
                at += 1
                return items
            } else {
                throw syntax("expected ',' or ']'")
            }
        }
    }

    /// A string without escapes, as the range of its bytes (the reader moves past it);
    /// nil, with the reader where it was, when it has one.
    private mutating func plainString() -> Range<Int>? {
        let first = at + 1
        var k = first
        while k < bytes.count {
            let byte = bytes[k]
            if byte == UInt8(ascii: "\"") {
                at = k + 1
                return first..<k
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            k += 1
        }
        return nil
    }

    private mutating func string() throws -> String {
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw syntax("expected a string") }
        let start = at
        if let plain = plainString() {
            guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[plain]), as: UTF8.self) else {
                at = start
                throw syntax("the string is not UTF-8")
            }
            return text
        }
        at += 1
        var text: [UInt8] = []
        while true {
            guard at < bytes.count else { throw syntax("the string does not end") }
            let byte = bytes[at]
            at += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let string = String(validating: text, as: UTF8.self) else {
                    at = start
                    throw syntax("the string is not UTF-8")
                }
                return string
            case UInt8(ascii: "\\"):
                guard at < bytes.count else { throw syntax("the string does not end") }
                let escaped = bytes[at]
                at += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(8)
                case UInt8(ascii: "f"): text.append(12)
                case UInt8(ascii: "n"): text.append(10)
                case UInt8(ascii: "r"): text.append(13)
                case UInt8(ascii: "t"): text.append(9)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar) {
                        // A high surrogate: its low half must follow.
                        guard at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\\"), bytes[at + 1] == UInt8(ascii: "u") else {
                            throw syntax("a lone surrogate in a string")
                        }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw syntax("a lone surrogate in a string") }
                        scalar = 0x10000 + (scalar - 0xD800) << 10 + (low - 0xDC00)
                    }
                    guard let unicode = Unicode.Scalar(scalar) else { throw syntax("a lone surrogate in a string") }
                    text.append(contentsOf: String(Character(unicode)).utf8)
                default: throw syntax("an unknown escape in a string")
                }
            default:
                guard byte >= 0x20 else { throw syntax("a control character in a string") }
                text.append(byte)
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        guard at + 4 <= bytes.count else { throw syntax("the string does not end") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[at]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw syntax("a bad \\u escape in a string")
            }
            value = value << 4 | UInt32(digit)
            at += 1
        }
        return value
    }

    private mutating func date() throws -> Date {
        skipSpace()
        guard at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { throw syntax("expected a date-time string") }
        let start = at
        if let plain = plainString(), let date = MatchingJSON.parseDate(UnsafeBufferPointer(rebasing: bytes[plain])) { return date }
        at = start
        let text = try string()
        guard let date = MatchingJSON.parseDate(text) else { throw wrong("\(text) is not an ISO 8601 date-time with a zone") }
        return date
    }

    /// The bytes of a JSON number (the reader moves past them).
    private mutating func numberBytes() throws -> Range<Int> {
        skipSpace()
        let first = at
        if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
        func digits(_ reader: inout MatchingReader) -> Int {
            let from = reader.at
            while reader.at < reader.bytes.count, reader.bytes[reader.at] >= 48 && reader.bytes[reader.at] <= 57 { reader.at += 1 }
            return reader.at - from
        }
        let whole = digits(&self)
        guard whole > 0, !(whole > 1 && bytes[at - whole] == UInt8(ascii: "0")) else { throw syntax("expected a number") }
        if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
            at += 1
            guard digits(&self) > 0 else { throw syntax("expected digits after '.'") }
        }
        if at < bytes.count, bytes[at] == UInt8(ascii: "e") || bytes[at] == UInt8(ascii: "E") {
            at += 1
            if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard digits(&self) > 0 else { throw syntax("expected digits in the exponent") }
        }
        return first..<at
    }

    private mutating func number() throws -> Double {
        let range = try numberBytes()
        guard let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)), value.isFinite else {
            throw wrong("the number is out of range")
        }
        return value
    }

    private mutating func integer() throws -> Int {
        let range = try numberBytes()
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        guard let value = Int(text) else { throw wrong("\(text) is not a whole number") }
        return value
    }

    private mutating func literal(_ word: StaticString) throws {
        skipSpace()
        let count = word.utf8CodeUnitCount
        guard at + count <= bytes.count,
              word.withUTF8Buffer({ Array($0) }) == Array(bytes[at..<(at + count)]) else { throw syntax("expected \(word)") }
        at += count
    }

    /// Any JSON value, read and dropped (a key the format does not have).
    private mutating func skipValue() throws {
        switch peek() {
        case UInt8(ascii: "{"): try object { r, _ in try r.skipValue() }
        case UInt8(ascii: "["): _ = try array { r in try r.skipValue() }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try numberBytes()
        }
    }

    /// An object's key as its bytes, matched against the format's names.
    struct Key {
        let bytes: UnsafeBufferPointer<UInt8>

        static func ~= (name: StaticString, key: Key) -> Bool {
            name.utf8CodeUnitCount == key.bytes.count
                && name.withUTF8Buffer { name in name.elementsEqual(key.bytes) }
        }
    }
}
