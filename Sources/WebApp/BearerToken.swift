import Domain
import Foundation
import Hummingbird
import Store

/// The organisation an API request acts for: `Authorization: Bearer ds_...` names one of
/// its API tokens (only the token's SHA-256 is stored).
enum BearerToken {
    /// The token's organisation; nil without a header or for an unknown or revoked token.
    static func organisation(_ request: Request, store: Store) async throws -> Organisation.ID? {
        try await token(request, store: store)?.organisation
    }

    /// The live token the request carries: its id and organisation.
    static func token(_ request: Request, store: Store) async throws -> (id: UUID, organisation: Organisation.ID)? {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else { return nil }
        return try await store.apiTokens.find(token: String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces))
    }

    /// 401 with the challenge that tells a client to send a token.
    static var unauthorized: HTTPError {
        HTTPError(.unauthorized, headers: [.wwwAuthenticate: "Bearer realm=\"doorstroom\""])
    }
}
