import Foundation
import Logging

/// One file of `sql/`: `NNNN_name.sql`.
public struct Migration: Sendable, Hashable {
    public let version: Int
    public let name: String
    public let script: String

    public var fileName: String { String(format: "%04d_%@.sql", version, name) }
}

public enum MigrationError: Error, CustomStringConvertible, Sendable {
    case unreadableFolder(String)
    case badFileName(String)
    case duplicateVersion(Int)
    case changedAfterApply(file: String)
    case missingFile(version: Int, name: String)
    case failed(file: String, error: PostgresError)

    public var description: String {
        switch self {
        case .unreadableFolder(let path):
            return "cannot read the migrations folder \(path)"
        case .badFileName(let name):
            return "\(name) is not named NNNN_name.sql (four digits, an underscore, lower-case letters, digits and underscores)"
        case .duplicateVersion(let version):
            return "two migration files carry version \(version)"
        case .changedAfterApply(let file):
            return "\(file) was changed after it was applied. Migrations are forward only: restore the file and add a new migration instead."
        case .missingFile(let version, let name):
            return "migration \(version) (\(name)) is applied in the database but its file is missing: this build is older than the database"
        case .failed(let file, let error):
            return "\(file) failed: \(error.message)"
        }
    }
}

/// Applies `sql/NNNN_name.sql` in order, each in its own transaction, under an advisory
/// lock so that two instances starting at once do not both migrate. Records version,
/// name and a SHA-256 checksum (computed by the server) of every applied file, and
/// refuses to go on when an applied file changed.
public struct Migrator: Sendable {
    public struct Status: Sendable {
        public let applied: [Migration]
        public let pending: [Migration]
        public var isCurrent: Bool { pending.isEmpty }
    }

    /// pg_advisory_lock key of the migrator ("doorstroom" in ASCII, trimmed).
    static let lockKey = 0x646F_6F72_7374_726F

    public let migrations: [Migration]
    let logger: Logger

    public init(migrations: [Migration], logger: Logger) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Reads every `.sql` file of a folder.
    public init(folder: String, logger: Logger) throws(MigrationError) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw .unreadableFolder(folder)
        }
        var migrations: [Migration] = []
        for file in names.sorted() where file.hasSuffix(".sql") {
            let stem = file.dropLast(4)
            let pieces = stem.split(separator: "_", maxSplits: 1)
            guard pieces.count == 2, pieces[0].count == 4, let version = Int(pieces[0]),
                pieces[1].allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") })
            else { throw .badFileName(file) }
            guard let script = try? String(contentsOfFile: folder + "/" + file, encoding: .utf8) else {
                throw .unreadableFolder(folder + "/" + file)
            }
            if migrations.contains(where: { $0.version == version }) { throw .duplicateVersion(version) }
            migrations.append(Migration(version: version, name: String(pieces[1]), script: script))
        }
        self.init(migrations: migrations, logger: logger)
    }

    /// What is applied and what is pending; throws when an applied file changed or is missing.
    public func status(on pool: Pool) async throws -> Status {
        try await pool.withConnection { connection in
            try await status(connection: connection, pool: pool)
        }
    }

    /// Applies every pending migration; returns what it applied. Running it again
    /// applies nothing.
    @discardableResult
    public func migrate(on pool: Pool) async throws -> [Migration] {
        try await pool.withConnection { connection in
            _ = try await pool.run("SELECT pg_advisory_lock(\(Self.lockKey))", on: connection)
            do {
                let pending = try await status(connection: connection, pool: pool).pending
                for migration in pending {
                    try await apply(migration, connection: connection, pool: pool)
                }
                _ = try await pool.run("SELECT pg_advisory_unlock(\(Self.lockKey))", on: connection)
                return pending
            } catch {
                _ = try? await pool.run("SELECT pg_advisory_unlock(\(Self.lockKey))", on: connection)
                throw error
            }
        }
    }

    private func apply(_ migration: Migration, connection: Connection, pool: Pool) async throws {
        logger.info("applying migration", metadata: ["migration": "\(migration.fileName)"])
        do {
            _ = try await pool.run("BEGIN", on: connection)
            try await pool.runScript(SQL(unsafe: migration.script), on: connection)
            _ = try await pool.run(
                """
                INSERT INTO schema_migration (version, name, checksum)
                VALUES (\(migration.version), \(migration.name), encode(sha256(convert_to(\(migration.script), 'UTF8')), 'hex'))
                """,
                on: connection
            )
            _ = try await pool.run("COMMIT", on: connection)
        } catch let error as PostgresError {
            if !connection.isBroken { _ = try? await pool.run("ROLLBACK", on: connection) }
            throw MigrationError.failed(file: migration.fileName, error: error)
        }
    }

    private func status(connection: Connection, pool: Pool) async throws -> Status {
        _ = try await pool.run(
            """
            CREATE TABLE IF NOT EXISTS schema_migration (
                version integer PRIMARY KEY CHECK (version > 0),
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            on: connection
        )
        let rows = try await pool.run(
            "SELECT version, name, checksum FROM schema_migration ORDER BY version", on: connection
        ).decode((Int, String, String).self)
        var applied: [Migration] = []
        for (version, name, checksum) in rows {
            guard let migration = migrations.first(where: { $0.version == version }) else {
                throw MigrationError.missingFile(version: version, name: name)
            }
            let current = try await pool.run(
                "SELECT encode(sha256(convert_to(\(migration.script), 'UTF8')), 'hex')", on: connection
            ).first(decoding: String.self)
            guard current == checksum else { throw MigrationError.changedAfterApply(file: migration.fileName) }
            applied.append(migration)
        }
        let appliedVersions = Set(rows.map(\.0))
        return Status(applied: applied, pending: migrations.filter { !appliedVersions.contains($0.version) })
    }
}
