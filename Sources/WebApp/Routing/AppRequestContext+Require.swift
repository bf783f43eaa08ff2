import Domain
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
