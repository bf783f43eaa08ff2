import Domain
import Foundation
import Hummingbird
import Logging
import Passwords
import Store

/// `/mijn/account`: the password (changed with the current one), two-step verification
/// (set up, recovery codes renewed, switched off), and the sessions (where the account
/// is logged in, and logging out everywhere else).
struct AccountSettingsController: RouteCollection {
    let store: Store
    let views: Views
    let secrets: SecretBox

    struct SettingsPage: Sendable {
        struct SessionItem: Sendable {
            let device: String
            let started: String
            let lastSeen: String
            let isCurrent: Bool
        }

        let chrome: Chrome
        let done: String?
        let email: String
        let unconfirmed: Bool
        let passwordFailure: String?
        let passwordFields: [Input]
        let twoStepOn: Bool
        let mustKeepTwoStep: Bool
        let recoveryCodesLeft: Int
        let renewFields: [Input]
        let offFields: [Input]
        let sessions: [SessionItem]
        let hasOthers: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/account").add(middleware: RequireRole.loggedIn)
            .get(use: show)
            .post("wachtwoord", use: changePassword)
            .post("sessies/uitloggen", use: logOutOthers)
            .get("tweestaps", use: setupForm)
            .post("tweestaps", use: submitSetup)
            .post("tweestaps/uit", use: switchOff)
            .post("herstelcodes", use: renewCodes)
    }

    /// GET /mijn/account
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let done: String? = switch request.uri.queryParameters["gelukt"] {
        case "wachtwoord": "Je wachtwoord is gewijzigd. Op je andere apparaten ben je uitgelogd."
        case "uitgelogd": "Je bent uitgelogd op alle andere apparaten."
        case "tweestaps-uit": "Tweestapsverificatie staat uit."
        default: nil
        }
        return try await page(context, done: done, status: .ok)
    }

    /// POST /mijn/account/wachtwoord
    @Sendable func changePassword(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let session = context.session!
        var errors = ValidationErrors()
        let new = form["new"]
        if let problem = PasswordPolicy.problem(with: new, email: account.email, common: CommonPasswords.shipped) {
            errors.add("new", problem)
        } else if new != form["confirm"] {
            errors.add("confirm", "De twee nieuwe wachtwoorden zijn niet gelijk.")
        }
        switch try await PasswordGate(store: store).reconfirm(account, password: form["current"], client: context.clientAddress) {
        case .throttled(let seconds):
            let page = try await page(context, errors: errors, failure: PasswordGate.waitText(seconds), status: .tooManyRequests)
            return PasswordGate.throttledResponse(page, retryAfter: seconds)
        case .failed:
            errors.add("current", "Dit is niet je huidige wachtwoord.")
        case .passed:
            break
        }
        guard errors.isEmpty else { return try await page(context, errors: errors, status: .unprocessableContent) }
        let hash = try await PasswordGate.hash(new)
        try await store.accounts.changePassword(account.id, to: hash, keeping: session.token)
        return Response.redirect(to: "/mijn/account?gelukt=wachtwoord", type: .normal)
    }

    /// POST /mijn/account/sessies/uitloggen
    @Sendable func logOutOthers(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await store.sessions.endOthers(of: account.id, keeping: context.session!.token)
        return Response.redirect(to: "/mijn/account?gelukt=uitgelogd", type: .normal)
    }

    /// GET /mijn/account/tweestaps
    @Sendable func setupForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        if account.twoStepEnabled { return Response.redirect(to: "/mijn/account", type: .found) }
        let totp = try await TwoStepSetup(store: store, secrets: secrets).proposedSecret(for: account)
        return try views.page(.twoStepSetup, AuthController.setupPage(
            context, totp: totp, account: account, required: false, action: "/mijn/account/tweestaps", next: "/mijn/account", failure: nil))
    }

    /// POST /mijn/account/tweestaps
    @Sendable func submitSetup(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        if account.twoStepEnabled { return Response.redirect(to: "/mijn/account", type: .normal) }
        let setup = TwoStepSetup(store: store, secrets: secrets)
        let failure: String, status: HTTPResponse.Status
        switch try await setup.confirm(account, code: form["code"], client: context.clientAddress) {
        case .enabled(let codes):
            return try views.page(.recoveryCodes, AuthController.CodesPage(
                chrome: Chrome(title: "Herstelcodes", context: context, path: "/mijn/account"), codes: codes, next: "/mijn/account"))
        case .throttled(let seconds):
            (failure, status) = (PasswordGate.waitText(seconds), .tooManyRequests)
        case .failed:
            (failure, status) = ("Deze code klopt niet. Typ de code die de app nu laat zien.", .unprocessableContent)
        }
        let totp = try await setup.proposedSecret(for: account)
        return try views.page(.twoStepSetup, AuthController.setupPage(
            context, totp: totp, account: account, required: false, action: "/mijn/account/tweestaps", next: "/mijn/account", failure: failure), status: status)
    }

    /// POST /mijn/account/tweestaps/uit (with the password; never for admins)
    @Sendable func switchOff(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard !account.needsTwoStep else { throw HTTPError(.forbidden) }
        switch try await PasswordGate(store: store).reconfirm(account, password: form["password"], client: context.clientAddress) {
        case .throttled(let seconds):
            return PasswordGate.throttledResponse(try await page(context, failure: PasswordGate.waitText(seconds), status: .tooManyRequests), retryAfter: seconds)
        case .failed:
            var errors = ValidationErrors()
            errors.add("password", "Dit wachtwoord klopt niet.")
            return try await page(context, errors: errors, status: .unprocessableContent)
        case .passed:
            try await store.accounts.disableTwoStep(for: account.id)
            return Response.redirect(to: "/mijn/account?gelukt=tweestaps-uit", type: .normal)
        }
    }

    /// POST /mijn/account/herstelcodes (with the password): ten new codes, the old ones void.
    @Sendable func renewCodes(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard account.twoStepEnabled else { return Response.redirect(to: "/mijn/account", type: .normal) }
        switch try await PasswordGate(store: store).reconfirm(account, password: form["renewPassword"], client: context.clientAddress) {
        case .throttled(let seconds):
            return PasswordGate.throttledResponse(try await page(context, failure: PasswordGate.waitText(seconds), status: .tooManyRequests), retryAfter: seconds)
        case .failed:
            var errors = ValidationErrors()
            errors.add("renewPassword", "Dit wachtwoord klopt niet.")
            return try await page(context, errors: errors, status: .unprocessableContent)
        case .passed:
            let codes = RecoveryCodes.generate()
            try await store.accounts.renewRecoveryCodes(codes, for: account.id)
            return try views.page(.recoveryCodes, AuthController.CodesPage(
                chrome: Chrome(title: "Herstelcodes", context: context, path: "/mijn/account"), codes: codes, next: "/mijn/account"))
        }
    }

    private func page(
        _ context: AppRequestContext, done: String? = nil, errors: ValidationErrors = ValidationErrors(), failure: String? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        let account = try context.requireAccount()
        let session = context.session!
        let twoStep = try await store.accounts.twoStep(of: account.id)
        let sessions = try await store.sessions.sessions(of: account.id, current: session.token)
        return try views.page(.accountSettings, SettingsPage(
            chrome: Chrome(title: "Inloggen en beveiliging", context: context, path: "/mijn/account"),
            done: done, email: account.email, unconfirmed: !account.emailConfirmed, passwordFailure: failure,
            passwordFields: [
                Input("current", "Huidig wachtwoord", type: "password", autocomplete: "current-password", error: errors["current"]),
                Input("new", "Nieuw wachtwoord", type: "password", autocomplete: "new-password", error: errors["new"],
                      hint: "Minstens 12 tekens, alle tekens mogen. Een zin van een paar woorden is sterk en goed te onthouden."),
                Input("confirm", "Nieuw wachtwoord, nog een keer", type: "password", autocomplete: "new-password", error: errors["confirm"]),
            ],
            twoStepOn: twoStep.enabled, mustKeepTwoStep: account.needsTwoStep, recoveryCodesLeft: twoStep.recoveryCodesLeft,
            renewFields: [Input("renewPassword", "Je wachtwoord", type: "password", autocomplete: "current-password", error: errors["renewPassword"])],
            offFields: [Input("password", "Je wachtwoord", type: "password", autocomplete: "current-password", error: errors["password"])],
            sessions: sessions.map {
                SettingsPage.SessionItem(device: DeviceName.describe($0.device), started: $0.startedAt.dutchMoment,
                                         lastSeen: $0.lastSeenAt.dutchMoment, isCurrent: $0.isCurrent)
            },
            hasOthers: sessions.contains { !$0.isCurrent }
        ), status: status)
    }
}

/// A session's device in words, from its browser's User-Agent.
enum DeviceName {
    static func describe(_ userAgent: String) -> String {
        guard !userAgent.isEmpty else { return "Onbekend apparaat" }
        let browser: String
        if userAgent.contains("Edg/") { browser = "Edge" }
        else if userAgent.contains("Firefox/") { browser = "Firefox" }
        else if userAgent.contains("Chrome/") || userAgent.contains("Chromium/") { browser = "Chrome" }
        else if userAgent.contains("Safari/") { browser = "Safari" }
        else { browser = String(userAgent.prefix(40)) }
        let system: String?
        if userAgent.contains("iPhone") { system = "iPhone" }
        else if userAgent.contains("iPad") { system = "iPad" }
        else if userAgent.contains("Android") { system = "Android" }
        else if userAgent.contains("Windows") { system = "Windows" }
        else if userAgent.contains("Mac OS") { system = "Mac" }
        else if userAgent.contains("Linux") { system = "Linux" }
        else { system = nil }
        return system.map { "\(browser) op \($0)" } ?? browser
    }
}
