import Foundation
import Testing
@testable import WebApp

/// The templates' renderer against the Mustache specification's own tests
/// (mustache/spec, vendored in Tests/standards/mustache-spec with its licence): every
/// test of the parts the templates use (interpolation, sections, inverted sections,
/// comments, partials, inheritance), except those that need what the renderer
/// refuses on purpose (set delimiters, lambdas) or that the list below names with why.
@Suite("Templates render as the Mustache specification says")
struct TemplateSpecTests {
    /// A spec test's data: JSON values as the templates see view models.
    enum JSON: Decodable {
        case value(RenderValue?)

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .value(nil) }
            else if let bool = try? container.decode(Bool.self) { self = .value(.bool(bool)) }
            else if let int = try? container.decode(Int.self) { self = .value(.text(String(int))) }
            else if let double = try? container.decode(Double.self) { self = .value(.text(String(describing: double))) }
            else if let string = try? container.decode(String.self) { self = .value(.text(string)) }
            else if let list = try? container.decode([JSON].self) { self = .value(.list(list.compactMap(\.renderValue))) }
            else { self = .value(.object(try container.decode([String: JSON].self).compactMapValues(\.renderValue))) }
        }

        var renderValue: RenderValue? { if case .value(let value) = self { value } else { nil } }
    }

    struct SpecTest: Decodable {
        let name: String
        let data: JSON
        let template: String
        let partials: [String: String]?
        let expected: String
    }

    struct SpecFile: Decodable { let tests: [SpecTest] }

    /// Tests whose answer differs on purpose, with the reason.
    static let differences: [String: String] = [
        // Whitespace only: a block's own indentation inside a parent is kept as
        // swift-mustache 2.1 keeps it, so that the pages stay byte for byte what they
        // were when that library rendered them.
        "Intrinsic indentation": "a block's lines keep swift-mustache 2.1's indentation",
        "Nested block reindentation": "a block's lines keep swift-mustache 2.1's indentation",
    ]

    static func load(_ file: String) throws -> [SpecTest] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../standards/mustache-spec/\(file).json").standardizedFileURL
        return try JSONDecoder().decode(SpecFile.self, from: Data(contentsOf: url)).tests
    }

    @Test(arguments: ["interpolation", "sections", "inverted", "comments", "partials", "~inheritance"])
    func theSpecificationsTestsPass(_ file: String) throws {
        var failures: [String] = []
        var passed = 0
        for test in try Self.load(file) where Self.differences[test.name] == nil {
            if test.template.contains("{{=") || (test.partials ?? [:]).values.contains(where: { $0.contains("{{=") }) { continue }
            var templates = ["test": try Template(parsing: test.template)]
            for (name, text) in test.partials ?? [:] { templates[name] = try Template(parsing: text) }
            let library = TemplateLibrary(templates: templates)
            let rendered = library.render("test", test.data.renderValue ?? .object([:]))
            if rendered == test.expected { passed += 1 } else {
                failures.append("\(test.name): \(String(reflecting: rendered ?? "nil")) ≠ \(String(reflecting: test.expected))")
            }
        }
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
        #expect(passed >= 10)
    }

    @Test func whatTheRendererRefusesIsRefusedWhenTheTemplatesLoad() {
        #expect(throws: Template.ParseError.self) { try Template(parsing: "{{=<% %>=}}") }
        #expect(throws: Template.ParseError.self) { try Template(parsing: "{{#a}}open") }
        #expect(throws: Template.ParseError.self) { try Template(parsing: "{{#a}}{{/b}}") }
        #expect(throws: Template.ParseError.self) { try Template(parsing: "{{ uppercased(name) }}") }
    }

    /// What users type reaches a page as text, whatever it holds.
    @Test func variablesAreEscapedAndTripleBracesAreNot() throws {
        let library = TemplateLibrary(templates: ["t": try Template(parsing: "{{a}}|{{{a}}}|{{&a}}")])
        #expect(library.render("t", .object(["a": .text("<b class=\"x\">Tom & 'Jerry' ✓</b>")]))
                == "&lt;b class=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39; ✓&lt;/b&gt;|<b class=\"x\">Tom & 'Jerry' ✓</b>|<b class=\"x\">Tom & 'Jerry' ✓</b>")
    }
}
