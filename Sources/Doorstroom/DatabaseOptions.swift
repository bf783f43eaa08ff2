import ArgumentParser
import Foundation
import Logging
import PQ
import WebApp

/// Options every command that touches the database shares.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .customLong("database-url"), help: "PostgreSQL URL (default: $DATABASE_URL).")
    var databaseURL: String?

    @Option(name: .customLong("migrations"), help: "Folder with the numbered migrations.")
    var migrationsFolder = "sql"

    @Option(name: .customLong("pool-size"), help: "Database connections per instance.")
    var poolSize = 10

    @Option(name: .customLong("pool-wait"), help: "Seconds a request waits for a free connection before it gets 503.")
    var poolWait = 5.0

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical (default: $LOG_LEVEL or info).")
    var logLevel: Logger.Level?

    /// Wrong values are refused with a clear message, never silently replaced.
    mutating func validate() throws {
        guard poolSize >= 1 else { throw ValidationError("--pool-size must be at least 1.") }
        guard (0.05...600).contains(poolWait) else { throw ValidationError("--pool-wait must be between 0.05 and 600 seconds.") }
        _ = try resolvedLogLevel()
    }

    /// The level from --log-level, else LOG_LEVEL, else info; an unknown LOG_LEVEL is an error.
    func resolvedLogLevel() throws -> Logger.Level {
        if let logLevel { return logLevel }
        guard let text = ProcessInfo.processInfo.environment["LOG_LEVEL"], !text.isEmpty else { return .info }
        guard let level = Logger.Level(rawValue: text.lowercased()) else {
            throw ValidationError("LOG_LEVEL=\(text) is not a log level: use one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        return level
    }

    func resolvedURL() throws -> String {
        guard let url = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"], !url.isEmpty else {
            throw ValidationError("Set DATABASE_URL or pass --database-url (scripts/run does it for you).")
        }
        return url
    }

    func logger(_ label: String) -> Logger {
        _ = Self.logFormat
        var logger = Logger(label: label)
        logger.logLevel = (try? resolvedLogLevel()) ?? .info
        return logger
    }

    /// `LOG_FORMAT=json` makes every log line a JSON object (`JSONLogHandler`); anything
    /// else keeps swift-log's plain lines. Set once, before the first logger.
    static let logFormat: Void = {
        if ProcessInfo.processInfo.environment["LOG_FORMAT"]?.lowercased() == "json" {
            LoggingSystem.bootstrap { label in JSONLogHandler(label: label) }
        }
    }()

    func makePool(logger: Logger) throws -> Pool {
        Pool(
            configuration: .init(
                connection: .init(url: try resolvedURL()), maxConnections: poolSize,
                acquireTimeout: .milliseconds(Int(poolWait * 1000))),
            logger: logger
        )
    }

    /// Runs `body` with a pool, which is shut down afterwards whatever happens.
    func withPool<Result>(label: String, _ body: (Pool, Logger) async throws -> Result) async throws -> Result {
        let logger = logger(label)
        let pool = try makePool(logger: logger)
        do {
            let result = try await body(pool, logger)
            await pool.shutdown()
            return result
        } catch {
            await pool.shutdown()
            throw error
        }
    }

    func migrator(logger: Logger) throws -> Migrator {
        try Migrator(folder: migrationsFolder, logger: logger)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {
}
