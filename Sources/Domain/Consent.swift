/// What a professional may allow, one purpose at a time; nothing is allowed until they
/// say so, and withdrawing takes one click, like giving.
public enum ConsentPurpose: String, CaseIterable, Sendable, Codable, Hashable {
    /// HR advisers of other member organisations may find the profile and open it.
    case profileSearch = "profile_search"
    /// They may contact the professional about job rotation and duo jobs.
    case contactMobility = "contact_mobility"
    /// A student's school (its internship coordinators) may follow their applications to
    /// internships and traineeships.
    case schoolApplications = "school_applications"

    public var label: String {
        switch self {
        case .profileSearch: return "HR-adviseurs van andere lid-organisaties mogen mijn profiel vinden en bekijken"
        case .contactMobility: return "Zij mogen mij benaderen over baanroulatie en duobanen"
        case .schoolApplications: return "De stagecoördinator van mijn school mag mijn sollicitaties op stages en traineeships volgen"
        }
    }

    /// What a professional decides on their profile page.
    public static let professional: [ConsentPurpose] = [.profileSearch, .contactMobility]
}

/// Why an HR adviser opens a professional's profile; written to the audit log with the
/// view, and shown to the professional.
public enum ProfileViewReason: String, CaseIterable, Sendable, Hashable {
    case vacancy
    case rotation
    case duoJob = "duo_job"
    case flexpool
    case development

    public var label: String {
        switch self {
        case .vacancy: return "Voor een vacature"
        case .rotation: return "Voor baanroulatie"
        case .duoJob: return "Voor een duobaan"
        case .flexpool: return "Voor de flexpool"
        case .development: return "Voor een ontwikkel- of loopbaangesprek"
        }
    }
}

/// What an HR adviser searches consenting profiles on; every part may be left open.
public struct ProfileSearch: Sendable, Hashable {
    public var functionCode: String?
    public var discipline: Discipline?
    public var areaSlug: String?
    public var interest: Interest?

    public init(functionCode: String? = nil, discipline: Discipline? = nil, areaSlug: String? = nil, interest: Interest? = nil) {
        self.functionCode = functionCode
        self.discipline = discipline
        self.areaSlug = areaSlug
        self.interest = interest
    }

    /// From a query; unknown values are left open.
    public static func parse(function: String?, discipline: String?, area: String?, interest: String?, knownFunctions: Set<String>) -> ProfileSearch {
        ProfileSearch(
            functionCode: function.flatMap { knownFunctions.contains($0) ? $0 : nil },
            discipline: discipline.flatMap(Discipline.init(rawValue:)),
            areaSlug: area.flatMap { slug in Area.all.contains { $0.slug == slug } ? slug : nil },
            interest: interest.flatMap(Interest.init(rawValue:)))
    }
}
