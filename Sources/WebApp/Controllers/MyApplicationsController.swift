import Domain
import Foundation
import Hummingbird
import Store

/// `/mijn/sollicitaties`: the applicant's applications with their state; withdraw.
struct MyApplicationsController {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Line: Sendable {
            let id: String; let postingID: String; let title: String; let kind: String; let organisation: String
            let status: String; let submitted: String; let canWithdraw: Bool
        }
        let chrome: Chrome
        let applications: [Line]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/mijn/sollicitaties") { request, context -> Response in
            let account = try Guard.account(request, context)
            let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
            case "ingediend": "Uw sollicitatie is verstuurd. Hier ziet u hoe het ervoor staat."
            case "ingetrokken": "Uw sollicitatie is ingetrokken."
            default: nil
            }
            let mine = try await store.applications.mine(account.id)
            return views.page("my-applications", Page(
                chrome: Chrome(title: "Mijn sollicitaties", context: context, path: "/mijn/sollicitaties", notice: notice),
                applications: mine.map {
                    .init(id: $0.id.uuidString.lowercased(), postingID: $0.postingID.uuidString.lowercased(), title: $0.postingTitle,
                          kind: $0.postingKind.label, organisation: $0.organisationName, status: $0.status.label,
                          submitted: $0.submittedAt.dutchDay, canWithdraw: $0.status.isLive)
                }))
        }
        router.post("/mijn/sollicitaties/:id/intrekken") { request, context -> Response in
            let account = try Guard.account(request, context)
            guard let id = UUID(uuidString: context.parameters.get("id") ?? ""),
                  try await store.applications.withdraw(id, applicant: account.id)
            else { throw HTTPError(.notFound) }
            return Response.redirect(to: "/mijn/sollicitaties?gelukt=ingetrokken", type: .normal)
        }
    }
}
