import Domain

/// What the engine proposes, and what stays open and why.
public struct MatchingResult: Codable, Sendable, Hashable {
    /// New assignments (confirmed ones are not repeated), sorted by demand and person.
    public var assignments: [Assignment]
    /// Demand left (partly) unfilled: the work that would go to agency staff.
    public var gaps: [Gap]
    public var coverage: Coverage
    /// No solution can fill more people-slots than this (a max-flow relaxation that
    /// ignores overlap and rest between shifts).
    public var upperBound: Int
    /// How exact the search was: `exact` on small instances, `heuristic` otherwise.
    public var method: String

    enum CodingKeys: String, CodingKey {
        case assignments, gaps, coverage, upperBound = "upper_bound", method
    }
}

public struct Coverage: Codable, Sendable, Hashable {
    public var urgentNeeded: Int
    public var urgentFilled: Int
    public var normalNeeded: Int
    public var normalFilled: Int
    /// Filled people-slots on preferred areas.
    public var preferredAreaFilled: Int

    public var filled: Int { urgentFilled + normalFilled }
    public var needed: Int { urgentNeeded + normalNeeded }

    enum CodingKeys: String, CodingKey {
        case urgentNeeded = "urgent_needed", urgentFilled = "urgent_filled", normalNeeded = "normal_needed"
        case normalFilled = "normal_filled", preferredAreaFilled = "preferred_area_filled"
    }
}

public struct Gap: Codable, Sendable, Hashable {
    public enum Reason: String, Codable, Sendable, Hashable {
        /// Nobody in the pool has the qualification for this area (outside their own organisation).
        case nobodyQualified = "nobody_qualified"
        /// Qualified people exist, but none is available for the whole shift.
        case nobodyAvailable = "nobody_available"
        /// Available people exist, but each would exceed their weekly cap.
        case everyoneAtCap = "everyone_at_cap"
        /// Available people exist, but each has another shift too close (overlap or rest).
        case everyoneBusy = "everyone_busy"
        /// Qualified people exist, but none has a VOG the organisation accepts on the shift's day.
        case nobodyWithValidVOG = "nobody_with_valid_vog"
        /// Qualified people with a valid VOG exist, but none is in the register the function needs.
        case nobodyRegistered = "nobody_registered"
        /// Qualified, vetted and registered people exist, but nobody was shown around the location yet.
        case nobodyInducted = "nobody_inducted"
    }

    /// The credentials, the furthest one reached last: a gap where everyone lacks one
    /// names the furthest anyone got.
    static let credentialOrder: [Rules.Break] = [.noValidVOG, .notRegistered, .notInducted]

    public var demand: String
    public var missing: Int
    public var reason: Reason
    /// The (at most three) people who came nearest, and the rules each would break.
    public var nearMisses: [NearMiss]

    public init(demand: String, missing: Int, reason: Reason, nearMisses: [NearMiss] = []) {
        self.demand = demand
        self.missing = missing
        self.reason = reason
        self.nearMisses = nearMisses
    }

    enum CodingKeys: String, CodingKey { case demand, missing, reason, nearMisses = "near_misses" }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        demand = try c.decode(String.self, forKey: .demand)
        missing = try c.decode(Int.self, forKey: .missing)
        reason = try c.decode(Reason.self, forKey: .reason)
        // Runs stored before near misses were kept have none.
        nearMisses = try c.decodeIfPresent([NearMiss].self, forKey: .nearMisses) ?? []
    }
}

/// Someone who could almost have taken a gap's place: qualified for it and not of the
/// demanding organisation, but held back by these rules, in this order: the weekly cap
/// (`over_cap_hours`: by how many hours), rest, overlap, availability, area, then the
/// credentials (induction, registration, VOG: the last takes longest to put right).
public struct NearMiss: Codable, Sendable, Hashable {
    /// The claim-time rules' own names (`Rules.Break`); a near miss is qualified and not of
    /// the demanding organisation, so only these occur, nearest first.
    public typealias Rule = Rules.Break
    static let order: [Rule] = [.weeklyCap, .tooLittleRest, .overlap, .notAvailable, .wrongArea, .notInducted, .notRegistered, .noValidVOG]

    public var person: String
    public var rules: [Rule]
    /// Hours the shift would take the person over their weekly cap (with the cap rule).
    public var overCapHours: Double?

    public init(person: String, rules: [Rule], overCapHours: Double? = nil) {
        self.person = person
        self.rules = rules
        self.overCapHours = overCapHours
    }

    enum CodingKeys: String, CodingKey { case person, rules, overCapHours = "over_cap_hours" }
}

extension MatchingEngine {
    /// How evenly pool hours are spread: the coefficient of variation (standard
    /// deviation over mean) of the hours of everyone with at least one shift, confirmed
    /// and proposed; 0 when nobody works.
    public static func spread(of result: MatchingResult, in instance: MatchingInstance) -> Double {
        let hours = Dictionary(instance.demands.map { ($0.id, $0.shift.hours) }, uniquingKeysWith: { first, _ in first })
        var perPerson: [String: Double] = [:]
        for assignment in result.assignments + instance.confirmed {
            perPerson[assignment.person, default: 0] += hours[assignment.demand] ?? 0
        }
        let values = Array(perPerson.values)
        guard !values.isEmpty else { return 0 }
        let mean = values.reduce(0, +) / Double(values.count)
        guard mean > 0 else { return 0 }
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (variance.squareRoot() / mean * 1000).rounded() / 1000
    }
}
