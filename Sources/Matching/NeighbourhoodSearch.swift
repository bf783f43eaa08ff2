import Domain
import Foundation

extension Problem {
    /// Large-neighbourhood search around the gaps: pick an open place, free every new
    /// shift of a few people who could have taken it, and plan those people again one
    /// after another (each exactly, `PersonSchedule`, in a random order), then let anyone
    /// take the places they gave up. The change stays when it fills at least as many
    /// urgent places and places as before, and is undone otherwise; equal moves are kept
    /// so the search can cross plateaus. Seeded, with a fixed number of moves, so the
    /// same input gives the same result.
    /// With `stopAt`, the search ends once that many places are filled (the bound: nothing
    /// better exists). It also ends when it stalls: once it has gone as long without a
    /// gain as it took to find the last one (after at least `stallMoves` moves, and
    /// `stallTries` per open place).
    mutating func searchNeighbourhoods(_ schedules: [PersonSchedule], prices: [Double]?, moves: Int, seed: UInt64, stopAt: Int? = nil) {
        var filled = score.1
        // Per demand, once: whether it is urgent, and what one more person on it is worth.
        let urgent = demands.map { $0.demand.priority == .urgent }
        let worth = demands.indices.map { d in Problem.weight(demands[d].demand.priority) * (1.05 - min(1, prices?[d] ?? 0)) }
        let places = demands.map(\.open)
        var random = SeededRandom(seed: seed)
        // What one more person on each demand is worth now (nothing once it is full), kept
        // as the moves change it, so a person's plan reads it without copying.
        var value = demands.indices.map { taken[$0] < places[$0] ? worth[$0] : 0 }
        var chosen: [Int] = []
        let scratch = PersonSchedule.Scratch()
        var gaps: [Int] = []
        var urgentGaps: [Int] = []
        var group: [Int] = []
        var swapped: [(at: Int, person: Int)] = []
        var old: [(p: Int, d: Int)] = []
        var new: [(p: Int, d: Int)] = []
        var lastGain = 0
        let stallFloor = max(Problem.stallMoves, Problem.stallTries * openPlaces)
        for move in 0..<moves {
            if move >= stallFloor && lastGain < move / 2 { return }
            if move % 64 == 0 {
                gaps = demands.indices.filter { taken[$0] < places[$0] && !demands[$0].candidates.isEmpty }
                urgentGaps = gaps.filter { urgent[$0] }
                if gaps.isEmpty { return }
            }
            // Every other move around an urgent gap while there are any: they come first.
            let around = !urgentGaps.isEmpty && move % 2 == 0 ? urgentGaps : gaps
            let gap = around[Int(random.next() % UInt64(around.count))]
            guard taken[gap] < places[gap] else { continue }
            // A few of the people who could have taken it: the first steps of a shuffle of
            // the list, with the few swaps it makes kept aside instead of copying the list.
            group.removeAll(keepingCapacity: true)
            swapped.removeAll(keepingCapacity: true)
            let pool = demands[gap].candidates
            let size = min(Problem.groupSize, pool.count)
            func at(_ i: Int) -> Int { swapped.last { $0.at == i }?.person ?? pool[i] }
            for k in 0..<size {
                let pick = k + Int(random.next() % UInt64(pool.count - k))
                let chosen = at(pick)
                swapped.append((pick, at(k)))
                group.append(chosen)
            }
            old.removeAll(keepingCapacity: true)
            new.removeAll(keepingCapacity: true)
            var before = (urgent: 0, all: 0)
            for p in group {
                // Their new shifts (confirmed ones are on `onDemand` too, but not assigned).
                for d in people[p].onDemand where assigned[d].contains(p) {
                    old.append((p, d))
                    before.all += 1
                    if urgent[d] { before.urgent += 1 }
                }
            }
            for (p, d) in old {
                unassign(p, d)
                value[d] = worth[d]
            }
            var after = (urgent: 0, all: 0)
            for p in group {
                let schedule = schedules[p]
                _ = value.withUnsafeBufferPointer { schedule.best(values: $0, chosen: &chosen, scratch: scratch) }
                for position in chosen {
                    let d = Int(schedule.demands[position])
                    assign(p, d)
                    if taken[d] >= places[d] { value[d] = 0 }
                    new.append((p, d))
                    after.all += 1
                    if urgent[d] { after.urgent += 1 }
                }
            }
            // Places given up: anyone may take them.
            for (_, d) in old where taken[d] < places[d] {
                if let q = bestCandidate(for: d) {
                    assign(q, d)
                    if taken[d] >= places[d] { value[d] = 0 }
                    new.append((q, d))
                    after.all += 1
                    if urgent[d] { after.urgent += 1 }
                }
            }
            if (after.urgent, after.all) < (before.urgent, before.all) {
                for (p, d) in new { unassign(p, d) }
                for (p, d) in old { assign(p, d) }
                for (_, d) in new { value[d] = taken[d] < places[d] ? worth[d] : 0 }
                for (_, d) in old { value[d] = taken[d] < places[d] ? worth[d] : 0 }
            } else {
                if after.all > before.all || after.urgent > before.urgent { lastGain = move }
                filled += after.all - before.all
                if let stopAt, filled >= stopAt { return }
            }
        }
    }

    /// A search that stalls stops (see `lastGain`): on the benchmark's instances the larger
    /// searches gain to the end of their budget, while on a region's four weeks (450 people)
    /// the one gain came at move 7,061 of 109,800.
    static let stallTries = 50
    static let stallMoves = 10_000
    /// People freed per move (three did best per second on the benchmark's instances).
    static let groupSize = 3
}
