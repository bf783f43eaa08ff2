import Domain
import Foundation

/// Writes a result of the matching format (docs/matching-format.md) as bytes, the way
/// `MatchingJSON.encoder()` would (keys sorted, two spaces of indent, dates not needed),
/// without `JSONEncoder`'s generic machinery: the result of 5,000 people (3 MB) took it
/// about 0.1 s. The same result gives the same bytes.
struct MatchingWriter {
    private var bytes: [UInt8] = []
    private var depth = 0

    /// The result file: the result, the gap to its bound and the engine's time.
    static func result(_ result: MatchingResult, formatVersion: Int, elapsedMilliseconds: Double) -> [UInt8] {
        var writer = MatchingWriter()
        writer.bytes.reserveCapacity(256 + result.assignments.count * 80 + result.gaps.count * 200)
        writer.object { w in
            w.key("assignments")
            w.array(result.assignments) { w, assignment in
                w.object { w in
                    w.key("demand")
                    w.string(assignment.demand)
                    w.key("person")
                    w.string(assignment.person)
                }
            }
            w.key("coverage")
            w.object { w in
                let coverage = result.coverage
                let fields: [(StaticString, Int)] = [
                    ("normal_filled", coverage.normalFilled), ("normal_needed", coverage.normalNeeded),
                    ("preferred_area_filled", coverage.preferredAreaFilled), ("urgent_filled", coverage.urgentFilled),
                    ("urgent_needed", coverage.urgentNeeded),
                ]
                for (key, value) in fields {
                    w.key(key)
                    w.number(value)
                }
            }
            w.key("elapsed_ms")
            w.number(elapsedMilliseconds)
            w.key("format_version")
            w.number(formatVersion)
            w.key("gap_to_bound")
            w.number(result.upperBound - result.coverage.filled)
            w.key("gaps")
            w.array(result.gaps) { w, gap in
                w.object { w in
                    w.key("demand")
                    w.string(gap.demand)
                    w.key("missing")
                    w.number(gap.missing)
                    w.key("near_misses")
                    w.array(gap.nearMisses) { w, miss in
                        w.object { w in
                            if let hours = miss.overCapHours {
                                w.key("over_cap_hours")
                                w.number(hours)
                            }
                            w.key("person")
                            w.string(miss.person)
                            w.key("rules")
                            w.array(miss.rules) { w, rule in w.string(rule.rawValue) }
                        }
                    }
                    w.key("reason")
                    w.string(gap.reason.rawValue)
                }
            }
            w.key("method")
            w.string(result.method)
            w.key("upper_bound")
            w.number(result.upperBound)
        }
        return writer.bytes
    }

    // MARK: JSON, pretty-printed as JSONEncoder does it

    private var first = true

    private mutating func newline() {
        bytes.append(10)
        for _ in 0..<depth { bytes.append(contentsOf: [32, 32]) }
    }

    private mutating func object(_ body: (inout MatchingWriter) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        depth += 1
        first = true
        body(&self)
        depth -= 1
        if !first { newline() }
        bytes.append(UInt8(ascii: "}"))
        first = false
    }

    private mutating func array<T>(_ items: [T], _ element: (inout MatchingWriter, T) -> Void) {
        bytes.append(UInt8(ascii: "["))
        guard !items.isEmpty else {
            bytes.append(UInt8(ascii: "]"))
            first = false
            return
        }
        depth += 1
        for (index, item) in items.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            newline()
            element(&self, item)
        }
        depth -= 1
        newline()
        bytes.append(UInt8(ascii: "]"))
        first = false
    }

    private mutating func key(_ name: StaticString) {
        if !first { bytes.append(UInt8(ascii: ",")) }
        first = false
        newline()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: Array("\" : ".utf8))
    }

    private mutating func string(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 8: bytes.append(contentsOf: [92, UInt8(ascii: "b")])
            case 12: bytes.append(contentsOf: [92, UInt8(ascii: "f")])
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        first = false
    }

    private mutating func number(_ value: Int) {
        bytes.append(contentsOf: Array(String(value).utf8))
        first = false
    }

    /// Whole numbers without a fraction (`4`, not `4.0`), others as Swift prints them.
    private mutating func number(_ value: Double) {
        if value == value.rounded(), abs(value) < 1e15 {
            number(Int(value))
        } else {
            bytes.append(contentsOf: Array("\(value)".utf8))
            first = false
        }
    }
}
