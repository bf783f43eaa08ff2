import Foundation
import PQ
import TestSupport
import Testing

/// Statements are prepared once per connection and run by name afterwards; those that
/// must be planned for their values each time never are; a prepared statement whose
/// table changed shape is prepared again.
@Suite("Prepared statements")
struct PreparedStatementTests {
    @Test func aStatementIsPreparedOnceAndRunByName() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1) { pool in
            for value in 1...3 {
                let found = try await pool.query("SELECT \(value)::int + 1 AS next").first(decoding: Int.self)
                #expect(found == value + 1)
            }
            let prepared = try await pool.query(
                "SELECT statement, parameter_types::text[] FROM pg_prepared_statements WHERE statement LIKE 'SELECT $1::int + 1%'"
            ).decode((String, [String]).self)
            #expect(prepared.count == 1 && prepared.first?.1 == ["bigint"])
            // Planned each time: sent with its parameters, never kept.
            for value in 1...3 {
                #expect(try await pool.query(SQL(plannedEachTime: "SELECT \(value)::int * 10 AS tenfold")).first(decoding: Int.self) == value * 10)
            }
            let tenfold = try await pool.query("SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%' || 'ten' || 'fold%'")
                .first(decoding: Int.self)
            #expect(tenfold == 0)
        }
    }

    @Test func aTableThatChangedShapeIsReadAgain() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1) { pool in
            _ = try await pool.query("CREATE TABLE shapes (a int)")
            _ = try await pool.query("INSERT INTO shapes VALUES (1)")
            #expect(try await pool.query("SELECT * FROM shapes").columns.count == 1)
            _ = try await pool.query("ALTER TABLE shapes ADD COLUMN b int DEFAULT 2")
            // PostgreSQL refuses the kept plan once ("cached plan must not change
            // result type"); the next run prepares the statement again.
            var columns = (try? await pool.query("SELECT * FROM shapes").columns.count) ?? 0
            if columns != 2 { columns = try await pool.query("SELECT * FROM shapes").columns.count }
            #expect(columns == 2)
        }
    }

    @Test func pastTheLimitStatementsRunUnprepared() async throws {
        try await TestDatabase.withFresh(migrated: false, poolSize: 1) { pool in
            for number in 0..<(Connection.preparedLimit + 20) {
                let statement = SQL(unsafe: "SELECT \(number) AS n, ") + "\(number)::int AS m"
                let row: (Int, Int)? = try await pool.query(statement).first(decoding: (Int, Int).self)
                #expect(row?.1 == number)
            }
            let kept = try await pool.query("SELECT count(*)::int FROM pg_prepared_statements").first(decoding: Int.self)
            #expect(kept == Connection.preparedLimit)
        }
    }
}
