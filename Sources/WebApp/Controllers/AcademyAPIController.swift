import Domain
import Foundation
import Hummingbird
import Store

/// The catalogue for other systems: `PUT /api/v1/organisations/{slug}/catalogue` (an
/// organisation's own system replaces its catalogue, with its token) and the read-only
/// Open Education API v5 endpoints `/ooapi/v5/courses` and
/// `/ooapi/v5/courses/{id}/offerings`, paged as OOAPI pages.
struct AcademyAPIController: RouteCollection {
    let store: Store

    /// Catalogue files are larger than forms.
    static let maximumCatalogueSize = 32 << 20

    func addRoutes(to router: Router<AppRequestContext>) {
        router.put("/api/v1/organisations/:slug/catalogue", use: replaceCatalogue)
        router.group("/ooapi/v5")
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

    /// GET /ooapi/v5/courses
    @Sendable func courses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let (page, size) = Self.paging(request)
        let (courses, total) = try await store.academy.courses(page: page, pageSize: size)
        return try Self.json(OOAPIPage(items: courses.map(OOAPICourse.init), page: page, size: size, total: total))
    }

    /// GET /ooapi/v5/courses/:id
    @Sendable func course(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let course = try await store.academy.course(id) else {
            throw HTTPError(.notFound)
        }
        return try Self.json(OOAPICourse(course))
    }

    /// GET /ooapi/v5/courses/:id/offerings
    @Sendable func offerings(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let course = try await store.academy.course(id) else {
            throw HTTPError(.notFound)
        }
        let (page, size) = Self.paging(request)
        let (offerings, total) = try await store.academy.offerings(of: id, page: page, pageSize: size)
        return try Self.json(OOAPIPage(items: offerings.map { OOAPIOffering($0, course: course) }, page: page, size: size, total: total))
    }

    /// OOAPI's `pageNumber` (from 1) and `pageSize` (10, 20, 50, 100, 250; default 10).
    static func paging(_ request: Request) -> (Int, Int) {
        let number = Int(request.uri.queryParameters["pageNumber"].map(String.init) ?? "") ?? 1
        let size = Int(request.uri.queryParameters["pageSize"].map(String.init) ?? "") ?? 10
        return (max(1, min(number, 100_000)), [10, 20, 50, 100, 250].contains(size) ? size : 10)
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(value))))
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

struct LanguageTypedString: Encodable {
    let language: String
    let value: String
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
    let name: [LanguageTypedString]
    let abbreviation: String
    let description: [LanguageTypedString]
    let teachingLanguage: String
    let level: String
    let modeOfDelivery: [String]
    let duration: String?
    let link: String?
    let ext: Ext

    init(_ course: StoredCourse) {
        let record = course.record
        courseId = course.id.lowercased
        primaryCode = IdentifierEntry(codeType: "identifier", code: record.primaryCode)
        name = [LanguageTypedString(language: "nl-NL", value: record.name)]
        abbreviation = record.abbreviation ?? record.primaryCode
        description = [LanguageTypedString(language: "nl-NL", value: record.description)]
        teachingLanguage = record.teachingLanguage
        level = record.level ?? "undefined"
        modeOfDelivery = [record.format.modeOfDelivery]
        duration = record.duration
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
    let name: [LanguageTypedString]
    let description: [LanguageTypedString]
    let teachingLanguage: String
    let modeOfDelivery: [String]
    let resultExpected = true
    let startDate: String
    let endDate: String
    let enrollStartDate: String?
    let enrollEndDate: String?
    let maxNumberStudents: Int?
    let course: String
    let ext: Ext

    init(_ offering: StoredOffering, course: StoredCourse) {
        let record = offering.record
        offeringId = offering.id.lowercased
        primaryCode = IdentifierEntry(codeType: "offeringCode", code: record.primaryCode)
        name = [LanguageTypedString(language: "nl-NL", value: course.record.name)]
        description = [LanguageTypedString(language: "nl-NL", value: course.record.description)]
        // Offerings name their language in ISO 639-2.
        teachingLanguage = course.record.teachingLanguage.lowercased().hasPrefix("en") ? "eng" : "nld"
        modeOfDelivery = [course.record.format.modeOfDelivery]
        startDate = record.startDate.iso
        endDate = record.endDate.iso
        enrollStartDate = record.enrollStartDate?.iso
        enrollEndDate = record.enrollEndDate?.iso
        maxNumberStudents = record.maxStudents
        self.course = course.id.lowercased
        ext = Ext(place: record.place, sessions: record.sessions)
    }

    enum CodingKeys: String, CodingKey {
        case offeringId, primaryCode, offeringType, name, description, teachingLanguage, modeOfDelivery, resultExpected
        case startDate, endDate, enrollStartDate, enrollEndDate, maxNumberStudents, course, ext
    }
}
