import Domain
import Foundation
import Hummingbird
import Logging
import Passwords
import Store

/// Getting back in: `/wachtwoord-vergeten` mails a link (the same answer for every
/// address), `/wachtwoord-herstellen/{token}` sets a new password and ends every
/// session of the account. An invited employee chooses a first password the same way
/// at `/uitnodiging/{token}`.
struct PasswordResetController: RouteCollection {
    let store: Store
    let views: Views

    struct ForgotPage: Sendable {
        let chrome: Chrome
        let fields: [Input]
        let failure: String?
    }

    struct ChoosePage: Sendable {
        let chrome: Chrome
        let heading: String
        let intro: String
        let action: String
        let email: String
        let button: String
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let fields: [Input]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/wachtwoord-vergeten")
            .get(use: forgotForm)
            .post(use: submitForgot)
        router.group("/wachtwoord-herstellen")
            .get(":token", use: resetForm)
            .post(":token", use: submitReset)
        router.group("/uitnodiging")
            .get(":token", use: invitationForm)
            .post(":token", use: submitInvitation)
    }

    /// GET /wachtwoord-vergeten
    @Sendable func forgotForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await context.withVisitorSession(store) { context in
            try forgotPage(context, email: context.account?.email ?? "", error: nil, status: .ok)
        }
    }

    /// POST /wachtwoord-vergeten
    @Sendable func submitForgot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        let email = EmailAddress.normalized(form["email"])
        guard EmailAddress.isValid(email) else {
            return try forgotPage(context, email: email, error: email.isEmpty ? "Vul je e-mailadres in." : "Dit is geen geldig e-mailadres.", status: .unprocessableContent)
        }
        // Asking for links is throttled like passwords (it mails somebody).
        switch try await store.loginAttempts.admit(email: "reset:" + email, client: context.clientAddress) {
        case .throttled(let seconds):
            let page = try forgotPage(context, email: email, error: nil, failure: PasswordGate.waitText(seconds), status: .tooManyRequests)
            return PasswordGate.throttledResponse(page, retryAfter: seconds)
        case .allowed:
            try await store.accounts.requestPasswordReset(email: email)
        }
        return try views.page(.message, MessagePage(
            chrome: Chrome(title: "Kijk in je mail", context: context, path: "/wachtwoord-vergeten"),
            heading: "Kijk in je mail",
            paragraphs: [
                "Als er een account is met het adres \(email), krijgt dat adres nu een mail met een link om een nieuw wachtwoord te kiezen. De link werkt een uur.",
                "Geen mail gekregen? Kijk bij ongewenste mail, of controleer of je het adres goed hebt getypt.",
            ],
            isError: false, links: [.init(href: "/login", label: "Terug naar inloggen", isButton: false)]))
    }

    /// GET /wachtwoord-herstellen/{token}
    @Sendable func resetForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await chooseForm(context, purpose: .resetPassword)
    }

    /// POST /wachtwoord-herstellen/{token}
    @Sendable func submitReset(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await choose(context, purpose: .resetPassword)
    }

    /// GET /uitnodiging/{token}
    @Sendable func invitationForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await chooseForm(context, purpose: .invitation)
    }

    /// POST /uitnodiging/{token}
    @Sendable func submitInvitation(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await choose(context, purpose: .invitation)
    }

    // MARK: - Choosing the password

    private func chooseForm(_ context: AppRequestContext, purpose: AccountLinkPurpose) async throws -> Response {
        let token = try context.parameters.requireText("token")
        let check = try await store.accounts.checkLink(token, purpose)
        return try await context.withVisitorSession(store) { context in
            guard case .valid(_, let email, let name) = check else { return try linkProblem(context, check, purpose: purpose) }
            return try choosePage(context, purpose: purpose, token: token, email: email, name: name, errors: ValidationErrors(), status: .ok)
        }
    }

    private func choose(_ context: AppRequestContext, purpose: AccountLinkPurpose) async throws -> Response {
        let token = try context.parameters.requireText("token")
        let form = try context.requireForm()
        guard case .valid(_, let email, let name) = try await store.accounts.checkLink(token, purpose) else {
            return try linkProblem(context, try await store.accounts.checkLink(token, purpose), purpose: purpose)
        }
        let password = form["password"]
        var errors = ValidationErrors()
        if let problem = PasswordPolicy.problem(with: password, email: email, common: CommonPasswords.shipped) {
            errors.add("password", problem)
        } else if password != form["confirm"] {
            errors.add("confirm", "De twee wachtwoorden zijn niet gelijk.")
        }
        if !errors.isEmpty {
            return try choosePage(context, purpose: purpose, token: token, email: email, name: name, errors: errors, status: .unprocessableContent)
        }
        let hash = try await PasswordGate.hash(password)
        let outcome = try await store.accounts.setPassword(through: token, purpose, passwordHash: hash)
        guard case .valid = outcome else { return try linkProblem(context, outcome, purpose: purpose) }
        context.logger.info(purpose == .invitation ? "invitation accepted" : "password reset")
        var response = try views.page(.message, MessagePage(
            chrome: Chrome(title: "Wachtwoord ingesteld", context: context, path: "/login"),
            heading: purpose == .invitation ? "Welkom bij Doorstroom" : "Je wachtwoord is gewijzigd",
            paragraphs: [purpose == .invitation
                ? "Je account is klaar. Log in met \(email) en je nieuwe wachtwoord."
                : "Log in met je nieuwe wachtwoord. Op alle apparaten waar je was ingelogd, ben je nu uitgelogd."],
            isError: false, links: [.init(href: "/login", label: "Inloggen", isButton: true)]))
        // The person was logged out everywhere, this browser included.
        if context.account != nil { response.setCookie(context.expiredSessionCookie()) }
        return response
    }

    private func linkProblem(_ context: AppRequestContext, _ check: AccountLinkCheck, purpose: AccountLinkPurpose) throws -> Response {
        let again = purpose == .invitation
            ? "Vraag je HR-adviseur om een nieuwe uitnodiging, of vraag hieronder een link om een wachtwoord te kiezen."
            : "Vraag hieronder een nieuwe link."
        let (text, status): (String, HTTPResponse.Status)
        switch check {
        case .expired: (text, status) = ("Deze link is verlopen. " + again, .gone)
        case .used: (text, status) = ("Deze link is al gebruikt, of er is daarna een nieuwere gestuurd. " + again, .gone)
        case .unknown, .valid: (text, status) = ("Deze link klopt niet. Kopieer hem in zijn geheel uit de mail. " + again, .notFound)
        }
        return try views.page(.message, MessagePage(
            chrome: Chrome(title: "Deze link werkt niet", context: context, path: "/wachtwoord-vergeten"),
            heading: "Deze link werkt niet", paragraphs: [text], isError: true,
            links: [.init(href: "/wachtwoord-vergeten", label: "Nieuwe link aanvragen", isButton: true)]), status: status)
    }

    private func forgotPage(_ context: AppRequestContext, email: String, error: String?, failure: String? = nil, status: HTTPResponse.Status) throws -> Response {
        try views.page(.forgotPassword, ForgotPage(
            chrome: Chrome(title: "Wachtwoord vergeten", context: context, path: "/wachtwoord-vergeten"),
            fields: [Input("email", "E-mailadres", type: "email", autocomplete: "username", value: email, error: error)],
            failure: failure
        ), status: status)
    }

    private func choosePage(
        _ context: AppRequestContext, purpose: AccountLinkPurpose, token: String, email: String, name: String,
        errors: ValidationErrors, status: HTTPResponse.Status
    ) throws -> Response {
        let invitation = purpose == .invitation
        return try views.page(.choosePassword, ChoosePage(
            chrome: Chrome(title: invitation ? "Kies je wachtwoord" : "Nieuw wachtwoord", context: context, path: "/wachtwoord-vergeten"),
            heading: invitation ? "Welkom, \(name)" : "Kies een nieuw wachtwoord",
            intro: invitation ? "Kies een wachtwoord voor je account \(email). Daarna log je in." : "Voor je account \(email).",
            action: purpose.path(token: token), email: email, button: invitation ? "Account activeren" : "Wachtwoord opslaan",
            errorSummary: ErrorSummary(errors, intro: "Nog niet alles klopt:"), hasErrors: !errors.isEmpty,
            fields: [
                Input("password", "Nieuw wachtwoord", type: "password", autocomplete: "new-password", error: errors["password"],
                      hint: "Minstens 12 tekens, alle tekens mogen. Een zin van een paar woorden is sterk en goed te onthouden."),
                Input("confirm", "Nog een keer", type: "password", autocomplete: "new-password", error: errors["confirm"]),
            ]
        ), status: status)
    }
}
