import HTTPTypes
import Hummingbird
import Store

/// Reads the session cookie and puts the live session (and its account) in the context.
/// An unknown or expired token is simply no session.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let cookieName = "doorstroom_session"

    let sessions: SessionStore
    let alwaysSecure: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.isSecure = alwaysSecure || request.uri.scheme == .https || request.headers[.xForwardedProto] == "https"
        if let token = request.cookies[Self.cookieName]?.value, !token.isEmpty {
            if let session = try await sessions.find(token: token) {
                context.session = session
                if session.needsTouch {
                    try await sessions.touch(token: token, loggedIn: session.account != nil)
                }
            }
        }
        return try await next(request, context)
    }

    /// The cookie that carries a session token: HttpOnly, SameSite=Lax, Secure over https.
    static func cookie(token: String, secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }

    /// A cookie that removes the session cookie.
    static func expiredCookie(secure: Bool) -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xCSRFToken = Self("X-CSRF-Token")!
}
