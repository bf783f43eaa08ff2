import Domain
import Foundation
import HTTPTypes
import NIOCore
import PQ
import Store
import Testing
import TestSupport

/// The Jeugd Academie as an OOAPI v5 consumer sees it: the spec's parameters, errors,
/// service object and languages, and an import that keeps what a provider sent.
/// (scripts/check-ooapi.py holds every answer to the official schema as well.)
@Suite("OOAPI v5 as the spec says") struct OOAPITests {
    static func json(_ page: Browser.Page) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
    }

    static func items(_ page: Browser.Page) throws -> [[String: Any]] {
        try #require(try json(page)["items"] as? [[String: Any]])
    }

    static func put(_ browser: Browser, _ store: Store, _ body: String) async throws -> Browser.Page {
        let altra = try #require(try await store.organisations.find(slug: "altra"))
        let token = try await store.apiTokens.create(organisation: altra.id, name: "LMS", by: nil)
        return try await browser.send("/api/v1/organisations/altra/catalogue?allow_withdraw=true", method: .put,
                                      headers: [.contentType: "application/json", .authorization: "Bearer " + token], body: ByteBuffer(string: body))
    }

    /// A catalogue as a provider's system sends it: two languages, a studyLoad, an
    /// offering with its own name, a full address, price information and a link, and
    /// an offering whose course is the expanded Course object.
    static let provider = """
        {"courses": [{
            "primaryCode": {"codeType": "identifier", "code": "ALT-EN-1"},
            "name": [{"language": "nl-NL", "value": "Motiverende gespreksvoering"}, {"language": "en-GB", "value": "Motivational interviewing"}],
            "description": [{"language": "en-GB", "value": "Talking with young people who do not want help."}],
            "abbreviation": "MGV", "teachingLanguage": "en-GB", "level": "bachelor", "modeOfDelivery": ["situated"],
            "duration": "P2D", "studyLoad": {"studyLoadUnit": "ects", "value": 1.5}, "link": "https://altra.example/mgv"}],
         "offerings": [{
            "primaryCode": {"codeType": "offeringCode", "code": "ALT-EN-1-2030"}, "offeringType": "course", "course": "ALT-EN-1",
            "name": [{"language": "en-GB", "value": "Motivational interviewing, spring 2030"}],
            "description": [{"language": "en-GB", "value": "Two days in March."}],
            "startDate": "2030-03-04", "endDate": "2030-03-11", "maxNumberStudents": 14, "link": "https://altra.example/mgv/2030",
            "addresses": [{"addressType": "teaching", "street": "Moreelsepark", "streetNumber": "48", "postalCode": "3511 EP", "city": "Utrecht",
                           "countryCode": "NL"}],
            "priceInformation": [{"costType": "total costs", "amount": "340.84", "currency": "EUR"}]},
          {"primaryCode": {"codeType": "offeringCode", "code": "ALT-EXP-1-2030"}, "offeringType": "course",
           "course": {"primaryCode": {"codeType": "identifier", "code": "ALT-EXP-1"}, "name": [{"language": "nl-NL", "value": "Traumasensitief werken"}],
                      "description": [{"language": "nl-NL", "value": "Over trauma en veiligheid."}], "abbreviation": "TSW",
                      "teachingLanguage": "nld", "level": "undefined", "modeOfDelivery": ["online"]},
           "name": [{"language": "nl-NL", "value": "Traumasensitief werken, 2030"}], "description": [{"language": "nl-NL", "value": "Online."}],
           "startDate": "2030-05-01", "endDate": "2030-05-01"}]}
        """

    @Test func everyCourseNamesItsLanguageInISO6392AndTheImportKeepsWhatWasSent() async throws {
        try await TestApp.withDemo { browser, store in
            for course in try Self.items(try await browser.get("/ooapi/v5/courses?pageSize=250")) {
                #expect((course["teachingLanguage"] as? String)?.wholeMatch(of: /[a-z]{3}/) != nil, "\(course["teachingLanguage"] ?? "")")
            }
            let done = try await Self.put(browser, store, Self.provider)
            #expect(done.status == .ok)
            #expect(try Self.json(done)["rejected"] as? [Any] != nil && (try Self.json(done)["rejected"] as! [Any]).isEmpty, "\(done.body)")

            let found = try Self.items(try await browser.get("/ooapi/v5/courses?primaryCode=ALT-EN-1"))
            let course = try #require(found.first)
            #expect(found.count == 1)
            #expect(course["teachingLanguage"] as? String == "eng")
            #expect(course["name"] as? [[String: String]] == [["language": "nl-NL", "value": "Motiverende gespreksvoering"],
                                                                ["language": "en-GB", "value": "Motivational interviewing"]])
            #expect(course["description"] as? [[String: String]] == [["language": "en-GB", "value": "Talking with young people who do not want help."]])
            #expect(course["modeOfDelivery"] as? [String] == ["situated"])
            #expect(course["level"] as? String == "bachelor")
            #expect((course["studyLoad"] as? [String: Any])?["studyLoadUnit"] as? String == "ects")
            #expect((course["studyLoad"] as? [String: Any])?["value"] as? Double == 1.5)

            let id = try #require(course["courseId"] as? String)
            let offering = try #require(try Self.items(try await browser.get("/ooapi/v5/courses/\(id)/offerings")).first)
            #expect(offering["name"] as? [[String: String]] == [["language": "en-GB", "value": "Motivational interviewing, spring 2030"]])
            #expect(offering["description"] as? [[String: String]] == [["language": "en-GB", "value": "Two days in March."]])
            #expect(offering["teachingLanguage"] as? String == "eng")
            #expect(offering["link"] as? String == "https://altra.example/mgv/2030")
            let address = try #require((offering["addresses"] as? [[String: Any]])?.first)
            #expect(address["street"] as? String == "Moreelsepark" && address["streetNumber"] as? String == "48")
            #expect(address["postalCode"] as? String == "3511 EP" && address["city"] as? String == "Utrecht")
            #expect((offering["priceInformation"] as? [[String: String]]) == [["costType": "total costs", "amount": "340.84", "currency": "EUR"]])
            #expect((offering["ext"] as? [String: Any])?["place"] as? String == "Moreelsepark 48, 3511 EP Utrecht")

            // The offering whose course came expanded: the course is in the catalogue, the offering under it.
            let expanded = try #require(try Self.items(try await browser.get("/ooapi/v5/courses?primaryCode=ALT-EXP-1")).first)
            #expect(expanded["modeOfDelivery"] as? [String] == ["online"])
            let its = try Self.items(try await browser.get("/ooapi/v5/courses/\(expanded["courseId"] as! String)/offerings"))
            #expect(its.map { ($0["primaryCode"] as? [String: String])?["code"] } == ["ALT-EXP-1-2030"])

            // Sent again as it was: nothing changes.
            let again = try Self.json(try await Self.put(browser, store, Self.provider))
            #expect((again["courses"] as? [String: Int])?["unchanged"] == 2 && (again["offerings"] as? [String: Int])?["unchanged"] == 2)
        }
    }

    @Test func theSpecsParametersFilterSortAndPage() async throws {
        try await TestApp.withDemo { browser, store in
            let all = try Self.items(try await browser.get("/ooapi/v5/courses?pageSize=250"))
            let code = try #require((all.last?["primaryCode"] as? [String: String])?["code"])
            let one = try Self.items(try await browser.get("/ooapi/v5/courses?primaryCode=\(code)"))
            #expect(one.map { ($0["primaryCode"] as? [String: String])?["code"] } == [code])
            // By name by default; sort=-name turns it round.
            let names = all.map { (($0["name"] as? [[String: String]])?.first?["value"]) ?? "" }
            let reversed = try Self.items(try await browser.get("/ooapi/v5/courses?pageSize=250&sort=-name"))
                .map { (($0["name"] as? [[String: String]])?.first?["value"]) ?? "" }
            #expect(reversed == names.reversed())
            let stored = try await store.pool.query("SELECT name FROM course WHERE withdrawn_at IS NULL ORDER BY name, id").decode(String.self)
            #expect(names == stored)
            // modeOfDelivery and q hold on what they return.
            let online = try Self.items(try await browser.get("/ooapi/v5/courses?pageSize=250&modeOfDelivery=distance-learning"))
            #expect(!online.isEmpty && online.allSatisfy { ($0["modeOfDelivery"] as? [String]) == ["distance-learning"] })
            let word = try #require(names.first?.split(separator: " ").first.map(String.init))
            let searched = try Self.items(try await browser.get("/ooapi/v5/courses?pageSize=250&q=\(word.lowercased().addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"))
            #expect(!searched.isEmpty && searched.count < all.count)
            // Paging.
            let second = try Self.json(try await browser.get("/ooapi/v5/courses?pageSize=10&pageNumber=2"))
            #expect(second["pageNumber"] as? Int == 2 && second["hasPreviousPage"] as? Bool == true)
            #expect((second["items"] as? [[String: Any]])?.first?["courseId"] as? String == all[10]["courseId"] as? String)
        }
    }

    @Test func badParametersAndUnknownCoursesAreProblems() async throws {
        try await TestApp.withDemo { browser, store in
            for query in ["pageSize=7", "pageNumber=0", "pageNumber=twee", "sort=price", "modeOfDelivery=telepathy", "teachingLanguage=nl-NL"] {
                let answer = try await browser.get("/ooapi/v5/courses?" + query)
                #expect(answer.status == .badRequest, "\(query)")
                #expect(answer.headers[.contentType] == "application/problem+json", "\(query)")
                let problem = try Self.json(answer)
                #expect(problem["status"] as? String == "400" && problem["title"] as? String == "Bad request")
                #expect((problem["detail"] as? String)?.contains(String(query.prefix(while: { $0 != "=" }))) == true, "\(problem)")
            }
            let missing = try await browser.get("/ooapi/v5/courses/\(UUID().lowercased)")
            #expect(missing.status == .notFound && missing.headers[.contentType] == "application/problem+json")
            #expect(try Self.json(missing)["status"] as? String == "404")
            let notAnID = try await browser.get("/ooapi/v5/courses/abc/offerings")
            #expect(notAnID.status == .notFound && notAnID.headers[.contentType] == "application/problem+json")
            // The service object.
            let service = try await browser.get("/ooapi/v5")
            #expect(service.status == .ok)
            let object = try Self.json(service)
            #expect((object["specification"] as? String)?.hasSuffix("/v5/ooapi.json") == true)
            #expect(object["documentation"] as? String == TestApp.siteURL + "/academie/formaat")
            #expect((object["contactEmail"] as? String)?.contains("@") == true)
        }
    }

    @Test func offeringsAreFutureOnlyUnlessSinceSaysOtherwise() async throws {
        try await TestApp.withDemo { browser, store in
            let course = try #require(try await store.pool.query(
                "SELECT course_id FROM course_offering WHERE withdrawn_at IS NULL GROUP BY course_id HAVING count(*) >= 2 LIMIT 1").first(decoding: UUID.self))
            // One of its offerings lies in the past.
            _ = try await store.pool.query(
                """
                UPDATE course_offering SET start_date = DATE '2020-01-06', end_date = DATE '2020-01-07', enroll_start_date = NULL, enroll_end_date = NULL
                WHERE id = (SELECT id FROM course_offering WHERE course_id = \(course) AND withdrawn_at IS NULL ORDER BY start_date LIMIT 1)
                """)
            let today = Day(Date()).iso
            let future = try Self.items(try await browser.get("/ooapi/v5/courses/\(course.lowercased)/offerings"))
            #expect(future.allSatisfy { ($0["startDate"] as? String ?? "") >= today })
            let since = try Self.items(try await browser.get("/ooapi/v5/courses/\(course.lowercased)/offerings?since=2020-01-01"))
            // The one moved to 2020, and any the demo's dates put before today.
            let past = try #require(try await store.pool.query(
                """
                SELECT count(*)::int FROM course_offering WHERE course_id = \(course) AND withdrawn_at IS NULL
                  AND start_date < (now() AT TIME ZONE 'Europe/Amsterdam')::date
                """).first(decoding: Int.self))
            #expect(past >= 1 && since.count == future.count + past)
            #expect(since.first?["startDate"] as? String == "2020-01-06")
            let until = try Self.items(try await browser.get("/ooapi/v5/courses/\(course.lowercased)/offerings?since=2020-01-01&until=2020-12-31"))
            #expect(until.count == 1)
            let descending = try Self.items(try await browser.get("/ooapi/v5/courses/\(course.lowercased)/offerings?since=2020-01-01&sort=-startDate"))
            #expect(descending.last?["startDate"] as? String == "2020-01-06")
            #expect(try await browser.get("/ooapi/v5/courses/\(course.lowercased)/offerings?since=gisteren").status == .badRequest)
        }
    }

    @Test func aConsumerThatPollsGets304WhileNothingChanged() async throws {
        try await TestApp.withDemo { browser, _ in
            let first = try await browser.get("/ooapi/v5/courses")
            let tag = try #require(first.headers[.eTag])
            let again = try await browser.get("/ooapi/v5/courses", headers: [.ifNoneMatch: tag])
            #expect(again.status == .notModified && again.body.isEmpty)
            let other = try await browser.get("/ooapi/v5/courses?pageNumber=2", headers: [.ifNoneMatch: tag])
            #expect(other.status == .ok)
        }
    }

    @Test func anOfferingsPageSentAsACatalogueChangesNothing() {
        // Items with a course and a start date are offerings, even without offeringId or offeringType.
        let page = """
            {"items": [{"primaryCode": "C-1-A", "course": "C-1", "name": "Cursus C-1", "description": "Een uitvoering.",
                        "startDate": "2027-04-01", "endDate": "2027-04-15"}]}
            """
        let catalogue = CatalogueParser.parse(json: Data(page.utf8))
        #expect(catalogue.unreadable && catalogue.courses.isEmpty)
    }

    @Test func languageTagsAndCodesAreReadAsTheSpecWrites() {
        #expect(TeachingLanguage.iso6392("nl-NL") == "nld" && TeachingLanguage.iso6392("EN_gb") == "eng" && TeachingLanguage.iso6392("nld") == "nld")
        #expect(TeachingLanguage.iso6392("xx-YY") == nil)
        #expect(LocalizedText.normalisedTag("nl-nl") == "nl-NL" && LocalizedText.normalisedTag("zh-hant-tw") == "zh-Hant-TW")
        #expect(LocalizedText.normalisedTag("Nederlands") == nil)
        let bad = CatalogueParser.parse(json: Data("""
            {"courses": [{"primaryCode": "X-1", "name": "Naam", "description": "Tekst", "teachingLanguage": "Nederlands", "modeOfDelivery": ["online"]},
                         {"primaryCode": "X-2", "name": "Naam", "description": "Tekst", "level": "hbo", "modeOfDelivery": ["online"]},
                         {"primaryCode": "X-3", "name": [{"language": "Engels", "value": "Name"}], "description": "Tekst", "modeOfDelivery": ["online"]}]}
            """.utf8))
        #expect(bad.courses.isEmpty)
        #expect(bad.rejected.map(\.reason) == [
            "teachingLanguage is een taalcode volgens ISO 639-2, zoals nld of eng.",
            "level kent hbo niet: gebruik een OOAPI-niveau zoals undefined, bachelor of secondary vocational education.",
            "name[0].language is geen taalcode als nl-NL of en-GB.",
        ])
    }
}
