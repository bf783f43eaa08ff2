import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Reads the session cookie and puts the live session (and its account) in the context,
/// with the client's address and whether the request came over https. An unknown or
/// expired token is simply no session.
struct SessionMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    /// The cookie's name over plain http (development, tests).
    static let plainCookieName = "doorstroom_session"
    /// The cookie's name behind https (`--secure-cookies`): the `__Host-` prefix makes
    /// browsers refuse it unless it is Secure, for this host only, on path /.
    static let hostCookieName = "__Host-doorstroom_session"

    let sessions: SessionStore
    /// `--secure-cookies`: the service runs behind https.
    let alwaysSecure: Bool
    /// `--behind-proxy`: the client's address is the last one in X-Forwarded-For, and the
    /// scheme is X-Forwarded-Proto, when the request comes from one of `trustedProxies`.
    let trustForwardedFor: Bool
    /// The proxies' addresses (an in-process test client has none: "").
    let trustedProxies: Set<String>

    var cookieName: String { alwaysSecure ? Self.hostCookieName : Self.plainCookieName }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        // Forwarded headers count only from our own proxy: anyone can send them.
        let trusted = trustForwardedFor && trustedProxies.contains(context.remoteAddress?.ipAddress ?? "")
        context.isSecure = alwaysSecure || request.uri.scheme == .https || (trusted && request.headers[.xForwardedProto] == "https")
        context.cookieName = cookieName
        context.clientAddress = Self.clientAddress(request, context, trustForwardedFor: trusted)
        if let token = request.cookies[cookieName]?.value, !token.isEmpty {
            if let session = try await sessions.find(token: token) {
                context.session = session
                if session.needsTouch {
                    try await sessions.touch(token: token, loggedIn: session.account != nil)
                }
            }
        }
        var response = try await next(request, context)
        if alwaysSecure {
            // Behind https: browsers keep to https for a year.
            response.headers[.strictTransportSecurity] = "max-age=31536000; includeSubDomains"
        }
        return response
    }

    /// The client's address: the socket's peer, or (from a proxy we trust) the last
    /// address in X-Forwarded-For, the one our proxy saw.
    static func clientAddress(_ request: Request, _ context: Context, trustForwardedFor: Bool) -> String {
        if trustForwardedFor, let forwarded = request.headers[values: .xForwardedFor].last {
            let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            if !last.isEmpty, last.count <= 64 { return last }
        }
        return context.remoteAddress?.ipAddress ?? ""
    }
}

extension AppRequestContext {
    /// Renders a page whose form needs a CSRF token: a visitor without a session (or
    /// with a login still pending, when `replacingPending`) gets a fresh visitor's
    /// session first, and its cookie with the page.
    func withVisitorSession(
        _ store: Store, replacingPending: Bool = false, _ render: (AppRequestContext) async throws -> Response
    ) async throws -> Response {
        guard session == nil || (replacingPending && session?.pending != nil) else { return try await render(self) }
        let (token, csrf) = try await store.sessions.create(accountID: nil)
        var context = self
        context.session = SessionRecord(token: token, csrfToken: csrf, account: nil, expiresAt: .now, needsTouch: false)
        var response = try await render(context)
        response.setCookie(context.sessionCookie(token: token))
        return response
    }

    /// The cookie that carries a session token: HttpOnly, SameSite=Lax, Secure over https.
    func sessionCookie(token: String) -> Cookie {
        Cookie(name: cookieName, value: token, path: "/", secure: isSecure, httpOnly: true, sameSite: .lax)
    }

    /// A cookie that removes the session cookie.
    func expiredSessionCookie() -> Cookie {
        Cookie(name: cookieName, value: "", maxAge: 0, path: "/", secure: isSecure, httpOnly: true, sameSite: .lax)
    }
}

extension HTTPField.Name {
    static let xForwardedProto = Self("X-Forwarded-Proto")!
    static let xForwardedFor = Self("X-Forwarded-For")!
    static let xCSRFToken = Self("X-CSRF-Token")!
    static let strictTransportSecurity = Self("Strict-Transport-Security")!
}
