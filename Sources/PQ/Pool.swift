import Logging
import NIOPosix

/// A bounded set of connections. Each connection serves one task at a time; libpq's
/// blocking calls run on the pool's own threads, never on an event loop or Swift's
/// cooperative pool. A task that gets no connection within `acquireTimeout` fails
/// with `.poolTimeout` instead of waiting forever; a broken connection is dropped and
/// replaced on the next demand.
public actor Pool: Queryable {
    public struct Configuration: Sendable {
        public var connection: ConnectionConfiguration
        public var maxConnections: Int
        public var acquireTimeout: Duration

        public init(connection: ConnectionConfiguration, maxConnections: Int = 10, acquireTimeout: Duration = .seconds(5)) {
            precondition(maxConnections > 0, "a pool needs at least one connection")
            self.connection = connection
            self.maxConnections = maxConnections
            self.acquireTimeout = acquireTimeout
        }
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Connection, any Error>
        let deadline: ContinuousClock.Instant
    }

    public nonisolated let configuration: Configuration
    nonisolated let threads: NIOThreadPool
    nonisolated let logger: Logger

    private var idle: [Connection] = []
    private var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var isClosed = false
    /// One task expires the waiters whose time is up (every waiter has the same
    /// timeout, so the first in the list is always the first to expire).
    private var reaper: Task<Void, Never>?

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        threads = NIOThreadPool(numberOfThreads: configuration.maxConnections)
        threads.start()
    }

    /// Closes every connection and fails whoever waits. Connections in use are closed
    /// when they come back.
    public func shutdown() async {
        guard !isClosed else { return }
        isClosed = true
        let closing = idle
        idle.removeAll()
        openCount -= closing.count
        for waiter in waiters {
            waiter.continuation.resume(throwing: PostgresError(kind: .poolClosed, message: "pool shut down"))
        }
        waiters.removeAll()
        reaper?.cancel()
        reaper = nil
        for connection in closing { connection.close() }
        try? await threads.shutdownGracefully()
    }

    /// Connections open now (idle and in use), for tests and health output.
    public var openConnections: Int { openCount }

    /// Open connections that no one holds now.
    public var idleConnections: Int { idle.count }

    /// Tasks waiting for a connection now.
    public var waitingCount: Int { waiters.count }

    // MARK: Running statements

    public nonisolated func query(_ statement: SQL) async throws -> QueryResult {
        try await withConnection { connection in
            try await self.run(statement, on: connection)
        }
    }

    /// Lends one connection to `body` for its whole run (for session-level state such as
    /// advisory locks). The connection goes back to the pool afterwards, or is dropped if
    /// it broke.
    public nonisolated func withConnection<Result>(
        _ body: (Connection) async throws -> Result
    ) async throws -> Result {
        let connection = try await acquire()
        do {
            let result = try await body(connection)
            await release(connection)
            return result
        } catch {
            await release(connection)
            throw error
        }
    }

    /// Runs a statement on a pool thread.
    nonisolated func run(_ statement: SQL, on connection: Connection) async throws -> QueryResult {
        do {
            return try await threads.runIfActive { try connection.execute(statement) }
        } catch let error as PostgresError {
            if error.kind == .connectionLost {
                logger.warning("database connection lost", metadata: ["postgres.error": "\(error.kind)"])
            }
            throw error
        }
    }

    /// Runs a parameterless script on a pool thread.
    nonisolated func runScript(_ script: SQL, on connection: Connection) async throws {
        try await threads.runIfActive { try connection.executeScript(script) }
    }

    // MARK: Lending connections

    private func acquire() async throws -> Connection {
        if isClosed { throw PostgresError(kind: .poolClosed, message: "pool shut down") }
        while let connection = idle.popLast() {
            if connection.isUsableAfterIdle { return connection }
            openCount -= 1
            discard(connection)
        }
        if openCount < configuration.maxConnections {
            openCount += 1
            do {
                return try await open()
            } catch {
                openCount -= 1
                throw error
            }
        }
        let id = nextWaiterID
        nextWaiterID += 1
        let deadline = ContinuousClock.now + configuration.acquireTimeout
        // A waiter whose task is cancelled (the client went away) leaves the list at
        // once instead of holding its place until the timeout.
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                    return
                }
                waiters.append(Waiter(id: id, continuation: continuation, deadline: deadline))
                if reaper == nil {
                    reaper = Task { await self.expireWaiters() }
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// Fails each waiter at its deadline; ends when nobody waits.
    private func expireWaiters() async {
        while let first = waiters.first {
            try? await Task.sleep(until: first.deadline, clock: .continuous)
            if Task.isCancelled { return }
            let now = ContinuousClock.now
            while let waiter = waiters.first, waiter.deadline <= now {
                waiters.removeFirst()
                logger.warning("no database connection free in time", metadata: ["pool.size": "\(configuration.maxConnections)"])
                waiter.continuation.resume(
                    throwing: PostgresError(kind: .poolTimeout, message: "no connection within \(configuration.acquireTimeout)")
                )
            }
        }
        reaper = nil
    }

    private func release(_ connection: Connection) {
        if isClosed || connection.isBroken {
            openCount -= 1
            discard(connection)
            replaceForWaiters()
            return
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    /// After a broken connection was dropped, opens a new one for the first waiter.
    private func replaceForWaiters() {
        guard !isClosed, !waiters.isEmpty, openCount < configuration.maxConnections else { return }
        openCount += 1
        Task {
            do {
                let connection = try await self.open()
                self.handOver(connection)
            } catch {
                self.failFirstWaiter(error)
            }
        }
    }

    private func handOver(_ connection: Connection) {
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: connection)
        } else {
            idle.append(connection)
        }
    }

    private func failFirstWaiter(_ error: any Error) {
        openCount -= 1
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(throwing: error)
        }
    }

    private func open() async throws -> Connection {
        let configuration = configuration.connection
        do {
            let connection = try await threads.runIfActive { try Connection.connect(configuration) }
            logger.debug("database connection opened", metadata: ["postgres.pid": "\(connection.backendPID)"])
            return connection
        } catch let error as PostgresError {
            logger.error("could not connect to the database", metadata: ["postgres.error": "\(error.kind)"])
            throw error
        }
    }

    private nonisolated func discard(_ connection: Connection) {
        threads.submit { _ in connection.close() }
    }
}
