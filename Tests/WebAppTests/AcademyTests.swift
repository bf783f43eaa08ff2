import Domain
import Foundation
import HTTPTypes
import NIOCore
import PQ
import Store
import Testing
import TestSupport

/// Confirms the upload whose preview `page` shows.
func confirmShown(_ browser: Browser, _ page: Browser.Page) async throws -> Browser.Page {
    let confirm = try #require(page.body.range(of: #"/beheer/cursussen/upload/([0-9a-f-]{36})/bevestigen"#, options: .regularExpression)
        .map { String(page.body[$0]) })
    return try await browser.post(confirm, [])
}

@Suite("The Jeugd Academie's catalogue on the web") struct AcademyWebTests {
    static var example: String {
        (try? String(contentsOfFile: TestDatabase.projectRoot + "/docs/examples/catalogue.json", encoding: .utf8)) ?? ""
    }

    @Test func theDocumentedExampleImportsWithoutARejection() {
        let catalogue = CatalogueParser.parse(json: Data(Self.example.utf8))
        #expect(catalogue.rejected.isEmpty, "\(catalogue.rejected)")
        #expect(catalogue.courses.count == 2)
        #expect(catalogue.offerings.first?.sessions.count == 3)
        #expect(catalogue.courses[1].enrolsHere == false)
    }

    @Test func anHRAdviserUploadsTheirOwnCatalogueOnlyAndSeesTheReport() async throws {
        try await TestApp.withDemo { browser, store in
            try await browser.login("hr@altra.doorstroom.test")
            var page = try await browser.get("/beheer/cursussen")
            #expect(page.status == .ok)
            page = try await upload(browser, organisation: "altra", file: Self.example)
            // First what it would do; it holds none of Altra's demo courses, so it would withdraw them all.
            #expect(page.status == .ok)
            #expect(page.body.contains("Zo zou de import je catalogus veranderen"))
            #expect(page.body.contains("Let op: dit is meer dan een vijfde"))
            page = try await confirmShown(browser, page)
            #expect(page.status == .ok)
            #expect(page.body.contains("Cursussen: 2 nieuw, 0 gewijzigd"))
            #expect(page.body.contains("Verklarende Analyse in de praktijk"))
            // The same file again would change nothing.
            page = try await upload(browser, organisation: "altra", file: Self.example)
            #expect(page.body.contains("Cursussen: 0 nieuw, 0 gewijzigd, 2 ongewijzigd"))
            // A file with a bad record: the preview names it; confirmed, the good ones are taken.
            let bad = Self.example.replacingOccurrences(of: "\"register\": \"SKJ\", \"points\": 18", with: "\"register\": \"XYZ\", \"points\": 18")
            page = try await upload(browser, organisation: "altra", file: bad)
            #expect(page.body.contains("courses[0] (ALT-VA-2027): ext.accreditation.register moet SKJ, NIP, NVO of BIG zijn."))
            page = try await confirmShown(browser, page)
            #expect(page.status == .unprocessableContent)
            #expect(page.body.contains("courses[0] (ALT-VA-2027): ext.accreditation.register moet SKJ, NIP, NVO of BIG zijn."))
            // Another organisation's catalogue: not this adviser's.
            let before = try await store.pool.query("SELECT count(*) FROM course").first(decoding: Int.self)
            page = try await upload(browser, organisation: "cordaan", file: Self.example)
            #expect(page.status == .notFound)
            #expect(try await store.pool.query("SELECT count(*) FROM course").first(decoding: Int.self) == before)
        }
    }

    @Test func anOrganisationsSystemPutsItsCatalogueWithItsToken() async throws {
        try await TestApp.withDemo { browser, store in
            let altra = try await store.organisations.find(slug: "altra")!
            let token = try await store.apiTokens.create(organisation: altra.id, name: "LMS", by: nil)
            func put(_ slug: String, _ body: String, type: String = "application/json", token: String? = nil, query: String = "") async throws -> Browser.Page {
                var headers: HTTPFields = [.contentType: type]
                if let token { headers[.authorization] = "Bearer " + token }
                return try await browser.send("/api/v1/organisations/\(slug)/catalogue" + query, method: .put, headers: headers, body: ByteBuffer(string: body))
            }
            #expect(try await put("altra", Self.example).status == .unauthorized)
            #expect(try await put("cordaan", Self.example, token: token).status == .forbidden)
            // The file replaces Altra's demo courses: withdrawing them all needs allow_withdraw.
            #expect(try await put("altra", Self.example, token: token).status == .conflict)
            let done = try await put("altra", Self.example, token: token, query: "?allow_withdraw=true")
            #expect(done.status == .ok)
            let report = try JSONSerialization.jsonObject(with: Data(done.body.utf8)) as? [String: Any]
            #expect((report?["courses"] as? [String: Any])?["inserted"] as? Int == 2)
            #expect((report?["rejected"] as? [Any])?.isEmpty == true)
            // CSV with a line that is wrong: reported by line.
            let csv = "course_code;name;description;format\nALT-CSV-1;Gespreksvoering;Over gesprekken;classroom\nALT-CSV-2;Fout;Over vormen;hoorcollege\n"
            let csvDone = try await put("altra", csv, type: "text/csv", token: token, query: "?allow_withdraw=true")
            let csvReport = try JSONSerialization.jsonObject(with: Data(csvDone.body.utf8)) as? [String: Any]
            #expect(((csvReport?["rejected"] as? [[String: Any]])?.first?["location"] as? String) == "regel 3")
            // The CSV replaced the catalogue: the JSON's courses are withdrawn.
            #expect((csvReport?["courses"] as? [String: Any])?["withdrawn"] as? Int == 2)
        }
    }

    @Test func theCatalogueReadsBackInTheOpenEducationAPIFormat() async throws {
        try await TestApp.withDemo { browser, store in
            let first = try await browser.get("/ooapi/v5/courses?pageSize=20")
            #expect(first.status == .ok)
            let page = try JSONSerialization.jsonObject(with: Data(first.body.utf8)) as! [String: Any]
            let total = try await store.pool.query("SELECT count(*) FROM course WHERE withdrawn_at IS NULL").first(decoding: Int.self)!
            #expect(total >= 50)
            #expect(page["pageSize"] as? Int == 20 && page["pageNumber"] as? Int == 1)
            #expect(page["totalPages"] as? Int == (total + 19) / 20)
            #expect(page["hasNextPage"] as? Bool == true && page["hasPreviousPage"] as? Bool == false)
            let items = page["items"] as! [[String: Any]]
            #expect(items.count == 20)
            let course = items[0]
            for field in ["courseId", "primaryCode", "name", "abbreviation", "description", "teachingLanguage", "level", "modeOfDelivery", "ext"] {
                #expect(course[field] != nil, "course.\(field)")
            }
            #expect(((course["name"] as? [[String: String]])?.first?["language"]) == "nl-NL")
            let id = course["courseId"] as! String
            let offerings = try await browser.get("/ooapi/v5/courses/\(id)/offerings")
            #expect(offerings.status == .ok)
            let offeringPage = try JSONSerialization.jsonObject(with: Data(offerings.body.utf8)) as! [String: Any]
            let offering = (offeringPage["items"] as! [[String: Any]])[0]
            for field in ["offeringId", "primaryCode", "offeringType", "name", "description", "teachingLanguage", "resultExpected", "startDate", "endDate", "course"] {
                #expect(offering[field] != nil, "offering.\(field)")
            }
            #expect(offering["course"] as? String == id)
            #expect(offering["offeringType"] as? String == "course")
            #expect(try await browser.get("/ooapi/v5/courses/\(UUID().lowercased)/offerings").status == .notFound)
            // What is read back imports again unchanged: the format goes both ways.
            let again = CatalogueParser.parse(json: Data("{\"courses\": [\(String(decoding: try JSONSerialization.data(withJSONObject: course), as: UTF8.self))]}".utf8))
            #expect(again.rejected.isEmpty, "\(again.rejected)")
        }
    }
}

/// Uploads a catalogue file through the HR page's form (multipart/form-data).
func upload(_ browser: Browser, organisation: String, file: String) async throws -> Browser.Page {
    _ = try await browser.get("/beheer/cursussen")
    return try await browser.postMultipart(
        "/beheer/cursussen", fields: [("organisation", organisation)], file: ("file", "catalogus.json", file), contentType: "application/json")
}

@Suite("OOAPI v5 shapes") struct OOAPIShapeTests {
    /// A course and an offering with every field the OOAPI v5 Course and
    /// CourseOffering schemas define (our own values), the offering naming its course
    /// by courseId: fields the platform does not use are accepted and ignored.
    @Test func everyFieldOfTheStandardShapesIsAccepted() {
        let json = """
        {"courses": [{
          "courseId": "123e4567-e89b-12d3-a456-426614174000",
          "primaryCode": {"codeType": "identifier", "code": "JA-GV-01"},
          "name": [{"language": "nl-NL", "value": "Gespreksvoering met jongeren"}, {"language": "en-GB", "value": "Talking with young people"}],
          "abbreviation": "GV-01", "ects": 0, "duration": "P2D",
          "description": [{"language": "nl-NL", "value": "Gesprekken voeren met jongeren die geen hulp willen."}],
          "teachingLanguage": "nl-NL",
          "learningOutcomes": [[{"language": "nl-NL", "value": "Je kunt weerstand ombuigen."}]],
          "requirements": [{"language": "nl-NL", "value": "Hbo-niveau"}],
          "level": "undefined", "modeOfDelivery": ["on campus", "online"],
          "enrollment": [{"language": "nl-NL", "value": "Via het platform"}],
          "resources": ["Reader"], "assessment": [{"language": "nl-NL", "value": "Rollenspel"}],
          "link": "https://academie.example/gv-01", "educationSpecification": "123e4567-e89b-12d3-a456-426614174111",
          "addresses": [{"addressType": "teaching", "street": "Herengracht", "streetNumber": "218", "city": "Amsterdam", "countryCode": "NL"}],
          "otherCodes": [{"codeType": "crohoCreboCode", "code": "0000"}],
          "consumers": [{"consumerKey": "rio", "educationSpecificationType": "course"}],
          "ext": {}
        }],
        "offerings": [{
          "offeringId": "123e4567-e89b-12d3-a456-426614174222",
          "primaryCode": {"codeType": "offeringCode", "code": "JA-GV-01-2027"},
          "offeringType": "course", "academicSession": "123e4567-e89b-12d3-a456-426614174333",
          "name": [{"language": "nl-NL", "value": "Gespreksvoering voorjaar 2027"}], "abbreviation": "GV-VJ",
          "description": [{"language": "nl-NL", "value": "Twee dagen in maart."}],
          "teachingLanguage": "nld", "modeOfDelivery": ["on campus"],
          "maxNumberStudents": 18, "enrolledNumberStudents": 0, "pendingNumberStudents": 0, "minNumberStudents": 6,
          "resultExpected": true, "resultValueType": "pass-or-fail", "link": "https://academie.example/gv-01/2027",
          "otherCodes": [], "consumers": [],
          "startDate": "2027-03-01", "endDate": "2027-03-08", "enrollStartDate": "2027-01-01", "enrollEndDate": "2027-02-15",
          "flexibleEntryPeriodStart": "2027-03-01", "flexibleEntryPeriodEnd": "2027-03-01",
          "addresses": [{"addressType": "teaching", "street": "Herengracht 218", "city": "Amsterdam"}],
          "priceInformation": [{"costType": "total costs", "amount": 0, "displayAmount": 0, "currency": "EUR"}],
          "course": "123e4567-e89b-12d3-a456-426614174000",
          "programOffering": "123e4567-e89b-12d3-a456-426614174444", "organization": "123e4567-e89b-12d3-a456-426614174555",
          "ext": {}
        }]}
        """
        let catalogue = CatalogueParser.parse(json: Data(json.utf8))
        #expect(catalogue.rejected.isEmpty, "\(catalogue.rejected)")
        #expect(catalogue.courses.first?.format == .blended)
        #expect(catalogue.offerings.first?.courseCode == "JA-GV-01")
        #expect(catalogue.offerings.first?.place == "Herengracht 218, Amsterdam")
        #expect(catalogue.offerings.first?.maxStudents == 18)
    }
}

@Suite("A withdrawn course") struct WithdrawnCourseTests {
    @Test func peopleEnrolledKeepTheirEnrolmentAndAreTold() async throws {
        try await TestApp.withDemo { browser, store in
            let (_, offering) = try await makeCourse(store, code: "WEG-1", places: 10)
            try await browser.login("professional@doorstroom.test")
            _ = try await browser.get("/academie")
            #expect(try await browser.post("/academie/uitvoering/\(offering.lowercased)/inschrijven", []).status == .seeOther)
            let cordaan = try await store.organisations.find(slug: "cordaan")!
            // A broken or empty file changes nothing.
            for broken in ["{\"courses\": [", #"{"courses": [], "offerings": []}"#] {
                let report = try await store.academy.importCatalogue(CatalogueParser.parse(json: Data(broken.utf8)), organisation: cordaan.id, by: nil, source: .api, allowWithdraw: false)
                #expect(report.courses.withdrawn == 0 && !report.rejected.isEmpty)
            }
            #expect(try await store.academy.course(ofOffering: offering) != nil)
            #expect(try await store.pool.query("SELECT count(*) FROM course c JOIN course_offering x ON x.course_id = c.id WHERE x.id = \(offering) AND c.withdrawn_at IS NULL").first(decoding: Int.self) == 1)
            // Cordaan imports a catalogue without the course.
            let report = try await store.academy.importCatalogue(
                CatalogueParser.parse(json: Data(#"{"courses": [{"primaryCode": "ANDER-1", "name": "Een andere cursus", "description": "Anders.", "ext": {"format": "blended"}}]}"#.utf8)),
                organisation: cordaan.id, by: nil, source: .api, allowWithdraw: true)
            #expect(report.courses.withdrawn >= 1)
            #expect(try await store.pool.query("SELECT status FROM enrolment WHERE offering_id = \(offering)").first(decoding: String.self) == "enrolled")
            let page = try await browser.get("/mijn/ontwikkeling")
            #expect(page.body.contains("De aanbieder heeft deze cursus uit de catalogus gehaald"))
        }
    }
}
