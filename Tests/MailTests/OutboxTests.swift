import Domain
import Foundation
import Logging
import Mail
import PQ
import Store
import TestSupport
import Testing

@Suite("Notifications mailed through the outbox")
struct OutboxTests {
    /// `count` accounts with one notification each.
    static func notifications(_ count: Int, on store: Store) async throws -> [UUID] {
        let accounts = try await store.pool.query(
            """
            INSERT INTO account (email, display_name)
            SELECT 'persoon' || n || '@voorbeeld.test', 'Persoon ' || n FROM generate_series(1, \(count)) AS n
            RETURNING id
            """).decode(UUID.self)
        for (index, account) in accounts.enumerated() {
            try await store.notifications.add(
                .applicationMoved(postingTitle: "Jeugdhulpverlener \(index) — één functie", organisation: "Altra", to: .invited), for: account)
        }
        return try await store.pool.query("SELECT id FROM notification ORDER BY created_at, id").decode(UUID.self)
    }

    static func states(_ store: Store) async throws -> [String: Int] {
        Dictionary(uniqueKeysWithValues: try await store.pool.query(
            "SELECT email_state, count(*)::int FROM notification GROUP BY email_state").decode((String, Int).self))
    }

    @Test func twoSendersOnTwoInstancesMailEveryNotificationExactlyOnce() async throws {
        let server = try await FakeSMTPServer()
        try await TestDatabase.withStore(poolSize: 4) { store in
            let ids = try await Self.notifications(60, on: store)
            // A second instance: its own pool on the same database.
            let name = try await TestDatabase.databaseName(of: store.pool)
            let other = try TestDatabase.pool(database: name, size: 4)
            let configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, username: "doorstroom", password: "geheim", siteURL: "https://doorstroom.test")
            let senders = [
                OutboxSender(store: store.notifications, client: SMTPClient(configuration: configuration), name: "a", logger: TestDatabase.logger),
                OutboxSender(store: Store(pool: other).notifications, client: SMTPClient(configuration: configuration), name: "b", logger: TestDatabase.logger),
            ]
            // Both race over the same outbox, in small batches, until it is empty.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for sender in senders {
                    group.addTask {
                        var total = 0
                        while true {
                            let claimed = try await sender.sendPending(batch: 3)
                            if claimed == 0 { return total }
                            total += claimed
                        }
                    }
                }
                var claimed: [Int] = []
                for try await count in group { claimed.append(count) }
                #expect(claimed.reduce(0, +) == 60)
            }
            await other.shutdown()
            let received = server.received
            #expect(received.count == 60)
            let messageIDs = received.compactMap(\.messageID)
            #expect(Set(messageIDs).count == 60, "a notification was mailed twice")
            #expect(Set(messageIDs) == Set(ids.map { "<\($0.uuidString.lowercased())@doorstroom>" }))
            #expect(try await Self.states(store) == ["sent": 60])
            // Both instances took part, and each logged in to the relay.
            let claimedBy = try await store.pool.query("SELECT DISTINCT email_claimed_by FROM notification ORDER BY 1").decode(String.self)
            #expect(claimedBy == ["a", "b"])
            #expect(server.authentications >= 2)
            // A second round finds nothing to send.
            #expect(try await senders[0].sendPending() == 0)
            #expect(server.received.count == 60)
        }
        await server.stop()
    }

    @Test func theMailSaysWhatTheInboxSaysInUTF8WithALinkBack() async throws {
        let server = try await FakeSMTPServer()
        try await TestDatabase.withStore { store in
            _ = try await Self.notifications(1, on: store)
            let configuration = SMTPConfiguration(host: "127.0.0.1", port: server.port, from: "noreply@doorstroom.test", siteURL: "https://doorstroom.test/")
            try await OutboxSender(store: store.notifications, client: SMTPClient(configuration: configuration), name: "a", logger: TestDatabase.logger).sendPending()
            let mail = try #require(server.received.first)
            #expect(mail.from == "noreply@doorstroom.test" && mail.to == "persoon1@voorbeeld.test")
            let (headers, body) = try #require(mail.data.components(separatedBy: "\r\n\r\n").count >= 2
                ? (mail.data.components(separatedBy: "\r\n\r\n")[0], mail.data.components(separatedBy: "\r\n\r\n")[1]) : nil)
            #expect(headers.contains("Content-Type: text/plain; charset=UTF-8"))
            // The subject has non-ASCII, so it travels as encoded words.
            #expect(headers.contains("Subject: =?UTF-8?B?"))
            let text = String(decoding: try #require(Data(base64Encoded: body.replacingOccurrences(of: "\r\n", with: ""))), as: UTF8.self)
            #expect(text.contains("Hallo Persoon 1,"))
            #expect(text.contains("Altra nodigt je uit voor een gesprek over \"Jeugdhulpverlener 0 — één functie\""))
            #expect(text.contains("https://doorstroom.test/mijn/sollicitaties"))
        }
        await server.stop()
    }

    @Test func aRefusedRecipientFailsOnlyItsOwnMailAndATemporaryRefusalIsTriedAgainLater() async throws {
        let server = try await FakeSMTPServer()
        try await TestDatabase.withStore { store in
            _ = try await Self.notifications(3, on: store)
            server.refuse("persoon1@voorbeeld.test", with: 550)
            server.refuse("persoon2@voorbeeld.test", with: 451)
            let sender = OutboxSender(
                store: store.notifications, client: SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: server.port)),
                name: "a", logger: TestDatabase.logger)
            #expect(try await sender.sendPending() == 3)
            #expect(server.received.map(\.to) == ["persoon3@voorbeeld.test"])
            #expect(try await Self.states(store) == ["failed": 1, "pending": 1, "sent": 1])
            // The temporary one waits before its next try; then it goes.
            server.accept("persoon2@voorbeeld.test")
            #expect(try await sender.sendPending() == 0)
            _ = try await store.pool.query("UPDATE notification SET email_claimed_at = email_claimed_at - interval '2 minutes' WHERE email_state = 'pending'")
            #expect(try await sender.sendPending() == 1)
            #expect(server.received.map(\.to) == ["persoon3@voorbeeld.test", "persoon2@voorbeeld.test"])
            #expect(try await Self.states(store) == ["failed": 1, "sent": 2])
        }
        await server.stop()
    }

    @Test func aRelayThatIsDownLeavesTheMailPendingForLater() async throws {
        try await TestDatabase.withStore { store in
            _ = try await Self.notifications(2, on: store)
            // Nothing listens on port 9 of loopback (discard is not running).
            let sender = OutboxSender(
                store: store.notifications, client: SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 9)),
                name: "a", logger: TestDatabase.logger)
            #expect(try await sender.sendPending() == 2)
            #expect(try await Self.states(store) == ["pending": 2])
            let errors = try await store.pool.query("SELECT email_error FROM notification").decode(String?.self)
            #expect(errors.allSatisfy { $0?.contains("cannot connect") == true })
        }
    }

    @Test func smtpURLsAreParsedAndBadOnesRefused() throws {
        let configuration = try SMTPConfiguration.parse("smtp://doorstroom:ge%40heim@relay.local:2525?from=noreply@doorstroom.nl", siteURL: "https://doorstroom.nl")
        #expect(configuration.host == "relay.local" && configuration.port == 2525)
        #expect(configuration.username == "doorstroom" && configuration.password == "ge@heim")
        #expect(configuration.from == "noreply@doorstroom.nl")
        #expect(try SMTPConfiguration.parse("smtp://relay", siteURL: "x").port == 25)
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPConfiguration.parse("https://relay", siteURL: "x") }
        #expect(throws: SMTPConfiguration.Invalid.self) { try SMTPConfiguration.parse("smtp://relay?from=a%0d%0aBcc:x@y", siteURL: "x") }
    }
}
