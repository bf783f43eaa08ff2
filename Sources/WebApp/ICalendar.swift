import Domain
import Foundation
import Store

/// A member's confirmed shifts (and booked career conversations) as an iCalendar feed (RFC 5545): one VEVENT per shift,
/// times in UTC, text escaped, lines folded at 75 octets, CRLF line ends. The
/// Amsterdam time zone is always in it, so a calendar without shifts yet still has
/// the component RFC 5545 requires; calendar apps are asked to refresh hourly
/// (RFC 7986 REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL).
enum ICalendar {
    static func feed(_ shifts: [ShiftLine], conversations: [CareerConversationLine] = [], now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorstroom//Flexpool//NL", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:Doorstroom: diensten en gesprekken", "X-WR-TIMEZONE:Europe/Amsterdam",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
        ] + ICalendarText.amsterdam
        for shift in shifts {
            let demand = shift.demand
            lines += [
                "BEGIN:VEVENT",
                "UID:\(shift.assignmentID.lowercased)@doorstroom",
                "DTSTAMP:\(ICalendarText.stamp(now))",
                "DTSTART:\(ICalendarText.stamp(demand.shift.start))",
                "DTEND:\(ICalendarText.stamp(demand.shift.end))",
                "SUMMARY:" + ICalendarText.escape("Flexpool: \(demand.qualificationName) bij \(demand.organisationName)"),
                "LOCATION:" + ICalendarText.escape(demand.location.map { "\($0.name), \($0.address)" } ?? "\(demand.organisationName), \(demand.areaName)"),
                "DESCRIPTION:" + ICalendarText.escape(([demand.note.isEmpty ? "Bevestigde flexpooldienst." : demand.note]
                    + [demand.location.flatMap { $0.contact.isEmpty ? nil : "Contact: " + $0.contact },
                       demand.location.flatMap { $0.instructions.isEmpty ? nil : $0.instructions }].compactMap { $0 }).joined(separator: "\n")),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        for conversation in conversations {
            lines += [
                "BEGIN:VEVENT",
                "UID:loopbaangesprek-\(conversation.id.lowercased)@doorstroom",
                "DTSTAMP:\(ICalendarText.stamp(now))",
                "DTSTART:\(ICalendarText.stamp(conversation.during.start))",
                "DTEND:\(ICalendarText.stamp(conversation.during.end))",
                "SUMMARY:" + ICalendarText.escape("Loopbaangesprek met \(conversation.adviserName)"),
                "LOCATION:" + ICalendarText.escape(conversation.place),
                "DESCRIPTION:" + ICalendarText.escape("Onderwerp: \(conversation.topic?.label ?? "loopbaan"). Annuleren kan bij Loopbaangesprek in Doorstroom."),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendarText.fold).joined(separator: "\r\n") + "\r\n"
    }

}
