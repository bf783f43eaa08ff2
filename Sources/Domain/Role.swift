/// What an account may do. A person may hold several roles; `hrAdviser` is always held
/// for one organisation, `coordinator` and `careerAdviser` for one organisation or
/// (without one) the region, `internshipCoordinator` for one school.
public enum Role: String, CaseIterable, Sendable, Codable, Hashable {
    case admin
    case hrAdviser = "hr_adviser"
    case coordinator
    case professional
    case student
    /// Somebody from outside the member organisations looking for work in youth care.
    case jobSeeker = "job_seeker"
    /// Holds career conversations with professionals: for one organisation's people, or
    /// (without one) for the whole region.
    case careerAdviser = "career_adviser"
    /// A school's internship coordinator: sees the region's internship places, the
    /// applications of the school's own students who consented, and the agreements that
    /// name the school. Always for one school.
    case internshipCoordinator = "internship_coordinator"

    /// Dutch name shown in pages.
    public var label: String {
        switch self {
        case .admin: return "Beheerder"
        case .hrAdviser: return "HR-adviseur"
        case .coordinator: return "Flexpoolcoördinator"
        case .professional: return "Jeugdprofessional"
        case .student: return "Student"
        case .jobSeeker: return "Werkzoekende"
        case .careerAdviser: return "Loopbaanadviseur"
        case .internshipCoordinator: return "Stagecoördinator van een school"
        }
    }

    public enum OrganisationScope: Sendable { case required, optional, none }

    public var organisationScope: OrganisationScope {
        switch self {
        case .hrAdviser, .internshipCoordinator: return .required
        case .coordinator, .careerAdviser: return .optional
        case .admin, .professional, .student, .jobSeeker: return .none
        }
    }
}

/// A role held by an account, for an organisation where the role has one.
public struct RoleGrant: Sendable, Hashable, Codable {
    public var role: Role
    public var organisationID: Organisation.ID?

    public init(role: Role, organisationID: Organisation.ID? = nil) {
        self.role = role
        self.organisationID = organisationID
    }

    /// Checks the scope rule: HR advisers and internship coordinators need an
    /// organisation, admins, professionals and students have none. (The database
    /// enforces the same rule, and that an internship coordinator's is a school.)
    public func validated() throws(ValidationErrors) -> RoleGrant {
        var errors = ValidationErrors()
        switch role.organisationScope {
        case .required where organisationID == nil:
            errors.add("organisation", "Kies de organisatie waarvoor deze rol geldt.")
        case .none where organisationID != nil:
            errors.add("organisation", "Deze rol hoort niet bij één organisatie.")
        default:
            break
        }
        try errors.throwIfAny()
        return self
    }
}
