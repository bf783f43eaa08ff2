/// Splitting CSV text into records (RFC 4180 quoting), shared by every upload.
public enum CSVText {
    /// A text cell made safe for spreadsheets (OWASP's advice on CSV injection): a cell
    /// that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read by
    /// Excel or LibreOffice as a formula (`=HYPERLINK(...)`), so it gets a leading `'`,
    /// which spreadsheets show as text and do not display.
    public static func neutralised(_ text: String) -> String {
        guard let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) else { return text }
        return "'" + text
    }

    public struct Record { public let line: Int; public let fields: [String] }

    /// A spreadsheet export as it arrives: a byte-order mark dropped, and the separator
    /// (`;` as Dutch Excel writes it, or `,`) the one the header line uses most.
    public static func records(_ text: String) -> [Record] {
        var body = text
        if body.hasPrefix("\u{FEFF}") { body.removeFirst() }
        let firstLine = body.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = firstLine.filter { $0 == ";" }.count >= firstLine.filter { $0 == "," }.count ? ";" : ","
        return records(body, separator: separator)
    }

    /// Splits into records, honouring quoted fields (which may hold separators, quotes
    /// written twice, and line breaks).
    public static func records(_ text: String, separator: Character) -> [Record] {
        var result: [Record] = []
        var fields: [String] = [], field = "", quoted = false, line = 1, recordLine = 1
        var iterator = text.makeIterator()
        var pending: Character?
        func next() -> Character? {
            if let c = pending { pending = nil; return c }
            return iterator.next()
        }
        while let c = next() {
            if quoted {
                if c == "\"" {
                    if let following = next() {
                        if following == "\"" { field.append("\"") } else { quoted = false; pending = following }
                    } else { quoted = false }
                } else {
                    if c == "\n" || c == "\r\n" { line += 1 }
                    field.append(c)
                }
            } else if c == "\"" && field.isEmpty {
                quoted = true
            } else if c == separator {
                fields.append(field); field = ""
            } else if c == "\n" || c == "\r\n" || c == "\r" {
                fields.append(field); field = ""
                result.append(Record(line: recordLine, fields: fields)); fields = []
                line += 1; recordLine = line
            } else {
                field.append(c)
            }
        }
        if !field.isEmpty || !fields.isEmpty {
            fields.append(field)
            result.append(Record(line: recordLine, fields: fields))
        }
        return result
    }
}
