import Foundation

/// Where a person stands on one offering of the Jeugd Academie.
public enum EnrolmentStatus: String, CaseIterable, Sendable, Codable {
    case enrolled, waitlisted, cancelled, attended, completed
    case noShow = "no_show"

    public var label: String {
        switch self {
        case .enrolled: return "Ingeschreven"
        case .waitlisted: return "Op de wachtlijst"
        case .cancelled: return "Geannuleerd"
        case .attended: return "Aanwezig geweest"
        case .completed: return "Afgerond"
        case .noShow: return "Niet verschenen"
        }
    }

    /// What the provider's HR adviser may record after the course.
    public static let outcomes: [EnrolmentStatus] = [.attended, .completed, .noShow]
}

/// The SKJ re-registration: every five years, at least 60 points of accredited
/// training and 60 hours of reflection (intervision, supervision).
public struct SKJPeriod: Sendable, Hashable {
    public static let years = 5
    public static let pointsNeeded = 60.0
    public static let reflectionHoursNeeded = 60.0

    public let start: Day
    public let end: Day

    /// The period `today` falls in, counting five-year periods from the registration day.
    public init(registeredOn: Day, today: Day) {
        var start = registeredOn
        while let next = Day(year: start.year + Self.years, month: start.month, day: min(start.day, Day.daysIn(month: start.month, year: start.year + Self.years))),
              next <= today {
            start = next
        }
        self.start = start
        end = Day(year: start.year + Self.years, month: start.month, day: min(start.day, Day.daysIn(month: start.month, year: start.year + Self.years)))!
    }
}

/// The rule of the region's learning pilot for an intervision group: 4 to 8
/// professionals from at least two organisations and two disciplines.
public enum IntervisionRule {
    public static let size = 4...8

    /// What is wrong with these members (organisation, discipline), in Dutch; empty when nothing.
    public static func problems<Organisation: Hashable>(_ members: [(organisation: Organisation, discipline: Discipline)]) -> [String] {
        var problems: [String] = []
        if !size.contains(members.count) { problems.append("Een intervisiegroep heeft 4 tot 8 deelnemers; nu \(members.count).") }
        if Set(members.map(\.organisation)).count < 2 { problems.append("De deelnemers komen van minstens twee organisaties.") }
        if Set(members.map(\.discipline)).count < 2 { problems.append("De deelnemers hebben minstens twee disciplines.") }
        return problems
    }
}
