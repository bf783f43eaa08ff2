import Foundation

/// Job rotation (baanroulatie): two professionals of the same function at two member
/// organisations swap places for a period.
public enum RotationStatus: String, CaseIterable, Sendable, Codable, Hashable {
    case proposed, declined, withdrawn, agreed, approved, rejected

    public var label: String {
        switch self {
        case .proposed: return "Voorgesteld, wacht op je collega"
        case .declined: return "Afgewezen door je collega"
        case .withdrawn: return "Ingetrokken"
        case .agreed: return "Afgesproken, wacht op de HR-adviseurs"
        case .approved: return "Goedgekeurd"
        case .rejected: return "Niet goedgekeurd door HR"
        }
    }

    public var isOpen: Bool { self == .proposed || self == .agreed }
}

/// What a professional fills in to propose a rotation.
public struct RotationProposal: Sendable, Hashable {
    public let startsOn: Day
    public let endsOn: Day
    public let message: String

    /// At least two weeks and at most a year, starting after today.
    public static func parse(start: String, end: String, message: String, today: Day) throws(ValidationErrors) -> RotationProposal {
        var errors = ValidationErrors()
        let startsOn = Day(iso: start.trimmingCharacters(in: .whitespaces))
        let endsOn = Day(iso: end.trimmingCharacters(in: .whitespaces))
        if startsOn == nil { errors.add("start", "Vul de eerste dag in (jjjj-mm-dd).") }
        if endsOn == nil { errors.add("end", "Vul de laatste dag in (jjjj-mm-dd).") }
        if let startsOn, startsOn <= today { errors.add("start", "De roulatie begint na vandaag.") }
        if let startsOn, let endsOn {
            if endsOn < AmsterdamTime.adding(13, to: startsOn) { errors.add("end", "Een roulatie duurt minstens twee weken.") }
            else if endsOn > AmsterdamTime.adding(366, to: startsOn) { errors.add("end", "Een roulatie duurt hoogstens een jaar.") }
        }
        let message = message.trimmingCharacters(in: .whitespacesAndNewlines)
        if message.count > 2000 { errors.add("message", "Het bericht is te lang (hoogstens 2.000 tekens).") }
        try errors.throwIfAny()
        return RotationProposal(startsOn: startsOn!, endsOn: endsOn!, message: message)
    }

    public init(startsOn: Day, endsOn: Day, message: String) {
        self.startsOn = startsOn
        self.endsOn = endsOn
        self.message = message
    }
}
