/// What an account may do. A person may hold several roles; `hrAdviser` is always held
/// for one organisation, `coordinator` for one organisation or (without one) the region.
public enum Role: String, CaseIterable, Sendable, Codable, Hashable {
    case admin
    case hrAdviser = "hr_adviser"
    case coordinator
    case professional
    case student
    /// Somebody from outside the member organisations looking for work in youth care.
    case jobSeeker = "job_seeker"

    /// Dutch name shown in pages.
    public var label: String {
        switch self {
        case .admin: return "Beheerder"
        case .hrAdviser: return "HR-adviseur"
        case .coordinator: return "Flexpoolcoördinator"
        case .professional: return "Jeugdprofessional"
        case .student: return "Student"
        case .jobSeeker: return "Werkzoekende"
        }
    }

    public enum OrganisationScope: Sendable { case required, optional, none }

    public var organisationScope: OrganisationScope {
        switch self {
        case .hrAdviser: return .required
        case .coordinator: return .optional
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

    /// Checks the scope rule: HR advisers need an organisation, admins, professionals
    /// and students have none. (The database enforces the same rule.)
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
