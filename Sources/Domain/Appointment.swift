import Foundation

/// A time someone offers to meet (an interview, a career conversation): a day, a start
/// and an end on that day, Amsterdam time, and where. Checked as the form gives it; the
/// errors name the form's fields (`slot_day`, `slot_start`, `slot_end`, `slot_place`).
public struct Appointment: Sendable, Hashable {
    public let during: TimeWindow
    public let place: String

    public init(during: TimeWindow, place: String) {
        self.during = during
        self.place = place
    }

    /// - Parameters:
    ///   - longest: the longest such a meeting may last, in hours.
    ///   - ahead: how far ahead of `now` it must start, with the words that say so.
    public static func parse(
        day: String, start: String, end: String, place: String, longest: Double, ahead: (TimeInterval, String), now: Date
    ) throws(ValidationErrors) -> Appointment {
        var errors = ValidationErrors()
        let parsedDay = Day(iso: day.trimmingCharacters(in: .whitespaces))
        let from = AmsterdamTime.minutes(start), until = AmsterdamTime.minutes(end)
        let place = place.trimmingCharacters(in: .whitespacesAndNewlines)
        if parsedDay == nil { errors.add("slot_day", "Geef de dag als JJJJ-MM-DD.") }
        if from == nil { errors.add("slot_start", "Geef de begintijd als UU:MM.") }
        if until == nil { errors.add("slot_end", "Geef de eindtijd als UU:MM.") }
        if !(2...300).contains(place.count) { errors.add("slot_place", "Zeg waar het gesprek is: een adres, of \"online\" met de link.") }
        var during: TimeWindow?
        if let parsedDay, let from, let until {
            let window = TimeWindow(start: AmsterdamTime.date(parsedDay, minutes: from), end: AmsterdamTime.date(parsedDay, minutes: until))
            if window.end <= window.start || window.hours > longest {
                errors.add("slot_end", "Een gesprek eindigt na het begin, op dezelfde dag, en duurt hoogstens \(Int(longest)) uur.")
            } else if window.start <= now.addingTimeInterval(ahead.0) {
                errors.add("slot_day", ahead.1)
            } else {
                during = window
            }
        }
        try errors.throwIfAny()
        return Appointment(during: during!, place: place)
    }
}

/// What a professional wants to talk about with a career adviser.
public enum CareerTopic: String, CaseIterable, Sendable, Hashable {
    case nextStep = "next_step"
    case rotation
    case duoJob = "duo_job"
    case leaving
    case other

    public var label: String {
        switch self {
        case .nextStep: return "Mijn volgende stap"
        case .rotation: return "Baanroulatie: een tijd ergens anders werken"
        case .duoJob: return "Een duobaan"
        case .leaving: return "Blijven of de jeugdzorg verlaten"
        case .other: return "Iets anders"
        }
    }
}

/// A professional's booking of a career conversation, as the form gives it.
public struct CareerBookingRequest: Sendable, Hashable {
    public let topic: CareerTopic
    /// What they want to talk about, in a line or two (nil: nothing said).
    public let question: String?

    public static func parse(topic: String, question: String) throws(ValidationErrors) -> CareerBookingRequest {
        var errors = ValidationErrors()
        let parsedTopic = CareerTopic(rawValue: topic)
        if parsedTopic == nil { errors.add("topic", "Kies waarover je wilt praten.") }
        let question = question.trimmingCharacters(in: .whitespacesAndNewlines)
        if question.count > 1000 { errors.add("question", "Hoogstens 1000 tekens; de rest bespreek je in het gesprek.") }
        try errors.throwIfAny()
        return CareerBookingRequest(topic: parsedTopic!, question: question.isEmpty ? nil : question)
    }

    public init(topic: CareerTopic, question: String?) {
        self.topic = topic
        self.question = question
    }
}
