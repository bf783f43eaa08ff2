import Domain
import Foundation
import Matching
import Testing

/// The credentials of the field as hard rules: a VOG the organisation accepts, the
/// registration a function needs and an induction at the location, each on the shift's
/// own day.
@Suite("Credentials in the matching")
struct CredentialTests {
    /// Over random instances where demands ask for credentials and some people lack
    /// them or see them lapse during the period, no assignment is ever made to someone
    /// without them (checked on its own), the bound still holds, and the engine
    /// agrees with the claim-time rules.
    @Test(arguments: 0..<120)
    func noShiftGoesToSomeoneWithoutTheCredentialsItAsks(seed: Int) {
        let instance = InstanceGenerator.make(
            seed: UInt64(7000 + seed), people: 4 + seed % 40, demands: 3 + (seed * 7) % 60, days: 3 + seed % 12, credentials: true)
        let result = MatchingEngine.solve(instance)
        #expect(RuleChecker.violations(instance, result) == [], "seed \(7000 + seed)")
        #expect(result.coverage.filled <= result.upperBound)
        let demands = Dictionary(uniqueKeysWithValues: instance.demands.map { ($0.id, $0) })
        let people = Dictionary(uniqueKeysWithValues: instance.people.map { ($0.id, $0) })
        for assignment in result.assignments {
            let busy = result.assignments.filter { $0.person == assignment.person && $0.demand != assignment.demand }.compactMap { demands[$0.demand]?.shift }
            #expect(Rules.check(demands[assignment.demand]!, for: people[assignment.person]!, busy: busy) == nil)
        }
    }

    /// Tiny instances with credentials: still the optimum (brute force, which knows the
    /// credentials through the independent checker).
    @Test(arguments: 0..<60)
    func smallInstancesWithCredentialsMatchBruteForce(seed: Int) {
        let instance = InstanceGenerator.make(seed: UInt64(8000 + seed), people: 2 + seed % 2, demands: 2 + seed % 2, days: 2, credentials: true)
        let result = MatchingEngine.solve(instance)
        #expect((result.coverage.urgentFilled, result.coverage.filled) == RuleChecker.bruteForce(instance), "seed \(8000 + seed)")
        #expect(RuleChecker.violations(instance, result) == [])
    }

    /// Near misses on instances with credentials name exactly the rules (credentials
    /// among them) that stop each person, checked one by one on their own.
    @Test(arguments: 0..<20)
    func nearMissesNameTheMissingCredentials(seed: Int) {
        let instance = InstanceGenerator.realistic(seed: UInt64(300 + seed), people: 25 + seed, demands: 120, days: 14)
        let result = MatchingEngine.solve(instance)
        #expect(RuleChecker.violations(instance, result) == [])
        for gap in result.gaps {
            for miss in gap.nearMisses {
                let broken = RuleChecker.brokenRules(instance, assignments: result.assignments, demand: gap.demand, person: miss.person)
                #expect(Set(miss.rules.map(\.rawValue)) == broken, "seed \(300 + seed) \(gap.demand) \(miss.person)")
            }
        }
    }

    static let monday = InstanceGenerator.monday
    static func at(_ hour: Double) -> Date { monday.addingTimeInterval(hour * 3600) }
    static func person(_ id: String, vog: Double? = -24 * 400, skj: (from: Double, until: Double?)? = (-24 * 700, nil), inducted: [String: Double] = [:]) -> PoolPerson {
        PoolPerson(
            id: id, homeOrganisation: "spirit", qualifications: ["jeugdhulpverlener"], allowedAreas: ["oost"],
            availability: [TimeWindow(start: at(0), end: at(24 * 14))], weeklyCapHours: 36,
            vogIssued: vog.map(at), registrations: skj.map { [PoolPerson.Registration(register: "SKJ", from: at($0.from), until: $0.until.map(at))] } ?? [],
            inductions: inducted.map { PoolPerson.Induction(location: $0.key, since: at($0.value)) })
    }
    static func demand(_ id: String, day: Double, vogYears: Double? = 3, register: String? = "SKJ", location: String? = nil) -> Demand {
        Demand(id: id, organisation: "altra", area: "oost", qualification: "jeugdhulpverlener",
               shift: TimeWindow(start: at(day * 24 + 8), end: at(day * 24 + 16)), needed: 1, priority: .urgent,
               vogIssuedSince: vogYears.map { at(day * 24 - $0 * 365 * 24) }, register: register, inductionLocation: location)
    }

    /// A gap whose only candidates lack a credential says which one, and the near
    /// misses name it per person.
    @Test func aGapNamesTheMissingCredential() {
        let instance = MatchingInstance(
            people: [
                Self.person("old-vog", vog: -24 * 365 * 4),
                Self.person("no-vog", vog: nil),
                Self.person("lapsed-skj", skj: (-24 * 700, 24 * 2)),
                Self.person("not-shown-around"),
                Self.person("shown-around-later", inducted: ["altra-huis": 24 * 5]),
            ],
            demands: [
                Self.demand("a-vog", day: 1, register: nil),
                Self.demand("b-register", day: 3, vogYears: nil),
                Self.demand("c-induction", day: 4, vogYears: nil, register: nil, location: "altra-huis"),
            ])
        let result = MatchingEngine.solve(instance)
        let reasons = Dictionary(uniqueKeysWithValues: result.gaps.map { ($0.demand, $0.reason) })
        // The VOG shift goes to someone with a recent VOG; the others have one too.
        #expect(reasons["a-vog"] == nil)
        #expect(!result.assignments.contains { $0.demand == "a-vog" && ["old-vog", "no-vog"].contains($0.person) })
        #expect(!result.assignments.contains { $0.demand == "b-register" && $0.person == "lapsed-skj" })
        #expect(reasons["c-induction"] == .nobodyInducted)
        let misses = result.gaps.first { $0.demand == "c-induction" }!.nearMisses
        #expect(misses.count == 3 && misses.allSatisfy { $0.rules == [.notInducted] })

        let vetted = MatchingInstance(people: [Self.person("old-vog", vog: -24 * 365 * 4), Self.person("no-vog", vog: nil)],
                                      demands: [Self.demand("a-vog", day: 1)])
        let gap = MatchingEngine.solve(vetted).gaps.first
        #expect(gap?.reason == .nobodyWithValidVOG)
        #expect(gap?.nearMisses.map(\.rules) == [[.noValidVOG], [.noValidVOG]])
        let registered = MatchingInstance(people: [Self.person("lapsed-skj", skj: (-24 * 700, 24 * 2)), Self.person("none", skj: nil)],
                                          demands: [Self.demand("b-register", day: 3)])
        #expect(MatchingEngine.solve(registered).gaps.first?.reason == .nobodyRegistered)
        // A VOG issued after the shift's day does not count for it either.
        let future = MatchingInstance(people: [Self.person("future-vog", vog: 24 * 6)], demands: [Self.demand("a-vog", day: 1)])
        #expect(MatchingEngine.solve(future).gaps.first?.reason == .nobodyWithValidVOG)
        // The claim-time rules say the same.
        #expect(Rules.check(Self.demand("c", day: 4, location: "altra-huis"), for: Self.person("p", inducted: ["altra-huis": 24 * 5]), busy: []) == .notInducted)
        #expect(Rules.check(Self.demand("c", day: 6, location: "altra-huis"), for: Self.person("p", inducted: ["altra-huis": 24 * 5]), busy: []) == nil)
    }

    /// The credentials travel through the matching format and back unchanged, and an
    /// instance without them reads as before.
    @Test func credentialsRoundTripThroughTheFormat() throws {
        let instance = InstanceGenerator.make(seed: 3, people: 10, demands: 20, credentials: true)
        let data = try MatchingJSON.encoder().encode(instance)
        #expect(try MatchingJSON.decoder.decode(MatchingInstance.self, from: data) == instance)
        let text = String(decoding: data, as: UTF8.self)
        #expect(text.contains("\"vog_issued_since\"") && text.contains("\"induction_location\"") && text.contains("\"registrations\""))
        let plain = try MatchingJSON.encoder().encode(InstanceGenerator.make(seed: 3, people: 10, demands: 20))
        #expect(!String(decoding: plain, as: UTF8.self).contains("vog"))
    }
}
