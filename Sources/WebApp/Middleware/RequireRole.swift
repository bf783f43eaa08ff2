import Domain
import Hummingbird

/// The role requirement of a route group, checked on the server before any handler of
/// the group runs. A visitor is sent to the login page (which returns here afterwards);
/// a logged-in account without one of the roles gets 403. With no roles, any
/// logged-in account passes.
///
/// ```swift
/// let hrAdvisers = router.group("/beheer/vacatures").add(middleware: RequireRole(.hrAdviser))
/// hrAdvisers.get(use: list)
/// ```
struct RequireRole: RouterMiddleware {
    typealias Context = AppRequestContext
    let roles: [Role]

    init(_ roles: Role...) {
        self.roles = roles
    }

    /// Any logged-in account.
    static let loggedIn = RequireRole()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let account = context.account else {
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            var components = URLComponentsLite(path: "/login")
            components.query = [("next", next)]
            throw HTTPError(.seeOther, headers: [.location: components.string])
        }
        guard roles.isEmpty || roles.contains(where: account.has) else { throw HTTPError(.forbidden) }
        return try await next(request, context)
    }
}
