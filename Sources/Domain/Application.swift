import Foundation

/// A professional's or student's application to a posting, and its states.
/// Why an application was turned down: a short list, so that candidates hear a real
/// reason and the region can see why people are turned away.
public enum RejectionReason: String, CaseIterable, Sendable, Codable {
    case profile
    case experience
    case otherCandidate = "other_candidate"
    case filled
    case other

    public var label: String {
        switch self {
        case .profile: return "Je profiel past minder goed bij deze functie"
        case .experience: return "Er is meer ervaring nodig voor deze functie"
        case .otherCandidate: return "We hebben gekozen voor een andere kandidaat"
        case .filled: return "De vacature is al vervuld"
        case .other: return "Een andere reden (zie het bericht)"
        }
    }
}

public enum ApplicationStatus: String, CaseIterable, Sendable, Codable {
    case submitted
    case inReview = "in_review"
    case invited
    case hired
    case rejected
    case withdrawn

    public var label: String {
        switch self {
        case .submitted: return "Ingediend"
        case .inReview: return "In behandeling"
        case .invited: return "Uitgenodigd"
        case .hired: return "Aangenomen"
        case .rejected: return "Afgewezen"
        case .withdrawn: return "Ingetrokken"
        }
    }

    /// Still in play (not decided, not withdrawn).
    public var isLive: Bool { self == .submitted || self == .inReview || self == .invited }

    /// The states an HR adviser may move an application to from this one.
    public var nextForHR: [ApplicationStatus] {
        switch self {
        case .submitted: return [.inReview, .invited, .rejected]
        case .inReview: return [.invited, .hired, .rejected]
        case .invited: return [.hired, .rejected]
        case .hired, .rejected, .withdrawn: return []
        }
    }

    public func canMove(to next: ApplicationStatus) -> Bool { nextForHR.contains(next) }
}

/// The motivation an applicant writes: 10 to 5,000 characters.
public enum Motivation {
    public static func problem(with text: String) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.count < 10 { return "Schrijf een korte motivatie (minstens 10 tekens)." }
        if trimmed.count > 5000 { return "De motivatie is te lang (hoogstens 5.000 tekens)." }
        return nil
    }
}

/// Who may apply for which kind: professionals for everything, students for
/// internships and shadow days.
public enum ApplyRule {
    /// Whether the account's role may apply to this kind of posting at all (confirmed
    /// address or not).
    public static func roleMayApply(_ account: Account, to kind: Posting.Kind) -> Bool {
        if account.has(.professional) { return true }
        if account.has(.student), kind == .internship || kind == .shadowDay { return true }
        if account.has(.jobSeeker), kind == .vacancy || kind == .traineeship || kind == .shadowDay { return true }
        return false
    }

    /// Whether the account may apply now: its role allows it and its address is confirmed.
    public static func mayApply(_ account: Account, to kind: Posting.Kind) -> Bool {
        account.emailConfirmed && roleMayApply(account, to: kind)
    }
}
