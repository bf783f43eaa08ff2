import Foundation

/// A view model as the templates see it: text, a yes or no, a list, or named values.
/// Numbers are text already (as they print); nil values are left out of objects.
enum RenderValue: Sendable {
    case text(String)
    case bool(Bool)
    case list([RenderValue])
    case object([String: RenderValue])

    /// A typed view model, walked once by reflection: structs, classes and tuples become
    /// objects of their stored properties, arrays and sets lists, optionals their value
    /// or nothing, `Bool` a yes or no, anything else its printed text.
    static func of(_ value: Any) -> RenderValue? {
        switch value {
        case let string as String: return .text(string)
        case let bool as Bool: return .bool(bool)
        case let int as Int: return .text(String(int))
        case let substring as Substring: return .text(String(substring))
        case let dictionary as [String: Any]: return .object(dictionary.compactMapValues(of))
        default: break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .optional:
            return mirror.children.first.flatMap { of($0.value) }
        case .struct, .class, .tuple:
            var object: [String: RenderValue] = [:]
            object.reserveCapacity(mirror.children.count)
            for child in mirror.children {
                if let label = child.label, let rendered = of(child.value) { object[label] = rendered }
            }
            return .object(object)
        case .collection, .set:
            return .list(mirror.children.compactMap { of($0.value) })
        default:
            return .text(String(describing: value))
        }
    }
}

/// The templates by name, rendering pages.
struct TemplateLibrary: Sendable {
    let templates: [String: Template]

    struct LoadError: Error, CustomStringConvertible {
        let file: String
        let error: any Error
        var description: String { "\(file): \(error)" }
    }

    init(templates: [String: Template]) { self.templates = templates }

    /// Every `.mustache` file under `directory`, named by its path below it without
    /// the extension (`layout`, `pages/vacancies`, `partials/input`).
    init(directory: String) throws {
        let root = URL(fileURLWithPath: directory, isDirectory: true).standardizedFileURL
        var templates: [String: Template] = [:]
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "mustache" else { continue }
            let relative = file.standardizedFileURL.path.dropFirst(root.path.count).drop { $0 == "/" }
            let name = String(relative.dropLast(".mustache".count))
            do {
                templates[name] = try Template(parsing: String(contentsOf: file, encoding: .utf8))
            } catch {
                throw LoadError(file: file.path, error: error)
            }
        }
        self.templates = templates
    }

    /// What rendering a template carries along: the values it is inside of (innermost
    /// last), the indentation of the partial or block it is in, and the blocks an
    /// inheriting template overrides.
    struct Context {
        var stack: [RenderValue]
        var indentation: String?
        var inherited: [String: Template]?

        func with(_ value: RenderValue) -> Context {
            var context = self
            context.stack.append(value)
            return context
        }

        func indented(_ more: String?, inheriting: [String: Template]? = nil) -> Context {
            var context = self
            if let more { context.indentation = (indentation ?? "") + more }
            if let inheriting {
                // The outer template's overrides win over the inner one's.
                context.inherited = inherited.map { $0.merging(inheriting) { outer, _ in outer } } ?? inheriting
            }
            return context
        }

        /// A name's value: its first part from the innermost value that has it, the
        /// rest from there. `.` is the innermost value itself.
        func lookup(_ path: [String]) -> RenderValue? {
            guard let first = path.first else { return nil }
            if first == "." { return stack.last }
            for value in stack.reversed() {
                guard case .object(let fields) = value, var found = fields[first] else { continue }
                for name in path.dropFirst() {
                    guard case .object(let inner) = found, let next = inner[name] else { return nil }
                    found = next
                }
                return found
            }
            return nil
        }
    }

    func render(_ name: String, _ value: RenderValue) -> String? {
        guard let template = templates[name] else { return nil }
        var output = ""
        output.reserveCapacity(16_384)
        render(template, Context(stack: [value]), into: &output)
        return output
    }

    func render(_ template: Template, _ context: Context, into output: inout String) {
        guard let indentation = context.indentation, !indentation.isEmpty else {
            for token in template.tokens { render(token, context, into: &output) }
            return
        }
        // Inside an indented partial or block each token's output that starts a line
        // of this template's own output gets the indentation first.
        var own = ""
        for token in template.tokens {
            var piece = ""
            render(token, context, into: &piece)
            if !piece.isEmpty, own.last == "\n" { own += indentation }
            own += piece
        }
        output += own
    }

    func render(_ token: Template.Token, _ context: Context, into output: inout String) {
        switch token {
        case .text(let text):
            output += text
        case .variable(let path, let escaped):
            guard let value = context.lookup(path) else { return }
            let text: String
            switch value {
            case .text(let string): text = string
            case .bool(let bool): text = bool ? "true" : "false"
            case .list, .object: text = ""
            }
            if escaped { HTML.escape(text, into: &output) } else { output += text }
        case .section(let path, let inner):
            switch context.lookup(path) {
            case .list(let items)?:
                for item in items { render(inner, context.with(item), into: &output) }
            case .bool(let yes)?:
                if yes { render(inner, context, into: &output) }
            case let value?:
                render(inner, context.with(value), into: &output)
            case nil:
                break
            }
        case .invertedSection(let path, let inner):
            switch context.lookup(path) {
            case .list(let items)?:
                if items.isEmpty { render(inner, context.with(.list(items)), into: &output) }
            case .bool(let yes)?:
                if !yes { render(inner, context, into: &output) }
            case .some:
                break
            case nil:
                render(inner, context, into: &output)
            }
        case .partial(let name, let indentation, let inherits):
            guard let partial = templates[name] else { return }
            render(partial, context.indented(indentation, inheriting: inherits), into: &output)
        case .blockExpansion(let name, let fallback, let indentation):
            render(context.inherited?[name] ?? fallback, context.indented(indentation), into: &output)
        case .blockDefinition:
            // Only inside `{{<`, where the parser takes them as overrides.
            break
        }
    }
}

enum HTML {
    /// Appends `text` with &, <, >, " and ' escaped (as `&amp;`, `&lt;`, `&gt;`,
    /// `&quot;`, `&#39;`).
    static func escape(_ text: String, into output: inout String) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 }) else {
            output += text
            return
        }
        var start = utf8.startIndex
        var index = start
        while index != utf8.endIndex {
            let replacement: String?
            switch utf8[index] {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22: replacement = "&quot;"
            case 0x27: replacement = "&#39;"
            default: replacement = nil
            }
            if let replacement {
                output += Substring(text.utf8[start..<index])
                output += replacement
                start = utf8.index(after: index)
            }
            index = utf8.index(after: index)
        }
        output += Substring(text.utf8[start..<utf8.endIndex])
    }
}
