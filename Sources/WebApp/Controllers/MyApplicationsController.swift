import Domain
import Foundation
import Hummingbird
import Store

/// `/mijn/sollicitaties`: the applicant's applications with their state; withdraw.
struct MyApplicationsController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Line: Sendable {
            let id: String; let postingID: String; let title: String; let kind: String; let organisation: String
            let status: String; let submitted: String; let canWithdraw: Bool
            let duoPartner: String?; let duoConfirmed: Bool
            let rejectionReason: String?; let rejectionMessage: [TextBlock]
            /// At "uitgenodigd": the booked interview, or the times to choose from.
            let interview: Interview?
        }
        struct Interview: Sendable {
            struct Choice: Sendable { let value: String; let label: String }
            let booked: String?
            let bookedPlace: String?
            let canChange: Bool
            let choices: [Choice]
            let hasChoices: Bool
        }
        struct DuoLine: Sendable {
            let id: String; let postingID: String; let title: String; let organisation: String; let applicant: String
            let status: String; let confirmed: Bool; let canAnswer: Bool
        }
        let chrome: Chrome
        let applications: [Line]
        let error: String?
        let duoRequests: [DuoLine]
        let hasDuoRequests: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/sollicitaties").add(middleware: RequireRole.loggedIn)
            .get(use: list)
            .post(":id/duo", use: answerDuo)
            .post(":id/intrekken", use: withdraw)
            .post(":id/gesprek", use: bookInterview)
            .post(":id/gesprek/annuleren", use: cancelInterview)
            .get(":id/gesprek.ics", use: interviewCalendar)
    }

    // MARK: - Handlers

    /// GET /mijn/sollicitaties
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "ingediend": "Je sollicitatie is verstuurd. Hier zie je hoe het ervoor staat."
        case "ingetrokken": "Je sollicitatie is ingetrokken."
        case "duo-ja": "Je solliciteert samen als duo. Je collega krijgt er een melding van."
        case "duo-nee": "Je hebt nee gezegd; de sollicitatie loopt door op naam van je collega."
        case "gesprek": "De tijd is van jou. De agenda-uitnodiging komt per mail; je kunt hem hier ook downloaden."
        case "gesprek-geannuleerd": "Het gesprek is geannuleerd; de tijd is weer vrij voor anderen."
        default: nil
        }
        return try await page(context, account, notice: notice, error: nil, status: .ok)
    }

    private func page(_ context: AppRequestContext, _ account: Account, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let now = Date()
        let mine = try await store.applications.mine(account.id)
        let requests = try await store.applications.duoRequests(for: account.id)
        var interviews: [UUID: Page.Interview] = [:]
        for application in mine where application.status == .invited {
            let booked = try await store.interviews.booking(application: application.id, applicant: account.id)
            let open = try await store.interviews.openSlots(application: application.id, applicant: account.id, now: now)
            interviews[application.id] = Page.Interview(
                booked: booked.map { FlexpoolText.when($0.during) }, bookedPlace: booked?.place,
                canChange: booked.map { $0.during.start > now.addingTimeInterval(InterviewStore.deadline) } ?? true,
                choices: open.map { .init(value: $0.id.lowercased, label: "\(FlexpoolText.when($0.during)), \($0.place)") }, hasChoices: !open.isEmpty)
        }
        return try views.page(.myApplications, Page(
            chrome: Chrome(title: "Mijn sollicitaties", context: context, path: "/mijn/sollicitaties", notice: notice),
            applications: mine.map {
                .init(id: $0.id.uuidString.lowercased(), postingID: $0.postingID.uuidString.lowercased(), title: $0.postingTitle,
                      kind: $0.postingKind.label, organisation: $0.organisationName, status: $0.status.label,
                      submitted: $0.submittedAt.dutchDay, canWithdraw: $0.status.isLive,
                      duoPartner: $0.duoPartnerName, duoConfirmed: $0.duoConfirmed,
                      rejectionReason: $0.rejectionReason?.label, rejectionMessage: TextBlock.blocks($0.rejectionMessage ?? ""),
                      interview: interviews[$0.id])
            },
            error: error,
            duoRequests: requests.map {
                .init(id: $0.applicationID.uuidString.lowercased(), postingID: $0.postingID.uuidString.lowercased(), title: $0.postingTitle,
                      organisation: $0.organisationName, applicant: $0.applicantName, status: $0.status.label, confirmed: $0.confirmed,
                      canAnswer: !$0.confirmed && $0.status.isLive)
            },
            hasDuoRequests: !requests.isEmpty), status: status)
    }

    /// POST /mijn/sollicitaties/:id/gesprek: books the chosen time (`tijd`), or moves to it.
    @Sendable func bookInterview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.applications.mine(account.id).contains(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        guard let slot = UUID(uuidString: try context.requireForm()["tijd"]) else {
            return try await page(context, account, notice: nil, error: "Kies een tijd voor het gesprek.", status: .unprocessableContent)
        }
        do {
            try await store.interviews.book(slot, application: id, applicant: account.id)
        } catch let failure as InterviewStore.BookFailure {
            let message = switch failure {
            case .notInvited: "Voor deze sollicitatie kun je (nu) geen gesprekstijd kiezen."
            case .notOpen: "Deze tijd is niet (meer) te kiezen: hij ligt minder dan 24 uur vooruit of hoort niet bij deze vacature."
            case .taken: "Iemand anders koos deze tijd net eerder. Kies een andere."
            case .tooLate: "Je gesprek is binnen 24 uur; verzetten kan niet meer. Neem contact op met de organisatie."
            }
            return try await page(context, account, notice: nil, error: message, status: failure == .notInvited ? .notFound : .conflict)
        }
        return Response.redirect(to: "/mijn/sollicitaties?gelukt=gesprek", type: .normal)
    }

    /// POST /mijn/sollicitaties/:id/gesprek/annuleren
    @Sendable func cancelInterview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        do {
            guard try await store.interviews.cancel(application: id, applicant: account.id) else { throw HTTPError(.notFound) }
        } catch InterviewStore.BookFailure.tooLate {
            return try await page(context, account, notice: nil,
                                  error: "Je gesprek is binnen 24 uur; annuleren kan hier niet meer. Neem contact op met de organisatie.", status: .conflict)
        }
        return Response.redirect(to: "/mijn/sollicitaties?gelukt=gesprek-geannuleerd", type: .normal)
    }

    /// GET /mijn/sollicitaties/:id/gesprek.ics: the booked interview for a calendar.
    @Sendable func interviewCalendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let text = try await store.interviews.calendar(application: try context.parameters.requireID(), applicant: account.id) else {
            throw HTTPError(.notFound)
        }
        return ICalendar.download(text, fileName: "gesprek.ics")
    }

    /// POST /mijn/sollicitaties/:id/duo
    @Sendable func answerDuo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let confirm = form["antwoord"] == "ja"
        let id = try context.parameters.requireID()
        guard try await store.applications.answerDuo(id, partner: account.id, confirm: confirm)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/sollicitaties?gelukt=" + (confirm ? "duo-ja" : "duo-nee"), type: .normal)
    }

    /// POST /mijn/sollicitaties/:id/intrekken
    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let application = try await store.applications.mine(account.id).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Sollicitatie intrekken?",
                consequences: [
                    "Je trekt je sollicitatie op \"\(application.postingTitle)\" bij \(application.organisationName) in. De HR-adviseur ziet dat je hem hebt ingetrokken.",
                    "Opnieuw solliciteren op deze \(application.postingKind.label.lowercased()) kan daarna niet meer.",
                ],
                action: "/mijn/sollicitaties/\(id.lowercased)/intrekken", button: "Ja, trek mijn sollicitatie in", cancel: "/mijn/sollicitaties"
            ).page(views, context)
        }
        guard try await store.applications.withdraw(id, applicant: account.id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/sollicitaties?gelukt=ingetrokken", type: .normal)
    }
}
