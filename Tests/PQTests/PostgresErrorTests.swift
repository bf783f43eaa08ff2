import Foundation
import PQ
import TestSupport
import Testing

@Suite("SQLSTATE classes are told apart")
struct PostgresErrorTests {
    func failure(_ body: () async throws -> Void) async -> PostgresError? {
        do {
            try await body()
            return nil
        } catch let error as PostgresError {
            return error
        } catch {
            return nil
        }
    }

    @Test func integrityViolationsEachHaveTheirKind() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            _ = try await pool.query("CREATE EXTENSION btree_gist")
            _ = try await pool.query("CREATE TABLE parent (id int PRIMARY KEY)")
            _ = try await pool.query(
                """
                CREATE TABLE child (
                    id int PRIMARY KEY, parent_id int REFERENCES parent (id),
                    n int CHECK (n > 0), during tstzrange,
                    EXCLUDE USING gist (parent_id WITH =, during WITH &&)
                )
                """
            )
            _ = try await pool.query("INSERT INTO parent VALUES (1)")
            _ = try await pool.query("INSERT INTO child VALUES (1, 1, 1, tstzrange('2026-01-01', '2026-01-02'))")

            let unique = await failure { _ = try await pool.query("INSERT INTO parent VALUES (1)") }
            #expect(unique?.sqlState == .uniqueViolation)
            #expect(unique?.isUniqueViolation == true)
            #expect(unique?.constraint == "parent_pkey")

            let foreign = await failure { _ = try await pool.query("INSERT INTO child (id, parent_id, n) VALUES (2, 99, 1)") }
            #expect(foreign?.sqlState == .foreignKeyViolation)

            let check = await failure { _ = try await pool.query("INSERT INTO child (id, parent_id, n) VALUES (3, 1, -1)") }
            #expect(check?.sqlState == .checkViolation)

            let exclusion = await failure {
                _ = try await pool.query("INSERT INTO child VALUES (4, 1, 1, tstzrange('2026-01-01 12:00', '2026-01-03'))")
            }
            #expect(exclusion?.sqlState == .exclusionViolation)
            #expect(exclusion?.isExclusionViolation == true)

            // The generic description says nothing about tables or constraints.
            #expect(!(unique?.description.contains("parent") ?? true))
            #expect(unique?.debugDescription.contains("parent_pkey") == true)
        }
    }

    @Test func serializationFailureAndDeadlockAreRetryable() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 3) { pool in
            _ = try await pool.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL)")
            _ = try await pool.query("INSERT INTO counter VALUES (1, 0), (2, 0)")

            // Serialization: a repeatable-read transaction updates a row another one changed.
            let serialization = await failure {
                try await pool.withConnection { first in
                    try await pool.withConnection { second in
                        _ = try first.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")
                        _ = try first.execute("SELECT n FROM counter WHERE id = 1")
                        _ = try second.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
                        defer { _ = try? first.execute("ROLLBACK") }
                        _ = try first.execute("UPDATE counter SET n = n + 1 WHERE id = 1")
                    }
                }
            }
            #expect(serialization?.sqlState == .serializationFailure)
            #expect(serialization?.isRetryable == true)

            // Deadlock: two transactions lock two rows in opposite order.
            let first = try TestDatabase.pool(database: try await TestDatabase.databaseName(of: pool), size: 1)
            let second = try TestDatabase.pool(database: try await TestDatabase.databaseName(of: pool), size: 1)
            /// Locks one row, waits, then wants the other.
            @Sendable func lock(_ rows: (Int, Int), on pool: Pool) async -> PostgresError? {
                await failure {
                    try await pool.transaction(maxAttempts: 1) { tx in
                        _ = try await tx.query("SET LOCAL deadlock_timeout = '50ms'")
                        _ = try await tx.query("UPDATE counter SET n = n + 1 WHERE id = \(rows.0)")
                        _ = try await tx.query("SELECT pg_sleep(0.3)")
                        _ = try await tx.query("UPDATE counter SET n = n + 1 WHERE id = \(rows.1)")
                    }
                }
            }
            async let a = lock((1, 2), on: first)
            async let b = lock((2, 1), on: second)
            let outcomes = await [a, b]
            await first.shutdown()
            await second.shutdown()
            #expect(outcomes.compactMap { $0 }.count == 1, "exactly one of the two is chosen as the deadlock victim")
            #expect(outcomes.compactMap { $0 }.first?.sqlState == .deadlockDetected)
            #expect(outcomes.compactMap { $0 }.first?.isRetryable == true)
        }
    }

    @Test func aServerThatIsNotThereIsAConnectionFailure() async throws {
        let pool = Pool(
            configuration: .init(connection: .init(url: "postgresql://nobody@/nothing?host=%2Fnonexistent%2Fsocket", connectTimeoutSeconds: 1)),
            logger: TestDatabase.logger
        )
        let error = await failure { _ = try await pool.query("SELECT 1") }
        await pool.shutdown()
        #expect(error?.kind == .connectionFailed)
        #expect(error?.isUnavailable == true)
        #expect(error?.description == "PostgresError: could not connect to the database")
    }

    @Test func syntaxErrorsAreServerErrorsWithTheirState() async throws {
        try await TestDatabase.withFresh(migrated: false) { pool in
            let error = await failure { _ = try await pool.query("SELEC 1") }
            #expect(error?.kind == .server)
            #expect(error?.sqlState?.rawValue == "42601")
            #expect(error?.isUnavailable == false)
        }
    }
}
