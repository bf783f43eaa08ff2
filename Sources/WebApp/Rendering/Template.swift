/// Mustache templates, parsed once at start-up and rendered straight from typed
/// values (`RenderValue`).
///
/// The language is the part of Mustache our templates use: variables (`{{name}}`,
/// escaped for HTML; `{{{name}}}` and `{{& name}}` as they are), dotted names,
/// `{{.}}`, sections and inverted sections, comments, partials (`{{> name}}`) and
/// inheritance (`{{< layout}}` with `{{$ block}}` overrides). Set delimiters, pragmas,
/// lambdas and transforms are refused when the templates load.
///
/// The parser follows swift-mustache 2.1's (hummingbird-project/swift-mustache,
/// Apache 2.0) token for token, so that a page is byte for byte what that library
/// renders: the same standalone lines, the same whitespace before tags, the same
/// indentation of blocks and partials. What it does not keep is its cost: there every
/// name is looked up through dynamic casts of `Any` and every character escaped
/// through a dictionary of `Character`s, which took over half of a page's CPU; here a
/// lookup is a dictionary read on an enum and escaping runs over UTF-8 bytes.
struct Template: Sendable {
    indirect enum Token: Sendable {
        case text(String)
        /// The name split at its dots (`["."]` for the current value).
        case variable(path: [String], escaped: Bool)
        case section(path: [String], Template)
        case invertedSection(path: [String], Template)
        /// `indentation` is set for a partial alone on its line; `inherits` for `{{<`.
        case partial(name: String, indentation: String?, inherits: [String: Template]?)
        case blockExpansion(name: String, default: Template, indentation: String)
        case blockDefinition(name: String, Template)
    }

    let tokens: [Token]

    struct ParseError: Error, CustomStringConvertible {
        let message: String
        let line: Int
        var description: String { "line \(line): \(message)" }
    }

    init(tokens: [Token]) { self.tokens = tokens }

    init(parsing text: String) throws {
        var parser = Parser(text)
        do {
            self = try Self.parse(&parser, state: ParserState())
        } catch let error as ParseError {
            throw error
        }
    }

    // MARK: - Parsing (after swift-mustache's Template+Parser.swift)

    struct ParserState {
        var sectionName: String?
        var newLine = true
        var isPartialDefinition = false
        var isPartialDefinitionTopLevel = false
        var partialDefinitionIndent: String?

        func withSectionName(_ name: String, newLine: Bool) -> ParserState {
            var state = self
            state.sectionName = name
            state.isPartialDefinitionTopLevel = false
            if !newLine { state.newLine = false }
            return state
        }

        func withInheritancePartial(_ name: String) -> ParserState {
            var state = self
            state.sectionName = name
            state.newLine = true
            state.isPartialDefinition = true
            state.isPartialDefinitionTopLevel = true
            return state
        }
    }

    struct Parser {
        let characters: [Character]
        var position = 0

        init(_ text: String) { characters = Array(text) }

        var reachedEnd: Bool { position >= characters.count }
        var current: Character? { reachedEnd ? nil : characters[position] }
        var line: Int { characters[..<min(position, characters.count)].filter(\.isNewline).count + 1 }

        mutating func read(while allowed: (Character) -> Bool) -> String {
            let start = position
            while let character = current, allowed(character) { position += 1 }
            return String(characters[start..<position])
        }

        mutating func read(_ string: String) -> Bool {
            let wanted = Array(string)
            guard position + wanted.count <= characters.count, Array(characters[position..<position + wanted.count]) == wanted else { return false }
            position += wanted.count
            return true
        }

        func error(_ message: String) -> ParseError { ParseError(message: message, line: line) }
    }

    static let nameCharacters = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-_?*")
    static let partialNameCharacters = nameCharacters.union("/")

    static func parse(_ parser: inout Parser, state initial: ParserState) throws -> Template {
        var tokens: [Token] = []
        var state = initial
        var whiteSpaceBefore = ""
        while !parser.reachedEnd {
            if state.newLine {
                let whiteSpace = parser.read { $0 == " " || $0 == "\t" }
                if state.isPartialDefinition, !state.isPartialDefinitionTopLevel {
                    if let indent = state.partialDefinitionIndent {
                        whiteSpaceBefore = String(whiteSpace.dropFirst(indent.count))
                    } else {
                        state.partialDefinitionIndent = whiteSpace
                    }
                } else {
                    whiteSpaceBefore = whiteSpace
                }
            }
            let text = readUntilTagOrNewline(&parser)
            if let character = parser.current, character.isNewline {
                tokens.append(.text(whiteSpaceBefore + text + String(character)))
                state.newLine = true
                parser.position += 1
                continue
            }
            if !text.isEmpty {
                tokens.append(.text(whiteSpaceBefore + text))
                whiteSpaceBefore = ""
                state.newLine = false
            }
            guard let kind = parser.current else { break }
            func flushWhiteSpace() {
                if !whiteSpaceBefore.isEmpty {
                    tokens.append(.text(whiteSpaceBefore))
                    whiteSpaceBefore = ""
                }
            }
            var setNewLine = false
            switch kind {
            case "#", "^":
                parser.position += 1
                let name = try parseName(&parser, partial: false)
                if isStandalone(&parser, state) { setNewLine = true } else { flushWhiteSpace() }
                let inner = try parse(&parser, state: state.withSectionName(name, newLine: setNewLine))
                tokens.append(kind == "#" ? .section(path: path(name), inner) : .invertedSection(path: path(name), inner))
            case "/":
                parser.position += 1
                let name = try parseName(&parser, partial: false)
                guard name == state.sectionName else {
                    throw parser.error("{{/\(name)}} closes \(state.sectionName.map { "{{#\($0)}}" } ?? "nothing")")
                }
                if isStandalone(&parser, state) {} else { flushWhiteSpace() }
                return Template(tokens: tokens)
            case "!":
                parser.position += 1
                while !parser.reachedEnd, !parser.read("}}") { parser.position += 1 }
                setNewLine = isStandalone(&parser, state)
            case "{":
                flushWhiteSpace()
                parser.position += 1
                let name = try parseName(&parser, partial: false)
                guard parser.read("}") else { throw parser.error("{{{\(name)}} lacks its third }") }
                tokens.append(.variable(path: path(name), escaped: false))
            case "&":
                flushWhiteSpace()
                parser.position += 1
                tokens.append(.variable(path: path(try parseName(&parser, partial: false)), escaped: false))
            case ">":
                parser.position += 1
                let name = try parseName(&parser, partial: true)
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                if isStandalone(&parser, state) {
                    setNewLine = true
                    tokens.append(.partial(name: name, indentation: whiteSpaceBefore, inherits: nil))
                } else {
                    tokens.append(.partial(name: name, indentation: nil, inherits: nil))
                }
                whiteSpaceBefore = ""
            case "<":
                parser.position += 1
                let name = try parseName(&parser, partial: true)
                if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                if isStandalone(&parser, state) { setNewLine = true }
                let inner = try parse(&parser, state: state.withInheritancePartial(name))
                var inherits: [String: Template] = [:]
                for token in inner.tokens {
                    switch token {
                    case .blockDefinition(let block, let template): inherits[block] = template
                    case .text: break
                    default: throw parser.error("only blocks ({{$name}}) may stand inside {{<\(name)}}")
                    }
                }
                tokens.append(.partial(name: name, indentation: whiteSpaceBefore, inherits: inherits))
                whiteSpaceBefore = ""
            case "$":
                parser.position += 1
                let name = try parseName(&parser, partial: false)
                if state.isPartialDefinitionTopLevel {
                    if isStandalone(&parser, state) { setNewLine = true }
                    tokens.append(.blockDefinition(name: name, try parse(&parser, state: state.withSectionName(name, newLine: setNewLine))))
                } else {
                    if !whiteSpaceBefore.isEmpty { tokens.append(.text(whiteSpaceBefore)) }
                    if isStandalone(&parser, state) { setNewLine = true }
                    let inner = try parse(&parser, state: state.withSectionName(name, newLine: setNewLine))
                    tokens.append(.blockExpansion(name: name, default: inner, indentation: whiteSpaceBefore))
                    whiteSpaceBefore = ""
                }
            case "=", "%":
                throw parser.error("set delimiters and pragmas are not supported")
            default:
                flushWhiteSpace()
                tokens.append(.variable(path: path(try parseName(&parser, partial: false)), escaped: true))
            }
            state.newLine = setNewLine
        }
        guard state.sectionName == nil else { throw parser.error("{{#\(state.sectionName ?? "")}} is never closed") }
        return Template(tokens: tokens)
    }

    static func path(_ name: String) -> [String] {
        name == "." ? ["."] : name.split(separator: ".").map(String.init)
    }

    /// Text up to a newline (not read) or an opening `{{` (read).
    static func readUntilTagOrNewline(_ parser: inout Parser) -> String {
        var text = ""
        while let character = parser.current, !character.isNewline {
            if character == "{", parser.read("{{") { break }
            text.append(character)
            parser.position += 1
        }
        return text
    }

    static func parseName(_ parser: inout Parser, partial: Bool) throws -> String {
        _ = parser.read(while: \.isWhitespace)
        let name = parser.read(while: (partial ? partialNameCharacters : nameCharacters).contains)
        _ = parser.read(while: \.isWhitespace)
        guard !name.isEmpty, parser.read("}}") else {
            throw parser.error(name.isEmpty ? "a tag without a name" : "{{\(name) is not closed by }} (transforms are not supported)")
        }
        return name
    }

    /// After a tag: only spaces up to the end of the line (read with it) on a line that
    /// held nothing before the tag.
    static func isStandalone(_ parser: inout Parser, _ state: ParserState) -> Bool {
        guard state.newLine else { return false }
        if parser.reachedEnd { return true }
        var ahead = parser
        _ = ahead.read { $0 == " " || $0 == "\t" }
        guard let character = ahead.current, character.isNewline else { return false }
        parser.position = ahead.position + 1
        return true
    }
}
