import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// "Inwerken": which locations need an induction before anyone from the pool works
/// there, who has had one, and the two ways to give one: record it, or plan an
/// induction shift (a demand of its own kind, with the person on it at once).
extension FlexpoolCoordinatorController {
    struct InductionsPage: Sendable {
        struct Person: Sendable { let name: String; let since: String; let how: String }
        struct Place: Sendable {
            let id: String
            let name: String
            let organisation: String
            let address: String
            let needsInduction: Bool
            let people: [Person]
            let hasPeople: Bool
        }
        let chrome: Chrome
        let places: [Place]
        let hasPlaces: Bool
        let locations: [Option]
        let members: [Option]
        let planLocations: [Option]
        let planMembers: [Option]
        let areas: [Option]
        let day: Input
        let shiftDay: Input
        let start: Input
        let end: Input
        let recordSummary: ErrorSummary
        let planSummary: ErrorSummary
        let locationError: String?
        let memberError: String?
        let planLocationError: String?
        let planMemberError: String?
        let areaError: String?
        let error: String?
    }

    static let inductionNotices = [
        "vastgelegd": "De inwerking is vastgelegd.", "ingepland": "De inwerkdienst is ingepland en staat bij de persoon in het rooster.",
        "gewijzigd": "De locatie is gewijzigd.",
    ]

    /// GET /flexpool/coordinatie/inwerken
    @Sendable func inductions(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.inductionNotices[String($0)] }
        return try await inductionsPage(context, account, form: FormData(""), record: nil, plan: nil, error: nil, notice: notice, status: .ok)
    }

    /// POST /flexpool/coordinatie/inwerken/locatie: says whether a location needs an induction.
    @Sendable func setNeedsInduction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard let location = UUID(uuidString: form["location"]) else {
            return try await inductionsPage(context, account, form: form, record: nil, plan: nil, error: "Kies een locatie.", notice: nil, status: .unprocessableContent)
        }
        guard try await store.flexpool.setNeedsInduction(location, form["needs"] == "ja", organisations: Scope(account).organisations, by: account.id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/flexpool/coordinatie/inwerken?gelukt=gewijzigd", type: .normal)
    }

    /// POST /flexpool/coordinatie/inwerken: records that someone showed a member around.
    @Sendable func recordInduction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        let location = UUID(uuidString: form["location"]), member = UUID(uuidString: form["member"])
        if location == nil { errors.add("location", "Kies een locatie.") }
        if member == nil { errors.add("member", "Kies iemand uit de pool.") }
        let day = Day(iso: form["day"])
        if day == nil || day! > Day(Date()) { errors.add("day", "Geef de dag van de inwerking als JJJJ-MM-DD, niet later dan vandaag.") }
        guard errors.isEmpty, let location, let member, let day else {
            return try await inductionsPage(context, account, form: form, record: errors, plan: nil, error: nil, notice: nil, status: .unprocessableContent)
        }
        guard try await store.flexpool.recordInduction(member, at: location, on: day, organisations: Scope(account).organisations, by: account.id) else {
            errors.add("member", "Deze persoon staat niet in de flexpool, of de locatie hoort niet bij jouw organisaties.")
            return try await inductionsPage(context, account, form: form, record: errors, plan: nil, error: nil, notice: nil, status: .unprocessableContent)
        }
        return Response.redirect(to: "/flexpool/coordinatie/inwerken?gelukt=vastgelegd", type: .normal)
    }

    /// POST /flexpool/coordinatie/inwerken/dienst: plans an induction shift for a member.
    @Sendable func planInduction(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        let location = UUID(uuidString: form["plan_location"]), member = UUID(uuidString: form["plan_member"])
        if location == nil { errors.add("plan_location", "Kies een locatie.") }
        if member == nil { errors.add("plan_member", "Kies iemand uit de pool.") }
        let area = form["area"]
        if !Area.all.contains(where: { $0.slug == area }) { errors.add("area", "Kies het gebied van de locatie.") }
        let day = Day(iso: form["shift_day"])
        let start = AmsterdamTime.minutes(form["start"]), end = AmsterdamTime.minutes(form["end"])
        if day == nil { errors.add("shift_day", "Geef de dag als JJJJ-MM-DD.") }
        if start == nil { errors.add("start", "Geef de begintijd als UU:MM.") }
        if end == nil { errors.add("end", "Geef de eindtijd als UU:MM.") }
        var shift: TimeWindow?
        if let day, let start, let end {
            let window = TimeWindow(start: AmsterdamTime.date(day, minutes: start), end: AmsterdamTime.date(day, minutes: end))
            if window.end <= window.start || window.hours > 12 {
                errors.add("end", "Een inwerkdienst eindigt op dezelfde dag na het begin, en duurt hoogstens 12 uur.")
            } else if window.start <= Date() {
                errors.add("shift_day", "De inwerkdienst ligt in het verleden; leg een gegeven inwerking vast met het formulier hierboven.")
            } else {
                shift = window
            }
        }
        guard errors.isEmpty, let location, let member, let shift else {
            return try await inductionsPage(context, account, form: form, record: nil, plan: errors, error: nil, notice: nil, status: .unprocessableContent)
        }
        do {
            _ = try await store.flexpool.planInduction(member, at: location, area: area, shift: shift, organisations: Scope(account).organisations, by: account.id)
        } catch let failure as FlexpoolStore.ShiftFailure {
            let message = switch failure {
            case .rule(let broken): "Dat kan niet: " + FlexpoolText.rule(broken).replacingOccurrences(of: "Je ", with: "Deze persoon ").replacingOccurrences(of: " je ", with: " diens ")
            case .notInPool: "Deze persoon staat niet (meer) in de flexpool."
            case .notFound: "Deze locatie hoort niet bij jouw organisaties, of deze persoon heeft geen functie of discipline in de flexpool."
            default: FlexpoolText.failure(failure)
            }
            return try await inductionsPage(context, account, form: form, record: nil, plan: nil, error: message, notice: nil, status: .conflict)
        }
        return Response.redirect(to: "/flexpool/coordinatie/inwerken?gelukt=ingepland", type: .normal)
    }

    private func inductionsPage(
        _ context: AppRequestContext, _ account: Account, form: FormData, record: ValidationErrors?, plan: ValidationErrors?, error: String?,
        notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let places = try await store.flexpool.inductions(organisations: Scope(account).organisations)
        let members = try await store.flexpool.poolMembers()
        func memberOptions(_ chosen: String) -> [Option] {
            [Option(value: "", label: "Kies iemand", selected: chosen.isEmpty)]
                + members.map { Option(value: $0.id.lowercased, label: $0.name, selected: $0.id.lowercased == chosen) }
        }
        func locationOptions(_ chosen: String) -> [Option] {
            [Option(value: "", label: "Kies een locatie", selected: chosen.isEmpty)]
                + places.map { Option(value: $0.location.id.lowercased, label: "\($0.location.name) (\($0.location.organisationName))",
                                      selected: $0.location.id.lowercased == chosen) }
        }
        return try views.page(.flexpoolInductions, InductionsPage(
            chrome: Chrome(title: "Inwerken", context: context, path: "/flexpool/coordinatie/inwerken", notice: notice),
            places: places.map { place in
                .init(id: place.location.id.lowercased, name: place.location.name, organisation: place.location.organisationName,
                      address: place.location.address, needsInduction: place.needsInduction,
                      people: place.inducted.map {
                          .init(name: $0.name, since: FlexpoolText.dayTitle($0.since) + ($0.byShift ? " " + AmsterdamTime.clock($0.since) : ""),
                                how: $0.byShift ? "inwerkdienst" : "vastgelegd")
                      },
                      hasPeople: !place.inducted.isEmpty)
            },
            hasPlaces: !places.isEmpty,
            locations: locationOptions(form["location"]),
            members: memberOptions(form["member"]),
            planLocations: locationOptions(form["plan_location"]),
            planMembers: memberOptions(form["plan_member"]),
            areas: [Option(value: "", label: "Kies een gebied", selected: form["area"].isEmpty)]
                + Area.all.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == form["area"]) },
            day: Input("day", "Dag van de inwerking", type: "date", value: form["day"].isEmpty ? Day(Date()).iso : form["day"], error: record?["day"]),
            shiftDay: Input("shift_day", "Dag", type: "date", value: form["shift_day"], error: plan?["shift_day"]),
            start: Input("start", "Van", type: "time", value: form["start"].isEmpty ? "09:00" : form["start"], error: plan?["start"]),
            end: Input("end", "Tot", type: "time", value: form["end"].isEmpty ? "12:00" : form["end"], error: plan?["end"]),
            recordSummary: ErrorSummary(record, intro: "De inwerking is niet vastgelegd. Dit moet nog anders:"),
            planSummary: ErrorSummary(plan, intro: "De inwerkdienst is niet ingepland. Dit moet nog anders:"),
            locationError: record?["location"], memberError: record?["member"],
            planLocationError: plan?["plan_location"], planMemberError: plan?["plan_member"], areaError: plan?["area"],
            error: error), status: status)
    }
}
