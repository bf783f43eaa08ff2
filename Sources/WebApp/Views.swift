import Domain
import Foundation
import Hummingbird
import Store

/// The templates, loaded once at start-up from the templates folder. A missing folder
/// or template stops the start, loudly, instead of failing on a user's request.
public struct Views: Sendable {
    let templates: TemplateLibrary
    /// The API's OpenAPI document (docs/openapi.json), served as it is.
    let openAPI: ByteBuffer

    /// The templates every start needs: the layout, the partials the pages include, and
    /// every page of `Page`.
    static let required = ["layout", "partials/career-step-form", "partials/status-button", "partials/import-log", "partials/input", "partials/error-summary", "partials/pager"] + Page.allCases.map(\.template)

    public struct MissingTemplates: Error, CustomStringConvertible {
        public let folder: String
        public let names: [String]
        public var description: String {
            "templates missing in \(folder): \(names.map { $0 + ".mustache" }.joined(separator: ", "))"
        }
    }

    public init(folder: String, openAPIFile: String) async throws {
        let templates = try TemplateLibrary(directory: folder)
        self.templates = templates
        let missing = Self.required.filter { templates.templates[$0] == nil }
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
        try self.page(page, rendered: RenderValue.of(model) ?? .object([:]), status: status)
    }

    /// Renders a page from a value made for the templates already (a page that keeps
    /// some of its parts made: reflecting a view model is the larger part of a render).
    func page(_ page: Page, rendered value: RenderValue, status: HTTPResponse.Status = .ok) throws -> Response {
        guard let html = templates.render(page.template, value) else {
            throw RenderFailure(page: page)
        }
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: html))
        )
    }
}

/// What the layout shows around every page: title, the menu for the person's roles,
/// who is logged in, and the CSRF token for the logout form.
///
/// The menu has at most six groups, by what people do (Start, Werk, Leren, Flexpool,
/// Beheer, Monitor, and Berichten with the unread count); the current group's own
/// pages form a second row. Both are plain links: no JavaScript.
struct Chrome: Sendable {
    struct NavItem: Sendable {
        let href: String
        let label: String
        let current: Bool
        /// Unread messages, on "Berichten".
        let badge: Int?
        /// `aria-current`: "page" on the page itself, "true" on the group it is in.
        var ariaCurrent: String?
    }

    let title: String
    let nav: [NavItem]
    let subnav: [NavItem]
    let hasSubnav: Bool
    let userName: String?
    let csrfToken: String?
    let notice: String?
    /// An Atom feed of this page's results, for the head's alternate link.
    var feed: String?

    /// A group of the menu: where its label leads, and its own pages.
    struct Group {
        let label: String
        let href: String
        var pages: [(href: String, label: String)]
    }

    init(title: String, context: AppRequestContext, path: String, notice: String? = nil) {
        self.title = title
        let account = context.account
        userName = account?.displayName
        csrfToken = context.session?.csrfToken
        self.notice = notice
        let groups = Self.groups(for: account)
        // The current page is the one whose address matches the path longest.
        func matches(_ href: String) -> Bool { href == "/" ? path == "/" : path == href || path.hasPrefix(href + "/") }
        let all = groups.flatMap { group in [group.href] + group.pages.map(\.href) }
        let currentHref = all.filter(matches).max { $0.count < $1.count }
        let currentGroup = groups.firstIndex { group in group.href == currentHref || group.pages.contains { $0.href == currentHref } }
        let unread = context.session?.unread ?? 0
        nav = groups.enumerated().map { index, group in
            NavItem(href: group.href, label: group.label, current: index == currentGroup,
                    badge: group.href == "/mijn/berichten" && unread > 0 ? unread : nil,
                    ariaCurrent: index != currentGroup ? nil : group.href == currentHref ? "page" : "true")
        }
        let pages = currentGroup.map { groups[$0].pages } ?? []
        subnav = pages.count > 1 ? pages.map { NavItem(href: $0.href, label: $0.label, current: $0.href == currentHref, badge: nil,
                                                         ariaCurrent: $0.href == currentHref ? "page" : nil) } : []
        hasSubnav = !subnav.isEmpty
    }

    /// The menu's groups for an account's roles (merged by name when it holds several).
    static func groups(for account: Account?) -> [Group] {
        guard let account else {
            return [
                Group(label: "Vacatures", href: "/vacatures", pages: []),
                Group(label: "Academie", href: "/academie", pages: []),
                Group(label: "Ontmoetingen", href: "/ontmoetingen", pages: []),
            ]
        }
        var groups: [Group] = [Group(label: "Start", href: "/mijn", pages: [])]
        func add(_ label: String, _ href: String, _ pages: [(String, String)]) {
            if let index = groups.firstIndex(where: { $0.label == label }) {
                for page in pages where !groups[index].pages.contains(where: { $0.href == page.0 }) {
                    groups[index].pages.append((page.0, page.1))
                }
            } else {
                groups.append(Group(label: label, href: href, pages: pages.map { ($0.0, $0.1) }))
            }
        }
        let applies = account.has(.professional) || account.has(.student) || account.has(.jobSeeker)
        var work: [(String, String)] = [("/vacatures", "Vacaturebank")]
        if applies {
            work += [("/mijn/sollicitaties", "Mijn sollicitaties"), ("/mijn/bewaard", "Bewaard"), ("/mijn/vacaturealerts", "Vacaturealerts")]
        }
        if account.has(.professional) {
            work += [("/mijn/profiel", "Profiel"), ("/mijn/loopbaan", "Loopbaan"), ("/mijn/loopbaangesprek", "Loopbaangesprek"), ("/mijn/roulatie", "Roulatie")]
        }
        if account.has(.student) { work.append(("/mijn/school", "Mijn school")) }
        if account.has(.hrAdviser) {
            add("Werving", "/beheer/vacatures", [
                ("/beheer/vacatures", "Onze vacatures"), ("/beheer/sollicitaties", "Sollicitaties"), ("/beheer/afwijzingsbericht", "Afwijzingsbericht"),
                ("/beheer/stageafspraken", "Stageafspraken"), ("/beheer/profielen", "Profielen"),
                ("/beheer/roulaties", "Roulaties"), ("/beheer/vog", "VOG en registraties"), ("/beheer/uitnodigingen", "Uitnodigingen"),
                ("/beheer/api-tokens", "API-sleutels"),
                ("/vacatures", "Vacaturebank"),
            ])
        } else {
            add("Werk", "/vacatures", work)
        }
        var learning: [(String, String)] = [("/academie", "Academie")]
        if account.has(.professional) { learning.append(("/mijn/ontwikkeling", "Mijn ontwikkeling")) }
        if account.has(.professional) || account.has(.hrAdviser) || account.has(.coordinator) || account.has(.admin) {
            learning.append(("/academie/wensen", "Scholingswensen"))
        }
        if account.has(.professional) { learning.append(("/intervisie", "Intervisie")) }
        if account.has(.coordinator) || account.has(.hrAdviser) { learning.append(("/beheer/intervisie", "Intervisie organiseren")) }
        learning.append(("/ontmoetingen", "Ontmoetingen"))
        if account.has(.hrAdviser) { learning.append(("/beheer/cursussen", "Onze cursussen")) }
        if account.has(.admin) || account.has(.coordinator) || account.has(.hrAdviser) {
            learning.append(("/beheer/ontmoetingen", "Ontmoetingen organiseren"))
        }
        add("Leren", "/academie", learning)
        if account.has(.professional) {
            add("Flexpool", "/mijn/diensten", [("/mijn/diensten", "Mijn diensten"), ("/flexpool", "Beschikbaarheid")])
        }
        if account.has(.coordinator) {
            add("Flexpool", "/flexpool/coordinatie", [("/flexpool/coordinatie", "Coördinatie")])
        }
        if account.has(.careerAdviser) {
            add("Loopbaangesprekken", "/beheer/loopbaangesprekken", [])
        }
        if account.has(.internshipCoordinator) {
            add("Stages en studenten", "/school", [])
        }
        if account.has(.admin) {
            add("Beheer", "/beheer/organisaties", [
                ("/beheer/organisaties", "Organisaties"), ("/beheer/accounts", "Accounts"),
                ("/beheer/loopbaanpaden", "Loopbaanpaden"), ("/beheer/importlog", "Importlog"),
                ("/beheer/salarisschalen", "Salarisschalen"),
            ])
        }
        if account.has(.admin) || account.has(.coordinator) || account.has(.hrAdviser) {
            add("Monitor", "/monitor", [])
        }
        add("Berichten", "/mijn/berichten", [])
        return groups
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

/// A destructive action asks first, on a page of its own that says what will happen
/// (no JavaScript): its POST without `bevestigd=1` changes nothing and shows this page,
/// whose form sends the same POST with it. Some ask for a reason too.
struct Confirmation: Sendable {
    let heading: String
    let consequences: [String]
    /// The same POST address.
    let action: String
    let button: String
    /// Where "Nee, terug" leads.
    let cancel: String
    var reasonLabel: String?
    var reason = ""
    var reasonError: String?

    /// Whether a form is the confirmed one.
    static func isConfirmed(_ form: FormData) -> Bool { form["bevestigd"] == "1" }

    struct PageModel: Sendable {
        let chrome: Chrome
        let confirmation: Confirmation
    }

    func page(_ views: Views, _ context: AppRequestContext, status: HTTPResponse.Status = .ok) throws -> Response {
        try views.page(.confirm, PageModel(chrome: Chrome(title: heading, context: context, path: cancel), confirmation: self), status: status)
    }
}

/// The summary at the top of a form that failed: what is wrong, each message a link to
/// its field (`partials/error-summary`).
struct ErrorSummary: Sendable {
    struct Item: Sendable {
        let id: String
        let message: String
    }

    let intro: String
    let items: [Item]
    let hasItems: Bool

    /// Each field's message links to the input of the same id.
    init(_ errors: ValidationErrors?, intro: String) {
        self.intro = intro
        items = (errors?.items ?? []).map { Item(id: $0.field, message: $0.message) }
        hasItems = !items.isEmpty
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
