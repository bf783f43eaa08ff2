import Domain
import Foundation

/// schema.org Event for what is a day or a meeting, not a job: meetings (ontmoetingen)
/// and shadow days (meeloopdagen), with Google's required name, startDate and
/// location, and the recommended endDate, eventStatus, attendance mode, organizer,
/// description and a free offer with its availability.
enum EventJSONLD {
    static func meeting(_ meeting: Meeting, siteURL: String) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Day.amsterdam
        formatter.formatOptions = [.withInternetDateTime]
        return JSONLD.script([
            "@context": "https://schema.org", "@type": "Event",
            "name": meeting.title, "description": meeting.description,
            "startDate": formatter.string(from: meeting.during.start), "endDate": formatter.string(from: meeting.during.end),
            "eventStatus": meeting.cancelled ? "https://schema.org/EventCancelled" : "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": ["@type": "Place", "name": meeting.place, "address": ["@type": "PostalAddress", "streetAddress": meeting.place, "addressCountry": "NL"]],
            "organizer": ["@type": "Organization", "name": meeting.organisationName ?? "Jeugdzorgregio Amsterdam-Amstelland", "url": siteURL],
            "offers": [
                "@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": "\(siteURL)/ontmoetingen/\(meeting.id.uuidString.lowercased())",
                "availability": meeting.placesLeft > 0 ? "https://schema.org/InStock" : "https://schema.org/SoldOut",
            ] as [String: Any],
        ])
    }

    /// A shadow day: a whole day at the organisation, in its municipality.
    static func shadowDay(_ posting: Posting, siteURL: String) -> String? {
        guard let day = posting.details.startDate else { return nil }
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "Event",
            "name": posting.details.title, "description": posting.details.description,
            "startDate": day.iso, "endDate": day.iso,
            "eventStatus": "https://schema.org/EventScheduled",
            "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
            "location": ["@type": "Place", "name": posting.organisationName,
                         "address": ["@type": "PostalAddress", "addressLocality": posting.details.municipality.name, "addressCountry": "NL"]],
            "organizer": ["@type": "Organization", "name": posting.organisationName],
        ]
        if let places = posting.placesLeft {
            object["offers"] = ["@type": "Offer", "price": "0", "priceCurrency": "EUR", "url": "\(siteURL)/vacatures/\(posting.id.uuidString.lowercased())",
                                "availability": places > 0 ? "https://schema.org/InStock" : "https://schema.org/SoldOut"]
        }
        return JSONLD.script(object)
    }
}
