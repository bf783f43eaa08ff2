import Domain
import Foundation

extension Problem {
    /// The shifts each person could take at all, for planning them one at a time. The
    /// people are made in parts side by side (each schedule depends only on its
    /// person), with the shifts' times read once. The demands are visited in order of
    /// start, end and index, so each person's list comes in that order, as a schedule
    /// needs it (one sort of the demands instead of one per person).
    func schedules() -> [PersonSchedule] {
        let times = PersonSchedule.ShiftTimes(self)
        let order = demands.indices.filter { demands[$0].open > 0 }.sorted {
            (times.start[$0], times.end[$0], $0) < (times.start[$1], times.end[$1], $1)
        }
        var eligible: [[Int]] = Array(repeating: [], count: people.count)
        for d in order {
            for p in demands[d].candidates where !UpperBound.collidesWithFixedWork(self, p, d) { eligible[p].append(d) }
        }
        return Parts.map(people.count) { [eligible] p in PersonSchedule(self, person: p, eligible: eligible[p], times: times) }
    }

    /// The value of one place in the search: urgent places before any number of normal ones.
    static func weight(_ priority: Demand.Priority) -> Double { priority == .urgent ? 1000 : 1 }

    /// Large-neighbourhood search, one person at a time: all of a person's new shifts are
    /// freed and their best plan among the shifts they hold and the places still open is
    /// found exactly (`PersonSchedule`). A person who can work more places, or more urgent
    /// ones, takes the better plan; the places given up are open again for the others
    /// (the repair pass fills them). True when anything improved.
    mutating func replanPeople(_ schedules: [PersonSchedule]) -> Bool {
        var improved = false
        var gains: [Double] = []
        var chosen: [Int] = []
        let scratch = PersonSchedule.Scratch()
        // Read per demand once, in flat arrays (a demand's record is large); `holder[d] == p`
        // marks the person's own new assignments while they are planned.
        let weights = demands.map { Problem.weight($0.demand.priority) }
        let open = demands.map(\.open)
        var holder = [Int](repeating: -1, count: demands.count)
        for p in people.indices where !schedules[p].demands.isEmpty {
            let schedule = schedules[p]
            gains.removeAll(keepingCapacity: true)
            for d in people[p].onDemand where assigned[d].contains(p) { holder[d] = p }
            var current = 0.0
            for demand in schedule.demands {
                let d = Int(demand)
                let weight = weights[d]
                if holder[d] == p {
                    // Keeping what one has wins a tie: no change without a gain.
                    gains.append(weight + 1e-4)
                    current += weight + 1e-4
                } else if taken[d] < open[d] {
                    gains.append(weight)
                } else {
                    gains.append(0)
                }
            }
            let value = schedule.best(gains: gains, chosen: &chosen, scratch: scratch)
            guard value > current + 1e-6 else { continue }
            for d in schedule.demands where assigned[Int(d)].contains(p) { unassign(p, Int(d)) }
            for position in chosen { assign(p, Int(schedule.demands[position])) }
            improved = true
        }
        return improved
    }
}

extension Problem {
    /// A start rounding the relaxation: the urgent pairs the Lagrangian's later
    /// plans held most often go first, then the normal ones (by use, then demand and
    /// person), each taken while the place is open and the person free for it. When the
    /// urgent ones so rounded fill fewer urgent places than `reference` (the most the pool
    /// can fill), the reference's urgent assignments are taken instead, before the normal
    /// pairs.
    mutating func planFromUsage(_ schedules: [PersonSchedule], usage: [Float], offsets: [Int], reference: Problem?) {
        unassignAll()
        // The pairs' order (urgent first, most used first, then demand, then person) packed
        // into one number each: sorting millions of them is then a sort of integers. A use
        // (shares of at most 1,000 steps) is kept to a 1,024th.
        let bits = 21, mask = (UInt64(1) << UInt64(bits)) - 1
        precondition(demands.count <= mask && people.count <= mask, "more than 2 million demands or people")
        var keys: [UInt64] = []
        for (p, schedule) in schedules.enumerated() {
            for (position, demand) in schedule.demands.enumerated() where usage[offsets[p] + position] > 0 {
                let d = Int(demand)
                let unused = mask - min(mask, UInt64((usage[offsets[p] + position] * 1024).rounded()))
                let normal: UInt64 = demands[d].demand.priority == .urgent ? 0 : 1
                keys.append(normal << 63 | unused << UInt64(2 * bits) | UInt64(d) << UInt64(bits) | UInt64(p))
            }
        }
        Problem.radixSort(&keys)
        let pairs = keys.map { (d: Int($0 >> UInt64(bits) & mask), p: Int($0 & mask)) }
        let normal = keys.firstIndex { $0 >> 63 == 1 } ?? keys.count
        for pair in pairs[..<normal] where taken[pair.d] < demands[pair.d].open && blocker(pair.p, pair.d) == .none {
            assign(pair.p, pair.d)
        }
        if let reference, score.0 < reference.score.0 {
            unassignAll()
            for d in demands.indices where demands[d].demand.priority == .urgent {
                for p in reference.assigned[d] { assign(p, d) }
            }
        }
        for pair in pairs[normal...] where taken[pair.d] < demands[pair.d].open && blocker(pair.p, pair.d) == .none {
            assign(pair.p, pair.d)
        }
    }

    /// The relaxation's averaged plans rounded (`planFromUsage`), what is still open
    /// filled greedily, then rounds of re-planning each person. No augmenting chains here:
    /// the neighbourhood search that follows finds those places too (with them the end
    /// result was the same at 200 and 1,000 people and on a region's four weeks, 1 place
    /// higher at 2,000 and 8 higher at 5,000, for 0.1 s and 0.35 s more).
    mutating func start(from outcome: LagrangianBound.Outcome, _ schedules: [PersonSchedule], reference: Problem?) {
        planFromUsage(schedules, usage: outcome.usage, offsets: outcome.offsets, reference: reference)
        assignGreedily(openOnly: true)
        replanInRounds(schedules)
    }

    /// The urgent places' own search (augmenting chains, re-planning people, neighbourhoods)
    /// over `urgentSchedules`. With `keepingNormal` (the normal demands' open places), the
    /// current normal assignments are held back first (their places closed), and afterwards
    /// put back in their order wherever the person is still free for them.
    mutating func raiseUrgent(_ urgentSchedules: [PersonSchedule], keepingNormal normalOpen: [Int]? = nil, seed: UInt64) {
        var held: [(p: Int, d: Int)] = []
        if let normalOpen {
            for d in demands.indices where normalOpen[d] > 0 {
                for p in assigned[d] { held.append((p, d)) }
                for p in assigned[d] { unassign(p, d) }
                demands[d].open = 0
            }
        }
        improve(urgentSchedules)
        let pairs = urgentSchedules.reduce(0) { $0 + $1.demands.count }
        searchNeighbourhoods(urgentSchedules, prices: nil, moves: MatchingEngine.neighbourhoodMoves(
            people: people.count, pairs: pairs, open: openPlaces, budget: 1_000_000), seed: seed)
        if let normalOpen {
            for d in demands.indices where normalOpen[d] > 0 { demands[d].open = normalOpen[d] }
            for (p, d) in held where taken[d] < demands[d].open && blocker(p, d) == .none { assign(p, d) }
        }
    }

    /// `keys.sort()` by least significant digit first, 16 bits at a time (a pass whose
    /// digit is the same for every key moves nothing and is left out): the millions of
    /// pairs of the rounding took the library's sort about 0.15 s at 5,000 people.
    static func radixSort(_ keys: inout [UInt64]) {
        let count = keys.count
        guard count > 1 else { return }
        var buffer = [UInt64](repeating: 0, count: count)
        var counts = [Int](repeating: 0, count: 1 << 16)
        keys.withUnsafeMutableBufferPointer { keys in
        buffer.withUnsafeMutableBufferPointer { buffer in
        counts.withUnsafeMutableBufferPointer { counts in
            var (from, to) = (keys, buffer)
            for shift in stride(from: UInt64(0), to: 64, by: 16) {
                for digit in counts.indices { counts[digit] = 0 }
                for key in from { counts[Int(key >> shift & 0xFFFF)] += 1 }
                if counts[Int(from[0] >> shift & 0xFFFF)] == count { continue }
                var sum = 0
                for digit in counts.indices {
                    let keysWithIt = counts[digit]
                    counts[digit] = sum
                    sum += keysWithIt
                }
                for key in from {
                    let digit = Int(key >> shift & 0xFFFF)
                    to[counts[digit]] = key
                    counts[digit] += 1
                }
                swap(&from, &to)
            }
            if from.baseAddress != keys.baseAddress { _ = keys.update(fromContentsOf: from) }
        }
        }
        }
    }

    /// Every new assignment undone (confirmed work stays).
    mutating func unassignAll() {
        for d in assigned.indices {
            for p in assigned[d] { unassign(p, d) }
        }
    }

    /// Augmenting chains for what is open, then rounds of re-planning each person, each
    /// followed by a greedy pass over the places they gave up. (Chains again after each
    /// round cost more than all the rest of the start on the benchmark's instances, for
    /// one place in ten thousand: the neighbourhood search finds those.)
    mutating func improve(_ schedules: [PersonSchedule]) {
        repair()
        replanInRounds(schedules)
    }

    /// Rounds of re-planning each person, each followed by a greedy pass over the places
    /// they gave up, while a round gains.
    mutating func replanInRounds(_ schedules: [PersonSchedule]) {
        for _ in 0..<MatchingEngine.replanRounds {
            guard replanPeople(schedules) else { break }
            assignGreedily(openOnly: true)
        }
    }

    /// Places still open that someone could take at all.
    var openPlaces: Int {
        demands.indices.reduce(0) { $0 + (demands[$1].candidates.isEmpty ? 0 : max(0, demands[$1].open - assigned[$1].count)) }
    }

    /// (urgent places, all places) of the current assignments.
    var score: (Int, Int) {
        var urgent = 0, all = 0
        for d in demands.indices {
            all += assigned[d].count
            if demands[d].demand.priority == .urgent { urgent += assigned[d].count }
        }
        return (urgent, all)
    }
}

