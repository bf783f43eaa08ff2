import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/cursussen/nieuw` and `/beheer/cursussen/cursus/:id`: one course and its
/// offerings in a form, besides whole catalogue imports. The form's fields carry the
/// CSV columns' names and pass the same checks as a file's records. A course made here
/// is never withdrawn by a file import that does not name it.
struct HRCourseFormController: RouteCollection {
    let store: Store
    let views: Views

    struct CoursePage: Sendable {
        struct Check: Sendable { let value: String; let label: String; let checked: Bool }
        struct OfferingLine: Sendable {
            let id: String; let code: String; let dates: String; let place: String?; let places: String; let enrolled: Int
            let withdrawn: Bool; let ended: Bool; let editLink: String
        }
        let chrome: Chrome
        let id: String?
        let heading: String
        let action: String
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let organisations: [Option]
        let showOrganisation: Bool
        /// A new course of the adviser's only organisation.
        let onlyOrganisation: String?
        let code: Input
        let name: Input
        let description: Field
        let formats: [Option]
        let enrolments: [Option]
        let link: Input
        let duration: Input
        let level: Input
        let topics: Input
        let functions: [Check]
        let disciplines: [Check]
        let studyHours: Input
        let registers: [Option]
        let points: Input
        let accreditationNumber: Input
        let price: Input
        let offerings: [OfferingLine]
        let hasOfferings: Bool
        let showEnded: Bool
        let endedLink: String
    }

    struct OfferingPage: Sendable {
        let chrome: Chrome
        let courseID: String
        let courseName: String
        let action: String
        let heading: String
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let code: Input
        let start: Input
        let end: Input
        let enrollStart: Input
        let enrollEnd: Input
        let places: Input
        let place: Input
        let sessions: Field
    }

    static let courseFields = ["course_code", "name", "description", "format", "enrolment", "link", "duration", "level", "topics",
                               "study_hours", "register", "points", "accreditation_number", "price"]
    static let offeringFields = ["offering_code", "start_date", "end_date", "enroll_start_date", "enroll_end_date", "max_students", "place", "sessions"]

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/cursussen").add(middleware: RequireRole(.hrAdviser))
            .get("nieuw", use: newCourse)
            .post("nieuw", use: createCourse)
            .get("cursus/:id", use: editCourse)
            .post("cursus/:id", use: updateCourse)
            .post("cursus/:id/terugtrekken", use: withdrawCourse)
            .get("cursus/:id/uitvoeringen/nieuw", use: newOffering)
            .post("cursus/:id/uitvoeringen/nieuw", use: createOffering)
            .get("cursus/:id/uitvoeringen/:offering", use: editOffering)
            .post("cursus/:id/uitvoeringen/:offering", use: updateOffering)
            .post("cursus/:id/uitvoeringen/:offering/terugtrekken", use: withdrawOffering)
    }

    // MARK: - Courses

    /// GET /beheer/cursussen/nieuw
    @Sendable func newCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await coursePage(context, account, id: nil, values: ["format": "classroom", "enrolment": "doorstroom"], errors: nil, status: .ok)
    }

    /// POST /beheer/cursussen/nieuw
    @Sendable func createCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let values = Self.values(form)
        switch Self.record(values) {
        case .failure(let errors):
            return try await coursePage(context, account, id: nil, values: values, form: form, errors: errors, status: .unprocessableContent)
        case .success(let record):
            do {
                guard let id = try await store.academy.saveCourse(record, id: nil, organisation: organisation.id, by: account.id) else { throw HTTPError(.notFound) }
                return Response.redirect(to: "/beheer/cursussen/cursus/\(id.lowercased)?gelukt=opgeslagen", type: .normal)
            } catch AcademyStore.FormFailure.courseCodeTaken {
                return try await coursePage(context, account, id: nil, values: values, form: form,
                                            errors: ValidationErrors(field: "course_code", message: "Je organisatie heeft al een cursus met deze code."), status: .conflict)
            }
        }
    }

    /// GET /beheer/cursussen/cursus/:id
    @Sendable func editCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "opgeslagen": "De cursus is opgeslagen en staat in de catalogus."
        case "uitvoering": "De uitvoering is opgeslagen."
        case "teruggetrokken": "De uitvoering is teruggetrokken."
        default: nil
        }
        return try await coursePage(context, account, id: course.id, values: Self.values(of: course.record), errors: nil, notice: notice,
                                    showEnded: request.uri.queryParameters["afgelopen"] == "1", status: .ok)
    }

    /// POST /beheer/cursussen/cursus/:id
    @Sendable func updateCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        let form = try context.requireForm()
        let values = Self.values(form)
        switch Self.record(values) {
        case .failure(let errors):
            return try await coursePage(context, account, id: course.id, values: values, form: form, errors: errors, status: .unprocessableContent)
        case .success(let record):
            do {
                guard try await store.academy.saveCourse(record, id: course.id, organisation: try await organisationID(of: course, account), by: account.id) != nil
                else { throw HTTPError(.notFound) }
                return Response.redirect(to: "/beheer/cursussen/cursus/\(course.id.lowercased)?gelukt=opgeslagen", type: .normal)
            } catch AcademyStore.FormFailure.courseCodeTaken {
                return try await coursePage(context, account, id: course.id, values: values, form: form,
                                            errors: ValidationErrors(field: "course_code", message: "Je organisatie heeft al een cursus met deze code."), status: .conflict)
            }
        }
    }

    /// POST /beheer/cursussen/cursus/:id/terugtrekken (asks first)
    @Sendable func withdrawCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Cursus terugtrekken?",
                consequences: [
                    "\"\(course.record.name)\" verdwijnt uit de catalogus, met alle uitvoeringen.",
                    "Wie ingeschreven staat, houdt de inschrijving en hoort het als de terugtrekking een uur blijft staan.",
                ],
                action: "/beheer/cursussen/cursus/\(course.id.lowercased)/terugtrekken", button: "Ja, trek de cursus terug",
                cancel: "/beheer/cursussen/cursus/\(course.id.lowercased)"
            ).page(views, context)
        }
        guard try await store.academy.withdrawCourse(course.id, organisations: account.organisations(as: .hrAdviser), by: account.id) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/beheer/cursussen?gelukt=ingetrokken", type: .normal)
    }

    // MARK: - Offerings

    /// GET /beheer/cursussen/cursus/:id/uitvoeringen/nieuw
    @Sendable func newOffering(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        return try offeringPage(context, course, offering: nil, values: [:], errors: nil, status: .ok)
    }

    /// POST /beheer/cursussen/cursus/:id/uitvoeringen/nieuw
    @Sendable func createOffering(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await saveOffering(context, offering: nil)
    }

    /// GET /beheer/cursussen/cursus/:id/uitvoeringen/:offering
    @Sendable func editOffering(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        let offering = try await ownOffering(course, context)
        return try offeringPage(context, course, offering: offering.id, values: Self.values(of: offering.record), errors: nil, status: .ok)
    }

    /// POST /beheer/cursussen/cursus/:id/uitvoeringen/:offering
    @Sendable func updateOffering(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        return try await saveOffering(context, offering: try await ownOffering(course, context).id)
    }

    /// POST /beheer/cursussen/cursus/:id/uitvoeringen/:offering/terugtrekken (asks first)
    @Sendable func withdrawOffering(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        let offering = try await ownOffering(course, context)
        let path = "/beheer/cursussen/cursus/\(course.id.lowercased)"
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Uitvoering terugtrekken?",
                consequences: [
                    "De uitvoering \(offering.record.primaryCode) van \"\(course.record.name)\" (\(offering.record.startDate.dutch) t/m \(offering.record.endDate.dutch)) verdwijnt uit de catalogus.",
                    offering.enrolled > 0 ? "\(offering.enrolled) ingeschreven deelnemers houden hun inschrijving; laat ze zelf weten wat er verandert." : "Er staat nog niemand op ingeschreven.",
                ],
                action: "\(path)/uitvoeringen/\(offering.id.lowercased)/terugtrekken", button: "Ja, trek de uitvoering terug", cancel: path
            ).page(views, context)
        }
        guard try await store.academy.withdrawOffering(offering.id, course: course.id, organisations: account.organisations(as: .hrAdviser), by: account.id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "\(path)?gelukt=teruggetrokken", type: .normal)
    }

    // MARK: - Helpers

    private func saveOffering(_ context: AppRequestContext, offering: UUID?) async throws -> Response {
        let account = try context.requireAccount()
        let course = try await own(account, context)
        let form = try context.requireForm()
        let values = Self.offeringFields.reduce(into: [String: String]()) { $0[$1] = form[$1] }
        switch CatalogueParser.offering(fields: Self.offeringInput(values), course: course.record.primaryCode) {
        case .failure(let rejection):
            return try offeringPage(context, course, offering: offering, values: values,
                                    errors: ValidationErrors(field: Self.offeringField(for: rejection.reason), message: rejection.reason), status: .unprocessableContent)
        case .success(let record):
            do {
                guard try await store.academy.saveOffering(record, id: offering, course: course.id, organisations: account.organisations(as: .hrAdviser), by: account.id) != nil
                else { throw HTTPError(.notFound) }
            } catch AcademyStore.FormFailure.offeringCodeTaken {
                return try offeringPage(context, course, offering: offering, values: values,
                                        errors: ValidationErrors(field: "offering_code", message: "Deze cursus heeft al een uitvoering met deze code."), status: .conflict)
            }
            return Response.redirect(to: "/beheer/cursussen/cursus/\(course.id.lowercased)?gelukt=uitvoering", type: .normal)
        }
    }

    /// A live course of the adviser's organisations; 404 for any other.
    private func own(_ account: Account, _ context: AppRequestContext) async throws -> StoredCourse {
        guard let course = try await store.academy.course(try context.parameters.requireID(), organisations: account.organisations(as: .hrAdviser)) else {
            throw HTTPError(.notFound)
        }
        return course
    }

    private func ownOffering(_ course: StoredCourse, _ context: AppRequestContext) async throws -> CourseOfferingLine {
        let id = try context.parameters.requireID("offering")
        guard let offering = try await store.academy.offerings(ofCourse: course.id, ended: true, today: Day(Date())).first(where: { $0.id == id && !$0.withdrawn })
        else { throw HTTPError(.notFound) }
        return offering
    }

    private func organisationID(of course: StoredCourse, _ account: Account) async throws -> Organisation.ID {
        guard let organisation = try await store.organisations.find(slug: course.organisationSlug),
              account.has(.hrAdviser, for: organisation.id) else { throw HTTPError(.notFound) }
        return organisation.id
    }

    /// The form's values: the CSV columns, with the ticked functions and disciplines.
    static func values(_ form: FormData) -> [String: String] {
        var values = courseFields.reduce(into: [String: String]()) { $0[$1] = form[$1] }
        values["target_functions"] = form.values("target_functions").joined(separator: "|")
        values["target_disciplines"] = form.values("target_disciplines").joined(separator: "|")
        return values
    }

    /// The record the values make, with the same checks as a file's; the message goes to
    /// the field it is about.
    static func record(_ values: [String: String]) -> Result<CourseRecord, ValidationErrors> {
        var input = values
        // Topics are typed with commas; the shared format separates lists with |.
        input["topics"] = (values["topics"] ?? "").split(whereSeparator: { $0 == "," || $0 == "|" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: "|")
        input["price"] = (values["price"] ?? "").replacingOccurrences(of: ",", with: ".")
        input["points"] = (values["points"] ?? "").replacingOccurrences(of: ",", with: ".")
        input["study_hours"] = (values["study_hours"] ?? "").replacingOccurrences(of: ",", with: ".")
        return CatalogueParser.course(fields: input).mapError { rejection in
            ValidationErrors(field: courseField(for: rejection.reason), message: rejection.reason)
        }
    }

    /// The form field a parser message is about (its messages start with the field's name).
    static func courseField(for reason: String) -> String {
        let map: [(String, String)] = [
            ("primaryCode", "course_code"), ("name", "name"), ("description", "description"), ("De vorm", "format"), ("ext.format", "format"),
            ("link", "link"), ("Inschrijven bij de aanbieder", "link"), ("ext.enrolment", "enrolment"), ("ext.accreditation.register", "register"),
            ("ext.accreditation.points", "points"), ("ext.studyHours", "study_hours"), ("ext.price", "price"),
        ]
        return map.first { reason.hasPrefix($0.0) }?.1 ?? "name"
    }

    static func offeringField(for reason: String) -> String {
        let map: [(String, String)] = [
            ("primaryCode", "offering_code"), ("startDate", "start_date"), ("endDate", "end_date"), ("enroll", "enroll_start_date"),
            ("maxNumberStudents", "max_students"), ("ext.sessions", "sessions"),
        ]
        return map.first { reason.hasPrefix($0.0) }?.1 ?? "start_date"
    }

    /// Sessions are typed one per line ("2027-03-08 09:00-16:00"); the shared format
    /// wants ISO start/end pairs separated by |.
    static func offeringInput(_ values: [String: String]) -> [String: String] {
        var input = values
        let lines = (values["sessions"] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        input["sessions"] = lines.map { line -> String in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard parts.count == 2, let day = Day(iso: parts[0]) ?? Day(dutch: parts[0]) else { return "x/x" }
            let times = parts[1].split(whereSeparator: { $0 == "-" || $0 == "–" }).map { $0.trimmingCharacters(in: .whitespaces) }
            guard times.count == 2, let from = AmsterdamTime.minutes(times[0]), let until = AmsterdamTime.minutes(times[1]) else { return "x/x" }
            let iso = Date.ISO8601FormatStyle()
            return AmsterdamTime.date(day, minutes: from).formatted(iso) + "/" + AmsterdamTime.date(day, minutes: until).formatted(iso)
        }.joined(separator: "|")
        return input
    }

    static func values(of record: CourseRecord) -> [String: String] {
        func number(_ value: Double?) -> String { value.map { $0 == $0.rounded() ? String(Int($0)) : String($0).replacingOccurrences(of: ".", with: ",") } ?? "" }
        return [
            "course_code": record.primaryCode, "name": record.name, "description": record.description, "format": record.format.rawValue,
            "enrolment": record.enrolsHere ? "doorstroom" : "provider", "link": record.link ?? "", "duration": record.duration ?? "",
            "level": record.level ?? "", "topics": record.topics.joined(separator: ", "),
            "target_functions": record.targetFunctions.joined(separator: "|"), "target_disciplines": record.targetDisciplines.joined(separator: "|"),
            "study_hours": number(record.studyHours), "register": record.register?.rawValue ?? "", "points": number(record.points),
            "accreditation_number": record.accreditationNumber ?? "", "price": record.priceCents.map { number(Double($0) / 100) } ?? "",
        ]
    }

    static func values(of record: OfferingRecord) -> [String: String] {
        [
            "offering_code": record.primaryCode, "start_date": record.startDate.iso, "end_date": record.endDate.iso,
            "enroll_start_date": record.enrollStartDate?.iso ?? "", "enroll_end_date": record.enrollEndDate?.iso ?? "",
            "max_students": record.maxStudents.map(String.init) ?? "", "place": record.place ?? "",
            "sessions": record.sessions.map { "\(Day($0.start).iso) \(AmsterdamTime.clock($0.start))-\(AmsterdamTime.clock($0.end))" }.joined(separator: "\n"),
        ]
    }

    private func coursePage(
        _ context: AppRequestContext, _ account: Account, id: UUID?, values: [String: String], form: FormData? = nil, errors: ValidationErrors?,
        notice: String? = nil, showEnded: Bool = false, status: HTTPResponse.Status
    ) async throws -> Response {
        let mine = account.organisations(as: .hrAdviser)
        let organisations = try await store.organisations.all().filter { mine.contains($0.id) }
        let functions = try await store.professionals.functions()
        let chosenFunctions = Set((values["target_functions"] ?? "").split(separator: "|").map(String.init))
        let chosenDisciplines = Set((values["target_disciplines"] ?? "").split(separator: "|").map(String.init))
        func input(_ name: String, _ label: String, hint: String? = nil, required: Bool = false, inputmode: String? = nil, type: String = "text") -> Input {
            Input(name, label, type: type, value: values[name] ?? "", error: errors?[name], hint: hint, required: required, inputmode: inputmode)
        }
        let today = Day(Date())
        var offerings: [CourseOfferingLine] = []
        if let id { offerings = try await store.academy.offerings(ofCourse: id, ended: showEnded, today: today) }
        let path = id.map { "/beheer/cursussen/cursus/\($0.lowercased)" } ?? "/beheer/cursussen/nieuw"
        return try views.page(.hrCourseForm, CoursePage(
            chrome: Chrome(title: id == nil ? "Nieuwe cursus" : "Cursus wijzigen", context: context, path: "/beheer/cursussen", notice: notice),
            id: id?.lowercased, heading: id == nil ? "Nieuwe cursus" : (values["name"] ?? "Cursus"), action: path,
            errorSummary: ErrorSummary(errors, intro: "De cursus is niet opgeslagen. Dit moet nog anders:"), hasErrors: !(errors?.isEmpty ?? true),
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == form?["organisation"]) },
            showOrganisation: id == nil && organisations.count > 1,
            onlyOrganisation: id == nil && organisations.count == 1 ? organisations[0].slug : nil,
            code: input("course_code", "Code", hint: "Je eigen code voor de cursus, bijvoorbeeld ALT-VA-2027. Een bestand met dezelfde code werkt deze cursus bij.", required: true),
            name: input("name", "Naam", required: true),
            description: Field(values["description"] ?? "", error: errors?["description"]),
            formats: CourseRecord.Format.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["format"]) },
            enrolments: [
                Option(value: "doorstroom", label: "Inschrijven in Doorstroom", selected: values["enrolment"] != "provider"),
                Option(value: "provider", label: "Inschrijven bij ons eigen systeem (via de link)", selected: values["enrolment"] == "provider"),
            ],
            link: input("link", "Link naar de cursus op je eigen site", type: "url"),
            duration: input("duration", "Duur", hint: "Bijvoorbeeld: 2 dagen, of P2D"),
            level: input("level", "Niveau"),
            topics: input("topics", "Onderwerpen", hint: "Gescheiden door komma's"),
            functions: functions.map { .init(value: $0.code, label: $0.name, checked: chosenFunctions.contains($0.code)) },
            disciplines: Discipline.allCases.map { .init(value: $0.rawValue, label: $0.label, checked: chosenDisciplines.contains($0.rawValue)) },
            studyHours: input("study_hours", "Studie-uren", inputmode: "decimal"),
            registers: [Option(value: "", label: "Geen accreditatie", selected: (values["register"] ?? "").isEmpty)]
                + CourseRecord.AccreditationRegister.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == values["register"]) },
            points: input("points", "Punten", inputmode: "decimal"),
            accreditationNumber: input("accreditation_number", "Accreditatienummer"),
            price: input("price", "Prijs in euro", hint: "Voor professionals van de aangesloten organisaties; 0 voor gratis", inputmode: "decimal"),
            offerings: offerings.map { line in
                .init(id: line.id.lowercased, code: line.record.primaryCode, dates: "\(line.record.startDate.dutch) t/m \(line.record.endDate.dutch)",
                      place: line.record.place, places: line.record.maxStudents.map { "\(line.enrolled) van \($0)" } ?? "\(line.enrolled)",
                      enrolled: line.enrolled, withdrawn: line.withdrawn, ended: line.record.endDate < today,
                      editLink: "\(path)/uitvoeringen/\(line.id.lowercased)")
            }, hasOfferings: !offerings.isEmpty, showEnded: showEnded,
            endedLink: showEnded ? path : "\(path)?afgelopen=1"
        ), status: status)
    }

    private func offeringPage(
        _ context: AppRequestContext, _ course: StoredCourse, offering: UUID?, values: [String: String], errors: ValidationErrors?, status: HTTPResponse.Status
    ) throws -> Response {
        let base = "/beheer/cursussen/cursus/\(course.id.lowercased)/uitvoeringen/"
        func input(_ name: String, _ label: String, type: String = "text", hint: String? = nil, required: Bool = false, inputmode: String? = nil) -> Input {
            Input(name, label, type: type, value: values[name] ?? "", error: errors?[name], hint: hint, required: required, inputmode: inputmode)
        }
        return try views.page(.hrOfferingForm, OfferingPage(
            chrome: Chrome(title: offering == nil ? "Nieuwe uitvoering" : "Uitvoering wijzigen", context: context, path: "/beheer/cursussen"),
            courseID: course.id.lowercased, courseName: course.record.name,
            action: base + (offering?.lowercased ?? "nieuw"), heading: offering == nil ? "Nieuwe uitvoering" : "Uitvoering wijzigen",
            errorSummary: ErrorSummary(errors, intro: "De uitvoering is niet opgeslagen. Dit moet nog anders:"), hasErrors: !(errors?.isEmpty ?? true),
            code: input("offering_code", "Code van de uitvoering", hint: "Bijvoorbeeld ALT-VA-2027-03", required: true),
            start: input("start_date", "Eerste dag", type: "date", required: true),
            end: input("end_date", "Laatste dag", type: "date", required: true),
            enrollStart: input("enroll_start_date", "Inschrijven vanaf", type: "date"),
            enrollEnd: input("enroll_end_date", "Inschrijven tot en met", type: "date"),
            places: input("max_students", "Aantal plaatsen", hint: "Leeg: geen grens", inputmode: "numeric"),
            place: input("place", "Waar"),
            sessions: Field(values["sessions"] ?? "", error: errors?["sessions"])
        ), status: status)
    }
}
