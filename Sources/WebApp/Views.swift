import Domain
import Foundation
import Hummingbird
import Mustache
import Store

/// The templates, loaded once at start-up from the templates folder. A missing folder
/// or template stops the start, loudly, instead of failing on a user's request.
public struct Views: Sendable {
    let library: MustacheLibrary
    /// The API's OpenAPI document (docs/openapi.json), served as it is.
    let openAPI: ByteBuffer

    /// The templates every start needs: the layout, the partials the pages include, and
    /// every page of `Page`.
    static let required = ["layout", "partials/career-step-form", "partials/status-button", "partials/import-log", "partials/input"] + Page.allCases.map(\.template)

    public struct MissingTemplates: Error, CustomStringConvertible {
        public let folder: String
        public let names: [String]
        public var description: String {
            "templates missing in \(folder): \(names.map { $0 + ".mustache" }.joined(separator: ", "))"
        }
    }

    public init(folder: String, openAPIFile: String) async throws {
        let library = try await MustacheLibrary(directory: folder)
        self.library = library
        let missing = Self.required.filter { library.getTemplate(named: $0) == nil }
        guard missing.isEmpty else { throw MissingTemplates(folder: folder, names: missing) }
        guard let document = FileManager.default.contents(atPath: openAPIFile) else {
            throw MissingTemplates(folder: openAPIFile, names: ["openapi.json"])
        }
        openAPI = ByteBuffer(bytes: document)
    }

    /// A page that could not be rendered: a 500 for the person, never an empty 200.
    struct RenderFailure: Error, CustomStringConvertible {
        let page: Page
        var description: String { "template \(page.template) did not render" }
    }

    /// Renders a page as an HTML response.
    func page(_ page: Page, _ model: some Sendable, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = library.render(RenderModel.flatten(model) ?? [String: Any](), withTemplate: page.template) else {
            throw RenderFailure(page: page)
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// What the layout shows around every page: title, navigation for the person's roles,
/// who is logged in, and the CSRF token for the logout form.
struct Chrome: Sendable {
    struct NavItem: Sendable {
        let href: String
        let label: String
        let current: Bool
    }

    let title: String
    let nav: [NavItem]
    let userName: String?
    let csrfToken: String?
    let notice: String?

    init(title: String, context: AppRequestContext, path: String, notice: String? = nil) {
        self.title = title
        let account = context.account
        userName = account?.displayName
        csrfToken = context.session?.csrfToken
        self.notice = notice
        var items: [(String, String)] = [("/", "Home"), ("/vacatures", "Vacatures"), ("/academie", "Academie"), ("/ontmoetingen", "Ontmoetingen")]
        if let account {
            items.append(("/mijn", "Mijn account"))
            items.append(("/mijn/berichten", "Meldingen"))
            if account.has(.professional) || account.has(.student) || account.has(.jobSeeker) {
                items.append(("/mijn/sollicitaties", "Mijn sollicitaties"))
            }
            if account.has(.professional) {
                items.append(("/mijn/profiel", "Mijn profiel"))
                items.append(("/mijn/ontwikkeling", "Mijn ontwikkeling"))
                items.append(("/flexpool", "Flexpool"))
                items.append(("/mijn/diensten", "Mijn diensten"))
            }
            if account.has(.coordinator) {
                items.append(("/flexpool/coordinatie", "Coördinatie"))
            }
            if account.has(.hrAdviser) {
                items.append(("/beheer/vacatures", "Vacatures beheren"))
                items.append(("/beheer/sollicitaties", "Sollicitaties"))
                items.append(("/beheer/stageafspraken", "Stageafspraken"))
                items.append(("/beheer/cursussen", "Cursussen"))
                items.append(("/beheer/profielen", "Profielen"))
                items.append(("/beheer/uitnodigingen", "Uitnodigingen"))
                items.append(("/beheer/roulaties", "Roulaties"))
            }
            if account.has(.admin) || account.has(.coordinator) || account.has(.hrAdviser) {
                items.append(("/beheer/ontmoetingen", "Ontmoetingen organiseren"))
                items.append(("/monitor", "Monitor"))
            }
            if account.has(.admin) {
                items.append(("/beheer/organisaties", "Organisaties"))
                items.append(("/beheer/accounts", "Accounts"))
                items.append(("/beheer/loopbaanpaden", "Loopbaanpaden"))
                items.append(("/beheer/importlog", "Importlog"))
            }
        }
        // The current item is the one whose address matches the path longest.
        func matches(_ href: String) -> Bool { href == "/" ? path == "/" : path == href || path.hasPrefix(href + "/") }
        let current = items.map(\.0).filter(matches).max { $0.count < $1.count }
        nav = items.map { href, label in NavItem(href: href, label: label, current: href == current) }
    }
}

/// A text input with its label, for `partials/input`: passwords are never re-shown.
struct Input: Sendable {
    let id: String
    let label: String
    let type: String
    let autocomplete: String
    let value: String
    let error: String?
    let hint: String?
    let required: Bool
    let inputmode: String?
    /// The ids of the hint and the error, for aria-describedby.
    let describedBy: String?

    init(
        _ id: String, _ label: String, type: String = "text", autocomplete: String = "off", value: String = "",
        error: String? = nil, hint: String? = nil, required: Bool = true, inputmode: String? = nil
    ) {
        self.id = id
        self.label = label
        self.type = type
        self.autocomplete = autocomplete
        self.value = type == "password" ? "" : value
        self.error = error
        self.hint = hint
        self.required = required
        self.inputmode = inputmode
        let ids = [hint.map { _ in id + "-uitleg" }, error.map { _ in id + "-fout" }].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

/// A plain page that says one thing: a heading, paragraphs, and where to go next.
struct MessagePage: Sendable {
    struct Link: Sendable {
        let href: String
        let label: String
        let isButton: Bool
    }

    let chrome: Chrome
    let heading: String
    let paragraphs: [String]
    let isError: Bool
    let links: [Link]
}

/// A form field's value and its error message, for re-showing a form.
struct Field: Sendable {
    let value: String
    let error: String?

    init(_ value: String = "", error: String? = nil) {
        self.value = value
        self.error = error
    }

    init(_ name: String, form: FormData, errors: ValidationErrors?) {
        value = form[name]
        error = errors?[name]
    }
}

/// An option of a select box.
struct Option: Sendable {
    let value: String
    let label: String
    let selected: Bool
}
