import Domain
import Foundation
import Hummingbird
import Logging
import NIOPosix
import Passwords
import Store

/// Logging in and out. Passwords are checked against Argon2id hashes on a thread pool;
/// attempts are throttled per email in the database; a successful login replaces the
/// visitor's session with a new one (no session fixation).
struct AuthController: RouteCollection {
    let store: Store
    let views: Views

    struct LoginPage: Sendable {
        let chrome: Chrome
        let email: Field
        let password: Field
        let next: String
        let failure: String?
    }

    struct LogoutPage: Sendable {
        let chrome: Chrome
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/login")
            .get(use: loginForm)
            .post(use: submitLogin)
        router.group("/logout")
            .get(use: logoutForm)
            .post(use: logout)
    }

    // MARK: - Handlers

    /// GET /login
    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await showLogin(request, context)
    }

    /// POST /login
    @Sendable func submitLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await login(request, context)
    }

    /// GET /logout
    @Sendable func logoutForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard context.account != nil else { return Response.redirect(to: "/", type: .normal) }
        return try views.page(.logout, LogoutPage(chrome: Chrome(title: "Uitloggen", context: context, path: request.uri.path)))
    }

    /// POST /logout
    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let session = context.session {
            try await store.sessions.delete(token: session.token)
        }
        var response = Response.redirect(to: "/", type: .found)
        response.setCookie(SessionMiddleware.expiredCookie(secure: context.isSecure))
        return response
    }

    /// Shows the login form; a visitor without a session gets one, for the CSRF token.
    private func showLogin(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let next = SafeRedirect.path(request.uri.queryParameters["next"].map(String.init) ?? "/mijn", fallback: "/mijn")
        if context.account != nil {
            return Response.redirect(to: next, type: .found)
        }
        var context = context
        var newToken: String?
        if context.session == nil {
            let (token, csrf) = try await store.sessions.create(accountID: nil)
            newToken = token
            context.session = SessionRecord(token: token, csrfToken: csrf, account: nil, expiresAt: .now, needsTouch: false)
        }
        var response = try views.page(.login, LoginPage(
            chrome: Chrome(title: "Inloggen", context: context, path: "/login"),
            email: Field(), password: Field(), next: next, failure: nil
        ))
        if let newToken { response.setCookie(SessionMiddleware.cookie(token: newToken, secure: context.isSecure)) }
        return response
    }

    private func login(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        let email = EmailAddress.normalized(form["email"])
        let password = form["password"]
        let next = SafeRedirect.path(form["next"], fallback: "/mijn")

        var errors = ValidationErrors()
        if email.isEmpty { errors.add("email", "Vul uw e-mailadres in.") }
        if password.isEmpty { errors.add("password", "Vul uw wachtwoord in.") }
        if !errors.isEmpty {
            return try relogin(context, email: email, next: next, errors: errors, failure: nil, status: .unprocessableContent)
        }

        let attempt: Int
        switch try await store.loginAttempts.admit(email: email) {
        case .throttled(let seconds):
            context.logger.notice("login throttled", metadata: ["retry.after": "\(seconds)"])
            var response = try relogin(
                context, email: email, next: next, errors: ValidationErrors(),
                failure: "Te veel mislukte pogingen voor dit e-mailadres. Probeer het over \(max(1, (seconds + 59) / 60)) minuten opnieuw.",
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = String(seconds)
            return response
        case .allowed(let id):
            attempt = id
        }

        let credentials = try await store.accounts.credentials(email: email)
        // Unknown accounts, and accounts without a password, are checked against a decoy
        // hash so that the answer takes as long as for a real one.
        let hash = credentials?.passwordHash ?? PasswordHasher.decoy
        let matches = try await NIOThreadPool.singleton.runIfActive {
            PasswordHasher.verify(password, against: hash)
        }
        guard let credentials, credentials.passwordHash != nil, matches, !credentials.disabled else {
            return try relogin(
                context, email: email, next: next, errors: ValidationErrors(),
                failure: "Het e-mailadres of het wachtwoord klopt niet.", status: .unauthorized
            )
        }
        try await store.loginAttempts.succeeded(attempt: attempt)
        let (token, _) = try await store.sessions.logIn(credentials.id, replacing: context.session?.token)
        // Housekeeping, on whichever instance a login lands: expired sessions and old
        // login attempts go (both deletes walk an index).
        try await store.sessions.deleteExpired()
        try await store.loginAttempts.deleteOld()
        context.logger.info("login", metadata: ["account.id": "\(credentials.id)"])
        var response = Response.redirect(to: next, type: .found)
        response.setCookie(SessionMiddleware.cookie(token: token, secure: context.isSecure))
        return response
    }

    private func relogin(
        _ context: AppRequestContext, email: String, next: String, errors: ValidationErrors,
        failure: String?, status: HTTPResponse.Status
    ) throws -> Response {
        try views.page(.login, LoginPage(
            chrome: Chrome(title: "Inloggen", context: context, path: "/login"),
            email: Field(email, error: errors["email"]),
            password: Field("", error: errors["password"]),
            next: next, failure: failure
        ), status: status)
    }
}
