import Foundation

/// A course of the Jeugd Academie in the uniform format: the Open Education API (OOAPI
/// v5) Course, with what the youth domain needs under `ext` (docs/academy-format.md).
public struct CourseRecord: Sendable, Hashable {
    public enum Format: String, CaseIterable, Sendable, Codable {
        case classroom
        case onlineLive = "online_live"
        case eLearning = "e_learning"
        case blended

        public var label: String {
            switch self {
            case .classroom: return "Klassikaal"
            case .onlineLive: return "Online live"
            case .eLearning: return "E-learning"
            case .blended: return "Blended"
            }
        }

        /// OOAPI's modeOfDelivery for this format.
        public var modeOfDelivery: String {
            switch self {
            case .classroom: return "on campus"
            case .onlineLive: return "online"
            case .eLearning: return "distance-learning"
            case .blended: return "hybrid"
            }
        }

        /// From OOAPI's modeOfDelivery values, when `ext.format` is absent.
        public init?(modeOfDelivery: [String]) {
            let modes = Set(modeOfDelivery.map { $0.lowercased().replacingOccurrences(of: "_", with: " ").replacingOccurrences(of: "-", with: " ") })
            if modes.contains("hybrid") || (modes.contains("online") && (modes.contains("on campus") || modes.contains("situated"))) { self = .blended }
            else if modes.contains("on campus") || modes.contains("situated") { self = .classroom }
            else if modes.contains("online") { self = .onlineLive }
            else if modes.contains("distance learning") { self = .eLearning }
            else { return nil }
        }
    }

    /// The registers that accredit training in the youth domain.
    public enum AccreditationRegister: String, CaseIterable, Sendable, Codable {
        case skj = "SKJ", nip = "NIP", nvo = "NVO", big = "BIG"
    }

    public var primaryCode: String
    public var name: String
    public var description: String
    public var abbreviation: String?
    public var teachingLanguage: String
    public var level: String?
    public var format: Format
    public var duration: String?
    /// The provider's own page (and enrolment system, when `enrolsHere` is false).
    public var link: String?
    public var enrolsHere: Bool
    public var topics: [String]
    public var targetFunctions: [String]
    public var targetDisciplines: [String]
    public var studyHours: Double?
    public var register: AccreditationRegister?
    public var points: Double?
    public var accreditationNumber: String?
    /// Price for professionals of member organisations, in euro cents.
    public var priceCents: Int?

    public init(
        primaryCode: String, name: String, description: String, abbreviation: String? = nil, teachingLanguage: String = "nl-NL",
        level: String? = nil, format: Format, duration: String? = nil, link: String? = nil, enrolsHere: Bool = true,
        topics: [String] = [], targetFunctions: [String] = [], targetDisciplines: [String] = [], studyHours: Double? = nil,
        register: AccreditationRegister? = nil, points: Double? = nil, accreditationNumber: String? = nil, priceCents: Int? = nil
    ) {
        self.primaryCode = primaryCode
        self.name = name
        self.description = description
        self.abbreviation = abbreviation
        self.teachingLanguage = teachingLanguage
        self.level = level
        self.format = format
        self.duration = duration
        self.link = link
        self.enrolsHere = enrolsHere
        self.topics = topics
        self.targetFunctions = targetFunctions
        self.targetDisciplines = targetDisciplines
        self.studyHours = studyHours
        self.register = register
        self.points = points
        self.accreditationNumber = accreditationNumber
        self.priceCents = priceCents
    }
}

/// One run of a course: dates, enrolment window, capacity, place and sessions.
public struct OfferingRecord: Sendable, Hashable {
    public struct Session: Sendable, Hashable, Codable {
        public var start: Date
        public var end: Date
        public init(start: Date, end: Date) {
            self.start = start
            self.end = end
        }
    }

    public var primaryCode: String
    /// The primary code of its course.
    public var courseCode: String
    public var startDate: Day
    public var endDate: Day
    public var enrollStartDate: Day?
    public var enrollEndDate: Day?
    /// nil: no limit.
    public var maxStudents: Int?
    public var place: String?
    public var sessions: [Session]

    public init(
        primaryCode: String, courseCode: String, startDate: Day, endDate: Day, enrollStartDate: Day? = nil, enrollEndDate: Day? = nil,
        maxStudents: Int? = nil, place: String? = nil, sessions: [Session] = []
    ) {
        self.primaryCode = primaryCode
        self.courseCode = courseCode
        self.startDate = startDate
        self.endDate = endDate
        self.enrollStartDate = enrollStartDate
        self.enrollEndDate = enrollEndDate
        self.maxStudents = maxStudents
        self.place = place
        self.sessions = sessions
    }
}

/// What an import file held: the good records, and each bad one with where it is and why.
public struct Catalogue: Sendable, Hashable {
    public struct Rejection: Error, Sendable, Hashable, Codable {
        /// "courses[3]", "offerings[0]" or "regel 7".
        public let location: String
        public let code: String?
        public let reason: String

        /// "courses[0] (ALT-VA-2027): reason", as the report and the log show it (a code
        /// logged before 0016 may be empty: then none is shown).
        public var text: String {
            "\(location)\(code.flatMap { $0.isEmpty ? nil : " (\($0))" } ?? ""): \(reason)"
        }
    }

    public var courses: [CourseRecord] = []
    public var offerings: [OfferingRecord] = []
    public var rejected: [Rejection] = []
    /// Every course code the file names, good or bad: a bad record of an existing
    /// course must not withdraw it.
    public var namedCourseCodes: Set<String> = []
    /// The file as a whole could not be read (not JSON, no courses, no header): an
    /// import of it must change nothing, above all not withdraw the catalogue.
    public var unreadable = false

    public init() {}
}
