import PQ
import ServiceLifecycle

/// The database pool as a service of the application's service group: it is open while
/// the group runs and is shut down last, after the server and the background jobs
/// have stopped using it.
struct PoolService: Service {
    let pool: Pool

    func run() async throws {
        // Returns when the group shuts down gracefully (or throws when it is cancelled).
        try? await gracefulShutdown()
        await pool.shutdown()
    }
}
