import Domain
import Foundation

/// SplitMix64: a small, seeded, portable random source, so failing instances can be replayed.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Seeded synthetic instances, for tests, what-if runs and the benchmark: `demands`
/// demands over `days` days from a Monday, with a few qualifications,
/// areas and organisations, so that conflicts of every kind occur.
public enum InstanceGenerator {
    public static let monday = Date(timeIntervalSince1970: 1_796_598_000)  // Monday 2026-12-07 00:00 Amsterdam

    public static func make(seed: UInt64, people: Int, demands: Int, days: Int = 7, maxNeeded: Int = 2) -> MatchingInstance {
        var random = SeededRandom(seed: seed)
        let qualifications = ["jeugdhulpverlener", "pedagogisch-medewerker", "gedragswetenschapper"]
        let areas = ["noord", "oost", "zuid", "diemen"]
        let organisations = ["altra", "cordaan", "spirit", "bascule"]
        func hour(_ h: Int) -> Date { monday.addingTimeInterval(Double(h) * 3600) }
        var persons: [PoolPerson] = []
        for index in 0..<people {
            let allowed = areas.filter { _ in Bool.random(using: &random) }
            var availability: [TimeWindow] = []
            for day in 0..<days where Int.random(in: 0..<10, using: &random) < 6 {
                let from = day * 24 + Int.random(in: 0...10, using: &random)
                availability.append(TimeWindow(start: hour(from), end: hour(from + Int.random(in: 6...16, using: &random))))
            }
            persons.append(PoolPerson(
                id: String(format: "p%04d", index), homeOrganisation: organisations.randomElement(using: &random)!,
                qualifications: qualifications.filter { _ in Int.random(in: 0..<3, using: &random) == 0 } + [qualifications[index % 3]],
                allowedAreas: allowed.isEmpty ? [areas[index % 4]] : allowed,
                preferredAreas: allowed.prefix(1).map { $0 },
                availability: availability, weeklyCapHours: Double([8, 16, 24].randomElement(using: &random)!)))
        }
        var list: [Demand] = []
        for index in 0..<demands {
            let day = Int.random(in: 0..<days, using: &random)
            let start = day * 24 + [7, 8, 15, 16, 23].randomElement(using: &random)!
            list.append(Demand(
                id: String(format: "d%04d", index), organisation: organisations.randomElement(using: &random)!,
                area: areas.randomElement(using: &random)!, qualification: qualifications.randomElement(using: &random)!,
                shift: TimeWindow(start: hour(start), end: hour(start + [4, 8].randomElement(using: &random)!)),
                needed: Int.random(in: 1...maxNeeded, using: &random),
                priority: Int.random(in: 0..<3, using: &random) == 0 ? .urgent : .normal))
        }
        return MatchingInstance(people: persons, demands: list)
    }
}
