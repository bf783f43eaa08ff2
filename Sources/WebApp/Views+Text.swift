import Domain
import Hummingbird
import Foundation

/// Plain text with paragraphs and "- " lists, as blocks a template renders (escaped).
/// No HTML from users ever reaches a page unescaped.
struct TextBlock: Sendable {
    let paragraph: String?
    let items: [String]

    static func blocks(_ text: String) -> [TextBlock] {
        var blocks: [TextBlock] = []
        var paragraph: [String] = []
        var items: [String] = []
        func flush() {
            if !paragraph.isEmpty { blocks.append(TextBlock(paragraph: paragraph.joined(separator: " "), items: [])) }
            if !items.isEmpty { blocks.append(TextBlock(paragraph: nil, items: items)) }
            paragraph = []
            items = []
        }
        for raw in text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false) {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                flush()
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("• ") {
                if !paragraph.isEmpty {
                    blocks.append(TextBlock(paragraph: paragraph.joined(separator: " "), items: []))
                    paragraph = []
                }
                items.append(String(line.dropFirst(2)))
            } else {
                if !items.isEmpty {
                    blocks.append(TextBlock(paragraph: nil, items: items))
                    items = []
                }
                paragraph.append(line)
            }
        }
        flush()
        return blocks
    }
}

extension TextBlock {
    /// The text as HTML (`<p>` and `<ul><li>`), every character of it escaped (as XML
    /// content, which HTML reads the same): for markup that wants HTML, such as a
    /// JobPosting's description.
    static func html(_ text: String) -> String {
        return blocks(text).map { block in
            if let paragraph = block.paragraph { return "<p>" + AtomFeed.escape(paragraph) + "</p>" }
            return "<ul>" + block.items.map { "<li>" + AtomFeed.escape($0) + "</li>" }.joined() + "</ul>"
        }.joined()
    }
}

extension String {
    /// nil for an empty string.
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

/// Places still free, as a posting or a meeting shows them: "vol", "nog 1 plaats", "nog 3 plaatsen".
func placesLeftText(_ left: Int) -> String {
    left == 0 ? "vol" : left == 1 ? "nog 1 plaats" : "nog \(left) plaatsen"
}

extension Date {
    /// 22-11-2026 in Amsterdam.
    var dutchDay: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
        let parts = calendar.dateComponents([.year, .month, .day], from: self)
        return String(format: "%02d-%02d-%04d", parts.day!, parts.month!, parts.year!)
    }

    /// 22-11-2026 14:05 in Amsterdam.
    var dutchMoment: String { dutchDay + " " + AmsterdamTime.clock(self) }

    var iso8601: String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: self)
    }
}

extension Request {
    /// The query string as a dictionary (first value of each name).
    var queryDictionary: [String: String] {
        var result: [String: String] = [:]
        for (name, value) in uri.queryParameters where result[String(name)] == nil {
            result[String(name)] = String(value)
        }
        return result
    }
}
