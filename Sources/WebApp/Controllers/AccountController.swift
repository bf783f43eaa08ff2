import Foundation
import Domain
import Hummingbird
import Store

/// `/mijn`: the start page after login. First what needs the person now, for each role
/// they hold (`StartSections`); then who they are, their roles, and (for a professional)
/// profile and employment history.
struct AccountController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct RoleLine: Sendable { let label: String; let organisation: String? }
        struct JobLine: Sendable { let organisation: String; let function: String; let from: String; let until: String? }
        let chrome: Chrome
        let name: String
        let email: String
        let roles: [RoleLine]
        let profile: ProfileDisplay?
        let jobs: [JobLine]
        let sections: [StartSection]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group().add(middleware: RequireRole.loggedIn)
            .get("/mijn", use: start)
    }

    // MARK: - Handlers

    /// GET /mijn
    @Sendable func start(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let organisations = try await store.organisations.all()
        func organisationName(_ id: Organisation.ID?) -> String? {
            id.flatMap { id in organisations.first { $0.id == id }?.name }
        }
        var profile: ProfileDisplay?
        var jobs: [Page.JobLine] = []
        let professional = try await store.professionals.find(accountID: account.id)
        if let professional {
            profile = ProfileDisplay(professional, functions: try await store.professionals.functions())
            jobs = try await store.professionals.history(of: account.id).map {
                Page.JobLine(organisation: $0.organisationName, function: $0.functionName, from: $0.startedOn.dutch, until: $0.endedOn?.dutch)
            }
        }
        return try views.page(.account, Page(
            chrome: Chrome(title: "Mijn account", context: context, path: request.uri.path),
            name: account.displayName, email: account.email,
            roles: account.grants.map { Page.RoleLine(label: $0.role.label, organisation: organisationName($0.organisationID)) },
            profile: profile, jobs: jobs,
            sections: try await StartSections(store: store, now: Date(), profile: professional).sections(for: account, unread: context.session?.unread ?? 0)
        ))
    }
}
