import CLibPQ
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// One libpq connection. Its calls block, so only the pool's threads call them;
/// the mutex makes sure that one thread at a time uses the `PGconn`.
public final class Connection: Sendable {
    /// The `PGconn`. It may move between threads but is only ever used under the mutex.
    /// With it, the statements prepared on it: statement text and parameter types →
    /// the prepared statement's name.
    struct Handle: @unchecked Sendable {
        let pointer: OpaquePointer
        var prepared: [PreparedKey: String] = [:]
        /// Names are never used twice on a connection.
        var preparedNames = 0
    }

    struct PreparedKey: Hashable {
        let text: String
        let types: [Oid]
    }

    /// The most statements one connection keeps prepared. The program's statements
    /// with every combination of filters are more than the hot ones; past the limit a
    /// statement is sent with its parameters as before (parsed and planned each time).
    public static let preparedLimit = 200

    private let handle: Mutex<Handle?>

    private init(_ pointer: OpaquePointer) {
        handle = Mutex(Handle(pointer: pointer))
    }

    deinit {
        handle.withLock { handle in
            if let handle { PQfinish(handle.pointer) }
            handle = nil
        }
    }

    /// Connects, blocking the calling thread until libpq is done or gives up.
    public static func connect(_ configuration: ConnectionConfiguration) throws(PostgresError) -> Connection {
        let pairs = configuration.keywordValuePairs
        let keywords = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let pointer: OpaquePointer? =
            (keywords.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { keywordBuffer in
                (values.map { UnsafePointer($0) } + [nil]).withUnsafeBufferPointer { valueBuffer in
                    PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 1)
                }
            }
        guard let pointer else {
            throw PostgresError(kind: .connectionFailed, message: "libpq could not allocate a connection")
        }
        // From here on the connection object owns the pointer: deinit calls PQfinish,
        // also when the connection attempt failed.
        let connection = Connection(pointer)
        guard PQstatus(pointer) == CONNECTION_OK else {
            throw PostgresError(kind: .connectionFailed, message: String(cString: PQerrorMessage(pointer)))
        }
        // libpq prints NOTICE messages to stderr by default; they are not errors and
        // the service's own log says what matters, so drop them.
        PQsetNoticeProcessor(pointer, { _, _ in }, nil)
        return connection
    }

    /// Whether libpq considers the connection broken (or it was closed).
    public var isBroken: Bool {
        handle.withLock { handle in
            guard let handle else { return true }
            return PQstatus(handle.pointer) != CONNECTION_OK
        }
    }

    /// Whether an idle connection is still usable. A backend that was terminated
    /// (`pg_terminate_backend`, a restart) sends a FATAL message and closes the socket,
    /// which libpq only notices when it next reads. An idle connection expects nothing
    /// from the server (no LISTEN here), so anything readable on its socket, that
    /// message or the end of the stream, means it should be replaced. The check is a
    /// `poll` with no wait: the pool asks it before lending an idle connection, so a
    /// terminated one is replaced instead of failing a request.
    public var isUsableAfterIdle: Bool {
        handle.withLock { handle in
            guard let handle, PQstatus(handle.pointer) == CONNECTION_OK,
                  PQtransactionStatus(handle.pointer) == PQTRANS_IDLE
            else { return false }
            let socket = PQsocket(handle.pointer)
            guard socket >= 0 else { return false }
            var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, 0)
            return ready == 0
        }
    }

    /// The server process serving this connection.
    public var backendPID: Int32 {
        handle.withLock { handle in handle.map { PQbackendPID($0.pointer) } ?? 0 }
    }

    /// Closes the connection; later calls fail with `connectionLost`.
    public func close() {
        handle.withLock { handle in
            if let handle { PQfinish(handle.pointer) }
            handle = nil
        }
    }

    /// Runs one statement with its parameters (extended protocol), blocking.
    ///
    /// A statement is prepared on the connection the first time it runs there and then
    /// run by name, so PostgreSQL parses it once and may keep a generic plan (its
    /// `plan_cache_mode = auto`: the first five runs are planned for their values, a
    /// generic plan is kept only when it costs no more). Statements that say
    /// `plansEachTime` are never prepared, nor any past `preparedLimit`.
    public func execute(_ statement: SQL) throws(PostgresError) -> QueryResult {
        let (text, bindings) = statement.render()
        var values: [UnsafeMutablePointer<CChar>?] = []
        values.reserveCapacity(bindings.count)
        defer { values.forEach { free($0) } }
        for binding in bindings {
            guard let value = binding.text else {
                values.append(nil)
                continue
            }
            // PostgreSQL text cannot hold NUL; libpq would silently cut the value there.
            guard !value.utf8.contains(0) else {
                throw PostgresError(kind: .invalidParameter, message: "a parameter contains a NUL character")
            }
            guard let copy = strdup(value) else {
                throw PostgresError(kind: .invalidParameter, message: "out of memory copying a parameter")
            }
            values.append(copy)
        }
        let types = bindings.map { Oid($0.type.rawValue) }
        let constValues = values.map { UnsafePointer($0) }
        let plansEachTime = statement.plansEachTime
        return try handle.withLock { handle throws(PostgresError) -> QueryResult in
            guard let pointer = handle?.pointer else {
                throw PostgresError(kind: .connectionLost, message: "the connection was closed")
            }
            let key = PreparedKey(text: text, types: types)
            var name = plansEachTime ? nil : handle?.prepared[key]
            if name == nil, !plansEachTime, var kept = handle, kept.prepared.count < Self.preparedLimit {
                kept.preparedNames += 1
                let fresh = "doorstroom_\(kept.preparedNames)"
                handle = kept
                let prepared = types.withUnsafeBufferPointer { typeBuffer in
                    PQprepare(pointer, fresh, text, Int32(bindings.count), typeBuffer.baseAddress)
                }
                _ = try Self.consume(prepared, connection: pointer)
                handle?.prepared[key] = fresh
                name = fresh
            }
            let result: OpaquePointer? = types.withUnsafeBufferPointer { typeBuffer in
                constValues.withUnsafeBufferPointer { valueBuffer in
                    if let name {
                        PQexecPrepared(pointer, name, Int32(bindings.count), valueBuffer.baseAddress, nil, nil, 0)
                    } else {
                        PQexecParams(
                            pointer, text, Int32(bindings.count),
                            typeBuffer.baseAddress, valueBuffer.baseAddress,
                            nil, nil, 0
                        )
                    }
                }
            }
            do throws(PostgresError) {
                return try Self.consume(result, connection: pointer)
            } catch {
                // A prepared statement whose tables changed shape since ("cached plan
                // must not change result type"): prepared again next time.
                if name != nil, error.sqlState?.rawValue == "0A000" { handle?.prepared[key] = nil }
                throw error
            }
        }
    }

    /// Runs a script of several statements through the simple query protocol, blocking.
    /// Only for SQL the program ships (migration files): it takes no parameters.
    public func executeScript(_ script: SQL) throws(PostgresError) {
        let (text, bindings) = script.render()
        guard bindings.isEmpty else {
            throw PostgresError(kind: .invalidParameter, message: "a script cannot take parameters")
        }
        try handle.withLock { handle throws(PostgresError) in
            guard let pointer = handle?.pointer else {
                throw PostgresError(kind: .connectionLost, message: "the connection was closed")
            }
            _ = try Self.consume(PQexec(pointer, text), connection: pointer)
        }
    }

    /// Copies the rows out of a result and frees it.
    private static func consume(_ result: OpaquePointer?, connection: OpaquePointer) throws(PostgresError) -> QueryResult {
        guard let result else {
            let broken = PQstatus(connection) != CONNECTION_OK
            throw PostgresError(
                kind: broken ? .connectionLost : .server,
                message: String(cString: PQerrorMessage(connection))
            )
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return QueryResult(columns: [], cells: [], affectedRows: affectedRows(result))
        case PGRES_TUPLES_OK:
            let rowCount = Int(PQntuples(result))
            let columnCount = Int(PQnfields(result))
            var columns: [String] = []
            columns.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                columns.append(String(cString: PQfname(result, Int32(column))))
            }
            var cells: [String?] = []
            cells.reserveCapacity(rowCount * columnCount)
            for row in 0..<Int32(rowCount) {
                for column in 0..<Int32(columnCount) {
                    if PQgetisnull(result, row, column) == 1 {
                        cells.append(nil)
                    } else {
                        cells.append(String(cString: PQgetvalue(result, row, column)))
                    }
                }
            }
            return QueryResult(columns: columns, cells: cells, affectedRows: rowCount)
        default:
            throw PostgresError.from(result: result, connectionBroken: PQstatus(connection) != CONNECTION_OK)
        }
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }
}
