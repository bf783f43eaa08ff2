import Domain
import Hummingbird

/// The home page: what Doorstroom is, and for a logged-in person what they can do.
struct HomeController: RouteCollection {
    let views: Views

    struct Page: Sendable {
        let chrome: Chrome
        let loggedIn: Bool
        let name: String?
        let roles: [String]
        let isAdmin: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: home)
    }

    // MARK: - Handlers

    /// GET /
    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = context.account
        return try views.page(.home, Page(
            chrome: Chrome(
                title: "Doorstroom", context: context, path: request.uri.path,
                notice: request.uri.queryParameters["gewist"] == "1" && account == nil
                    ? "Je account is verwijderd en je bent uitgelogd. Wat je identificeerde is gewist." : nil),
            loggedIn: account != nil,
            name: account?.displayName,
            roles: Array(Set(account?.grants.map(\.role.label) ?? [])).sorted(),
            isAdmin: account?.has(.admin) ?? false
        ))
    }
}
