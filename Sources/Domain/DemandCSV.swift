import Foundation

/// A roster week's demand as a spreadsheet export: one shift per line, with a header
/// line naming the columns (Dutch or English names, see docs/flexpool-demand-csv.md),
/// separated by `;` or `,`, quotes as in RFC 4180, UTF-8 with or without a BOM.
public enum DemandCSV {
    public struct LineError: Error, Sendable, Hashable {
        /// The line in the file, counting the header as line 1.
        public let line: Int
        public let message: String
    }

    /// Column names accepted in the header, mapped to the form's field names.
    static let columns: [String: String] = [
        "organisatie": "organisation", "organisation": "organisation",
        "gebied": "area", "area": "area",
        "functie": "qualification", "kwalificatie": "qualification", "qualification": "qualification", "discipline": "qualification",
        "datum": "date", "date": "date",
        "begin": "start", "start": "start", "van": "start",
        "eind": "end", "einde": "end", "end": "end", "tot": "end",
        "aantal": "people", "mensen": "people", "people": "people",
        "prioriteit": "priority", "priority": "priority",
        "opmerking": "note", "note": "note",
        "locatie": "location", "location": "location",
    ]

    /// Every problem in a file, each with its line.
    public struct Problems: Error, Sendable, Hashable {
        public let lines: [LineError]
    }

    public static let maximumLines = 2000

    /// Every line parsed; either all demands, or every problem found (the caller stores nothing then).
    public static func parse(
        _ text: String, organisations: Set<String>, functionCodes: Set<String>, locations: [String: Set<String>] = [:], now: Date
    ) -> Result<[ShiftDemand], Problems> {
        let rows = CSVText.records(text)
        guard let header = rows.first?.fields else {
            return .failure(Problems(lines: [LineError(line: 1, message: "Het bestand is leeg; de eerste regel moet de kolomnamen geven.")]))
        }
        let names = header.map { columns[$0.trimmingCharacters(in: .whitespaces).lowercased()] }
        let required = ["organisation", "area", "qualification", "date", "start", "end", "people"]
        let missing = required.filter { !names.contains($0) }
        if !missing.isEmpty {
            return .failure(Problems(lines: [LineError(line: 1, message: "Kolommen ontbreken: \(missing.joined(separator: ", ")). Zie de uitleg bij het formulier.")]))
        }
        var demands: [ShiftDemand] = []
        var problems: [LineError] = []
        let lines = rows.dropFirst().filter { !$0.fields.allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }
        if lines.isEmpty { problems.append(LineError(line: 2, message: "Er staan geen diensten in het bestand.")) }
        if lines.count > maximumLines { return .failure(Problems(lines: [LineError(line: maximumLines + 2, message: "Hoogstens \(maximumLines) regels per bestand.")])) }
        for row in lines {
            var values: [String: String] = [:]
            for (index, name) in names.enumerated() {
                guard let name, index < row.fields.count else { continue }
                values[name] = row.fields[index]
            }
            do {
                demands.append(try ShiftDemand.parse(values, organisations: organisations, functionCodes: functionCodes, locations: locations, now: now))
            } catch {
                problems.append(LineError(line: row.line, message: error.items.map(\.message).joined(separator: " ")))
            }
        }
        return problems.isEmpty ? .success(demands) : .failure(Problems(lines: problems))
    }
}
