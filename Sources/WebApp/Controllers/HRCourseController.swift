import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/cursussen`: an HR adviser's organisation's courses in the Jeugd Academie,
/// and the upload of its catalogue file (OOAPI v5 JSON or CSV) with the import's report.
struct HRCourseController {
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
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/beheer/cursussen") { request, context in
            let account = try Guard.account(request, context, holding: .hrAdviser)
            return try await page(context, account, report: nil, error: nil, status: .ok)
        }
        router.post("/beheer/cursussen") { request, context in
            let account = try Guard.account(request, context, holding: .hrAdviser)
            let form = try Guard.form(context)
            guard let organisation = try await store.organisations.find(slug: form["organisation"]),
                  account.has(.hrAdviser, for: organisation.id) else { throw HTTPError(.notFound) }
            let text = form["file"]
            guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                return try await page(context, account, report: nil, error: "Kies een bestand (JSON of CSV).", status: .unprocessableContent)
            }
            let isJSON = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.first.map { $0 == "{" || $0 == "[" } ?? false
            let catalogue = isJSON ? CatalogueParser.parse(json: Data(text.utf8)) : CatalogueParser.parse(csv: text)
            let report = try await store.academy.importCatalogue(catalogue, organisation: organisation.id, by: account.id, source: .upload)
            try await store.audit.append(actor: account.id, action: "academy.import", objectType: "organisation", objectID: organisation.slug,
                                         reason: "\(catalogue.courses.count) cursussen, \(report.rejected.count) afgewezen")
            return try await page(context, account, report: report, error: nil, status: report.rejected.isEmpty ? .ok : .unprocessableContent)
        }
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
        func counts(_ c: ImportReport.Counts) -> String { "\(c.inserted) nieuw, \(c.updated) gewijzigd, \(c.unchanged) ongewijzigd, \(c.withdrawn) teruggetrokken" }
        return views.page("hr-courses", Page(
            chrome: Chrome(title: "Cursussen", context: context, path: "/beheer/cursussen"),
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: false) },
            courses: lines,
            report: report.map {
                .init(courses: counts($0.courses), offerings: counts($0.offerings),
                      rejected: $0.rejected.map { r in "\(r.location)\(r.code.map { " (\($0))" } ?? ""): \(r.reason)" }, hasRejected: !$0.rejected.isEmpty)
            },
            error: error, hasCourses: !lines.isEmpty), status: status)
    }
}
