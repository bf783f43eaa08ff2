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

        /// OOAPI v5's modes of delivery.
        public static let modesOfDelivery = ["distance-learning", "on campus", "online", "hybrid", "situated"]

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

    /// OOAPI v5's levels.
    public static let levels = [
        "secondary vocational education", "secondary vocational education 1", "secondary vocational education 2",
        "secondary vocational education 3", "secondary vocational education 4", "associate degree", "bachelor", "master", "doctoral",
        "undefined", "undivided", "nt2-1", "nt2-2",
    ]

    /// An ISO 8601 duration as OOAPI's pattern allows it (`P3D`, `PT8H`, `P1DT30H4S`).
    public static func isDuration(_ text: String) -> Bool {
        text.wholeMatch(of: /-?P(?=\d|T\d)(?:\d+Y)?(?:\d+M)?(?:\d+[DW])?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?/) != nil
    }

    /// The registers that accredit training in the youth domain.
    public enum AccreditationRegister: String, CaseIterable, Sendable, Codable {
        case skj = "SKJ", nip = "NIP", nvo = "NVO", big = "BIG"
    }

    public var primaryCode: String
    /// The Dutch (or first) name and description: what the site shows and searches.
    public var name: String
    public var description: String
    /// Every language the provider sent, with its tag; empty: only `name` (in Dutch).
    public var names: [LocalizedText]
    public var descriptions: [LocalizedText]
    public var abbreviation: String?
    /// ISO 639-2, as OOAPI v5 wants it: `nld`, `eng`.
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
    /// OOAPI's studyLoad (ECTS, hours, ...), as the provider sent it.
    public var studyLoad: StudyLoad?
    /// OOAPI's modeOfDelivery as the provider sent it; empty: the one `format` implies.
    public var modesOfDelivery: [String]

    /// The names and descriptions an OOAPI consumer reads: every language sent, or the Dutch text.
    public var ooapiNames: [LocalizedText] { names.isEmpty ? [LocalizedText(language: "nl-NL", value: name)] : names }
    public var ooapiDescriptions: [LocalizedText] {
        descriptions.isEmpty ? [LocalizedText(language: "nl-NL", value: description)] : descriptions
    }

    /// The modes an OOAPI consumer reads.
    public var modes: [String] { modesOfDelivery.isEmpty ? [format.modeOfDelivery] : modesOfDelivery }

    public init(
        primaryCode: String, name: String, description: String, names: [LocalizedText] = [], descriptions: [LocalizedText] = [],
        abbreviation: String? = nil, teachingLanguage: String = "nld",
        level: String? = nil, format: Format, duration: String? = nil, link: String? = nil, enrolsHere: Bool = true,
        topics: [String] = [], targetFunctions: [String] = [], targetDisciplines: [String] = [], studyHours: Double? = nil,
        register: AccreditationRegister? = nil, points: Double? = nil, accreditationNumber: String? = nil, priceCents: Int? = nil,
        studyLoad: StudyLoad? = nil, modesOfDelivery: [String] = []
    ) {
        self.modesOfDelivery = modesOfDelivery
        self.primaryCode = primaryCode
        self.name = name
        self.description = description
        self.names = names
        self.descriptions = descriptions
        self.studyLoad = studyLoad
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
    /// Where, as people read it (the first address when the provider gave no text).
    public var place: String?
    public var sessions: [Session]
    /// The offering's own name and description; empty: the course's.
    public var names: [LocalizedText]
    public var descriptions: [LocalizedText]
    /// OOAPI addresses and price information, as the provider sent them.
    public var addresses: [OfferingAddress]
    public var priceInformation: [OfferingCost]
    /// The offering's own page at the provider.
    public var link: String?

    public init(
        primaryCode: String, courseCode: String, startDate: Day, endDate: Day, enrollStartDate: Day? = nil, enrollEndDate: Day? = nil,
        maxStudents: Int? = nil, place: String? = nil, sessions: [Session] = [], names: [LocalizedText] = [],
        descriptions: [LocalizedText] = [], addresses: [OfferingAddress] = [], priceInformation: [OfferingCost] = [], link: String? = nil
    ) {
        self.names = names
        self.descriptions = descriptions
        self.addresses = addresses
        self.priceInformation = priceInformation
        self.link = link
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

/// OOAPI's LanguageTypedString: a text with its RFC 3066 language tag.
public struct LocalizedText: Sendable, Hashable, Codable {
    public var language: String
    public var value: String

    public init(language: String, value: String) {
        self.language = language
        self.value = value
    }

    /// OOAPI's pattern for the tag (`nl-NL`, `en-GB`, `zh-Hant-TW`).
    public static func isTag(_ text: String) -> Bool {
        text.wholeMatch(of: /[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?/) != nil
    }

    /// A tag written in another case put right (`nl-nl` → `nl-NL`, `EN_gb` → `en-GB`);
    /// nil when it is no tag.
    public static func normalisedTag(_ text: String) -> String? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == "-" || $0 == "_" }).map(String.init)
        guard let first = parts.first else { return nil }
        var out = [first.lowercased()]
        for part in parts.dropFirst() {
            out.append(part.count == 4 ? part.prefix(1).uppercased() + part.dropFirst().lowercased() : part.uppercased())
        }
        let tag = out.joined(separator: "-")
        return isTag(tag) ? tag : nil
    }
}

/// ISO 639-2 language codes, as OOAPI v5 names a teaching language.
public enum TeachingLanguage {
    /// ISO 639-1 to ISO 639-2/T for the languages courses here are given in.
    static let twoToThree = [
        "nl": "nld", "en": "eng", "de": "deu", "fr": "fra", "es": "spa", "it": "ita", "pt": "por", "pl": "pol", "tr": "tur",
        "ar": "ara", "fy": "fry", "pap": "pap", "so": "som", "ti": "tir", "uk": "ukr", "ru": "rus", "zh": "zho", "ro": "ron",
        "bg": "bul", "sr": "srp", "hr": "hrv", "bs": "bos", "fa": "fas", "ur": "urd", "hi": "hin", "id": "ind", "ber": "ber",
    ]

    /// `nld` from `nld`, `nl`, `nl-NL` or `NL_nl`; nil when it is neither a 639-2 code
    /// nor a tag of a language listed here.
    public static func iso6392(_ text: String) -> String? {
        let primary = text.trimmingCharacters(in: .whitespaces).lowercased().split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        if let three = twoToThree[primary] { return three }
        if primary.count == 3, primary.allSatisfy({ $0.isASCII && $0.isLetter }) { return primary }
        return nil
    }

    /// A tag for texts in this language (`nld` → `nl-NL`), for the site's `lang`.
    public static func tag(_ code: String) -> String {
        switch code {
        case "nld": return "nl-NL"
        case "eng": return "en-GB"
        default: return twoToThree.first { $0.value == code }?.key ?? code
        }
    }
}

/// OOAPI's StudyLoadDescriptor.
public struct StudyLoad: Sendable, Hashable, Codable {
    public static let units = ["contacttime", "ects", "sbu", "sp", "hour"]
    public var studyLoadUnit: String
    public var value: Double

    public init(studyLoadUnit: String, value: Double) {
        self.studyLoadUnit = studyLoadUnit
        self.value = value
    }
}

/// OOAPI's Address, with the fields a course's place needs.
public struct OfferingAddress: Sendable, Hashable, Codable {
    public static let types = ["postal", "visit", "deliveries", "billing", "teaching"]
    public struct Geolocation: Sendable, Hashable, Codable {
        public var latitude: Double
        public var longitude: Double
    }

    public var addressType: String
    public var street: String?
    public var streetNumber: String?
    public var additional: [LocalizedText]?
    public var postalCode: String?
    public var city: String?
    public var countryCode: String?
    public var geolocation: Geolocation?

    public init(addressType: String, street: String? = nil, streetNumber: String? = nil, postalCode: String? = nil, city: String? = nil,
                countryCode: String? = nil) {
        self.addressType = addressType
        self.street = street
        self.streetNumber = streetNumber
        self.postalCode = postalCode
        self.city = city
        self.countryCode = countryCode
    }

    /// "Moreelsepark 48, 3511 EP Utrecht", as people read it.
    public var text: String {
        let line1 = [street, streetNumber].compactMap { $0 }.joined(separator: " ")
        let line2 = [postalCode, city].compactMap { $0 }.joined(separator: " ")
        return [line1, line2].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// OOAPI's Cost: one line of an offering's price information.
public struct OfferingCost: Sendable, Hashable, Codable {
    public var costType: String
    /// Amounts as OOAPI writes them: digits with an optional decimal point ("340.84").
    public var amount: String?
    public var vatAmount: String?
    public var amountWithoutVat: String?
    public var currency: String?
    public var displayAmount: [LocalizedText]?

    public init(costType: String, amount: String? = nil, currency: String? = nil) {
        self.costType = costType
        self.amount = amount
        self.currency = currency
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
