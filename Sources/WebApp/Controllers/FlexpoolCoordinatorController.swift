import Domain
import Foundation
import Hummingbird
import Matching
import Store

/// The coordinator's board (`/flexpool/coordinatie`): demand by day with who is
/// proposed and confirmed, the gaps and why; posting demand (one by one or a CSV
/// file), running the matching, confirming all or part, undoing.
struct FlexpoolCoordinatorController: RouteCollection {
    let store: Store
    let views: Views

    /// What a coordinator acts for: the region (nil) or their organisations.
    struct Scope {
        let organisations: [Organisation.ID]?

        init(_ account: Account) {
            let grants = account.grants.filter { $0.role == .coordinator }
            organisations = grants.contains { $0.organisationID == nil } ? nil : grants.compactMap(\.organisationID)
        }

        func includes(_ organisation: Organisation.ID) -> Bool { organisations?.contains(organisation) ?? true }
    }

    /// The period the board shows: from a day, one to four weeks.
    struct Period {
        let from: Day
        let weeks: Int

        init(_ values: [String: String]) {
            from = Day(iso: values["van"] ?? "") ?? Day(Date())
            weeks = Int(values["weken"] ?? "").map { min(4, max(1, $0)) } ?? 1
        }

        var window: TimeWindow {
            TimeWindow(start: AmsterdamTime.date(from, minutes: 0), end: AmsterdamTime.date(AmsterdamTime.adding(7 * weeks, to: from), minutes: 0))
        }

        var query: String { "van=\(from.iso)&weken=\(weeks)" }
    }

    struct BoardPage: Sendable {
        struct Person: Sendable {
            let assignmentID: String; let name: String; let status: String; let proposed: Bool; let confirmed: Bool; let claimed: Bool
        }
        struct Card: Sendable {
            let id: String; let times: String; let organisation: String; let area: String; let qualification: String
            let urgent: Bool; let needed: Int; let confirmed: Int; let note: String?
            let people: [Person]; let recent: [String]; let gap: Int; let hasGap: Bool; let gapReason: String?
        }
        struct DayBlock: Sendable { let title: String; let cards: [Card] }
        struct Run: Sendable { let at: String; let filled: Int; let needed: Int; let upperBound: Int; let method: String; let milliseconds: Int }
        let chrome: Chrome
        let from: String
        let weeks: [Option]
        let previous: String
        let next: String
        let days: [DayBlock]
        let run: Run?
        let proposals: Int
        let gaps: Int
        let error: String?
        let results: [String]
    }

    struct DemandFormPage: Sendable {
        struct Group: Sendable { let label: String; let options: [Option] }
        let chrome: Chrome
        let id: String?
        let organisations: [Option]
        let areas: [Option]
        let qualifications: [Group]
        let priorities: [Option]
        let fields: [String: Field]
        let csvErrors: [String]
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/flexpool/coordinatie").add(middleware: RequireRole(.coordinator))
            .get(use: showBoard)
            .post("matching", use: runMatching)
            .post("bevestigen", use: confirm)
            .post("toewijzingen/:id/ongedaan", use: undo)
            .get("vraag", use: newDemand)
            .post("vraag", use: postDemand)
            .post("vraag/csv", use: uploadDemand)
            .get("vraag/:id", use: editDemand)
            .post("vraag/:id", use: changeDemand)
            .post("vraag/:id/annuleren", use: cancelDemand)
    }

    // MARK: - Handlers

    /// GET /flexpool/coordinatie
    @Sendable func showBoard(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await board(context, account, Period(request.queryDictionary), notice: notice, error: nil, results: [], status: .ok)
    }

    /// POST /flexpool/coordinatie/matching
    @Sendable func runMatching(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let period = Period(try formValues(context))
        _ = try await store.flexpool.runMatching(period: period.window, organisations: Scope(account).organisations, by: account.id)
        return Response.redirect(to: "/flexpool/coordinatie?\(period.query)&gelukt=gematcht", type: .normal)
    }

    /// POST /flexpool/coordinatie/bevestigen
    @Sendable func confirm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let scope = Scope(account)
        let period = Period(try formValues(context))
        var ids = form.values("assignment").compactMap(UUID.init(uuidString:))
        if form["all"] == "1" {
            let demands = try await store.flexpool.demands(in: period.window, organisations: scope.organisations)
            ids = try await store.flexpool.assignments(on: demands.map(\.id), since: Date()).filter { $0.status == .proposed }.map(\.id)
        }
        guard !ids.isEmpty else {
            return try await board(context, account, period, notice: nil, error: "Kies de voorstellen die je wilt bevestigen.", results: [], status: .unprocessableContent)
        }
        var confirmed = 0
        var problems: [String] = []
        for id in ids {
            do {
                try await store.flexpool.confirm(id, by: account.id, organisations: scope.organisations)
                confirmed += 1
            } catch let failure as FlexpoolStore.ShiftFailure {
                problems.append(FlexpoolText.failure(failure))
            }
        }
        if problems.isEmpty {
            return Response.redirect(to: "/flexpool/coordinatie?\(period.query)&gelukt=bevestigd", type: .normal)
        }
        return try await board(context, account, period, notice: "\(confirmed) bevestigd.",
                               error: "\(problems.count) voorstel(len) konden niet worden bevestigd:", results: problems, status: .conflict)
    }

    /// POST /flexpool/coordinatie/toewijzingen/:id/ongedaan
    @Sendable func undo(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let period = Period(try formValues(context))
        let id = try context.parameters.requireID()
        guard try await store.flexpool.undo(id, by: account.id, organisations: Scope(account).organisations) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/flexpool/coordinatie?\(period.query)&gelukt=ongedaan", type: .normal)
    }

    /// GET /flexpool/coordinatie/vraag
    @Sendable func newDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await demandForm(context, account, id: nil, values: ["priority": "normal", "people": "1"], errors: nil, csvErrors: [], status: .ok)
    }

    /// POST /flexpool/coordinatie/vraag
    @Sendable func postDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let values = try formValues(context)
        do {
            let demand = try await parse(values, account)
            _ = try await store.flexpool.post([demand], by: account.id)
            return Response.redirect(to: "/flexpool/coordinatie?van=\(Day(demand.shift.start).iso)&gelukt=vraag", type: .normal)
        } catch let errors as ValidationErrors {
            return try await demandForm(context, account, id: nil, values: values, errors: errors, csvErrors: [], status: .unprocessableContent)
        }
    }

    /// POST /flexpool/coordinatie/vraag/csv
    @Sendable func uploadDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisations = try await allowedOrganisations(account)
        let functions = Set(try await store.professionals.functions().map(\.code))
        switch DemandCSV.parse(form["file"], organisations: Set(organisations.map(\.slug)), functionCodes: functions, now: Date()) {
        case .failure(let problems):
            return try await demandForm(context, account, id: nil, values: ["priority": "normal", "people": "1"], errors: nil,
                                        csvErrors: problems.lines.map { "Regel \($0.line): \($0.message)" }, status: .unprocessableContent)
        case .success(let demands):
            _ = try await store.flexpool.post(demands, by: account.id, fromFile: true)
            let first = demands.map(\.shift.start).min().map { Day($0).iso } ?? Day(Date()).iso
            return Response.redirect(to: "/flexpool/coordinatie?van=\(first)&weken=4&gelukt=csv", type: .normal)
        }
    }

    /// GET /flexpool/coordinatie/vraag/:id
    @Sendable func editDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        return try await demandForm(context, account, id: demand.id, values: Self.values(of: demand), errors: nil, csvErrors: [], status: .ok)
    }

    /// POST /flexpool/coordinatie/vraag/:id
    @Sendable func changeDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        var values = try formValues(context)
        values["organisation"] = demand.organisationSlug
        do {
            let changed = try await parse(values, account)
            _ = try await store.flexpool.change(demand.id, to: changed, by: account.id)
            return Response.redirect(to: "/flexpool/coordinatie?van=\(Day(changed.shift.start).iso)&gelukt=gewijzigd", type: .normal)
        } catch let errors as ValidationErrors {
            return try await demandForm(context, account, id: demand.id, values: values, errors: errors, csvErrors: [], status: .unprocessableContent)
        } catch FlexpoolStore.DemandFailure.belowConfirmed(let count) {
            return try await demandForm(context, account, id: demand.id, values: values,
                                        errors: ValidationErrors(field: "people", message: "Er zijn al \(count) mensen bevestigd; maak eerst toewijzingen ongedaan."),
                                        csvErrors: [], status: .conflict)
        }
    }

    /// POST /flexpool/coordinatie/vraag/:id/annuleren
    @Sendable func cancelDemand(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        _ = try await store.flexpool.cancel(demand.id, by: account.id)
        return Response.redirect(to: "/flexpool/coordinatie?van=\(Day(demand.shift.start).iso)&gelukt=geannuleerd", type: .normal)
    }

    static let notices = [
        "gematcht": "De matching is gedraaid; de voorstellen staan hieronder.",
        "bevestigd": "De voorstellen zijn bevestigd.",
        "ongedaan": "De toewijzing is ongedaan gemaakt; de plek is weer open.",
        "vraag": "De vraag is geplaatst.",
        "csv": "Het rooster is ingelezen.",
        "gewijzigd": "De vraag is gewijzigd.",
        "geannuleerd": "De vraag is geannuleerd.",
    ]

    private func formValues(_ context: AppRequestContext) throws -> [String: String] {
        let form = try context.requireForm()
        return (ShiftDemand.fieldNames + ["van", "weken"]).reduce(into: [:]) { $0[$1] = form[$1] }
    }

    private func allowedOrganisations(_ account: Account) async throws -> [Organisation] {
        let scope = Scope(account)
        return try await store.organisations.all().filter { $0.active && scope.includes($0.id) }
    }

    private func parse(_ values: [String: String], _ account: Account) async throws -> ShiftDemand {
        let organisations = try await allowedOrganisations(account)
        let functions = Set(try await store.professionals.functions().map(\.code))
        return try ShiftDemand.parse(values, organisations: Set(organisations.map(\.slug)), functionCodes: functions, now: Date())
    }

    /// A demand of this coordinator's scope, still open; 404 for any other.
    private func own(_ account: Account, _ context: AppRequestContext) async throws -> DemandLine {
        let id = try context.parameters.requireID()
        guard let demand = try await store.flexpool.demand(id), demand.status == .open,
              Scope(account).includes(demand.organisationID) else { throw HTTPError(.notFound) }
        return demand
    }

    static func values(of demand: DemandLine) -> [String: String] {
        [
            "organisation": demand.organisationSlug, "area": demand.areaSlug, "qualification": demand.qualification,
            "date": Day(demand.shift.start).iso, "start": AmsterdamTime.clock(demand.shift.start), "end": AmsterdamTime.clock(demand.shift.end),
            "people": String(demand.peopleNeeded), "priority": demand.priority.rawValue, "note": demand.note,
        ]
    }

    private func board(
        _ context: AppRequestContext, _ account: Account, _ period: Period, notice: String?, error: String?, results: [String], status: HTTPResponse.Status
    ) async throws -> Response {
        let scope = Scope(account)
        let window = period.window
        let demands = try await store.flexpool.demands(in: window, organisations: scope.organisations)
        let run = try await store.flexpool.latestRun(overlapping: window, organisations: scope.organisations)
        let assignments = try await store.flexpool.assignments(on: demands.map(\.id), since: run?.runAt ?? Date().addingTimeInterval(-7 * 86_400))
        var byDemand: [UUID: [AssignmentLine]] = [:]
        for line in assignments { byDemand[line.demandID, default: []].append(line) }
        var gapReasons: [String: Gap.Reason] = [:]
        for gap in run?.gaps ?? [] { gapReasons[gap.demand] = gap.reason }

        var days: [BoardPage.DayBlock] = []
        var proposals = 0, gaps = 0
        for demand in demands {
            let lines = byDemand[demand.id] ?? []
            let live = lines.filter { $0.status.isLive }
            proposals += live.filter { $0.status == .proposed }.count
            let gap = max(0, demand.peopleNeeded - live.count)
            gaps += gap
            var reason: String?
            if gap > 0 {
                if demand.shift.start <= Date() {
                    reason = "De dienst is al begonnen."
                } else if let run, run.runAt >= demand.updatedAt, let known = gapReasons[demand.id.lowercased] {
                    reason = FlexpoolText.gap(known)
                } else if run == nil || run!.runAt < demand.updatedAt {
                    reason = "Nog niet gematcht sinds de vraag er is of is gewijzigd; draai de matching."
                } else {
                    reason = "Weer open na de laatste matching (afgezegd of ingetrokken); draai de matching opnieuw."
                }
            }
            let card = BoardPage.Card(
                id: demand.id.lowercased, times: FlexpoolText.times(demand.shift), organisation: demand.organisationName,
                area: demand.areaName, qualification: demand.qualificationName, urgent: demand.priority == .urgent,
                needed: demand.peopleNeeded, confirmed: demand.peopleConfirmed, note: demand.note.isEmpty ? nil : demand.note,
                people: live.map {
                    .init(assignmentID: $0.id.lowercased, name: $0.personName, status: $0.claimed ? "Zelf geclaimd" : $0.status.label,
                          proposed: $0.status == .proposed, confirmed: $0.status == .confirmed, claimed: $0.claimed)
                },
                recent: lines.filter { !$0.status.isLive }.map { "\($0.personName): \($0.status.label.lowercased())" },
                gap: gap, hasGap: gap > 0, gapReason: reason)
            let title = FlexpoolText.dayTitle(demand.shift.start)
            if days.last?.title == title {
                days[days.count - 1] = .init(title: title, cards: days[days.count - 1].cards + [card])
            } else {
                days.append(.init(title: title, cards: [card]))
            }
        }
        let page = BoardPage(
            chrome: Chrome(title: "Flexpool-coördinatie", context: context, path: "/flexpool/coordinatie", notice: notice),
            from: period.from.iso,
            weeks: (1...4).map { Option(value: String($0), label: $0 == 1 ? "1 week" : "\($0) weken", selected: $0 == period.weeks) },
            previous: "/flexpool/coordinatie?van=\(AmsterdamTime.adding(-7 * period.weeks, to: period.from).iso)&weken=\(period.weeks)",
            next: "/flexpool/coordinatie?van=\(AmsterdamTime.adding(7 * period.weeks, to: period.from).iso)&weken=\(period.weeks)",
            days: days,
            run: run.map {
                .init(at: $0.runAt.dutchMoment, filled: $0.filled, needed: $0.needed, upperBound: $0.upperBound,
                      method: $0.method == "exact" ? "exact" : "heuristisch", milliseconds: $0.milliseconds)
            },
            proposals: proposals, gaps: gaps, error: error, results: results)
        return try views.page(.flexpoolBoard, page, status: status)
    }

    private func demandForm(
        _ context: AppRequestContext, _ account: Account, id: UUID?, values: [String: String], errors: ValidationErrors?, csvErrors: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let organisations = try await allowedOrganisations(account)
        let functions = try await store.professionals.functions()
        let chosen = values["qualification"] ?? ""
        let page = DemandFormPage(
            chrome: Chrome(title: id == nil ? "Vraag uitzetten" : "Vraag wijzigen", context: context, path: "/flexpool/coordinatie"),
            id: id?.lowercased,
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == values["organisation"]) },
            areas: Area.all.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == values["area"]) },
            qualifications: [
                .init(label: "Functies", options: functions.map { Option(value: $0.code, label: $0.name, selected: $0.code == chosen) }),
                .init(label: "Disciplines", options: Discipline.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == chosen) }),
            ],
            priorities: ShiftDemand.Priority.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == values["priority"]) },
            fields: ShiftDemand.fieldNames.reduce(into: [:]) { $0[$1] = Field(values[$1] ?? "", error: errors?[$1]) },
            csvErrors: csvErrors,
            error: errors == nil ? nil : "Niet alles is goed ingevuld; zie de meldingen bij de velden.")
        return try views.page(.flexpoolDemand, page, status: status)
    }
}
