import Domain
import Foundation

/// JSON-LD for a `<script type="application/ld+json">` element: `<`, `>` and `&`
/// become \u escapes, so no user text can end the element. This is the one kind of
/// value a template writes unescaped (`{{{jsonLD}}}`), because HTML escaping would
/// break the JSON; it is safe by this construction.
enum JSONLD {
    static func script(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
            .replacingOccurrences(of: "<", with: "\\u003c")
            .replacingOccurrences(of: ">", with: "\\u003e")
            .replacingOccurrences(of: "&", with: "\\u0026")
    }
}

/// schema.org JobPosting for a public posting page, so search engines list it.
enum JobPostingJSONLD {
    /// The JSON, escaped for a `<script type="application/ld+json">` element: `<`, `>`
    /// and `&` become \u escapes, so no user text can end the element. This is the one
    /// value a template writes unescaped (`{{{jsonLD}}}`), because HTML escaping would
    /// break the JSON; it is safe by this construction.
    ///
    /// `salary` is the scale's range from the CAO's salary table; `organisation` gives
    /// the hiring organisation's own site (`sameAs`) and logo.
    static func script(for posting: Posting, functions: [JobFunction], organisation: Organisation?, salary: SalaryRange?, siteURL: String) -> String {
        let d = posting.details
        var address: [String: Any] = [
            "@type": "PostalAddress", "addressLocality": d.municipality.name, "addressRegion": "Noord-Holland", "addressCountry": "NL",
        ]
        if let street = d.streetAddress { address["streetAddress"] = street }
        if let code = d.postalCode { address["postalCode"] = code }
        var hiring: [String: Any] = ["@type": "Organization", "name": posting.organisationName]
        if let website = organisation?.website { hiring["sameAs"] = website }
        if let logo = organisation?.logoURL { hiring["logo"] = logo }
        var object: [String: Any] = [
            "@context": "https://schema.org",
            "@type": "JobPosting",
            "title": d.title,
            // Google reads the description as HTML: paragraphs and lists, every text escaped.
            "description": TextBlock.html(d.description),
            "identifier": ["@type": "PropertyValue", "name": posting.organisationName, "value": posting.id.uuidString.lowercased()],
            "hiringOrganization": hiring,
            "jobLocation": ["@type": "Place", "address": address] as [String: Any],
            "employmentType": employmentType(d),
            // One applies on this page, on Doorstroom itself.
            "directApply": true,
            "url": siteURL + "/vacatures/" + posting.id.uuidString.lowercased(),
        ]
        if let published = posting.publishedAt { object["datePosted"] = published.iso8601 }
        if let closing = d.closingDate { object["validThrough"] = endOfDayInAmsterdam(closing) }
        if let start = d.startDate { object["jobStartDate"] = start.iso }
        if let code = d.functionCode, let function = functions.first(where: { $0.code == code }) {
            object["occupationalCategory"] = function.name
        }
        if let level = d.educationLevel {
            object["educationRequirements"] = ["@type": "EducationalOccupationalCredential", "credentialCategory": level.label]
        }
        if let scale = d.salaryScale {
            var value: [String: Any] = ["@type": "QuantitativeValue", "unitText": "MONTH", "name": "CAO Jeugdzorg schaal \(scale)"]
            if let salary {
                value["minValue"] = Double(salary.minimumCents) / 100
                value["maxValue"] = Double(salary.maximumCents) / 100
            }
            object["baseSalary"] = ["@type": "MonetaryAmount", "currency": "EUR", "value": value] as [String: Any]
        }
        if let min = d.hoursMin ?? d.hoursMax {
            object["workHours"] = d.hoursText ?? "\(min) uur"
        }
        return JSONLD.script(object)
    }

    /// The last minute of a day in Amsterdam, with that day's offset: +02:00 in summer
    /// time, +01:00 in winter ("2027-07-15T23:59:00+02:00").
    static func endOfDayInAmsterdam(_ day: Day) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = Day.amsterdam
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: AmsterdamTime.date(day, minutes: 23 * 60 + 59))
    }

    static func employmentType(_ d: PostingDetails) -> String {
        switch d.kind {
        case .internship: return "INTERN"
        case .shadowDay: return "OTHER"
        case .vacancy, .traineeship: return (d.hoursMin ?? 36) >= 32 ? "FULL_TIME" : "PART_TIME"
        }
    }
}

/// The Atom feed of public postings.
enum AtomFeed {
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters.
                if character.value < 0x20 && character != "\n" && character != "\t" && character != "\r" { continue }
                out.unicodeScalars.append(character)
            }
        }
        return out
    }

    /// The feed; every absolute link starts with `siteURL` (the configured address,
    /// never the request's Host header).
    /// Links to the other pages of the same search (RFC 5005, paged feeds).
    struct Paging {
        let first: String
        let previous: String?
        let next: String?
    }

    /// `feedID` is the same for every page of one search; an empty feed is as new as
    /// `now` (never 1970).
    static func render(
        postings: [Posting], feedID: String, selfLink: String, pageLink: String, paging: Paging, siteURL: String, now: Date
    ) -> String {
        let base = siteURL
        let updated = postings.map(\.updatedAt).max() ?? now
        var xml = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xml:lang="nl">
            <title>Doorstroom: vacatures, stages en meeloopdagen</title>
            <id>\(escape(feedID))</id>
            <updated>\(updated.iso8601)</updated>
            <link rel="self" href="\(escape(base + selfLink))"/>
            <link rel="alternate" type="text/html" href="\(escape(base + pageLink))"/>
            <link rel="first" href="\(escape(base + paging.first))"/>

            """
        if let previous = paging.previous { xml += "<link rel=\"previous\" href=\"\(escape(base + previous))\"/>\n" }
        if let next = paging.next { xml += "<link rel=\"next\" href=\"\(escape(base + next))\"/>\n" }
        for posting in postings {
            let id = posting.id.uuidString.lowercased()
            let summary = posting.details.description.prefix(500)
            xml += """
                <entry>
                <title>\(escape(posting.details.title))</title>
                <id>urn:uuid:\(id)</id>
                <updated>\(posting.updatedAt.iso8601)</updated>
                \(posting.publishedAt.map { "<published>\($0.iso8601)</published>" } ?? "")
                <link rel="alternate" type="text/html" href="\(escape(base + "/vacatures/" + id))"/>
                <author><name>\(escape(posting.organisationName))</name></author>
                <category term="\(posting.details.kind.urlName)" label="\(escape(posting.details.kind.label))"/>
                <summary type="text">\(escape(String(summary)))</summary>
                </entry>

                """
        }
        return xml + "</feed>\n"
    }
}
