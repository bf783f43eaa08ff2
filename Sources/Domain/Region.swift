/// The six municipalities of the region Amsterdam-Amstelland.
public enum Municipality: String, CaseIterable, Sendable, Codable, Hashable {
    case amsterdam
    case amstelveen
    case aalsmeer
    case diemen
    case ouderAmstel = "ouder-amstel"
    case uithoorn

    public var name: String {
        switch self {
        case .amsterdam: return "Amsterdam"
        case .amstelveen: return "Amstelveen"
        case .aalsmeer: return "Aalsmeer"
        case .diemen: return "Diemen"
        case .ouderAmstel: return "Ouder-Amstel"
        case .uithoorn: return "Uithoorn"
        }
    }
}

/// Where work takes place: Amsterdam's areas (stadsdelen), and each other municipality
/// as one area of its own.
public struct Area: Sendable, Hashable, Codable {
    public var slug: String
    public var name: String
    public var municipality: Municipality

    public init(slug: String, name: String, municipality: Municipality) {
        self.slug = slug
        self.name = name
        self.municipality = municipality
    }

    public static let amsterdamAreas: [Area] = [
        ("centrum", "Centrum"), ("noord", "Noord"), ("oost", "Oost"), ("west", "West"),
        ("nieuw-west", "Nieuw-West"), ("zuid", "Zuid"), ("zuidoost", "Zuidoost"), ("weesp", "Weesp"),
    ].map { Area(slug: $0.0, name: $0.1, municipality: .amsterdam) }

    /// Every area of the region (the same list the first migration stores).
    public static let all: [Area] = amsterdamAreas + Municipality.allCases
        .filter { $0 != .amsterdam }
        .map { Area(slug: $0.rawValue, name: $0.name, municipality: $0) }
}

/// The disciplines of the youth domain.
public enum Discipline: String, CaseIterable, Sendable, Codable, Hashable {
    case jeugdhulp
    case ggz
    case lvb
    case jeugdbescherming

    public var label: String {
        switch self {
        case .jeugdhulp: return "Jeugdhulp"
        case .ggz: return "GGZ"
        case .lvb: return "LVB"
        case .jeugdbescherming: return "Jeugdbescherming"
        }
    }
}

public enum EducationLevel: String, CaseIterable, Sendable, Codable, Hashable {
    case mbo, hbo, wo

    public var label: String { rawValue.uppercased() }
}
