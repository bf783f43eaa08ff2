/// The rows of one statement, copied out of libpq before its result was freed.
public struct QueryResult: Sendable, RandomAccessCollection {
    /// Column names in select order.
    public let columns: [String]
    /// Row-major cells; nil is SQL NULL.
    let cells: [String?]
    /// Each column's position by its name (the first, where two share one).
    let positions: [String: Int]
    /// Rows inserted, updated or deleted (PQcmdTuples), or returned for a SELECT.
    public let affectedRows: Int

    init(columns: [String], cells: [String?], affectedRows: Int) {
        self.columns = columns
        self.cells = cells
        self.affectedRows = affectedRows
        var positions: [String: Int] = [:]
        for (index, name) in columns.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : cells.count / columns.count }
    public subscript(position: Int) -> Row { Row(result: self, index: position) }

    /// Every row decoded in select order.
    public func decode<each Column: PostgresDecodable>(
        _ types: (repeat each Column).Type
    ) throws(PostgresError) -> [(repeat each Column)] {
        var rows: [(repeat each Column)] = []
        rows.reserveCapacity(count)
        for row in self {
            rows.append(try row.decodeColumns(from: 0))
        }
        return rows
    }

    /// Every row's single column decoded.
    public func decode<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(count)
        for row in self {
            values.append(try row.decodeColumns(from: 0))
        }
        return values
    }

    /// The first row's single column decoded, or nil when there is no row.
    public func first<Value: PostgresDecodable>(decoding type: Value.Type) throws(PostgresError) -> Value? {
        guard let row = first else { return nil }
        let value: Value = try row.decodeColumns(from: 0)
        return value
    }

    /// The first row decoded, or nil when there is none.
    public func first<each Column: PostgresDecodable>(
        decoding types: (repeat each Column).Type
    ) throws(PostgresError) -> (repeat each Column)? {
        guard let row = first else { return nil }
        let values: (repeat each Column) = try row.decodeColumns(from: 0)
        return values
    }
}

/// One row of a `QueryResult`.
public struct Row: Sendable {
    let result: QueryResult
    let index: Int

    public var columnCount: Int { result.columns.count }

    /// The raw text of a column; nil for NULL.
    public subscript(column: Int) -> String? {
        result.cells[index * result.columns.count + column]
    }

    /// Decodes the columns in select order:
    /// `let (id, title) = try row.decode((UUID, String).self)`;
    /// `from:` starts at a later column (for a row that joins two records).
    public func decode<each Column: PostgresDecodable>(
        _ types: (repeat each Column).Type, from firstColumn: Int = 0
    ) throws(PostgresError) -> (repeat each Column) {
        try decodeColumns(from: firstColumn)
    }

    /// Decodes one column by its name in the SELECT list (its own name, or its
    /// `AS` alias), postgres-nio's `decode(column:as:)`:
    /// `let total = try row.decode(column: "total", as: Int.self)`.
    public func decode<Value: PostgresDecodable>(column name: String, as type: Value.Type = Value.self) throws(PostgresError) -> Value {
        guard let position = result.positions[name] else {
            throw PostgresError(kind: .decoding, message: "the statement returned no column \(name)")
        }
        let value: Value = try decodeColumns(from: position)
        return value
    }

    func decodeColumns<each Column: PostgresDecodable>(from firstColumn: Int) throws(PostgresError) -> (repeat each Column) {
        var column = firstColumn
        func next<Value: PostgresDecodable>(_ type: Value.Type) throws(PostgresError) -> Value {
            defer { column += 1 }
            guard column < result.columns.count else {
                throw PostgresError(
                    kind: .decoding,
                    message: "asked for more columns than the statement returned (\(result.columns.count))"
                )
            }
            do {
                return try Value.decode(postgresText: self[column])
            } catch {
                let reason: String
                switch error {
                case .unexpectedNull: reason = "NULL where \(Value.self) was expected"
                case .invalid(let why): reason = why
                }
                throw PostgresError(
                    kind: .decoding,
                    message: "column \(result.columns[column]) as \(Value.self): \(reason)",
                    column: result.columns[column]
                )
            }
        }
        return (repeat try next((each Column).self))
    }
}
