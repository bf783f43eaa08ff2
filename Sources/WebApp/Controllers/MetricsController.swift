import Foundation
import Hummingbird
import Metrics
import Passwords
import PQ
import Prometheus
import Store

/// The process's metrics in one Prometheus registry. swift-metrics is bootstrapped
/// with it once (Hummingbird's `MetricsMiddleware` records every request through it:
/// requests per route, method and status, their duration as a histogram, errors, and
/// requests in flight); Doorstroom's own figures are made on the registry directly.
/// Names are Prometheus names: swift-metrics' dots become underscores.
public enum DoorstroomMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.nameAndLabelSanitizer = { name, labels in
            (prometheusName(name), labels.map { (prometheusName($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func prometheusName(_ text: String) -> String {
        String(text.unicodeScalars.map { scalar -> Character in
            ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || scalar == "_" ? Character(scalar) : "_"
        })
    }

    static func name(_ metricName: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "doorstroom", metricName: metricName, unitName: unit, helpText: help)
    }

    static let loginFailures = registry.makeCounter(
        descriptor: name("login_failures", "total", "Logins refused for a wrong address, password or code."))
    static let loginThrottled = registry.makeCounter(
        descriptor: name("login_throttled", "total", "Logins refused because too many failed for the address or the client."))
    static let matchingRuns = registry.makeCounter(
        descriptor: name("matching_runs", "total", "Matching runs started from the coordinators' board."))
    static let matchingSeconds = registry.makeDurationHistogram(
        descriptor: name("matching_run", "seconds", "How long a matching run from the board took, database work included."),
        buckets: [.milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30)])
    static let connectionsInUse = registry.makeGauge(
        descriptor: name("db", "connections", "Database connections of this instance, by state."), labels: [("state", "in_use")])
    static let connectionsIdle = registry.makeGauge(
        descriptor: name("db", "connections", "Database connections of this instance, by state."), labels: [("state", "idle")])
    static let connectionsWaiting = registry.makeGauge(
        descriptor: name("db_connection", "waiters", "Requests waiting for a free database connection."))
    static let outbox: [String: Prometheus.Gauge] = Dictionary(uniqueKeysWithValues: ["pending", "sending", "failed"].map { state in
        (state, registry.makeGauge(
            descriptor: name("outbox", "messages", "Messages in the mail outbox (the region's, not this instance's), by state: failed ones gave up."),
            labels: [("state", state)]))
    })

    /// A login (or second step) refused for a wrong password or code.
    public static func loginFailed() { loginFailures.increment() }

    /// A login refused by the throttling.
    public static func loginWasThrottled() { loginThrottled.increment() }

    /// A matching run from the board, and how long it took.
    public static func matchingRan(in duration: Duration) {
        matchingRuns.increment()
        matchingSeconds.record(duration)
    }

    /// The text format, with the figures read at this moment set first.
    static func exposition(store: Store) async throws -> String {
        // Every figure shows from the first scrape on, at 0 until it happens.
        _ = (loginFailures, loginThrottled, matchingRuns, matchingSeconds)
        let pool = store.pool
        let open = await pool.openConnections, idle = await pool.idleConnections, waiting = await pool.waitingCount
        connectionsInUse.set(Int64(open - idle))
        connectionsIdle.set(Int64(idle))
        connectionsWaiting.set(Int64(waiting))
        let counts = try await store.pool.query(
            "SELECT email_state, count(*) FROM notification WHERE email_state IN ('pending', 'sending', 'failed') GROUP BY 1"
        ).decode((String, Int).self)
        for (state, gauge) in outbox {
            gauge.set(Int64(counts.first { $0.0 == state }?.1 ?? 0))
        }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(16_384)
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}

/// `GET /metrics` in the Prometheus text format, never to the public: with the
/// configured token (`Authorization: Bearer …`, `METRICS_TOKEN`), or straight from one
/// of the configured addresses (`--metrics-from`, loopback by default) without a proxy
/// in between (a request that came through the proxy carries X-Forwarded-For: it is a
/// visitor's). Everyone else gets 404, as for a page that does not exist.
struct MetricsController: RouteCollection {
    let store: Store
    let token: String?
    let allowedAddresses: Set<String>

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/metrics", use: metrics)
    }

    /// GET /metrics
    @Sendable func metrics(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard mayRead(request, context) else { throw HTTPError(.notFound) }
        return Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: try await DoorstroomMetrics.exposition(store: store))))
    }

    func mayRead(_ request: Request, _ context: AppRequestContext) -> Bool {
        if let token, !token.isEmpty, let given = request.headers[.authorization], given.hasPrefix("Bearer ") {
            return constantTimeEqual(String(given.dropFirst(7)), token)
        }
        guard request.headers[.xForwardedFor] == nil, let peer = context.remoteAddress?.ipAddress else { return false }
        return allowedAddresses.contains(peer)
    }
}
