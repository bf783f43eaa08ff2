import Domain
import Foundation
import Hummingbird
import PQ
import Store
import Synchronization

/// Keeps the public pages rendered for visitors (not logged in) and serves them again
/// while nothing a visitor can see has changed: a campaign's thousands of visitors of
/// `/vacatures` cost one render, not thousands.
///
/// A page is kept with the content version it was made at (a PostgreSQL sequence that
/// every change to postings, courses, meetings, organisations, ... takes a value of:
/// migration 0022) and the day in Amsterdam (what is open depends on the date). Each
/// request reads the version, one small query; a change on any instance makes every
/// kept page stale at once, so visitors see exactly what a fresh render shows. The one
/// exception is a render that runs in the instant between a change's statement and its
/// commit: `maximumAge` bounds how long such a page can stay.
///
/// Only the routes listed are kept; only 200 answers without a cookie of their own,
/// to requests without a session of a logged-in person and without an Authorization
/// header (an API token sees its own drafts). `Cache-Control: no-cache` in a request
/// skips the cache (the benchmark measures the render that way too).
struct VisitorPageCache: RouterMiddleware {
    typealias Context = AppRequestContext

    final class Storage: Sendable {
        struct Entry: Sendable {
            let body: ByteBuffer
            let headers: HTTPFields
            let version: Int
            let day: Day
            let madeAt: ContinuousClock.Instant
        }

        struct State {
            var entries: [String: Entry] = [:]
            var bytes = 0
            /// Pages being rendered, with the requests waiting for them: at a peak, fifty
            /// visitors of a page that just went stale cost one render, not fifty.
            var rendering: [String: [CheckedContinuation<Void, Never>]] = [:]
        }

        let state = Mutex(State())
        let maximumEntries: Int
        let maximumBytes: Int

        init(maximumEntries: Int = 2_000, maximumBytes: Int = 64 << 20) {
            self.maximumEntries = maximumEntries
            self.maximumBytes = maximumBytes
        }

        func entry(_ key: String, version: Int, day: Day, now: ContinuousClock.Instant) -> Entry? {
            state.withLock { state in
                guard let entry = state.entries[key] else { return nil }
                // A page made at a later version than this request read is newer still: good.
                guard entry.version >= version, entry.day == day, now - entry.madeAt < VisitorPageCache.maximumAge else {
                    state.entries[key] = nil
                    state.bytes -= entry.body.readableBytes
                    return nil
                }
                return entry
            }
        }

        func keep(_ key: String, _ entry: Entry) {
            state.withLock { state in
                if let old = state.entries.removeValue(forKey: key) { state.bytes -= old.body.readableBytes }
                // Full: the stale go first, then the oldest.
                if state.entries.count >= maximumEntries || state.bytes + entry.body.readableBytes > maximumBytes {
                    for (key, kept) in state.entries where kept.version < entry.version || kept.day != entry.day {
                        state.entries[key] = nil
                        state.bytes -= kept.body.readableBytes
                    }
                    while !state.entries.isEmpty
                        && (state.entries.count >= maximumEntries || state.bytes + entry.body.readableBytes > maximumBytes) {
                        let oldest = state.entries.min { $0.value.madeAt < $1.value.madeAt }!
                        state.entries[oldest.key] = nil
                        state.bytes -= oldest.value.body.readableBytes
                    }
                }
                guard entry.body.readableBytes <= maximumBytes else { return }
                state.entries[key] = entry
                state.bytes += entry.body.readableBytes
            }
        }

        /// True when this request is to render `key`; false after waiting for the
        /// request that was already rendering it (then look again).
        func startRendering(_ key: String) async -> Bool {
            enum Turn { case mine, wait }
            let turn: Turn = state.withLock { state in
                if state.rendering[key] == nil {
                    state.rendering[key] = []
                    return .mine
                }
                return .wait
            }
            if turn == .mine { return true }
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.rendering[key] != nil else { return true }
                    state.rendering[key]!.append(continuation)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
            return false
        }

        /// Lets the requests waiting for `key` go on.
        func doneRendering(_ key: String) {
            let waiting = state.withLock { state in state.rendering.removeValue(forKey: key) ?? [] }
            for continuation in waiting { continuation.resume() }
        }
    }

    /// How long a kept page may serve at most, whatever the version says.
    static let maximumAge: Duration = .seconds(10)

    /// Longer answers (a big sitemap) are served, not kept.
    static let maximumBodySize = 2 << 20

    let store: Store
    let storage: Storage
    /// Where visitors' public pages are read while it is usable (`DATABASE_READ_URL`).
    var replica: ReadReplica? = nil

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard request.method == .get, context.account == nil, request.headers[.authorization] == nil,
              VisitorPageCacheRoutes.isKept(request.uri.path)
        else { return try await next(request, context) }
        if let replica, let reads = replica.storeForVisitors() {
            do {
                // The version and the page both from the replica: what it has replayed.
                return try await ReadRouting.$replica.withValue(reads) {
                    try await serve(request, context, next, versions: reads)
                }
            } catch is PostgresError {
                // Gone, paused or conflicting with its replay: this read and the next
                // ones on the primary, until a check finds it usable again.
                replica.failed()
            }
        }
        return try await serve(request, context, next, versions: store)
    }

    private func serve(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response, versions: Store
    ) async throws -> Response {
        guard !(request.headers[.cacheControl] ?? "").contains("no-cache") else { return try await next(request, context) }
        let key = request.uri.path + "?" + (request.uri.query ?? "")
        let version = try await versions.contentVersion()
        let day = Day(Date())
        if let entry = storage.entry(key, version: version, day: day, now: .now) {
            return Self.answer(request, entry)
        }
        // One render per page at a time; the others wait for it and take what it kept
        // (or, when it kept nothing, render themselves).
        if await !storage.startRendering(key) {
            if let entry = storage.entry(key, version: version, day: day, now: .now) { return Self.answer(request, entry) }
            return try await render(request, context, next, key: key, version: version, day: day)
        }
        defer { storage.doneRendering(key) }
        return try await render(request, context, next, key: key, version: version, day: day)
    }

    private func render(
        _ request: Request, _ context: Context, _ next: (Request, Context) async throws -> Response, key: String, version: Int, day: Day
    ) async throws -> Response {
        let response = try await next(request, context)
        guard response.status == .ok, response.headers[.setCookie] == nil else { return response }
        // The body, whole: answers here are pages and JSON, written in one buffer.
        let collected = CollectingWriter.Collected()
        try await response.body.write(CollectingWriter(into: collected))
        let body = collected.buffer
        let text = String(buffer: body)
        if let token = context.session?.csrfToken, text.contains(token) {
            // Never keep a page that holds a person's own token.
            return Response(status: response.status, headers: response.headers, body: .init(byteBuffer: body))
        }
        var headers = response.headers
        if headers[.eTag] == nil { headers[.eTag] = "\"" + Response.fingerprint(text) + "\"" }
        let entry = Storage.Entry(body: body, headers: headers, version: version, day: day, madeAt: .now)
        if body.readableBytes <= Self.maximumBodySize { storage.keep(key, entry) }
        return Self.answer(request, entry)
    }

    /// The kept answer, or 304 when the request holds its ETag.
    static func answer(_ request: Request, _ entry: Storage.Entry) -> Response {
        Response.conditional(request, body: entry.body, headers: entry.headers)
    }
}

/// The routes whose pages are kept for visitors.
public enum VisitorPageCacheRoutes {
    /// The public pages: lists, searches, feeds and their detail pages.
    public static func isKept(_ path: String) -> Bool {
        switch path {
        case "/", "/vacatures", "/vacatures.atom", "/academie", "/api/v1/postings", "/ooapi/v5", "/ooapi/v5/courses", "/sitemap.xml":
            return true
        default:
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            func isID(_ part: Substring) -> Bool { part.count == 36 && UUID(uuidString: String(part)) != nil }
            switch parts.count {
            case 3: return (parts[1] == "vacatures" || parts[1] == "academie") && isID(parts[2])
            case 5: return (parts[1] == "api" && parts[2] == "v1" && parts[3] == "postings" && isID(parts[4]))
                || (parts[1] == "ooapi" && parts[2] == "v5" && parts[3] == "courses" && isID(parts[4]))
            case 6: return parts[1] == "ooapi" && parts[2] == "v5" && parts[3] == "courses" && isID(parts[4]) && parts[5] == "offerings"
            default: return false
            }
        }
    }
}

/// Collects a response body into one buffer.
struct CollectingWriter: ResponseBodyWriter {
    final class Collected {
        var buffer = ByteBuffer()
    }

    let into: Collected

    mutating func write(_ buffer: ByteBuffer) async throws {
        var buffer = buffer
        into.buffer.writeBuffer(&buffer)
    }

    consuming func finish(_ trailingHeaders: HTTPFields?) async throws {}
}
