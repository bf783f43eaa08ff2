import Domain
import Foundation
import PQ

public struct AuditEntry: Sendable, Hashable {
    public let occurredAt: Date
    public let actorName: String?
    public let action: String
    public let objectType: String?
    public let objectID: String?
    public let reason: String?
}

/// The append-only audit log: who did or viewed what, about whom, and why.
public struct AuditLogStore: Sendable {
    let db: any Queryable

    /// Lines about a person (what they may see of who looked at their data), newest first.
    public func about(_ subject: Account.ID, limit: Int = 100) async throws -> [AuditEntry] {
        try await db.query(
            """
            SELECT l.occurred_at, a.display_name, l.action, l.object_type, l.object_id, l.reason
            FROM audit_log l LEFT JOIN account a ON a.id = l.actor_account_id
            WHERE l.subject_account_id = \(subject)
            ORDER BY l.occurred_at DESC, l.id DESC LIMIT \(limit)
            """
        ).decode((Date, String?, String, String?, String?, String?).self).map { occurredAt, actorName, action, objectType, objectID, reason in
            AuditEntry(occurredAt: occurredAt, actorName: actorName, action: action, objectType: objectType, objectID: objectID, reason: reason)
        }
    }

    /// The most recent lines of the whole log (admin view).
    public func recent(limit: Int = 50) async throws -> [AuditEntry] {
        try await db.query(
            """
            SELECT l.occurred_at, a.display_name, l.action, l.object_type, l.object_id, l.reason
            FROM audit_log l LEFT JOIN account a ON a.id = l.actor_account_id
            ORDER BY l.occurred_at DESC, l.id DESC LIMIT \(limit)
            """
        ).decode((Date, String?, String, String?, String?, String?).self).map { occurredAt, actorName, action, objectType, objectID, reason in
            AuditEntry(occurredAt: occurredAt, actorName: actorName, action: action, objectType: objectType, objectID: objectID, reason: reason)
        }
    }
}
