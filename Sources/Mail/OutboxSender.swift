import Domain
import Foundation
import Logging
import Store

/// Mails the notifications in the outbox. Several instances of the service may each
/// run one: a sender claims a batch (no other sender sees those rows), mails each
/// message and marks it sent before the next. A sender that dies after mailing but
/// before marking leaves the row `sending`, and nobody mails it again: at most once.
public struct OutboxSender: Sendable {
    public let store: NotificationStore
    public let client: SMTPClient
    /// This sender's name in the outbox (which instance claimed what).
    public let name: String
    let logger: Logger

    public init(store: NotificationStore, client: SMTPClient, name: String, logger: Logger) {
        self.store = store
        self.client = client
        self.name = name
        self.logger = logger
    }

    /// One round: claims up to `batch` pending notifications and mails them. Returns
    /// how many it claimed.
    @discardableResult
    public func sendPending(batch: Int = 20) async throws -> Int {
        let claimed = try await store.claim(sender: name, limit: batch)
        guard !claimed.isEmpty else { return 0 }
        let site = client.configuration.siteURL.hasSuffix("/") ? String(client.configuration.siteURL.dropLast()) : client.configuration.siteURL
        let messages = claimed.map { mail in
            MailMessage(
                to: mail.to, toName: mail.name, subject: mail.subject,
                text: "Hallo \(mail.name),\n\n\(mail.body)\n" + (mail.link.map { "\n\(site)\($0)\n" } ?? "")
                    + "\n-- \nDoorstroom, het platform van de jeugdhulp in Amsterdam-Amstelland.\n"
                    + (mail.unsubscribe.map { "Je krijgt dit bericht omdat je deze vacaturealert hebt ingesteld. Afmelden: \(site)\($0)\n" }
                        ?? (mail.inInbox ? "Je krijgt dit bericht omdat het over jou gaat; je ziet het ook bij Meldingen.\n"
                                         : "Je krijgt dit bericht omdat het over je account bij Doorstroom gaat.\n")),
                messageID: "\(mail.id.uuidString.lowercased())@doorstroom",
                unsubscribe: mail.unsubscribe.map { site + $0 },
                calendar: mail.attachmentName.flatMap { name in mail.attachment.map { CalendarFile(name: name, text: $0) } })
        }
        try await client.send(messages) { index, result in
            let id = claimed[index].id
            switch result {
            case .success:
                try await store.markSent(id, sender: name)
            case .failure(let error):
                logger.warning("mail not sent", metadata: ["notification.id": "\(id)", "error": "\(error)"])
                try await store.markFailed(id, sender: name, error: error.description, retry: error.isTransient)
            }
        }
        return claimed.count
    }

    /// Sends until cancelled, resting `idle` when the outbox is empty.
    public func run(idle: Duration = .seconds(5)) async {
        while !Task.isCancelled {
            do {
                if try await sendPending() > 0 { continue }
            } catch {
                logger.warning("outbox round failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: idle)
        }
    }
}
