import Domain
import Foundation
import Hummingbird
import Logging
import NIOPosix
import Passwords
import Store

/// `/mijn/gegevens`: a person's rights over their data (AVG). Download everything
/// Doorstroom holds about them as JSON; erase the account (with the password, and the
/// word typed out), which ends every session at once. Retention is explained here too.
struct DataRightsController: RouteCollection {
    let store: Store
    let views: Views

    static let confirmation = "VERWIJDER"

    struct Page: Sendable {
        let chrome: Chrome
        let email: String
        let password: Field
        let confirm: Field
        let confirmation: String
        let errorSummary: ErrorSummary
        let hasErrors: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/gegevens").add(middleware: RequireRole.loggedIn)
            .get(use: myData)
            .get("download", use: download)
            .post("verwijderen", use: erase)
    }

    // MARK: - Handlers

    /// GET /mijn/gegevens
    @Sendable func myData(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try page(context, account, password: Field(""), confirm: Field(""), status: .ok)
    }

    /// GET /mijn/gegevens/download
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let json = try await store.dataRights.export(account.id) else { throw HTTPError(.notFound) }
        context.logger.info("data exported", metadata: ["account.id": "\(account.id)"])
        return Response(
            status: .ok,
            headers: [
                .contentType: "application/json; charset=utf-8",
                .contentDisposition: "attachment; filename=\"doorstroom-mijn-gegevens-\(Day(Date()).iso).json\"",
                .cacheControl: "no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(string: json)))
    }

    /// POST /mijn/gegevens/verwijderen
    @Sendable func erase(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let password = form["password"], confirm = form["confirm"]
        var passwordError: String?, confirmError: String?
        if confirm.trimmingCharacters(in: .whitespaces) != Self.confirmation {
            confirmError = "Typ \(Self.confirmation) (in hoofdletters) om te bevestigen."
        }
        // The password check is throttled like a login's.
        switch try await PasswordGate(store: store).reconfirm(account, password: password, client: context.clientAddress) {
        case .throttled(let seconds):
            let response = try page(context, account, password: Field("", error: PasswordGate.waitText(seconds)), confirm: Field(confirm, error: confirmError),
                                    status: .tooManyRequests)
            return PasswordGate.throttledResponse(response, retryAfter: seconds)
        case .failed:
            passwordError = "Dit wachtwoord klopt niet."
        case .passed:
            break
        }
        if passwordError != nil || confirmError != nil {
            return try page(context, account, password: Field("", error: passwordError), confirm: Field(confirm, error: confirmError),
                        status: .unprocessableContent)
        }
        guard try await store.dataRights.erase(account.id) else { throw HTTPError(.notFound) }
        context.logger.info("account erased", metadata: ["account.id": "\(account.id)"])
        var response = Response.redirect(to: "/?gewist=1", type: .normal)
        response.setCookie(context.expiredSessionCookie())
        return response
    }

    private func page(_ context: AppRequestContext, _ account: Account, password: Field, confirm: Field, status: HTTPResponse.Status) throws -> Response {
        try views.page(.myData, Page(
            chrome: Chrome(title: "Mijn gegevens", context: context, path: "/mijn/gegevens"),
            email: account.email, password: password, confirm: confirm, confirmation: Self.confirmation,
            errorSummary: ErrorSummary(
                { var all = ValidationErrors(); if let e = password.error { all.add("password", e) }; if let e = confirm.error { all.add("confirm", e) }; return all }(),
                intro: "Je account is niet verwijderd. Dit moet nog anders:"),
            hasErrors: password.error != nil || confirm.error != nil), status: status)
    }
}
