import Domain
import Foundation
import HTTPTypes
import PQ
import Store
import Testing
import TestSupport
@testable import WebApp

/// The Atom feed and the calendar as their standards (RFC 4287, 5005, 5545, 7986,
/// 9110) and their readers expect them.
@Suite("Feeds and calendars by their standards")
struct FeedStandardsTests {
    static func element(_ name: String, in xml: String) -> String? {
        guard let start = xml.range(of: "<\(name)>"), let end = xml.range(of: "</\(name)>", range: start.upperBound..<xml.endIndex) else { return nil }
        return String(xml[start.upperBound..<end.lowerBound])
    }

    /// Each search has its own feed id (the same on every page), an empty feed is not
    /// from 1970, pages link to each other, and /vacatures names its feed in the head.
    @Test func eachSearchIsItsOwnFeedWithPages() async throws {
        try await TestApp.withDemo { browser, store in
            for index in 0..<25 { _ = try await makePosting(store, organisation: "altra", title: "Feedtest Kievit \(index)") }
            let all = try await browser.get("/vacatures.atom")
            let kievit = try await browser.get("/vacatures.atom?q=kievit")
            let second = try await browser.get("/vacatures.atom?q=kievit&pagina=2")
            let idAll = try #require(Self.element("id", in: all.body)), idKievit = try #require(Self.element("id", in: kievit.body))
            #expect(idAll != idKievit)
            #expect(Self.element("id", in: second.body) == idKievit, "every page of a search has the search's id")
            #expect(idKievit.hasPrefix(TestApp.siteURL))
            #expect(kievit.body.contains("<link rel=\"next\" href=\"\(TestApp.siteURL)/vacatures.atom?q=kievit&amp;pagina=2\"/>"))
            #expect(second.body.contains("<link rel=\"previous\""))
            #expect(second.body.contains("<link rel=\"first\" href=\"\(TestApp.siteURL)/vacatures.atom?q=kievit\"/>"))
            let empty = try await browser.get("/vacatures.atom?q=zzyzxqwv")
            let updated = try #require(Self.element("updated", in: empty.body))
            #expect(!updated.hasPrefix("1970"), "an empty feed is as new as now (\(updated))")
            let page = try await browser.get("/vacatures?q=kievit")
            #expect(page.body.contains("<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Deze zoekopdracht als feed\" href=\"/vacatures.atom?q=kievit\">"))
        }
    }

    /// A feed reader that has the feed gets 304 without a body; a changed feed a new tag.
    @Test func aFeedAndACalendarAnswerConditionalRequests() async throws {
        try await TestApp.withDemo { browser, store in
            let first = try await browser.get("/vacatures.atom?q=jeugdhulpverlener")
            let tag = try #require(first.headers[.eTag])
            let again = try await browser.get("/vacatures.atom?q=jeugdhulpverlener", headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified && again.body.isEmpty)
            _ = try await makePosting(store, organisation: "altra", title: "Jeugdhulpverlener Grutto nieuw")
            let changed = try await browser.get("/vacatures.atom?q=jeugdhulpverlener", headers: [.ifNoneMatch: tag])
            #expect(changed.status == .ok && changed.headers[.eTag] != tag)

            // The calendar: its DTSTAMP moves with every answer, its tag does not.
            let token = try #require(try await store.pool.query("SELECT calendar_token FROM pool_member ORDER BY account_id LIMIT 1").first(decoding: String.self))
            let calendar = try await browser.get("/flexpool/agenda/\(token).ics")
            let calendarTag = try #require(calendar.headers[.eTag])
            try await Task.sleep(for: .milliseconds(1100))
            let unchanged = try await browser.get("/flexpool/agenda/\(token).ics", headers: [.ifNoneMatch: calendarTag])
            #expect(unchanged.status == .notModified)
        }
    }

    /// A calendar without shifts is still a valid calendar (RFC 5545 wants a
    /// component), carries the Amsterdam zone, and asks to be refreshed hourly.
    @Test func aCalendarWithoutShiftsIsStillValid() async throws {
        try await TestApp.withDemo { browser, store in
            let window = TimeWindow(start: Date().addingTimeInterval(86_400), end: Date().addingTimeInterval(2 * 86_400))
            let member = try await makePoolMembers(store, count: 1, window: window, prefix: "leeg")[0]
            let token = try #require(try await store.pool.query("SELECT calendar_token FROM pool_member WHERE account_id = \(member.id)").first(decoding: String.self))
            let calendar = try await browser.get("/flexpool/agenda/\(token).ics")
            let lines = calendar.body.components(separatedBy: "\r\n")
            #expect(lines.first == "BEGIN:VCALENDAR" && lines.dropLast().last == "END:VCALENDAR")
            #expect(!calendar.body.contains("BEGIN:VEVENT"))
            #expect(lines.contains("BEGIN:VTIMEZONE") && lines.contains("TZID:Europe/Amsterdam"))
            #expect(lines.contains("REFRESH-INTERVAL;VALUE=DURATION:PT1H") && lines.contains("X-PUBLISHED-TTL:PT1H"))
            // Every BEGIN has its END, in order.
            var open: [String] = []
            for line in lines {
                if line.hasPrefix("BEGIN:") { open.append(String(line.dropFirst(6))) }
                if line.hasPrefix("END:") { #expect(open.popLast() == String(line.dropFirst(4))) }
            }
            #expect(open.isEmpty)
        }
    }
}

/// Google's rules for job markup: only while one can apply.
@Suite("Job markup only for open jobs")
struct JobMarkupTests {
    /// Course markup with Google's values: the offer's category and the course mode.
    @Test func courseMarkupUsesGooglesValues() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            try await browser.get("/beheer/cursussen/nieuw")
            let made = try await browser.post("/beheer/cursussen/nieuw", [
                ("organisation", "altra"), ("course_code", "ALT-LD-1"), ("name", "Gratis en gemengd"), ("description", "Een cursus."),
                ("format", "blended"), ("enrolment", "doorstroom"), ("price", "0"), ("link", "https://www.example.org/gratis"),
            ])
            let path = try #require(made.location?.split(separator: "?").first.map(String.init))
            let id = try #require(path.split(separator: "/").last.map(String.init))
            let start = day(30)
            _ = try await browser.post(path + "/uitvoeringen/nieuw", [("offering_code", "LD-1"), ("start_date", start.iso), ("end_date", start.iso)])
            let page = try await Browser(browser.client).get("/academie/\(id)")
            #expect(page.body.contains("\"category\":\"Free\""))
            #expect(page.body.contains("\"courseMode\":\"Blended\""))
            #expect(page.body.contains("\"url\":\"https:\\/\\/www.example.org\\/gratis\"") || page.body.contains("\"url\":\"https://www.example.org/gratis\""))
        }
    }

    /// Shadow days and meetings are events: Google's required name, startDate and
    /// location, with an end, a status and the organiser.
    @Test func shadowDaysAndMeetingsAreEvents() async throws {
        try await TestApp.withDemo { browser, store in
            let organisation = try #require(try await store.organisations.find(slug: "altra"))
            let details = PostingDetails(kind: .shadowDay, title: "Meeloopdag Roerdomp", municipality: .amsterdam, startDate: day(20), places: 4,
                                         description: "Een dag meelopen.")
            let made = try await store.postings.create(details, organisation: organisation.id, by: nil)
            _ = try await store.postings.setStatus(made.id, organisation: organisation.id, to: .published, by: nil)
            func markup(_ body: String) throws -> [String: Any] {
                let start = try #require(body.range(of: "<script type=\"application/ld+json\">"))
                let end = try #require(body.range(of: "</script>", range: start.upperBound..<body.endIndex))
                return try #require(try JSONSerialization.jsonObject(with: Data(body[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
            }
            let shadow = try markup(try await browser.get("/vacatures/\(made.id.lowercased)").body)
            #expect(shadow["@type"] as? String == "Event")
            #expect(shadow["name"] as? String == "Meeloopdag Roerdomp" && shadow["startDate"] as? String == day(20).iso)
            #expect((shadow["location"] as? [String: Any])?["@type"] as? String == "Place")
            #expect((shadow["offers"] as? [String: Any])?["availability"] as? String == "https://schema.org/InStock")
            let meetingID = try #require(try await store.pool.query("SELECT id FROM event WHERE cancelled_at IS NULL AND lower(during) > now() ORDER BY lower(during) LIMIT 1").first(decoding: UUID.self))
            let meeting = try markup(try await browser.get("/ontmoetingen/\(meetingID.lowercased)").body)
            #expect(meeting["@type"] as? String == "Event")
            for key in ["name", "startDate", "endDate", "location", "organizer", "eventStatus", "eventAttendanceMode", "description"] {
                #expect(meeting[key] != nil, "a meeting's Event has \(key)")
            }
            let start = try #require(meeting["startDate"] as? String)
            #expect(start.hasSuffix("+01:00") || start.hasSuffix("+02:00"), "local time with its offset: \(start)")
        }
    }

    /// What Google's JobPosting documentation asks beyond the required: the salary in
    /// numbers from the CAO's table, the description as HTML, the street and postal
    /// code, directApply, and the organisation's own site and logo.
    @Test func jobMarkupCarriesSalaryNumbersHTMLAddressAndTheOrganisationsSite() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("admin@doorstroom.test")
            _ = try await browser.get("/beheer/salarisschalen")
            let year = Day(Date()).year
            // A table pasted from the CAO: a bad line is named and nothing changes.
            var page = try await browser.post("/beheer/salarisschalen", [("year", String(year)), ("table", "8;3.229,00;4.739,00\n9;veel;meer")])
            #expect(page.status == .unprocessableContent && page.body.contains("Niet te lezen: regel 2"))
            page = try await browser.post("/beheer/salarisschalen", [("year", String(year)), ("table", "schaal;min;max\n8;3.229,00;4.739,00\n9\t3456.78\t5012")])
            #expect(page.status == .seeOther || page.status == .found)
            #expect(try await store.salaryScales.range(scale: 8, on: Day(Date())) == SalaryRange(year: year, scale: 8, minimumCents: 322_900, maximumCents: 473_900))
            #expect(try await store.salaryScales.range(scale: 9, on: Day(Date()))?.maximumCents == 501_200)
            // The organisation's site and logo.
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            _ = try await browser.get("/beheer/organisaties")
            page = try await browser.post("/beheer/organisaties/site", [("organisation", altra.id.lowercased), ("website", "www.altra.nl"), ("logo_url", "")])
            #expect(page.status == .unprocessableContent && page.body.contains("Vul het adres van de eigen site in"))
            page = try await browser.post("/beheer/organisaties/site", [
                ("organisation", altra.id.lowercased), ("website", "https://www.altra.example"), ("logo_url", "http://www.altra.example/logo.png"),
            ])
            #expect(page.status == .unprocessableContent && page.body.contains("Vul het https-adres van het logo"))
            #expect(try await store.organisations.find(slug: "altra")?.logoURL == nil, "nothing saved")
            page = try await browser.post("/beheer/organisaties/site", [
                ("organisation", altra.id.lowercased), ("website", "https://www.altra.example"), ("logo_url", "https://www.altra.example/logo.png"),
            ])
            #expect(try await store.organisations.find(slug: "altra")?.website == "https://www.altra.example")
            // The list says which organisations have a logo: Altra alone.
            let list = try await browser.get("/beheer/organisaties").body
            #expect(list.components(separatedBy: ", met logo").count == 2)

            let organisation = try #require(try await store.organisations.find(slug: "altra"))
            let details = PostingDetails(
                kind: .vacancy, title: "Pedagogisch medewerker Kwartel", salaryScale: 8, municipality: .amsterdam, closingDate: day(20),
                description: "Je werkt in een <leefgroep> & meer.\n\nWat je meebrengt:\n- een hbo-diploma\n- rust", streetAddress: "Herengracht 12",
                postalCode: "1015 BN")
            let made = try await store.postings.create(details, organisation: organisation.id, by: nil)
            _ = try await store.postings.setStatus(made.id, organisation: organisation.id, to: .published, by: nil)
            let body = try await Browser(browser.client).get("/vacatures/\(made.id.lowercased)").body
            let start = try #require(body.range(of: "<script type=\"application/ld+json\">"))
            let end = try #require(body.range(of: "</script>", range: start.upperBound..<body.endIndex))
            let job = try #require(try JSONSerialization.jsonObject(with: Data(body[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
            let value = try #require((job["baseSalary"] as? [String: Any])?["value"] as? [String: Any])
            #expect(value["minValue"] as? Double == 3229 && value["maxValue"] as? Double == 4739 && value["unitText"] as? String == "MONTH")
            #expect(job["description"] as? String == "<p>Je werkt in een &lt;leefgroep&gt; &amp; meer.</p><p>Wat je meebrengt:</p><ul><li>een hbo-diploma</li><li>rust</li></ul>")
            let address = try #require((job["jobLocation"] as? [String: Any])?["address"] as? [String: Any])
            #expect(address["streetAddress"] as? String == "Herengracht 12" && address["postalCode"] as? String == "1015 BN")
            #expect(job["directApply"] as? Bool == true)
            let hiring = try #require(job["hiringOrganization"] as? [String: Any])
            #expect(hiring["sameAs"] as? String == "https://www.altra.example" && hiring["logo"] as? String == "https://www.altra.example/logo.png")
            // People read the same: the range in euros, the address.
            #expect(body.contains("CAO Jeugdzorg schaal 8: € 3.229 – € 4.739 bruto per maand"))
            #expect(body.contains("Herengracht 12, 1015 BN"))
        }
    }

    /// A posting page and its API answer carry an ETag for visitors: asked again with
    /// it, 304 without a body; after a change, the new page.
    @Test func postingPagesAnswerConditionalRequests() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Conditioneel Korhoen")
            for path in ["/vacatures/\(posting.id.lowercased)", "/api/v1/postings/\(posting.id.lowercased)"] {
                let first = try await browser.get(path)
                let tag = try #require(first.headers[.eTag], "\(path)")
                let again = try await browser.get(path, headers: [.ifNoneMatch: tag])
                #expect(again.status == .notModified && again.body.isEmpty, "\(path)")
            }
            let tag = try #require(try await browser.get("/vacatures/\(posting.id.lowercased)").headers[.eTag])
            _ = try await store.pool.query("UPDATE posting SET title = 'Conditioneel Korhoen, herzien' WHERE id = \(posting.id)")
            let changed = try await browser.get("/vacatures/\(posting.id.lowercased)", headers: [.ifNoneMatch: tag])
            #expect(changed.status == .ok && changed.body.contains("Conditioneel Korhoen, herzien"))
            // Logged in, the page is a person's own (its forms, its state): no ETag.
            try await browser.login("professional@doorstroom.test")
            #expect(try await browser.get("/vacatures/\(posting.id.lowercased)").headers[.eTag] == nil)
        }
    }

    /// Every open posting has an end: published without a closing date, it closes after
    /// eight weeks, and its markup says so in validThrough.
    @Test func aPostingPublishedWithoutClosingDateGetsOneAndValidThrough() async throws {
        try await TestApp.withDemo { browser, store in
            let posting = try await makePosting(store, organisation: "altra", title: "Zonder einddatum Grutto")
            #expect(posting.details.closingDate == day(Posting.daysOpenWithoutClosingDate))
            let body = try await browser.get("/vacatures/\(posting.id.lowercased)").body
            #expect(body.contains("\"validThrough\":\"\(day(Posting.daysOpenWithoutClosingDate).iso)T23:59:00+0"))
            // A date set by the adviser stays as it is.
            let dated = try await makePosting(store, organisation: "altra", title: "Met einddatum Grutto", closing: day(10))
            #expect(dated.details.closingDate == day(10))
        }
    }

    @Test func postalCodesAreWrittenTheDutchWay() throws {
        #expect(PostingDetails.postalCode("1015bn") == "1015 BN" && PostingDetails.postalCode(" 1015 BN ") == "1015 BN")
        #expect(PostingDetails.postalCode("0123 AB") == nil && PostingDetails.postalCode("1015") == nil)
        var input = PostingDetails(kind: .vacancy, title: "Titel", municipality: .amsterdam, description: "Tekst").input
        input.values["postal_code"] = "Amsterdam"
        #expect(throws: ValidationErrors.self) { try PostingDetails.parse(input, functionCodes: []) }
    }

    /// validThrough is the end of the closing day in Amsterdam, summer time included.
    @Test func validThroughHasTheOffsetOfItsDate() {
        #expect(JobPostingJSONLD.endOfDayInAmsterdam(Day(iso: "2027-07-15")!) == "2027-07-15T23:59:00+02:00")
        #expect(JobPostingJSONLD.endOfDayInAmsterdam(Day(iso: "2027-01-15")!) == "2027-01-15T23:59:00+01:00")
    }

    @Test func closedAndFilledPostingsLoseTheirMarkupAndAnswer410WithSimilarOpenOnes() async throws {
        try await TestApp.withDemo { browser, store in
            let open = try await makePosting(store, organisation: "altra", title: "Open Steenuil", function: "jeugdhulpverlener")
            let closed = try await makePosting(store, organisation: "altra", title: "Gesloten Steenuil", status: .closed, function: "jeugdhulpverlener")
            let filled = try await makePosting(store, organisation: "altra", title: "Vervulde Steenuil", status: .filled, function: "jeugdhulpverlener")
            let shadow = try await makePosting(store, organisation: "altra", kind: .shadowDay, title: "Meeloopdag Steenuil")
            let openPage = try await browser.get("/vacatures/\(open.id.lowercased)")
            #expect(openPage.status == .ok && openPage.body.contains("\"@type\":\"JobPosting\""))
            for posting in [closed, filled] {
                let page = try await browser.get("/vacatures/\(posting.id.lowercased)")
                #expect(page.status == .gone, "\(posting.details.title)")
                #expect(!page.body.contains("application/ld+json"), "\(posting.details.title) has no job markup")
                #expect(page.body.contains("Vergelijkbaar en nog open") && page.body.contains("Open Steenuil"))
            }
            let shadowPage = try await browser.get("/vacatures/\(shadow.id.lowercased)")
            #expect(shadowPage.status == .ok && !shadowPage.body.contains("JobPosting"))
        }
    }
}

@Suite("The sitemap and robots.txt")
struct SitemapTests {
    @Test func theSitemapListsWhatAVisitorMayFindAndRobotsNamesIt() async throws {
        try await TestApp.withDemo { browser, store in
            let open = try await makePosting(store, organisation: "altra", title: "Sitemap Lepelaar")
            let closed = try await makePosting(store, organisation: "altra", title: "Sitemap Gesloten", status: .closed)
            let forMembers = try await makePosting(store, organisation: "altra", title: "Sitemap Intern", internalUntil: day(10))
            let robots = try await browser.get("/robots.txt")
            #expect(robots.body.contains("Sitemap: \(TestApp.siteURL)/sitemap.xml"))
            #expect(robots.body.contains("Disallow: /mijn"))
            let sitemap = try await browser.get("/sitemap.xml")
            #expect(sitemap.status == .ok && sitemap.headers[.contentType]?.hasPrefix("application/xml") == true)
            #expect(sitemap.body.hasPrefix("<?xml") && sitemap.body.contains("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"))
            #expect(sitemap.body.contains("<loc>\(TestApp.siteURL)/vacatures/\(open.id.lowercased)</loc><lastmod>"))
            #expect(!sitemap.body.contains(closed.id.lowercased) && !sitemap.body.contains(forMembers.id.lowercased))
            let course = try #require(try await store.academy.courses(page: 1, pageSize: 1).courses.first)
            #expect(sitemap.body.contains("/academie/\(course.id.lowercased)</loc>"))
            // Every <url> closes, and the file names fewer than the 50,000 a sitemap may hold.
            let urls = sitemap.body.components(separatedBy: "<url>").count - 1
            #expect(urls == sitemap.body.components(separatedBy: "</url>").count - 1 && urls < 50_000)
        }
    }
}
