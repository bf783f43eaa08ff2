import Foundation
import Hummingbird
import Store
import Synchronization

/// `/healthz` (liveness): 200 when the database answers within two seconds, 503
/// otherwise. `/readyz` (readiness, for a proxy or an orchestrator deciding whether
/// to send this instance traffic): 200 when the database answers within two seconds
/// and its schema holds every migration this build knows; 503 with the reason
/// otherwise, as JSON (`ready`, `database`, `schema`, `needed`).
struct HealthController: RouteCollection {
    let store: Store
    /// The last migration this build knows (nil: not checked).
    let schemaVersion: Int?
    /// The replica for visitors' pages, if any: its state is reported, not required.
    var replica: ReadReplica? = nil

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
        router.get("/readyz", use: ready)
    }

    /// GET /readyz
    @Sendable func ready(_ request: Request, context: AppRequestContext) async throws -> Response {
        let applied = Found<Int>()
        let answers = await Self.answers(within: .seconds(2)) {
            let version = try await store.schemaVersion()
            applied.value.withLock { $0 = version }
        }
        let schema = applied.value.withLock { $0 }
        let current = schemaVersion.map { needed in (schema ?? 0) >= needed } ?? true
        let ready = answers && current
        var replicaState = ""
        if let replica {
            _ = replica.storeForVisitors()
            let (usable, lag) = replica.status
            replicaState = ",\"replica\":{\"usable\":\(usable),\"lag\":\(lag.map { String(format: "%.1f", $0) } ?? "null")}"
        }
        let body = "{\"ready\":\(ready),\"database\":\(answers),\"schema\":\(schema.map(String.init) ?? "null"),\"needed\":\(schemaVersion.map(String.init) ?? "null")\(replicaState)}\n"
        return Response(
            status: ready ? .ok : .serviceUnavailable,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: - Handlers

    /// GET /healthz
    @Sendable func health(_ request: Request, context: AppRequestContext) async throws -> Response {
        let healthy = await Self.answers(within: .seconds(2)) { try await store.ping() }
        return Response(
            status: healthy ? .ok : .serviceUnavailable,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: healthy ? "ok\n" : "database unavailable\n"))
        )
    }

    /// Whether `probe` succeeds within `limit`. The probe runs in a task of its own that
    /// is not awaited: a database that is paused (SIGSTOP) or unreachable leaves the
    /// probe blocked in libpq, which no cancellation reaches, and the answer must not
    /// wait for it.
    static func answers(within limit: Duration, _ probe: @escaping @Sendable () async throws -> Void) async -> Bool {
        await withCheckedContinuation { continuation in
            let race = Race(continuation)
            Task {
                do {
                    try await probe()
                    race.decide(true)
                } catch {
                    race.decide(false)
                }
            }
            Task {
                try? await Task.sleep(for: limit)
                race.decide(false)
            }
        }
    }

    /// What a probe found, shared with the request that may stop waiting for it.
    final class Found<Value: Sendable>: Sendable {
        let value = Mutex<Value?>(nil)
    }

    /// The first answer wins; later ones are dropped.
    final class Race: Sendable {
        private let continuation: Mutex<CheckedContinuation<Bool, Never>?>

        init(_ continuation: CheckedContinuation<Bool, Never>) {
            self.continuation = Mutex(continuation)
        }

        func decide(_ result: Bool) {
            continuation.withLock { waiting in
                waiting?.resume(returning: result)
                waiting = nil
            }
        }
    }
}
