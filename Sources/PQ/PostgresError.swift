import CLibPQ

/// A SQLSTATE code as PostgreSQL reports it (five characters).
public struct SQLState: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let uniqueViolation = SQLState(rawValue: "23505")
    public static let foreignKeyViolation = SQLState(rawValue: "23503")
    public static let checkViolation = SQLState(rawValue: "23514")
    public static let notNullViolation = SQLState(rawValue: "23502")
    public static let exclusionViolation = SQLState(rawValue: "23P01")
    public static let serializationFailure = SQLState(rawValue: "40001")
    public static let deadlockDetected = SQLState(rawValue: "40P01")
    public static let queryCanceled = SQLState(rawValue: "57014")
    public static let adminShutdown = SQLState(rawValue: "57P01")
    public static let raiseException = SQLState(rawValue: "P0001")

    /// The two-character class ("23" integrity, "08" connection, ...).
    public var errorClass: String { String(rawValue.prefix(2)) }
    public var description: String { rawValue }
}

/// Every failure of the PQ layer. `description` is deliberately generic, so that
/// nothing internal reaches a page or a log line that a user could see; the server's
/// message and the constraint name are in `debugDescription` and the fields.
public struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// Could not connect (server down, wrong address, authentication).
        case connectionFailed
        /// The connection broke while in use (server restarted, backend terminated).
        case connectionLost
        /// No connection became free within the pool's acquire timeout.
        case poolTimeout
        /// The pool was shut down.
        case poolClosed
        /// The server answered with an error; see `sqlState`.
        case server
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// A value cannot be sent to PostgreSQL (for example text with a NUL character).
        case invalidParameter
    }

    public let kind: Kind
    public let sqlState: SQLState?
    /// The server's or libpq's message. Never shown to users.
    public let message: String
    public let constraint: String?
    public let table: String?
    public let column: String?

    public init(
        kind: Kind, sqlState: SQLState? = nil, message: String,
        constraint: String? = nil, table: String? = nil, column: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
        self.table = table
        self.column = column
    }

    public var isUniqueViolation: Bool { sqlState == .uniqueViolation }
    public var isForeignKeyViolation: Bool { sqlState == .foreignKeyViolation }
    public var isCheckViolation: Bool { sqlState == .checkViolation }
    public var isExclusionViolation: Bool { sqlState == .exclusionViolation }
    /// Serialization failures and deadlocks: the transaction may succeed when run again.
    public var isRetryable: Bool { sqlState == .serializationFailure || sqlState == .deadlockDetected }
    /// The database could not be reached or the connection broke: the service is unavailable.
    public var isUnavailable: Bool {
        switch kind {
        case .connectionFailed, .connectionLost, .poolTimeout, .poolClosed: return true
        case .server: return sqlState?.errorClass == "08" || sqlState?.errorClass == "57"
        case .decoding, .invalidParameter: return false
        }
    }

    public var description: String {
        switch kind {
        case .connectionFailed: return "PostgresError: could not connect to the database"
        case .connectionLost: return "PostgresError: the database connection was lost"
        case .poolTimeout: return "PostgresError: no database connection available in time"
        case .poolClosed: return "PostgresError: the connection pool is closed"
        case .server: return "PostgresError: the database rejected a statement (SQLSTATE \(sqlState?.rawValue ?? "?"))"
        case .decoding: return "PostgresError: a database value could not be decoded"
        case .invalidParameter: return "PostgresError: a value could not be sent to the database"
        }
    }

    public var debugDescription: String {
        var parts = ["PostgresError(kind: \(kind)"]
        if let sqlState { parts.append("sqlState: \(sqlState)") }
        parts.append("message: \(message.debugDescription)")
        if let constraint { parts.append("constraint: \(constraint)") }
        if let table { parts.append("table: \(table)") }
        if let column { parts.append("column: \(column)") }
        return parts.joined(separator: ", ") + ")"
    }
}

extension PostgresError {
    /// Reads the error fields of a failed result. The result stays owned by the caller.
    static func from(result: OpaquePointer, connectionBroken: Bool) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let pointer = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: pointer)
        }
        let state = field(UInt8(ascii: "C")).map(SQLState.init(rawValue:))
        let message = field(UInt8(ascii: "M")) ?? String(cString: PQresultErrorMessage(result))
        let kind: Kind = connectionBroken ? .connectionLost : .server
        return PostgresError(
            kind: kind, sqlState: state, message: message,
            constraint: field(UInt8(ascii: "n")),
            table: field(UInt8(ascii: "t")),
            column: field(UInt8(ascii: "c"))
        )
    }
}
