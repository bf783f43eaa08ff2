import Domain
import Foundation
import Hummingbird
import Logging
import Passwords
import Store

/// Creating an account as a job seeker or student (`/registreren`), confirming the
/// address through the mailed link (`/bevestigen/{token}`), and asking for a new link.
/// The page after registering says the same whether the address was new or not; the
/// owner of a known address gets a mail instead.
struct SignUpController: RouteCollection {
    let store: Store
    let views: Views

    struct SignUpPage: Sendable {
        let chrome: Chrome
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let isJobSeeker: Bool
        let isStudent: Bool
        let kindError: String?
        let fields: [Input]
        let studentFields: [Input]
        let levels: [Option]
        let levelError: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/registreren")
            .get(use: form)
            .post(use: submit)
        router.group("/bevestigen")
            .get(":token", use: confirm)
        router.group("/bevestigen/opnieuw").add(middleware: RequireRole.loggedIn)
            .post(use: resend)
    }

    /// GET /registreren
    @Sendable func form(_ request: Request, context: AppRequestContext) async throws -> Response {
        if context.account != nil { return Response.redirect(to: "/mijn", type: .found) }
        let kind = request.uri.queryParameters["als"].map(String.init) == "student" ? "student" : "werkzoekende"
        return try await context.withVisitorSession(store) { context in
            try page(context, form: FormData("kind=\(kind)"), errors: ValidationErrors(), status: .ok)
        }
    }

    /// POST /registreren
    @Sendable func submit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        if context.account != nil { return Response.redirect(to: "/mijn", type: .normal) }
        do {
            let signUp = try SignUp.parse(
                kind: form["kind"], email: form["email"], displayName: form["displayName"], password: form["password"],
                school: form["school"], programme: form["programme"], level: form["level"], common: CommonPasswords.shipped)
            let hash = try await PasswordGate.hash(signUp.password)
            try await store.accounts.register(signUp, passwordHash: hash)
            context.logger.info("sign-up", metadata: ["role": "\(signUp.role.rawValue)"])
            return try views.page(.message, MessagePage(
                chrome: Chrome(title: "Kijk in je mail", context: context, path: "/registreren"),
                heading: "Kijk in je mail",
                paragraphs: [
                    "We hebben een mail gestuurd naar \(signUp.email). Klik op de link in die mail om je e-mailadres te bevestigen; de link werkt 24 uur. Daarna kun je solliciteren.",
                    "Je kunt nu al inloggen met je e-mailadres en wachtwoord. Geen mail gekregen? Kijk bij ongewenste mail, of vraag na het inloggen een nieuwe link.",
                ],
                isError: false, links: [.init(href: "/login", label: "Inloggen", isButton: true)]))
        } catch let errors as ValidationErrors {
            return try page(context, form: form, errors: errors, status: .unprocessableContent)
        }
    }

    /// GET /bevestigen/{token}
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.requireText("token")
        let check = try await store.accounts.confirmEmail(token: token)
        let chrome = Chrome(title: "E-mailadres bevestigen", context: context, path: "/bevestigen")
        switch check {
        case .valid:
            let next = context.account == nil ? MessagePage.Link(href: "/login?next=/vacatures", label: "Inloggen", isButton: true)
                : MessagePage.Link(href: "/vacatures", label: "Naar de vacatures", isButton: true)
            return try views.page(.message, MessagePage(
                chrome: chrome, heading: "Je e-mailadres is bevestigd",
                paragraphs: ["Dank je. Je kunt nu solliciteren op vacatures, stages, traineeships en meeloopdagen."],
                isError: false, links: [next]))
        case .expired:
            return try linkProblem(chrome, "Deze link is verlopen: hij werkte 24 uur. Log in en vraag een nieuwe link.", status: .gone)
        case .used:
            return try linkProblem(chrome, "Deze link is al gebruikt, of er is daarna een nieuwere gestuurd. Is je e-mailadres nog niet bevestigd? Log in en vraag een nieuwe link.", status: .gone)
        case .unknown:
            return try linkProblem(chrome, "Deze link klopt niet. Kopieer hem in zijn geheel uit de mail, of log in en vraag een nieuwe link.", status: .notFound)
        }
    }

    /// POST /bevestigen/opnieuw
    @Sendable func resend(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let sent = try await store.accounts.resendConfirmation(for: account.id)
        return try views.page(.message, MessagePage(
            chrome: Chrome(title: "E-mailadres bevestigen", context: context, path: "/mijn/account"),
            heading: sent ? "Nieuwe link gestuurd" : "Je e-mailadres is al bevestigd",
            paragraphs: sent ? ["We hebben een nieuwe link gestuurd naar \(account.email). Eerdere links werken niet meer."] : ["Je kunt solliciteren."],
            isError: false, links: [.init(href: "/mijn/account", label: "Terug naar je account", isButton: false)]))
    }

    private func linkProblem(_ chrome: Chrome, _ text: String, status: HTTPResponse.Status) throws -> Response {
        try views.page(.message, MessagePage(
            chrome: chrome, heading: "Deze link werkt niet", paragraphs: [text], isError: true,
            links: [.init(href: "/login", label: "Inloggen", isButton: false)]), status: status)
    }

    private func page(_ context: AppRequestContext, form: FormData, errors: ValidationErrors, status: HTTPResponse.Status) throws -> Response {
        let kind = form["kind"]
        return try views.page(.signUp, SignUpPage(
            chrome: Chrome(title: "Account aanmaken", context: context, path: "/registreren"),
            errorSummary: ErrorSummary(errors, intro: "Nog niet alles klopt:"), hasErrors: !errors.isEmpty, isJobSeeker: kind == "werkzoekende", isStudent: kind == "student", kindError: errors["kind"],
            fields: [
                Input("displayName", "Naam", autocomplete: "name", value: form["displayName"], error: errors["displayName"]),
                Input("email", "E-mailadres", type: "email", autocomplete: "email", value: form["email"], error: errors["email"],
                      hint: "Hier sturen we de link om je adres te bevestigen."),
                Input("password", "Wachtwoord", type: "password", autocomplete: "new-password", error: errors["password"],
                      hint: "Minstens 12 tekens, alle tekens mogen. Een zin van een paar woorden is sterk en goed te onthouden."),
            ],
            studentFields: [
                Input("school", "School", autocomplete: "organization", value: form["school"], error: errors["school"], required: false),
                Input("programme", "Opleiding", value: form["programme"], error: errors["programme"], required: false),
            ],
            levels: EducationLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form["level"] == $0.rawValue) },
            levelError: errors["level"]
        ), status: status)
    }
}
