import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/cursussen`: an HR adviser's organisation's courses in the Jeugd Academie,
/// and the upload of its catalogue file (OOAPI v5 JSON or CSV) with the import's report.
struct HRCourseController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Line: Sendable { let id: String; let code: String; let name: String; let format: String; let points: String?; let offerings: Int }
        struct Report: Sendable {
            let courses: String
            let offerings: String
            let rejected: [String]
            let hasRejected: Bool
        }
        let chrome: Chrome
        let organisations: [Option]
        let courses: [Line]
        let report: Report?
        let error: String?
        let hasCourses: Bool
        let offerings: [OfferingLine]
        let hasOfferings: Bool
    }

    struct OfferingLine: Sendable { let id: String; let course: String; let dates: String; let enrolled: String; let waiting: Int }

    struct ParticipantsPage: Sendable {
        struct Person: Sendable { let id: String; let name: String; let email: String; let status: String; let outcomes: [Option]; let hasOutcomes: Bool }
        let chrome: Chrome
        let offeringID: String
        let course: String
        let dates: String
        let people: [Person]
        let hasPeople: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/cursussen").add(middleware: RequireRole(.hrAdviser))
            .get(use: courses)
            .get("uitvoering/:id", use: offering)
            .post("uitvoering/:id/inschrijving/:enrolment", use: recordOutcome)
            .post(use: importCatalogue)
    }

    // MARK: - Handlers

    /// GET /beheer/cursussen
    @Sendable func courses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await page(context, account, report: nil, error: nil, status: .ok)
    }

    /// GET /beheer/cursussen/uitvoering/:id
    @Sendable func offering(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        return try await participants(context, account, id)
    }

    /// POST /beheer/cursussen/uitvoering/:id/inschrijving/:enrolment
    @Sendable func recordOutcome(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let id = try context.parameters.requireID()
        let enrolment = try context.parameters.requireID("enrolment")
        guard let outcome = EnrolmentStatus(rawValue: form["outcome"]), EnrolmentStatus.outcomes.contains(outcome),
              try await store.academy.record(enrolment, outcome: outcome, by: account.id, organisations: account.organisations(as: .hrAdviser))
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/cursussen/uitvoering/\(id.lowercased)", type: .normal)
    }

    /// POST /beheer/cursussen
    @Sendable func importCatalogue(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard let organisation = try await store.organisations.find(slug: form["organisation"]),
              account.has(.hrAdviser, for: organisation.id) else { throw HTTPError(.notFound) }
        let text = form["file"]
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await page(context, account, report: nil, error: "Kies een bestand (JSON of CSV).", status: .unprocessableContent)
        }
        let isJSON = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.first.map { $0 == "{" || $0 == "[" } ?? false
        let catalogue = isJSON ? CatalogueParser.parse(json: Data(text.utf8)) : CatalogueParser.parse(csv: text)
        let report = try await store.academy.importCatalogue(catalogue, organisation: organisation.id, by: account.id, source: .upload)
        return try await page(context, account, report: report, error: nil, status: report.rejected.isEmpty ? .ok : .unprocessableContent)
    }

    private func participants(_ context: AppRequestContext, _ account: Account, _ offering: UUID) async throws -> Response {
        guard let found = try await store.academy.participants(of: offering, organisations: account.organisations(as: .hrAdviser)) else {
            throw HTTPError(.notFound)
        }
        return try views.page(.hrOffering, ParticipantsPage(
            chrome: Chrome(title: found.course, context: context, path: "/beheer/cursussen",
                           notice: nil),
            offeringID: offering.lowercased, course: found.course, dates: "\(found.offering.startDate.dutch) t/m \(found.offering.endDate.dutch)",
            people: found.people.map { person in
                .init(id: person.enrolmentID.lowercased, name: person.name, email: person.email, status: person.status.label,
                      outcomes: EnrolmentStatus.outcomes.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == person.status) },
                      hasOutcomes: person.status != .waitlisted)
            }, hasPeople: !found.people.isEmpty))
    }

    private func page(_ context: AppRequestContext, _ account: Account, report: ImportReport?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let mine = account.organisations(as: .hrAdviser)
        let organisations = try await store.organisations.all().filter { mine.contains($0.id) }
        var lines: [Page.Line] = []
        for organisation in organisations {
            lines += try await store.academy.courses(page: 1, pageSize: 10_000, organisation: organisation.id).courses.map { course in
                let record = course.record
                return .init(id: course.id.lowercased, code: record.primaryCode, name: record.name, format: record.format.label,
                             points: record.register.map { "\(FlexpoolText.hours(record.points ?? 0)) \($0.rawValue)" }, offerings: course.offeringCount)
            }
        }
        let offerings = try await store.academy.providerOfferings(mine, since: AmsterdamTime.adding(-60, to: Day(Date())))
        func counts(_ c: ImportReport.Counts) -> String { "\(c.inserted) nieuw, \(c.updated) gewijzigd, \(c.unchanged) ongewijzigd, \(c.withdrawn) teruggetrokken" }
        return try views.page(.hrCourses, Page(
            chrome: Chrome(title: "Cursussen", context: context, path: "/beheer/cursussen"),
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: false) },
            courses: lines,
            report: report.map {
                .init(courses: counts($0.courses), offerings: counts($0.offerings),
                      rejected: $0.rejected.map { r in "\(r.location)\(r.code.map { " (\($0))" } ?? ""): \(r.reason)" }, hasRejected: !$0.rejected.isEmpty)
            },
            error: error, hasCourses: !lines.isEmpty,
            offerings: offerings.map { offering in
                .init(id: offering.id.lowercased, course: offering.courseName, dates: "\(offering.startDate.dutch) t/m \(offering.endDate.dutch)",
                      enrolled: offering.maxStudents.map { "\(offering.enrolled) van \($0)" } ?? "\(offering.enrolled)", waiting: offering.waiting)
            }, hasOfferings: !offerings.isEmpty), status: status)
    }
}
