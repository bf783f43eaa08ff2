import Domain
import Foundation

/// A bound on the places any solution can fill, close to the optimum: the Lagrangian
/// relaxation of the demands' places. With a price λ on each place of a demand, every
/// person plans alone (the best set of shifts for 1 − λ each, `PersonSchedule`), and
///
///     Σ λ·open places  +  Σ over people of their best plan's value
///
/// is at least the places of every solution, for any prices ≥ 0. Subgradient steps
/// (more price where too many people come, less where too few) bring it down towards
/// the optimum. Because the engine puts urgent places first, the bound is over the
/// solutions with at least as many urgent places as the engine filled (a second price,
/// μ, on that constraint): the optimum of the engine's own goal is one of them.
///
/// The steps are a fixed number, not a time, so the same input gives the same bound.
struct LagrangianBound {
    let schedules: [PersonSchedule]
    let open: [Int]
    let urgent: [Bool]

    init(schedules: [PersonSchedule], problem: Problem) {
        self.schedules = schedules
        open = problem.demands.map(\.open)
        urgent = problem.demands.map { $0.demand.priority == .urgent }
    }

    /// The first step's share of the distance to the target (halved when steps stop helping).
    static let firstTheta = 0.5
    /// How much of the previous direction each step keeps.
    static let deflection = 0.5
    /// A full demand's first price.
    static let startPrice = 0.8
    /// μ's step, relative to the prices' (it weighs all urgent places at once).
    static let muScale = 0.2
    /// Steps without a better bound before the step halves: a fortieth of the steps, at
    /// least ten (many steps can afford to wait longer before they shorten).
    static func patience(steps: Int) -> Int { max(10, steps / 40) }

    struct Outcome {
        /// The bound on places (an integer: places are).
        var bound: Int
        /// The prices at the bound (per demand), for a search to be guided by.
        var prices: [Double]
        /// How often each person's plans held each of their shifts over the later steps
        /// (person p's shift at position k is `usage[offsets[p] + k]`): the averaged plans
        /// approach a solution of the relaxation, a start for rounding.
        var usage: [Float]
        var offsets: [Int]
    }

    /// - Parameters:
    ///   - urgentAtLeast: only solutions with this many urgent places count.
    ///   - filled: places of a known solution with that many (the target the steps aim at).
    ///   - steps: the most subgradient steps.
    ///   - full: the demands that solution fills (their prices start high).
    func compute(urgentAtLeast: Int, filled: Int, full: [Bool], steps: Int) -> Outcome {
        let demandCount = open.count
        // From the known solution: a place left open is worth nothing to price (no one
        // could take it), a full demand starts near the value of a place.
        var prices = full.map { $0 ? Self.startPrice : 0 }
        var mu = 0.0
        var best = Double.infinity
        var bestPrices = prices
        var theta = Self.firstTheta
        var direction = [Double](repeating: 0, count: demandCount)
        let deflection = Self.deflection
        var sinceBetter = 0
        var taken = [Int](repeating: 0, count: demandCount)
        var values = [Double](repeating: 0, count: demandCount)
        let urgentOpen = open.indices.reduce(0) { $0 + (urgent[$1] ? open[$1] : 0) }
        var offsets = [Int](repeating: 0, count: schedules.count + 1)
        for (p, schedule) in schedules.enumerated() { offsets[p + 1] = offsets[p] + schedule.demands.count }
        let averageFrom = steps / 3
        let patience = Self.patience(steps: steps)
        // The people in a fixed number of parts of about equal work, planned side by side;
        // the parts' sums are added in their order, so the result never depends on the
        // machine's cores.
        let parts = Self.parts(offsets)
        let work = (0..<(parts.count - 1)).map { _ in Part(demandCount: demandCount) }
        let usage = Usage(offsets: offsets)
        for step in 0..<steps {
            var value = -mu * Double(urgentAtLeast)
            for d in 0..<demandCount where open[d] > 0 { value += prices[d] * Double(open[d]) }
            for d in 0..<demandCount { values[d] = 1 + (urgent[d] ? mu : 0) - prices[d] }
            let counting = step >= averageFrom ? usage : nil
            let valuesNow = values
            DispatchQueue.concurrentPerform(iterations: work.count) { k in
                work[k].plan(parts[k]..<parts[k + 1], schedules: schedules, values: valuesNow, urgent: urgent, usage: counting)
            }
            for d in 0..<demandCount { taken[d] = 0 }
            var urgentTaken = 0
            for part in work {
                value += part.value
                urgentTaken += part.urgentTaken
                part.taken.withUnsafeBufferPointer { counts in
                    for d in 0..<demandCount { taken[d] += Int(counts[d]) }
                }
            }
            if value < best - 1e-9 {
                best = value
                bestPrices = prices
                sinceBetter = 0
            } else {
                sinceBetter += 1
                if sinceBetter >= patience {
                    theta /= 2
                    sinceBetter = 0
                }
            }
            if step == 0 {
                // The first prices after the start: where more people came than there are
                // places, the share of them that must go away; elsewhere nothing.
                for d in 0..<demandCount where open[d] > 0 {
                    prices[d] = taken[d] > open[d] ? 1 - Double(open[d]) / Double(taken[d]) : 0
                }
                continue
            }
            // Proven: no solution fills more than the known one.
            if Int((best + 1e-6).rounded(.down)) <= filled { break }
            // The subgradient, without the parts a price at zero cannot follow, deflected
            // by the previous direction (fewer zigzags between steps).
            var norm = 0.0
            for d in 0..<demandCount where open[d] > 0 {
                var g = Double(open[d] - taken[d])
                if g > 0 && prices[d] <= 0 { g = 0 }
                direction[d] = g + deflection * direction[d]
                norm += direction[d] * direction[d]
            }
            let gMu = Double(urgentTaken - urgentAtLeast)
            if norm == 0 && !(gMu < 0) { break }
            let step = norm == 0 ? 0 : theta * max(value - Double(filled), 0.5) / norm
            for d in 0..<demandCount where open[d] > 0 {
                prices[d] = max(0, prices[d] - step * direction[d])
            }
            // μ weighs one constraint over all urgent places: its own, gentler step.
            mu = max(0, mu - theta * Self.muScale * gMu / Double(max(1, urgentOpen)))
        }
        return Outcome(bound: Int((best + 1e-6).rounded(.down)), prices: bestPrices, usage: Array(usage.counts), offsets: offsets)
    }

    /// People per part: contiguous ranges of about equal shifts, `partCount` of them.
    static let partCount = 8
    static func parts(_ offsets: [Int]) -> [Int] {
        let people = offsets.count - 1
        let total = offsets[people]
        var bounds = [0]
        var p = 0
        for part in 1..<partCount {
            let goal = total * part / partCount
            while p < people && offsets[p] < goal { p += 1 }
            bounds.append(max(bounds.last!, p))
        }
        bounds.append(people)
        return bounds
    }

    /// The working state of one part: written by that part's thread only, read after all
    /// parts are done.
    final class Part: @unchecked Sendable {
        var value = 0.0
        var urgentTaken = 0
        var taken: [Int32]
        var scratch = PersonSchedule.Scratch()
        var chosen: [Int] = []

        init(demandCount: Int) { taken = Array(repeating: 0, count: demandCount) }

        /// Plans `people` at `values`; with `usage`, counts the shifts their plans hold.
        func plan(_ people: Range<Int>, schedules: [PersonSchedule], values: [Double], urgent: [Bool], usage: Usage?) {
            for d in taken.indices { taken[d] = 0 }
            value = 0
            urgentTaken = 0
            for p in people where !schedules[p].demands.isEmpty {
                let schedule = schedules[p]
                value += schedule.best(values: values, chosen: &chosen, scratch: &scratch)
                if let usage {
                    for position in chosen { usage.counts[usage.offsets[p] + position] += 1 }
                }
                for position in chosen {
                    let d = schedule.demands[position]
                    taken[d] += 1
                    if urgent[d] { urgentTaken += 1 }
                }
            }
        }
    }

    /// How often each person's plans held each of their shifts: person p's shift at
    /// position k is `counts[offsets[p] + k]`. The parts write their own people's.
    final class Usage: @unchecked Sendable {
        let offsets: [Int]
        let counts: UnsafeMutableBufferPointer<Float>

        init(offsets: [Int]) {
            self.offsets = offsets
            counts = .allocate(capacity: offsets.last ?? 0)
            counts.initialize(repeating: 0)
        }

        deinit { counts.deallocate() }
    }
}
