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
    /// When their VOG (certificate of conduct) was issued; none when they have none.
    public var vogIssued: Date?
    /// Their registrations (SKJ, BIG) and when each holds.
    public var registrations: [Registration]
    /// The locations where someone showed them around, and from when.
    public var inductions: [Induction]

    public init(
        id: String, homeOrganisation: String, qualifications: [String], allowedAreas: [String], preferredAreas: [String] = [],
        availability: [TimeWindow], weeklyCapHours: Double, commitments: [TimeWindow] = [],
        vogIssued: Date? = nil, registrations: [Registration] = [], inductions: [Induction] = []
    ) {
        self.id = id
        self.homeOrganisation = homeOrganisation
        self.qualifications = qualifications
        self.allowedAreas = allowedAreas
        self.preferredAreas = preferredAreas
        self.availability = availability
        self.weeklyCapHours = weeklyCapHours
        self.commitments = commitments
        self.vogIssued = vogIssued
        self.registrations = registrations
        self.inductions = inductions
    }

    enum CodingKeys: String, CodingKey {
        case id, homeOrganisation = "home_organisation", qualifications, allowedAreas = "allowed_areas"
        case preferredAreas = "preferred_areas", availability, weeklyCapHours = "weekly_cap_hours", commitments
        case vogIssued = "vog_issued", registrations, inductions
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
        vogIssued = try c.decodeIfPresent(Date.self, forKey: .vogIssued)
        registrations = try c.decodeIfPresent([Registration].self, forKey: .registrations) ?? []
        inductions = try c.decodeIfPresent([Induction].self, forKey: .inductions) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(homeOrganisation, forKey: .homeOrganisation)
        try c.encode(qualifications, forKey: .qualifications)
        try c.encode(allowedAreas, forKey: .allowedAreas)
        try c.encode(preferredAreas, forKey: .preferredAreas)
        try c.encode(availability, forKey: .availability)
        try c.encode(weeklyCapHours, forKey: .weeklyCapHours)
        try c.encode(commitments, forKey: .commitments)
        try c.encodeIfPresent(vogIssued, forKey: .vogIssued)
        if !registrations.isEmpty { try c.encode(registrations, forKey: .registrations) }
        if !inductions.isEmpty { try c.encode(inductions, forKey: .inductions) }
    }

    /// A registration in a register (SKJ, BIG): it holds for a shift that starts at or
    /// after `from` and before `until` (none: it does not lapse).
    public struct Registration: Codable, Sendable, Hashable {
        public var register: String
        public var from: Date
        public var until: Date?

        public init(register: String, from: Date, until: Date? = nil) {
            self.register = register
            self.from = from
            self.until = until
        }
    }

    /// An induction at a location: it counts for shifts that start at or after `since`.
    public struct Induction: Codable, Sendable, Hashable {
        public var location: String
        public var since: Date

        public init(location: String, since: Date) {
            self.location = location
            self.since = since
        }
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
    /// The oldest VOG the organisation accepts on this shift's day (issued at or after
    /// this moment); none: no VOG asked.
    public var vogIssuedSince: Date?
    /// The register (SKJ, BIG) the person must be in on the shift's day; none: no register.
    public var register: String?
    /// The location, when it needs an induction before anyone works there.
    public var inductionLocation: String?

    public init(
        id: String, organisation: String, area: String, qualification: String, shift: TimeWindow, needed: Int, priority: Priority,
        vogIssuedSince: Date? = nil, register: String? = nil, inductionLocation: String? = nil
    ) {
        self.id = id
        self.organisation = organisation
        self.area = area
        self.qualification = qualification
        self.shift = shift
        self.needed = needed
        self.priority = priority
        self.vogIssuedSince = vogIssuedSince
        self.register = register
        self.inductionLocation = inductionLocation
    }

    enum CodingKeys: String, CodingKey {
        case id, organisation, area, qualification, start, end, needed, priority
        case vogIssuedSince = "vog_issued_since", register, inductionLocation = "induction_location"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        organisation = try c.decode(String.self, forKey: .organisation)
        area = try c.decode(String.self, forKey: .area)
        qualification = try c.decode(String.self, forKey: .qualification)
        shift = TimeWindow(start: try c.decode(Date.self, forKey: .start), end: try c.decode(Date.self, forKey: .end))
        needed = try c.decode(Int.self, forKey: .needed)
        priority = try c.decodeIfPresent(Priority.self, forKey: .priority) ?? .normal
        vogIssuedSince = try c.decodeIfPresent(Date.self, forKey: .vogIssuedSince)
        register = try c.decodeIfPresent(String.self, forKey: .register)
        inductionLocation = try c.decodeIfPresent(String.self, forKey: .inductionLocation)
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
        try c.encodeIfPresent(vogIssuedSince, forKey: .vogIssuedSince)
        try c.encodeIfPresent(register, forKey: .register)
        try c.encodeIfPresent(inductionLocation, forKey: .inductionLocation)
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
