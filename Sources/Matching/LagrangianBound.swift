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
    /// Steps without a better bound before the step halves.
    static let patience = 6

    struct Outcome {
        /// The bound on places (an integer: places are).
        var bound: Int
        /// The prices at the bound (per demand), for a search to be guided by.
        var prices: [Double]
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
        var gains: [Double] = []
        var chosen: [Int] = []
        var scratch = PersonSchedule.Scratch()
        let urgentOpen = open.indices.reduce(0) { $0 + (urgent[$1] ? open[$1] : 0) }
        for _ in 0..<steps {
            var value = -mu * Double(urgentAtLeast)
            for d in 0..<demandCount where open[d] > 0 { value += prices[d] * Double(open[d]) }
            for d in 0..<demandCount { taken[d] = 0 }
            var urgentTaken = 0
            for schedule in schedules where !schedule.demands.isEmpty {
                gains.removeAll(keepingCapacity: true)
                for d in schedule.demands { gains.append(1 + (urgent[d] ? mu : 0) - prices[d]) }
                value += schedule.best(gains: gains, chosen: &chosen, scratch: &scratch)
                for position in chosen {
                    let d = schedule.demands[position]
                    taken[d] += 1
                    if urgent[d] { urgentTaken += 1 }
                }
            }
            if value < best - 1e-9 {
                best = value
                bestPrices = prices
                sinceBetter = 0
            } else {
                sinceBetter += 1
                if sinceBetter >= Self.patience {
                    theta /= 2
                    sinceBetter = 0
                }
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
        return Outcome(bound: Int((best + 1e-6).rounded(.down)), prices: bestPrices)
    }
}
