import Foundation

/// Wall-clock time in Amsterdam: days and times as people say them, turned into
/// instants (summer and winter time included).
public enum AmsterdamTime {
    public static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = Day.amsterdam
        calendar.firstWeekday = 2
        return calendar
    }()

    /// `day` at `minutes` past midnight, Amsterdam time. In the hour that summer time
    /// skips, the instant an hour later.
    public static func date(_ day: Day, minutes: Int) -> Date {
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: minutes / 60, minute: minutes % 60)
        return calendar.date(from: components)!
    }

    /// Parses `HH:MM` (or `H:MM`, or `HH.MM`) into minutes past midnight.
    public static func minutes(_ text: String) -> Int? {
        let parts = text.trimmingCharacters(in: .whitespaces).split(whereSeparator: { $0 == ":" || $0 == "." }).map(String.init)
        guard parts.count == 2, (1...2).contains(parts[0].count), parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// 1 for Monday through 7 for Sunday.
    public static func weekday(of day: Day) -> Int {
        let weekday = calendar.component(.weekday, from: date(day, minutes: 12 * 60))
        return (weekday + 5) % 7 + 1
    }

    public static func adding(_ days: Int, to day: Day) -> Day {
        Day(calendar.date(byAdding: .day, value: days, to: date(day, minutes: 12 * 60))!)
    }

    /// Whole days from `from` to `to` (negative when `to` comes first).
    public static func days(from: Day, to: Day) -> Int {
        calendar.dateComponents([.day], from: date(from, minutes: 12 * 60), to: date(to, minutes: 12 * 60)).day!
    }

    /// "di 24-11 08:00" style pieces.
    public static func clock(_ date: Date) -> String {
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return String(format: "%02d:%02d", parts.hour!, parts.minute!)
    }

    public static let weekdayNames = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]
    public static let weekdayShort = ["ma", "di", "wo", "do", "vr", "za", "zo"]
}

/// A stretch of time, start inclusive, end exclusive: availability, a shift, a period.
/// The one time-range type of the code: the matching engine and its file format
/// (`start`, `end`) use it too.
public struct TimeWindow: Codable, Sendable, Hashable, Comparable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    public var hours: Double { end.timeIntervalSince(start) / 3600 }

    /// Whether `other` lies wholly inside this window.
    public func contains(_ other: TimeWindow) -> Bool { start <= other.start && other.end <= end }

    public static func < (lhs: TimeWindow, rhs: TimeWindow) -> Bool { (lhs.start, lhs.end) < (rhs.start, rhs.end) }

    /// From a day and time to a day and time, as a form gives them.
    public static func parse(fromDay: String, fromTime: String, untilDay: String, untilTime: String, today: Day) throws(ValidationErrors) -> TimeWindow {
        var errors = ValidationErrors()
        let from = Day(iso: fromDay.trimmingCharacters(in: .whitespaces))
        let until = Day(iso: untilDay.trimmingCharacters(in: .whitespaces))
        let start = AmsterdamTime.minutes(fromTime), end = AmsterdamTime.minutes(untilTime)
        if from == nil { errors.add("from_day", "Geef de begindatum als JJJJ-MM-DD.") }
        if start == nil { errors.add("from_time", "Geef de begintijd als UU:MM.") }
        if until == nil { errors.add("until_day", "Geef de einddatum als JJJJ-MM-DD.") }
        if end == nil { errors.add("until_time", "Geef de eindtijd als UU:MM.") }
        try errors.throwIfAny()
        let window = TimeWindow(start: AmsterdamTime.date(from!, minutes: start!), end: AmsterdamTime.date(until!, minutes: end!))
        if window.end <= window.start { errors.add("until_day", "Het einde moet na het begin liggen.") }
        else if from! < today { errors.add("from_day", "Beschikbaarheid in het verleden heeft geen zin; kies vandaag of later.") }
        else if window.hours > 24 * 31 { errors.add("until_day", "Geef hoogstens 31 dagen in één keer; voor een vaste week gebruik je een weekpatroon.") }
        try errors.throwIfAny()
        return window
    }
}

/// "Every Tuesday 08:00-17:00 until March": one weekday, a time of day, from a first
/// day until a last day. Stored as its expansion into time windows.
public struct WeeklyPattern: Sendable, Hashable {
    /// 1 = Monday ... 7 = Sunday.
    public var weekday: Int
    public var startMinutes: Int
    /// Minutes past midnight; not after the start means the next day (a night shift).
    public var endMinutes: Int
    public var from: Day
    public var until: Day

    public static let longest = 366

    public init(weekday: Int, startMinutes: Int, endMinutes: Int, from: Day, until: Day) {
        self.weekday = weekday
        self.startMinutes = startMinutes
        self.endMinutes = endMinutes
        self.from = from
        self.until = until
    }

    public static func parse(weekday: String, start: String, end: String, from: String, until: String, today: Day) throws(ValidationErrors) -> WeeklyPattern {
        var errors = ValidationErrors()
        let day = Int(weekday).flatMap { (1...7).contains($0) ? $0 : nil }
        if day == nil { errors.add("weekday", "Kies een dag van de week.") }
        let startMinutes = AmsterdamTime.minutes(start), endMinutes = AmsterdamTime.minutes(end)
        if startMinutes == nil { errors.add("start", "Geef de begintijd als UU:MM.") }
        if endMinutes == nil { errors.add("end", "Geef de eindtijd als UU:MM.") }
        if startMinutes != nil, startMinutes == endMinutes { errors.add("end", "Begin- en eindtijd zijn gelijk.") }
        let first = from.trimmingCharacters(in: .whitespaces).isEmpty ? today : Day(iso: from.trimmingCharacters(in: .whitespaces))
        let last = Day(iso: until.trimmingCharacters(in: .whitespaces))
        if first == nil { errors.add("from", "Geef de eerste datum als JJJJ-MM-DD.") }
        else if first! < today { errors.add("from", "Kies vandaag of later.") }
        if last == nil { errors.add("until", "Geef tot wanneer het patroon geldt, als JJJJ-MM-DD.") }
        try errors.throwIfAny()
        if last! < first! { errors.add("until", "De einddatum ligt voor de eerste datum.") }
        else if AmsterdamTime.calendar.dateComponents([.day], from: AmsterdamTime.date(first!, minutes: 720), to: AmsterdamTime.date(last!, minutes: 720)).day! > longest {
            errors.add("until", "Een patroon geldt hoogstens een jaar.")
        }
        try errors.throwIfAny()
        return WeeklyPattern(weekday: day!, startMinutes: startMinutes!, endMinutes: endMinutes!, from: first!, until: last!)
    }

    /// One window for each matching weekday from `from` through `until`.
    public func windows() -> [TimeWindow] {
        var result: [TimeWindow] = []
        var day = from
        let offset = (weekday - AmsterdamTime.weekday(of: day) + 7) % 7
        day = AmsterdamTime.adding(offset, to: day)
        while day <= until {
            let start = AmsterdamTime.date(day, minutes: startMinutes)
            let endDay = endMinutes > startMinutes ? day : AmsterdamTime.adding(1, to: day)
            result.append(TimeWindow(start: start, end: AmsterdamTime.date(endDay, minutes: endMinutes)))
            day = AmsterdamTime.adding(7, to: day)
        }
        return result
    }

    public var summary: String {
        let name = AmsterdamTime.weekdayNames[weekday - 1]
        return "elke \(name) \(Self.clock(startMinutes))–\(Self.clock(endMinutes)) van \(from.dutch) tot en met \(until.dutch)"
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}

/// Availability as a week grid: days by day-parts, ticked boxes, repeated weekly for a
/// number of weeks. Each ticked cell becomes a weekly pattern.
public enum WeekGrid {
    public struct Part: Sendable, Hashable {
        public let slug: String
        public let label: String
        public let startMinutes: Int
        public let endMinutes: Int
    }

    /// Morning, afternoon and evening, night (to the next morning).
    public static let parts = [
        Part(slug: "ochtend", label: "Ochtend 07–15", startMinutes: 7 * 60, endMinutes: 15 * 60),
        Part(slug: "avond", label: "Middag en avond 15–23", startMinutes: 15 * 60, endMinutes: 23 * 60),
        Part(slug: "nacht", label: "Nacht 23–07", startMinutes: 23 * 60, endMinutes: 7 * 60),
    ]

    public static let weeksRange = 1...52

    /// The patterns of the ticked cells (`"<weekday>-<part>"`, Monday = 1), from `from`
    /// (empty: today) for `weeks` weeks.
    public static func parse(cells: [String], from: String, weeks: String, today: Day) throws(ValidationErrors) -> [WeeklyPattern] {
        var errors = ValidationErrors()
        let chosen: [(Int, Part)] = cells.compactMap { cell in
            let pieces = cell.split(separator: "-", maxSplits: 1).map(String.init)
            guard pieces.count == 2, let day = Int(pieces[0]), (1...7).contains(day), let part = parts.first(where: { $0.slug == pieces[1] }) else { return nil }
            return (day, part)
        }
        if chosen.isEmpty { errors.add("cel", "Vink minstens één dagdeel aan.") }
        let trimmed = from.trimmingCharacters(in: .whitespaces)
        let first = trimmed.isEmpty ? today : Day(iso: trimmed)
        if first == nil { errors.add("grid_from", "Geef de eerste datum als JJJJ-MM-DD.") } else if first! < today { errors.add("grid_from", "Kies vandaag of later.") }
        let count = Int(weeks.trimmingCharacters(in: .whitespaces))
        if count == nil || !weeksRange.contains(count!) { errors.add("grid_weeks", "Kies 1 tot en met 52 weken.") }
        try errors.throwIfAny()
        let last = AmsterdamTime.adding(7 * count! - 1, to: first!)
        var seen: Set<String> = []
        return chosen.filter { seen.insert("\($0.0)-\($0.1.slug)").inserted }.sorted { ($0.0, $0.1.startMinutes) < ($1.0, $1.1.startMinutes) }.map { day, part in
            WeeklyPattern(weekday: day, startMinutes: part.startMinutes, endMinutes: part.endMinutes, from: first!, until: last)
        }
    }
}
