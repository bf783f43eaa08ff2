import Domain
import Foundation
import Hummingbird
import Logging
import Passwords
import Store

/// Logging in and out. The password is checked through the `PasswordGate` (throttled
/// per account and client address, Argon2id off the event loop). An account with
/// two-step verification then types a code (`/login/code`); an admin without it sets it
/// up first (`/login/tweestaps`). Until then the session belongs to nobody. Every step
/// replaces the session with a new one (no session fixation).
struct AuthController: RouteCollection {
    let store: Store
    let views: Views
    let secrets: SecretBox

    struct LoginPage: Sendable {
        let chrome: Chrome
        let fields: [Input]
        let next: String
        let failure: String?
    }

    struct LogoutPage: Sendable {
        let chrome: Chrome
    }

    struct SetupPage: Sendable {
        let chrome: Chrome
        let required: Bool
        let failure: String?
        let secret: String
        let groupedSecret: String
        let uri: String
        let action: String
        let next: String
        let fields: [Input]
    }

    struct CodesPage: Sendable {
        let chrome: Chrome
        let codes: [String]
        let next: String
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/login")
            .get(use: loginForm)
            .post(use: submitLogin)
            .get("code", use: codeForm)
            .post("code", use: submitCode)
            .get("tweestaps", use: requiredSetupForm)
            .post("tweestaps", use: submitRequiredSetup)
        router.group("/logout")
            .get(use: logoutForm)
            .post(use: logout)
    }

    // MARK: - The password

    /// GET /login
    @Sendable func loginForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let next = SafeRedirect.path(request.uri.queryParameters["next"].map(String.init) ?? "/mijn", fallback: "/mijn")
        if context.account != nil {
            return Response.redirect(to: next, type: .found)
        }
        return try await context.withVisitorSession(store, replacingPending: true) { context in
            try loginPage(context, email: "", next: next, errors: ValidationErrors(), failure: nil, status: .ok)
        }
    }

    /// POST /login
    @Sendable func submitLogin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        let email = EmailAddress.normalized(form["email"])
        let password = form["password"]
        let next = SafeRedirect.path(form["next"], fallback: "/mijn")

        var errors = ValidationErrors()
        if email.isEmpty { errors.add("email", "Vul je e-mailadres in.") }
        if password.isEmpty { errors.add("password", "Vul je wachtwoord in.") }
        if !errors.isEmpty {
            return try loginPage(context, email: email, next: next, errors: errors, failure: nil, status: .unprocessableContent)
        }
        let (outcome, accountID) = try await PasswordGate(store: store).login(email: email, password: password, client: context.clientAddress)
        switch outcome {
        case .throttled(let seconds):
            context.logger.notice("login throttled", metadata: ["retry.after": "\(seconds)"])
            let page = try loginPage(context, email: email, next: next, errors: ValidationErrors(), failure: PasswordGate.waitText(seconds), status: .tooManyRequests)
            return PasswordGate.throttledResponse(page, retryAfter: seconds)
        case .failed:
            return try loginPage(context, email: email, next: next, errors: ValidationErrors(),
                                 failure: "Het e-mailadres of het wachtwoord klopt niet.", status: .unauthorized)
        case .passed:
            break
        }
        guard let accountID, let account = try await store.accounts.find(id: accountID) else { throw HTTPError(.unauthorized) }
        let userAgent = request.headers[.userAgent]
        // Housekeeping, on whichever instance a login lands (each delete walks an index).
        try await store.sessions.deleteExpired()
        try await store.loginAttempts.deleteOld()
        let step: PendingLogin.Step? = account.twoStepEnabled ? .verify : account.needsTwoStep ? .enrol : nil
        let (token, _) = try await store.sessions.logIn(account.id, replacing: context.session?.token, pending: step, userAgent: userAgent)
        let target: String
        switch step {
        case .verify?: target = URLComponentsLite(path: "/login/code", query: [("next", next)]).string
        case .enrol?: target = URLComponentsLite(path: "/login/tweestaps", query: [("next", next)]).string
        case nil:
            context.logger.info("login", metadata: ["account.id": "\(account.id)"])
            target = next
        }
        var response = Response.redirect(to: target, type: .found)
        response.setCookie(context.sessionCookie(token: token))
        return response
    }

    // MARK: - The second step

    /// GET /login/code
    @Sendable func codeForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let pending = context.session?.pending, pending.step == .verify else { return Response.redirect(to: "/login", type: .found) }
        let next = SafeRedirect.path(request.uri.queryParameters["next"].map(String.init) ?? "/mijn", fallback: "/mijn")
        return try codePage(context, next: next, failure: nil, status: .ok)
    }

    /// POST /login/code
    @Sendable func submitCode(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        guard let session = context.session, let pending = session.pending, pending.step == .verify else {
            return Response.redirect(to: "/login", type: .normal)
        }
        let next = SafeRedirect.path(form["next"], fallback: "/mijn")
        switch try await PasswordGate(store: store).secondStep(pending.account, code: form["code"], secrets: secrets, client: context.clientAddress) {
        case .throttled(let seconds):
            return PasswordGate.throttledResponse(try codePage(context, next: next, failure: PasswordGate.waitText(seconds), status: .tooManyRequests), retryAfter: seconds)
        case .failed:
            return try codePage(context, next: next, failure: "Deze code klopt niet, of is al gebruikt. Wacht op de volgende code in de app.", status: .unauthorized)
        case .passed:
            return try await finish(pending.account, replacing: session.token, request: request, context: context, to: next)
        }
    }

    /// GET /login/tweestaps: an admin without two-step verification sets it up first.
    @Sendable func requiredSetupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let pending = context.session?.pending, pending.step == .enrol else { return Response.redirect(to: "/login", type: .found) }
        let next = SafeRedirect.path(request.uri.queryParameters["next"].map(String.init) ?? "/mijn", fallback: "/mijn")
        let totp = try await TwoStepSetup(store: store, secrets: secrets).proposedSecret(for: pending.account)
        return try views.page(.twoStepSetup, Self.setupPage(context, totp: totp, account: pending.account, required: true, action: "/login/tweestaps", next: next, failure: nil))
    }

    /// POST /login/tweestaps
    @Sendable func submitRequiredSetup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        guard let session = context.session, let pending = session.pending, pending.step == .enrol else {
            return Response.redirect(to: "/login", type: .normal)
        }
        let next = SafeRedirect.path(form["next"], fallback: "/mijn")
        let setup = TwoStepSetup(store: store, secrets: secrets)
        switch try await setup.confirm(pending.account, code: form["code"], client: context.clientAddress) {
        case .throttled(let seconds):
            let totp = try await setup.proposedSecret(for: pending.account)
            let page = try views.page(.twoStepSetup, Self.setupPage(context, totp: totp, account: pending.account, required: true, action: "/login/tweestaps",
                                                                     next: next, failure: PasswordGate.waitText(seconds)), status: .tooManyRequests)
            return PasswordGate.throttledResponse(page, retryAfter: seconds)
        case .failed:
            let totp = try await setup.proposedSecret(for: pending.account)
            return try views.page(.twoStepSetup, Self.setupPage(context, totp: totp, account: pending.account, required: true, action: "/login/tweestaps",
                                                                 next: next, failure: "Deze code klopt niet. Typ de code die de app nu laat zien."), status: .unprocessableContent)
        case .enabled(let codes):
            let (token, csrf) = try await store.sessions.logIn(pending.account.id, replacing: session.token, userAgent: request.headers[.userAgent])
            var context = context
            context.session = SessionRecord(token: token, csrfToken: csrf, account: pending.account, expiresAt: .now, needsTouch: false)
            var response = try views.page(.recoveryCodes, CodesPage(chrome: Chrome(title: "Herstelcodes", context: context, path: "/mijn/account"), codes: codes, next: next))
            response.setCookie(context.sessionCookie(token: token))
            return response
        }
    }

    // MARK: - Logging out

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
        response.setCookie(context.expiredSessionCookie())
        return response
    }

    // MARK: - Pages

    private func finish(_ account: Account, replacing token: String, request: Request, context: AppRequestContext, to next: String) async throws -> Response {
        let (newToken, _) = try await store.sessions.logIn(account.id, replacing: token, userAgent: request.headers[.userAgent])
        context.logger.info("login", metadata: ["account.id": "\(account.id)"])
        var response = Response.redirect(to: next, type: .normal)
        response.setCookie(context.sessionCookie(token: newToken))
        return response
    }

    private func loginPage(
        _ context: AppRequestContext, email: String, next: String, errors: ValidationErrors, failure: String?, status: HTTPResponse.Status
    ) throws -> Response {
        try views.page(.login, LoginPage(
            chrome: Chrome(title: "Inloggen", context: context, path: "/login"),
            fields: [
                Input("email", "E-mailadres", type: "email", autocomplete: "username", value: email, error: errors["email"]),
                Input("password", "Wachtwoord", type: "password", autocomplete: "current-password", error: errors["password"]),
            ],
            next: next, failure: failure
        ), status: status)
    }

    private func codePage(_ context: AppRequestContext, next: String, failure: String?, status: HTTPResponse.Status) throws -> Response {
        try views.page(.loginCode, LoginPage(
            chrome: Chrome(title: "Tweestapsverificatie", context: context, path: "/login"),
            fields: [Input("code", "Code", autocomplete: "one-time-code", inputmode: "numeric")],
            next: next, failure: failure
        ), status: status)
    }

    static func setupPage(
        _ context: AppRequestContext, totp: TOTP, account: Account, required: Bool, action: String, next: String, failure: String?
    ) -> SetupPage {
        let secret = totp.base32
        let grouped = stride(from: 0, to: secret.count, by: 4).map { offset in
            String(secret.dropFirst(offset).prefix(4))
        }.joined(separator: " ")
        return SetupPage(
            chrome: Chrome(title: "Tweestapsverificatie instellen", context: context, path: "/mijn/account"),
            required: required, failure: failure, secret: secret, groupedSecret: grouped,
            uri: totp.provisioningURI(account: account.email, issuer: "Doorstroom"), action: action, next: next,
            fields: [Input("code", "Code uit de app", autocomplete: "one-time-code", inputmode: "numeric")])
    }
}

/// Setting two-step verification up: a secret is proposed (kept sealed until the first
/// good code switches it on) and, once on, ten recovery codes are made.
struct TwoStepSetup: Sendable {
    let store: Store
    let secrets: SecretBox

    enum Outcome: Sendable {
        case enabled(recoveryCodes: [String])
        case failed
        case throttled(retryAfterSeconds: Int)
    }

    /// The secret being set up: the one proposed earlier (a reload shows the same), or a new one.
    func proposedSecret(for account: Account) async throws -> TOTP {
        let state = try await store.accounts.twoStep(of: account.id)
        if !state.enabled, let sealed = state.sealedSecret,
           let secret = try? secrets.open(Array(sealed), associatedData: PasswordGate.associatedData(account.id)) {
            return TOTP(secret: secret)
        }
        let totp = TOTP.random()
        try await store.accounts.proposeTwoStepSecret(Data(secrets.seal(totp.secret, associatedData: PasswordGate.associatedData(account.id))), for: account.id)
        return totp
    }

    /// Switches it on when `code` is the app's current code for the proposed secret.
    func confirm(_ account: Account, code: String, client: String) async throws -> Outcome {
        switch try await PasswordGate(store: store).secondStep(account, code: code, secrets: secrets, client: client) {
        case .throttled(let seconds): return .throttled(retryAfterSeconds: seconds)
        case .failed: return .failed
        case .passed:
            let state = try await store.accounts.twoStep(of: account.id)
            let codes = RecoveryCodes.generate()
            guard try await store.accounts.enableTwoStep(for: account.id, step: state.lastStep ?? 0, recoveryCodes: codes) else { return .failed }
            return .enabled(recoveryCodes: codes)
        }
    }
}
