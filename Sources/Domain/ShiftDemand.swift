import Foundation

/// Demand for flexpool professionals: one shift at one organisation, for a number of people.
public struct ShiftDemand: Sendable, Hashable {
    public typealias ID = UUID

    public enum Priority: String, CaseIterable, Sendable, Codable {
        case urgent, normal

        public var label: String { self == .urgent ? "Spoed" : "Normaal" }

        public init?(dutch text: String) {
            switch text.trimmingCharacters(in: .whitespaces).lowercased() {
            case "urgent", "spoed", "dringend": self = .urgent
            case "normal", "normaal", "": self = .normal
            default: return nil
            }
        }
    }

    public enum Status: String, Sendable, Codable { case open, cancelled }

    /// The function code or discipline asked for.
    public var qualification: String
    public var organisationSlug: String
    public var areaSlug: String
    public var shift: TimeWindow
    public var peopleNeeded: Int
    public var priority: Priority
    public var note: String
    /// The name of one of the organisation's locations (address, contact, instructions); nil for none.
    public var location: String?

    public static let peopleRange = 1...50
    public static let longestShiftHours = 16.0

    public init(
        qualification: String, organisationSlug: String, areaSlug: String, shift: TimeWindow, peopleNeeded: Int, priority: Priority, note: String,
        location: String? = nil
    ) {
        self.location = location
        self.qualification = qualification
        self.organisationSlug = organisationSlug
        self.areaSlug = areaSlug
        self.shift = shift
        self.peopleNeeded = peopleNeeded
        self.priority = priority
        self.note = note
    }

    /// The field names shared by the form and the CSV upload (docs/flexpool-demand-csv.md).
    public static let fieldNames = ["organisation", "area", "qualification", "date", "start", "end", "people", "priority", "note", "location"]

    /// Validates raw input; `organisations` are the slugs this coordinator may post for,
    /// `functionCodes` the known functions, `locations` the names of each organisation's
    /// locations. An end time not after the start ends the next day.
    public static func parse(
        _ values: [String: String], organisations: Set<String>, functionCodes: Set<String>, locations: [String: Set<String>] = [:], now: Date
    ) throws(ValidationErrors) -> ShiftDemand {
        func value(_ name: String) -> String { (values[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        var errors = ValidationErrors()
        let organisation = value("organisation")
        if !organisations.contains(organisation) { errors.add("organisation", "Kies een organisatie waarvoor je vraag mag uitzetten.") }
        let area = value("area")
        if !Area.all.contains(where: { $0.slug == area }) { errors.add("area", "Kies een gebied uit de lijst.") }
        let qualification = value("qualification")
        if !functionCodes.contains(qualification) && Discipline(rawValue: qualification) == nil {
            errors.add("qualification", "Kies een functie of discipline uit de lijst.")
        }
        let day = Day(iso: value("date")) ?? Day(dutch: value("date"))
        if day == nil { errors.add("date", "Geef de datum als JJJJ-MM-DD.") }
        let start = AmsterdamTime.minutes(value("start")), end = AmsterdamTime.minutes(value("end"))
        if start == nil { errors.add("start", "Geef de begintijd als UU:MM.") }
        if end == nil { errors.add("end", "Geef de eindtijd als UU:MM.") }
        let people = Int(value("people"))
        if people == nil || !peopleRange.contains(people!) { errors.add("people", "Geef het aantal mensen: 1 tot en met 50.") }
        let priority = Priority(dutch: value("priority"))
        if priority == nil { errors.add("priority", "Kies spoed of normaal.") }
        let note = value("note")
        if note.count > 1000 { errors.add("note", "De opmerking is te lang (hoogstens 1000 tekens).") }
        let location = value("location")
        if !location.isEmpty, !(locations[organisation] ?? []).contains(location) {
            errors.add("location", "Kies een locatie van deze organisatie (of geen).")
        }
        var shift: TimeWindow?
        if let day, let start, let end {
            let endDay = end > start ? day : AmsterdamTime.adding(1, to: day)
            let window = TimeWindow(start: AmsterdamTime.date(day, minutes: start), end: AmsterdamTime.date(endDay, minutes: end))
            if window.hours > longestShiftHours || window.hours <= 0 {
                errors.add("end", "Een dienst duurt hoogstens 16 uur.")
            } else if window.start <= now {
                errors.add("date", "De dienst begint in het verleden.")
            }
            shift = window
        }
        try errors.throwIfAny()
        return ShiftDemand(
            qualification: qualification, organisationSlug: organisation, areaSlug: area, shift: shift!,
            peopleNeeded: people!, priority: priority!, note: note, location: location.isEmpty ? nil : location)
    }
}

/// Where one person stands on one demand.
public enum AssignmentStatus: String, CaseIterable, Sendable, Codable {
    /// Proposed by the matching; the coordinator confirms, the person may accept or decline.
    case proposed
    case confirmed
    /// The person said no.
    case declined
    /// The coordinator took it back.
    case undone
    /// The demand changed or was cancelled.
    case released

    public var label: String {
        switch self {
        case .proposed: return "Voorgesteld"
        case .confirmed: return "Bevestigd"
        case .declined: return "Afgezegd"
        case .undone: return "Ingetrokken"
        case .released: return "Vervallen"
        }
    }

    public var isLive: Bool { self == .proposed || self == .confirmed }
}
