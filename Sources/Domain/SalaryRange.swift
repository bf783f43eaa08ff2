import Foundation

/// One scale of the CAO Jeugdzorg's salary table: gross per month for a full week.
public struct SalaryRange: Sendable, Hashable {
    public let year: Int
    public let scale: Int
    public let minimumCents: Int
    public let maximumCents: Int

    public init(year: Int, scale: Int, minimumCents: Int, maximumCents: Int) {
        self.year = year
        self.scale = scale
        self.minimumCents = minimumCents
        self.maximumCents = maximumCents
    }

    /// "€ 3.229 – € 4.739" (whole euros, Dutch notation).
    public var text: String { "€ \(Self.euros(minimumCents)) – € \(Self.euros(maximumCents))" }

    public static func euros(_ cents: Int) -> String {
        let whole = String((cents + 50) / 100)
        var out = ""
        for (index, digit) in whole.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { out.append(".") }
            out.append(digit)
        }
        return String(out.reversed())
    }

    /// A salary table as people paste it from the CAO: a line per scale, "schaal;
    /// minimum; maximum" (separated by `;`, a tab or spaces; amounts in euros, with a
    /// decimal comma or point and thousands dots allowed: "3.229,00"). Every bad line
    /// is named.
    public static func parse(table text: String, year: Int) throws(ValidationErrors) -> [SalaryRange] {
        var errors = ValidationErrors()
        var ranges: [SalaryRange] = []
        var problems: [String] = []
        func cents(_ field: Substring) -> Int? {
            var text = field.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "€", with: "").trimmingCharacters(in: .whitespaces)
            if text.contains(",") { text = text.replacingOccurrences(of: ".", with: "").replacingOccurrences(of: ",", with: ".") }
            else if text.filter({ $0 == "." }).count == 1, let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) == 4 {
                text = text.replacingOccurrences(of: ".", with: "")  // 3.229: a thousands dot
            }
            guard let euros = Double(text), euros > 0, euros < 100_000 else { return nil }
            return Int((euros * 100).rounded())
        }
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !line.isEmpty, !line.lowercased().hasPrefix("schaal") else { continue }
            let fields = line.contains(";") ? line.split(separator: ";") : line.contains("\t") ? line.split(separator: "\t") : line.split(separator: " ")
            guard fields.count == 3, let scale = Int(fields[0].trimmingCharacters(in: .whitespaces)), (1...18).contains(scale),
                  let minimum = cents(fields[1]), let maximum = cents(fields[2]), maximum >= minimum else {
                problems.append("regel \(index + 1)")
                continue
            }
            if ranges.contains(where: { $0.scale == scale }) { problems.append("regel \(index + 1) (schaal \(scale) dubbel)"); continue }
            ranges.append(SalaryRange(year: year, scale: scale, minimumCents: minimum, maximumCents: maximum))
        }
        if !problems.isEmpty {
            errors.add("table", "Niet te lezen: \(problems.joined(separator: ", ")). Elke regel is schaal;minimum;maximum, zoals 8;3229,00;4739,00.")
        } else if ranges.isEmpty {
            errors.add("table", "Plak de salaristabel: een regel per schaal, schaal;minimum;maximum.")
        }
        if !(2000...2100).contains(year) { errors.add("year", "Vul een jaar in, zoals 2026.") }
        try errors.throwIfAny()
        return ranges.sorted { $0.scale < $1.scale }
    }
}
