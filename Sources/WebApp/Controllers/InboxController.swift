import Domain
import Foundation
import Hummingbird
import Store

/// `/meldingen`: the account's inbox. What concerns the person (an application's new
/// state, a shift proposed, a place from a waiting list) is stored here, newest first;
/// opening one marks it read and goes where it leads.
struct InboxController {
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
        router.get("/meldingen") { request, context -> Response in
            let account = try Guard.account(request, context)
            let items = try await store.notifications.inbox(of: account.id)
            let unread = items.filter { $0.readAt == nil }.count
            return views.page("inbox", Page(
                chrome: Chrome(title: unread == 0 ? "Meldingen" : "Meldingen (\(unread) nieuw)", context: context, path: "/meldingen"),
                items: items.map {
                    .init(id: $0.id.uuidString.lowercased(), kind: $0.kind.label, subject: $0.subject, body: $0.body,
                          hasLink: $0.link != nil, when: $0.createdAt.dutchDay, unread: $0.readAt == nil)
                },
                hasItems: !items.isEmpty, unread: unread))
        }
        router.post("/meldingen/gelezen") { request, context -> Response in
            let account = try Guard.account(request, context)
            try await store.notifications.markAllRead(of: account.id)
            return Response.redirect(to: "/meldingen", type: .normal)
        }
        router.post("/meldingen/:id/openen") { request, context -> Response in
            let account = try Guard.account(request, context)
            guard let id = UUID(uuidString: context.parameters.get("id") ?? ""),
                  let opened = try await store.notifications.open(id, of: account.id)
            else { throw HTTPError(.notFound) }
            return Response.redirect(to: SafeRedirect.path(opened.link ?? "/meldingen", fallback: "/meldingen"), type: .normal)
        }
    }
}
