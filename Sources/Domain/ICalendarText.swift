import Foundation

/// iCalendar (RFC 5545) text: UTC stamps, escaped text, lines folded at 75 octets, CRLF
/// line ends, the Amsterdam time zone. The flexpool's calendar feed and the invitation
/// to an interview are written with it.
public enum ICalendarText {
    /// One event to put in a calendar, as a mail attachment (`METHOD:PUBLISH`: no reply
    /// is asked; the booking is made in Doorstroom), or `cancelled` to take it out again.
    public static func event(
        uid: String, start: Date, end: Date, summary: String, location: String, description: String, now: Date, sequence: Int = 0,
        cancelled: Bool = false
    ) -> String {
        let lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorstroom//Doorstroom//NL", "CALSCALE:GREGORIAN",
            cancelled ? "METHOD:CANCEL" : "METHOD:PUBLISH",
        ] + amsterdam + [
            "BEGIN:VEVENT",
            "UID:\(uid)",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(stamp(now))",
            "DTSTART:\(stamp(start))",
            "DTEND:\(stamp(end))",
            "SUMMARY:" + escape(summary),
            "LOCATION:" + escape(location),
            "DESCRIPTION:" + escape(description),
            cancelled ? "STATUS:CANCELLED" : "STATUS:CONFIRMED",
            "END:VEVENT",
            "END:VCALENDAR",
        ]
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Europe/Amsterdam: CET, and CEST from the last Sunday of March to the last of October.
    public static let amsterdam = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    public static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Folds a content line into pieces of at most 75 octets, never inside a character.
    public static func fold(_ line: String) -> String {
        var pieces: [String] = []
        var current = "", size = 0
        for character in line {
            let width = String(character).utf8.count
            let limit = pieces.isEmpty ? 75 : 74
            if size + width > limit {
                pieces.append(current)
                current = ""
                size = 0
            }
            current.append(character)
            size += width
        }
        pieces.append(current)
        return pieces.joined(separator: "\r\n ")
    }
}
