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
    }

    public var demand: String
    public var missing: Int
    public var reason: Reason

    public init(demand: String, missing: Int, reason: Reason) {
        self.demand = demand
        self.missing = missing
        self.reason = reason
    }
}
