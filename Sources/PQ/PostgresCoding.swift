import Foundation

/// A parameter as sent to the server: its text form (nil is SQL NULL) and its type.
public struct PostgresBinding: Sendable {
    public var text: String?
    public var type: PostgresType

    public init(text: String?, type: PostgresType) {
        self.text = text
        self.type = type
    }
}

/// A Swift value that can be sent as a statement parameter.
public protocol PostgresEncodable: Sendable {
    static var postgresType: PostgresType { get }
    /// The value in PostgreSQL's text format; nil for NULL.
    var postgresText: String? { get }
}

extension PostgresEncodable {
    public var postgresBinding: PostgresBinding {
        PostgresBinding(text: postgresText, type: Self.postgresType)
    }
}

/// A Swift value that can be read from a column in text format.
public protocol PostgresDecodable {
    /// `text` is nil for SQL NULL.
    static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Self
}

public typealias PostgresCodable = PostgresEncodable & PostgresDecodable

/// Why a single cell failed to decode; `Row` turns it into a `PostgresError` naming the column.
public enum PostgresDecodingFailure: Error, Sendable {
    case unexpectedNull
    case invalid(String)
}

// MARK: Optional

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public var postgresText: String? { self?.postgresText }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Self {
        guard let text else { return nil }
        return try Wrapped.decode(postgresText: text)
    }
}

@inline(__always)
private func required(_ text: String?) throws(PostgresDecodingFailure) -> String {
    guard let text else { throw .unexpectedNull }
    return text
}

// MARK: Text

extension String: PostgresCodable {
    /// Sent as `unknown` so the server infers the column's type (text, uuid, date, ...),
    /// exactly as it would for a quoted literal.
    public static var postgresType: PostgresType { .unknown }
    public var postgresText: String? { self }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> String {
        try required(text)
    }
}

// MARK: Numbers

extension Int: PostgresCodable {
    public static var postgresType: PostgresType { .int8 }
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Int {
        let text = try required(text)
        guard let value = Int(text) else { throw .invalid("not an integer") }
        return value
    }
}

extension Int32: PostgresCodable {
    public static var postgresType: PostgresType { .int4 }
    public var postgresText: String? { String(self) }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Int32 {
        let text = try required(text)
        guard let value = Int32(text) else { throw .invalid("not a 32-bit integer") }
        return value
    }
}

extension Double: PostgresCodable {
    public static var postgresType: PostgresType { .float8 }
    public var postgresText: String? {
        if isNaN { return "NaN" }
        if isInfinite { return self < 0 ? "-Infinity" : "Infinity" }
        return String(self)
    }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Double {
        let text = try required(text)
        guard let value = Double(text) else { throw .invalid("not a number") }
        return value
    }
}

extension Decimal: PostgresCodable {
    public static var postgresType: PostgresType { .numeric }
    public var postgresText: String? { NSDecimalNumber(decimal: self).description(withLocale: Locale(identifier: "en_US_POSIX")) }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Decimal {
        let text = try required(text)
        guard let value = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else {
            throw .invalid("not a decimal")
        }
        return value
    }
}

extension Bool: PostgresCodable {
    public static var postgresType: PostgresType { .bool }
    public var postgresText: String? { self ? "t" : "f" }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Bool {
        switch try required(text) {
        case "t", "true": return true
        case "f", "false": return false
        default: throw .invalid("not a boolean")
        }
    }
}

// MARK: UUID

extension UUID: PostgresCodable {
    public static var postgresType: PostgresType { .uuid }
    public var postgresText: String? { uuidString.lowercased() }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> UUID {
        guard let value = UUID(uuidString: try required(text)) else { throw .invalid("not a UUID") }
        return value
    }
}

// MARK: Bytes

extension Data: PostgresCodable {
    public static var postgresType: PostgresType { .bytea }
    public var postgresText: String? {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        bytes.reserveCapacity(count * 2 + 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> Data {
        let utf8 = Array(try required(text).utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"), utf8.count % 2 == 0 else {
            throw .invalid("not bytea in hex format")
        }
        func nibble(_ c: UInt8) throws(PostgresDecodingFailure) -> UInt8 {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            default: throw .invalid("bad hex digit")
            }
        }
        var data = Data(capacity: (utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            data.append(try nibble(utf8[index]) << 4 | nibble(utf8[index + 1]))
            index += 2
        }
        return data
    }
}

// MARK: JSON

/// A Codable value stored as jsonb.
public struct JSONB<Value: Codable & Sendable>: PostgresCodable, Sendable {
    public var value: Value
    public init(_ value: Value) { self.value = value }

    public static var postgresType: PostgresType { .jsonb }
    public var postgresText: String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> JSONB<Value> {
        let text = try required(text)
        do {
            return JSONB(try JSONDecoder().decode(Value.self, from: Data(text.utf8)))
        } catch {
            throw .invalid("JSON does not match \(Value.self)")
        }
    }
}

// MARK: Arrays

/// Element types that can travel inside a PostgreSQL array.
public protocol PostgresArrayElement: PostgresCodable {
    static var postgresArrayType: PostgresType { get }
}

extension String: PostgresArrayElement { public static var postgresArrayType: PostgresType { .textArray } }
extension Int: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension UUID: PostgresArrayElement { public static var postgresArrayType: PostgresType { .uuidArray } }
extension Date: PostgresArrayElement { public static var postgresArrayType: PostgresType { .timestamptzArray } }

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }
    public var postgresText: String? {
        var out = "{"
        for (index, element) in enumerated() {
            if index > 0 { out += "," }
            guard let text = element.postgresText else { out += "NULL"; continue }
            out += "\""
            for character in text.unicodeScalars {
                if character == "\"" || character == "\\" { out += "\\" }
                out.unicodeScalars.append(character)
            }
            out += "\""
        }
        return out + "}"
    }
}

extension Array: PostgresDecodable where Element: PostgresArrayElement {
    public static func decode(postgresText text: String?) throws(PostgresDecodingFailure) -> [Element] {
        let items = try PostgresArrayLiteral.parse(try required(text))
        var result: [Element] = []
        result.reserveCapacity(items.count)
        for item in items {
            result.append(try Element.decode(postgresText: item))
        }
        return result
    }
}

/// Parses a one-dimensional array literal such as `{a,"b c",NULL,"d\"e"}`.
enum PostgresArrayLiteral {
    static func parse(_ text: String) throws(PostgresDecodingFailure) -> [String?] {
        var scalars = text.unicodeScalars[...]
        // Arrays with explicit bounds ("[0:1]={...}") are not produced for our columns.
        guard scalars.first == "{", scalars.last == "}" else { throw .invalid("not an array literal") }
        scalars = scalars.dropFirst().dropLast()
        var items: [String?] = []
        if scalars.isEmpty { return items }
        var current = String.UnicodeScalarView()
        var quoted = false
        var wasQuoted = false
        var escaped = false
        for scalar in scalars {
            if escaped {
                current.append(scalar)
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else if scalar == "\"" {
                quoted.toggle()
                wasQuoted = true
            } else if scalar == "," && !quoted {
                let item = String(current)
                items.append(!wasQuoted && item == "NULL" ? nil : item)
                current = String.UnicodeScalarView()
                wasQuoted = false
            } else if scalar == "{" && !quoted {
                throw .invalid("multi-dimensional arrays are not supported")
            } else {
                current.append(scalar)
            }
        }
        let item = String(current)
        items.append(!wasQuoted && item == "NULL" ? nil : item)
        return items
    }
}
