import Foundation

/// Reads an organisation's catalogue in the uniform format (docs/academy-format.md):
/// OOAPI v5 JSON, or the same fields as CSV. Never stops at the first bad record:
/// each is reported with its place in the file and the reason, in Dutch.
public enum CatalogueParser {
    public static let maximumRecords = 20_000

    // MARK: JSON

    public static func parse(json data: Data) -> Catalogue {
        var catalogue = Catalogue()
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: data)
        } catch {
            catalogue.rejected.append(.init(location: "bestand", code: nil, reason: "Dit is geen geldige JSON."))
            catalogue.unreadable = true
            return catalogue
        }
        var courseItems: [Any] = []
        var offeringItems: [Any] = []
        if let object = root as? [String: Any] {
            if let courses = object["courses"] as? [Any] { courseItems = courses }
            else if let items = object["items"] as? [Any] { courseItems = items }
            else if object["primaryCode"] != nil { courseItems = [object] }
            offeringItems = object["offerings"] as? [Any] ?? []
        } else if let array = root as? [Any] {
            courseItems = array
        }
        if courseItems.isEmpty && offeringItems.isEmpty {
            catalogue.rejected.append(.init(location: "bestand", code: nil, reason: "Geen cursussen gevonden: verwacht {\"courses\": [...], \"offerings\": [...]}."))
            catalogue.unreadable = true
            return catalogue
        }
        if courseItems.count + offeringItems.count > maximumRecords {
            catalogue.rejected.append(.init(location: "bestand", code: nil, reason: "Hoogstens \(maximumRecords) records per bestand."))
            catalogue.unreadable = true
            return catalogue
        }
        var courseIDs: [String: String] = [:]  // OOAPI courseId → primary code
        // An offerings page (OOAPI offerings: offeringId, offeringType) sent as a
        // catalogue is no catalogue: its items are not courses and withdraw nothing.
        let isOfferingsPage = !courseItems.isEmpty && courseItems.allSatisfy { Self.isOffering($0) }
        if isOfferingsPage {
            catalogue.rejected.append(.init(location: "bestand", code: nil, reason:
                "Dit is een pagina met uitvoeringen (offerings), geen catalogus: stuur de cursussen in \"courses\" en de uitvoeringen in \"offerings\"."))
            catalogue.unreadable = true
            return catalogue
        }
        var seenCourses: Set<String> = []
        var seenOfferings: Set<[String]> = []
        for (index, item) in courseItems.enumerated() {
            let location = "courses[\(index)]"
            guard let object = item as? [String: Any] else {
                catalogue.rejected.append(.init(location: location, code: nil, reason: "Een cursus moet een object zijn."))
                continue
            }
            if Self.isOffering(object) {
                // Its code is an offering's, not a course's: it must not keep a course alive either.
                catalogue.rejected.append(.init(location: location, code: primaryCode(object["primaryCode"]),
                                                reason: "Dit is een uitvoering (offering), geen cursus: zet hem in \"offerings\"."))
                continue
            }
            if let code = primaryCode(object["primaryCode"]) {
                catalogue.namedCourseCodes.insert(code)
                if let id = object["courseId"] as? String { courseIDs[id.lowercased()] = code }
            }
            switch course(object) {
            case .success(let course):
                if !seenCourses.insert(course.primaryCode).inserted {
                    catalogue.rejected.append(.init(location: location, code: course.primaryCode, reason: "Deze code komt al eerder in het bestand voor."))
                } else {
                    catalogue.courses.append(course)
                }
            case .failure(let problem):
                catalogue.rejected.append(.init(location: location, code: primaryCode(object["primaryCode"]), reason: problem.reason))
            }
        }
        let known = Set(catalogue.courses.map(\.primaryCode))
        for (index, item) in offeringItems.enumerated() {
            let location = "offerings[\(index)]"
            guard var object = item as? [String: Any] else {
                catalogue.rejected.append(.init(location: location, code: nil, reason: "Een uitvoering moet een object zijn."))
                continue
            }
            // The course as OOAPI names it (courseId) or by its primary code.
            if let reference = object["course"] as? String, let code = courseIDs[reference.lowercased()] { object["course"] = code }
            switch offering(object, isKnownCourse: known.contains) {
            case .success(let offering):
                if !seenOfferings.insert([offering.courseCode, offering.primaryCode]).inserted {
                    catalogue.rejected.append(.init(location: location, code: offering.primaryCode, reason: "Deze uitvoering komt al eerder in het bestand voor."))
                } else {
                    catalogue.offerings.append(offering)
                }
            case .failure(let problem):
                catalogue.rejected.append(.init(location: location, code: primaryCode(object["primaryCode"]), reason: problem.reason))
            }
        }
        if catalogue.namedCourseCodes.isEmpty { catalogue.unreadable = true }
        return catalogue
    }

    struct Problem: Error { let reason: String }

    /// An OOAPI offering, not a course: it has an offeringId or offeringType.
    static func isOffering(_ item: Any) -> Bool {
        guard let object = item as? [String: Any] else { return false }
        return object["offeringId"] != nil || object["offeringType"] != nil
    }

    /// `{"codeType": "...", "code": "..."}` or a plain string.
    static func primaryCode(_ value: Any?) -> String? {
        let code = (value as? [String: Any])?["code"] as? String ?? value as? String
        guard let code = code?.trimmingCharacters(in: .whitespaces), (1...100).contains(code.count) else { return nil }
        return code
    }

    /// A LanguageTypedString array (`[{"language": "nl-NL", "value": "..."}]`), Dutch
    /// first, or a plain string.
    static func text(_ value: Any?) -> String? {
        if let plain = value as? String { return plain.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let items = value as? [[String: Any]], !items.isEmpty else { return nil }
        let dutch = items.first { ($0["language"] as? String)?.lowercased().hasPrefix("nl") == true }
        return ((dutch ?? items[0])["value"] as? String)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func strings(_ value: Any?) -> [String] {
        if let single = value as? String { return single.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } }
        return (value as? [Any] ?? []).compactMap { ($0 as? String)?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func number(_ value: Any?) -> Double? {
        // A JSON true/false is a Bool; `is Bool` would also match the numbers 0 and 1.
        if let value, type(of: value) == Bool.self { return nil }
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String { return Double(text.replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces)) }
        return nil
    }

    static func course(_ object: [String: Any]) -> Result<CourseRecord, Problem> {
        guard let code = primaryCode(object["primaryCode"]) else {
            return .failure(Problem(reason: "primaryCode ontbreekt (de eigen code van de aanbieder, 1 tot 100 tekens)."))
        }
        guard let name = text(object["name"]), (2...300).contains(name.count) else {
            return .failure(Problem(reason: "name ontbreekt of is te lang (2 tot 300 tekens)."))
        }
        guard let description = text(object["description"]), (1...20_000).contains(description.count) else {
            return .failure(Problem(reason: "description ontbreekt."))
        }
        let ext = object["ext"] as? [String: Any] ?? [:]
        let format: CourseRecord.Format
        if let given = ext["format"] as? String {
            guard let known = CourseRecord.Format(rawValue: given) else {
                return .failure(Problem(reason: "ext.format moet classroom, online_live, e_learning of blended zijn."))
            }
            format = known
        } else if let known = CourseRecord.Format(modeOfDelivery: strings(object["modeOfDelivery"])) {
            format = known
        } else {
            return .failure(Problem(reason: "De vorm ontbreekt: geef ext.format of modeOfDelivery."))
        }
        let link = (object["link"] as? String)?.trimmingCharacters(in: .whitespaces)
        if let link, !link.isEmpty, !(link.hasPrefix("https://") || link.hasPrefix("http://")) || link.count > 2048 || link.contains(" ") {
            return .failure(Problem(reason: "link moet een http(s)-adres zijn."))
        }
        let enrolment = (ext["enrolment"] as? String) ?? "doorstroom"
        guard enrolment == "doorstroom" || enrolment == "provider" else {
            return .failure(Problem(reason: "ext.enrolment moet doorstroom of provider zijn."))
        }
        if enrolment == "provider" && (link ?? "").isEmpty {
            return .failure(Problem(reason: "Inschrijven bij de aanbieder zelf (ext.enrolment = provider) vraagt om een link."))
        }
        var register: CourseRecord.AccreditationRegister?
        var points: Double?
        var accreditationNumber: String?
        if let accreditation = ext["accreditation"] as? [String: Any] {
            guard let name = accreditation["register"] as? String, let known = CourseRecord.AccreditationRegister(rawValue: name.uppercased()) else {
                return .failure(Problem(reason: "ext.accreditation.register moet SKJ, NIP, NVO of BIG zijn."))
            }
            guard let value = number(accreditation["points"]), (0...200).contains(value) else {
                return .failure(Problem(reason: "ext.accreditation.points moet een getal van 0 tot 200 zijn."))
            }
            register = known
            points = value
            accreditationNumber = (accreditation["number"] as? String)?.trimmingCharacters(in: .whitespaces)
        }
        let studyHours = number(ext["studyHours"])
        if let studyHours, !(0...2000).contains(studyHours) {
            return .failure(Problem(reason: "ext.studyHours moet een getal van 0 tot 2000 zijn."))
        }
        var priceCents: Int?
        if let price = ext["price"] {
            let amount = number((price as? [String: Any])?["amount"] ?? price)
            guard let amount, amount >= 0, amount < 100_000 else {
                return .failure(Problem(reason: "ext.price moet een bedrag in euro zijn (0 of meer)."))
            }
            priceCents = Int((amount * 100).rounded())
        }
        let functions = strings(ext["targetFunctions"])
        let disciplines = strings(ext["targetDisciplines"]).map { $0.lowercased() }
        if let wrong = disciplines.first(where: { Discipline(rawValue: $0) == nil }) {
            return .failure(Problem(reason: "ext.targetDisciplines kent \(wrong) niet (jeugdhulp, ggz, lvb, jeugdbescherming)."))
        }
        return .success(CourseRecord(
            primaryCode: code, name: name, description: description,
            abbreviation: (object["abbreviation"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(256)) },
            teachingLanguage: (object["teachingLanguage"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(20)) } ?? "nl-NL",
            level: (object["level"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(100)) }, format: format,
            duration: (object["duration"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(50)) },
            link: (link ?? "").isEmpty ? nil : link, enrolsHere: enrolment == "doorstroom",
            topics: strings(ext["topics"]), targetFunctions: functions, targetDisciplines: disciplines, studyHours: studyHours,
            register: register, points: points, accreditationNumber: accreditationNumber, priceCents: priceCents))
    }

    static func day(_ value: Any?) -> Day? {
        guard let text = value as? String else { return nil }
        return Day(iso: String(text.prefix(10)))
    }

    static func instant(_ value: Any?) -> Date? {
        guard let text = value as? String else { return nil }
        // The format style parses without ICU date formatters (thousands of sessions per file).
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { return date }
        return try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func offering(_ object: [String: Any], isKnownCourse: (String) -> Bool) -> Result<OfferingRecord, Problem> {
        guard let code = primaryCode(object["primaryCode"]) else {
            return .failure(Problem(reason: "primaryCode ontbreekt."))
        }
        let course = primaryCode(object["course"])
        guard let course, isKnownCourse(course) else {
            return .failure(Problem(reason: "course verwijst niet naar een (goede) cursus in dit bestand."))
        }
        guard let start = day(object["startDate"]), let end = day(object["endDate"]) else {
            return .failure(Problem(reason: "startDate en endDate zijn nodig, als JJJJ-MM-DD."))
        }
        guard start <= end else { return .failure(Problem(reason: "endDate ligt voor startDate.")) }
        let enrollStart = day(object["enrollStartDate"]), enrollEnd = day(object["enrollEndDate"])
        if object["enrollStartDate"] != nil && enrollStart == nil || object["enrollEndDate"] != nil && enrollEnd == nil {
            return .failure(Problem(reason: "enrollStartDate en enrollEndDate zijn datums als JJJJ-MM-DD."))
        }
        if let enrollStart, let enrollEnd, enrollEnd < enrollStart {
            return .failure(Problem(reason: "enrollEndDate ligt voor enrollStartDate."))
        }
        var maximum: Int?
        if let value = object["maxNumberStudents"], !(value is NSNull) {
            guard let number = number(value), number >= 0, number <= 10_000, number == number.rounded() else {
                return .failure(Problem(reason: "maxNumberStudents moet een geheel getal van 0 tot 10000 zijn."))
            }
            maximum = Int(number)
        }
        let ext = object["ext"] as? [String: Any] ?? [:]
        var place = (ext["place"] as? String)?.trimmingCharacters(in: .whitespaces)
        if place == nil || place!.isEmpty, let address = (object["addresses"] as? [[String: Any]])?.first {
            place = [address["street"], address["city"]].compactMap { $0 as? String }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        var sessions: [OfferingRecord.Session] = []
        for (index, item) in (ext["sessions"] as? [Any] ?? []).enumerated() {
            guard let session = item as? [String: Any], let from = instant(session["start"]), let until = instant(session["end"]), until > from else {
                return .failure(Problem(reason: "ext.sessions[\(index)] heeft een start en een later einde nodig (ISO 8601 met tijdzone)."))
            }
            sessions.append(.init(start: from, end: until))
        }
        return .success(OfferingRecord(
            primaryCode: code, courseCode: course, startDate: start, endDate: end, enrollStartDate: enrollStart, enrollEndDate: enrollEnd,
            maxStudents: maximum, place: (place ?? "").isEmpty ? nil : String(place!.prefix(300)), sessions: sessions.sorted { $0.start < $1.start }))
    }

    // MARK: CSV (and the course form, whose fields have the same names)

    /// A field's value, trimmed; nil when empty.
    static func field(_ values: [String: String], _ name: String) -> String? {
        values[name].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A course from fields named as the CSV columns: a CSV line, or the course form.
    public static func course(fields value: [String: String]) -> Result<CourseRecord, Catalogue.Rejection> {
        func given(_ name: String) -> String? { field(value, name) }
        var ext: [String: Any] = [:]
        ext["format"] = given("format")
        ext["enrolment"] = given("enrolment")
        ext["topics"] = given("topics")
        ext["targetFunctions"] = given("target_functions")
        ext["targetDisciplines"] = given("target_disciplines")
        ext["studyHours"] = given("study_hours")
        ext["price"] = given("price")
        if given("register") != nil || given("points") != nil {
            ext["accreditation"] = ["register": given("register") ?? "", "points": given("points") ?? "", "number": given("accreditation_number") ?? ""]
        }
        var object: [String: Any] = ["ext": ext]
        object["primaryCode"] = given("course_code")
        object["name"] = given("name")
        object["description"] = given("description")
        object["abbreviation"] = given("abbreviation")
        object["level"] = given("level")
        object["duration"] = given("duration")
        object["link"] = given("link")
        return course(object).mapError { Catalogue.Rejection(location: "", code: given("course_code"), reason: $0.reason) }
    }

    /// An offering of `course` from fields named as the CSV columns.
    public static func offering(
        fields value: [String: String], course: String, isKnownCourse: (String) -> Bool = { _ in true }
    ) -> Result<OfferingRecord, Catalogue.Rejection> {
        func given(_ name: String) -> String? { field(value, name) }
        var object: [String: Any] = ["course": course]
        object["primaryCode"] = given("offering_code")
        object["startDate"] = given("start_date")
        object["endDate"] = given("end_date")
        object["enrollStartDate"] = given("enroll_start_date")
        object["enrollEndDate"] = given("enroll_end_date")
        object["maxNumberStudents"] = given("max_students")
        var ext: [String: Any] = [:]
        ext["place"] = given("place")
        if let sessions = given("sessions") {
            ext["sessions"] = sessions.split(separator: "|").map { pair -> [String: String] in
                let parts = pair.split(separator: "/", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                return ["start": parts.first ?? "", "end": parts.count > 1 ? parts[1] : ""]
            }
        }
        object["ext"] = ext
        return offering(object, isKnownCourse: isKnownCourse).mapError { Catalogue.Rejection(location: "", code: given("offering_code"), reason: $0.reason) }
    }

    /// The CSV columns: one line per offering (or per course without offerings); the
    /// course fields repeat on each line of the same course.
    public static let csvColumns = [
        "course_code", "name", "description", "abbreviation", "level", "format", "duration", "link", "enrolment", "topics",
        "target_functions", "target_disciplines", "study_hours", "register", "points", "accreditation_number", "price",
        "offering_code", "start_date", "end_date", "enroll_start_date", "enroll_end_date", "max_students", "place", "sessions",
    ]

    public static func parse(csv text: String) -> Catalogue {
        let rows = CSVText.records(text)
        var catalogue = Catalogue()
        guard let header = rows.first?.fields.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else {
            catalogue.rejected.append(.init(location: "regel 1", code: nil, reason: "Het bestand is leeg."))
            catalogue.unreadable = true
            return catalogue
        }
        for required in ["course_code", "name", "description", "format"] where !header.contains(required) {
            catalogue.rejected.append(.init(location: "regel 1", code: nil, reason: "Kolom \(required) ontbreekt."))
        }
        guard catalogue.rejected.isEmpty else {
            catalogue.unreadable = true
            return catalogue
        }
        var courseLines: [String: Int] = [:]  // the courses read so far, by code
        var courseRejected: Set<String> = []
        var seenOfferings: Set<[String]> = []
        for row in rows.dropFirst() where !row.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            var value: [String: String] = [:]
            for (index, name) in header.enumerated() where index < row.fields.count {
                value[name] = row.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func given(_ name: String) -> String? { value[name].flatMap { $0.isEmpty ? nil : $0 } }
            let location = "regel \(row.line)"
            let code = given("course_code")
            if let code { catalogue.namedCourseCodes.insert(code) }
            // The course, the first time its code appears.
            if let code, courseLines[code] == nil, !courseRejected.contains(code) {
                switch course(fields: value) {
                case .success(let course):
                    catalogue.courses.append(course)
                    courseLines[code] = row.line
                case .failure(let problem):
                    catalogue.rejected.append(.init(location: location, code: code, reason: problem.reason))
                    courseRejected.insert(code)
                    continue
                }
            } else if code == nil {
                catalogue.rejected.append(.init(location: location, code: nil, reason: "course_code ontbreekt."))
                continue
            } else if courseRejected.contains(code!) {
                continue
            }
            guard let offeringCode = given("offering_code") else { continue }
            switch offering(fields: value, course: code!, isKnownCourse: { courseLines[$0] != nil }) {
            case .success(let offering):
                if !seenOfferings.insert([offering.courseCode, offering.primaryCode]).inserted {
                    catalogue.rejected.append(.init(location: location, code: offeringCode, reason: "Deze uitvoering komt al eerder in het bestand voor."))
                } else {
                    catalogue.offerings.append(offering)
                }
            case .failure(let problem):
                catalogue.rejected.append(.init(location: location, code: offeringCode, reason: problem.reason))
            }
        }
        if catalogue.namedCourseCodes.isEmpty {
            catalogue.rejected.append(.init(location: "regel 2", code: nil, reason: "Er staan geen cursussen in het bestand."))
            catalogue.unreadable = true
        }
        return catalogue
    }
}
