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

    /// With `credentials`, the demands ask for VOGs, registrations and inductions
    /// (`addCredentials`) and some people lack them.
    public static func make(seed: UInt64, people: Int, demands: Int, days: Int = 7, maxNeeded: Int = 2, credentials: Bool = false) -> MatchingInstance {
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
        var instance = MatchingInstance(people: persons, demands: list)
        if credentials { addCredentials(to: &instance, seed: seed, days: days, registered: ["jeugdhulpverlener", "gedragswetenschapper"]) }
        return instance
    }
}

extension InstanceGenerator {
    /// Instances as hard as a real four-week roster: a pool that cannot cover all demand
    /// (about 7.5 places per person; some 10 to 20% of the places cannot be filled),
    /// a third of the people available only one or two days a week, and early, day,
    /// late, night (23:00-07:00) and long (12-hour) shifts. `scripts/bench-matching`
    /// and `doorstroom match --generate` use these; `make` stays the tests' small world.
    public static func realistic(seed: UInt64, people: Int, demands: Int, days: Int = 28) -> MatchingInstance {
        var random = SeededRandom(seed: seed)
        let qualifications = ["jeugdhulpverlener", "pedagogisch-medewerker", "gedragswetenschapper", "ambulant-hulpverlener"]
        let areas = ["noord", "oost", "zuid", "west", "diemen"]
        let organisations = ["altra", "cordaan", "spirit", "bascule", "arkin", "lijn5"]
        func hour(_ h: Int) -> Date { monday.addingTimeInterval(Double(h) * 3600) }
        // (start hour, length): early, day, late, night, long day, long night, a short evening.
        let shifts = [(7, 8), (9, 8), (15, 8), (23, 8), (8, 12), (20, 12), (17, 4)]
        let shiftWeights = [22, 18, 22, 14, 10, 6, 8]
        func pick(_ weights: [Int]) -> Int {
            var roll = Int.random(in: 0..<weights.reduce(0, +), using: &random)
            for (index, weight) in weights.enumerated() {
                if roll < weight { return index }
                roll -= weight
            }
            return weights.count - 1
        }
        let weeks = (days + 6) / 7
        var persons: [PoolPerson] = []
        for index in 0..<people {
            // Profiles: one or two days a week (a third), part-timers (half), broad availability.
            let profile = pick([34, 48, 18])
            let daysPerWeek = [Int.random(in: 1...2, using: &random), Int.random(in: 3...4, using: &random), Int.random(in: 5...6, using: &random)][profile]
            let cap = [[8.0, 8, 12], [12.0, 16, 16, 20], [24.0, 28, 32]][profile].randomElement(using: &random)!
            let nights = Int.random(in: 0..<10, using: &random) < (profile == 2 ? 5 : 2)
            var availability: [TimeWindow] = []
            for week in 0..<weeks {
                var chosen = Set<Int>()
                while chosen.count < daysPerWeek { chosen.insert(Int.random(in: 0..<7, using: &random)) }
                for weekday in chosen.sorted() {
                    let day = week * 7 + weekday
                    guard day < days else { continue }
                    if nights && Bool.random(using: &random) {
                        availability.append(TimeWindow(start: hour(day * 24 + 19), end: hour(day * 24 + 33)))
                    } else {
                        let from = [7, 7, 8, 9, 15][Int.random(in: 0..<5, using: &random)]
                        let until = min(24, from + [8, 10, 12, 16][Int.random(in: 0..<4, using: &random)])
                        availability.append(TimeWindow(start: hour(day * 24 + from), end: hour(day * 24 + until)))
                    }
                }
            }
            let allowed = areas.filter { _ in Int.random(in: 0..<5, using: &random) < 2 }
            let own = areas[index % areas.count]
            let allowedAreas = Array(Set(allowed + [own])).sorted()
            persons.append(PoolPerson(
                id: String(format: "p%05d", index), homeOrganisation: organisations.randomElement(using: &random)!,
                qualifications: Array(Set(qualifications.filter { _ in Int.random(in: 0..<4, using: &random) == 0 } + [qualifications[index % 4]])).sorted(),
                allowedAreas: allowedAreas, preferredAreas: [own],
                availability: availability, weeklyCapHours: cap))
        }
        // About 7.5 places per pool member every four weeks, whatever the number of
        // demands: more than the pool can work once rules and availability count.
        let places = 7.5 * Double(people) * Double(days) / 28
        let extra = min(2, max(0, places / Double(max(1, demands)) - 1))
        var list: [Demand] = []
        for index in 0..<demands {
            let day = Int.random(in: 0..<days, using: &random)
            let (start, length) = shifts[pick(shiftWeights)]
            list.append(Demand(
                id: String(format: "d%05d", index), organisation: organisations.randomElement(using: &random)!,
                area: areas.randomElement(using: &random)!, qualification: qualifications[pick([35, 35, 10, 20])],
                shift: TimeWindow(start: hour(day * 24 + start), end: hour(day * 24 + start + length)),
                needed: 1 + Int(extra) + (Double.random(in: 0..<1, using: &random) < extra - extra.rounded(.down) ? 1 : 0),
                priority: Int.random(in: 0..<4, using: &random) == 0 ? .urgent : .normal))
        }
        var instance = MatchingInstance(people: persons, demands: list)
        addCredentials(to: &instance, seed: seed, days: days, registered: ["jeugdhulpverlener", "gedragswetenschapper", "ambulant-hulpverlener"])
        return instance
    }

    /// The credentials of the field, from their own random stream (so the rest of an
    /// instance stays as it was): every demand asks for a VOG of at most three years on
    /// its day and, for the functions that need one, an SKJ registration; a quarter is
    /// at its organisation's first location, which needs an induction. Of the people, a
    /// few have no VOG and some have one that lapses during the period; a few have no
    /// registration and some one that lapses; about half were shown around each
    /// organisation's first location, some only during the period.
    public static func addCredentials(to instance: inout MatchingInstance, seed: UInt64, days: Int, registered: Set<String>) {
        var random = SeededRandom(seed: seed ^ 0xC4ED_E471_A150_0000)
        let day = 86_400.0
        let threeYears = 3 * 365 * day
        for index in instance.demands.indices {
            let demand = instance.demands[index]
            let midnight = monday.addingTimeInterval((demand.shift.start.timeIntervalSince(monday) / day).rounded(.down) * day)
            instance.demands[index].vogIssuedSince = midnight.addingTimeInterval(-threeYears)
            if registered.contains(demand.qualification) { instance.demands[index].register = "SKJ" }
            if Int.random(in: 0..<4, using: &random) == 0 { instance.demands[index].inductionLocation = demand.organisation + "-1" }
        }
        let organisations = Array(Set(instance.demands.map(\.organisation))).sorted()
        for index in instance.people.indices {
            let roll = Int.random(in: 0..<100, using: &random)
            let during = Double(Int.random(in: 0..<max(1, days), using: &random)) * day
            if roll >= 3 {
                // Lapsing: issued three years before a day of the period.
                let age = roll < 9 ? threeYears - during : Double(Int.random(in: 30...900, using: &random)) * day
                instance.people[index].vogIssued = monday.addingTimeInterval(-age)
            }
            if instance.people[index].qualifications.contains(where: registered.contains) {
                let kind = Int.random(in: 0..<100, using: &random)
                if kind >= 4 {
                    instance.people[index].registrations = [PoolPerson.Registration(
                        register: "SKJ", from: monday.addingTimeInterval(-2 * 365 * day),
                        until: kind < 10 ? monday.addingTimeInterval(during) : nil)]
                }
            }
            for organisation in organisations {
                let roll = Int.random(in: 0..<10, using: &random)
                guard roll < 6 else { continue }
                let since = roll == 0 ? monday.addingTimeInterval(Double(Int.random(in: 0..<max(1, days), using: &random)) * day) : monday.addingTimeInterval(-30 * day)
                instance.people[index].inductions.append(PoolPerson.Induction(location: organisation + "-1", since: since))
            }
        }
    }
}
