import Foundation

/// An `application/x-www-form-urlencoded` body (or query string), decoded. Control
/// characters other than tab and newline are dropped: they are never meaningful in a
/// form and PostgreSQL cannot store NUL.
public struct FormData: Sendable {
    private var pairs: [(String, String)] = []

    public init(_ encoded: String) {
        for piece in encoded.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = piece.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            pairs.append((name, value))
        }
    }

    private static func decode(_ raw: Substring) -> String {
        let spaced = raw.replacingOccurrences(of: "+", with: " ")
        let decoded = spaced.removingPercentEncoding ?? spaced
        return String(String.UnicodeScalarView(decoded.unicodeScalars.filter { scalar in
            scalar == "\t" || scalar == "\n" || scalar == "\r" || !(scalar.properties.generalCategory == .control)
        }))
    }

    /// The first value of a field, or "" when absent.
    public subscript(name: String) -> String {
        pairs.first { $0.0 == name }?.1 ?? ""
    }
}
