import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/sollicitaties`: the applications to an HR adviser's postings as a pipeline
/// (a section per state with its count, "nieuw" since the adviser last looked, filters
/// by posting, state and date, a search on name). Opening one shows the applicant's
/// data (and CV) and writes an audit line; the adviser moves it through submitted,
/// in review, invited, hired, rejected.
struct HRApplicationController: RouteCollection {
    let store: Store
    let views: Views

    struct ListPage: Sendable {
        struct Line: Sendable {
            let id: String; let posting: String; let applicant: String; let submitted: String; let isNew: Bool; let hasCV: Bool
        }
        struct Section: Sendable { let status: String; let label: String; let count: Int; let link: String; let lines: [Line]; let hasLines: Bool }
        struct Count: Sendable { let label: String; let count: Int; let link: String; let selected: Bool }
        let chrome: Chrome
        let postings: [Option]
        let statuses: [Option]
        let since: String
        let name: String
        let counts: [Count]
        let total: Int
        let newCount: Int
        let sections: [Section]
        let isCut: Bool
        let filtersActive: Int
        let filtersOpen: Bool
        let postingTitle: String?
    }

    static let filterNames = ["vacature", "stand", "vanaf", "naam"]
    /// The states of the pipeline, in the order an application moves.
    static let pipelineStates: [ApplicationStatus] = [.submitted, .inReview, .invited, .hired, .rejected]

    struct DetailPage: Sendable {
        struct Profile: Sendable { let functions: [String]; let level: String?; let registrations: [String]; let jobs: [String] }
        let chrome: Chrome
        let id: String
        let posting: String
        let postingID: String
        let applicant: String
        let email: String
        let motivation: [TextBlock]
        let motivationRemoved: Bool
        let duoPartner: String?
        let duoConfirmed: Bool
        let phone: String?
        let cv: String?
        let status: String
        let submitted: String
        let next: [Option]
        let profile: Profile?
        let error: String?
        /// Rejecting: the reasons, and the message (from the organisation's template).
        let canReject: Bool
        let reasons: [Option]
        let rejectionMessage: String
        /// The posting's interview times, and the form for another.
        struct Slot: Sendable { let id: String; let when: String; let place: String; let bookedBy: String?; let isThis: Bool }
        /// The application's id again, under a name a slot's own `id` does not hide.
        let applicationID: String
        let slots: [Slot]
        let hasSlots: Bool
        let slotDay: Input
        let slotStart: Input
        let slotEnd: Input
        let slotPlace: Input
        let errorSummary: ErrorSummary
        let notice: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/sollicitaties").add(middleware: RequireRole(.hrAdviser))
            .get(use: list)
            .get(":id", use: show)
            .get(":id/cv", use: downloadCV)
            .post(":id/status", use: move)
            .post(":id/gesprekstijden", use: addSlot)
            .post(":id/gesprekstijden/:slot/schrappen", use: removeSlot)
        router.group("/beheer/afwijzingsbericht").add(middleware: RequireRole(.hrAdviser))
            .get(use: rejectionTemplate)
            .post(use: saveRejectionTemplate)
    }

    // MARK: - Handlers

    /// GET /beheer/sollicitaties
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let clean = request.withoutEmptyParameters() { return clean }
        let account = try context.requireAccount()
        let query = request.queryDictionary
        let organisations = account.organisations(as: .hrAdviser)
        var postings: [Posting] = []
        for organisation in organisations { postings += try await store.postings.forOrganisation(organisation) }
        let posting = query["vacature"].flatMap(UUID.init(uuidString:)).flatMap { id in postings.first { $0.id == id } }
        let status = query["stand"].flatMap(ApplicationStatus.init(rawValue:)).flatMap { Self.pipelineStates.contains($0) ? $0 : nil }
        let since = query["vanaf"].flatMap { Day(iso: $0) }
        let name = String((query["naam"] ?? "").prefix(100))
        let filter = PipelineFilter(posting: posting?.id, status: status, since: since, name: name)
        let looked = Date()
        let pipeline = try await store.applications.pipeline(organisations: organisations, viewer: account.id, filter: filter)

        func link(_ state: ApplicationStatus?) -> String {
            let items = [("vacature", posting?.id.lowercased), ("stand", state?.rawValue), ("vanaf", since?.iso), ("naam", name.isEmpty ? nil : name)]
            return URLComponentsLite(path: "/beheer/sollicitaties", query: items.compactMap { key, value in value.map { (key, $0) } }).string
        }
        let byStatus = Dictionary(grouping: pipeline.lines, by: \.status)
        let sections = Self.pipelineStates.filter { status == nil || $0 == status }.map { state in
            let lines = (byStatus[state] ?? []).map { line in
                ListPage.Line(id: line.id.lowercased, posting: line.postingTitle, applicant: line.applicantName,
                              submitted: line.submittedAt.dutchDay, isNew: line.isNew, hasCV: line.hasCV)
            }
            return ListPage.Section(status: state.rawValue, label: state.label, count: pipeline.counts[state] ?? 0, link: link(state),
                                    lines: lines, hasLines: !lines.isEmpty)
        }
        let notice = request.uri.queryParameters["gelukt"] == "bijgewerkt" ? "De sollicitatie is bijgewerkt." : nil
        let response = try views.page(.hrApplications, ListPage(
            chrome: Chrome(title: posting.map { "Sollicitaties: \($0.details.title)" } ?? "Sollicitaties", context: context,
                           path: "/beheer/sollicitaties", notice: notice),
            postings: postings.map { Option(value: $0.id.lowercased, label: "\($0.details.title) (\($0.status.label.lowercased()))", selected: $0.id == posting?.id) },
            statuses: Self.pipelineStates.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == status) },
            since: since?.iso ?? "", name: name,
            counts: [ListPage.Count(label: "Alle", count: pipeline.counts.values.reduce(0, +), link: link(nil), selected: status == nil)]
                + Self.pipelineStates.map { ListPage.Count(label: $0.label, count: pipeline.counts[$0] ?? 0, link: link($0), selected: $0 == status) },
            total: pipeline.counts.values.reduce(0, +), newCount: pipeline.newCount, sections: sections, isCut: pipeline.isCut,
            filtersActive: request.activeFilters(["vanaf", "naam"]), filtersOpen: request.activeFilters(["vanaf", "naam"]) > 0,
            postingTitle: posting?.details.title))
        // What was shown is no longer new the next time.
        try await store.applications.markSeen(pipeline.lines.map(\.postingID), by: account.id, at: looked)
        return response
    }

    /// GET /beheer/sollicitaties/:id/cv: the CV as a download, for the HR advisers of
    /// the posting's organisation only (404 for anyone else).
    @Sendable func downloadCV(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let cv = try await store.applications.cv(of: id, organisations: account.organisations(as: .hrAdviser)) else {
            throw HTTPError(.notFound)
        }
        try await store.applications.recordDownload(of: cv, by: account.id)
        let ascii = String(cv.fileName.unicodeScalars.map { $0.isASCII && $0 != "\"" && $0 != "\\" && $0.value >= 32 ? Character($0) : "_" })
        let encoded = cv.fileName.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: ".-_"))) ?? ascii
        return Response(
            status: .ok,
            headers: [
                .contentType: cv.mediaType,
                .contentDisposition: "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)",
                .cacheControl: "private, no-store",
            ],
            body: .init(byteBuffer: ByteBuffer(bytes: cv.content)))
    }

    /// GET /beheer/sollicitaties/:id
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "gesprekstijd": "De gesprekstijd is toegevoegd; uitgenodigde sollicitanten kunnen hem kiezen."
        case "geschrapt": "De gesprekstijd is geschrapt. Had iemand hem gekozen, dan krijgt die bericht en kiest een andere tijd."
        default: nil
        }
        return try await detail(context, account: account, application, error: nil, notice: notice, status: .ok)
    }

    /// POST /beheer/sollicitaties/:id/status
    @Sendable func move(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        let form = try context.requireForm()
        guard let next = ApplicationStatus(rawValue: form["status"]) else {
            return try await detail(context, account: account, application, error: "Kies een nieuwe stand.", status: .unprocessableContent)
        }
        var rejection: (reason: RejectionReason, message: String)?
        if next == .rejected {
            let message = form["rejection_message"].trimmingCharacters(in: .whitespacesAndNewlines)
            guard let reason = RejectionReason(rawValue: form["rejection_reason"]) else {
                return try await detail(context, account: account, application, error: "Kies bij afwijzen een reden uit de lijst.", status: .unprocessableContent)
            }
            guard (10...2000).contains(message.count) else {
                return try await detail(context, account: account, application,
                                        error: "Schrijf bij afwijzen een bericht aan de sollicitant (10 tot 2000 tekens).", status: .unprocessableContent)
            }
            rejection = (reason, message)
        }
        do {
            for organisation in account.organisations(as: .hrAdviser) {
                if try await store.applications.move(application.id, by: organisation, adviser: account.id, to: next, rejection: rejection) != nil { break }
            }
        } catch let failure as ApplicationStore.MoveFailure {
            let message = switch failure {
            case .notAllowed(let from): "Van \(from.label.lowercased()) kan de sollicitatie niet naar \(next.label.lowercased())."
            case .placesTaken: "Alle plaatsen van deze stage zijn al vervuld."
            }
            return try await detail(context, account: account, application, error: message, status: .conflict)
        }
        return Response.redirect(to: "/beheer/sollicitaties?gelukt=bijgewerkt", type: .normal)
    }

    /// POST /beheer/sollicitaties/:id/gesprekstijden: another interview time for the posting.
    @Sendable func addSlot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        let form = try context.requireForm()
        let appointment: Appointment
        do {
            appointment = try Appointment.parse(
                day: form["slot_day"], start: form["slot_start"], end: form["slot_end"], place: form["slot_place"], longest: 4,
                ahead: (InterviewStore.deadline, "Een gesprekstijd ligt minstens 24 uur vooruit."), now: Date())
        } catch {
            return try await detail(context, account: account, application, error: nil, slotErrors: error, form: form, status: .unprocessableContent)
        }
        let (during, place) = (appointment.during, appointment.place)
        var added: UUID?
        for organisation in account.organisations(as: .hrAdviser) where added == nil {
            added = try await store.interviews.addSlot(posting: application.postingID, organisation: organisation, during: during, place: place, by: account.id)
        }
        guard added != nil else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/sollicitaties/\(application.id.lowercased)?gelukt=gesprekstijd", type: .normal)
    }

    /// POST /beheer/sollicitaties/:id/gesprekstijden/:slot/schrappen: takes a time off again.
    @Sendable func removeSlot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let application = try await own(account, context)
        let slot = try context.parameters.requireID("slot")
        var removed = false
        for organisation in account.organisations(as: .hrAdviser) where !removed {
            removed = try await store.interviews.removeSlot(slot, organisation: organisation, by: account.id)
        }
        guard removed else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/sollicitaties/\(application.id.lowercased)?gelukt=geschrapt", type: .normal)
    }

    struct TemplatePage: Sendable {
        struct Block: Sendable { let organisation: String; let slug: String; let body: String }
        let chrome: Chrome
        let blocks: [Block]
        let error: String?
    }

    /// GET /beheer/afwijzingsbericht: the message every rejection starts from, per organisation.
    @Sendable func rejectionTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters["gelukt"] == "opgeslagen" ? "Het afwijzingsbericht is opgeslagen." : nil
        return try await templatePage(context, error: nil, notice: notice, status: .ok)
    }

    /// POST /beheer/afwijzingsbericht
    @Sendable func saveRejectionTemplate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let body = try context.requireForm()["body"].trimmingCharacters(in: .whitespacesAndNewlines)
        guard (10...2000).contains(body.count) else {
            return try await templatePage(context, error: "Het bericht is 10 tot 2000 tekens lang.", notice: nil, status: .unprocessableContent)
        }
        try await store.interviews.setRejectionTemplate(of: organisation.id, body, by: account.id)
        return Response.redirect(to: "/beheer/afwijzingsbericht?gelukt=opgeslagen", type: .normal)
    }

    private func templatePage(_ context: AppRequestContext, error: String?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        var blocks: [TemplatePage.Block] = []
        for organisation in try await store.organisations.all() where account.has(.hrAdviser, for: organisation.id) {
            blocks.append(.init(organisation: organisation.name, slug: organisation.slug, body: try await store.interviews.rejectionTemplate(of: organisation.id)))
        }
        return try views.page(.hrRejectionTemplate, TemplatePage(
            chrome: Chrome(title: "Afwijzingsbericht", context: context, path: "/beheer/sollicitaties", notice: notice), blocks: blocks, error: error),
            status: status)
    }

    private func own(_ account: Account, _ context: AppRequestContext) async throws -> ReceivedApplication {
        let id = try context.parameters.requireID()
        for organisation in account.organisations(as: .hrAdviser) {
            if let application = try await store.applications.received(id, by: organisation) { return application }
        }
        throw HTTPError(.notFound)
    }

    private func detail(
        _ context: AppRequestContext, account: Account, _ application: ReceivedApplication, error: String?, slotErrors: ValidationErrors? = nil,
        form: FormData = FormData(""), notice: String? = nil, status: HTTPResponse.Status
    ) async throws -> Response {
        // Viewing an applicant's data is logged: who, whose, when, why.
        try await store.applications.recordView(of: application, by: account.id)
        let slots = try await store.interviews.slots(posting: application.postingID, since: Date())
        let template = try await store.postings.find(id: application.postingID).asyncMap { try await store.interviews.rejectionTemplate(of: $0.organisationID) }
            ?? InterviewStore.defaultRejection
        var profile: DetailPage.Profile?
        if let professional = try await store.professionals.find(accountID: application.applicantID) {
            let functions = try await store.professionals.functions()
            profile = .init(
                functions: professional.functionCodes.map { code in functions.first { $0.code == code }?.name ?? code },
                level: professional.educationLevel?.label,
                registrations: professional.registrations.map { "\($0.register.rawValue) \($0.number)" },
                jobs: try await store.professionals.history(of: application.applicantID).map {
                    "\($0.functionName), \($0.organisationName) (\($0.startedOn.year)–\($0.endedOn.map { String($0.year) } ?? "heden"))"
                })
        }
        return try views.page(.hrApplication, DetailPage(
            chrome: Chrome(title: "Sollicitatie", context: context, path: "/beheer/sollicitaties"),
            id: application.id.uuidString.lowercased(), posting: application.postingTitle,
            postingID: application.postingID.uuidString.lowercased(), applicant: application.applicantName,
            email: application.applicantEmail, motivation: TextBlock.blocks(application.motivation ?? ""), motivationRemoved: application.motivation == nil,
            duoPartner: application.duoPartnerName, duoConfirmed: application.duoConfirmed,
            phone: application.phone, cv: application.cvFileName,
            status: application.status.label, submitted: application.submittedAt.dutchDay,
            next: application.status.nextForHR.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            profile: profile, error: error,
            canReject: application.status.nextForHR.contains(.rejected),
            reasons: [Option(value: "", label: "Kies een reden…", selected: form["rejection_reason"].isEmpty)]
                + RejectionReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form["rejection_reason"]) },
            rejectionMessage: form["rejection_message"].isEmpty ? template : form["rejection_message"],
            applicationID: application.id.lowercased,
            slots: slots.map { .init(id: $0.id.lowercased, when: FlexpoolText.when($0.during), place: $0.place, bookedBy: $0.bookedBy?.name, isThis: $0.bookedBy?.application == application.id) },
            hasSlots: !slots.isEmpty,
            slotDay: Input("slot_day", "Dag", type: "date", value: form["slot_day"], error: slotErrors?["slot_day"]),
            slotStart: Input("slot_start", "Van", type: "time", value: form["slot_start"].isEmpty ? "10:00" : form["slot_start"], error: slotErrors?["slot_start"]),
            slotEnd: Input("slot_end", "Tot", type: "time", value: form["slot_end"].isEmpty ? "11:00" : form["slot_end"], error: slotErrors?["slot_end"]),
            slotPlace: Input("slot_place", "Waar", value: form["slot_place"], error: slotErrors?["slot_place"], hint: "Een adres, of \"online\" met de link"),
            errorSummary: ErrorSummary(slotErrors, intro: "De gesprekstijd is niet toegevoegd. Dit moet nog anders:"),
            notice: notice
        ), status: status)
    }
}
