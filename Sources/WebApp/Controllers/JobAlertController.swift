import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// What a job seeker keeps an eye on: saved postings (`/mijn/bewaard`, with a reminder
/// three days before one closes) and saved searches (`/mijn/vacaturealerts`), which
/// mail new matching postings daily or weekly. `/vacaturealerts/afmelden/:token` ends
/// an alert without logging in: a page with a button for people, and the one-click
/// POST of RFC 8058 for mail programs (exempt from the CSRF check: the token is the
/// secret, and it can only stop mail).
struct JobAlertController: RouteCollection {
    let store: Store
    let views: Views

    struct SavedPage: Sendable {
        struct Line: Sendable { let id: String; let title: String; let organisation: String; let closes: String?; let open: Bool; let status: String }
        let chrome: Chrome
        let lines: [Line]
        let hasLines: Bool
    }

    struct AlertsPage: Sendable {
        struct Line: Sendable { let id: String; let search: String; let href: String; let frequency: String; let since: String }
        let chrome: Chrome
        let lines: [Line]
        let hasLines: Bool
        let error: String?
    }

    struct UnsubscribePage: Sendable {
        let chrome: Chrome
        let token: String
        let search: String?
        let done: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group().add(middleware: RequireRole(.professional, .student, .jobSeeker))
            .post("/vacatures/:id/bewaren", use: save)
            .get("/mijn/bewaard", use: saved)
            .post("/mijn/bewaard/:id/verwijderen", use: unsave)
            .get("/mijn/vacaturealerts", use: alerts)
            .post("/mijn/vacaturealerts", use: createAlert)
            .post("/mijn/vacaturealerts/:id/verwijderen", use: deleteAlert)
        router.get("/vacaturealerts/afmelden/:token", use: unsubscribePage)
        router.post("/vacaturealerts/afmelden/:token", use: unsubscribe)
    }

    /// POST /vacatures/:id/bewaren: `bewaren` = `ja` saves, `nee` lets go.
    @Sendable func save(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        let keep = try context.requireForm()["bewaren"] != "nee"
        guard try await store.jobAlerts.setSaved(id, keep, by: account.id) || !keep else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/vacatures/\(id.lowercased)?gelukt=\(keep ? "bewaard" : "niet-bewaard")", type: .normal)
    }

    /// GET /mijn/bewaard
    @Sendable func saved(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let today = Day(Date())
        let lines = try await store.jobAlerts.saved(by: account.id)
        let notice = request.uri.queryParameters["gelukt"] == "verwijderd" ? "De vacature staat niet meer bij je bewaarde vacatures." : nil
        return try views.page(.savedPostings, SavedPage(
            chrome: Chrome(title: "Bewaarde vacatures", context: context, path: "/mijn/bewaard", notice: notice),
            lines: lines.map { line in
                let open = line.posting.isOpen(on: today)
                return .init(id: line.posting.id.lowercased, title: line.posting.details.title, organisation: line.posting.organisationName,
                             closes: line.posting.details.closingDate?.dutch, open: open, status: open ? "open" : "gesloten")
            },
            hasLines: !lines.isEmpty))
    }

    /// POST /mijn/bewaard/:id/verwijderen
    @Sendable func unsave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard try await store.jobAlerts.setSaved(try context.parameters.requireID(), false, by: account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/bewaard?gelukt=verwijderd", type: .normal)
    }

    /// GET /mijn/vacaturealerts
    @Sendable func alerts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = switch request.uri.queryParameters["gelukt"] {
        case "bewaard": "De zoekopdracht is bewaard. Nieuwe vacatures die erbij passen, krijg je per mail."
        case "verwijderd": "De vacaturealert is gestopt."
        default: String?.none
        }
        return try await alertsPage(context, notice: notice, error: nil, status: .ok)
    }

    /// POST /mijn/vacaturealerts: `zoekopdracht` (the /vacatures query string) and `frequentie`.
    @Sendable func createAlert(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard let frequency = JobAlertLine.Frequency(rawValue: form["frequentie"]) else {
            return try await alertsPage(context, notice: nil, error: "Kies hoe vaak je bericht wilt: dagelijks of wekelijks.", status: .unprocessableContent)
        }
        let search = FormData(form["zoekopdracht"])
        let filter = PostingFilter(dutch: Dictionary(uniqueKeysWithValues: PostingFilter.dutchNames.map { ($0, search[$0]) }))
        guard try await store.jobAlerts.alerts(of: account.id).count < 20 else {
            return try await alertsPage(context, notice: nil, error: "Je hebt al 20 vacaturealerts; stop er eerst een.", status: .unprocessableContent)
        }
        _ = try await store.jobAlerts.saveSearch(filter, frequency: frequency, by: account.id)
        return Response.redirect(to: "/mijn/vacaturealerts?gelukt=bewaard", type: .normal)
    }

    /// POST /mijn/vacaturealerts/:id/verwijderen
    @Sendable func deleteAlert(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard try await store.jobAlerts.delete(try context.parameters.requireID(), of: account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/vacaturealerts?gelukt=verwijderd", type: .normal)
    }

    /// GET /vacaturealerts/afmelden/:token: what the link stops, with one button.
    @Sendable func unsubscribePage(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        guard let filter = try await store.jobAlerts.alert(token: token) else {
            return try views.page(.unsubscribe, UnsubscribePage(
                chrome: Chrome(title: "Afmelden", context: context, path: "/vacatures"), token: token, search: nil, done: true), status: .notFound)
        }
        return try views.page(.unsubscribe, UnsubscribePage(
            chrome: Chrome(title: "Afmelden", context: context, path: "/vacatures"), token: token,
            search: JobAlertStore.describe(filter), done: false))
    }

    /// POST /vacaturealerts/afmelden/:token: ends the alert (also RFC 8058's one-click
    /// POST, `List-Unsubscribe=One-Click`, from a mail program).
    @Sendable func unsubscribe(_ request: Request, context: AppRequestContext) async throws -> Response {
        let token = context.parameters.get("token") ?? ""
        let ended = try await store.jobAlerts.unsubscribe(token: token)
        return try views.page(.unsubscribe, UnsubscribePage(
            chrome: Chrome(title: "Afgemeld", context: context, path: "/vacatures"), token: token, search: nil, done: true),
            status: ended ? .ok : .notFound)
    }

    private func alertsPage(_ context: AppRequestContext, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        let alerts = try await store.jobAlerts.alerts(of: account.id)
        return try views.page(.jobAlerts, AlertsPage(
            chrome: Chrome(title: "Vacaturealerts", context: context, path: "/mijn/vacaturealerts", notice: notice),
            lines: alerts.map { alert in
                .init(id: alert.id.lowercased, search: JobAlertStore.describe(alert.filter),
                      href: URLComponentsLite(path: "/vacatures", query: alert.filter.dutchQuery()).string,
                      frequency: alert.frequency.label, since: alert.createdAt.dutchDay)
            },
            hasLines: !alerts.isEmpty, error: error), status: status)
    }
}
