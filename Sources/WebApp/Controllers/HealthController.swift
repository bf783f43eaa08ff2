import Hummingbird
import Store

/// `/healthz`: 200 when the database answers within two seconds, 503 otherwise.
struct HealthController {
    let store: Store

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/healthz") { _, _ -> Response in
            let healthy = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    do {
                        try await store.ping()
                        return true
                    } catch {
                        return false
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(2))
                    return false
                }
                let first = await group.next() ?? false
                group.cancelAll()
                return first
            }
            return Response(
                status: healthy ? .ok : .serviceUnavailable,
                headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: healthy ? "ok\n" : "database unavailable\n"))
            )
        }
    }
}
