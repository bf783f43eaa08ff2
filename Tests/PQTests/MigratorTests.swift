import Foundation
import PQ
import TestSupport
import Testing

@Suite("The migrator")
struct MigratorTests {
    func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files {
            try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8)
        }
        return dir
    }

    @Test func appliesInOrderOnceAndRefusesAnEditedFile() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let dir = try folder([
                "0001_first.sql": "CREATE TABLE a (id int PRIMARY KEY);",
                "0002_second.sql": "ALTER TABLE a ADD COLUMN name text; INSERT INTO a VALUES (1, 'één');",
            ])
            let migrator = try Migrator(folder: dir, logger: TestDatabase.logger)
            let first = try await migrator.migrate(on: pool)
            #expect(first.map(\.fileName) == ["0001_first.sql", "0002_second.sql"])
            let before = try await pool.query("SELECT version, checksum, applied_at FROM schema_migration ORDER BY version")
                .decode((Int, String, Date).self)

            // Applied twice: nothing changes.
            let second = try await migrator.migrate(on: pool)
            #expect(second.isEmpty)
            let after = try await pool.query("SELECT version, checksum, applied_at FROM schema_migration ORDER BY version")
                .decode((Int, String, Date).self)
            #expect(before.map(\.0) == after.map(\.0))
            #expect(before.map(\.1) == after.map(\.1))
            #expect(before.map(\.2) == after.map(\.2))
            #expect(try await pool.query("SELECT count(*) FROM a").first(decoding: Int.self) == 1)
            #expect(try await migrator.status(on: pool).isCurrent)

            // An edited applied file stops it with a clear message.
            try "ALTER TABLE a ADD COLUMN name text; INSERT INTO a VALUES (2, 'twee');".write(
                toFile: dir + "/0002_second.sql", atomically: true, encoding: .utf8)
            let edited = try Migrator(folder: dir, logger: TestDatabase.logger)
            do {
                try await edited.migrate(on: pool)
                Issue.record("an edited migration was accepted")
            } catch let error as MigrationError {
                #expect("\(error)".contains("0002_second.sql was changed after it was applied"))
            }
            #expect(try await pool.query("SELECT count(*) FROM a").first(decoding: Int.self) == 1)
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let dir = try folder([
                "0001_ok.sql": "CREATE TABLE ok (id int);",
                "0002_broken.sql": "CREATE TABLE half (id int); SELECT * FROM no_such_table;",
            ])
            do {
                try await Migrator(folder: dir, logger: TestDatabase.logger).migrate(on: pool)
                Issue.record("a broken migration passed")
            } catch let error as MigrationError {
                #expect("\(error)".contains("0002_broken.sql failed"))
            }
            let tables = try await pool.query(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1"
            ).decode(String.self)
            #expect(tables == ["ok", "schema_migration"])
            #expect(try await pool.query("SELECT count(*) FROM schema_migration").first(decoding: Int.self) == 1)
        }
    }

    @Test func badFileNamesAreRefused() throws {
        let dir = try folder(["1_x.sql": "SELECT 1;"])
        #expect(throws: MigrationError.self) { try Migrator(folder: dir, logger: TestDatabase.logger) }
    }

    @Test func theProjectsMigrationsApplyToAnEmptyDatabase() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let migrator = try Migrator(folder: TestDatabase.sqlFolder, logger: TestDatabase.logger)
            let applied = try await migrator.migrate(on: pool)
            #expect(!applied.isEmpty)
            #expect(try await migrator.migrate(on: pool).isEmpty)
        }
    }
}
