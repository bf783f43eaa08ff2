import Foundation
import TestSupport
import Testing

/// Doorstroom speaks to people one way: "je". No template, and no text in the code
/// that reaches a page or a mail, says "u", "uw" or "U heeft".
@Suite("One voice")
struct VoiceTests {
    static let formal = try! NSRegularExpression(pattern: #"(?<![\\\p{L}{-])(u|uw|U|Uw|uzelf|Uzelf)(?![\p{L}{}-])"#)

    static func formalWords(in text: String) -> [String] {
        let range = NSRange(text.startIndex..., in: text)
        return formal.matches(in: text, range: range).compactMap { Range($0.range, in: text).map { String(text[$0]) } }
    }

    @Test func theCheckerFindsTheFormalWords() {
        #expect(Self.formalWords(in: "Wilt u uw wachtwoord wijzigen? U heeft") == ["u", "uw", "U"])
        #expect(Self.formalWords(in: "Je hebt \\u{FEFF} een nu-lijn, {{u}} duur uur") == [])
    }

    @Test func templatesSayJe() throws {
        let folder = TestDatabase.projectRoot + "/web/templates"
        var found: [String] = []
        for file in FileManager.default.enumerator(atPath: folder)!.compactMap({ $0 as? String }) where file.hasSuffix(".mustache") {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            // Only the words people read: no tags, no mustache names.
            let words = text.replacingOccurrences(of: #"<[^>]*>|\{\{[^}]*\}\}"#, with: " ", options: .regularExpression)
            found += Self.formalWords(in: words).map { word in "\(file): \(word)" }
        }
        #expect(found.isEmpty, "\(found)")
    }

    @Test func textsInTheCodeSayJe() throws {
        var found: [String] = []
        for module in ["Domain", "Store", "WebApp", "Mail"] {
            let folder = TestDatabase.projectRoot + "/Sources/" + module
            for file in FileManager.default.enumerator(atPath: folder)!.compactMap({ $0 as? String }) where file.hasSuffix(".swift") {
                let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
                for line in text.split(separator: "\n") where !line.trimmingCharacters(in: .whitespaces).hasPrefix("//") {
                    // The string literals of the line.
                    for literal in line.split(separator: "\"", omittingEmptySubsequences: false).enumerated().filter({ $0.offset % 2 == 1 }) {
                        found += Self.formalWords(in: String(literal.element)).map { word in "\(module)/\(file): \(word) in \(literal.element)" }
                    }
                }
            }
        }
        #expect(found.isEmpty, "\(found)")
    }
}
