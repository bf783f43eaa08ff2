import Foundation
import PQ
import TestSupport
import Testing

@Suite("The pool")
struct PoolTests {
    @Test func hundredTasksShareAPoolOfFour() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 4, acquireTimeout: .seconds(30)) { pool in
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for task in 0..<100 {
                    group.addTask {
                        try await pool.query("SELECT \(task)::bigint, pg_sleep(0.01)").first(decoding: (Int, String).self)!.0
                    }
                }
                var all: [Int] = []
                for try await value in group { all.append(value) }
                return all
            }
            #expect(results.sorted() == Array(0..<100))
            #expect(await pool.openConnections <= 4)
        }
    }

    /// A DATABASE_URL's own settings (here the application name and the time to
    /// connect) are kept; the session settings the code relies on always hold.
    @Test func theURLsOwnSettingsAreKeptAndOursAlwaysHold() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let name = try await TestDatabase.databaseName(of: pool)
            let url = try TestDatabase.url(database: name) + "&application_name=backup-check&options=-c%20TimeZone%3DEurope/Amsterdam"
            let own = Pool(configuration: .init(connection: .init(url: url), maxConnections: 1), logger: TestDatabase.logger)
            let settings = try await own.query(
                "SELECT current_setting('application_name'), current_setting('TimeZone'), current_setting('jit')"
            ).first(decoding: (String, String, String).self)
            await own.shutdown()
            #expect(settings?.0 == "backup-check")
            #expect(settings?.1 == "UTC")
            #expect(settings?.2 == "off")
        }
    }

    /// A request whose client went away stops waiting at once: it leaves the waiting
    /// list and fails with CancellationError, long before the pool's timeout, and the
    /// next waiter still gets the connection.
    @Test func aCancelledWaiterLeavesTheListAtOnce() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1, acquireTimeout: .seconds(600)) { pool in
            let patient = try await pool.withConnection { _ in
                let waiting = Task { try await pool.query("SELECT 1") }
                let patient = Task { try await pool.query("SELECT 2").first(decoding: Int.self) }
                while await pool.waitingCount < 2 { try await Task.sleep(for: .milliseconds(5)) }
                waiting.cancel()
                do {
                    _ = try await waiting.value
                    Issue.record("a cancelled waiter got a connection")
                } catch {
                    #expect(error is CancellationError)
                }
                #expect(await pool.waitingCount == 1)
                return patient
            }
            // The connection came back: the waiter that stayed gets it.
            #expect(try await patient.value == 2)
            #expect(await pool.waitingCount == 0)
        }
    }

    @Test func aTaskThatGetsNoConnectionInTimeFailsFast() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1, acquireTimeout: .milliseconds(200)) { pool in
            try await pool.withConnection { _ in
                let started = ContinuousClock.now
                do {
                    _ = try await pool.query("SELECT 1")
                    Issue.record("got a connection from an exhausted pool")
                } catch let error as PostgresError {
                    #expect(error.kind == .poolTimeout)
                    #expect(error.isUnavailable)
                }
                // Not a timing assertion of speed: only that it did not wait for ever.
                #expect(ContinuousClock.now - started < .seconds(30))
            }
            // Once the connection is back, queries work again.
            #expect(try await pool.query("SELECT 1").first(decoding: Int.self) == 1)
        }
    }

    @Test func aTerminatedConnectionIsReplaced() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1) { pool in
            let pid = try await pool.query("SELECT pg_backend_pid()").first(decoding: Int32.self)!
            try await TestDatabase.terminate(backend: pid)
            // The pool reads what the idle connection received before lending it: the
            // terminated one is replaced, and no request fails.
            let newPID = try await pool.query("SELECT pg_backend_pid()").first(decoding: Int32.self)!
            #expect(newPID != pid)
            #expect(try await pool.query("SELECT 41 + 1").first(decoding: Int.self) == 42)
        }
    }

    @Test func transactionsCommitRollBackAndRetrySerializationFailures() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 6) { pool in
            _ = try await pool.query("CREATE TABLE account (id int PRIMARY KEY, balance int NOT NULL CHECK (balance >= 0))")
            _ = try await pool.query("INSERT INTO account VALUES (1, 100)")

            // An error inside rolls everything back.
            struct Abort: Error {}
            do {
                try await pool.transaction { tx in
                    _ = try await tx.query("UPDATE account SET balance = 0 WHERE id = 1")
                    throw Abort()
                }
            } catch is Abort {}
            #expect(try await pool.query("SELECT balance FROM account").first(decoding: Int.self) == 100)

            // Twenty serializable increments racing: every one lands, retried where needed.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await pool.transaction(isolation: .serializable, maxAttempts: 50) { tx in
                            let balance = try await tx.query("SELECT balance FROM account WHERE id = 1").first(decoding: Int.self)!
                            _ = try await tx.query("UPDATE account SET balance = \(balance + 1) WHERE id = 1")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await pool.query("SELECT balance FROM account").first(decoding: Int.self) == 120)
        }
    }
}
