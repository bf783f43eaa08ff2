import Foundation

/// An ontmoeting: an event of the region or of one member organisation, with places
/// and registration (a meetup for rotation, an open day, a shadow day in a group).
public struct Meeting: Sendable, Hashable, Identifiable {
    public enum Kind: String, CaseIterable, Sendable, Codable, Hashable {
        case rotationMeetup = "rotation_meetup"
        case openDay = "open_day"
        case shadowDay = "shadow_day"
        case meetup

        public var label: String {
            switch self {
            case .rotationMeetup: return "Roulatie-ontmoeting"
            case .openDay: return "Open dag"
            case .shadowDay: return "Meeloopdag"
            case .meetup: return "Ontmoeting"
            }
        }
    }

    public var id: UUID
    public var organisationID: Organisation.ID?
    public var organisationName: String?
    public var kind: Kind
    public var title: String
    public var description: String
    public var place: String
    public var during: TimeWindow
    public var places: Int
    public var placesTaken: Int
    public var cancelled: Bool

    public init(id: UUID, organisationID: Organisation.ID?, organisationName: String?, kind: Kind, title: String, description: String,
                place: String, during: TimeWindow, places: Int, placesTaken: Int, cancelled: Bool) {
        self.id = id
        self.organisationID = organisationID
        self.organisationName = organisationName
        self.kind = kind
        self.title = title
        self.description = description
        self.place = place
        self.during = during
        self.places = places
        self.placesTaken = placesTaken
        self.cancelled = cancelled
    }

    public var placesLeft: Int { max(0, places - placesTaken) }

    /// Registration is open until the meeting starts, unless cancelled.
    public func isOpen(at now: Date) -> Bool { !cancelled && during.start > now }
}

/// What an organiser fills in for a meeting.
public struct MeetingForm: Sendable, Hashable {
    public let kind: Meeting.Kind
    public let title: String
    public let description: String
    public let place: String
    public let during: TimeWindow
    public let places: Int

    public static func parse(
        kind: String, title: String, description: String, place: String, date: String, start: String, end: String, places: String, now: Date
    ) throws(ValidationErrors) -> MeetingForm {
        var errors = ValidationErrors()
        let kind = Meeting.Kind(rawValue: kind)
        if kind == nil { errors.add("kind", "Kies wat voor ontmoeting het is.") }
        let title = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(3...200).contains(title.count) { errors.add("title", "Geef een titel van 3 tot 200 tekens.") }
        let description = description.trimmingCharacters(in: .whitespacesAndNewlines)
        if description.isEmpty { errors.add("description", "Beschrijf wat er gebeurt.") }
        else if description.count > 10_000 { errors.add("description", "De beschrijving is te lang (hoogstens 10.000 tekens).") }
        let place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...300).contains(place.count) { errors.add("place", "Vul de plaats in (een adres, of online).") }
        let day = Day(iso: date.trimmingCharacters(in: .whitespaces))
        if day == nil { errors.add("date", "Vul de datum in (jjjj-mm-dd).") }
        let from = AmsterdamTime.minutes(start), until = AmsterdamTime.minutes(end)
        if from == nil { errors.add("start", "Vul de begintijd in (uu:mm).") }
        if until == nil { errors.add("end", "Vul de eindtijd in (uu:mm).") }
        var window: TimeWindow?
        if let day, let from, let until {
            if until <= from { errors.add("end", "De eindtijd ligt na de begintijd.") }
            else {
                window = TimeWindow(start: AmsterdamTime.date(day, minutes: from), end: AmsterdamTime.date(day, minutes: until))
                if let window, window.start <= now { errors.add("date", "De ontmoeting ligt in de toekomst.") }
                if let window, window.hours > 12 { errors.add("end", "Een ontmoeting duurt hoogstens twaalf uur.") }
            }
        }
        let count = Int(places.trimmingCharacters(in: .whitespaces))
        if count == nil || !(1...1000).contains(count ?? 0) { errors.add("places", "Vul een aantal plaatsen in van 1 tot 1.000.") }
        try errors.throwIfAny()
        return MeetingForm(kind: kind!, title: title, description: description, place: place, during: window!, places: count!)
    }

    public init(kind: Meeting.Kind, title: String, description: String, place: String, during: TimeWindow, places: Int) {
        self.kind = kind
        self.title = title
        self.description = description
        self.place = place
        self.during = during
        self.places = places
    }
}
