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
        var known = Set(catalogue.courses.map(\.primaryCode))
        for (index, item) in offeringItems.enumerated() {
            let location = "offerings[\(index)]"
            guard var object = item as? [String: Any] else {
                catalogue.rejected.append(.init(location: location, code: nil, reason: "Een uitvoering moet een object zijn."))
                continue
            }
            // The course as OOAPI names it (courseId), by its primary code, or expanded
            // (the whole Course object, as the spec allows): then it counts as a course
            // of the file, unless the file lists it itself.
            if let expanded = object["course"] as? [String: Any] {
                if let code = primaryCode(expanded["primaryCode"]) {
                    object["course"] = code
                    catalogue.namedCourseCodes.insert(code)
                    if !seenCourses.contains(code), case .success(let course) = course(expanded) {
                        seenCourses.insert(code)
                        catalogue.courses.append(course)
                        known.insert(code)
                    }
                } else if let id = expanded["courseId"] as? String {
                    object["course"] = courseIDs[id.lowercased()] ?? id
                }
            }
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
        // An offering that repeats its course's name or description (as OOAPI reads
        // them back) has none of its own: what is read back imports again unchanged.
        let byCode = Dictionary(catalogue.courses.map { ($0.primaryCode, $0) }, uniquingKeysWith: { first, _ in first })
        for index in catalogue.offerings.indices {
            guard let course = byCode[catalogue.offerings[index].courseCode] else { continue }
            if catalogue.offerings[index].names == course.ooapiNames { catalogue.offerings[index].names = [] }
            if catalogue.offerings[index].descriptions == course.ooapiDescriptions { catalogue.offerings[index].descriptions = [] }
        }
        if catalogue.namedCourseCodes.isEmpty { catalogue.unreadable = true }
        return catalogue
    }

    struct Problem: Error { let reason: String }

    /// An OOAPI offering, not a course: it has an offeringId or offeringType, or the
    /// course it belongs to and a start date (a Course has neither).
    static func isOffering(_ item: Any) -> Bool {
        guard let object = item as? [String: Any] else { return false }
        return object["offeringId"] != nil || object["offeringType"] != nil || (object["course"] != nil && object["startDate"] != nil)
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

    /// Every language of a LanguageTypedString array, with its tag put in OOAPI's case
    /// and its value as sent (a description's last line break too: read back equal); a
    /// plain string is one Dutch text.
    static func allTexts(_ value: Any?, field: String) -> Result<[LocalizedText], Problem> {
        if let plain = value as? String {
            let text = plain.trimmingCharacters(in: .whitespacesAndNewlines)
            return .success(text.isEmpty ? [] : [LocalizedText(language: "nl-NL", value: text)])
        }
        guard let items = value as? [Any] else { return .success([]) }
        var out: [LocalizedText] = []
        for (index, item) in items.enumerated() {
            guard let entry = item as? [String: Any], let text = entry["value"] as? String else {
                return .failure(Problem(reason: "\(field)[\(index)] moet {\"language\": \"nl-NL\", \"value\": \"...\"} zijn."))
            }
            guard let language = (entry["language"] as? String).flatMap(LocalizedText.normalisedTag) else {
                return .failure(Problem(reason: "\(field)[\(index)].language is geen taalcode als nl-NL of en-GB."))
            }
            if !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { out.append(LocalizedText(language: language, value: text)) }
        }
        return .success(out)
    }

    /// A course's texts in every language; empty for a plain string or a single Dutch
    /// text, which the course's own column (`text`) holds.
    static func texts(_ value: Any?, field: String) -> Result<[LocalizedText], Problem> {
        allTexts(value, field: field).map { out in
            out.count == 1 && out[0].language == "nl-NL" && out[0].value == out[0].value.trimmingCharacters(in: .whitespacesAndNewlines) ? [] : out
        }
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
        let names: [LocalizedText], descriptions: [LocalizedText]
        switch (texts(object["name"], field: "name"), texts(object["description"], field: "description")) {
        case (.success(let n), .success(let d)): (names, descriptions) = (n, d)
        case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
        }
        if names.contains(where: { !(2...300).contains($0.value.count) }) || descriptions.contains(where: { $0.value.count > 20_000 }) {
            return .failure(Problem(reason: "Een name is 2 tot 300 tekens, een description hoogstens 20000."))
        }
        var teachingLanguage = "nld"
        if let given = object["teachingLanguage"] as? String, !given.isEmpty {
            guard let code = TeachingLanguage.iso6392(given) else {
                return .failure(Problem(reason: "teachingLanguage is een taalcode volgens ISO 639-2, zoals nld of eng."))
            }
            teachingLanguage = code
        }
        var level: String?
        if let given = (object["level"] as? String)?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            guard let known = CourseRecord.levels.first(where: { $0.caseInsensitiveCompare(given) == .orderedSame }) else {
                return .failure(Problem(reason: "level kent \(given) niet: gebruik een OOAPI-niveau zoals undefined, bachelor of secondary vocational education."))
            }
            level = known
        }
        // An ISO 8601 duration (P3D) goes to OOAPI consumers too; a text ("2 dagen") only to the site.
        let duration = (object["duration"] as? String).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : String($0.prefix(50)) }
        var studyLoad: StudyLoad?
        if let given = object["studyLoad"], !(given is NSNull) {
            guard let load = given as? [String: Any], let unit = load["studyLoadUnit"] as? String, StudyLoad.units.contains(unit),
                  let value = number(load["value"]), value >= 0, value < 1_000_000 else {
                return .failure(Problem(reason: "studyLoad is {\"studyLoadUnit\": \"ects\" (of contacttime, sbu, sp, hour), \"value\": 3}."))
            }
            studyLoad = StudyLoad(studyLoadUnit: unit, value: value)
        }
        var modes: [String] = []
        for mode in strings(object["modeOfDelivery"]) where !modes.contains(mode) {
            guard CourseRecord.Format.modesOfDelivery.contains(mode) else {
                return .failure(Problem(reason: "modeOfDelivery kent \(mode) niet (distance-learning, on campus, online, hybrid, situated)."))
            }
            modes.append(mode)
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
        if let link, !link.isEmpty, !WebAddress.isValid(link) {
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
            primaryCode: code, name: name, description: description, names: names, descriptions: descriptions,
            abbreviation: (object["abbreviation"] as? String).flatMap { $0.isEmpty ? nil : String($0.prefix(256)) },
            teachingLanguage: teachingLanguage, level: level, format: format, duration: duration,
            link: (link ?? "").isEmpty ? nil : link, enrolsHere: enrolment == "doorstroom",
            topics: strings(ext["topics"]), targetFunctions: functions, targetDisciplines: disciplines, studyHours: studyHours,
            register: register, points: points, accreditationNumber: accreditationNumber, priceCents: priceCents, studyLoad: studyLoad,
            // The one mode the format implies is not kept twice.
            modesOfDelivery: modes == [format.modeOfDelivery] ? [] : modes))
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
        // An offering keeps every text it sent, a single Dutch one too (it has no column for it).
        let ownNames: [LocalizedText], ownDescriptions: [LocalizedText]
        switch (allTexts(object["name"], field: "name"), allTexts(object["description"], field: "description")) {
        case (.success(let n), .success(let d)): (ownNames, ownDescriptions) = (n, d)
        case (.failure(let problem), _), (_, .failure(let problem)): return .failure(problem)
        }
        if ownNames.contains(where: { $0.value.count > 300 }) || ownDescriptions.contains(where: { $0.value.count > 20_000 }) {
            return .failure(Problem(reason: "Een name is hoogstens 300 tekens, een description hoogstens 20000."))
        }
        let addresses: [OfferingAddress]
        switch self.addresses(object["addresses"]) {
        case .success(let list): addresses = list
        case .failure(let problem): return .failure(problem)
        }
        let prices: [OfferingCost]
        switch self.prices(object["priceInformation"]) {
        case .success(let list): prices = list
        case .failure(let problem): return .failure(problem)
        }
        let link = (object["link"] as? String)?.trimmingCharacters(in: .whitespaces)
        if let link, !link.isEmpty, !WebAddress.isValid(link) {
            return .failure(Problem(reason: "link moet een http(s)-adres zijn."))
        }
        let ext = object["ext"] as? [String: Any] ?? [:]
        var place = (ext["place"] as? String)?.trimmingCharacters(in: .whitespaces)
        if place == nil || place!.isEmpty, let address = addresses.first(where: { $0.addressType == "teaching" }) ?? addresses.first {
            place = address.text
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
            maxStudents: maximum, place: (place ?? "").isEmpty ? nil : String(place!.prefix(300)), sessions: sessions.sorted { $0.start < $1.start },
            names: ownNames, descriptions: ownDescriptions, addresses: addresses, priceInformation: prices,
            link: (link ?? "").isEmpty ? nil : link))
    }

    /// OOAPI addresses; `addressType` defaults to teaching.
    static func addresses(_ value: Any?) -> Result<[OfferingAddress], Problem> {
        guard let value, !(value is NSNull) else { return .success([]) }
        guard let items = value as? [Any], items.count <= 20 else { return .failure(Problem(reason: "addresses is een lijst van hoogstens 20 adressen.")) }
        var out: [OfferingAddress] = []
        for (index, item) in items.enumerated() {
            let field = "addresses[\(index)]"
            guard let entry = item as? [String: Any] else { return .failure(Problem(reason: "\(field) moet een object zijn.")) }
            func given(_ key: String) -> String? {
                (entry[key] as? String).map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
            }
            let type = given("addressType") ?? "teaching"
            guard OfferingAddress.types.contains(type) else {
                return .failure(Problem(reason: "\(field).addressType is postal, visit, deliveries, billing of teaching."))
            }
            var address = OfferingAddress(addressType: type, street: given("street"), streetNumber: given("streetNumber"),
                                          postalCode: given("postalCode"), city: given("city"), countryCode: given("countryCode")?.uppercased())
            if let country = address.countryCode, country.wholeMatch(of: /[A-Z]{2}/) == nil {
                return .failure(Problem(reason: "\(field).countryCode is een landcode van twee letters (ISO 3166-1), zoals NL."))
            }
            if entry["additional"] != nil {
                switch allTexts(entry["additional"], field: "\(field).additional") {
                case .success(let list): address.additional = list.isEmpty ? nil : list
                case .failure(let problem): return .failure(problem)
                }
            }
            if let location = entry["geolocation"] as? [String: Any] {
                guard let latitude = number(location["latitude"]), let longitude = number(location["longitude"]),
                      (-90...90).contains(latitude), (-180...180).contains(longitude) else {
                    return .failure(Problem(reason: "\(field).geolocation heeft latitude en longitude (WGS84)."))
                }
                address.geolocation = .init(latitude: latitude, longitude: longitude)
            }
            out.append(address)
        }
        return .success(out)
    }

    /// An amount as OOAPI writes it: digits with an optional decimal point.
    static func ooapiAmount(_ value: Any?) -> String?? {
        guard let value, !(value is NSNull) else { return .some(nil) }
        if let text = value as? String, text.wholeMatch(of: /\d+(\.\d+)?/) != nil { return .some(text) }
        if type(of: value) != Bool.self, let number = value as? NSNumber, number.doubleValue >= 0 {
            let double = number.doubleValue
            return .some(double == double.rounded() && double < 1e15 ? String(Int(double)) : String(format: "%.2f", double))
        }
        return nil
    }

    /// OOAPI priceInformation: Cost lines.
    static func prices(_ value: Any?) -> Result<[OfferingCost], Problem> {
        guard let value, !(value is NSNull) else { return .success([]) }
        guard let items = value as? [Any], items.count <= 20 else { return .failure(Problem(reason: "priceInformation is een lijst van hoogstens 20 bedragen.")) }
        var out: [OfferingCost] = []
        for (index, item) in items.enumerated() {
            let field = "priceInformation[\(index)]"
            guard let entry = item as? [String: Any], let type = (entry["costType"] as? String)?.trimmingCharacters(in: .whitespaces),
                  (1...100).contains(type.count) else {
                return .failure(Problem(reason: "\(field) heeft een costType nodig, zoals total costs."))
            }
            guard let amount = ooapiAmount(entry["amount"]), let vat = ooapiAmount(entry["vatAmount"]), let net = ooapiAmount(entry["amountWithoutVat"]) else {
                return .failure(Problem(reason: "\(field): een bedrag is cijfers met hoogstens één punt, zoals 340.84."))
            }
            var cost = OfferingCost(costType: type, amount: amount, currency: (entry["currency"] as? String)?.uppercased())
            if let currency = cost.currency, currency.wholeMatch(of: /[A-Z]{3}/) == nil {
                return .failure(Problem(reason: "\(field).currency is een ISO 4217-code, zoals EUR."))
            }
            cost.vatAmount = vat
            cost.amountWithoutVat = net
            if entry["displayAmount"] != nil {
                switch allTexts(entry["displayAmount"], field: "\(field).displayAmount") {
                case .success(let list): cost.displayAmount = list.isEmpty ? nil : list
                case .failure(let problem): return .failure(problem)
                }
            }
            out.append(cost)
        }
        return .success(out)
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
