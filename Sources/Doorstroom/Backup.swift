import ArgumentParser
import Foundation
import PQ

/// `doorstroom backup`: a consistent copy of the whole database in pg_dump's custom
/// format (one snapshot: every write committed before it started is in it, nothing
/// half-done), checked by reading its table of contents back. For point-in-time
/// recovery in production, see docs/operations.md (WAL archiving and pg_basebackup).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a backup of the database (pg_dump, custom format).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The file to write (it must not exist yet).")
    var output: String

    func run() async throws {
        guard !FileManager.default.fileExists(atPath: output) else {
            throw ValidationError("\(output) exists already: choose a new file, so that no backup is overwritten.")
        }
        let url = try database.resolvedURL()
        let started = ContinuousClock.now
        try PostgresTool.run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", "--file=\(output)", "--dbname=\(url)"])
        // A backup that cannot be read back is no backup.
        let contents = try PostgresTool.run("pg_restore", ["--list", output])
        let tables = contents.split(separator: "\n").filter { $0.contains(" TABLE DATA ") }.count
        let size = (try FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        print("backup: \(output), \(size) bytes, \(tables) tables with data, in \(elapsed(since: started))")
    }
}

/// `doorstroom restore`: a backup into a new, empty database (it refuses one that holds
/// tables), in one transaction: all of it or nothing. Then the schema's state: a backup
/// of an older build needs `doorstroom migrate` before `serve` starts on it.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Restore a backup into a new, empty database.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The backup file (from `doorstroom backup`).")
    var input: String

    func run() async throws {
        guard FileManager.default.fileExists(atPath: input) else { throw ValidationError("\(input) does not exist.") }
        let url = try database.resolvedURL()
        try await database.withPool(label: "doorstroom.restore") { pool, _ in
            let tables = try await pool.query("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").first(decoding: Int.self) ?? 0
            guard tables == 0 else {
                throw ValidationError("The database holds \(tables) tables: restore into a new, empty database (createdb), never over live data.")
            }
        }
        let started = ContinuousClock.now
        try PostgresTool.run("pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname=\(url)", input])
        let status = try await database.withPool(label: "doorstroom.restore") { pool, logger in
            try await database.migrator(logger: logger).status(on: pool)
        }
        print("restore: \(input) restored in \(elapsed(since: started))"
              + (status.isCurrent ? "; the schema is current" : "; \(status.pending.count) migration(s) pending: run `doorstroom migrate`"))
    }
}

/// PostgreSQL's own client programs (pg_dump, pg_restore), found on PATH or in the
/// newest /usr/lib/postgresql/*/bin.
enum PostgresTool {
    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    static func path(_ name: String) -> String {
        let fileManager = FileManager.default
        let search = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let versions = ((try? fileManager.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? [])
            .compactMap(Int.init).sorted(by: >).map { "/usr/lib/postgresql/\($0)/bin" }
        // The server's own version first: pg_dump must not be older than the server.
        for folder in versions + search where fileManager.isExecutableFile(atPath: folder + "/" + name) {
            return folder + "/" + name
        }
        return name
    }

    /// Runs the program and returns what it wrote; throws with its error output when it fails.
    @discardableResult
    static func run(_ name: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path(name))
        process.arguments = arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw Failed(description: "\(name) could not be started: \(error)") }
        // Read both pipes while it runs, so that a large output cannot block it.
        let outData = LockedData(), errData = LockedData()
        let group = DispatchGroup()
        for (pipe, data) in [(output, outData), (errors, errData)] {
            group.enter()
            DispatchQueue.global().async {
                data.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        process.waitUntilExit()
        group.wait()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "\(name) failed (exit \(process.terminationStatus)): \(String(decoding: errData.get(), as: UTF8.self))")
        }
        return String(decoding: outData.get(), as: UTF8.self)
    }

    final class LockedData: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        func set(_ value: Data) { lock.withLock { data = value } }
        func get() -> Data { lock.withLock { data } }
    }
}

/// The time since `started`, in seconds with two decimals ("0.25 secs"), as both commands print it.
private func elapsed(since started: ContinuousClock.Instant) -> String {
    started.duration(to: .now).formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 2)))
}
