import Domain
import Foundation
import Hummingbird
import Store

/// Calendar feeds (RFC 5545) a calendar app subscribes to: the flexpool member's
/// (confirmed shifts and booked career conversations) and a person's own
/// (`/agenda/{token}.ics`: shifts, career conversations, interviews and meetings). One
/// VEVENT per appointment, with the same UID as the invitation mailed for it, so a
/// calendar that has both keeps one; times in UTC, text escaped, lines folded at 75
/// octets, CRLF line ends. The Amsterdam time zone is always in it, so a calendar
/// without events yet still has the component RFC 5545 requires; calendar apps are
/// asked to refresh hourly (RFC 7986 REFRESH-INTERVAL, and Outlook's X-PUBLISHED-TTL).
enum ICalendar {
    struct Event: Sendable {
        let uid: String
        let during: TimeWindow
        let summary: String
        let location: String
        let description: String
    }

    static func feed(_ events: [Event], name: String, now: Date) -> String {
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Doorstroom//Agenda//NL", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + ICalendarText.escape(name), "X-WR-TIMEZONE:Europe/Amsterdam",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H",
        ] + ICalendarText.amsterdam
        for event in events {
            lines += [
                "BEGIN:VEVENT",
                "UID:\(event.uid)",
                "DTSTAMP:\(ICalendarText.stamp(now))",
                "DTSTART:\(ICalendarText.stamp(event.during.start))",
                "DTEND:\(ICalendarText.stamp(event.during.end))",
                "SUMMARY:" + ICalendarText.escape(event.summary),
                "LOCATION:" + ICalendarText.escape(event.location),
                "DESCRIPTION:" + ICalendarText.escape(event.description),
                "STATUS:CONFIRMED",
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.map(ICalendarText.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// The token of a feed's address (`{token}.ics`), nil when the file is not one.
    static func token(ofFile file: String) -> String? {
        file.hasSuffix(".ics") ? String(file.dropLast(4)) : nil
    }

    /// A feed as calendar apps fetch it: kept five minutes, and 304 while the events are
    /// the same (DTSTAMP changes with every answer: the ETag is of the events, not of the stamp).
    static func feedResponse(_ request: Request, _ events: [Event], name: String) -> Response {
        let ordered = events.sorted { ($0.during.start, $0.uid) < ($1.during.start, $1.uid) }
        return Response.conditional(
            request, body: feed(ordered, name: name, now: Date()), tagOf: feed(ordered, name: name, now: Date(timeIntervalSince1970: 0)),
            contentType: "text/calendar; charset=utf-8", cacheControl: "private, max-age=300")
    }

    /// One invitation as a file to download.
    static func download(_ text: String, fileName: String) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/calendar; charset=utf-8", .contentDisposition: "attachment; filename=\"\(fileName)\"", .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func shift(_ shift: ShiftLine) -> Event {
        let demand = shift.demand
        return Event(
            uid: "\(shift.assignmentID.lowercased)@doorstroom", during: demand.shift,
            summary: "Flexpool: \(demand.qualificationName) bij \(demand.organisationName)",
            location: demand.location.map { "\($0.name), \($0.address)" } ?? "\(demand.organisationName), \(demand.areaName)",
            description: ([demand.note.isEmpty ? "Bevestigde flexpooldienst." : demand.note]
                + [demand.location.flatMap { $0.contact.isEmpty ? nil : "Contact: " + $0.contact },
                   demand.location.flatMap { $0.instructions.isEmpty ? nil : $0.instructions }].compactMap { $0 }).joined(separator: "\n"))
    }

    static func conversation(_ conversation: CareerConversationLine) -> Event {
        let text = CareerConversationStore.eventText(booking: conversation.id, adviser: conversation.adviserName)
        return Event(uid: text.uid, during: conversation.during, summary: text.summary, location: conversation.place, description: text.description)
    }

    static func interview(application: UUID, during: TimeWindow, place: String, posting: String, organisation: String) -> Event {
        let text = InterviewStore.eventText(application: application, posting: posting, organisation: organisation)
        return Event(uid: text.uid, during: during, summary: text.summary, location: place, description: text.description)
    }

    static func meeting(_ meeting: Meeting) -> Event {
        Event(
            uid: "ontmoeting-\(meeting.id.lowercased)@doorstroom", during: meeting.during,
            summary: meeting.title, location: meeting.place,
            description: meeting.organisationName.map { "Een ontmoeting van \($0). Afmelden kan bij Ontmoetingen in Doorstroom." }
                ?? "Een ontmoeting van de regio. Afmelden kan bij Ontmoetingen in Doorstroom.")
    }
}
