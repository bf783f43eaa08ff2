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

    /// The period the board shows: from a day, one to four weeks, and its filters
    /// (organisation, area, qualification, only gaps).
    struct Period {
        let from: Day
        let weeks: Int
        let organisation: String
        let area: String
        let qualification: String
        let onlyGaps: Bool

        init(_ values: [String: String]) {
            from = Day(iso: values["van"] ?? "") ?? Day(Date())
            weeks = Int(values["weken"] ?? "").map { min(4, max(1, $0)) } ?? 1
            organisation = values["organisatie"] ?? ""
            area = values["gebied"] ?? ""
            qualification = values["kwalificatie"] ?? ""
            onlyGaps = values["gaten"] == "1"
        }

        var window: TimeWindow {
            TimeWindow(start: AmsterdamTime.date(from, minutes: 0), end: AmsterdamTime.date(AmsterdamTime.adding(7 * weeks, to: from), minutes: 0))
        }

        var parameters: [(String, String?)] {
            [("van", from.iso), ("weken", String(weeks)), ("organisatie", organisation), ("gebied", area), ("kwalificatie", qualification),
             ("gaten", onlyGaps ? "1" : nil)]
        }

        /// The parameters that are set.
        var items: [(String, String)] { parameters.compactMap { name, value in value.flatMap { $0.isEmpty ? nil : (name, $0) } } }

        var query: String { URLComponentsLite(path: "", query: items).encodedQuery }

        /// The board `days` earlier or later, with the same filters.
        func moved(by days: Int) -> String {
            URLComponentsLite(path: "/flexpool/coordinatie", query: items.map { $0.0 == "van" ? ("van", AmsterdamTime.adding(days, to: from).iso) : $0 }).string
        }

        func matches(_ demand: DemandLine, gap: Int) -> Bool {
            (organisation.isEmpty || demand.organisationSlug == organisation) && (area.isEmpty || demand.areaSlug == area)
                && (qualification.isEmpty || demand.qualification == qualification) && (!onlyGaps || gap > 0)
        }
    }

    struct BoardPage: Sendable {
        struct Person: Sendable {
            let assignmentID: String; let name: String; let status: String; let proposed: Bool; let pinned: Bool
        }
        struct Chip: Sendable {
            let id: String; let times: String; let qualification: String; let area: String; let location: String?; let note: String?
            let urgent: Bool; let needed: Int; let confirmed: Int; let proposed: Int; let gap: Int; let hasGap: Bool; let gapReason: String?
            /// Who came nearest in the last run, and what held each back.
            let nearMisses: String?
            let people: [Person]
            /// Who said no or was taken off since the last run.
            let recent: [String]
        }
        struct Cell: Sendable { let day: String; let chips: [Chip]; let isEmpty: Bool }
        struct Row: Sendable { let organisation: String; let cells: [Cell] }
        struct Week: Sendable { let title: String; let days: [String]; let rows: [Row]; let hasRows: Bool }
        struct Run: Sendable { let at: String; let filled: Int; let needed: Int; let upperBound: Int; let method: String; let milliseconds: Int }
        let chrome: Chrome
        let from: String
        let weeks: [Option]
        let organisations: [Option]
        let areas: [Option]
        let qualifications: [Option]
        let onlyGaps: Bool
        let query: String
        let previous: String
        let next: String
        let grid: [Week]
        let run: Run?
        let proposals: Int
        let gaps: Int
        let error: String?
        let results: [String]
        let filtersActive: Int
        let filtersOpen: Bool
    }

    /// One demand with the people on it and who could be put on it by hand.
    struct PeoplePage: Sendable {
        struct Person: Sendable {
            let assignmentID: String; let accountID: String; let name: String; let status: String; let proposed: Bool; let pinned: Bool; let byHand: Bool
        }
        struct Candidate: Sendable { let accountID: String; let name: String; let hours: String; let preferred: Bool; let reason: String; let ruledOut: Bool }
        let chrome: Chrome
        let id: String
        let title: String
        let times: String
        let organisation: String
        let area: String
        let location: String?
        let needed: Int
        let confirmed: Int
        let proposed: Int
        let open: Int
        let gapReason: String?
        let back: String
        let people: [Person]
        let hasPeople: Bool
        let eligible: [Candidate]
        let hasEligible: Bool
        let nearMisses: [Candidate]
        let hasNearMisses: Bool
        let error: String?
    }

    /// The places of the coordinator's organisations.
    struct LocationsPage: Sendable {
        struct Line: Sendable { let id: String; let organisation: String; let name: String; let address: String; let contact: String; let instructions: String }
        let chrome: Chrome
        let locations: [Line]
        let hasLocations: Bool
        let organisations: [Option]
        let name: Input
        let address: Input
        let contact: Input
        let instructions: Field
        let errorSummary: ErrorSummary
        let hasErrors: Bool
    }

    struct DemandFormPage: Sendable {
        struct Group: Sendable { let label: String; let options: [Option] }
        let chrome: Chrome
        let id: String?
        let organisations: [Option]
        let areas: [Option]
        let qualifications: [Group]
        let priorities: [Option]
        let locations: [Group]
        let hasLocations: Bool
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
            .post("toewijzingen/:id/vastzetten", use: pin)
            .get("vraag/:id/mensen", use: people)
            .post("vraag/:id/toewijzen", use: assign)
            .post("vraag/:id/uitsluiten", use: forbid)
            .post("vraag/:id/toelaten", use: allow)
            .get("wat-als", use: whatIfForm)
            .post("wat-als", use: runWhatIf)
            .get("locaties", use: locations)
            .post("locaties", use: saveLocation)
            .get("inwerken", use: inductions)
            .post("inwerken", use: recordInduction)
            .post("inwerken/locatie", use: setNeedsInduction)
            .post("inwerken/dienst", use: planInduction)
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
        let started = ContinuousClock.now
        _ = try await store.flexpool.runMatching(period: period.window, organisations: Scope(account).organisations, by: account.id)
        DoorstroomMetrics.matchingRan(in: started.duration(to: .now))
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
            return Response.redirect(to: form["terug"].isEmpty ? "/flexpool/coordinatie?\(period.query)&gelukt=bevestigd" : Self.back(form), type: .normal)
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
        let form = try context.requireForm()
        return Response.redirect(to: form["terug"].isEmpty ? "/flexpool/coordinatie?\(period.query)&gelukt=ongedaan" : Self.back(form), type: .normal)
    }

    /// POST /flexpool/coordinatie/toewijzingen/:id/vastzetten: pin (vast=1) or let go.
    @Sendable func pin(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let id = try context.parameters.requireID()
        guard try await store.flexpool.pin(id, form["vast"] == "1", by: account.id, organisations: Scope(account).organisations) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: Self.back(form), type: .normal)
    }

    /// GET /flexpool/coordinatie/vraag/:id/mensen
    @Sendable func people(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await peoplePage(context, demand.id, notice: notice, error: nil, status: .ok)
    }

    /// POST /flexpool/coordinatie/vraag/:id/toewijzen: a person on the shift by hand.
    @Sendable func assign(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        let form = try context.requireForm()
        guard let person = UUID(uuidString: form["person"]) else {
            return try await peoplePage(context, demand.id, notice: nil, error: "Kies wie je op de dienst zet.", status: .unprocessableContent)
        }
        do {
            try await store.flexpool.assign(demand.id, to: person, by: account.id, organisations: Scope(account).organisations)
        } catch let failure as FlexpoolStore.ShiftFailure {
            let message = switch failure {
            case .rule(let broken): "Dat kan niet: " + FlexpoolText.rule(broken).replacingOccurrences(of: "Je ", with: "Deze persoon ").replacingOccurrences(of: " je ", with: " diens ")
            case .notInPool: "Deze persoon staat niet (meer) in de flexpool."
            case .alreadyOnIt: "Deze persoon staat al op deze dienst."
            default: FlexpoolText.failure(failure)
            }
            return try await peoplePage(context, demand.id, notice: nil, error: message, status: .conflict)
        }
        return Response.redirect(to: "/flexpool/coordinatie/vraag/\(demand.id.lowercased)/mensen?gelukt=toegewezen", type: .normal)
    }

    /// POST /flexpool/coordinatie/vraag/:id/uitsluiten: the matching never proposes this person for it.
    @Sendable func forbid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        guard let person = UUID(uuidString: try context.requireForm()["person"]) else {
            return try await peoplePage(context, demand.id, notice: nil, error: "Kies om wie het gaat.", status: .unprocessableContent)
        }
        guard try await store.flexpool.forbid(demand.id, person, by: account.id, organisations: Scope(account).organisations) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/flexpool/coordinatie/vraag/\(demand.id.lowercased)/mensen?gelukt=uitgesloten", type: .normal)
    }

    /// POST /flexpool/coordinatie/vraag/:id/toelaten
    @Sendable func allow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let demand = try await own(account, context)
        guard let person = UUID(uuidString: try context.requireForm()["person"]) else {
            return try await peoplePage(context, demand.id, notice: nil, error: "Kies om wie het gaat.", status: .unprocessableContent)
        }
        guard try await store.flexpool.allow(demand.id, person, by: account.id, organisations: Scope(account).organisations) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/flexpool/coordinatie/vraag/\(demand.id.lowercased)/mensen?gelukt=toegelaten", type: .normal)
    }

    /// GET /flexpool/coordinatie/locaties
    @Sendable func locations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = request.uri.queryParameters["gelukt"] == "locatie" ? "De locatie is opgeslagen." : nil
        return try await locationsPage(context, account, form: FormData(""), errors: nil, notice: notice, status: .ok)
    }

    /// POST /flexpool/coordinatie/locaties: a new location (or a changed one, with `id`).
    @Sendable func saveLocation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisations = try await allowedOrganisations(account)
        var errors = ValidationErrors()
        let organisation = organisations.first { $0.slug == form["organisation"] }
        if organisation == nil { errors.add("organisation", "Kies een organisatie.") }
        let name = form["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...120).contains(name.count) { errors.add("name", "Geef de locatie een naam (2 tot 120 tekens).") }
        let address = form["address"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !(5...300).contains(address.count) { errors.add("address", "Geef het adres: straat, huisnummer en plaats.") }
        let contact = form["contact"].trimmingCharacters(in: .whitespacesAndNewlines)
        if contact.count > 200 { errors.add("contact", "De contactpersoon is te lang (hoogstens 200 tekens).") }
        let instructions = form["instructions"].trimmingCharacters(in: .whitespacesAndNewlines)
        if instructions.count > 2000 { errors.add("instructions", "De aanwijzingen zijn te lang (hoogstens 2000 tekens).") }
        guard errors.isEmpty, let organisation else {
            return try await locationsPage(context, account, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
        do {
            guard try await store.flexpool.saveLocation(
                UUID(uuidString: form["id"]), organisation: organisation.id, name: name, address: address, contact: contact,
                instructions: instructions, by: account.id) != nil else { throw HTTPError(.notFound) }
        } catch let refused as ValidationErrors {
            return try await locationsPage(context, account, form: form, errors: refused, notice: nil, status: .conflict)
        }
        return Response.redirect(to: "/flexpool/coordinatie/locaties?gelukt=locatie", type: .normal)
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
        switch DemandCSV.parse(form["file"], organisations: Set(organisations.map(\.slug)), functionCodes: functions,
                               locations: try await locationNames(account), now: Date()) {
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
        "toegewezen": "De persoon staat op de dienst en krijgt er bericht van.",
        "uitgesloten": "De persoon is uitgesloten: de matching stelt hem voor deze dienst niet meer voor.",
        "toegelaten": "De persoon kan weer worden voorgesteld.",
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
        return (ShiftDemand.fieldNames + ["van", "weken", "organisatie", "gebied", "kwalificatie", "gaten"]).reduce(into: [:]) { $0[$1] = form[$1] }
    }

    /// Where a button on the board or a demand's page sends the coordinator back to:
    /// a path of the board, never elsewhere.
    static func back(_ form: FormData) -> String {
        let terug = form["terug"]
        return terug.hasPrefix("/flexpool/coordinatie") && !terug.contains("//") && !terug.contains("\\") ? terug : "/flexpool/coordinatie"
    }

    /// The location names of each organisation, for the demand form and its CSV.
    private func locationNames(_ account: Account) async throws -> [String: Set<String>] {
        let organisations = try await allowedOrganisations(account)
        let slugs = Dictionary(uniqueKeysWithValues: organisations.map { ($0.id, $0.slug) })
        var names: [String: Set<String>] = [:]
        for location in try await store.flexpool.locations(organisations: organisations.map(\.id)) {
            if let slug = slugs[location.organisationID] { names[slug, default: []].insert(location.name) }
        }
        return names
    }

    private func allowedOrganisations(_ account: Account) async throws -> [Organisation] {
        let scope = Scope(account)
        return try await store.organisations.members().filter { $0.active && scope.includes($0.id) }
    }

    private func parse(_ values: [String: String], _ account: Account) async throws -> ShiftDemand {
        let organisations = try await allowedOrganisations(account)
        let functions = Set(try await store.professionals.functions().map(\.code))
        return try ShiftDemand.parse(values, organisations: Set(organisations.map(\.slug)), functionCodes: functions,
                                     locations: try await locationNames(account), now: Date())
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
            "location": demand.location?.name ?? "",
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
        let back = "/flexpool/coordinatie?" + period.query

        var proposals = 0, gaps = 0
        var chips: [(demand: DemandLine, chip: BoardPage.Chip)] = []
        let names = try await store.flexpool.names(of: Array(Set((run?.gaps ?? []).flatMap { $0.nearMisses.compactMap { UUID(uuidString: $0.person) } })))
        for demand in demands {
            let live = (byDemand[demand.id] ?? []).filter { $0.status.isLive }
            let gap = max(0, demand.peopleNeeded - live.count)
            guard period.matches(demand, gap: gap) else { continue }
            let proposed = live.filter { $0.status == .proposed }.count
            proposals += proposed
            gaps += gap
            // In a few words: the page of the demand says it in full.
            let reason = gap > 0 ? Self.gapReason(demand, run: run, short: true) : nil
            chips.append((demand, BoardPage.Chip(
                id: demand.id.lowercased, times: FlexpoolText.times(demand.shift), qualification: demand.qualificationName,
                area: demand.areaName, location: demand.location?.name,
                note: demand.note.isEmpty ? nil : (demand.note.count > 40 ? String(demand.note.prefix(38)) + "…" : demand.note),
                urgent: demand.priority == .urgent,
                needed: demand.peopleNeeded, confirmed: demand.peopleConfirmed, proposed: proposed, gap: gap, hasGap: gap > 0, gapReason: reason,
                nearMisses: gap > 0 ? Self.nearMisses(demand, run: run, names: names) : nil,
                people: live.map {
                    .init(assignmentID: $0.id.lowercased, name: $0.personName,
                          status: $0.claimed ? "Zelf geclaimd" : $0.byHand ? "Ingeroosterd" : $0.status.label,
                          proposed: $0.status == .proposed, pinned: $0.pinned)
                },
                recent: (byDemand[demand.id] ?? []).filter { !$0.status.isLive }.map { "\($0.personName): \($0.status.label.lowercased())" })))
        }
        // A table per week: days as columns, a row per organisation with demand that week.
        // Each chip's day is worked out once (a calendar's answer is not cheap), and
        // the chips are grouped by day and organisation in one pass.
        var byDay: [Day: [String: [BoardPage.Chip]]] = [:]
        for (demand, chip) in chips { byDay[Day(demand.shift.start), default: [:]][demand.organisationName, default: []].append(chip) }
        var grid: [BoardPage.Week] = []
        for week in 0..<period.weeks {
            let days = (0..<7).map { AmsterdamTime.adding(week * 7 + $0, to: period.from) }
            let titles = days.map { FlexpoolText.dayTitle(AmsterdamTime.date($0, minutes: 720)) }
            let organisations = Set(days.flatMap { byDay[$0]?.keys.map { $0 } ?? [] }).sorted()
            let rows = organisations.map { organisation in
                BoardPage.Row(organisation: organisation, cells: zip(days, titles).map { day, title in
                    let here = byDay[day]?[organisation] ?? []
                    return BoardPage.Cell(day: title, chips: here, isEmpty: here.isEmpty)
                })
            }
            grid.append(.init(
                title: "\(days[0].dutch) t/m \(days[6].dutch)",
                days: days.map { AmsterdamTime.weekdayShort[AmsterdamTime.weekday(of: $0) - 1] + " " + String($0.dutch.prefix(5)) },
                rows: rows, hasRows: !rows.isEmpty))
        }
        let organisations = try await allowedOrganisations(account)
        let functions = try await store.professionals.functions()
        let active = [period.organisation, period.area, period.qualification, period.onlyGaps ? "1" : ""].filter { !$0.isEmpty }.count
        let page = BoardPage(
            chrome: Chrome(title: "Flexpool-coördinatie", context: context, path: "/flexpool/coordinatie", notice: notice),
            from: period.from.iso,
            weeks: (1...4).map { Option(value: String($0), label: $0 == 1 ? "1 week" : "\($0) weken", selected: $0 == period.weeks) },
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == period.organisation) },
            areas: Area.all.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == period.area) },
            qualifications: functions.map { Option(value: $0.code, label: $0.name, selected: $0.code == period.qualification) }
                + Discipline.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == period.qualification) },
            onlyGaps: period.onlyGaps, query: back,
            previous: period.moved(by: -7 * period.weeks), next: period.moved(by: 7 * period.weeks),
            grid: grid,
            run: run.map {
                .init(at: $0.runAt.dutchMoment, filled: $0.filled, needed: $0.needed, upperBound: $0.upperBound,
                      method: $0.method == "exact" ? "exact" : "heuristisch", milliseconds: $0.milliseconds)
            },
            proposals: proposals, gaps: gaps, error: error, results: results,
            filtersActive: active, filtersOpen: active > 0)
        return try views.page(.flexpoolBoard, page, status: status)
    }

    /// The people the latest run found nearest to a demand's gap, with what held each
    /// back ("Anna Jansen (4 uur boven het weekmaximum)"); nil when the run does not
    /// describe the demand as it is now.
    static func nearMisses(_ demand: DemandLine, run: MatchingRunRecord?, names: [UUID: String]) -> String? {
        guard demand.shift.start > Date(), let run, run.runAt >= demand.updatedAt,
              let gap = run.gaps.first(where: { $0.demand == demand.id.lowercased }), !gap.nearMisses.isEmpty
        else { return nil }
        return gap.nearMisses.map { miss in
            let name = UUID(uuidString: miss.person).flatMap { names[$0] } ?? "iemand die niet meer in de pool zit"
            return "\(name) (\(FlexpoolText.nearMiss(miss)))"
        }.joined(separator: ", ")
    }

    /// Why a demand still has a gap: what the latest run said of it, or that no run
    /// has seen it as it is now.
    static func gapReason(_ demand: DemandLine, run: MatchingRunRecord?, short: Bool) -> String {
        if demand.shift.start <= Date() { return short ? "al begonnen" : "De dienst is al begonnen." }
        if let run, run.runAt >= demand.updatedAt, let known = run.gaps.first(where: { $0.demand == demand.id.lowercased })?.reason {
            return short ? FlexpoolText.gapShort(known) : FlexpoolText.gap(known)
        }
        if run == nil || run!.runAt < demand.updatedAt {
            return short ? "nog niet gematcht" : "Nog niet gematcht sinds de vraag er is of is gewijzigd; draai de matching."
        }
        return short ? "weer open (afgezegd of ingetrokken)" : "Weer open na de laatste matching (afgezegd of ingetrokken); draai de matching opnieuw."
    }

    private func peoplePage(_ context: AppRequestContext, _ id: ShiftDemand.ID, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let list = try await store.flexpool.handList(for: id) else { throw HTTPError(.notFound) }
        let demand = list.demand
        let run = try await store.flexpool.latestRun(overlapping: demand.shift, organisations: [demand.organisationID])
        func candidate(_ person: HandCandidate) -> PeoplePage.Candidate {
            .init(accountID: person.accountID.lowercased, name: person.name,
                  hours: "\(FlexpoolText.hours(person.weekHours)) van \(FlexpoolText.hours(person.cap)) uur deze week",
                  preferred: person.preferredArea, reason: FlexpoolText.nearMiss(person.finding, ruledOut: person.ruledOut, shift: demand.shift),
                  ruledOut: person.ruledOut)
        }
        let live = list.assignments.filter { $0.status.isLive }
        return try views.page(.flexpoolPeople, PeoplePage(
            chrome: Chrome(title: "Mensen voor een dienst", context: context, path: "/flexpool/coordinatie", notice: notice),
            id: demand.id.lowercased, title: "\(demand.qualificationName) bij \(demand.organisationName)",
            times: FlexpoolText.when(demand.shift), organisation: demand.organisationName, area: demand.areaName,
            location: demand.location.map { "\($0.name), \($0.address)" },
            needed: demand.peopleNeeded, confirmed: demand.peopleConfirmed, proposed: live.filter { $0.status == .proposed }.count,
            open: max(0, demand.peopleNeeded - live.count),
            gapReason: demand.peopleNeeded > live.count ? Self.gapReason(demand, run: run, short: false) : nil,
            back: "/flexpool/coordinatie?van=\(Day(demand.shift.start).iso)",
            people: live.map {
                .init(assignmentID: $0.id.lowercased, accountID: $0.accountID.lowercased, name: $0.personName,
                      status: $0.claimed ? "Zelf geclaimd" : $0.byHand ? "Ingeroosterd" : $0.status.label,
                      proposed: $0.status == .proposed, pinned: $0.pinned, byHand: $0.byHand)
            }, hasPeople: !live.isEmpty,
            eligible: list.eligible.prefix(50).map(candidate), hasEligible: !list.eligible.isEmpty,
            nearMisses: list.nearMisses.prefix(50).map(candidate), hasNearMisses: !list.nearMisses.isEmpty,
            error: error), status: status)
    }

    private func locationsPage(
        _ context: AppRequestContext, _ account: Account, form: FormData, errors: ValidationErrors?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let organisations = try await allowedOrganisations(account)
        let locations = try await store.flexpool.locations(organisations: organisations.map(\.id))
        return try views.page(.flexpoolLocations, LocationsPage(
            chrome: Chrome(title: "Locaties", context: context, path: "/flexpool/coordinatie/locaties", notice: notice),
            locations: locations.map {
                .init(id: $0.id.lowercased, organisation: $0.organisationName, name: $0.name, address: $0.address, contact: $0.contact,
                      instructions: $0.instructions)
            }, hasLocations: !locations.isEmpty,
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == form["organisation"]) },
            name: Input("name", "Naam van de locatie", value: form["name"], error: errors?["name"], hint: "Bijvoorbeeld: Groepswonen De Boog"),
            address: Input("address", "Adres", autocomplete: "street-address", value: form["address"], error: errors?["address"]),
            contact: Input("contact", "Contactpersoon en telefoon", value: form["contact"], error: errors?["contact"], required: false),
            instructions: Field(form["instructions"], error: errors?["instructions"]),
            errorSummary: ErrorSummary(errors, intro: "De locatie is niet opgeslagen. Dit moet nog anders:"),
            hasErrors: !(errors?.isEmpty ?? true)), status: status)
    }

    private func demandForm(
        _ context: AppRequestContext, _ account: Account, id: UUID?, values: [String: String], errors: ValidationErrors?, csvErrors: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let organisations = try await allowedOrganisations(account)
        let functions = try await store.professionals.functions()
        let chosen = values["qualification"] ?? ""
        let locationGroups = Dictionary(grouping: try await store.flexpool.locations(organisations: organisations.map(\.id)), by: \.organisationName)
            .sorted { $0.key < $1.key }
            .map { name, lines in DemandFormPage.Group(label: name, options: lines.map { Option(value: $0.name, label: $0.name, selected: $0.name == values["location"]) }) }
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
            locations: locationGroups, hasLocations: !locationGroups.isEmpty,
            fields: ShiftDemand.fieldNames.reduce(into: [:]) { $0[$1] = Field(values[$1] ?? "", error: errors?[$1]) },
            csvErrors: csvErrors,
            error: errors == nil ? nil : "Niet alles is goed ingevuld; zie de meldingen bij de velden.")
        return try views.page(.flexpoolDemand, page, status: status)
    }
}
