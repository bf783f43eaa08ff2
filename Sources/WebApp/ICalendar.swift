import Domain
import Foundation
import Store

/// A member's confirmed shifts as an iCalendar feed (RFC 5545): one VEVENT per shift,
/// times in UTC, text escaped, lines folded at 75 octets, CRLF line ends. The
/// Amsterdam time zone is always in it, so a calendar without shifts yet still has
/// the component RFC 5545 requires; calendar apps are asked to refresh hourly
/// (RFC 7986 REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL).
enum ICalendar {
    static func feed(_ shifts: [ShiftLine], now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorstroom//Flexpool//NL", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:Flexpooldiensten", "X-WR-TIMEZONE:Europe/Amsterdam",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
        ] + amsterdam
        for shift in shifts {
            let demand = shift.demand
            lines += [
                "BEGIN:VEVENT",
                "UID:\(shift.assignmentID.lowercased)@doorstroom",
                "DTSTAMP:\(stamp(now))",
                "DTSTART:\(stamp(demand.shift.start))",
                "DTEND:\(stamp(demand.shift.end))",
                "SUMMARY:" + escape("Flexpool: \(demand.qualificationName) bij \(demand.organisationName)"),
                "LOCATION:" + escape(demand.location.map { "\($0.name), \($0.address)" } ?? "\(demand.organisationName), \(demand.areaName)"),
                "DESCRIPTION:" + escape(([demand.note.isEmpty ? "Bevestigde flexpooldienst." : demand.note]
                    + [demand.location.flatMap { $0.contact.isEmpty ? nil : "Contact: " + $0.contact },
                       demand.location.flatMap { $0.instructions.isEmpty ? nil : $0.instructions }].compactMap { $0 }).joined(separator: "\n")),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// Europe/Amsterdam: CET, and CEST from the last Sunday of March to the last of October.
    static let amsterdam = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Amsterdam",
        "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200", "TZNAME:CEST", "DTSTART:19700329T020000",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "BEGIN:STANDARD", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100", "TZNAME:CET", "DTSTART:19701025T030000",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "END:VTIMEZONE",
    ]

    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let p = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02dZ", p.year!, p.month!, p.day!, p.hour!, p.minute!, p.second!)
    }

    static func escape(_ text: String) -> String {
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
    static func fold(_ line: String) -> String {
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
