import Domain
import Foundation
@testable import Matching
import Testing

@Suite("The engine's search, bound and explanations")
struct SearchAndBoundTests {
    /// One person's plan (`PersonSchedule`) is the best set of shifts: every subset of up
    /// to 14 shifts is tried, with the rest rule and the weekly cap checked directly.
    @Test(arguments: 0..<120)
    func onePersonsPlanIsTheBestSetOfShifts(seed: Int) {
        var instance = InstanceGenerator.realistic(seed: UInt64(300 + seed), people: 1, demands: 40, days: 10)
        instance.people[0].availability = [TimeWindow(start: InstanceGenerator.monday, end: InstanceGenerator.monday.addingTimeInterval(11 * 86_400))]
        instance.people[0].allowedAreas = ["noord", "oost", "zuid", "west", "diemen"]
        instance.people[0].qualifications = ["jeugdhulpverlener", "pedagogisch-medewerker", "gedragswetenschapper", "ambulant-hulpverlener"]
        instance.people[0].weeklyCapHours = [8, 12, 16, 20, 24, 36][seed % 6]
        instance.demands = instance.demands.filter { $0.organisation != instance.people[0].homeOrganisation }.prefix(11).map { $0 }
        // Three more at the times of others: shifts of one time slot, of which a plan holds one.
        for (k, demand) in instance.demands.prefix(3).enumerated() {
            var twin = demand
            twin.id = "twin-\(k)"
            instance.demands.append(twin)
        }
        let problem = Problem(instance)
        let schedule = problem.schedules()[0]
        var random = SeededRandom(seed: UInt64(seed))
        let gains = schedule.demands.map { _ in Double(Int.random(in: -2...9, using: &random)) / 3 }
        var chosen: [Int] = []
        let scratch = PersonSchedule.Scratch()
        let value = schedule.best(gains: gains, chosen: &chosen, scratch: scratch)

        let count = schedule.demands.count
        let shifts = schedule.demands.map { problem.demands[Int($0)].demand.shift }
        var best = 0.0
        for mask in 0..<(1 << count) {
            let members = (0..<count).filter { mask & (1 << $0) != 0 }
            guard members.allSatisfy({ gains[$0] > 0 }) else { continue }
            var hours: [Int: Double] = [:]
            var fits = true
            for (k, a) in members.enumerated() {
                hours[problem.demandWeek[Int(schedule.demands[a])], default: 0] += shifts[a].hours
                for b in members[(k + 1)...] where shifts[b].start.timeIntervalSince(shifts[a].end) < Problem.rest
                    && shifts[a].start.timeIntervalSince(shifts[b].end) < Problem.rest {
                    fits = false
                }
            }
            if hours.contains(where: { $0.value > schedule.free[$0.key] + 1e-9 }) { fits = false }
            if fits { best = max(best, members.reduce(0) { $0 + gains[$1] }) }
        }
        #expect(abs(value - best) < 1e-6, "seed \(seed): plan \(value), best \(best)")
        #expect(abs(chosen.reduce(0) { $0 + gains[$1] } - value) < 1e-6, "the chosen shifts are worth the value")

        // The relaxation's form (values per demand, the plan as slots) is the same plan.
        var values = [Double](repeating: 0, count: problem.demands.count)
        for (position, d) in schedule.demands.enumerated() { values[Int(d)] = gains[position] }
        let slotValue = values.withUnsafeBufferPointer { schedule.bestSlots(values: $0, scratch: scratch) }
        let slots = (0..<scratch.chosenCount).map { Int(scratch.chosenSlots[$0]) }
        let slotOf = { (position: Int) in schedule.slotFirst.lastIndex { $0 <= position }! }
        #expect(slotValue == value, "seed \(seed)")
        #expect(slots == chosen.map(slotOf), "seed \(seed)")
        #expect(slots.map { scratch.slotValue($0) } == chosen.map { gains[$0] }, "seed \(seed): each slot is worth its best shift")
    }

    /// The Lagrangian bound is never below the optimum: on instances the engine solves
    /// exactly (at most 12 open places), it is at least the best number of places with
    /// the best number of urgent ones, with plain steps and with smoothed ones (the
    /// shares only steer the prices; the bound is each person's exact best plan).
    @Test(arguments: 0..<80, [false, true])
    func theLagrangianBoundIsNeverBelowTheOptimum(seed: Int, smoothed: Bool) {
        let instance = InstanceGenerator.make(seed: UInt64(2000 + seed), people: 3 + seed % 5, demands: 3 + seed % 7, days: 2 + seed % 4, maxNeeded: 2)
        let exact = MatchingEngine.solve(instance)
        guard exact.method == "exact" else { return }
        let problem = Problem(instance)
        let lagrangian = LagrangianBound(schedules: problem.schedules(), problem: problem)
        let outcome = lagrangian.compute(
            urgentAtLeast: exact.coverage.urgentFilled, filled: 0, full: Array(repeating: false, count: problem.demands.count), steps: 60, smoothed: smoothed)
        #expect(outcome.bound >= exact.coverage.filled, "seed \(2000 + seed)")
        #expect(exact.upperBound >= exact.coverage.filled)
    }

    /// On realistic instances (a pool that cannot cover everything, people with one or two
    /// days a week, night and long shifts) the engine's places come within 1% of its own
    /// bound, so within 1% of the optimum, and the bound is never below what it filled.
    @Test(arguments: [1, 2, 3] as [UInt64])
    func realisticInstancesComeWithinOnePercentOfTheBound(seed: UInt64) {
        let instance = InstanceGenerator.realistic(seed: seed, people: 60, demands: 250, days: 14)
        let result = MatchingEngine.solve(instance)
        #expect(result.method == "heuristic")
        #expect(RuleChecker.violations(instance, result) == [])
        #expect(result.coverage.filled <= result.upperBound)
        #expect(result.coverage.filled * 100 >= result.upperBound * 99, "seed \(seed): \(result.coverage.filled) of a bound \(result.upperBound)")
    }

    /// Each near miss names exactly the rules that stop the person taking the place,
    /// checked rule by rule on their own; the nearest come first.
    @Test(arguments: 0..<30)
    func nearMissesNameTheRulesThatBlock(seed: Int) {
        let instance = InstanceGenerator.realistic(seed: UInt64(seed), people: 25 + seed, demands: 120, days: 14)
        let result = MatchingEngine.solve(instance)
        var seen = 0
        for gap in result.gaps {
            #expect(gap.nearMisses.count <= 3)
            for miss in gap.nearMisses {
                seen += 1
                #expect(!result.assignments.contains(Assignment(demand: gap.demand, person: miss.person)))
                let broken = RuleChecker.brokenRules(instance, assignments: result.assignments, demand: gap.demand, person: miss.person)
                #expect(Set(miss.rules.map(\.rawValue)) == broken, "seed \(seed) \(gap.demand) \(miss.person)")
                #expect((miss.overCapHours != nil) == miss.rules.contains(.weeklyCap))
            }
            #expect(gap.nearMisses.map(\.rules.count) == gap.nearMisses.map(\.rules.count).sorted())
        }
        #expect(seen > 0, "seed \(seed): gaps come with near misses")
    }

    /// Hard, realistic instances: no rule broken, the bound holds, urgent places come
    /// first, and the same input gives the same bytes whatever the order of its arrays.
    @Test func realisticInstancesKeepTheRulesAndGiveTheSameBytes() throws {
        let instance = InstanceGenerator.realistic(seed: 5, people: 120, demands: 600, days: 28)
        let encoder = MatchingJSON.encoder(pretty: false)
        let result = MatchingEngine.solve(instance)
        #expect(result.method == "heuristic")
        #expect(RuleChecker.violations(instance, result) == [])
        #expect(result.coverage.filled <= result.upperBound)
        // A pool that cannot cover everything.
        #expect(result.coverage.filled < result.coverage.needed)
        var shuffled = instance
        var random = SeededRandom(seed: 11)
        shuffled.people.shuffle(using: &random)
        shuffled.demands.shuffle(using: &random)
        #expect(try encoder.encode(MatchingEngine.solve(shuffled)) == encoder.encode(result))
    }

    @Test func datesAreReadAndWrittenAsISO8601() throws {
        let cases: [(String, Double)] = [
            ("2026-12-07T08:00:00+01:00", 1_796_626_800), ("2026-12-07T07:00:00Z", 1_796_626_800), ("2026-12-07T07:00:00.250Z", 1_796_626_800.25),
            ("2026-12-07t07:00:00z", 1_796_626_800), ("2026-12-07T08:30:00+0130", 1_796_626_800), ("2024-02-29T23:59:59-05:00", 1_709_269_199),
        ]
        for (text, seconds) in cases {
            #expect(MatchingJSON.parseDate(text)?.timeIntervalSince1970 == seconds, "\(text)")
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            if let foundation = ISO8601DateFormatter().date(from: text) ?? formatter.date(from: text) {
                #expect(foundation.timeIntervalSince1970 == seconds, "Foundation agrees on \(text)")
            }
        }
        for bad in ["2026-12-07T08:00:00", "2026-13-07T08:00:00Z", "2026-02-30T08:00:00Z", "2026-12-07 08:00Z", "2026-12-07T08:00:00+1", ""] {
            #expect(MatchingJSON.parseDate(bad) == nil, "\(bad)")
        }
        for seconds in [0.0, 1_796_626_800, 1_796_626_800.5, 951_782_400, -86_400] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(MatchingJSON.parseDate(MatchingJSON.formatDate(date)) == date)
        }
        #expect(MatchingJSON.formatDate(Date(timeIntervalSince1970: 1_796_626_800)) == "2026-12-07T07:00:00Z")
        let instance = InstanceGenerator.realistic(seed: 1, people: 20, demands: 60)
        let data = try MatchingJSON.encoder().encode(instance)
        #expect(try MatchingJSON.decoder.decode(MatchingInstance.self, from: data) == instance)
    }
}

extension SearchAndBoundTests {
    /// The rounding's radix sort puts keys in the order `sort()` does: random keys with
    /// repeats, keys that differ only in high or only in low digits, none, one.
    @Test(arguments: 0..<12)
    func theRadixSortSortsAsTheLibraryDoes(seed: Int) {
        var random = SeededRandom(seed: UInt64(seed + 1))
        let count = [0, 1, 2, 17, 1_000, 70_000][seed % 6]
        var keys = (0..<count).map { _ -> UInt64 in
            switch seed % 3 {
            case 0: random.next()
            case 1: (random.next() % 50) << 48 | 7
            default: random.next() % 1_000
            }
        }
        let sorted = keys.sorted()
        Problem.radixSort(&keys)
        #expect(keys == sorted)
    }
}

@Suite("What if")
struct WhatIfTests {
    static let monday = InstanceGenerator.monday
    static func shift(_ from: Int, _ to: Int) -> TimeWindow {
        TimeWindow(start: monday.addingTimeInterval(Double(from) * 3600), end: monday.addingTimeInterval(Double(to) * 3600))
    }
    static let ann = PoolPerson(id: "ann", homeOrganisation: "spirit", qualifications: ["jeugdhulpverlener"], allowedAreas: ["oost"],
                                availability: [shift(0, 24 * 7)], weeklyCapHours: 8)
    static func demand(_ id: String, _ window: TimeWindow) -> Demand {
        Demand(id: id, organisation: "altra", area: "oost", qualification: "jeugdhulpverlener", shift: window, needed: 1, priority: .normal)
    }
    static let instance = MatchingInstance(people: [ann], demands: [demand("mon", shift(8, 16)), demand("tue", shift(32, 40)), demand("tue-late", shift(24 + 15, 24 + 23))])

    @Test func moreHoursCloseTheGapsTheCapLeft() throws {
        let outcome = try #require(MatchingEngine.whatIf(.weeklyHours(person: "ann", hours: 16), on: Self.instance))
        #expect(outcome.before.coverage.filled == 1)
        #expect(outcome.after.coverage.filled == 2)
        #expect(outcome.closed.count == 1 && outcome.opened.isEmpty)
    }

    @Test func anExtraPersonClosesAGapAndAMovedDemandCanToo() throws {
        var bob = Self.ann
        bob.id = "bob"
        let extra = try #require(MatchingEngine.whatIf(.extraPerson(bob), on: Self.instance))
        #expect(extra.after.coverage.filled == 2)
        #expect(extra.closed.map(\.places) == [1])
        // Moving a demand out of the person's availability opens it instead.
        let moved = try #require(MatchingEngine.whatIf(.moveDemand(id: "mon", start: Self.monday.addingTimeInterval(9 * 86_400)), on: Self.instance))
        #expect(moved.after.gaps.contains { $0.demand == "mon" && $0.reason == .nobodyAvailable })
        #expect(MatchingEngine.whatIf(.weeklyHours(person: "nobody", hours: 8), on: Self.instance) == nil)
        #expect(MatchingEngine.whatIf(.extraPerson(Self.ann), on: Self.instance) == nil, "an id already in the pool")
    }
}
