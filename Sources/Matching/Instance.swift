import Domain
import Foundation

/// A matching problem as plain values: who is in the pool, what demand there is, and
/// what was decided before. The JSON form is documented in docs/matching-format.md.
public struct MatchingInstance: Codable, Sendable, Hashable {
    public var people: [PoolPerson]
    public var demands: [Demand]
    /// Confirmed assignments: they stay, count toward the rules, and fill their demand.
    public var confirmed: [Assignment]
    /// The previous proposal: kept where still valid (stability).
    public var previous: [Assignment]
    /// Pairs a coordinator ruled out: never proposed.
    public var forbidden: [Assignment]

    public init(people: [PoolPerson], demands: [Demand], confirmed: [Assignment] = [], previous: [Assignment] = [], forbidden: [Assignment] = []) {
        self.people = people
        self.demands = demands
        self.confirmed = confirmed
        self.previous = previous
        self.forbidden = forbidden
    }

    enum CodingKeys: String, CodingKey { case people, demands, confirmed, previous, forbidden }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        people = try container.decode([PoolPerson].self, forKey: .people)
        demands = try container.decode([Demand].self, forKey: .demands)
        confirmed = try container.decodeIfPresent([Assignment].self, forKey: .confirmed) ?? []
        previous = try container.decodeIfPresent([Assignment].self, forKey: .previous) ?? []
        forbidden = try container.decodeIfPresent([Assignment].self, forKey: .forbidden) ?? []
    }
}

/// A professional in the flexpool.
public struct PoolPerson: Codable, Sendable, Hashable {
    public var id: String
    /// The organisation they work for: never sent there as pool work.
    public var homeOrganisation: String
    /// Functions and disciplines they may work in.
    public var qualifications: [String]
    /// Areas they will work in.
    public var allowedAreas: [String]
    /// Areas they prefer (a subset of the allowed ones).
    public var preferredAreas: [String]
    /// When they are available; a shift must fit inside one range.
    public var availability: [TimeWindow]
    /// Most pool hours per week (weeks start Monday 00:00 Amsterdam time).
    public var weeklyCapHours: Double
    /// Other work already fixed (shifts elsewhere): no overlap, and rest around it.
    public var commitments: [TimeWindow]

    public init(
        id: String, homeOrganisation: String, qualifications: [String], allowedAreas: [String], preferredAreas: [String] = [],
        availability: [TimeWindow], weeklyCapHours: Double, commitments: [TimeWindow] = []
    ) {
        self.id = id
        self.homeOrganisation = homeOrganisation
        self.qualifications = qualifications
        self.allowedAreas = allowedAreas
        self.preferredAreas = preferredAreas
        self.availability = availability
        self.weeklyCapHours = weeklyCapHours
        self.commitments = commitments
    }

    enum CodingKeys: String, CodingKey {
        case id, homeOrganisation = "home_organisation", qualifications, allowedAreas = "allowed_areas"
        case preferredAreas = "preferred_areas", availability, weeklyCapHours = "weekly_cap_hours", commitments
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        homeOrganisation = try c.decode(String.self, forKey: .homeOrganisation)
        qualifications = try c.decode([String].self, forKey: .qualifications)
        allowedAreas = try c.decode([String].self, forKey: .allowedAreas)
        preferredAreas = try c.decodeIfPresent([String].self, forKey: .preferredAreas) ?? []
        availability = try c.decode([TimeWindow].self, forKey: .availability)
        weeklyCapHours = try c.decode(Double.self, forKey: .weeklyCapHours)
        commitments = try c.decodeIfPresent([TimeWindow].self, forKey: .commitments) ?? []
    }
}

/// Demand for pool professionals at one organisation: a shift and how many people.
public struct Demand: Codable, Sendable, Hashable {
    public enum Priority: String, Codable, Sendable, Hashable, Comparable {
        case urgent, normal
        public static func < (lhs: Priority, rhs: Priority) -> Bool { lhs == .urgent && rhs == .normal }
    }

    public var id: String
    public var organisation: String
    public var area: String
    /// The function or discipline asked for.
    public var qualification: String
    public var shift: TimeWindow
    public var needed: Int
    public var priority: Priority

    public init(id: String, organisation: String, area: String, qualification: String, shift: TimeWindow, needed: Int, priority: Priority) {
        self.id = id
        self.organisation = organisation
        self.area = area
        self.qualification = qualification
        self.shift = shift
        self.needed = needed
        self.priority = priority
    }

    enum CodingKeys: String, CodingKey { case id, organisation, area, qualification, start, end, needed, priority }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        organisation = try c.decode(String.self, forKey: .organisation)
        area = try c.decode(String.self, forKey: .area)
        qualification = try c.decode(String.self, forKey: .qualification)
        shift = TimeWindow(start: try c.decode(Date.self, forKey: .start), end: try c.decode(Date.self, forKey: .end))
        needed = try c.decode(Int.self, forKey: .needed)
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(organisation, forKey: .organisation)
        try c.encode(area, forKey: .area)
        try c.encode(qualification, forKey: .qualification)
        try c.encode(shift.start, forKey: .start)
        try c.encode(shift.end, forKey: .end)
        try c.encode(needed, forKey: .needed)
        try c.encode(priority, forKey: .priority)
    }
}

/// One person on one demand.
public struct Assignment: Codable, Sendable, Hashable, Comparable {
    public var demand: String
    public var person: String

    public init(demand: String, person: String) {
        self.demand = demand
        self.person = person
    }

    public static func < (lhs: Assignment, rhs: Assignment) -> Bool {
        (lhs.demand, lhs.person) < (rhs.demand, rhs.person)
    }
}
