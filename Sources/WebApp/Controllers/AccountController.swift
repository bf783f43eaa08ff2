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

        /// A content's fields as the template sees them, made once for as long as it is kept.
        struct Made: Sendable {
            let fields: [String: RenderValue]

            init(_ content: Content) {
                guard case .object(let fields)? = RenderValue.of(content) else { preconditionFailure("a struct is an object") }
                self.fields = fields
            }
        }

        struct Kept {
            let content: Int
            let figures: Int
            let unread: Int
            let madeAt: ContinuousClock.Instant
            let page: Made
        }

        static let maximumAge: Duration = .seconds(60)
        static let maximumEntries = 10_000
        let entries = Mutex<[Account.ID: Kept]>([:])

        func page(_ account: Account.ID, versions: (content: Int, figures: Int), unread: Int) -> Made? {
            entries.withLock { entries in
                guard let kept = entries[account], kept.content == versions.content, kept.figures == versions.figures,
                      kept.unread == unread, ContinuousClock.now - kept.madeAt < Self.maximumAge
                else { return nil }
                return kept.page
            }
        }

        func keep(_ page: Made, _ account: Account.ID, versions: (content: Int, figures: Int), unread: Int) {
            entries.withLock { entries in
                if entries.count >= Self.maximumEntries { entries.removeAll(keepingCapacity: true) }
                entries[account] = Kept(content: versions.content, figures: versions.figures, unread: unread, madeAt: .now, page: page)
            }
        }
    }

    /// The page's lines. Its template reads `chrome`, `name` and `email` (made for each
    /// request) and the fields of `KeptStartPages.Content` (kept).
    enum Page {
        struct RoleLine: Sendable { let label: String; let organisation: String? }
        struct JobLine: Sendable { let organisation: String; let function: String; let from: String; let until: String? }
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
        // Read before the page (with the session, in the same statement): a change
        // after this read makes the next request's versions newer, so a page is never
        // kept under versions it did not see.
        let versions: (content: Int, figures: Int)
        if let known = context.session?.versions { versions = known } else { versions = try await store.versions() }
        let made: KeptStartPages.Made
        if let page = kept.page(account.id, versions: versions, unread: unread) {
            made = page
        } else {
            made = KeptStartPages.Made(try await startContent(account, unread: unread))
            kept.keep(made, account.id, versions: versions, unread: unread)
        }
        // The fields of `Page`: the kept ones, and those of this request and session.
        var fields = made.fields
        fields["chrome"] = RenderValue.of(Chrome(title: "Mijn account", context: context, path: request.uri.path))
        fields["name"] = .text(account.displayName)
        fields["email"] = .text(account.email)
        return try views.page(.account, rendered: .object(fields))
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
