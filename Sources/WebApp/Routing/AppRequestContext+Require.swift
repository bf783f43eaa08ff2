import Domain
import Store
import Foundation
import Hummingbird

extension AppRequestContext {
    /// The logged-in account of a route whose group requires one (`RequireRole`).
    /// Reached without one only through a routing mistake: then 403, never a page.
    func requireAccount() throws -> Account {
        guard let account else { throw HTTPError(.forbidden) }
        return account
    }

    /// The form of this POST (parsed by the CSRF middleware, which refused it otherwise).
    func requireForm() throws -> FormData {
        guard let form else { throw HTTPError(.forbidden) }
        return form
    }
}

extension Parameters {
    /// The route's id parameter as a UUID; anything else is a page that does not exist (404).
    func requireID(_ name: String = "id") throws -> UUID {
        guard let text = get(name), let id = UUID(uuidString: text) else { throw HTTPError(.notFound) }
        return id
    }

    /// A text parameter (a slug, a code); missing is 404.
    func requireText(_ name: String) throws -> String {
        guard let text = get(name), !text.isEmpty else { throw HTTPError(.notFound) }
        return text
    }
}

extension AppRequestContext {
    /// The organisation this POST acts for (its form's `organisation` field, a slug),
    /// when the logged-in account is an HR adviser there; any other is a 404.
    func requireAdvisedOrganisation(_ store: Store) async throws -> Organisation {
        let account = try requireAccount()
        guard let organisation = try await store.organisations.find(slug: try requireForm()["organisation"]),
              account.has(.hrAdviser, for: organisation.id) else { throw HTTPError(.notFound) }
        return organisation
    }
}
