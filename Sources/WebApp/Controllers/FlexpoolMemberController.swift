import Domain
import Foundation
import Hummingbird
import Matching
import Store

/// The pool member's side of the flexpool: joining and leaving (`/flexpool/lid`),
/// availability (`/flexpool/beschikbaarheid`), open shifts to claim (`/flexpool`),
/// their own shifts (`/mijn/diensten`), and a calendar feed at a private address.
struct FlexpoolMemberController: RouteCollection {
    let store: Store
    let views: Views
    /// The site's public address, for the calendar link.
    let siteURL: String

    struct ShiftRow: Sendable {
        let id: String
        let assignmentID: String?
        let when: String
        let organisation: String
        let area: String
        let qualification: String
        let hours: String
        let urgent: Bool
        let places: String
        let note: String?
        /// Where: the location's name and address, whom to ask for, what to know.
        let place: String?
        let address: String?
        let mapLink: String?
        let contact: String?
        let instructions: String?
    }

    struct OverviewPage: Sendable {
        let chrome: Chrome
        let member: Bool
        let summary: String?
        let cap: Int?
        let open: [ShiftRow]
        let error: String?
        let upcomingWindows: Int
        let hasOpen: Bool
        /// What stands between the member and shifts: no VOG, or one that runs out soon.
        let credentialNotes: [String]
        let hasCredentialNotes: Bool

        init(chrome: Chrome, member: Bool, summary: String?, cap: Int?, open: [ShiftRow], error: String?, upcomingWindows: Int, credentialNotes: [String]) {
            self.chrome = chrome; self.member = member; self.summary = summary; self.cap = cap; self.open = open
            self.error = error; self.upcomingWindows = upcomingWindows; hasOpen = !open.isEmpty
            self.credentialNotes = credentialNotes; hasCredentialNotes = !credentialNotes.isEmpty
        }
    }

    struct MembershipPage: Sendable {
        struct Choice: Sendable { let value: String; let label: String; let checked: Bool; let preferred: Bool }
        let chrome: Chrome
        let member: Bool
        let functions: [Choice]
        let disciplines: [Choice]
        let areas: [Choice]
        let cap: Field
        let errors: [String: String]
        let missingProfile: Bool
    }

    struct AvailabilityPage: Sendable {
        struct Window: Sendable { let id: String; let text: String; let fromPattern: Bool }
        struct Pattern: Sendable { let id: String; let text: String }
        let chrome: Chrome
        let windows: [Window]
        let patterns: [Pattern]
        let weekdays: [Option]
        let window: [String: Field]
        let pattern: [String: Field]
        /// The week grid: a row per weekday, a box per day-part.
        struct GridRow: Sendable { let day: String; let cells: [GridCell] }
        struct GridCell: Sendable { let value: String; let label: String; let checked: Bool }
        let gridParts: [String]
        let grid: [GridRow]
        let gridFrom: Field
        let gridWeeks: Field
        let gridError: String?
        var hasWindows: Bool = false
        var hasPatterns: Bool = false
    }

    struct MyShiftsPage: Sendable {
        let chrome: Chrome
        let proposed: [ShiftRow]
        let confirmed: [ShiftRow]
        let past: [ShiftRow]
        let calendarURL: String?
        let error: String?
        /// For a pool member: whether they also want a reminder two hours before a shift.
        let remindsTwoHours: Bool
        var hasProposed = false, hasConfirmed = false, hasPast = false
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/flexpool").add(middleware: RequireRole(.professional))
            .get(use: openShifts)
            .post("diensten/:id/claimen", use: claim)
            .get("lid", use: membership)
            .post("lid", use: join)
            .post("verlaten", use: leave)
            .get("beschikbaarheid", use: availability)
            .post("beschikbaarheid", use: addWindow)
            .post("beschikbaarheid/patroon", use: addPattern)
            .post("beschikbaarheid/week", use: addWeekGrid)
            .post("beschikbaarheid/:id/verwijderen", use: removeWindow)
            .post("patroon/:id/verwijderen", use: removePattern)
        router.group("/mijn/diensten").add(middleware: RequireRole(.professional))
            .get(use: shifts)
            .post(":id/accepteren", use: accept)
            .post(":id/afzeggen", use: decline)
            .post("herinnering", use: setReminder)
        // The calendar feed: the address itself is the key, so no session is needed and
        // a phone's calendar can subscribe to it.
        router.get("/flexpool/agenda/:file", use: calendar)
    }

    // MARK: - Handlers

    /// GET /flexpool
    @Sendable func openShifts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await overview(context, account, error: nil, status: .ok,
                                  notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""])
    }

    /// POST /flexpool/diensten/:id/claimen
    @Sendable func claim(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        do {
            try await store.flexpool.claim(id, by: account.id)
        } catch let failure as FlexpoolStore.ShiftFailure {
            return try await overview(context, account, error: FlexpoolText.failure(failure), status: .conflict, notice: nil)
        }
        return Response.redirect(to: "/mijn/diensten?gelukt=geclaimd", type: .normal)
    }

    /// GET /flexpool/lid
    @Sendable func membership(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let record = try await store.flexpool.member(account.id)
        let membership = record?.membership
        return try await membershipPage(
            context, account, chosen: membership.map {
                PoolMembership.Input(functions: $0.functionCodes, disciplines: $0.disciplines.map(\.rawValue), areas: $0.areaSlugs,
                                     preferredAreas: $0.preferredAreaSlugs, weeklyCap: String($0.weeklyCapHours))
            }, member: record != nil, errors: nil, status: .ok)
    }

    /// POST /flexpool/lid
    @Sendable func join(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let input = PoolMembership.Input(
            functions: form.values("functions"), disciplines: form.values("disciplines"), areas: form.values("areas"),
            preferredAreas: form.values("preferred_areas"), weeklyCap: form["weekly_cap"])
        let existing = try await store.flexpool.member(account.id)
        guard let professional = try await store.professionals.find(accountID: account.id) else {
            return try await membershipPage(context, account, chosen: input, member: existing != nil,
                                            errors: ValidationErrors(field: "functions", message: "Vul eerst je profiel in."), status: .unprocessableContent)
        }
        do {
            let membership = try PoolMembership.parse(input, professional: professional, today: Day(Date()))
            try await store.flexpool.join(account.id, membership, calendarToken: existing?.calendarToken ?? FlexpoolStore.newCalendarToken())
        } catch let errors as ValidationErrors {
            return try await membershipPage(context, account, chosen: input, member: existing != nil, errors: errors, status: .unprocessableContent)
        }
        return Response.redirect(to: existing == nil ? "/flexpool/beschikbaarheid?gelukt=lid" : "/flexpool?gelukt=bijgewerkt", type: .normal)
    }

    /// POST /flexpool/verlaten
    @Sendable func leave(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            let coming = try await store.flexpool.shifts(of: account.id, pastSince: Date()).filter { $0.demand.shift.start > Date() }.count
            return try Confirmation(
                heading: "Uit de flexpool stappen?",
                consequences: [
                    "Je krijgt dan geen diensten meer voorgesteld en je beschikbaarheid vervalt.",
                    coming == 0 ? "Je hebt geen komende diensten." : coming == 1 ? "Je komende dienst gaat terug naar de coördinator." : "Je \(coming) komende diensten gaan terug naar de coördinator.",
                ],
                action: "/flexpool/verlaten", button: "Ja, stap uit de flexpool", cancel: "/flexpool"
            ).page(views, context)
        }
        _ = try await store.flexpool.leave(account.id)
        return Response.redirect(to: "/flexpool?gelukt=verlaten", type: .normal)
    }

    /// GET /flexpool/beschikbaarheid
    @Sendable func availability(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await requireMember(account)
        return try await availabilityPage(context, account, window: [:], pattern: [:], errors: nil, status: .ok,
                                          notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""])
    }

    /// POST /flexpool/beschikbaarheid
    @Sendable func addWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await requireMember(account)
        let form = try context.requireForm()
        let values = ["from_day", "from_time", "until_day", "until_time"].reduce(into: [String: String]()) { $0[$1] = form[$1] }
        do {
            let window = try TimeWindow.parse(fromDay: form["from_day"], fromTime: form["from_time"], untilDay: form["until_day"],
                                              untilTime: form["until_time"], today: Day(Date()))
            try await store.flexpool.addAvailability(account.id, [window])
        } catch let errors as ValidationErrors {
            return try await availabilityPage(context, account, window: values, pattern: [:], errors: errors, status: .unprocessableContent, notice: nil)
        }
        return Response.redirect(to: "/flexpool/beschikbaarheid?gelukt=beschikbaar", type: .normal)
    }

    /// POST /flexpool/beschikbaarheid/patroon
    @Sendable func addPattern(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await requireMember(account)
        let form = try context.requireForm()
        let values = ["weekday", "start", "end", "from", "until"].reduce(into: [String: String]()) { $0[$1] = form[$1] }
        do {
            let pattern = try WeeklyPattern.parse(weekday: form["weekday"], start: form["start"], end: form["end"],
                                                  from: form["from"], until: form["until"], today: Day(Date()))
            let windows = pattern.windows().filter { $0.end > Date() }
            guard !windows.isEmpty else { throw ValidationErrors(field: "until", message: "Deze dag komt in die periode niet voor.") }
            try await store.flexpool.addAvailability(account.id, windows, pattern: pattern)
        } catch let errors as ValidationErrors {
            return try await availabilityPage(context, account, window: [:], pattern: values, errors: errors, status: .unprocessableContent, notice: nil)
        }
        return Response.redirect(to: "/flexpool/beschikbaarheid?gelukt=patroon", type: .normal)
    }

    /// POST /flexpool/beschikbaarheid/week: the ticked day-parts, every week for a number of weeks.
    @Sendable func addWeekGrid(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        try await requireMember(account)
        let form = try context.requireForm()
        do {
            let patterns = try WeekGrid.parse(cells: form.values("cel"), from: form["grid_from"], weeks: form["grid_weeks"], today: Day(Date()))
            try await store.flexpool.addPatterns(account.id, patterns, after: Date())
        } catch let errors as ValidationErrors {
            return try await availabilityPage(context, account, window: [:], pattern: [:], grid: form, errors: errors, status: .unprocessableContent, notice: nil)
        }
        return Response.redirect(to: "/flexpool/beschikbaarheid?gelukt=patroon", type: .normal)
    }

    /// POST /flexpool/beschikbaarheid/:id/verwijderen
    @Sendable func removeWindow(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await removeAvailability(context, by: store.flexpool.removeWindow)
    }

    /// POST /flexpool/patroon/:id/verwijderen
    @Sendable func removePattern(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await removeAvailability(context, by: store.flexpool.removePattern)
    }

    /// Removes a window or a pattern of the member's own (anyone else's is 404).
    private func removeAvailability(
        _ context: AppRequestContext, by removal: (UUID, Account.ID) async throws -> Bool
    ) async throws -> Response {
        let account = try context.requireAccount()
        guard try await removal(try context.parameters.requireID(), account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/flexpool/beschikbaarheid?gelukt=verwijderd", type: .normal)
    }

    /// GET /mijn/diensten
    @Sendable func shifts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await myShifts(request, context, account, error: nil, status: .ok,
                                  notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""])
    }

    /// POST /mijn/diensten/:id/accepteren
    @Sendable func accept(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        do {
            try await store.flexpool.confirm(id, by: account.id, member: account.id)
        } catch let failure as FlexpoolStore.ShiftFailure {
            if failure == .notFound { throw HTTPError(.notFound) }
            return try await myShifts(request, context, account, error: FlexpoolText.failure(failure), status: .conflict, notice: nil)
        }
        return Response.redirect(to: "/mijn/diensten?gelukt=geaccepteerd", type: .normal)
    }

    /// POST /mijn/diensten/:id/afzeggen
    @Sendable func decline(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        let now = Date()
        guard let shift = try await store.flexpool.shifts(of: account.id, pastSince: now).first(where: { $0.assignmentID == id && $0.demand.shift.start > now })
        else { throw HTTPError(.notFound) }
        let form = try context.requireForm()
        // Giving back a confirmed shift that starts within 48 hours needs a reason, and the coordinator hears it.
        let shortNotice = shift.status == .confirmed && shift.demand.shift.start.timeIntervalSince(now) < 48 * 3600
        let reason = form["reden"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !Confirmation.isConfirmed(form) || (shortNotice && reason.isEmpty) {
            let when = FlexpoolText.when(shift.demand.shift) + " bij " + shift.demand.organisationName
            var confirmation = Confirmation(
                heading: shift.status == .confirmed ? "Dienst teruggeven?" : "Dienst afzeggen?",
                consequences: [
                    shift.status == .confirmed
                        ? "Je geeft de dienst van \(when) terug. De plek gaat weer open en de coördinator zoekt een ander."
                        : "Je zegt de voorgestelde dienst van \(when) af. De coördinator zoekt een ander.",
                ] + (shortNotice ? ["De dienst begint binnen 48 uur: zeg kort waarom, zodat de coördinator weet wat er speelt. De coördinator krijgt er direct bericht van."] : []),
                action: "/mijn/diensten/\(id.lowercased)/afzeggen", button: shift.status == .confirmed ? "Ja, geef de dienst terug" : "Ja, zeg af",
                cancel: "/mijn/diensten")
            if shortNotice {
                confirmation.reasonLabel = "Waarom geef je de dienst terug?"
                confirmation.reason = reason
                if Confirmation.isConfirmed(form) { confirmation.reasonError = "Vul in waarom je de dienst teruggeeft." }
            }
            return try confirmation.page(views, context, status: Confirmation.isConfirmed(form) ? .unprocessableContent : .ok)
        }
        guard try await store.flexpool.decline(id, by: account.id, reason: shortNotice ? String(reason.prefix(500)) : nil) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/diensten?gelukt=afgezegd", type: .normal)
    }

    /// GET /flexpool/agenda/:file
    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = try context.parameters.requireText("file")
        guard let token = ICalendar.token(ofFile: file), let account = try await store.flexpool.member(calendarToken: token) else {
            throw HTTPError(.notFound)
        }
        let since = Date().addingTimeInterval(-90 * 86_400)
        let shifts = try await store.flexpool.confirmedShifts(of: account, since: since)
        let conversations = try await store.careers.mine(account, since: since)
        return ICalendar.feedResponse(request, shifts.map(ICalendar.shift) + conversations.map(ICalendar.conversation),
                                      name: "Doorstroom: diensten en gesprekken")
    }

    static let notices = [
        "lid": "Je staat in de flexpool. Geef hieronder aan wanneer je beschikbaar bent.",
        "bijgewerkt": "Je gegevens voor de flexpool zijn bijgewerkt.",
        "verlaten": "Je staat niet meer in de flexpool; je komende diensten zijn teruggegeven.",
        "beschikbaar": "Je beschikbaarheid is toegevoegd.",
        "patroon": "Het weekpatroon is toegevoegd.",
        "verwijderd": "Verwijderd.",
        "geclaimd": "De dienst is van jou. Hij staat in je agenda.",
        "geaccepteerd": "Je hebt de dienst geaccepteerd.",
        "afgezegd": "Je hebt de dienst afgezegd; de coördinator ziet dat de plek weer open is.",
        "herinnering-aan": "Je krijgt voortaan ook 2 uur voor een dienst een herinnering.",
        "herinnering-uit": "Je krijgt alleen nog de herinnering 24 uur voor een dienst.",
    ]

    /// POST /mijn/diensten/herinnering: `twee_uur` = `ja` or `nee`.
    @Sendable func setReminder(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let on = try context.requireForm()["twee_uur"] == "ja"
        guard try await store.reminders.setRemindsTwoHours(account.id, on) else {
            return try await myShifts(request, context, account, error: "Alleen wie in de flexpool staat, krijgt herinneringen voor diensten.",
                                      status: .conflict, notice: nil)
        }
        return Response.redirect(to: "/mijn/diensten?gelukt=herinnering-\(on ? "aan" : "uit")", type: .normal)
    }


    private func requireMember(_ account: Account) async throws {
        guard try await store.flexpool.member(account.id) != nil else {
            throw HTTPError(.seeOther, headers: [.location: "/flexpool/lid"])
        }
    }

    static func row(_ line: DemandLine, assignment: UUID? = nil) -> ShiftRow {
        ShiftRow(
            id: line.id.lowercased, assignmentID: assignment?.lowercased, when: FlexpoolText.when(line.shift),
            organisation: line.organisationName, area: line.areaName, qualification: line.qualificationName,
            hours: FlexpoolText.hours(line.shift.hours), urgent: line.priority == .urgent,
            places: "\(line.open) van \(line.peopleNeeded)", note: line.note.isEmpty ? nil : line.note,
            place: line.location?.name, address: line.location?.address,
            mapLink: line.location.map { "https://www.openstreetmap.org/search?query=" + ($0.address.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") },
            contact: line.location.flatMap { $0.contact.isEmpty ? nil : $0.contact },
            instructions: line.location.flatMap { $0.instructions.isEmpty ? nil : $0.instructions })
    }

    private func overview(_ context: AppRequestContext, _ account: Account, error: String?, status: HTTPResponse.Status, notice: String?) async throws -> Response {
        let record = try await store.flexpool.member(account.id)
        var open: [ShiftRow] = []
        var summary: String?
        var upcoming = 0
        var notes: [String] = []
        if let record {
            let now = Date()
            open = try await store.flexpool.openShifts(for: account.id, now: now, until: now.addingTimeInterval(91 * 86_400)).map { Self.row($0) }
            let functions = try await store.professionals.functions()
            let names = record.membership.functionCodes.map { code in functions.first { $0.code == code }?.name ?? code }
                + record.membership.disciplines.map(\.label)
            let areas = record.membership.areaSlugs.map { slug in Area.all.first { $0.slug == slug }?.name ?? slug }
            summary = names.joined(separator: ", ") + " · " + areas.joined(separator: ", ")
            upcoming = try await store.flexpool.availability(account.id, after: now).count
            let (hasVOG, lapses) = try await store.credentials.own(account.id)
            let today = Day(now), soon = AmsterdamTime.adding(56, to: today)
            if !hasVOG {
                notes.append("Er staat geen VOG in je profiel. Zonder VOG krijg je geen flexpooldiensten: zet de datum van afgifte in je profiel.")
            }
            for lapse in lapses where lapse.on < soon {
                let what = lapse.credential == "VOG" ? "Je VOG" : "Je \(lapse.credential)-registratie"
                notes.append(lapse.on <= today
                    ? "\(what) is verlopen op \(lapse.on.dutch); tot je een nieuwe in je profiel zet, krijg je daarvoor geen diensten."
                    : "\(what) verloopt op \(lapse.on.dutch); daarna krijg je daarvoor geen diensten tot je een nieuwe in je profiel zet.")
            }
        }
        return try views.page(.flexpool, OverviewPage(
            chrome: Chrome(title: "Flexpool", context: context, path: "/flexpool", notice: notice),
            member: record != nil, summary: summary, cap: record?.membership.weeklyCapHours, open: open, error: error,
            upcomingWindows: upcoming, credentialNotes: notes), status: status)
    }

    private func membershipPage(
        _ context: AppRequestContext, _ account: Account, chosen: PoolMembership.Input?, member: Bool, errors: ValidationErrors?, status: HTTPResponse.Status
    ) async throws -> Response {
        let professional = try await store.professionals.find(accountID: account.id)
        let functions = try await store.professionals.functions()
        let own = professional?.functionCodes ?? []
        let today = Day(Date())
        let page = MembershipPage(
            chrome: Chrome(title: member ? "Mijn flexpoolgegevens" : "Meedoen met de flexpool", context: context, path: "/flexpool"),
            member: member,
            functions: functions.filter { own.contains($0.code) }.map { function in
                let register = JobFunction.requiredRegister(for: function.code)
                let valid = register.map { r in professional?.registrations.contains { $0.register == r && $0.isValid(on: today) } ?? false } ?? true
                return .init(value: function.code, label: function.name + (valid ? "" : " (geen geldige \(register!.rawValue)-registratie)"),
                             checked: chosen?.functions.contains(function.code) ?? false, preferred: false)
            },
            disciplines: (professional?.disciplines ?? []).map {
                .init(value: $0.rawValue, label: $0.label, checked: chosen?.disciplines.contains($0.rawValue) ?? false, preferred: false)
            },
            areas: Area.all.map {
                .init(value: $0.slug, label: $0.name, checked: chosen?.areas.contains($0.slug) ?? false,
                      preferred: chosen?.preferredAreas.contains($0.slug) ?? false)
            },
            cap: Field(chosen?.weeklyCap ?? "8", error: errors?["weekly_cap"]),
            errors: Dictionary(uniqueKeysWithValues: (errors?.items ?? []).map { ($0.field, $0.message) }),
            missingProfile: professional == nil || own.isEmpty)
        return try views.page(.flexpoolMembership, page, status: status)
    }

    private func availabilityPage(
        _ context: AppRequestContext, _ account: Account, window: [String: String], pattern: [String: String], grid: FormData? = nil,
        errors: ValidationErrors?, status: HTTPResponse.Status, notice: String?
    ) async throws -> Response {
        let windows = try await store.flexpool.availability(account.id, after: Date())
        let patterns = try await store.flexpool.patterns(account.id)
        let today = Day(Date())
        func fields(_ names: [String], _ values: [String: String], defaults: [String: String]) -> [String: Field] {
            names.reduce(into: [:]) { $0[$1] = Field(values[$1] ?? defaults[$1] ?? "", error: values.isEmpty ? nil : errors?[$1]) }
        }
        var page = AvailabilityPage(
            chrome: Chrome(title: "Mijn beschikbaarheid", context: context, path: "/flexpool", notice: notice),
            windows: windows.map { .init(id: $0.id.lowercased, text: FlexpoolText.window($0.window), fromPattern: $0.patternID != nil) },
            patterns: patterns.map { .init(id: $0.id.lowercased, text: $0.pattern.summary) },
            weekdays: AmsterdamTime.weekdayNames.enumerated().map {
                Option(value: String($0.offset + 1), label: $0.element, selected: pattern["weekday"] == String($0.offset + 1))
            },
            window: fields(["from_day", "from_time", "until_day", "until_time"], window,
                           defaults: ["from_day": today.iso, "from_time": "08:00", "until_day": today.iso, "until_time": "17:00"]),
            pattern: fields(["start", "end", "from", "until"], pattern,
                            defaults: ["start": "08:00", "end": "17:00", "from": today.iso, "until": AmsterdamTime.adding(56, to: today).iso]),
            gridParts: WeekGrid.parts.map(\.label),
            grid: AmsterdamTime.weekdayNames.enumerated().map { index, name in
                .init(day: name, cells: WeekGrid.parts.map { part in
                    let value = "\(index + 1)-\(part.slug)"
                    return .init(value: value, label: "\(name), \(part.label.lowercased())", checked: grid?.values("cel").contains(value) ?? false)
                })
            },
            gridFrom: Field(grid?["grid_from"] ?? today.iso, error: grid == nil ? nil : errors?["grid_from"]),
            gridWeeks: Field(grid?["grid_weeks"] ?? "12", error: grid == nil ? nil : errors?["grid_weeks"]),
            gridError: grid == nil ? nil : errors?["cel"])
        page.hasWindows = !page.windows.isEmpty
        page.hasPatterns = !page.patterns.isEmpty
        return try views.page(.flexpoolAvailability, page, status: status)
    }

    private func myShifts(_ request: Request, _ context: AppRequestContext, _ account: Account, error: String?, status: HTTPResponse.Status, notice: String?) async throws -> Response {
        let now = Date()
        let shifts = try await store.flexpool.shifts(of: account.id, pastSince: now.addingTimeInterval(-56 * 86_400))
        let record = try await store.flexpool.member(account.id)
        var page = MyShiftsPage(
            chrome: Chrome(title: "Mijn diensten", context: context, path: "/mijn/diensten", notice: notice),
            proposed: shifts.filter { $0.status == .proposed && $0.demand.shift.start > now }.map { Self.row($0.demand, assignment: $0.assignmentID) },
            confirmed: shifts.filter { $0.status == .confirmed && $0.demand.shift.start > now }.map { Self.row($0.demand, assignment: $0.assignmentID) },
            past: shifts.filter { $0.status == .confirmed && $0.demand.shift.start <= now }.reversed().map { Self.row($0.demand) },
            calendarURL: record.map { siteURL + "/flexpool/agenda/\($0.calendarToken).ics" },
            error: error, remindsTwoHours: record == nil ? false : try await store.reminders.remindsTwoHours(account.id))
        page.hasProposed = !page.proposed.isEmpty
        page.hasConfirmed = !page.confirmed.isEmpty
        page.hasPast = !page.past.isEmpty
        return try views.page(.myShifts, page, status: status)
    }
}
