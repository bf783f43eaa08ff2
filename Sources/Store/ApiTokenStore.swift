import Domain
import Foundation
import PQ

public struct ApiTokenInfo: Sendable, Hashable {
    public let id: UUID
    public let name: String
    public let createdAt: Date
}

/// Tokens with which an organisation's own systems use the API. The token is shown
/// once at creation; the table keeps its SHA-256.
public struct ApiTokenStore: Sendable {
    let db: Pool

    public func create(organisation: Organisation.ID, name: String, by author: Account.ID?) async throws -> String {
        let token = "ds_" + Tokens.random()
        try await db.transaction { tx in
            _ = try await tx.query(
                """
                INSERT INTO api_token (organisation_id, token_hash, name, created_by)
                VALUES (\(organisation), sha256(convert_to(\(token), 'UTF8')), \(name), \(author))
                """
            )
            try await AuditLine(.apiTokenCreate, by: author, object: AuditObject("organisation", organisation), reason: name).write(on: tx)
        }
        return token
    }

    /// A live token's id and organisation.
    public func find(token: String) async throws -> (id: UUID, organisation: Organisation.ID)? {
        guard token.count <= 128 else { return nil }
        return try await db.query(
            """
            SELECT t.id, t.organisation_id FROM api_token t JOIN organisation o ON o.id = t.organisation_id
            WHERE t.token_hash = sha256(convert_to(\(token), 'UTF8')) AND t.revoked_at IS NULL AND o.active
            """
        ).first(decoding: (UUID, UUID).self).map { id, organisation in (id, organisation) }
    }

    /// The organisation a live token belongs to.
    public func organisation(for token: String) async throws -> Organisation.ID? {
        guard token.count <= 128 else { return nil }
        return try await db.query(
            """
            SELECT t.organisation_id FROM api_token t JOIN organisation o ON o.id = t.organisation_id
            WHERE t.token_hash = sha256(convert_to(\(token), 'UTF8')) AND t.revoked_at IS NULL AND o.active
            """
        ).first(decoding: UUID.self)
    }

    public func list(organisation: Organisation.ID) async throws -> [ApiTokenInfo] {
        try await db.query(
            "SELECT id, name, created_at FROM api_token WHERE organisation_id = \(organisation) AND revoked_at IS NULL ORDER BY created_at"
        ).decode((UUID, String, Date).self).map { id, name, createdAt in ApiTokenInfo(id: id, name: name, createdAt: createdAt) }
    }

    @discardableResult
    public func revoke(_ id: UUID, organisation: Organisation.ID, by actor: Account.ID?) async throws -> Bool {
        try await db.audited({ tx in
            try await tx.query(
                "UPDATE api_token SET revoked_at = now() WHERE id = \(id) AND organisation_id = \(organisation) AND revoked_at IS NULL"
            ).affectedRows > 0
        }) { revoked in revoked ? AuditLine(.apiTokenRevoke, by: actor, object: AuditObject("api_token", id)) : nil }
    }
}
