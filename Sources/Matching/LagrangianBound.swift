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
/// When there is no time for many steps, their direction is smoothed: a person's place
/// in a time slot is shared among the slot's shifts worth nearly as much as the best
/// (weights exp((value − best) / temperature), the temperature shrinking with the step),
/// instead of all going to one of them. Shifts at the same time compete for the same
/// people, and with whole places their prices see-saw between steps; shared, they settle
/// in fewer steps (on the benchmark's 2,000 and 5,000 people 80 smoothed steps bring the
/// bound as low as 200 did at an eighth of the temperature, and those as low as 450
/// plain ones; 200 plain steps left it 0.3% and 1.1 to 1.5% higher). A warmer share is
/// better with few steps: at 100 steps a temperature of 0.05·θ left the bound 0.06 to
/// 0.15% above 0.4·θ, and 0.2·θ 0.03%. With room for many steps (small instances) plain
/// ones go on to a tighter bound. The bound itself is always the exact value at
/// the prices (each person's best plan), so any prices give a true bound.
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
    /// The temperature of the shares in a slot, relative to θ.
    static let smoothing = 0.4
    /// With smoothing, θ is at most a geometric fall from `firstTheta` to this at the last step.
    static let lastTheta = 0.002
    /// Steps without a better bound before the step halves: a fortieth of the steps, at
    /// least ten (many steps can afford to wait longer before they shorten).
    static func patience(steps: Int) -> Int { max(10, steps / 40) }

    struct Outcome {
        /// The bound on places (an integer: places are).
        var bound: Int
        /// The prices at the bound (per demand), for a search to be guided by.
        var prices: [Double]
        /// How much each person's plans held each of their shifts over the later steps, in
        /// shares (person p's shift at position k is `usage[offsets[p] + k]`): the averaged
        /// plans approach a solution of the relaxation, a start for rounding.
        var usage: [Float]
        var offsets: [Int]
    }

    /// - Parameters:
    ///   - urgentAtLeast: only solutions with this many urgent places count.
    ///   - filled: places of a known solution with that many (the target the steps aim at).
    ///   - steps: the most subgradient steps.
    ///   - full: the demands that solution fills (their prices start high).
    ///   - smoothed: whether each place is shared in its slot (see above), for few steps.
    func compute(urgentAtLeast: Int, filled: Int, full: [Bool], steps: Int, smoothed: Bool) -> Outcome {
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
        var shares = [Double](repeating: 0, count: demandCount)
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
        let usage = Parts.Shared<Float>(repeating: 0, count: offsets[schedules.count])
        for step in 0..<steps {
            var value = -mu * Double(urgentAtLeast)
            for d in 0..<demandCount where open[d] > 0 { value += prices[d] * Double(open[d]) }
            for d in 0..<demandCount { values[d] = 1 + (urgent[d] ? mu : 0) - prices[d] }
            let counting = step >= averageFrom ? usage : nil
            let valuesNow = values
            let temperature = smoothed ? Self.smoothing * theta : 0
            DispatchQueue.concurrentPerform(iterations: work.count) { [offsets] k in
                work[k].plan(parts[k]..<parts[k + 1], schedules: schedules, values: valuesNow, urgent: urgent, usage: counting, offsets: offsets, temperature: temperature)
            }
            for d in 0..<demandCount {
                taken[d] = 0
                shares[d] = 0
            }
            var urgentTaken = 0
            for part in work {
                value += part.value
                urgentTaken += part.urgentTaken
                part.taken.withUnsafeBufferPointer { counts in
                    for d in 0..<demandCount { taken[d] += Int(counts[d]) }
                }
                part.shares.withUnsafeBufferPointer { counts in
                    for d in 0..<demandCount { shares[d] += counts[d] }
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
            // The (smoothed) subgradient, without the parts a price at zero cannot follow,
            // deflected by the previous direction (fewer zigzags between steps).
            var norm = 0.0
            for d in 0..<demandCount where open[d] > 0 {
                var g = Double(open[d]) - shares[d]
                if g > 0 && prices[d] <= 0 { g = 0 }
                direction[d] = g + deflection * direction[d]
                norm += direction[d] * direction[d]
            }
            let gMu = Double(urgentTaken - urgentAtLeast)
            if norm == 0 && !(gMu < 0) { break }
            // Few smoothed steps must come down to small steps by the end, also while
            // each still improves a little (when halving alone would wait).
            if smoothed { theta = min(theta, Self.firstTheta * pow(Self.lastTheta / Self.firstTheta, Double(step) / Double(steps))) }
            let step = norm == 0 ? 0 : theta * max(value - Double(filled), 0.5) / norm
            for d in 0..<demandCount where open[d] > 0 {
                prices[d] = max(0, prices[d] - step * direction[d])
            }
            // μ weighs one constraint over all urgent places: its own, gentler step.
            mu = max(0, mu - theta * Self.muScale * gMu / Double(max(1, urgentOpen)))
        }
        return Outcome(bound: Int((best + 1e-6).rounded(.down)), prices: bestPrices, usage: Array(usage.items), offsets: offsets)
    }

    /// e^x for -6 < x ≤ 0, closely enough for a share: (1 + x/64)^64, six squarings
    /// instead of a call to `exp` (which took a tenth of the relaxation's time).
    @inline(__always)
    static func exponential(_ x: Double) -> Double {
        var y = 1 + x / 64
        y *= y
        y *= y
        y *= y
        y *= y
        y *= y
        return y * y
    }

    /// People per part: contiguous ranges of about equal shifts, `Parts.count` of them.
    static func parts(_ offsets: [Int]) -> [Int] {
        let people = offsets.count - 1
        let total = offsets[people]
        var bounds = [0]
        var p = 0
        for part in 1..<Parts.count {
            let goal = total * part / Parts.count
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
        /// The places the plans take of each demand.
        var taken: [Int32]
        /// The same, each place shared among the shifts of its slot worth nearly as much.
        var shares: [Double]
        let scratch = PersonSchedule.Scratch()

        init(demandCount: Int) {
            taken = Array(repeating: 0, count: demandCount)
            shares = Array(repeating: 0, count: demandCount)
        }

        /// Plans `people` at `values`, sharing each place at `temperature`; with `usage`,
        /// adds the shares to the shifts' use (person p's shift at position k at
        /// `offsets[p] + k`; each part writes only its own people's).
        func plan(_ people: Range<Int>, schedules: [PersonSchedule], values: [Double], urgent: [Bool], usage: Parts.Shared<Float>?, offsets: [Int],
                  temperature: Double) {
            // The arrays are worked on as locals (a class's own arrays would be checked for
            // exclusive access on every write) and put back at the end.
            var taken: [Int32] = [], shares: [Double] = []
            swap(&taken, &self.taken)
            swap(&shares, &self.shares)
            let scratch = self.scratch
            defer {
                swap(&taken, &self.taken)
                swap(&shares, &self.shares)
            }
            var value = 0.0
            var urgentTaken = 0
            // Shifts further than this below the best share nothing (a weight under e⁻⁶).
            let reach = 6 * temperature, coldness = temperature > 0 ? 1 / temperature : 0
            let weights = scratch.weights(schedules[people].reduce(0) { max($0, $1.widestSlot) })
            taken.withUnsafeMutableBufferPointer { taken in
            shares.withUnsafeMutableBufferPointer { shares in
            values.withUnsafeBufferPointer { values in
                for d in taken.indices {
                    taken[d] = 0
                    shares[d] = 0
                }
                for p in people where !schedules[p].demands.isEmpty {
                    let schedule = schedules[p]
                    value += schedule.bestSlots(values: values, scratch: scratch)
                    let chosenSlots = scratch.chosenSlots
                    let offset = offsets[p]
                    schedule.demands.withUnsafeBufferPointer { demands in
                    schedule.slotFirst.withUnsafeBufferPointer { first in
                        for index in 0..<scratch.chosenCount {
                            let slot = Int(chosenSlots[index])
                            let from = first[slot], to = first[slot + 1]
                            // The slot's shift: the first worth its value.
                            let best = scratch.slotValue(slot)
                            var position = from
                            if temperature == 0 || to - from == 1 {
                                while values[Int(demands[position])] != best { position += 1 }
                                let d = Int(demands[position])
                                taken[d] += 1
                                if urgent[d] { urgentTaken += 1 }
                                shares[d] += 1
                                usage?.items[offset + position] += 1
                                continue
                            }
                            // Each shift within reach of the best gets a weight, kept in
                            // the scratch, then its share of their total.
                            let floor = best - reach
                            var total = 0.0
                            position = -1
                            for k in from..<to {
                                let v = values[Int(demands[k])]
                                if v == best && position < 0 { position = k }
                                let weight = v > floor ? LagrangianBound.exponential((v - best) * coldness) : 0
                                weights[k - from] = weight
                                total += weight
                            }
                            let d = Int(demands[position])
                            taken[d] += 1
                            if urgent[d] { urgentTaken += 1 }
                            let scale = 1 / total
                            for k in from..<to where weights[k - from] > 0 {
                                let share = weights[k - from] * scale
                                shares[Int(demands[k])] += share
                                usage?.items[offset + k] += Float(share)
                            }
                        }
                    }
                    }
                }
            }
            }
            }
            self.value = value
            self.urgentTaken = urgentTaken
        }
    }
}
