import ArgumentParser
import Foundation
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

    @Test func seedWantsToBeToldWhat() {
        #expect(throws: (any Error).self) { try DoorstroomCommand.parseAsRoot(["seed"]) }
        #expect((try? DoorstroomCommand.parseAsRoot(["seed", "--demo"])) is Seed)
    }

    @Test func migrateThenSeedOnARealDatabase() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: pool))
            var migrate = try #require(
                try DoorstroomCommand.parseAsRoot(["migrate", "--database-url", url, "--migrations", TestDatabase.sqlFolder]) as? Migrate)
            try await migrate.run()
            try await migrate.run()
            #expect(try await pool.query("SELECT count(*) FROM schema_migration").first(decoding: Int.self)! >= 1)
            var seed = try #require(try DoorstroomCommand.parseAsRoot(["seed", "--demo", "--database-url", url]) as? Seed)
            try await seed.run()
            #expect(try await Store(pool: pool).accounts.find(email: "admin@doorstroom.test") != nil)
        }
    }

    @Test func serveRefusesADatabaseWithPendingMigrations() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let url = try TestDatabase.url(database: try await TestDatabase.databaseName(of: pool))
            var serve = try #require(
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
