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
        }
        struct DuoLine: Sendable {
            let id: String; let postingID: String; let title: String; let organisation: String; let applicant: String
            let status: String; let confirmed: Bool; let canAnswer: Bool
        }
        let chrome: Chrome
        let applications: [Line]
        let duoRequests: [DuoLine]
        let hasDuoRequests: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/sollicitaties").add(middleware: RequireRole.loggedIn)
            .get(use: list)
            .post(":id/duo", use: answerDuo)
            .post(":id/intrekken", use: withdraw)
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
        default: nil
        }
        let mine = try await store.applications.mine(account.id)
        let requests = try await store.applications.duoRequests(for: account.id)
        return try views.page(.myApplications, Page(
            chrome: Chrome(title: "Mijn sollicitaties", context: context, path: "/mijn/sollicitaties", notice: notice),
            applications: mine.map {
                .init(id: $0.id.uuidString.lowercased(), postingID: $0.postingID.uuidString.lowercased(), title: $0.postingTitle,
                      kind: $0.postingKind.label, organisation: $0.organisationName, status: $0.status.label,
                      submitted: $0.submittedAt.dutchDay, canWithdraw: $0.status.isLive,
                      duoPartner: $0.duoPartnerName, duoConfirmed: $0.duoConfirmed)
            },
            duoRequests: requests.map {
                .init(id: $0.applicationID.uuidString.lowercased(), postingID: $0.postingID.uuidString.lowercased(), title: $0.postingTitle,
                      organisation: $0.organisationName, applicant: $0.applicantName, status: $0.status.label, confirmed: $0.confirmed,
                      canAnswer: !$0.confirmed && $0.status.isLive)
            },
            hasDuoRequests: !requests.isEmpty))
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
