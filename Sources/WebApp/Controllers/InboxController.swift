import Domain
import Foundation
import Hummingbird
import Store

/// `/mijn/berichten`: the account's inbox. What concerns the person (an application's
/// new state, a shift proposed, a place from a waiting list) is stored here, newest
/// first; opening one marks it read and goes where it leads. `/meldingen`, where it
/// lived first, sends there for good (links people kept).
struct InboxController: RouteCollection {
    static let path = "/mijn/berichten"

    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Item: Sendable {
            let id: String
            let kind: String
            let subject: String
            let body: String
            let hasLink: Bool
            let when: String
            let unread: Bool
        }
        let chrome: Chrome
        let items: [Item]
        let hasItems: Bool
        let unread: Int
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group(RouterPath(Self.path)).add(middleware: RequireRole.loggedIn)
            .get(use: inbox)
            .post("gelezen", use: markAllRead)
            .post(":id/openen", use: open)
        router.get("/meldingen", use: oldAddress)
    }

    // MARK: - Handlers

    /// GET /mijn/berichten
    @Sendable func inbox(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let items = try await store.notifications.inbox(of: account.id)
        let unread = items.filter { $0.readAt == nil }.count
        return try views.page(.inbox, Page(
            chrome: Chrome(title: unread == 0 ? "Meldingen" : "Meldingen (\(unread) nieuw)", context: context, path: Self.path),
            items: items.map {
                .init(id: $0.id.uuidString.lowercased(), kind: $0.kind.label, subject: $0.subject, body: $0.body,
                      hasLink: $0.link != nil, when: $0.createdAt.dutchDay, unread: $0.readAt == nil)
            },
            hasItems: !items.isEmpty, unread: unread))
    }

    /// POST /mijn/berichten/gelezen
    @Sendable func markAllRead(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await store.notifications.markAllRead(of: account.id)
        return Response.redirect(to: Self.path, type: .normal)
    }

    /// POST /mijn/berichten/:id/openen
    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let opened = try await store.notifications.open(id, of: account.id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: SafeRedirect.path(opened.link ?? Self.path, fallback: Self.path), type: .normal)
    }

    /// GET /meldingen
    @Sendable func oldAddress(_ request: Request, context: AppRequestContext) async throws -> Response {
        Response.redirect(to: Self.path, type: .permanent)
    }
}
