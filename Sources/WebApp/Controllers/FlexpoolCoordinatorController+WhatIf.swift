import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Matching
import Store

/// "Wat als": the matching of the board's period run again on a copy with one change
/// (someone more in the pool, other hours for someone, a demand at another time), with
/// the gaps it would close. Nothing is saved.
extension FlexpoolCoordinatorController {
    struct WhatIfPage: Sendable {
        struct Line: Sendable { let text: String }
        let chrome: Chrome
        let from: String
        let weeks: String
        /// "vanaf 14-12-2026, 2 weken"
        let periodLabel: String
        let back: String
        let extraChecked: Bool
        let hoursChecked: Bool
        let moveChecked: Bool
        let qualifications: [Option]
        let areas: [Option]
        let extraHours: Input
        let members: [Option]
        let memberHours: Input
        let demandOptions: [Option]
        let hasDemands: Bool
        let day: Input
        let time: Input
        let errorSummary: ErrorSummary
        /// After a run.
        let ran: Bool
        let summary: String
        let closed: [Line]
        let hasClosed: Bool
        let opened: [Line]
        let hasOpened: Bool
    }

    /// GET /flexpool/coordinatie/wat-als
    @Sendable func whatIfForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let period = Period(request.queryDictionary)
        return try await whatIfPage(context, account, period, form: FormData(""), errors: nil, outcome: nil, status: .ok)
    }

    /// POST /flexpool/coordinatie/wat-als
    @Sendable func runWhatIf(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let period = Period(["van": form["van"], "weken": form["weken"]])
        let scope = Scope(account)
        var errors = ValidationErrors()
        var change: WhatIf?
        switch form["soort"] {
        case "persoon":
            let qualification = form["kwalificatie"], area = form["gebied"]
            let functions = try await store.professionals.functions()
            if !functions.contains(where: { $0.code == qualification }) && Discipline(rawValue: qualification) == nil {
                errors.add("kwalificatie", "Kies een functie of discipline.")
            }
            if !Area.all.contains(where: { $0.slug == area }) { errors.add("gebied", "Kies een gebied.") }
            let hours = Int(form["uren"])
            if hours == nil || !(1...40).contains(hours!) { errors.add("uren", "Geef de uren per week als een getal van 1 tot en met 40.") }
            if errors.isEmpty {
                // Someone new would come vetted: a VOG and the registration the function
                // needs from the first day; but nobody has shown them around anywhere yet.
                change = .extraPerson(PoolPerson(
                    id: "wat-als-extra", homeOrganisation: "", qualifications: [qualification], allowedAreas: [area], preferredAreas: [area],
                    availability: [period.window], weeklyCapHours: Double(hours!), vogIssued: period.window.start,
                    registrations: JobFunction.requiredRegister(for: qualification).map { [PoolPerson.Registration(register: $0.rawValue, from: period.window.start)] } ?? []))
            }
        case "uren":
            let members = try await store.flexpool.poolMembers()
            let member = UUID(uuidString: form["lid"]).flatMap { id in members.first { $0.id == id } }
            if member == nil { errors.add("lid", "Kies iemand uit de pool.") }
            let hours = Int(form["lid-uren"])
            if hours == nil || !(1...40).contains(hours!) { errors.add("lid-uren", "Geef de uren per week als een getal van 1 tot en met 40.") }
            if let member, let hours, errors.isEmpty { change = .weeklyHours(person: member.id.lowercased, hours: Double(hours)) }
        case "vraag":
            let demands = try await store.flexpool.demands(in: period.window, organisations: scope.organisations)
            let demand = UUID(uuidString: form["vraag"]).flatMap { id in demands.first { $0.id == id } }
            if demand == nil { errors.add("vraag", "Kies een vraag uit deze periode.") }
            let day = Day(iso: form["dag"])
            let minutes = AmsterdamTime.minutes(form["tijd"])
            if day == nil { errors.add("dag", "Geef de nieuwe datum als JJJJ-MM-DD.") }
            if minutes == nil { errors.add("tijd", "Geef de nieuwe begintijd als UU:MM.") }
            if let demand, let day, let minutes, errors.isEmpty {
                let start = AmsterdamTime.date(day, minutes: minutes)
                if start <= Date() {
                    errors.add("dag", "De nieuwe tijd ligt in het verleden.")
                } else {
                    change = .moveDemand(id: demand.id.lowercased, start: start)
                }
            }
        default:
            errors.add("soort", "Kies wat je wilt proberen.")
        }
        guard let change else {
            return try await whatIfPage(context, account, period, form: form, errors: errors, outcome: nil, status: .unprocessableContent)
        }
        guard let outcome = try await store.flexpool.whatIf(change, period: period.window, organisations: scope.organisations) else {
            errors.add("soort", "Dat hoort niet bij de open vraag van deze periode.")
            return try await whatIfPage(context, account, period, form: form, errors: errors, outcome: nil, status: .unprocessableContent)
        }
        return try await whatIfPage(context, account, period, form: form, errors: nil, outcome: outcome, status: .ok)
    }

    private func whatIfPage(
        _ context: AppRequestContext, _ account: Account, _ period: Period, form: FormData, errors: ValidationErrors?, outcome: WhatIfOutcome?,
        status: HTTPResponse.Status
    ) async throws -> Response {
        let scope = Scope(account)
        let functions = try await store.professionals.functions()
        let members = try await store.flexpool.poolMembers()
        let demands = try await store.flexpool.demands(in: period.window, organisations: scope.organisations).filter { $0.shift.start > Date() }
        let byID = Dictionary(demands.map { ($0.id.lowercased, $0) }, uniquingKeysWith: { first, _ in first })
        func describe(_ demand: DemandLine) -> String {
            "\(FlexpoolText.when(demand.shift)) · \(demand.qualificationName) bij \(demand.organisationName) (\(demand.areaName))"
        }
        func lines(_ list: [(demand: String, places: Int)]) -> [WhatIfPage.Line] {
            list.compactMap { item in
                byID[item.demand].map { WhatIfPage.Line(text: "\(describe($0)): \(item.places) \(item.places == 1 ? "plaats" : "plaatsen")") }
            }
        }
        var summary = ""
        if let outcome {
            let before = outcome.before.coverage, after = outcome.after.coverage
            let difference = after.filled - before.filled
            summary = (difference > 0 ? "Met deze verandering vult de matching \(difference) \(difference == 1 ? "plaats" : "plaatsen") meer"
                : difference < 0 ? "Met deze verandering vult de matching \(-difference) \(difference == -1 ? "plaats" : "plaatsen") minder"
                : "Met deze verandering vult de matching evenveel plaatsen")
                + ": \(after.filled) van de \(after.needed) open plaatsen (nu \(before.filled)). Er is niets opgeslagen; het rooster is niet veranderd."
        }
        let kind = form["soort"]
        return try views.page(.flexpoolWhatIf, WhatIfPage(
            chrome: Chrome(title: "Wat als?", context: context, path: "/flexpool/coordinatie"),
            from: period.from.iso, weeks: String(period.weeks),
            periodLabel: "vanaf \(period.from.dutch), \(period.weeks) \(period.weeks == 1 ? "week" : "weken")", back: "/flexpool/coordinatie?\(period.query)",
            extraChecked: kind == "persoon" || kind.isEmpty, hoursChecked: kind == "uren", moveChecked: kind == "vraag",
            qualifications: functions.map { Option(value: $0.code, label: $0.name, selected: $0.code == form["kwalificatie"]) }
                + Discipline.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == form["kwalificatie"]) },
            areas: Area.all.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == form["gebied"]) },
            extraHours: Input("uren", "Uren per week", type: "number", value: form["uren"].isEmpty ? "24" : form["uren"], error: errors?["uren"],
                              hint: "Beschikbaar in de hele periode, in alle organisaties behalve de eigen."),
            members: members.map { Option(value: $0.id.lowercased, label: "\($0.name) (nu \($0.weeklyCapHours) uur)", selected: $0.id.lowercased == form["lid"].lowercased()) },
            memberHours: Input("lid-uren", "Nieuwe uren per week", type: "number", value: form["lid-uren"], error: errors?["lid-uren"]),
            demandOptions: demands.map { Option(value: $0.id.lowercased, label: describe($0), selected: $0.id.lowercased == form["vraag"].lowercased()) },
            hasDemands: !demands.isEmpty,
            day: Input("dag", "Nieuwe datum", type: "date", value: form["dag"], error: errors?["dag"]),
            time: Input("tijd", "Nieuwe begintijd", type: "time", value: form["tijd"], error: errors?["tijd"]),
            errorSummary: ErrorSummary(errors, intro: "De matching is niet gedraaid. Dit moet nog anders:"),
            ran: outcome != nil, summary: summary,
            closed: lines(outcome?.closed ?? []), hasClosed: !(outcome?.closed.isEmpty ?? true),
            opened: lines(outcome?.opened ?? []), hasOpened: !(outcome?.opened.isEmpty ?? true)), status: status)
    }
}
