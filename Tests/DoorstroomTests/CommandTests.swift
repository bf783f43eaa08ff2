import ArgumentParser
import Mail
import Matching
import Domain
import Foundation
import Logging
import PQ
import Store
import TestSupport
import Testing

@testable import Doorstroom

@Suite("The command line")
struct CommandTests {
    @Test func serveParsesItsOptions() throws {
        let command = try DoorstroomCommand.parseAsRoot([
            "serve", "--host", "0.0.0.0", "--port", "9090", "--templates", "/t", "--database-url", "postgresql:///x",
        ])
        let serve = try #require(command as? Serve)
        #expect(serve.resolvedHost() == "0.0.0.0")
        #expect(serve.resolvedPort() == 9090)
        #expect(serve.templates == "/t")
        #expect(try serve.database.resolvedURL() == "postgresql:///x")
    }

    /// Values out of range are refused with a message that names them, never silently
    /// replaced by a default (parseAsRoot runs validate()).
    @Test func outOfRangeOptionsAreRefusedWithAClearMessage() throws {
        for arguments in [["serve", "--pool-size", "0"], ["serve", "--pool-wait", "0"], ["serve", "--pool-wait", "900"],
                          ["serve", "--log-level", "loud"], ["serve", "--port", "70000"], ["serve", "--retention-every", "0"],
                          ["migrate", "--pool-size", "-1"]] {
            do {
                _ = try DoorstroomCommand.parseAsRoot(arguments)
                Issue.record("accepted \(arguments)")
            } catch {
                let message = DoorstroomCommand.message(for: error)
                #expect(!message.isEmpty, "\(arguments)")
                #expect(message.contains(arguments[1].replacingOccurrences(of: "--", with: "")) || message.contains(arguments[1]),
                        "\(arguments): \(message)")
            }
        }
        let serve = try #require(try DoorstroomCommand.parseAsRoot(["serve", "--log-level", "debug", "--pool-size", "3"]) as? Serve)
        #expect(try serve.database.resolvedLogLevel() == .debug)
        #expect(serve.database.poolSize == 3)
    }

    @Test func serveTakesAnSMTPURLAndRefusesABadOne() throws {
        let serve = try #require(try DoorstroomCommand.parseAsRoot([
            "serve", "--smtp-url", "smtp://relay.local:2525?from=noreply@doorstroom.nl", "--site-url", "https://doorstroom.nl",
        ]) as? Serve)
        let mail = try #require(try serve.mailConfiguration())
        #expect(mail.host == "relay.local" && mail.port == 2525 && mail.from == "noreply@doorstroom.nl" && mail.siteURL == "https://doorstroom.nl")
        let bad = try #require(try DoorstroomCommand.parseAsRoot(["serve", "--smtp-url", "smtps://relay.local"]) as? Serve)
        #expect(throws: ValidationError.self) { try bad.mailConfiguration() }
    }

    @Test func retentionOnAMovedClockStripsWhatExpiredByThen() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: store.pool))
            _ = try await store.pool.query(
                "UPDATE application SET status = 'rejected', decided_at = '2030-01-01T00:00:00Z' WHERE id = (SELECT id FROM application WHERE status = 'submitted' ORDER BY id LIMIT 1)")
            let expired: SQL = "SELECT count(*)::int FROM application WHERE decided_at = '2030-01-01T00:00:00Z' AND motivation IS NULL"
            let early = try #require(try DoorstroomCommand.parseAsRoot(["retention", "--now", "2030-01-20T00:00:00Z", "--database-url", url]) as? Retention)
            try await early.run()
            #expect(try await store.pool.query(expired).first(decoding: Int.self) == 0)
            let later = try #require(try DoorstroomCommand.parseAsRoot(["retention", "--now", "2030-02-01T00:00:00Z", "--database-url", url]) as? Retention)
            try await later.run()
            #expect(try await store.pool.query(expired).first(decoding: Int.self) == 1)
        }
    }

    /// import-courses: a file without a valid course changes nothing (exit 4); dropping
    /// too many courses changes nothing without --allow-withdraw (exit 4), then does.
    @Test func importCoursesNeverEmptiesACatalogueByMistake() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: store.pool))
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            func live() async throws -> Int {
                try await store.pool.query("SELECT count(*)::int FROM course WHERE organisation_id = \(altra.id) AND withdrawn_at IS NULL")
                    .first(decoding: Int.self) ?? 0
            }
            let before = try await live()
            try #require(before >= 3)
            func run(_ json: String, _ extra: [String] = []) async throws -> Int32 {
                let path = FileManager.default.temporaryDirectory.appendingPathComponent("catalogue-\(UUID().uuidString).json").path
                try json.write(toFile: path, atomically: true, encoding: .utf8)
                let command = try #require(try DoorstroomCommand.parseAsRoot(
                    ["import-courses", path, "--organisation", "altra", "--database-url", url] + extra) as? ImportCourses)
                do {
                    try await command.run()
                    return 0
                } catch let exit as ExitCode {
                    return exit.rawValue
                }
            }
            #expect(try await run(#"{"courses": [{"primaryCode": "X-1", "description": "zonder naam"}]}"#) == 4)
            #expect(try await live() == before)
            let one = #"{"courses": [{"primaryCode": "ALT-NIEUW-1", "name": "Een nieuwe cursus", "description": "Nieuw.", "ext": {"format": "blended"}}]}"#
            #expect(try await run(one) == 4)
            #expect(try await live() == before)
            #expect(try await run(one, ["--allow-withdraw"]) == 0)
            #expect(try await live() == 1)
        }
    }

    @Test func seedWantsToBeToldWhat() {
        #expect(throws: (any Error).self) { try DoorstroomCommand.parseAsRoot(["seed"]) }
        #expect((try? DoorstroomCommand.parseAsRoot(["seed", "--demo"])) is Seed)
    }

    @Test func migrateThenSeedOnARealDatabase() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: pool))
            let migrate = try #require(
                try DoorstroomCommand.parseAsRoot(["migrate", "--database-url", url, "--migrations", TestDatabase.sqlFolder]) as? Migrate)
            try await migrate.run()
            try await migrate.run()
            #expect(try await pool.query("SELECT count(*) FROM schema_migration").first(decoding: Int.self)! >= 1)
            let seed = try #require(try DoorstroomCommand.parseAsRoot(["seed", "--demo", "--database-url", url]) as? Seed)
            try await seed.run()
            #expect(try await Store(pool: pool).accounts.find(email: "admin@doorstroom.test") != nil)
        }
    }

    @Test func serveRefusesADatabaseWithPendingMigrations() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: pool))
            setenv("DOORSTROOM_SECRET_KEY", "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=", 1)
            let serve = try #require(
                try DoorstroomCommand.parseAsRoot(["serve", "--database-url", url, "--migrations", TestDatabase.sqlFolder, "--port", "0"]) as? Serve)
            do {
                try await serve.run()
                Issue.record("served with pending migrations")
            } catch {
                #expect("\(error)".contains("pending migration"))
            }
        }
    }
}

@Suite("doorstroom match")
struct MatchCommandTests {
    @Test func theDocumentedExampleRunsAndGivesTheSameResultTwice() throws {
        let example = TestDatabase.projectRoot + "/docs/examples/matching-instance.json"
        let out1 = FileManager.default.temporaryDirectory.appendingPathComponent("match-\(UUID().uuidString).json").path
        let out2 = FileManager.default.temporaryDirectory.appendingPathComponent("match-\(UUID().uuidString).json").path
        for out in [out1, out2] {
            let command = try #require(try DoorstroomCommand.parseAsRoot(["match", "--input", example, "--output", out]) as? Match)
            try command.run()
        }
        func withoutTiming(_ path: String) throws -> [String: Any] {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
            object["elapsed_ms"] = nil
            return object
        }
        let first = try withoutTiming(out1)
        #expect(NSDictionary(dictionary: first).isEqual(to: try withoutTiming(out2)))
        let assignments = try #require(first["assignments"] as? [[String: String]])
        // Sem (Altra) may not work at Altra; Priya takes one urgent place, the second is a gap.
        #expect(assignments.contains(["demand": "altra-oost-ma-dag", "person": "priya"]))
        #expect(!assignments.contains { $0["person"] == "sem" && $0["demand"] == "altra-oost-ma-dag" })
        #expect(assignments.contains(["demand": "cordaan-noord-wo-avond", "person": "sem"]))
        let gaps = try #require(first["gaps"] as? [[String: Any]])
        #expect(gaps.contains { $0["demand"] as? String == "bascule-zuid-do" && $0["reason"] as? String == "nobody_qualified" })
        #expect(gaps.contains { $0["demand"] as? String == "altra-oost-ma-dag" && $0["missing"] as? Int == 1 })
    }

    @Test func aBrokenInstanceIsRefusedWithAClearMessage() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).json").path
        try #"{"people": [], "demands": [{"id": "x", "organisation": "a", "area": "b", "qualification": "c", "start": "morgen", "end": "2026-12-07T16:00:00Z", "needed": 1}]}"#
            .write(toFile: path, atomically: true, encoding: .utf8)
        let command = try #require(try DoorstroomCommand.parseAsRoot(["match", "--input", path]) as? Match)
        do {
            try command.run()
            Issue.record("accepted a broken instance")
        } catch {
            #expect("\(error)".contains("morgen is not an ISO 8601 date-time"))
        }
    }
}
