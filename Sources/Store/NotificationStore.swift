import Domain
import Foundation
import PQ

/// A notification as its owner sees it in the inbox.
public struct InboxItem: Sendable, Hashable {
    public let id: UUID
    public let kind: AccountNotification.Kind
    public let subject: String
    public let body: String
    public let link: String?
    public let createdAt: Date
    public let readAt: Date?
}

/// A notification its owner opened: where it leads.
public struct OpenedNotification: Sendable, Hashable {
    public let link: String?
}

/// A notification claimed for mailing: where it goes and what it says.
public struct OutgoingMail: Sendable, Hashable {
    public let id: UUID
    public let to: String
    public let name: String
    public let subject: String
    public let body: String
    public let link: String?
    /// Whether the notification also shows in the inbox (account mails do not).
    public let inInbox: Bool
    /// The path that stops such mails in one click (RFC 8058), if any.
    public var unsubscribe: String? = nil
    /// A calendar file that goes with the mail.
    public var attachmentName: String? = nil
    public var attachment: String? = nil
}

/// The inbox of every account, and its outbox: notifications are written in the same
/// transaction as what they tell about; a sender claims pending ones (`FOR UPDATE SKIP
/// LOCKED`, so two senders never take the same one), mails each once and marks it.
public struct NotificationStore: Sendable {
    let db: any Queryable

    /// Adds a notification for `account`, on the caller's transaction.
    public static func add(_ notification: AccountNotification, for account: Account.ID, on tx: any Queryable) async throws {
        _ = try await tx.query(
            """
            INSERT INTO notification (account_id, kind, subject, body, link, unsubscribe, attachment_name, attachment)
            VALUES (\(account), \(notification.kind.rawValue), \(notification.subject), \(notification.body), \(notification.link),
                    \(notification.unsubscribe), \(notification.attachment?.name), \(notification.attachment?.text))
            """
        )
    }

    public func add(_ notification: AccountNotification, for account: Account.ID) async throws {
        try await Self.add(notification, for: account, on: db)
    }

    /// The account's notifications, newest first.
    public func inbox(of account: Account.ID, limit: Int = 100) async throws -> [InboxItem] {
        try await db.query(
            """
            SELECT id, kind, subject, body, link, created_at, read_at FROM notification
            WHERE account_id = \(account) AND kind <> 'account_mail' ORDER BY created_at DESC, id LIMIT \(limit)
            """
        ).decode((UUID, String, String, String, String?, Date, Date?).self).compactMap { id, kind, subject, body, link, createdAt, readAt in
            AccountNotification.Kind(rawValue: kind).map {
                InboxItem(id: id, kind: $0, subject: subject, body: body, link: link, createdAt: createdAt, readAt: readAt)
            }
        }
    }

    public func unreadCount(of account: Account.ID) async throws -> Int {
        try await db.query(
            "SELECT count(*)::int FROM notification WHERE account_id = \(account) AND read_at IS NULL AND kind <> 'account_mail'"
        ).first(decoding: Int.self) ?? 0
    }

    /// Marks all of the account's notifications read.
    @discardableResult
    public func markAllRead(of account: Account.ID) async throws -> Int {
        try await db.query(
            "UPDATE notification SET read_at = now() WHERE account_id = \(account) AND read_at IS NULL RETURNING id"
        ).count
    }

    /// Opens one of the account's notifications: marks it read and returns where it
    /// leads (its link, which may be nil); nil when the account has no such notification.
    public func open(_ id: UUID, of account: Account.ID) async throws -> OpenedNotification? {
        guard let row = try await db.query(
            """
            UPDATE notification SET read_at = coalesce(read_at, now())
            WHERE id = \(id) AND account_id = \(account) AND kind <> 'account_mail'
            RETURNING link
            """
        ).first else { return nil }
        return OpenedNotification(link: try row.decode(String?.self))
    }

    // MARK: The outbox

    /// Claims up to `limit` pending notifications for `sender`, oldest first. A row one
    /// sender claimed is skipped by every other; once claimed it is never claimed again.
    public func claim(sender: String, limit: Int = 20) async throws -> [OutgoingMail] {
        try await db.query(
            """
            WITH claimed AS (
                UPDATE notification n SET email_state = 'sending', email_claimed_by = \(sender), email_claimed_at = now(),
                    email_attempts = email_attempts + 1
                WHERE n.id IN (
                    SELECT id FROM notification
                    WHERE email_state = 'pending'
                      -- After a failed try, wait a while (1, 4, 9, 16 minutes) before the next.
                      AND (email_claimed_at IS NULL OR email_claimed_at < now() - make_interval(mins => email_attempts * email_attempts))
                    ORDER BY created_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING n.id, n.account_id, n.subject, n.body, n.link, n.created_at, n.kind, n.unsubscribe, n.attachment_name, n.attachment
            )
            SELECT c.id, a.email, a.display_name, c.subject, c.body, c.link, c.kind <> 'account_mail', c.unsubscribe, c.attachment_name, c.attachment
            FROM claimed c JOIN account a ON a.id = c.account_id
            ORDER BY c.created_at, c.id
            """
        ).decode((UUID, String, String, String, String, String?, Bool, String?, String?, String?).self).map {
            id, to, name, subject, body, link, inInbox, unsubscribe, attachmentName, attachment in
            OutgoingMail(id: id, to: to, name: name, subject: subject, body: body, link: link, inInbox: inInbox, unsubscribe: unsubscribe,
                         attachmentName: attachmentName, attachment: attachment)
        }
    }

    /// Marks a claimed notification as mailed.
    public func markSent(_ id: UUID, sender: String) async throws {
        _ = try await db.query(
            """
            UPDATE notification SET email_state = 'sent', email_sent_at = now(), email_error = NULL,
                -- An account mail's link holds a token: the mail is its only copy.
                link = CASE WHEN kind = 'account_mail' THEN NULL ELSE link END
            WHERE id = \(id) AND email_state = 'sending' AND email_claimed_by = \(sender)
            """
        )
    }

    /// A claimed notification that could not be mailed: back to pending for another try
    /// later when the server refused for now (and tries are left), otherwise failed.
    public func markFailed(_ id: UUID, sender: String, error: String, retry: Bool, maxAttempts: Int = 5) async throws {
        _ = try await db.query(
            """
            UPDATE notification
            SET email_state = CASE WHEN \(retry) AND email_attempts < \(maxAttempts) THEN 'pending' ELSE 'failed' END,
                email_error = left(\(error), 500),
                link = CASE WHEN kind = 'account_mail' AND NOT (\(retry) AND email_attempts < \(maxAttempts)) THEN NULL ELSE link END
            WHERE id = \(id) AND email_state = 'sending' AND email_claimed_by = \(sender)
            """
        )
    }

    /// Without mail configured, notifications are only shown: the pending ones are
    /// closed as not sent, so that configuring mail later does not mail old news.
    @discardableResult
    public func closeUnmailed(createdBefore cutoff: Date) async throws -> Int {
        try await db.query(
            """
            UPDATE notification SET email_state = 'not_sent'
            WHERE email_state = 'pending' AND created_at < \(cutoff)
            RETURNING id
            """
        ).count
    }
}
