import Foundation

/// An `application/x-www-form-urlencoded` body (or query string), decoded. Control
/// characters other than tab and newline are dropped: they are never meaningful in a
/// form and PostgreSQL cannot store NUL.
public struct FormData: Sendable {
    private var pairs: [(String, String)] = []
    /// The file parts of a multipart body, by field name, with their bytes as sent.
    private var fileParts: [(String, UploadedFile)] = []

    /// A file from a multipart form: its name on the sender's machine and its bytes.
    public struct UploadedFile: Sendable {
        public let fileName: String
        public let content: [UInt8]
    }

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
    /// Boundaries are found in linear time (Knuth-Morris-Pratt), whatever the boundary.
    public init(multipart body: [UInt8], boundary: String) {
        let delimiter = Array(("\r\n--" + boundary).utf8)
        let separator = Array("\r\n\r\n".utf8)
        // The first delimiter has no line break before it; pretend it had one.
        let data = [13, 10] + body
        guard var cursor = Self.find(Array(delimiter), in: data, from: 0) else { return }
        cursor += delimiter.count
        while let end = Self.find(delimiter, in: data, from: cursor) {
            let part = data[cursor..<end]
            cursor = end + delimiter.count
            guard let split = Self.find(separator, in: data, from: part.startIndex, before: end) else { continue }
            let head = String(decoding: data[part.startIndex..<split], as: UTF8.self)
            guard let name = Self.partName(head) else { continue }
            let content = data[(split + separator.count)..<end]
            if let fileName = Self.fileName(head) {
                // A file is kept once, as bytes (read as text through the subscript); no
                // file chosen: the browser sends an empty part without a name.
                if !(fileName.isEmpty && content.isEmpty) {
                    fileParts.append((name, UploadedFile(fileName: fileName, content: Array(content))))
                }
                continue
            }
            pairs.append((name, Self.clean(String(decoding: content, as: UTF8.self))))
        }
    }

    /// The boundary of a `multipart/form-data` content type: 1 to 70 characters (RFC
    /// 2046); anything else is no boundary.
    static func boundary(in contentType: String) -> String? {
        guard let parameter = contentType.split(separator: ";").lazy
            .map({ $0.trimmingCharacters(in: .whitespaces) })
            .first(where: { $0.lowercased().hasPrefix("boundary=") }) else { return nil }
        let value = String(parameter.dropFirst("boundary=".count)).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        return (1...70).contains(value.utf8.count) ? value : nil
    }

    /// The value of the body's first part when it is the field `name` and has arrived
    /// whole; nil otherwise.
    static func firstPart(named name: String, in body: some Collection<UInt8>, boundary: String) -> String? {
        let data = Array(body.prefix(16 << 10))
        let opening = Array(("--" + boundary + "\r\n").utf8)
        guard data.starts(with: opening), let split = find(Array("\r\n\r\n".utf8), in: data, from: opening.count),
              partName(String(decoding: data[opening.count..<split], as: UTF8.self)) == name,
              let end = find(Array(("\r\n--" + boundary).utf8), in: data, from: split + 4) else { return nil }
        return String(decoding: data[(split + 4)..<end], as: UTF8.self)
    }

    private static func partName(_ head: String) -> String? {
        guard let disposition = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
              let nameStart = disposition.range(of: "name=\"") else { return nil }
        return String(disposition[nameStart.upperBound...].prefix { $0 != "\"" })
    }

    private static func fileName(_ head: String) -> String? {
        guard let disposition = head.split(separator: "\r\n").first(where: { $0.lowercased().hasPrefix("content-disposition:") }),
              let start = disposition.range(of: "filename=\"") else { return nil }
        return clean(String(disposition[start.upperBound...].prefix { $0 != "\"" }))
    }

    /// The file sent in the field `name`, when one was chosen.
    public func file(_ name: String) -> UploadedFile? {
        fileParts.first { $0.0 == name }?.1
    }

    /// Where `needle` first occurs in `haystack` at or after `start`, by Knuth-Morris-
    /// Pratt: linear time, however the boundary and the body are made.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int, before limit: Int? = nil) -> Int? {
        let limit = min(limit ?? haystack.count, haystack.count)
        guard start >= 0, !needle.isEmpty, limit - start >= needle.count else { return nil }
        var failure = [Int](repeating: 0, count: needle.count)
        var k = 0
        for i in 1..<needle.count {
            while k > 0 && needle[i] != needle[k] { k = failure[k - 1] }
            if needle[i] == needle[k] { k += 1 }
            failure[i] = k
        }
        return haystack.withUnsafeBufferPointer { hay in
            needle.withUnsafeBufferPointer { pin in
                var matched = 0
                for i in start..<limit {
                    let byte = hay[i]
                    while matched > 0 && byte != pin[matched] { matched = failure[matched - 1] }
                    if byte == pin[matched] { matched += 1 }
                    if matched == pin.count { return i - pin.count + 1 }
                }
                return nil
            }
        }
    }

    /// Every value of a field (check boxes, multiple selects), in order.
    public func values(_ name: String) -> [String] {
        pairs.filter { $0.0 == name }.map(\.1)
    }

    /// The first value of a field, or "" when absent; a file's content as text.
    public subscript(name: String) -> String {
        if let value = pairs.first(where: { $0.0 == name })?.1 { return value }
        return file(name).map { Self.clean(String(decoding: $0.content, as: UTF8.self)) } ?? ""
    }
}
