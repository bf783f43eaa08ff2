import Domain
import Foundation

/// The hard rules for one person on one shift, outside a matching run: used when a
/// pool member claims an open shift, accepts a proposal, or a coordinator confirms
/// one. The engine applies the same rules (same rest, same Amsterdam weeks).
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
    }

    /// What stops `person` taking `demand`, given the shifts they already have
    /// (confirmed elsewhere, not this demand); nil when nothing does.
    public static func check(_ demand: Demand, for person: PoolPerson, busy: [TimeWindow]) -> Break? {
        guard person.qualifications.contains(demand.qualification) else { return .notQualified }
        guard person.allowedAreas.contains(demand.area) else { return .wrongArea }
        guard person.homeOrganisation != demand.organisation else { return .ownOrganisation }
        guard Problem.available(Problem.merged(person.availability), for: demand.shift) else { return .notAvailable }
        let shift = demand.shift
        let others = busy + person.commitments
        if others.contains(where: { $0.start < shift.end && shift.start < $0.end }) { return .overlap }
        if others.contains(where: {
            shift.start.timeIntervalSince($0.end) < Problem.rest && $0.start.timeIntervalSince(shift.end) < Problem.rest
        }) {
            return .tooLittleRest
        }
        let week = Problem.week(of: shift.start)
        let hours = busy.filter { Problem.week(of: $0.start) == week }.reduce(0) { $0 + $1.hours }
        if hours + shift.hours > person.weeklyCapHours + 1e-9 { return .weeklyCap }
        return nil
    }
}
