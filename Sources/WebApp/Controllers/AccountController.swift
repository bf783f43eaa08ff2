import Foundation
import Domain
import Hummingbird
import Store
import Synchronization

/// `/mijn`: the start page after login. First what needs the person now, for each role
/// they hold (`StartSections`); then who they are, their roles, and (for a professional)
/// profile and employment history.
struct AccountController: RouteCollection {
    let store: Store
    let views: Views
    /// Each person's start page, as long as nothing it reads changed.
    let kept = KeptStartPages()

    /// What `/mijn` shows besides the chrome, kept per account while nothing it reads
    /// changed: every table it reads counts in the figures version or the content
    /// version (migration 0022), which any instance's writes move on; the unread
    /// count comes with the session. At most a minute, for what depends on the hour
    /// (the next shifts, meetings still to come).
    final class KeptStartPages: Sendable {
        struct Content: Sendable {
            let roles: [Page.RoleLine]
            let profile: ProfileDisplay?
            let jobs: [Page.JobLine]
            let sections: [StartSection]
        }

        struct Kept {
            let content: Int
            let figures: Int
            let unread: Int
            let madeAt: ContinuousClock.Instant
            let page: Content
        }

        static let maximumAge: Duration = .seconds(60)
        static let maximumEntries = 10_000
        let entries = Mutex<[Account.ID: Kept]>([:])

        func page(_ account: Account.ID, versions: (content: Int, figures: Int), unread: Int) -> Content? {
            entries.withLock { entries in
                guard let kept = entries[account], kept.content == versions.content, kept.figures == versions.figures,
                      kept.unread == unread, ContinuousClock.now - kept.madeAt < Self.maximumAge
                else { return nil }
                return kept.page
            }
        }

        func keep(_ page: Content, _ account: Account.ID, versions: (content: Int, figures: Int), unread: Int) {
            entries.withLock { entries in
                if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
                entries[account] = Kept(content: versions.content, figures: versions.figures, unread: unread, madeAt: .now, page: page)
            }
        }
    }

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
        let unread = context.session?.unread ?? 0
        // Read before the page: a change after this read makes the next request's
        // versions newer, so a page is never kept under versions it did not see.
        let versions = try await store.versions()
        let content: KeptStartPages.Content
        if let page = kept.page(account.id, versions: versions, unread: unread) {
            content = page
        } else {
            content = try await startContent(account, unread: unread)
            kept.keep(content, account.id, versions: versions, unread: unread)
        }
        return try views.page(.account, Page(
            chrome: Chrome(title: "Mijn account", context: context, path: request.uri.path),
            name: account.displayName, email: account.email,
            roles: content.roles, profile: content.profile, jobs: content.jobs, sections: content.sections
        ))
    }

    /// What the start page shows of a person, read now.
    private func startContent(_ account: Account, unread: Int) async throws -> KeptStartPages.Content {
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
        return KeptStartPages.Content(
            roles: account.grants.map { Page.RoleLine(label: $0.role.label, organisation: organisationName($0.organisationID)) },
            profile: profile, jobs: jobs,
            sections: try await StartSections(store: store, now: Date(), profile: professional).sections(for: account, unread: unread))
    }
}
