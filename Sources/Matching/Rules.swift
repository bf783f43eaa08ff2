import Domain
import Foundation

/// The hard rules for one person on one shift, outside a matching run: used when a
/// pool member claims an open shift, accepts a proposal, a coordinator confirms one or
/// assigns someone by hand. The engine applies the same rules (same rest, same
/// Amsterdam weeks).
public enum Rules {
    /// The first hard rule a shift would break, in the order a person would want to hear it.
    public enum Break: String, Sendable, Hashable, Codable {
        case notQualified = "not_qualified"
        case wrongArea = "wrong_area"
        case ownOrganisation = "own_organisation"
        case notAvailable = "not_available"
        case overlap
        case tooLittleRest = "too_little_rest"
        case weeklyCap = "weekly_cap"
        /// No VOG, or one older than the demanding organisation accepts on the shift's day.
        case noValidVOG = "no_valid_vog"
        /// Not in the register the shift's function asks for (SKJ, BIG) on its day.
        case notRegistered = "not_registered"
        /// Nobody has shown them around the shift's location yet.
        case notInducted = "not_inducted"
    }

    /// A broken rule with what breaks it: the other shift that overlaps or leaves too
    /// little rest, or the hours already worked that week.
    public struct Finding: Sendable, Hashable {
        public let rule: Break
        /// The shift in the way (overlap, rest).
        public let other: TimeWindow?
        /// Hours already in that week (weekly cap), and the cap.
        public let weekHours: Double?
        public let cap: Double?

        init(_ rule: Break, other: TimeWindow? = nil, weekHours: Double? = nil, cap: Double? = nil) {
            self.rule = rule
            self.other = other
            self.weekHours = weekHours
            self.cap = cap
        }
    }

    /// What stops `person` taking `demand`, given the shifts they already have
    /// (confirmed elsewhere, not this demand); nil when nothing does.
    public static func check(_ demand: Demand, for person: PoolPerson, busy: [TimeWindow]) -> Break? {
        explain(demand, for: person, busy: busy)?.rule
    }

    /// `check`, with the shift or the hours that break the rule.
    public static func explain(_ demand: Demand, for person: PoolPerson, busy: [TimeWindow]) -> Finding? {
        guard person.qualifications.contains(demand.qualification) else { return Finding(.notQualified) }
        guard person.allowedAreas.contains(demand.area) else { return Finding(.wrongArea) }
        guard person.homeOrganisation != demand.organisation else { return Finding(.ownOrganisation) }
        if let broken = credentials(demand, for: person) { return Finding(broken) }
        guard Problem.available(Problem.merged(person.availability), for: demand.shift) else { return Finding(.notAvailable) }
        let shift = demand.shift
        let others = (busy + person.commitments).sorted()
        if let other = others.first(where: { $0.start < shift.end && shift.start < $0.end }) { return Finding(.overlap, other: other) }
        if let other = others.first(where: {
            shift.start.timeIntervalSince($0.end) < Problem.rest && $0.start.timeIntervalSince(shift.end) < Problem.rest
        }) {
            return Finding(.tooLittleRest, other: other)
        }
        let hours = weekHours(of: busy, around: shift.start)
        if hours + shift.hours > person.weeklyCapHours + 1e-9 { return Finding(.weeklyCap, weekHours: hours, cap: person.weeklyCapHours) }
        return nil
    }

    /// The credentials a shift asks for, on its own day: a VOG no older than the
    /// organisation accepts, the registration its function needs, an induction at its
    /// location. The first one missing, or nil.
    public static func credentials(_ demand: Demand, for person: PoolPerson) -> Break? {
        if !holdsVOG(demand, person) { return .noValidVOG }
        if !holdsRegistration(demand, person) { return .notRegistered }
        if !holdsInduction(demand, person) { return .notInducted }
        return nil
    }

    /// Every credential `credentials` asks for that `person` lacks, in that order (VOG,
    /// registration, induction).
    public static func missingCredentials(_ demand: Demand, for person: PoolPerson) -> [Break] {
        var missing: [Break] = []
        if !holdsVOG(demand, person) { missing.append(.noValidVOG) }
        if !holdsRegistration(demand, person) { missing.append(.notRegistered) }
        if !holdsInduction(demand, person) { missing.append(.notInducted) }
        return missing
    }

    static func holdsVOG(_ demand: Demand, _ person: PoolPerson) -> Bool {
        guard let since = demand.vogIssuedSince else { return true }
        return person.vogIssued.map { $0 >= since && $0 <= demand.shift.start } ?? false
    }

    static func holdsRegistration(_ demand: Demand, _ person: PoolPerson) -> Bool {
        guard let register = demand.register else { return true }
        let start = demand.shift.start
        return person.registrations.contains { $0.register == register && $0.from <= start && $0.until.map { start < $0 } ?? true }
    }

    static func holdsInduction(_ demand: Demand, _ person: PoolPerson) -> Bool {
        guard let location = demand.inductionLocation else { return true }
        return person.inductions.contains { $0.location == location && $0.since <= demand.shift.start }
    }

    /// Hours of `busy` in the Amsterdam week (from Monday 00:00) of `moment`.
    public static func weekHours(of busy: [TimeWindow], around moment: Date) -> Double {
        let week = Problem.week(of: moment)
        return busy.filter { Problem.week(of: $0.start) == week }.reduce(0) { $0 + $1.hours }
    }

    /// The order in which the engine prefers people for a demand, for a list a person
    /// reads: the preferred area first, then the least loaded that week (in 8-hour
    /// steps, as the engine counts), then the exact hours. Lower comes first.
    public static func preference(_ demand: Demand, for person: PoolPerson, busy: [TimeWindow]) -> (Int, Int, Double) {
        let hours = weekHours(of: busy, around: demand.shift.start)
        return (person.preferredAreas.contains(demand.area) ? 0 : 1, Int(hours / 8), hours)
    }
}
