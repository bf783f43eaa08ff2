import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/sollicitaties`: the applications to an HR adviser's postings. Opening one
/// shows the applicant's data and writes an audit line; the adviser moves it through
/// submitted, in review, invited, hired, rejected.
struct HRApplicationController: RouteCollection {
    let store: Store
    let views: Views

    struct ListPage: Sendable {
        struct Line: Sendable {
            let id: String; let posting: String; let applicant: String; let status: String; let submitted: String; let live: Bool
        }
        let chrome: Chrome
        let applications: [Line]
    }

    struct DetailPage: Sendable {
        struct Profile: Sendable { let functions: [String]; let level: String?; let registrations: [String]; let jobs: [String] }
        let chrome: Chrome
        let id: String
        let posting: String
        let postingID: String
        let applicant: String
        let email: String
        let motivation: [TextBlock]
        let motivationRemoved: Bool
        let duoPartner: String?
        let duoConfirmed: Bool
        let status: String
        let submitted: String
        let next: [Option]
        let profile: Profile?
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/sollicitaties").add(middleware: RequireRole(.hrAdviser))
            .get(use: list)
            .get(":id", use: show)
            .post(":id/status", use: move)
    }

    // MARK: - Handlers

    /// GET /beheer/sollicitaties
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let posting = request.uri.queryParameters["vacature"].flatMap { UUID(uuidString: String($0)) }
        var all: [ReceivedApplication] = []
        for organisation in account.organisations(as: .hrAdviser) {
            all += try await store.applications.received(by: organisation, posting: posting)
        }
        return try views.page(.hrApplications, ListPage(
            chrome: Chrome(title: "Sollicitaties", context: context, path: "/beheer/sollicitaties",
                           notice: request.uri.queryParameters["gelukt"] == "bijgewerkt" ? "De sollicitatie is bijgewerkt." : nil),
            applications: all.map {
                .init(id: $0.id.uuidString.lowercased(), posting: $0.postingTitle, applicant: $0.applicantName,
                      status: $0.status.label, submitted: $0.submittedAt.dutchDay, live: $0.status.isLive)
            }))
    }

    /// GET /beheer/sollicitaties/:id
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        return try await detail(context, account: account, application, error: nil, status: .ok)
    }

    /// POST /beheer/sollicitaties/:id/status
    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        let form = try context.requireForm()
        guard let next = ApplicationStatus(rawValue: form["status"]) else {
            return try await detail(context, account: account, application, error: "Kies een nieuwe stand.", status: .unprocessableContent)
        }
        do {
            for organisation in account.organisations(as: .hrAdviser) {
                if try await store.applications.move(application.id, by: organisation, adviser: account.id, to: next) != nil { break }
            }
        } catch let failure as ApplicationStore.MoveFailure {
            let message = switch failure {
            case .notAllowed(let from): "Van \(from.label.lowercased()) kan de sollicitatie niet naar \(next.label.lowercased())."
            case .placesTaken: "Alle plaatsen van deze stage zijn al vervuld."
            }
            return try await detail(context, account: account, application, error: message, status: .conflict)
        }
        return Response.redirect(to: "/beheer/sollicitaties?gelukt=bijgewerkt", type: .normal)
    }

    private func own(_ account: Account, _ context: AppRequestContext) async throws -> ReceivedApplication {
        let id = try context.parameters.requireID()
        for organisation in account.organisations(as: .hrAdviser) {
            if let application = try await store.applications.received(id, by: organisation) { return application }
        }
        throw HTTPError(.notFound)
    }

    private func detail(
        _ context: AppRequestContext, account: Account, _ application: ReceivedApplication, error: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        // Viewing an applicant's data is logged: who, whose, when, why.
        try await store.applications.recordView(of: application, by: account.id)
        var profile: DetailPage.Profile?
        if let professional = try await store.professionals.find(accountID: application.applicantID) {
            let functions = try await store.professionals.functions()
            profile = .init(
                functions: professional.functionCodes.map { code in functions.first { $0.code == code }?.name ?? code },
                level: professional.educationLevel?.label,
                registrations: professional.registrations.map { "\($0.register.rawValue) \($0.number)" },
                jobs: try await store.professionals.history(of: application.applicantID).map {
                    "\($0.functionName), \($0.organisationName) (\($0.startedOn.year)–\($0.endedOn.map { String($0.year) } ?? "heden"))"
                })
        }
        return try views.page(.hrApplication, DetailPage(
            chrome: Chrome(title: "Sollicitatie", context: context, path: "/beheer/sollicitaties"),
            id: application.id.uuidString.lowercased(), posting: application.postingTitle,
            postingID: application.postingID.uuidString.lowercased(), applicant: application.applicantName,
            email: application.applicantEmail, motivation: TextBlock.blocks(application.motivation ?? ""), motivationRemoved: application.motivation == nil,
            duoPartner: application.duoPartnerName, duoConfirmed: application.duoConfirmed,
            status: application.status.label, submitted: application.submittedAt.dutchDay,
            next: application.status.nextForHR.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            profile: profile, error: error
        ), status: status)
    }
}
