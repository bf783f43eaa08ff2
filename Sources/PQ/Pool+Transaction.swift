import Logging

/// Statements run on one connection inside BEGIN ... COMMIT.
public struct Transaction: Queryable {
    let connection: Connection
    let pool: Pool

    public func query(_ statement: SQL) async throws -> QueryResult {
        try await pool.run(statement, on: connection)
    }
}

extension Pool {
    public enum IsolationLevel: String, Sendable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    /// Runs `body` in a transaction and commits it. A serialization failure (40001) or a
    /// deadlock (40P01), in the body or at COMMIT, rolls back and runs the whole body
    /// again, up to `maxAttempts` times; any other error rolls back and is rethrown.
    public nonisolated func transaction<Result>(
        isolation: IsolationLevel = .readCommitted,
        maxAttempts: Int = 5,
        _ body: (Transaction) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            var attempt = 1
            while true {
                let transaction = Transaction(connection: connection, pool: self)
                do {
                    _ = try await run(SQL(unsafe: "BEGIN ISOLATION LEVEL \(isolation.rawValue)"), on: connection)
                    let result = try await body(transaction)
                    _ = try await run("COMMIT", on: connection)
                    return result
                } catch let error as PostgresError where error.isRetryable && attempt < maxAttempts {
                    _ = try? await run("ROLLBACK", on: connection)
                    logger.debug("transaction retried", metadata: ["attempt": "\(attempt)", "sqlstate": "\(error.sqlState?.rawValue ?? "")"])
                    attempt += 1
                    // A little jitter so that two retrying transactions do not collide again.
                    try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 * attempt))))
                } catch {
                    if !connection.isBroken {
                        _ = try? await run("ROLLBACK", on: connection)
                    }
                    throw error
                }
            }
        }
    }
}
