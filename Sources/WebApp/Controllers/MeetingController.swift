import Domain
import Foundation
import Hummingbird
import Store

/// Ontmoetingen. `/ontmoetingen`: every meeting still to come, public; logged-in
/// professionals and students register and give their place back. `/beheer/ontmoetingen`:
/// HR advisers organise meetings of their organisation, coordinators and admins of the
/// region; they see who registered (each view audited) and cancel.
struct MeetingController: RouteCollection {
    let store: Store
    let views: Views
    let siteURL: String

    struct Line: Sendable {
        let id: String
        let title: String
        let kind: String
        let organiser: String
        let when: String
        let place: String
        let placesLeft: String
        let cancelled: Bool
    }

    static func line(_ meeting: Meeting) -> Line {
        Line(id: meeting.id.uuidString.lowercased(), title: meeting.title, kind: meeting.kind.label,
             organiser: meeting.organisationName ?? "De regio", when: FlexpoolText.window(meeting.during), place: meeting.place,
             placesLeft: placesLeftText(meeting.placesLeft),
             cancelled: meeting.cancelled)
    }

    struct ListPage: Sendable { let chrome: Chrome; let meetings: [Line]; let hasMeetings: Bool; let mine: [Line]; let hasMine: Bool }

    struct DetailPage: Sendable {
        let chrome: Chrome
        let meeting: Line
        let description: [TextBlock]
        let canRegister: Bool
        let registered: Bool
        let loginLink: String?
        let isOpen: Bool
        /// schema.org Event.
        let jsonLD: String
    }

    struct AdminPage: Sendable {
        struct Row: Sendable { let line: Line; let taken: Int; let places: Int }
        let chrome: Chrome
        let rows: [Row]
        let hasRows: Bool
        let kinds: [Option]
        let organisers: [Option]
        let fields: [String: Field]
        let errorSummary: ErrorSummary
        let hasErrors: Bool
    }

    struct ParticipantsPage: Sendable {
        struct Person: Sendable { let name: String; let email: String; let organisation: String?; let registered: String }
        let chrome: Chrome
        let meeting: Line
        let people: [Person]
        let hasPeople: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/ontmoetingen")
            .get(use: agenda)
            .get(":id", use: meeting)
        router.group("/ontmoetingen").add(middleware: RequireRole(.professional, .student))
            .post(":id/aanmelden", use: register)
            .post(":id/afmelden", use: unregister)
        router.group("/beheer/ontmoetingen").add(middleware: RequireRole(.hrAdviser, .coordinator, .admin))
            .get(use: organised)
            .post(use: create)
            .get(":id", use: participants)
            .post(":id/annuleren", use: cancel)
    }

    // MARK: - Handlers

    /// GET /ontmoetingen
    @Sendable func agenda(_ request: Request, context: AppRequestContext) async throws -> Response {
        let meetings = try await store.meetings.upcoming(after: Date())
        var mine: [Meeting] = []
        if let account = context.account { mine = try await store.meetings.mine(account.id) }
        return try views.page(.meetings, ListPage(
            chrome: Chrome(title: "Ontmoetingen", context: context, path: "/ontmoetingen",
                           notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""]),
            meetings: meetings.map(Self.line), hasMeetings: !meetings.isEmpty, mine: mine.map(Self.line), hasMine: !mine.isEmpty))
    }

    /// GET /ontmoetingen/:id
    @Sendable func meeting(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(context, notice: nil, status: .ok)
    }

    /// POST /ontmoetingen/:id/aanmelden
    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.meetings.find(id) != nil
        else { throw HTTPError(.notFound) }
        do {
            try await store.meetings.register(id, account: account.id)
        } catch let failure as MeetingStore.RegisterFailure {
            let message = switch failure {
            case .full: "Alle plaatsen zijn bezet. Je bent niet aangemeld."
            case .alreadyRegistered: "Je bent al aangemeld."
            case .notOpen: "Aanmelden kan niet meer: de ontmoeting is begonnen of geannuleerd."
            }
            return try await detail(context, notice: message, status: .conflict)
        }
        return Response.redirect(to: "/ontmoetingen?gelukt=aangemeld", type: .normal)
    }

    /// POST /ontmoetingen/:id/afmelden
    @Sendable func unregister(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let meeting = try await store.meetings.find(id), try await store.meetings.isRegistered(id, account: account.id) else { throw HTTPError(.notFound) }
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Afmelden?",
                consequences: ["Je meldt je af voor \"\(meeting.title)\" (\(FlexpoolText.when(meeting.during))). Je plaats komt vrij voor een ander."],
                action: "/ontmoetingen/\(id.lowercased)/afmelden", button: "Ja, meld me af", cancel: "/ontmoetingen/\(id.lowercased)"
            ).page(views, context)
        }
        guard try await store.meetings.unregister(id, account: account.id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/ontmoetingen?gelukt=afgemeld", type: .normal)
    }

    /// GET /beheer/ontmoetingen
    @Sendable func organised(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await admin(context, account, form: nil, errors: nil,
                               notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""], status: .ok)
    }

    /// POST /beheer/ontmoetingen
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard let organiser = Self.organiser(form["organiser"], for: account) else {
            var errors = ValidationErrors()
            errors.add("organiser", "Kies voor wie je de ontmoeting organiseert.")
            return try await admin(context, account, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
        do {
            let meeting = try MeetingForm.parse(
                kind: form["kind"], title: form["title"], description: form["description"], place: form["place"],
                date: form["date"], start: form["start"], end: form["end"], places: form["places"], now: Date())
            _ = try await store.meetings.create(meeting, organisation: organiser, by: account.id)
            return Response.redirect(to: "/beheer/ontmoetingen?gelukt=gemaakt", type: .normal)
        } catch let errors as ValidationErrors {
            return try await admin(context, account, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
    }

    /// GET /beheer/ontmoetingen/:id
    @Sendable func participants(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let meeting = try await own(account, context)
        let people = try await store.meetings.participants(meeting.id, viewer: account.id)
        return try views.page(.adminMeeting, ParticipantsPage(
            chrome: Chrome(title: meeting.title, context: context, path: "/beheer/ontmoetingen"),
            meeting: Self.line(meeting),
            people: people.map { .init(name: $0.name, email: $0.email, organisation: $0.organisation, registered: $0.registeredAt.dutchDay) },
            hasPeople: !people.isEmpty))
    }

    /// POST /beheer/ontmoetingen/:id/annuleren
    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let meeting = try await own(account, context)
        guard try await store.meetings.cancel(meeting.id, by: account.id) else {
            return try await admin(context, account, form: nil, errors: nil, notice: "Deze ontmoeting was al geannuleerd.", status: .conflict)
        }
        return Response.redirect(to: "/beheer/ontmoetingen?gelukt=geannuleerd", type: .normal)
    }

    static let notices = [
        "aangemeld": "Je bent aangemeld. Je ziet het hieronder bij Mijn ontmoetingen.",
        "afgemeld": "Je hebt je afgemeld; je plaats is vrij voor een ander.",
        "gemaakt": "De ontmoeting staat in de agenda.",
        "geannuleerd": "De ontmoeting is geannuleerd.",
    ]

    /// The organisations `account` organises for: their HR organisations, and the region
    /// (nil) for coordinators and admins.
    static func organisers(for account: Account) -> (organisations: [Organisation.ID], region: Bool) {
        (account.organisations(as: .hrAdviser), account.has(.coordinator) || account.has(.admin))
    }

    /// The organiser chosen in the form: "regio", or one of the account's organisations.
    static func organiser(_ value: String, for account: Account) -> Organisation.ID?? {
        let (organisations, region) = organisers(for: account)
        if value == "regio" { return region ? .some(nil) : nil }
        guard let id = UUID(uuidString: value), organisations.contains(id) else { return nil }
        return .some(id)
    }

    private func own(_ account: Account, _ context: AppRequestContext) async throws -> Meeting {
        let (organisations, region) = Self.organisers(for: account)
        let id = try context.parameters.requireID()
        guard let meeting = try await store.meetings.find(id),
              meeting.organisationID.map(organisations.contains) ?? region
        else { throw HTTPError(.notFound) }
        return meeting
    }

    private func detail(_ context: AppRequestContext, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let meeting = try await store.meetings.find(id)
        else { throw HTTPError(.notFound) }
        let account = context.account
        let isOpen = meeting.isOpen(at: Date())
        var registered = false
        if let account { registered = try await store.meetings.isRegistered(id, account: account.id) }
        let mayRegister = account.map { $0.has(.professional) || $0.has(.student) } ?? false
        return try views.page(.meeting, DetailPage(
            chrome: Chrome(title: meeting.title, context: context, path: "/ontmoetingen", notice: notice),
            meeting: Self.line(meeting), description: TextBlock.blocks(meeting.description),
            canRegister: mayRegister && isOpen && !registered && meeting.placesLeft > 0, registered: registered && isOpen,
            loginLink: account == nil && isOpen ? URLComponentsLite(path: "/login", query: [("next", "/ontmoetingen/\(id.uuidString.lowercased())")]).string : nil,
            isOpen: isOpen, jsonLD: EventJSONLD.meeting(meeting, siteURL: siteURL)), status: status)
    }

    private func admin(
        _ context: AppRequestContext, _ account: Account, form: FormData?, errors: ValidationErrors?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let (organisations, region) = Self.organisers(for: account)
        let meetings = try await store.meetings.organised(by: organisations, region: region)
        let names = Dictionary(uniqueKeysWithValues: try await store.organisations.all().map { ($0.id, $0.name) })
        let chosenKind = form?["kind"] ?? ""
        let chosenOrganiser = form?["organiser"] ?? ""
        var fields: [String: Field] = [:]
        for name in ["title", "description", "place", "date", "start", "end", "places", "kind", "organiser"] {
            fields[name] = Field(form?[name] ?? (name == "places" ? "20" : ""), error: errors?[name])
        }
        return try views.page(.adminMeetings, AdminPage(
            chrome: Chrome(title: "Ontmoetingen organiseren", context: context, path: "/beheer/ontmoetingen", notice: notice),
            rows: meetings.map { .init(line: Self.line($0), taken: $0.placesTaken, places: $0.places) },
            hasRows: !meetings.isEmpty,
            kinds: Meeting.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosenKind) },
            organisers: (region ? [Option(value: "regio", label: "De regio", selected: chosenOrganiser == "regio")] : [])
                + organisations.map { Option(value: $0.uuidString.lowercased(), label: names[$0] ?? "", selected: $0.uuidString.lowercased() == chosenOrganiser) },
            fields: fields, errorSummary: ErrorSummary(errors, intro: "De ontmoeting is niet opgeslagen. Dit moet nog anders:"),
            hasErrors: !(errors?.isEmpty ?? true)), status: status)
    }
}
