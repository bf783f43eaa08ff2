import Domain
import Foundation
import Hummingbird
import Store

/// The catalogue for other systems: `PUT /api/v1/organisations/{slug}/catalogue` (an
/// organisation's own system replaces its catalogue, with its token) and the read-only
/// Open Education API v5 endpoints: the service (`/ooapi/v5`), `/ooapi/v5/courses`,
/// `/ooapi/v5/courses/{id}` and `/ooapi/v5/courses/{id}/offerings`, with the spec's
/// parameters, pages and `application/problem+json` errors.
struct AcademyAPIController: RouteCollection {
    @VisitorReads var store: Store
    let siteURL: String
    let contactEmail: String

    /// Catalogue files are larger than forms.
    static let maximumCatalogueSize = 32 << 20
    /// The official OOAPI v5 specification this API follows.
    static let specification = "https://raw.githubusercontent.com/open-education-api/specification/release/5.0/v5/ooapi.json"

    func addRoutes(to router: Router<AppRequestContext>) {
        router.put("/api/v1/organisations/:slug/catalogue", use: replaceCatalogue)
        router.group("/ooapi/v5")
            .add(middleware: OOAPIProblems())
            .get(use: service)
            .get("courses", use: courses)
            .get("courses/:id", use: course)
            .get("courses/:id/offerings", use: offerings)
    }

    // MARK: - Handlers

    /// PUT /api/v1/organisations/:slug/catalogue
    @Sendable func replaceCatalogue(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let token = try await BearerToken.token(request, store: store) else { throw BearerToken.unauthorized }
        guard let organisation = try await store.organisations.find(slug: try context.parameters.requireText("slug")) else { throw HTTPError(.notFound) }
        // A token acts for its own organisation only.
        guard organisation.id == token.organisation else { throw HTTPError(.forbidden) }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: Self.maximumCatalogueSize)
        } catch {
            throw HTTPError(.contentTooLarge)
        }
        let isCSV = (request.headers[.contentType] ?? "").lowercased().hasPrefix("text/csv")
        let catalogue = isCSV ? CatalogueParser.parse(csv: String(buffer: body)) : CatalogueParser.parse(json: Data(body.readableBytesView))
        // Withdrawing more than WithdrawalRule allows needs ?allow_withdraw=true.
        let allowWithdraw = request.uri.queryParameters["allow_withdraw"].map { ["true", "1", "yes"].contains($0.lowercased()) } ?? false
        let report = try await store.academy.importCatalogue(
            catalogue, organisation: organisation.id, by: nil, source: .api, allowWithdraw: allowWithdraw, token: token.id)
        // Applied: 200 (the report names rejected records). Nothing changed: 422 for a
        // file without a valid course, 409 while the withdrawals wait for allow_withdraw.
        let status: HTTPResponse.Status = switch report.outcome {
        case .applied: .ok
        case .unreadable, .noValidCourse: .unprocessableContent
        case .needsConfirmation: .conflict
        }
        return try Self.json(ReportJSON(report), status: status)
    }

    /// GET /ooapi/v5: the Service object.
    @Sendable func service(_ request: Request, context: AppRequestContext) async throws -> Response {
        struct Service: Encodable { let contactEmail, specification, documentation: String }
        return try Self.ooapi(request, Service(contactEmail: contactEmail, specification: Self.specification,
                                                documentation: siteURL + "/academie/formaat"))
    }

    /// GET /ooapi/v5/courses
    @Sendable func courses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let parameters = OOAPIParameters(request)
        var query = CourseQuery()
        (query.page, query.pageSize) = try parameters.paging()
        query.primaryCode = parameters.text("primaryCode")
        query.text = parameters.text("q")
        query.teachingLanguage = try parameters.language()
        query.level = try parameters.text("level").map { level in
            guard CourseRecord.levels.contains(level) else { throw OOAPIParameters.invalid("level", "is not one of the spec's levels") }
            return level
        }
        query.modes = try parameters.modes()
        query.sort = try parameters.sort(default: [CourseQuery.Sort.name])
        let (courses, total) = try await store.academy.courses(query)
        return try Self.ooapi(request, OOAPIPage(items: courses.map(OOAPICourse.init), page: query.page, size: query.pageSize, total: total))
    }

    /// GET /ooapi/v5/courses/:id
    @Sendable func course(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let course = try await store.academy.course(id) else {
            throw HTTPError(.notFound, message: "There is no course with this courseId in the catalogue.")
        }
        return try Self.ooapi(request, OOAPICourse(course))
    }

    /// GET /ooapi/v5/courses/:id/offerings: by default only offerings that start today
    /// or later (the spec's `since`), by start date.
    @Sendable func offerings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let course = try await store.academy.course(id) else {
            throw HTTPError(.notFound, message: "There is no course with this courseId in the catalogue.")
        }
        let parameters = OOAPIParameters(request)
        var query = OfferingQuery(since: try parameters.day("since") ?? Day(Date()))
        (query.page, query.pageSize) = try parameters.paging()
        query.until = try parameters.day("until")
        query.text = parameters.text("q")
        query.teachingLanguage = try parameters.language()
        query.modes = try parameters.modes()
        if let expected = parameters.text("resultExpected") {
            guard let value = Bool(expected) else { throw OOAPIParameters.invalid("resultExpected", "is true or false") }
            query.resultExpected = value
        }
        query.sort = try parameters.sort(default: [OfferingQuery.Sort.startDate])
        let (offerings, total) = try await store.academy.offerings(of: course, query)
        return try Self.ooapi(request, OOAPIPage(items: offerings.map { OOAPIOffering($0, course: course) }, page: query.page,
                                                 size: query.pageSize, total: total))
    }

    /// An OOAPI answer: JSON with an ETag, so a consumer that polls gets 304 while
    /// nothing changed.
    static func ooapi(_ request: Request, _ value: some Encodable) throws -> Response {
        Response.conditional(request, body: try encoded(value), contentType: "application/json", cacheControl: "public, max-age=60")
    }

    static func encoded(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: try encoded(value))))
    }
}

/// The query parameters of an OOAPI request, read by the spec's rules: a value that
/// breaks them is a 400 with a problem, never silently changed.
struct OOAPIParameters {
    let request: Request

    init(_ request: Request) { self.request = request }

    static func invalid(_ name: String, _ rule: String) -> HTTPError {
        HTTPError(.badRequest, message: "The query parameter \(name) \(rule).")
    }

    /// Every value given for `name` (repeated, or separated by commas).
    func values(_ name: String) -> [String] {
        request.uri.queryParameters.getAll(name).flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    func text(_ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// `pageNumber` (from 1) and `pageSize` (10, 20, 50, 100 or 250; default 10).
    func paging() throws -> (Int, Int) {
        var number = 1, size = 10
        if let text = text("pageNumber") {
            guard let value = Int32(text), value >= 1 else { throw Self.invalid("pageNumber", "is a whole number from 1") }
            number = Int(value)
        }
        if let text = text("pageSize") {
            guard let value = Int(text), [10, 20, 50, 100, 250].contains(value) else {
                throw Self.invalid("pageSize", "is one of 10, 20, 50, 100 and 250")
            }
            size = value
        }
        return (number, size)
    }

    /// `teachingLanguage`: ISO 639-2, three lower-case letters.
    func language() throws -> String? {
        guard let given = text("teachingLanguage") else { return nil }
        guard given.wholeMatch(of: /[a-z]{3}/) != nil else { throw Self.invalid("teachingLanguage", "is an ISO 639-2 code such as nld") }
        return given
    }

    /// `modeOfDelivery`: one or more of the spec's modes.
    func modes() throws -> [String]? {
        let modes = values("modeOfDelivery")
        guard !modes.isEmpty else { return nil }
        if let wrong = modes.first(where: { !CourseRecord.Format.modesOfDelivery.contains($0) }) {
            throw Self.invalid("modeOfDelivery", "does not know \(wrong) (distance-learning, on campus, online, hybrid, situated)")
        }
        return modes
    }

    func sort<Key: RawRepresentable & CaseIterable>(default fallback: [Key]) throws -> [Key] where Key.RawValue == String {
        let given = values("sort")
        guard !given.isEmpty else { return fallback }
        return try given.map { value in
            guard let key = Key(rawValue: value) else {
                throw Self.invalid("sort", "sorts by \(Key.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return key
        }
    }

    /// A full date (RFC 3339), as `since` and `until` are.
    func day(_ name: String) throws -> Day? {
        guard let given = text(name) else { return nil }
        guard let day = Day(iso: given) else { throw Self.invalid(name, "is a date as YYYY-MM-DD") }
        return day
    }
}

/// Errors under `/ooapi/v5` as the spec says: `application/problem+json` with the
/// status as a string, a title and a detail.
struct OOAPIProblems: RouterMiddleware {
    typealias Context = AppRequestContext

    struct Problem: Encodable {
        let status: String
        let title: String
        let detail: String?
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as any HTTPResponseError {
            let status = error.status
            let detail = (error as? HTTPError)?.body
            let title = switch status {
            case .badRequest: "Bad request"
            case .notFound: "Resource not found"
            case .methodNotAllowed: "Method not allowed"
            case .tooManyRequests: "Too many requests"
            default: status.reasonPhrase
            }
            let problem = Problem(status: String(status.code), title: title, detail: detail)
            var response = try AcademyAPIController.json(problem, status: status)
            response.headers[.contentType] = "application/problem+json"
            return response
        }
    }
}

/// An import's outcome as JSON.
struct ReportJSON: Encodable {
    struct Counts: Encodable { let inserted, updated, unchanged, withdrawn: Int }
    struct Rejected: Encodable { let location: String; let code: String?; let reason: String }
    let outcome: String
    let message: String
    let courses: Counts
    let offerings: Counts
    let rejected: [Rejected]
    /// Withdrawn, or (outcome needs_confirmation) what would be withdrawn.
    let withdrawn_courses: [ImportReport.WithdrawnCourse]

    init(_ report: ImportReport) {
        func counts(_ c: ImportReport.Counts) -> Counts { Counts(inserted: c.inserted, updated: c.updated, unchanged: c.unchanged, withdrawn: c.withdrawn) }
        outcome = report.outcome.rawValue
        message = switch report.outcome {
        case .applied: "The catalogue was imported."
        case .unreadable: "Nothing changed: the file could not be read as a catalogue."
        case .noValidCourse: "Nothing changed: the file holds no valid course."
        case .needsConfirmation:
            "Nothing changed: the import would withdraw \(report.withdrawnCourses.count) of \(report.liveCourses) live courses "
                + "(more than a fifth, or more than \(WithdrawalRule.mostWithoutConfirmation)). Send it again with allow_withdraw=true to confirm."
        }
        courses = counts(report.courses)
        offerings = counts(report.offerings)
        rejected = report.rejected.map { Rejected(location: $0.location, code: $0.code, reason: $0.reason) }
        withdrawn_courses = report.withdrawnCourses
    }
}

/// An OOAPI v5 page.
struct OOAPIPage<Item: Encodable>: Encodable {
    let pageSize: Int
    let pageNumber: Int
    let hasPreviousPage: Bool
    let hasNextPage: Bool
    let totalPages: Int
    let items: [Item]

    init(items: [Item], page: Int, size: Int, total: Int) {
        self.items = items
        pageSize = size
        pageNumber = page
        totalPages = max(1, (total + size - 1) / size)
        hasPreviousPage = page > 1
        hasNextPage = page < totalPages
    }
}

struct IdentifierEntry: Encodable {
    let codeType: String
    let code: String
}

/// A course as OOAPI v5 shows it, the youth domain's fields under `ext`.
struct OOAPICourse: Encodable {
    struct Ext: Encodable {
        struct Accreditation: Encodable { let register: String; let points: Double; let number: String? }
        struct Price: Encodable { let amount: Double; let currency: String }
        let provider: String
        let format: String
        let enrolment: String
        let topics: [String]
        let targetFunctions: [String]
        let targetDisciplines: [String]
        let studyHours: Double?
        let accreditation: Accreditation?
        let price: Price?
    }

    let courseId: String
    let primaryCode: IdentifierEntry
    let name: [LocalizedText]
    let abbreviation: String
    let description: [LocalizedText]
    let teachingLanguage: String
    let level: String
    let modeOfDelivery: [String]
    let duration: String?
    let studyLoad: StudyLoad?
    let link: String?
    let ext: Ext

    init(_ course: StoredCourse) {
        let record = course.record
        courseId = course.id.lowercased
        primaryCode = IdentifierEntry(codeType: "identifier", code: record.primaryCode)
        name = record.ooapiNames
        abbreviation = record.abbreviation ?? record.primaryCode
        description = record.ooapiDescriptions
        teachingLanguage = record.teachingLanguage
        level = record.level.flatMap { CourseRecord.levels.contains($0) ? $0 : nil } ?? "undefined"
        modeOfDelivery = record.modes
        duration = record.duration.flatMap { CourseRecord.isDuration($0) ? $0 : nil }
        studyLoad = record.studyLoad
        link = record.link
        ext = Ext(
            provider: course.organisationSlug, format: record.format.rawValue, enrolment: record.enrolsHere ? "doorstroom" : "provider",
            topics: record.topics, targetFunctions: record.targetFunctions, targetDisciplines: record.targetDisciplines,
            studyHours: record.studyHours,
            accreditation: record.register.map { Ext.Accreditation(register: $0.rawValue, points: record.points ?? 0, number: record.accreditationNumber) },
            price: record.priceCents.map { Ext.Price(amount: Double($0) / 100, currency: "EUR") })
    }
}

/// A course offering as OOAPI v5 shows it.
struct OOAPIOffering: Encodable {
    struct Ext: Encodable {
        let place: String?
        let sessions: [OfferingRecord.Session]
    }

    let offeringId: String
    let primaryCode: IdentifierEntry
    let offeringType = "course"
    let name: [LocalizedText]
    let description: [LocalizedText]
    let teachingLanguage: String
    let modeOfDelivery: [String]
    let resultExpected = true
    let startDate: String
    let endDate: String
    let enrollStartDate: String?
    let enrollEndDate: String?
    let maxNumberStudents: Int?
    let addresses: [OfferingAddress]?
    let priceInformation: [OfferingCost]?
    let link: String?
    let course: String
    let ext: Ext

    /// Without a name or description of its own, an offering has its course's.
    init(_ offering: StoredOffering, course: StoredCourse) {
        let record = offering.record
        offeringId = offering.id.lowercased
        primaryCode = IdentifierEntry(codeType: "offeringCode", code: record.primaryCode)
        name = record.names.isEmpty ? course.record.ooapiNames : record.names
        description = record.descriptions.isEmpty ? course.record.ooapiDescriptions : record.descriptions
        teachingLanguage = course.record.teachingLanguage
        modeOfDelivery = course.record.modes
        startDate = record.startDate.iso
        endDate = record.endDate.iso
        enrollStartDate = record.enrollStartDate?.iso
        enrollEndDate = record.enrollEndDate?.iso
        maxNumberStudents = record.maxStudents
        addresses = record.addresses.isEmpty ? nil : record.addresses
        priceInformation = record.priceInformation.isEmpty ? nil : record.priceInformation
        link = record.link
        self.course = course.id.lowercased
        ext = Ext(place: record.place, sessions: record.sessions)
    }

    enum CodingKeys: String, CodingKey {
        case offeringId, primaryCode, offeringType, name, description, teachingLanguage, modeOfDelivery, resultExpected
        case startDate, endDate, enrollStartDate, enrollEndDate, maxNumberStudents, addresses, priceInformation, link, course, ext
    }
}
