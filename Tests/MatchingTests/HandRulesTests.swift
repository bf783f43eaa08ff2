import Domain
import Foundation
import Matching
import Testing

/// The rules a coordinator's near-miss list names, one rule at a time, and the
/// engine's respect for pairs a coordinator ruled out.
@Suite("Near misses and rule-outs")
struct HandRulesTests {
    static let monday = InstanceGenerator.monday
    static func at(_ hour: Double) -> Date { monday.addingTimeInterval(hour * 3600) }
    static func window(_ from: Double, _ to: Double) -> TimeWindow { TimeWindow(start: at(from), end: at(to)) }
    /// Wednesday 07:00–15:00 at Altra in Oost.
    static let shift = Demand(id: "d", organisation: "altra", area: "oost", qualification: "jeugdhulpverlener",
                              shift: window(55, 63), needed: 1, priority: .normal)
    static func person(home: String = "spirit", areas: [String] = ["oost"], qualifications: [String] = ["jeugdhulpverlener"],
                       availability: [TimeWindow] = [window(0, 24 * 7)], cap: Double = 36) -> PoolPerson {
        PoolPerson(id: "p", homeOrganisation: home, qualifications: qualifications, allowedAreas: areas, availability: availability, weeklyCapHours: cap)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let rule: Rules.Break
        let person: PoolPerson
        let busy: [TimeWindow]
        var testDescription: String { rule.rawValue }
    }

    static let cases: [Case] = [
        Case(rule: .notQualified, person: person(qualifications: ["gz-psycholoog"]), busy: []),
        Case(rule: .wrongArea, person: person(areas: ["noord"]), busy: []),
        Case(rule: .ownOrganisation, person: person(home: "altra"), busy: []),
        Case(rule: .notAvailable, person: person(availability: [window(55, 60)]), busy: []),
        Case(rule: .overlap, person: person(), busy: [window(60, 68)]),
        // Tuesday 14:30–22:30: 8.5 hours before Wednesday 07:00.
        Case(rule: .tooLittleRest, person: person(), busy: [window(38.5, 46.5)]),
        // Monday and Tuesday 8 hours each, a cap of 20.
        Case(rule: .weeklyCap, person: person(cap: 20), busy: [window(7, 15), window(31, 39)]),
    ]

    @Test(arguments: cases)
    func eachNearMissNamesItsRule(_ testCase: Case) {
        let finding = Rules.explain(Self.shift, for: testCase.person, busy: testCase.busy)
        #expect(finding?.rule == testCase.rule)
        #expect(Rules.check(Self.shift, for: testCase.person, busy: testCase.busy) == testCase.rule)
        switch testCase.rule {
        case .overlap, .tooLittleRest: #expect(finding?.other == testCase.busy.first)
        case .weeklyCap: #expect(finding?.weekHours == 16 && finding?.cap == 20)
        default: #expect(finding?.other == nil)
        }
    }

    @Test func withNothingInTheWayThereIsNoFinding() {
        #expect(Rules.explain(Self.shift, for: Self.person(), busy: [Self.window(7, 15)]) == nil)
    }

    /// Over random instances, with random pairs ruled out: the engine never proposes
    /// one, and breaks no other rule.
    @Test(arguments: 0..<60)
    func ruledOutPairsAreNeverProposed(seed: Int) {
        var instance = InstanceGenerator.make(seed: UInt64(7000 + seed), people: 6 + seed % 20, demands: 5 + seed % 30, days: 3 + seed % 7)
        let free = MatchingEngine.solve(instance)
        var random = SeededRandom(seed: UInt64(seed))
        // Rule out about half of what the engine chose freely, plus random pairs.
        instance.forbidden = free.assignments.filter { _ in Bool.random(using: &random) }
        for _ in 0..<10 {
            instance.forbidden.append(Assignment(demand: instance.demands.randomElement(using: &random)!.id,
                                                 person: instance.people.randomElement(using: &random)!.id))
        }
        let result = MatchingEngine.solve(instance)
        let forbidden = Set(instance.forbidden)
        #expect(result.assignments.allSatisfy { !forbidden.contains($0) }, "seed \(seed)")
        #expect(RuleChecker.violations(instance, result) == [], "seed \(seed)")
        #expect(result.coverage.filled <= result.upperBound)
    }

}
