/// Something statements can be run on: the pool (one statement, any connection) or a
/// transaction (its own connection). Repositories take `some Queryable`.
public protocol Queryable: Sendable {
    func query(_ statement: SQL) async throws -> QueryResult
}
