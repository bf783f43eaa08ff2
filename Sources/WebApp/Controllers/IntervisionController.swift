import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Intervision across organisations. `/intervisie`: a professional asks to join (their
/// discipline and when they can), sees their groups and sessions; a facilitator
/// confirms who was present, which counts as reflection hours on Mijn ontwikkeling.
/// `/beheer/intervisie`: coordinators and HR advisers form groups from the requests
/// (4 to 8 people, two organisations and two disciplines at least) and plan sessions.
/// What is discussed is never stored: a group has a name and, if wanted, a theme.
struct IntervisionController: RouteCollection {
    let store: Store
    let views: Views

    struct Group: Sendable {
        struct Member: Sendable { let name: String; let organisation: String; let discipline: String }
        struct Session: Sendable {
            struct Person: Sendable { let id: String; let name: String; let present: Bool }
            let id: String; let when: String; let place: String; let begun: Bool; let attended: Bool; let people: [Person]
        }
        let id: String; let name: String; let theme: String?; let facilitator: String; let facilitates: Bool
        let members: [Member]; let sessions: [Session]; let hasSessions: Bool
    }

    struct MyPage: Sendable {
        let chrome: Chrome
        let groups: [Group]
        let hasGroups: Bool
        let canAsk: Bool
        let asked: Bool
        let disciplines: [Option]
        let availability: Field
        let error: String?
    }

    struct ManagePage: Sendable {
        struct Request: Sendable { let id: String; let name: String; let organisation: String; let discipline: String; let availability: String; let since: String }
        let chrome: Chrome
        let requests: [Request]
        let hasRequests: Bool
        let groups: [Group]
        let hasGroups: Bool
        let name: Input
        let theme: Input
        let facilitator: Input
        let errorSummary: ErrorSummary
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/intervisie").add(middleware: RequireRole.loggedIn)
            .get(use: mine)
            .post("sessie/:id/aanwezig", use: confirm)
        router.group("/intervisie").add(middleware: RequireRole(.professional))
            .post("aanmelden", use: ask)
        router.group("/beheer/intervisie").add(middleware: RequireRole(.coordinator, .hrAdviser))
            .get(use: manage)
            .post(use: form)
            .post(":id/sessies", use: addSession)
    }

    // MARK: The professional and the facilitator

    /// GET /intervisie
    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "aangemeld": "Je hebt je aangemeld. Een coördinator of HR-adviseur zet je in een groep met collega's van andere organisaties."
        case "aanwezig": "De aanwezigheid is bevestigd; de uren tellen mee als reflectie-uren van wie er was."
        default: nil
        }
        return try await myPage(context, notice: notice, error: nil, status: .ok)
    }

    /// POST /intervisie/aanmelden: `discipline` and `availability`.
    @Sendable func ask(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let availability = form["availability"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let discipline = Discipline(rawValue: form["discipline"]), (3...300).contains(availability.count) else {
            return try await myPage(context, notice: nil, error: "Kies je discipline en zeg wanneer je kunt (3 tot 300 tekens).", status: .unprocessableContent)
        }
        do {
            try await store.learning.askToJoin(account.id, discipline: discipline, availability: availability)
        } catch LearningNetworkStore.IntervisionFailure.alreadyAsked {
            return try await myPage(context, notice: nil, error: "Je hebt je al aangemeld; je hoort het zodra er een groep is.", status: .conflict)
        }
        return Response.redirect(to: "/intervisie?gelukt=aangemeld", type: .normal)
    }

    /// POST /intervisie/sessie/:id/aanwezig: the facilitator's `present` members.
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let present = try context.requireForm().values("present").compactMap(UUID.init(uuidString:))
        do {
            try await store.learning.confirmAttendance(session: try context.parameters.requireID(), present: present, by: account.id)
        } catch LearningNetworkStore.IntervisionFailure.notFound {
            throw HTTPError(.notFound)
        } catch LearningNetworkStore.IntervisionFailure.notYet {
            return try await myPage(context, notice: nil, error: "Aanwezigheid bevestig je als de bijeenkomst begonnen is.", status: .conflict)
        }
        return Response.redirect(to: "/intervisie?gelukt=aanwezig", type: .normal)
    }

    private func myPage(_ context: AppRequestContext, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        let groups = try await store.learning.groups(of: account.id)
        let asked = try await store.learning.openRequests().contains { $0.accountID == account.id }
        let own = try await store.professionals.find(accountID: account.id)?.disciplines ?? []
        return try views.page(.intervision, MyPage(
            chrome: Chrome(title: "Intervisie", context: context, path: "/intervisie", notice: notice),
            groups: groups.map { line($0, viewer: account.id) }, hasGroups: !groups.isEmpty,
            canAsk: account.has(.professional) && !asked, asked: asked,
            disciplines: (own.isEmpty ? Discipline.allCases : own).map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            availability: Field(""), error: error), status: status)
    }

    // MARK: Coordinators and HR advisers

    /// GET /beheer/intervisie
    @Sendable func manage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "groep": "De groep is gevormd. Plan nu de bijeenkomsten."
        case "sessie": "De bijeenkomst staat gepland."
        default: nil
        }
        return try await managePage(context, form: FormData(""), errors: nil, error: nil, notice: notice, status: .ok)
    }

    /// POST /beheer/intervisie: a new group of the chosen requests.
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        let name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        let theme = form["theme"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !(3...120).contains(name.count) { errors.add("name", "Geef de groep een naam (3 tot 120 tekens).") }
        if theme.count > 200 { errors.add("theme", "Het thema is hoogstens 200 tekens; casusinhoud hoort hier niet.") }
        let facilitator = try await store.accounts.find(email: form["facilitator"].trimmingCharacters(in: .whitespaces))
        if facilitator == nil { errors.add("facilitator", "Geef het e-mailadres van de begeleider; die moet een account hebben.") }
        let chosen = Set(form.values("request").compactMap(UUID.init(uuidString:)))
        let requests = try await store.learning.openRequests().filter { chosen.contains($0.id) }
        let problems = IntervisionRule.problems(requests.map { (organisation: $0.organisationID ?? UUID(), discipline: $0.discipline) })
        if requests.contains(where: { $0.organisationID == nil }) { errors.add("requests", "Iedereen in een groep werkt bij een lid-organisatie.") }
        for problem in problems { errors.add("requests", problem) }
        guard errors.isEmpty, let facilitator else {
            return try await managePage(context, form: form, errors: errors, error: nil, notice: nil, status: .unprocessableContent)
        }
        do {
            _ = try await store.learning.formGroup(name: name, theme: theme.isEmpty ? nil : theme, facilitator: facilitator.id,
                                                   requests: requests.map(\.id), by: account.id)
        } catch LearningNetworkStore.IntervisionFailure.composition {
            errors.add("requests", "De groep voldoet niet aan de regel: 4 tot 8 deelnemers, van minstens twee organisaties en twee disciplines.")
            return try await managePage(context, form: form, errors: errors, error: nil, notice: nil, status: .conflict)
        }
        return Response.redirect(to: "/beheer/intervisie?gelukt=groep", type: .normal)
    }

    /// POST /beheer/intervisie/:id/sessies: `day`, `start`, `end`, `place`.
    @Sendable func addSession(_ request: Request, context: AppRequestContext) async throws -> Response {
        let group = try context.parameters.requireID()
        guard try await store.learning.groupExists(group) else { throw HTTPError(.notFound) }
        let form = try context.requireForm()
        let place = form["place"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard let day = Day(iso: form["day"]), let start = AmsterdamTime.minutes(form["start"]), let end = AmsterdamTime.minutes(form["end"]),
              end > start, end - start <= 8 * 60, (2...300).contains(place.count)
        else {
            return try await managePage(context, form: FormData(""), errors: nil,
                                        error: "Geef een dag, een begin- en eindtijd op die dag (hoogstens 8 uur) en een plaats.", notice: nil,
                                        status: .unprocessableContent)
        }
        let during = TimeWindow(start: AmsterdamTime.date(day, minutes: start), end: AmsterdamTime.date(day, minutes: end))
        guard try await store.learning.addSession(group: group, during: during, place: place) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/intervisie?gelukt=sessie", type: .normal)
    }

    private func managePage(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, error: String?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let account = try context.requireAccount()
        let requests = try await store.learning.openRequests()
        let groups = try await store.learning.groups()
        return try views.page(.intervisionManage, ManagePage(
            chrome: Chrome(title: "Intervisie organiseren", context: context, path: "/beheer/intervisie", notice: notice),
            requests: requests.map {
                .init(id: $0.id.lowercased, name: $0.name, organisation: $0.organisationName ?? "geen lid-organisatie", discipline: $0.discipline.label,
                      availability: $0.availability, since: $0.createdAt.dutchDay)
            },
            hasRequests: !requests.isEmpty,
            groups: groups.map { line($0, viewer: account.id) }, hasGroups: !groups.isEmpty,
            name: Input("name", "Naam van de groep", value: form["name"], error: errors?["name"]),
            theme: Input("theme", "Thema (mag leeg; nooit casusinhoud)", value: form["theme"], error: errors?["theme"], required: false),
            facilitator: Input("facilitator", "E-mailadres van de begeleider", type: "email", value: form["facilitator"], error: errors?["facilitator"]),
            errorSummary: ErrorSummary(errors, intro: "De groep is niet gevormd. Dit moet nog anders:"),
            error: error), status: status)
    }

    private func line(_ group: IntervisionGroupLine, viewer: Account.ID) -> Group {
        let now = Date()
        return Group(
            id: group.id.lowercased, name: group.name, theme: group.theme, facilitator: group.facilitatorName, facilitates: group.facilitatorID == viewer,
            members: group.members.map { .init(name: $0.name, organisation: $0.organisation, discipline: $0.discipline.label) },
            sessions: group.sessions.map { session in
                .init(id: session.id.lowercased, when: FlexpoolText.when(session.during), place: session.place, begun: session.during.start <= now,
                      attended: session.attended.contains(viewer),
                      people: group.members.map { .init(id: $0.accountID.lowercased, name: $0.name, present: session.attended.contains($0.accountID)) })
            },
            hasSessions: !group.sessions.isEmpty)
    }
}
