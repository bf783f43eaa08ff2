import Domain
import Foundation
import PQ
import Store
import TestSupport
import Testing

@Suite("Importing a catalogue")
struct AcademyImportTests {
    static func organisation(_ store: Store, _ slug: String) async throws -> Organisation {
        try await store.organisations.create(NewOrganisation(slug: slug, name: slug.capitalized, kind: .careProvider, municipality: .amsterdam), by: nil)
    }

    static func course(_ code: String, name: String = "Signs of Safety verdieping", extra: String = "") -> String {
        """
        {"primaryCode": {"codeType": "identifier", "code": "\(code)"}, "name": [{"language": "nl-NL", "value": "\(name)"}],
         "abbreviation": "\(code)", "description": [{"language": "nl-NL", "value": "Over veiligheid en samenwerken met gezinnen."}],
         "teachingLanguage": "nl-NL", "level": "undefined", "modeOfDelivery": ["on campus"] \(extra)}
        """
    }

    static func offering(_ code: String, course: String, max: Int = 12) -> String {
        """
        {"primaryCode": {"codeType": "offeringCode", "code": "\(code)"}, "offeringType": "course", "course": "\(course)",
         "startDate": "2027-04-01", "endDate": "2027-04-15", "maxNumberStudents": \(max),
         "ext": {"place": "Amsterdam", "sessions": [{"start": "2027-04-01T09:00:00+02:00", "end": "2027-04-01T16:00:00+02:00"}]}}
        """
    }

    static func file(courses: [String], offerings: [String]) -> Data {
        Data("{\"courses\": [\(courses.joined(separator: ","))], \"offerings\": [\(offerings.joined(separator: ","))]}".utf8)
    }

    static func versions(_ store: Store) async throws -> [String] {
        try await store.pool.query(
            "SELECT primary_code || ':' || xmin::text FROM course UNION ALL SELECT primary_code || ':' || xmin::text FROM course_offering ORDER BY 1"
        ).decode(String.self)
    }

    @Test func goodRecordsAreStoredBadOnesReportedAndASecondImportChangesNothing() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.organisation(store, "altra")
            let data = Self.file(
                courses: [
                    Self.course("VA-1", extra: #", "ext": {"topics": ["Verklarende Analyse"], "accreditation": {"register": "SKJ", "points": 12, "number": "A-1"}, "price": 125.5}"#),
                    Self.course("MST-1", name: "MST basis"),
                    Self.course("BAD-1", extra: #", "ext": {"accreditation": {"register": "KNMG", "points": 3}}"#),
                    #"{"primaryCode": {"code": "BAD-2"}, "description": "zonder naam", "modeOfDelivery": ["online"]}"#,
                    Self.course("LVB-1", name: "LVB herkennen", extra: #", "link": "https://example.nl/lvb", "ext": {"enrolment": "provider", "format": "e_learning"}"#),
                    Self.course("MST-1", name: "Dubbel"),
                ],
                offerings: [
                    Self.offering("VA-1-A", course: "VA-1"), Self.offering("VA-1-B", course: "VA-1"),
                    Self.offering("X-1", course: "BESTAAT-NIET"),
                    #"{"primaryCode": "MST-1-A", "course": "MST-1", "startDate": "2027-05-10", "endDate": "2027-05-01"}"#,
                ])
            let catalogue = CatalogueParser.parse(json: data)
            let report = try await store.academy.importCatalogue(catalogue, organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(report.courses.inserted == 3)
            #expect(report.offerings.inserted == 2)
            #expect(report.rejected.map(\.location) == ["courses[2]", "courses[3]", "courses[5]", "offerings[2]", "offerings[3]"])
            #expect(report.rejected[0].reason.contains("SKJ, NIP, NVO of BIG"))
            #expect(report.rejected[1].reason.hasPrefix("name ontbreekt"))
            #expect(report.rejected[2].reason.contains("al eerder"))
            #expect(report.rejected[3].reason.contains("course verwijst niet"))
            #expect(report.rejected[4].reason.contains("endDate ligt voor startDate"))
            let va = try await store.academy.courses(page: 1, pageSize: 10).courses.first { $0.record.primaryCode == "VA-1" }!
            #expect(va.record.points == 12)
            #expect(va.record.register == .skj)
            #expect(va.record.priceCents == 12_550)
            #expect(va.offeringCount == 2)
            let (offerings, _) = try await store.academy.offerings(of: va.id, page: 1, pageSize: 10)
            #expect(offerings.first?.record.sessions.count == 1)

            // The same file again: nothing changes, not even a row version.
            let before = try await Self.versions(store)
            let again = try await store.academy.importCatalogue(CatalogueParser.parse(json: data), organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(again.courses.inserted == 0 && again.courses.updated == 0 && again.courses.unchanged == 3 && again.courses.withdrawn == 0)
            #expect(again.offerings.unchanged == 2 && again.offerings.withdrawn == 0)
            #expect(try await Self.versions(store) == before)

            // A course and an offering left out are withdrawn; a changed one is updated.
            let smaller = Self.file(
                courses: [Self.course("VA-1", name: "Verklarende Analyse, herzien"), Self.course("MST-1", name: "MST basis")],
                offerings: [Self.offering("VA-1-A", course: "VA-1")])
            let third = try await store.academy.importCatalogue(CatalogueParser.parse(json: smaller), organisation: altra.id, by: nil, source: .command, allowWithdraw: true)
            #expect(third.courses.updated == 1 && third.courses.unchanged == 1 && third.courses.withdrawn == 1)
            #expect(third.offerings.withdrawn == 1)
            #expect(try await store.academy.courses(page: 1, pageSize: 10).total == 2)
            // Another organisation's catalogue is untouched by Altra's imports.
            let cordaan = try await Self.organisation(store, "cordaan")
            _ = try await store.academy.importCatalogue(CatalogueParser.parse(json: Self.file(courses: [Self.course("VA-1")], offerings: [])),
                                                        organisation: cordaan.id, by: nil, source: .command, allowWithdraw: false)
            _ = try await store.academy.importCatalogue(CatalogueParser.parse(json: smaller), organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(try await store.academy.courses(page: 1, pageSize: 10, organisation: cordaan.id).total == 1)
        }
    }

    @Test func theSameShapeAsCSV() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.organisation(store, "altra")
            let csv = """
                course_code;name;description;format;topics;register;points;price;offering_code;start_date;end_date;max_students;sessions
                VA-1;Verklarende Analyse;"Methodisch werken; samen met het gezin";classroom;Verklarende Analyse|methodisch;SKJ;12;"125,50";VA-1-A;2027-04-01;2027-04-15;12;2027-04-01T09:00:00+02:00/2027-04-01T16:00:00+02:00
                VA-1;Verklarende Analyse;"Methodisch werken; samen met het gezin";classroom;;;;;VA-1-B;2027-06-01;2027-06-15;12;
                MST-1;MST basis;Over MST;hoorcollege;;;;;;;;;
                SOS-1;Signs of Safety;Veiligheid;online_live;;;;;SOS-1-A;2027-06-01;2027-05-01;10;
                """
            let catalogue = CatalogueParser.parse(csv: csv)
            #expect(catalogue.courses.map(\.primaryCode) == ["VA-1", "SOS-1"])
            #expect(catalogue.courses[0].topics == ["Verklarende Analyse", "methodisch"])
            #expect(catalogue.courses[0].priceCents == 12_550)
            #expect(catalogue.offerings.map(\.primaryCode) == ["VA-1-A", "VA-1-B"])
            #expect(catalogue.rejected.map(\.location) == ["regel 4", "regel 5"])
            let report = try await store.academy.importCatalogue(catalogue, organisation: altra.id, by: nil, source: .upload, allowWithdraw: false)
            #expect(report.courses.inserted == 2 && report.offerings.inserted == 2)
        }
    }

    @Test func aLargeCatalogueImportsInOneGo() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await Self.organisation(store, "altra")
            let courses = (0..<5000).map { Self.course(String(format: "C-%05d", $0), name: "Cursus \($0) over jeugdhulp") }
            let offerings = (0..<5000).map { Self.offering(String(format: "C-%05d-A", $0), course: String(format: "C-%05d", $0)) }
            let catalogue = CatalogueParser.parse(json: Self.file(courses: courses, offerings: offerings))
            #expect(catalogue.rejected.isEmpty)
            let report = try await store.academy.importCatalogue(catalogue, organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(report.courses.inserted == 5000)
            #expect(report.offerings.inserted == 5000)
            let again = try await store.academy.importCatalogue(catalogue, organisation: altra.id, by: nil, source: .command, allowWithdraw: false)
            #expect(again.courses.unchanged == 5000 && again.offerings.unchanged == 5000)
        }
    }
}
