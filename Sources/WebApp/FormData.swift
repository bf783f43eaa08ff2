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
        return clean(spaced.removingPercentEncoding ?? spaced)
    }

    private static func clean(_ decoded: String) -> String {
        String(String.UnicodeScalarView(decoded.unicodeScalars.filter { scalar in
            scalar == "\t" || scalar == "\n" || scalar == "\r" || !(scalar.properties.generalCategory == .control)
        }))
    }

    /// A `multipart/form-data` body: each part's text, files included (as UTF-8 text).
    public init(multipart body: [UInt8], boundary: String) {
        let delimiter = Array(("--" + boundary).utf8)
        var parts: [ArraySlice<UInt8>] = []
        var start: Int?
        var index = 0
        while index + delimiter.count <= body.count {
            if body[index..<(index + delimiter.count)].elementsEqual(delimiter) {
                if let start { parts.append(body[start..<max(start, index - 2)]) }
                index += delimiter.count
                start = index
            } else {
                index += 1
            }
        }
        for part in parts {
            guard let split = Self.range(of: Array("\r\n\r\n".utf8), in: part) else { continue }
            let head = String(decoding: part[part.startIndex..<split.lowerBound], as: UTF8.self)
            guard let disposition = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
                  let nameStart = disposition.range(of: "name=\"") else { continue }
            let name = disposition[nameStart.upperBound...].prefix { $0 != "\"" }
            let value = String(decoding: part[split.upperBound...], as: UTF8.self)
            pairs.append((String(name), Self.clean(value)))
        }
    }

    private static func range(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        while index + needle.count <= haystack.endIndex {
            if haystack[index..<(index + needle.count)].elementsEqual(needle) { return index..<(index + needle.count) }
            index += 1
        }
        return nil
    }

    /// Every value of a field (check boxes, multiple selects), in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.0 == name }.map(\.1)
    }

    /// The first value of a field, or "" when absent.
    public subscript(name: String) -> String {
        pairs.first { $0.0 == name }?.1 ?? ""
    }
}
