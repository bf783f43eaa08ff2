import Domain
import Foundation
import Hummingbird
import NIOPosix
import Store

/// `/beheer/cursussen`: an HR adviser's organisation's courses in the Jeugd Academie,
/// and the upload of its catalogue file (OOAPI v5 JSON or CSV). An upload first shows
/// what it would do (new, changed, withdrawn, rejected with reasons: a dry run, rolled
/// back) and changes nothing until the adviser confirms; the confirmed import does
/// exactly what was shown, or shows the new preview when the catalogue changed in
/// between. A course an import withdrew comes back with one button within 30 days;
/// every import stays in the log for 12 months (admins see all organisations' at
/// `/beheer/importlog`).
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
            /// Why nothing changed, when nothing did.
            let refusal: String?
            /// The courses it withdrew, or would withdraw once confirmed.
            let withdrawn: [String]
            let hasWithdrawn: Bool
            /// The upload waiting for this confirmation.
            let confirmUpload: String?
            /// A preview: what the import would do, nothing changed yet.
            let isPreview: Bool
            let newCourses: [String]
            let hasNew: Bool
            let changedCourses: [String]
            let hasChanged: Bool
            /// A preview that withdraws more than a fifth (or ten) of the courses.
            let manyWithdrawn: Bool
            /// The catalogue changed since the preview the adviser confirmed.
            let changedSincePreview: Bool
        }
        struct Restorable: Sendable { let id: String; let code: String; let name: String; let withdrawn: String; let enrolments: Int }
        let chrome: Chrome
        let organisations: [Option]
        let courses: [Line]
        let report: Report?
        let error: String?
        let hasCourses: Bool
        let offerings: [OfferingLine]
        let hasOfferings: Bool
        let restorable: [Restorable]
        let hasRestorable: Bool
        let log: [ImportLogRow]
        let hasLog: Bool
        let showEnded: Bool
    }

    /// One import of the log, as a table row.
    struct ImportLogRow: Sendable {
        let organisation: String
        let when: String
        let source: String
        let outcome: String
        let changedNothing: Bool
        let counts: String
        let rejected: [String]
        let hasRejected: Bool
        let withdrawn: String?

        init(_ line: ImportLogLine) {
            organisation = line.organisationName
            when = line.importedAt.dutchMoment
            source = switch line.source {
            case .upload: "upload door \(line.importedBy ?? "een HR-adviseur")"
            case .api: "API, sleutel \u{201C}\(line.importedBy ?? "ingetrokken")\u{201D}"
            case .command: "opdrachtregel"
            }
            outcome = HRCourseController.outcomeText(line.outcome, confirmed: line.confirmed)
            changedNothing = line.outcome.changedNothing
            counts = "\(line.coursesInFile) cursussen in het bestand; cursussen en uitvoeringen samen: \(line.inserted) nieuw, "
                + "\(line.updated) gewijzigd, \(line.unchanged) ongewijzigd, \(line.withdrawn) teruggetrokken"
            rejected = line.rejected.map(\.text)
            hasRejected = !line.rejected.isEmpty
            withdrawn = line.withdrawnCourses.isEmpty ? nil
                : (line.outcome == .needsConfirmation ? "Zou terugtrekken: " : "Teruggetrokken: ")
                    + line.withdrawnCourses.map { "\($0.name) (\($0.code))" }.joined(separator: ", ")
        }
    }

    struct AdminLogPage: Sendable {
        let chrome: Chrome
        let log: [ImportLogRow]
        let hasLog: Bool
    }

    static func outcomeText(_ outcome: ImportReport.Outcome, confirmed: Bool) -> String {
        switch outcome {
        case .applied: confirmed ? "Ingelezen (terugtrekken bevestigd)" : "Ingelezen"
        case .unreadable: "Niets veranderd: bestand onleesbaar"
        case .noValidCourse: "Niets veranderd: geen geldige cursus"
        case .needsConfirmation: "Niets veranderd: wachtte op bevestiging"
        }
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
        /// The evaluations: how many answered, and the averages from three answers on.
        struct Average: Sendable { let question: String; let average: String }
        let evaluations: Int
        let averages: [Average]
        let hasAverages: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/cursussen").add(middleware: RequireRole(.hrAdviser))
            .get(use: courses)
            .get("uitvoering/:id", use: offering)
            .post("uitvoering/:id/inschrijving/:enrolment", use: recordOutcome)
            .post(use: importCatalogue)
            .post("upload/:id/bevestigen", use: confirmUpload)
            .post("upload/:id/annuleren", use: cancelUpload)
            .post("cursus/:id/terugzetten", use: restoreCourse)
        router.group("/beheer/importlog").add(middleware: RequireRole(.admin))
            .get(use: adminImportLog)
    }

    // MARK: - Handlers

    /// GET /beheer/cursussen
    @Sendable func courses(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "teruggezet": "De cursus staat weer in de catalogus, met de inschrijvingen die erbij hoorden."
        case "geannuleerd": "De upload is geannuleerd: er is niets veranderd."
        case "ingetrokken": "De cursus is uit de catalogus teruggetrokken."
        default: nil
        }
        return try await page(context, account, report: nil, error: nil, notice: notice,
                              showEnded: request.uri.queryParameters["afgelopen"] == "1", status: .ok)
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
        let organisation = try await context.requireAdvisedOrganisation(store)
        let text = form["file"]
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            return try await page(context, account, report: nil, error: "Kies een bestand (JSON of CSV).", status: .unprocessableContent)
        }
        // A file of up to 32 MiB is parsed off the event loop.
        let catalogue = try await NIOThreadPool.singleton.runIfActive { Self.parse(text) }
        return try await preview(context, account, catalogue: catalogue, content: text, organisation: organisation.id, changedSincePreview: false)
    }

    /// POST /beheer/cursussen/upload/:id/bevestigen: the import the adviser saw, or,
    /// when the catalogue changed since, the new preview to confirm instead.
    @Sendable func confirmUpload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let upload = try await store.academy.takeUpload(id, by: account.id), account.has(.hrAdviser, for: upload.organisationID) else {
            throw HTTPError(.notFound)
        }
        let content = upload.content
        let catalogue = try await NIOThreadPool.singleton.runIfActive { Self.parse(content) }
        let now = try await store.academy.importCatalogue(
            catalogue, organisation: upload.organisationID, by: account.id, source: .upload, allowWithdraw: true, dryRun: true)
        guard ImportPreview(now) == upload.preview else {
            return try await preview(context, account, catalogue: catalogue, content: content, organisation: upload.organisationID, changedSincePreview: true)
        }
        let report = try await store.academy.importCatalogue(
            catalogue, organisation: upload.organisationID, by: account.id, source: .upload, allowWithdraw: true)
        return try await page(context, account, report: report, error: nil, status: Self.status(of: report))
    }

    /// Shows what an upload would do and keeps it for the adviser's confirmation; a
    /// file that cannot be imported at all is logged and refused at once.
    private func preview(
        _ context: AppRequestContext, _ account: Account, catalogue: Catalogue, content: String, organisation: Organisation.ID, changedSincePreview: Bool
    ) async throws -> Response {
        guard !catalogue.unreadable, !catalogue.courses.isEmpty else {
            let report = try await store.academy.importCatalogue(catalogue, organisation: organisation, by: account.id, source: .upload, allowWithdraw: false)
            return try await page(context, account, report: report, error: nil, status: Self.status(of: report))
        }
        let report = try await store.academy.importCatalogue(
            catalogue, organisation: organisation, by: account.id, source: .upload, allowWithdraw: true, dryRun: true)
        let upload = try await store.academy.keepUpload(content, preview: ImportPreview(report), organisation: organisation, by: account.id)
        return try await page(context, account, report: report, upload: upload, changedSincePreview: changedSincePreview, error: nil, status: .ok)
    }

    /// POST /beheer/cursussen/upload/:id/annuleren
    @Sendable func cancelUpload(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard try await store.academy.takeUpload(try context.parameters.requireID(), by: account.id) != nil else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/cursussen?gelukt=geannuleerd", type: .normal)
    }

    /// POST /beheer/cursussen/cursus/:id/terugzetten
    @Sendable func restoreCourse(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.academy.restore(id, organisations: account.organisations(as: .hrAdviser), by: account.id) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/beheer/cursussen?gelukt=teruggezet", type: .normal)
    }

    /// GET /beheer/importlog
    @Sendable func adminImportLog(_ request: Request, context: AppRequestContext) async throws -> Response {
        let log = try await store.academy.importLog(organisations: nil, limit: 500)
        return try views.page(.adminImports, AdminLogPage(
            chrome: Chrome(title: "Importlog van de Jeugd Academie", context: context, path: "/beheer/importlog"),
            log: log.map(ImportLogRow.init), hasLog: !log.isEmpty))
    }

    /// A catalogue file: JSON when it starts like JSON, otherwise CSV.
    static func parse(_ text: String) -> Catalogue {
        let isJSON = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }.first.map { $0 == "{" || $0 == "[" } ?? false
        return isJSON ? CatalogueParser.parse(json: Data(text.utf8)) : CatalogueParser.parse(csv: text)
    }

    /// 200 when all went in, 409 while a confirmation is needed, 422 when something was refused.
    static func status(of report: ImportReport) -> HTTPResponse.Status {
        switch report.outcome {
        case .needsConfirmation: .conflict
        case .unreadable, .noValidCourse: .unprocessableContent
        case .applied: report.rejected.isEmpty ? .ok : .unprocessableContent
        }
    }

    private func participants(_ context: AppRequestContext, _ account: Account, _ offering: UUID) async throws -> Response {
        guard let found = try await store.academy.participants(of: offering, organisations: account.organisations(as: .hrAdviser)) else {
            throw HTTPError(.notFound)
        }
        let answers = try await store.academy.evaluationCount(offering: offering)
        let averages = try await store.academy.evaluationAverages(offering: offering, organisations: account.organisations(as: .hrAdviser))
        return try views.page(.hrOffering, ParticipantsPage(
            chrome: Chrome(title: found.course, context: context, path: "/beheer/cursussen",
                           notice: nil),
            offeringID: offering.lowercased, course: found.course, dates: "\(found.offering.startDate.dutch) t/m \(found.offering.endDate.dutch)",
            people: found.people.map { person in
                .init(id: person.enrolmentID.lowercased, name: person.name, email: person.email, status: person.status.label,
                      outcomes: EnrolmentStatus.outcomes.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == person.status) },
                      hasOutcomes: person.status != .waitlisted)
            }, hasPeople: !found.people.isEmpty,
            evaluations: answers,
            averages: zip(EvaluationQuestion.allCases, averages?.averages ?? []).map {
                .init(question: $0.short, average: String(format: "%.1f", $1).replacingOccurrences(of: ".", with: ","))
            },
            hasAverages: averages != nil))
    }

    private func page(
        _ context: AppRequestContext, _ account: Account, report: ImportReport?, upload: UUID? = nil, changedSincePreview: Bool = false,
        error: String?, notice: String? = nil, showEnded: Bool = false, status: HTTPResponse.Status
    ) async throws -> Response {
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
        // Running and coming offerings; the ended ones only when asked.
        let offerings = try await store.academy.providerOfferings(mine, since: showEnded ? AmsterdamTime.adding(-730, to: Day(Date())) : Day(Date()))
        func counts(_ c: ImportReport.Counts) -> String { "\(c.inserted) nieuw, \(c.updated) gewijzigd, \(c.unchanged) ongewijzigd, \(c.withdrawn) teruggetrokken" }
        let restorable = try await store.academy.restorableCourses(organisations: mine)
        let log = try await store.academy.importLog(organisations: mine, limit: 20)
        return try views.page(.hrCourses, Page(
            chrome: Chrome(title: "Cursussen", context: context, path: "/beheer/cursussen", notice: notice),
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: false) },
            courses: lines,
            report: report.map { report in
                .init(courses: counts(report.courses), offerings: counts(report.offerings),
                      rejected: report.rejected.map(\.text),
                      hasRejected: !report.rejected.isEmpty, refusal: Self.refusal(report),
                      withdrawn: report.withdrawnCourses.map { "\($0.name) (\($0.code))" }, hasWithdrawn: !report.withdrawnCourses.isEmpty,
                      confirmUpload: upload?.lowercased, isPreview: report.isPreview,
                      newCourses: report.newCourses.map { "\($0.name) (\($0.code))" }, hasNew: !report.newCourses.isEmpty,
                      changedCourses: report.changedCourses.map { "\($0.name) (\($0.code))" }, hasChanged: !report.changedCourses.isEmpty,
                      manyWithdrawn: WithdrawalRule.needsConfirmation(withdrawing: report.withdrawnCourses.count, live: report.liveCourses),
                      changedSincePreview: changedSincePreview)
            },
            error: error, hasCourses: !lines.isEmpty,
            offerings: offerings.map { offering in
                .init(id: offering.id.lowercased, course: offering.courseName, dates: "\(offering.startDate.dutch) t/m \(offering.endDate.dutch)",
                      enrolled: offering.maxStudents.map { "\(offering.enrolled) van \($0)" } ?? "\(offering.enrolled)", waiting: offering.waiting)
            }, hasOfferings: !offerings.isEmpty,
            restorable: restorable.map {
                .init(id: $0.id.lowercased, code: $0.code, name: $0.name, withdrawn: $0.withdrawnAt.dutchDay, enrolments: $0.enrolments)
            }, hasRestorable: !restorable.isEmpty,
            log: log.map(ImportLogRow.init), hasLog: !log.isEmpty, showEnded: showEnded), status: status)
    }

    /// What the adviser is told when an import changed nothing.
    static func refusal(_ report: ImportReport) -> String? {
        switch report.outcome {
        case .applied: nil
        case .unreadable: "Er is niets veranderd: dit bestand kon niet als catalogus worden gelezen."
        case .noValidCourse: "Er is niets veranderd: het bestand bevat geen enkele geldige cursus, dus ook je huidige cursussen blijven staan."
        case .needsConfirmation:
            "Er is nog niets veranderd: dit bestand zou \(report.withdrawnCourses.count) van je \(report.liveCourses) cursussen "
                + "terugtrekken (meer dan een vijfde, of meer dan \(WithdrawalRule.mostWithoutConfirmation)). Klopt dat, bevestig dan hieronder."
        }
    }
}
