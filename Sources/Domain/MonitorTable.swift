import Foundation

/// One table of monitoring figures: named columns and rows of values, as shown under a
/// chart, downloaded as CSV and served as JSON. The same value feeds all three, so the
/// download always holds the numbers the chart drew.
public struct MonitorTable: Sendable, Hashable {
    public enum Value: Sendable, Hashable {
        case text(String)
        /// A bucket of the period: its key (`2026-03`, `2026-Q1`) for machines, its label
        /// (`mrt 2026`, `K1 2026`) for people.
        case period(key: String, label: String)
        case count(Int)
        /// A measure with one decimal (hours, days, a percentage); nil where there is
        /// nothing to measure (no filled posting, no demand).
        case measure(Double?)

        public var number: Double? {
            switch self {
            case .text, .period: return nil
            case .count(let n): return Double(n)
            case .measure(let x): return x
            }
        }

        /// As written in a page or a Dutch CSV: decimal comma, empty when missing.
        public var dutch: String {
            switch self {
            case .text(let s): return s
            case .period(_, let label): return label
            case .count(let n): return String(n)
            case .measure(let x): return x.map { MonitorTable.oneDecimal($0, comma: true) } ?? ""
            }
        }

        /// As written in a plain CSV: decimal point.
        public var plain: String {
            switch self {
            case .measure(let x): return x.map { MonitorTable.oneDecimal($0, comma: false) } ?? ""
            case .period(let key, _): return key
            default: return dutch
            }
        }
    }

    public struct Column: Sendable, Hashable {
        /// The column's name in CSV headers and JSON (English, snake case).
        public let key: String
        /// The column's Dutch heading in the page.
        public let label: String

        public init(_ key: String, _ label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The table's name in addresses: `/monitor/{id}.csv`, `/api/v1/monitor/{id}`.
    public let id: String
    public let title: String
    public let columns: [Column]
    public let rows: [[Value]]

    public init(id: String, title: String, columns: [Column], rows: [[Value]]) {
        precondition(rows.allSatisfy { $0.count == columns.count }, "every row has a value per column")
        self.id = id
        self.title = title
        self.columns = columns
        self.rows = rows
    }

    /// The column with `key`'s values, top to bottom.
    public func values(_ key: String) -> [Value] {
        guard let index = columns.firstIndex(where: { $0.key == key }) else { return [] }
        return rows.map { $0[index] }
    }

    /// The table as CSV. `dutch`: `;`-separated with decimal commas, a byte order mark and
    /// the Dutch column headings, so that Excel set to Dutch opens it in columns as people
    /// read the page; otherwise `,`, decimal points and the keys, for machines.
    /// Lines end in CRLF (RFC 4180); fields with a separator, quote or line break are quoted.
    public func csv(dutch: Bool) -> String {
        let separator = dutch ? ";" : ","
        func field(_ text: String) -> String {
            guard text.contains(where: { $0 == Character(separator) || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        var out = dutch ? "\u{FEFF}" : ""
        out += columns.map { field(CSVText.neutralised(dutch ? $0.label : $0.key)) }.joined(separator: separator) + "\r\n"
        for row in rows {
            out += row.map { value in
                let text = dutch ? value.dutch : value.plain
                // Numbers stay numbers (a negative one starts with "-"); text is neutralised.
                return field(value.number == nil ? CSVText.neutralised(text) : text)
            }.joined(separator: separator) + "\r\n"
        }
        return out
    }

    static func oneDecimal(_ x: Double, comma: Bool) -> String {
        let rounded = (x * 10).rounded() / 10
        var text = String(format: "%.1f", rounded)
        if text == "-0.0" { text = "0.0" }
        return comma ? text.replacingOccurrences(of: ".", with: ",") : text
    }
}
