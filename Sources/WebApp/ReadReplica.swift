import Foundation
import Store
import Synchronization

/// A streaming replica for the public read pages (`DATABASE_READ_URL`): visitors'
/// lists, searches, feeds, OOAPI and the sitemap read from it while it answers and lags
/// its primary by less than `maximumLag`; otherwise, and for everything else (every
/// write, everything a logged-in person sees), the primary. Whether it is usable is
/// checked at most once a second, in the background, with a one-second limit: a
/// replica that is gone or paused is found out within about two seconds, and a read
/// that fails on it in between is done again on the primary (`VisitorPageCache`).
public final class ReadReplica: Sendable {
    public let store: Store
    /// Replay lag above which visitors read from the primary.
    public let maximumLag: Double
    static let checkEvery: Duration = .seconds(1)

    struct State {
        var usable = false
        var lag: Double?
        var checkedAt: ContinuousClock.Instant?
        var checking = false
    }

    private let state = Mutex(State())

    public init(store: Store, maximumLag: Double = 5) {
        self.store = store
        self.maximumLag = maximumLag
    }

    /// The replica's store when a visitor's read may go there now, else nil (the
    /// primary). Starts the next check when the last one is a second old.
    func storeForVisitors() -> Store? {
        let (usable, due) = state.withLock { state -> (Bool, Bool) in
            let due = !state.checking && (state.checkedAt.map { ContinuousClock.now - $0 >= Self.checkEvery } ?? true)
            if due { state.checking = true }
            return (state.usable, due)
        }
        if due { Task { await self.check() } }
        return usable ? store : nil
    }

    /// A read on the replica failed: the primary until the next check says otherwise.
    func failed() {
        state.withLock { $0.usable = false }
    }

    /// Asks the replica how far behind it is, within a second.
    func check() async {
        let lag = HealthController.Found<Double>()
        let answered = await HealthController.answers(within: .seconds(1)) {
            let seconds = try await self.store.replicaLag()
            lag.value.withLock { $0 = seconds }
        }
        let seconds = answered ? lag.value.withLock { $0 } : nil
        state.withLock { state in
            state.lag = seconds
            state.usable = seconds.map { $0 < maximumLag } ?? false
            state.checkedAt = .now
            state.checking = false
        }
    }

    /// Whether visitors read from the replica now, and its lag at the last check (for
    /// tests and the logs).
    public var status: (usable: Bool, lag: Double?) {
        state.withLock { ($0.usable, $0.lag) }
    }
}

/// Which store a visitor's public read uses now: set (to the replica's) by
/// `VisitorPageCache` around a visitor's GET of a public page while the replica is
/// usable; unset everywhere else.
enum ReadRouting {
    @TaskLocal static var replica: Store?
}

/// A controller's store that reads from the replica inside `ReadRouting.replica`'s
/// scope (a visitor's GET of a public page) and from the primary everywhere else.
@propertyWrapper
struct VisitorReads: Sendable {
    let primary: Store

    init(wrappedValue: Store) {
        primary = wrappedValue
    }

    var wrappedValue: Store { ReadRouting.replica ?? primary }
}
