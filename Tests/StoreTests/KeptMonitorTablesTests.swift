import Domain
import Foundation
@testable import Store
import Synchronization
import Testing

/// The monitor's kept tables: people who find nothing kept wait for one computation
/// together, a table over a minute old still answers while the next is computed, and
/// a newer figures version is always waited for.
@Suite("The monitor's kept tables")
struct KeptMonitorTablesTests {
    static let key = MonitorStore.KeptTables.Key(
        id: "postings", period: MonitorPeriod.parse(from: "2021-01", to: "2021-03", step: "maand", today: Day(year: 2026, month: 11, day: 23)!),
        scope: .region, day: Day(year: 2026, month: 11, day: 23)!)

    static func table(_ title: String) -> MonitorTable { MonitorTable(id: "postings", title: title, columns: [], rows: []) }

    @Test func peopleWhoFindNothingKeptWaitForOneComputation() async throws {
        let kept = MonitorStore.KeptTables()
        let computations = Atomic<Int>(0)
        let compute: @Sendable () async throws -> MonitorTable? = {
            computations.add(1, ordering: .relaxed)
            try await Task.sleep(for: .milliseconds(200))
            return Self.table("versie 7")
        }
        let titles = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<20 { group.addTask { try await kept.flight(Self.key, version: 7, compute).value?.title } }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(titles == Array(repeating: "versie 7", count: 20))
        #expect(computations.load(ordering: .relaxed) == 1)
        guard case .fresh(let table) = kept.find(Self.key, version: 7) else { Issue.record("the computed table is kept"); return }
        #expect(table.title == "versie 7")
        // A change to what it counts: the kept table no longer answers.
        guard case .missing = kept.find(Self.key, version: 8) else { Issue.record("a newer version is waited for"); return }
    }

    @Test func anAgedTableAnswersWhileTheNextIsComputed() async throws {
        let kept = MonitorStore.KeptTables()
        kept.entries.withLock { $0[Self.key] = .init(version: 3, table: Self.table("oud"), madeAt: .now - .seconds(90)) }
        guard case .aged(let aged) = kept.find(Self.key, version: 3) else { Issue.record("over a minute old, same version"); return }
        #expect(aged.title == "oud")
        _ = try await kept.flight(Self.key, version: 3) { Self.table("nieuw") }.value
        guard case .fresh(let fresh) = kept.find(Self.key, version: 3) else { Issue.record("the refresh is kept"); return }
        #expect(fresh.title == "nieuw")
        // Ten minutes old: waited for, not shown.
        kept.entries.withLock { $0[Self.key] = .init(version: 3, table: Self.table("oud"), madeAt: .now - .seconds(700)) }
        guard case .missing = kept.find(Self.key, version: 3) else { Issue.record("too old to show"); return }
    }
}
