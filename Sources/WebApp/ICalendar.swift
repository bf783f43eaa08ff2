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

    static let amsterdam = ICalendarText.amsterdam
    static func stamp(_ date: Date) -> String { ICalendarText.stamp(date) }
    static func escape(_ text: String) -> String { ICalendarText.escape(text) }
    static func fold(_ line: String) -> String { ICalendarText.fold(line) }
}
