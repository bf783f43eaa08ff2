import Hummingbird
import Store
import Synchronization

/// `/healthz`: 200 when the database answers within two seconds, 503 otherwise.
struct HealthController: RouteCollection {
    let store: Store

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz", use: health)
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
