import Domain
import Foundation
import Matching
import Testing

@Suite("The matching engine")
struct MatchingEngineTests {
    @Test(arguments: 0..<150)
    func noHardRuleIsEverBrokenAndCoverageStaysUnderTheBound(seed: Int) {
        let instance = InstanceGenerator.make(
            seed: UInt64(seed), people: 4 + seed % 40, demands: 3 + (seed * 7) % 60, days: 3 + seed % 12)
        let result = MatchingEngine.solve(instance)
        #expect(RuleChecker.violations(instance, result) == [], "seed \(seed)")
        #expect(result.coverage.filled <= result.upperBound, "seed \(seed)")
        #expect(result.coverage.filled + result.gaps.map(\.missing).reduce(0, +) == result.coverage.needed)
    }

    /// The claim-time rules agree with the engine: each assignment the engine makes
    /// passes `Rules.check` given the person's other shifts, and adding one of the
    /// person's own shifts a second time (an overlap) fails it.
    @Test(arguments: 0..<40)
    func claimTimeRulesAgreeWithTheEngine(seed: Int) {
        let instance = InstanceGenerator.make(seed: UInt64(500 + seed), people: 10 + seed % 20, demands: 20 + seed % 40, days: 7 + seed % 7)
        let result = MatchingEngine.solve(instance)
        let demands = Dictionary(uniqueKeysWithValues: instance.demands.map { ($0.id, $0) })
        let people = Dictionary(uniqueKeysWithValues: instance.people.map { ($0.id, $0) })
        let all = result.assignments + instance.confirmed
        for assignment in result.assignments {
            let busy = all.filter { $0.person == assignment.person && $0.demand != assignment.demand }.compactMap { demands[$0.demand]?.shift }
            let demand = demands[assignment.demand]!, person = people[assignment.person]!
            #expect(Rules.check(demand, for: person, busy: busy) == nil, "seed \(500 + seed) \(assignment)")
            #expect(Rules.check(demand, for: person, busy: busy + [demand.shift]) == .overlap)
        }
    }

    @Test(arguments: 0..<80)
    func smallInstancesMatchBruteForce(seed: Int) {
        // At most 3 people and 6 people-slots: 4^6 assignments to try.
        let instance = InstanceGenerator.make(seed: UInt64(1000 + seed), people: 2 + seed % 2, demands: 2 + seed % 2, days: 2, maxNeeded: 2)
        let result = MatchingEngine.solve(instance)
        let best = RuleChecker.bruteForce(instance)
        #expect(result.method == "exact")
        #expect((result.coverage.urgentFilled, result.coverage.filled) == best, "seed \(1000 + seed)")
        #expect(RuleChecker.violations(instance, result) == [])
    }

    @Test func sameInputSameOutputByteForByteWhateverTheOrder() throws {
        let instance = InstanceGenerator.make(seed: 42, people: 120, demands: 300, days: 14)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let first = try encoder.encode(MatchingEngine.solve(instance))
        let second = try encoder.encode(MatchingEngine.solve(instance))
        #expect(first == second)
        var shuffled = instance
        var random = SeededRandom(seed: 7)
        shuffled.people.shuffle(using: &random)
        shuffled.demands.shuffle(using: &random)
        #expect(try encoder.encode(MatchingEngine.solve(shuffled)) == first)
        #expect(MatchingEngine.solve(instance).method == "heuristic")
    }

    @Test func largerInstancesStayCloseToTheBound() {
        for seed: UInt64 in [1, 2, 3] {
            let instance = InstanceGenerator.make(seed: seed, people: 150, demands: 400, days: 14)
            let result = MatchingEngine.solve(instance)
            #expect(RuleChecker.violations(instance, result) == [])
            // Not a speed check: a quality floor against the bound (part of any distance
            // is the bound's own slack, not the engine's).
            #expect(Double(result.coverage.filled) >= 0.97 * Double(result.upperBound), "seed \(seed)")
        }
    }

    // MARK: Each rule and each gap reason, by hand

    static let monday = InstanceGenerator.monday
    static func at(_ hour: Int) -> Date { monday.addingTimeInterval(Double(hour) * 3600) }
    static func shift(_ from: Int, _ to: Int) -> TimeWindow { TimeWindow(start: at(from), end: at(to)) }
    static func person(_ id: String, home: String = "spirit", cap: Double = 36, availability: [TimeWindow] = [shift(0, 24 * 14)],
                       areas: [String] = ["oost"], preferred: [String] = [], commitments: [TimeWindow] = []) -> PoolPerson {
        PoolPerson(id: id, homeOrganisation: home, qualifications: ["jeugdhulpverlener"], allowedAreas: areas,
                   preferredAreas: preferred, availability: availability, weeklyCapHours: cap, commitments: commitments)
    }
    static func demand(_ id: String, _ shift: TimeWindow, org: String = "altra", area: String = "oost", needed: Int = 1,
                       priority: Demand.Priority = .normal, qualification: String = "jeugdhulpverlener") -> Demand {
        Demand(id: id, organisation: org, area: area, qualification: qualification, shift: shift, needed: needed, priority: priority)
    }

    @Test func gapsSayWhy() {
        let instance = MatchingInstance(
            people: [
                Self.person("ann", cap: 8),
                Self.person("bob", availability: [Self.shift(24 * 5, 24 * 6)]),
            ],
            demands: [
                Self.demand("a-unqualified", Self.shift(8, 16), qualification: "gz-psycholoog"),
                Self.demand("b-own-org", Self.shift(8, 16), org: "spirit"),
                Self.demand("c-no-one-free", Self.shift(24 * 3 + 8, 24 * 3 + 16), needed: 3),
                Self.demand("d-friday", Self.shift(24 * 5 + 8, 24 * 5 + 16), needed: 2),
            ])
        let result = MatchingEngine.solve(instance)
        let reasons = Dictionary(uniqueKeysWithValues: result.gaps.map { ($0.demand, $0.reason) })
        #expect(reasons["a-unqualified"] == .nobodyQualified)
        #expect(reasons["b-own-org"] == .nobodyQualified, "pool work never goes to one's own organisation")
        #expect(result.assignments.contains(Assignment(demand: "c-no-one-free", person: "ann")))
        #expect(reasons["c-no-one-free"] == .nobodyAvailable)
        // Ann has used her 8 hours on Thursday; Bob takes Friday; the second Friday place is a gap.
        #expect(result.assignments.contains(Assignment(demand: "d-friday", person: "bob")))
        #expect(reasons["d-friday"] == .everyoneAtCap)
    }

    @Test func restOverlapAndConfirmedWorkAreRespected() {
        let instance = MatchingInstance(
            people: [Self.person("ann", commitments: [Self.shift(72 + 8, 72 + 16)]), Self.person("bob")],
            demands: [
                Self.demand("late", Self.shift(15, 23)),
                Self.demand("early-next", Self.shift(24 + 7, 24 + 15)),  // 8 h after "late": not both for one person
                Self.demand("wed-evening", Self.shift(48 + 20, 48 + 23)),  // 4 h after Bob's confirmed shift, 9 h before Ann's commitment
                Self.demand("wednesday", Self.shift(48 + 8, 48 + 16)),
            ],
            confirmed: [Assignment(demand: "wednesday", person: "bob")])
        let result = MatchingEngine.solve(instance)
        #expect(RuleChecker.violations(instance, result) == [])
        #expect(!result.assignments.contains { $0.demand == "wednesday" }, "a confirmed place is not proposed again")
        let late = result.assignments.first { $0.demand == "late" }?.person
        let early = result.assignments.first { $0.demand == "early-next" }?.person
        #expect(late != nil)
        #expect(early != nil)
        #expect(late != early)
        // Both came near; each would have too little rest (Ann before her commitment, Bob
        // after his confirmed shift).
        #expect(result.gaps == [Gap(
            demand: "wed-evening", missing: 1, reason: .everyoneBusy,
            nearMisses: [NearMiss(person: "ann", rules: [.tooLittleRest]), NearMiss(person: "bob", rules: [.tooLittleRest])])])
    }

    @Test func urgentDemandComesFirstThenPreferredAreasThenFairness() {
        // One person, two overlapping shifts: the urgent one wins.
        let urgent = MatchingEngine.solve(MatchingInstance(
            people: [Self.person("ann")],
            demands: [Self.demand("a-normal", Self.shift(8, 16)), Self.demand("b-urgent", Self.shift(10, 18), priority: .urgent)]))
        #expect(urgent.assignments == [Assignment(demand: "b-urgent", person: "ann")])
        // Two people, one shift in Noord: the one who prefers Noord gets it.
        let preferred = MatchingEngine.solve(MatchingInstance(
            people: [Self.person("ann", areas: ["noord"]), Self.person("bob", areas: ["noord"], preferred: ["noord"])],
            demands: [Self.demand("noord", Self.shift(8, 16), area: "noord")]))
        #expect(preferred.assignments == [Assignment(demand: "noord", person: "bob")])
        #expect(preferred.coverage.preferredAreaFilled == 1)
        // Hours are spread: over a week of 16 one-person day shifts (more than the
        // exact-search limit), two people end up with 8 each.
        let days = (0..<16).map { Self.demand(String(format: "day%02d", $0), Self.shift(24 * ($0 / 2) + ($0 % 2 == 0 ? 0 : 12), 24 * ($0 / 2) + ($0 % 2 == 0 ? 0 : 12) + 1)) }
        let spread = MatchingEngine.solve(MatchingInstance(people: [Self.person("ann"), Self.person("bob")], demands: days))
        let counts = Dictionary(grouping: spread.assignments, by: \.person).mapValues(\.count)
        #expect(spread.method == "heuristic")
        #expect(counts["ann"] == counts["bob"])
    }

    @Test func aPreviousProposalIsKeptWhereStillValid() {
        let people = [Self.person("ann"), Self.person("bob")]
        let demands = [Self.demand("shift", Self.shift(8, 16))]
        let fresh = MatchingEngine.solve(MatchingInstance(people: people, demands: demands))
        let other = fresh.assignments[0].person == "ann" ? "bob" : "ann"
        let again = MatchingEngine.solve(MatchingInstance(people: people, demands: demands, previous: [Assignment(demand: "shift", person: other)]))
        #expect(again.assignments == [Assignment(demand: "shift", person: other)])
    }

    @Test func theBoundIsAMaximumFlow() {
        // Three 8-hour demands in one week, two people with an 8-hour cap: the bound is 2.
        let instance = MatchingInstance(
            people: [Self.person("ann", cap: 8), Self.person("bob", cap: 8)],
            demands: [Self.demand("a", Self.shift(8, 16)), Self.demand("b", Self.shift(32, 40)), Self.demand("c", Self.shift(56, 64))])
        let result = MatchingEngine.solve(instance)
        #expect(result.upperBound == 2)
        #expect(result.coverage.filled == 2)
    }
}
