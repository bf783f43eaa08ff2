import Foundation
import HTTPTypes
import PQ
import Store
import Testing
import TestSupport

/// The basics of accessibility on every main page: the language is set, every form
/// field has a label, headings do not skip a level; and the stylesheet's text
/// colours have enough contrast (WCAG AA, 4.5:1) on their backgrounds.
@Suite("Accessibility basics") struct AccessibilityTests {
    struct Tag { let name: String; let attributes: [String: String]; let closing: Bool }

    /// The tags of a page, in order (enough for these checks; not a full HTML parser).
    static func tags(_ html: String) -> [Tag] {
        var tags: [Tag] = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            rest = rest[rest.index(after: open)...]
            guard let close = rest.firstIndex(of: ">") else { break }
            let body = rest[..<close]
            rest = rest[rest.index(after: close)...]
            if body.hasPrefix("!") { continue }
            let closing = body.hasPrefix("/")
            let text = closing ? body.dropFirst() : body
            let name = String(text.prefix { !$0.isWhitespace && $0 != "/" }).lowercased()
            var attributes: [String: String] = [:]
            let pattern = try! NSRegularExpression(pattern: #"([a-zA-Z-]+)(?:="([^"]*)")?"#)
            let string = String(text.dropFirst(name.count))
            for match in pattern.matches(in: string, range: NSRange(string.startIndex..., in: string)) {
                let key = String(string[Range(match.range(at: 1), in: string)!]).lowercased()
                let value = Range(match.range(at: 2), in: string).map { String(string[$0]) } ?? ""
                attributes[key] = value
            }
            tags.append(Tag(name: name, attributes: attributes, closing: closing))
            if !closing && (name == "script" || name == "style"), let end = rest.range(of: "</\(name)>") {
                rest = rest[end.upperBound...]
            }
        }
        return tags
    }

    static func problems(_ html: String) -> [String] {
        var problems: [String] = []
        let all = tags(html)
        if all.first(where: { $0.name == "html" })?.attributes["lang"] != "nl" { problems.append("no lang=\"nl\" on <html>") }
        let labelled = Set(all.filter { $0.name == "label" && !$0.closing }.compactMap { $0.attributes["for"] })
        var insideLabel = 0
        var previousHeading = 0
        for tag in all {
            if tag.name == "label" { insideLabel += tag.closing ? -1 : 1 }
            if !tag.closing, ["input", "select", "textarea"].contains(tag.name) {
                let type = tag.attributes["type"] ?? "text"
                if tag.name == "input" && ["hidden", "submit", "button"].contains(type) { continue }
                let hasLabel = insideLabel > 0 || tag.attributes["aria-label"] != nil || tag.attributes["id"].map(labelled.contains) == true
                if !hasLabel { problems.append("<\(tag.name) name=\"\(tag.attributes["name"] ?? "")\"> has no label") }
            }
            if !tag.closing, tag.name.count == 2, tag.name.hasPrefix("h"), let level = Int(tag.name.dropFirst()) {
                if previousHeading == 0 && level != 1 { problems.append("the first heading is h\(level), not h1") }
                if previousHeading > 0 && level > previousHeading + 1 { problems.append("h\(previousHeading) is followed by h\(level)") }
                previousHeading = level
            }
        }
        return problems
    }

    @Test func everyMainPageHasItsLanguageLabelsAndHeadingsInOrder() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await store.pool.query("SELECT id FROM posting WHERE status = 'published' AND internal_until IS NULL LIMIT 1").first(decoding: UUID.self)!
            let course = try await store.pool.query("SELECT id FROM course WHERE withdrawn_at IS NULL LIMIT 1").first(decoding: UUID.self)!
            let pages: [(String?, [String])] = [
                (nil, ["/", "/ontmoetingen", "/vacatures", "/vacatures/\(posting.lowercased)", "/login", "/academie", "/academie/\(course.lowercased)"]),
                ("professional@doorstroom.test", ["/mijn", "/mijn/profiel", "/mijn/loopbaan", "/mijn/roulatie", "/mijn/berichten", "/mijn/gegevens", "/mijn/sollicitaties", "/mijn/ontwikkeling", "/mijn/diensten", "/flexpool",
                                                  "/flexpool/lid", "/flexpool/beschikbaarheid", "/vacatures/\(posting.lowercased)"]),
                ("coordinator@doorstroom.test", ["/beheer/ontmoetingen", "/flexpool/coordinatie", "/flexpool/coordinatie/vraag", "/monitor"]),
                ("hr@altra.doorstroom.test", ["/beheer/vacatures", "/beheer/vacatures/nieuw", "/beheer/sollicitaties", "/beheer/stageafspraken",
                                              "/beheer/api-tokens", "/beheer/cursussen", "/beheer/profielen?zoeken=1", "/beheer/roulaties"]),
                ("admin@doorstroom.test", ["/beheer/organisaties", "/beheer/accounts", "/beheer/loopbaanpaden", "/monitor?per=kwartaal&tabellen=open"]),
            ]
            for (email, paths) in pages {
                let client = Browser(browser.client)
                if let email { try await client.login(email) }
                for path in paths {
                    let page = try await client.get(path)
                    #expect(page.status == .ok, "\(path): \(page.status.code)")
                    #expect(Self.problems(page.body) == [], "\(path)")
                }
            }
        }
    }

    @Test func theCheckerFindsWhatItLooksFor() {
        let bad = "<html><body><h2>x</h2><h4>y</h4><input name=\"q\"><select name=\"s\"></select></body></html>"
        #expect(Self.problems(bad).count == 5)
        let good = "<html lang=\"nl\"><h1>a</h1><h2>b</h2><label for=\"q\">Q</label><input id=\"q\" name=\"q\"><label><input type=\"checkbox\" name=\"c\"> C</label><input type=\"hidden\" name=\"_csrf\"></html>"
        #expect(Self.problems(good) == [])
    }

    // MARK: Contrast

    static func luminance(_ hex: String) -> Double {
        var digits = hex.trimmingCharacters(in: CharacterSet(charactersIn: "#"))
        if digits.count == 3 { digits = digits.map { "\($0)\($0)" }.joined() }
        let value = Int(digits, radix: 16) ?? 0
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }

    static func contrast(_ a: String, _ b: String) -> Double {
        let x = luminance(a), y = luminance(b)
        return (max(x, y) + 0.05) / (min(x, y) + 0.05)
    }

    @Test func theStylesheetsTextColoursHaveEnoughContrast() throws {
        let css = try String(contentsOfFile: TestDatabase.projectRoot + "/web/static/css/doorstroom.css", encoding: .utf8)
        // The variables, then every rule that sets both a text colour and a background.
        var variables: [String: String] = [:]
        let variable = try NSRegularExpression(pattern: #"(--[a-z]+):\s*(#[0-9a-fA-F]{3,6})"#)
        for match in variable.matches(in: css, range: NSRange(css.startIndex..., in: css)) {
            variables[String(css[Range(match.range(at: 1), in: css)!])] = String(css[Range(match.range(at: 2), in: css)!])
        }
        func resolve(_ value: String) -> String? {
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("var(") { return variables[String(trimmed.dropFirst(4).prefix { $0 != ")" })] }
            return trimmed.hasPrefix("#") ? String(trimmed.prefix { !$0.isWhitespace && $0 != ";" }) : nil
        }
        for text in ["--ink", "--muted", "--accent", "--error"] {
            for background in ["#ffffff", variables["--soft"] ?? "#ffffff"] {
                let ratio = Self.contrast(variables[text] ?? "#ffffff", background)
                #expect(ratio >= 4.5, "\(text) on \(background): \(ratio)")
            }
        }
        let rule = try NSRegularExpression(pattern: #"([^{}]+)\{([^}]*)\}"#)
        var checked = 0
        for match in rule.matches(in: css, range: NSRange(css.startIndex..., in: css)) {
            let selector = css[Range(match.range(at: 1), in: css)!].trimmingCharacters(in: .whitespacesAndNewlines)
            let body = String(css[Range(match.range(at: 2), in: css)!])
            func property(_ name: String) -> String? {
                for declaration in body.split(separator: ";") {
                    let parts = declaration.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    if parts.count == 2, parts[0] == name { return parts[1] }
                }
                return nil
            }
            guard let color = property("color").flatMap(resolve), let background = (property("background") ?? property("background-color")).flatMap(resolve) else { continue }
            checked += 1
            let ratio = Self.contrast(color, background)
            #expect(ratio >= 4.5, "\(selector): \(color) on \(background) is \(ratio)")
        }
        #expect(checked >= 5)
    }
}
