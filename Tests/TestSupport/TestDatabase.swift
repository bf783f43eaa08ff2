import Foundation
import Logging
import PQ
import Store

/// Real PostgreSQL for tests. scripts/test starts a private cluster and exports
/// DOORSTROOM_TEST_PGHOST (its socket folder) and DOORSTROOM_TEST_PGUSER. Every test
/// gets a database of its own, cloned from a template that the migrations built once
/// per test run, and dropped afterwards. Only a local server is ever used.
public enum TestDatabase {
    public struct NotConfigured: Error, CustomStringConvertible {
        public var description: String {
            "DOORSTROOM_TEST_PGHOST is not set: run the tests through scripts/test, which starts the test database."
        }
    }

    public struct NotLocal: Error, CustomStringConvertible {
        let host: String
        public var description: String { "refusing to run tests against a non-local database host \(host)" }
    }

    static let environment = ProcessInfo.processInfo.environment
    public static let templateName = "doorstroom_template"

    public static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// The folder of the migrations (the checkout's sql/).
    public static var sqlFolder: String {
        if let dir = environment["DOORSTROOM_SQL_DIR"] { return dir }
        return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("sql").path
    }

    /// The checkout's root folder (for web/templates).
    public static var projectRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// A libpq URL for a database of the test cluster.
    public static func url(database: String) throws -> String {
        guard let host = environment["DOORSTROOM_TEST_PGHOST"], !host.isEmpty else { throw NotConfigured() }
        guard host.hasPrefix("/") || ["localhost", "127.0.0.1", "::1"].contains(host) else { throw NotLocal(host: host) }
        let user = environment["DOORSTROOM_TEST_PGUSER"] ?? "doorstroom"
        let encodedHost = host.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? host
        // The commands (migrate, seed, import) connect with this URL and the service's
        // 5 s default; while dozens of test databases are created at once, connecting
        // can take longer, so the URL asks for as long as the tests' own pools wait.
        return "postgresql://\(user)@/\(database)?host=\(encodedHost)&connect_timeout=60"
    }

    /// A pool on a test database. Tests check outcomes, not speed: on a loaded 2-core
    /// machine with many tests in parallel, waits are long, so the limits are generous
    /// (the admin connection that creates databases has none). Connecting, too, can take
    /// longer than the service's 5 s while dozens of databases are being created.
    public static func pool(database: String, size: Int = 4, acquireTimeout: Duration = .seconds(60), statementTimeoutMilliseconds: Int? = 120_000) throws -> Pool {
        Pool(
            configuration: .init(
                connection: .init(url: try url(database: database), connectTimeoutSeconds: 60, statementTimeoutMilliseconds: statementTimeoutMilliseconds),
                maxConnections: size, acquireTimeout: acquireTimeout),
            logger: logger
        )
    }

    /// Runs `body` with an admin pool on the cluster's `postgres` database.
    static func withAdmin<T>(_ body: (Pool) async throws -> T) async throws -> T {
        let admin = try pool(database: "postgres", size: 1, acquireTimeout: .seconds(600), statementTimeoutMilliseconds: nil)
        do {
            let result = try await body(admin)
            await admin.shutdown()
            return result
        } catch {
            await admin.shutdown()
            throw error
        }
    }

    /// Builds the migrated template once per test process.
    static let template = Task<Void, any Error> {
        try await withAdmin { admin in
            _ = try await admin.query(SQL(unsafe: "DROP DATABASE IF EXISTS \(templateName) WITH (FORCE)"))
            _ = try await admin.query(SQL(unsafe: "CREATE DATABASE \(templateName)"))
        }
        let templatePool = try pool(database: templateName, size: 1)
        do {
            try await Migrator(folder: sqlFolder, logger: logger).migrate(on: templatePool)
        } catch {
            await templatePool.shutdown()
            throw error
        }
        await templatePool.shutdown()
    }

    /// A fresh database for one test: migrated (from the template) or, with
    /// `migrated: false`, empty. Dropped when `body` returns.
    public static func withFresh<T>(
        migrated: Bool = true, poolSize: Int = 4, acquireTimeout: Duration = .seconds(60),
        _ body: (Pool) async throws -> T
    ) async throws -> T {
        if migrated { try await template.value }
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        try await withAdmin { admin in
            // Names are generated above, never taken from input.
            _ = try await admin.query(SQL(unsafe: "CREATE DATABASE \(name) TEMPLATE \(migrated ? templateName : "template0")"))
        }
        let fresh = try pool(database: name, size: poolSize, acquireTimeout: acquireTimeout)
        do {
            let result = try await body(fresh)
            await fresh.shutdown()
            try await drop(name)
            return result
        } catch {
            await fresh.shutdown()
            try? await drop(name)
            throw error
        }
    }

    /// The name of the database a pool is connected to.
    public static func databaseName(of pool: Pool) async throws -> String {
        try await pool.query("SELECT current_database()").first(decoding: String.self)!
    }

    static func drop(_ name: String) async throws {
        try await withAdmin { admin in
            _ = try await admin.query(SQL(unsafe: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }

    /// A fresh migrated database wrapped in a Store.
    public static func withStore<T>(poolSize: Int = 4, _ body: (Store) async throws -> T) async throws -> T {
        try await withFresh(poolSize: poolSize) { pool in try await body(Store(pool: pool)) }
    }

    /// Terminates a backend from outside (as an operator or a crash would) and waits
    /// (up to 5 s) until it has gone.
    public static func terminate(backend pid: Int32) async throws {
        try await withAdmin { admin in
            _ = try await admin.query("SELECT pg_terminate_backend(\(pid), 5000)")
        }
    }
}
