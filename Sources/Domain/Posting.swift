import Foundation

/// One record of the vacancy bank, of one of four kinds.
public struct Posting: Sendable, Hashable, Identifiable {
    public typealias ID = UUID

    public enum Kind: String, CaseIterable, Sendable, Codable {
        case vacancy
        case internship
        case traineeship
        case shadowDay = "shadow_day"

        public var label: String {
            switch self {
            case .vacancy: return "Vacature"
            case .internship: return "Stage"
            case .traineeship: return "Traineeship"
            case .shadowDay: return "Meeloopdag"
            }
        }

        /// The plural, for counts ("12 vacatures").
        public var pluralLabel: String {
            switch self {
            case .vacancy: return "vacatures"
            case .internship: return "stages"
            case .traineeship: return "traineeships"
            case .shadowDay: return "meeloopdagen"
            }
        }

        /// The word used in addresses: `/vacatures?soort=stage`.
        public var urlName: String {
            switch self {
            case .vacancy: return "vacature"
            case .internship: return "stage"
            case .traineeship: return "traineeship"
            case .shadowDay: return "meeloopdag"
            }
        }

        public init?(urlName: String) {
            guard let kind = Kind.allCases.first(where: { $0.urlName == urlName }) else { return nil }
            self = kind
        }

        /// Kinds whose number of places is limited and never overbooked.
        public var hasPlaces: Bool { self == .internship || self == .shadowDay }
    }

    public enum Status: String, CaseIterable, Sendable, Codable {
        case draft, published, closed, filled

        public var label: String {
            switch self {
            case .draft: return "Concept"
            case .published: return "Gepubliceerd"
            case .closed: return "Gesloten"
            case .filled: return "Vervuld"
            }
        }
    }

    public var id: ID
    public var organisationID: Organisation.ID
    public var organisationName: String
    public var organisationSlug: String
    public var status: Status
    public var details: PostingDetails
    public var placesTaken: Int
    public var publishedAt: Date?
    public var updatedAt: Date
    public var applicantCount: Int

    public init(
        id: ID, organisationID: Organisation.ID, organisationName: String, organisationSlug: String, status: Status,
        details: PostingDetails, placesTaken: Int, publishedAt: Date?, updatedAt: Date, applicantCount: Int
    ) {
        self.id = id
        self.organisationID = organisationID
        self.organisationName = organisationName
        self.organisationSlug = organisationSlug
        self.status = status
        self.details = details
        self.placesTaken = placesTaken
        self.publishedAt = publishedAt
        self.updatedAt = updatedAt
        self.applicantCount = applicantCount
    }

    /// Whether the posting is open on `today`: published and its closing date not passed.
    public func isOpen(on today: Day) -> Bool {
        status == .published && (details.closingDate.map { $0 >= today } ?? true)
    }

    /// Whether only members' professionals may see it on `today`.
    public func isInternal(on today: Day) -> Bool {
        details.internalUntil.map { $0 >= today } ?? false
    }

    public var placesLeft: Int? {
        details.places.map { max(0, $0 - placesTaken) }
    }
}

/// What an HR adviser fills in for a posting, checked.
public struct PostingDetails: Sendable, Hashable, Codable {
    public var kind: Posting.Kind
    public var title: String
    public var functionCode: String?
    public var discipline: Discipline?
    public var educationLevel: EducationLevel?
    public var hoursMin: Int?
    public var hoursMax: Int?
    public var salaryScale: Int?
    public var municipality: Municipality
    public var areaSlug: String?
    /// Where the work is: "Herengracht 12" and "1015 BN" (optional).
    public var streetAddress: String?
    public var postalCode: String?
    public var startDate: Day?
    public var closingDate: Day?
    public var places: Int?
    public var description: String
    public var contact: String?
    public var duoSuitable: Bool
    public var internalUntil: Day?

    public init(
        kind: Posting.Kind, title: String, functionCode: String? = nil, discipline: Discipline? = nil,
        educationLevel: EducationLevel? = nil, hoursMin: Int? = nil, hoursMax: Int? = nil, salaryScale: Int? = nil,
        municipality: Municipality, areaSlug: String? = nil, startDate: Day? = nil, closingDate: Day? = nil,
        places: Int? = nil, description: String, contact: String? = nil, duoSuitable: Bool = false, internalUntil: Day? = nil,
        streetAddress: String? = nil, postalCode: String? = nil
    ) {
        self.streetAddress = streetAddress
        self.postalCode = postalCode
        self.kind = kind
        self.title = title
        self.functionCode = functionCode
        self.discipline = discipline
        self.educationLevel = educationLevel
        self.hoursMin = hoursMin
        self.hoursMax = hoursMax
        self.salaryScale = salaryScale
        self.municipality = municipality
        self.areaSlug = areaSlug
        self.startDate = startDate
        self.closingDate = closingDate
        self.places = places
        self.description = description
        self.contact = contact
        self.duoSuitable = duoSuitable
        self.internalUntil = internalUntil
    }

    /// The raw fields of the form or the API, by field name.
    public struct Input: Sendable {
        public var values: [String: String]
        public init(_ values: [String: String]) { self.values = values }
        subscript(_ name: String) -> String {
            (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The field names, shared by the form and the API.
    public static let fieldNames = [
        "kind", "title", "function", "discipline", "education_level", "hours_min", "hours_max", "salary_scale",
        "municipality", "area", "start_date", "closing_date", "places", "description", "contact", "duo", "internal_until",
        "street_address", "postal_code",
    ]

    /// A Dutch postal code in its written form ("1015bn" → "1015 BN"); nil when it is none.
    public static func postalCode(_ text: String) -> String? {
        let compact = text.uppercased().filter { !$0.isWhitespace }
        guard compact.wholeMatch(of: /[1-9][0-9]{3}[A-Z]{2}/) != nil else { return nil }
        return compact.prefix(4) + " " + compact.suffix(2)
    }

    /// Validates raw input; every problem is named by its field, in Dutch.
    /// `functionCodes` are the known functions (from the catalogue).
    public static func parse(_ input: Input, functionCodes: Set<String>) throws(ValidationErrors) -> PostingDetails {
        var errors = ValidationErrors()
        let kind = Posting.Kind(rawValue: input["kind"]) ?? Posting.Kind(urlName: input["kind"])
        if kind == nil { errors.add("kind", "Kies het soort: vacature, stage, traineeship of meeloopdag.") }

        let title = input["title"]
        if title.count < 3 { errors.add("title", "Geef een titel van minstens 3 tekens.") }
        else if title.count > 200 { errors.add("title", "De titel is te lang (hoogstens 200 tekens).") }

        var function: String?
        if !input["function"].isEmpty {
            if functionCodes.contains(input["function"]) { function = input["function"] }
            else { errors.add("function", "Kies een functie uit de lijst.") }
        }
        var discipline: Discipline?
        if !input["discipline"].isEmpty {
            discipline = Discipline(rawValue: input["discipline"])
            if discipline == nil { errors.add("discipline", "Kies een discipline uit de lijst.") }
        }
        var level: EducationLevel?
        if !input["education_level"].isEmpty {
            level = EducationLevel(rawValue: input["education_level"].lowercased())
            if level == nil { errors.add("education_level", "Kies mbo, hbo of wo.") }
        }

        func number(_ field: String, _ range: ClosedRange<Int>, _ message: String) -> Int? {
            let text = input[field]
            guard !text.isEmpty else { return nil }
            guard let value = Int(text), range.contains(value) else {
                errors.add(field, message)
                return nil
            }
            return value
        }
        let hoursMin = number("hours_min", 1...40, "Vul een aantal uren tussen 1 en 40 in.")
        let hoursMax = number("hours_max", 1...40, "Vul een aantal uren tussen 1 en 40 in.")
        if let hoursMin, let hoursMax, hoursMin > hoursMax {
            errors.add("hours_max", "Het maximum aantal uren is kleiner dan het minimum.")
        }
        let scale = number("salary_scale", 1...18, "De CAO Jeugdzorg kent schaal 1 tot en met 18.")
        let places = number("places", 1...500, "Vul een aantal plaatsen tussen 1 en 500 in.")
        if let kind, kind.hasPlaces, places == nil, errors["places"] == nil {
            errors.add("places", "Geef aan hoeveel plaatsen er zijn.")
        }

        let municipality = Municipality(rawValue: input["municipality"])
        if municipality == nil { errors.add("municipality", "Kies een gemeente van de regio.") }
        var area: String?
        if !input["area"].isEmpty {
            if let found = Area.all.first(where: { $0.slug == input["area"] }) {
                if let municipality, found.municipality != municipality {
                    errors.add("area", "Dit gebied ligt niet in de gekozen gemeente.")
                } else {
                    area = found.slug
                }
            } else {
                errors.add("area", "Kies een gebied uit de lijst.")
            }
        }

        func day(_ field: String) -> Day? {
            let text = input[field]
            guard !text.isEmpty else { return nil }
            guard let value = Day(iso: text) ?? Day(dutch: text) else {
                errors.add(field, "Vul een datum in als 31-12-2026.")
                return nil
            }
            return value
        }
        let start = day("start_date")
        let closing = day("closing_date")
        let internalUntil = day("internal_until")

        let description = input["description"]
        if description.isEmpty { errors.add("description", "Beschrijf de functie, de plek en wat je vraagt.") }
        else if description.count > 20_000 { errors.add("description", "De beschrijving is te lang (hoogstens 20.000 tekens).") }
        let contact = input["contact"]
        if contact.count > 500 { errors.add("contact", "De contactgegevens zijn te lang (hoogstens 500 tekens).") }

        let street = input["street_address"]
        if street.count > 200 { errors.add("street_address", "Het adres is te lang (hoogstens 200 tekens).") }
        var postal: String?
        if !input["postal_code"].isEmpty {
            postal = Self.postalCode(input["postal_code"])
            if postal == nil { errors.add("postal_code", "Vul een postcode in als 1015 BN.") }
        }

        let duo = ["on", "true", "1", "ja"].contains(input["duo"].lowercased())
        if duo, let kind, kind != .vacancy { errors.add("duo", "Alleen een vacature kan een duobaan zijn.") }

        try errors.throwIfAny()
        return PostingDetails(
            kind: kind!, title: title, functionCode: function, discipline: discipline, educationLevel: level,
            hoursMin: hoursMin, hoursMax: hoursMax, salaryScale: scale, municipality: municipality!, areaSlug: area,
            startDate: start, closingDate: closing, places: kind!.hasPlaces ? places : nil, description: description,
            contact: contact.isEmpty ? nil : contact, duoSuitable: duo, internalUntil: internalUntil,
            streetAddress: street.isEmpty ? nil : street, postalCode: postal
        )
    }

    /// The details as the form's raw values (for editing and copying).
    public var input: Input {
        Input([
            "kind": kind.rawValue, "title": title, "function": functionCode ?? "", "discipline": discipline?.rawValue ?? "",
            "education_level": educationLevel?.rawValue ?? "", "hours_min": hoursMin.map(String.init) ?? "",
            "hours_max": hoursMax.map(String.init) ?? "", "salary_scale": salaryScale.map(String.init) ?? "",
            "municipality": municipality.rawValue, "area": areaSlug ?? "", "start_date": startDate?.iso ?? "",
            "closing_date": closingDate?.iso ?? "", "places": places.map(String.init) ?? "", "description": description,
            "contact": contact ?? "", "duo": duoSuitable ? "on" : "", "internal_until": internalUntil?.iso ?? "",
            "street_address": streetAddress ?? "", "postal_code": postalCode ?? "",
        ])
    }

    /// Hours as "24-32 uur".
    public var hoursText: String? {
        switch (hoursMin, hoursMax) {
        case let (min?, max?) where min == max: return "\(min) uur"
        case let (min?, max?): return "\(min)-\(max) uur"
        case let (min?, nil): return "vanaf \(min) uur"
        case let (nil, max?): return "tot \(max) uur"
        default: return nil
        }
    }
}

extension Day {
    /// Parses Dutch notation `31-12-2026`.
    public init?(dutch text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) else {
            return nil
        }
        self.init(year: y, month: m, day: d)
    }
}
