import Charts
import Domain
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import Store

/// The region's figures. `/monitor`: charts drawn as SVG on the server with the numbers
/// behind each one a click away; `/monitor/{table}.csv`: each table for Excel (Dutch
/// `;` with a byte order mark, or `,` with `?scheidingsteken=komma`);
/// `/api/v1/monitor/{table}`: the same tables as JSON.
///
/// Admins and coordinators see the region and every organisation. An HR adviser sees
/// the region's totals and their own organisation; in per-organisation tables the
/// other organisations are summed on one line. An API token sees what an HR adviser of
/// its organisation sees.
struct MonitorController: RouteCollection {
    let store: Store
    let views: Views

    /// What the one asking may see.
    enum Access: Sendable {
        case everything
        case organisations([Organisation.ID])

        func allows(_ organisation: Organisation.ID) -> Bool {
            switch self {
            case .everything: return true
            case .organisations(let ids): return ids.contains(organisation)
            }
        }

        var named: [Organisation.ID]? {
            switch self {
            case .everything: return nil
            case .organisations(let ids): return ids
            }
        }
    }

    static func access(of account: Account) -> Access? {
        if account.has(.admin) || account.has(.coordinator) { return .everything }
        let own = account.organisations(as: .hrAdviser)
        return own.isEmpty ? nil : .organisations(own)
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/monitor").add(middleware: RequireRole.loggedIn)
            .get(use: monitor)
            .get(":file", use: download)
        router.group("/api/v1")
            .get("monitor", use: apiIndex)
            .get("monitor/:table", use: apiTable)
    }

    // MARK: - Handlers

    /// GET /monitor
    @Sendable func monitor(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let access = Self.access(of: account) else { throw HTTPError(.forbidden) }
        let query = request.uri.queryParameters
        let period = MonitorPeriod.parse(
            from: query["van"].map(String.init), to: query["tot"].map(String.init), step: query["per"].map(String.init), today: Day(Date()))
        let (scope, organisation) = try await resolve(slug: query["organisatie"].map(String.init), access: access)
        return try await page(context, period: period, scope: scope, organisation: organisation, access: access,
                              openTables: query["tabellen"] == "open")
    }

    /// GET /monitor/:file
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let access = Self.access(of: account) else { throw HTTPError(.forbidden) }
        let file = try context.parameters.requireText("file")
        guard file.hasSuffix(".csv"), MonitorStore.tableIDs.contains(String(file.dropLast(4))) else { throw HTTPError(.notFound) }
        let query = request.uri.queryParameters
        let period = MonitorPeriod.parse(
            from: query["van"].map(String.init), to: query["tot"].map(String.init), step: query["per"].map(String.init), today: Day(Date()))
        let (scope, organisation) = try await resolve(slug: query["organisatie"].map(String.init), access: access)
        guard let table = try await store.monitor.table(String(file.dropLast(4)), period: period, scope: scope) else { throw HTTPError(.notFound) }
        let dutch = query["scheidingsteken"] != "komma"
        let name = "doorstroom-\(table.id)-\(organisation?.slug ?? "regio")-\(period.first.text)-\(period.lastMonth.text).csv"
        return Response(
            status: .ok,
            headers: [.contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(string: table.csv(dutch: dutch))))
    }

    /// GET /api/v1/monitor
    @Sendable func apiIndex(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try await apiAccess(request, context)
        return try AcademyAPIController.json(IndexJSON(tables: MonitorStore.tableIDs.map { .init(id: $0, url: "/api/v1/monitor/" + $0) }))
    }

    /// GET /api/v1/monitor/:table
    @Sendable func apiTable(_ request: Request, context: AppRequestContext) async throws -> Response {
        let access = try await apiAccess(request, context)
        let id = try context.parameters.requireText("table")
        guard MonitorStore.tableIDs.contains(id) else { throw HTTPError(.notFound) }
        let query = request.uri.queryParameters
        let step: String? = switch query["step"].map(String.init) {
        case "quarter": MonitorPeriod.Step.quarter.rawValue
        case "month": MonitorPeriod.Step.month.rawValue
        default: nil
        }
        let period = MonitorPeriod.parse(from: query["from"].map(String.init), to: query["to"].map(String.init), step: step, today: Day(Date()))
        let (scope, organisation) = try await resolve(slug: query["organisation"].map(String.init), access: access)
        guard let table = try await store.monitor.table(id, period: period, scope: scope) else { throw HTTPError(.notFound) }
        return try AcademyAPIController.json(TableJSON(table, period: period, organisation: organisation?.slug))
    }

    /// Access through the API: a session that may see the monitor, or an API token.
    private func apiAccess(_ request: Request, _ context: AppRequestContext) async throws -> Access {
        if let organisation = try await BearerToken.organisation(request, store: store) { return .organisations([organisation]) }
        guard let account = context.account else { throw BearerToken.unauthorized }
        guard let access = Self.access(of: account) else { throw HTTPError(.forbidden) }
        return access
    }

    /// The scope asked for: the region (empty or no slug) or one organisation, which must
    /// exist (404) and be allowed (403).
    private func resolve(slug: String?, access: Access) async throws -> (MonitorScope, Organisation?) {
        guard let slug, !slug.isEmpty, slug != "regio" else {
            return (MonitorScope(organisation: nil, named: access.named), nil)
        }
        guard let organisation = try await store.organisations.find(slug: slug) else { throw HTTPError(.notFound) }
        guard access.allows(organisation.id) else { throw HTTPError(.forbidden) }
        return (MonitorScope(organisation: organisation.id, named: nil), organisation)
    }

    // MARK: - The page

    struct Page: Sendable {
        struct Cell: Sendable { let value: String; let numeric: Bool; let heat: String? }
        struct Row: Sendable { let cells: [Cell] }
        struct Heading: Sendable { let label: String; let numeric: Bool }
        struct ChartView: Sendable { let title: String; let svg: String }
        struct MatrixRow: Sendable { let name: String; let cells: [Cell]; let total: Int }
        struct Matrix: Sendable { let columns: [Heading]; let rows: [MatrixRow]; let hasRows: Bool }
        struct Section: Sendable {
            let id: String
            let title: String
            let intro: String
            let charts: [ChartView]
            let matrix: Matrix?
            let headings: [Heading]
            let rows: [Row]
            let hasRows: Bool
            let csv: String
            let csvPlain: String
            let json: String
        }
        struct Link: Sendable { let href: String; let label: String }
        let chrome: Chrome
        let heading: String
        let periodText: String
        let from: String
        let to: String
        let steps: [Option]
        let organisations: [Option]
        let sections: [Section]
        let contents: [Link]
        let openTables: Bool
        let printLink: String
        let seesOthersSummed: Bool
    }

    private func page(
        _ context: AppRequestContext, period: MonitorPeriod, scope: MonitorScope, organisation: Organisation?, access: Access, openTables: Bool
    ) async throws -> Response {
        let tables = try await withThrowingTaskGroup(of: (Int, MonitorTable?).self) { group in
            for (index, id) in MonitorStore.tableIDs.enumerated() {
                group.addTask { (index, try await store.monitor.table(id, period: period, scope: scope)) }
            }
            var tables = [MonitorTable?](repeating: nil, count: MonitorStore.tableIDs.count)
            for try await (index, table) in group { tables[index] = table }
            return tables.compactMap { $0 }
        }
        var query: [(String, String)] = [("van", period.first.text), ("tot", period.lastMonth.text), ("per", period.step.rawValue)]
        if let organisation { query.append(("organisatie", organisation.slug)) }
        let sections = tables.map { section($0, period: period, query: query) }
        let allOrganisations = try await store.organisations.members().filter { access.allows($0.id) }
        let scopeName = organisation?.name ?? "de regio"
        return try views.page(.monitor, Page(
            chrome: Chrome(title: "Monitor", context: context, path: "/monitor"),
            heading: "Monitor: \(scopeName)",
            periodText: period.description,
            from: period.first.text, to: period.lastMonth.text,
            steps: MonitorPeriod.Step.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == period.step) },
            organisations: [Option(value: "", label: "Regio Amsterdam-Amstelland", selected: organisation == nil)]
                + allOrganisations.map { Option(value: $0.slug, label: $0.name, selected: $0.id == organisation?.id) },
            sections: sections,
            contents: sections.map { .init(href: "#" + $0.id, label: $0.title) },
            openTables: openTables,
            printLink: URLComponentsLite(path: "/monitor", query: query + [("tabellen", "open")]).string,
            seesOthersSummed: organisation == nil && scope.named != nil))
    }

    private static let intros: [String: String] = [
        "postings": "Per soort: geplaatst (gepubliceerd) in de periode, open aan het eind ervan (de laatste periode: nu), vervuld of gesloten zonder vervulling, en de mediane doorlooptijd van publicatie tot vervulling.",
        "internships": "Stageplaatsen per jaar en niveau: afgesproken met de regio, aangeboden in stages die dat jaar zijn gepubliceerd, en vervuld met een aanname.",
        "internships-by-school": "Stages en traineeships per jaar, school en niveau: de plaatsen die stageafspraken met die school afspreken, en de sollicitaties van haar studenten dat jaar (met de aannames). Zonder school: afspraken die geen school noemen, en studenten van een school die nog geen partner is.",
        "moves": "Overstappen tussen lid-organisaties via de vacaturebank; uitstroom: een dienstverband dat eindigde zonder een volgend dienstverband bij een lid-organisatie; aannames op duobaan-vacatures; roulaties die beide HR-adviseurs goedkeurden, naar hun eerste dag.",
        "mobility": "Overstappen in de periode, van de organisatie in de rij naar die in de kolom.",
        "flexpool": "Diensten naar hun begin: gevraagde uren (personen × duur), uren ingevuld uit de flexpool (bevestigd), het gat (ingehuurd of niet ingevuld), de vulgraad en de mediane tijd van uitvraag tot bevestiging.",
        "flexpool-organisations": "Ontvangen: bevestigde flexpooluren op de diensten van de organisatie. Gegeven: bevestigde uren van mensen die op de dag van de dienst bij de organisatie in dienst waren.",
        "academy": "Voor de cursussen van de aanbieders: uitvoeringen die starten, inschrijvingen (zonder afzeggingen), aanvragen die op de wachtlijst kwamen, afrondingen, doorkliks naar het eigen systeem van een aanbieder en toegekende accreditatiepunten.",
        "academy-offer": "Cursussen die nu in de catalogus staan, per aanbieder en vorm, en hun uitvoeringen die in de periode starten.",
        "academy-evaluations": "Evaluaties van uitvoeringen die in de periode eindigden, per onderwerp van de cursus: het aantal antwoorden en het gemiddelde per vraag (1 tot 5), pas vanaf drie antwoorden. Antwoorden zijn niet te herleiden tot personen.",
        "academy-wishes": "Scholingswensen die in de periode werden gedeeld, per onderwerp: de wensen, de mensen die erom vragen (met wie \"ik ook\" zei), hoeveel een aanbieder beantwoordde met een uitvoering, en de wachtlijsten van uitvoeringen over dat onderwerp die in de periode starten.",
    ]

    private func section(_ table: MonitorTable, period: MonitorPeriod, query: [(String, String)]) -> Page.Section {
        let headings = table.columns.enumerated().map { index, column in
            Page.Heading(label: column.label, numeric: table.rows.first.map { Self.isNumeric($0[index]) } ?? false)
        }
        let rows = table.rows.map { Page.Row(cells: $0.map { Page.Cell(value: $0.dutch, numeric: Self.isNumeric($0), heat: nil) }) }
        let csv = URLComponentsLite(path: "/monitor/\(table.id).csv", query: query)
        let csvPlain = URLComponentsLite(path: "/monitor/\(table.id).csv", query: query + [("scheidingsteken", "komma")])
        var apiQuery: [(String, String)] = [("from", period.first.text), ("to", period.lastMonth.text), ("step", period.step == .month ? "month" : "quarter")]
        if let slug = query.first(where: { $0.0 == "organisatie" })?.1 { apiQuery.append(("organisation", slug)) }
        return Page.Section(
            id: table.id, title: table.title, intro: Self.intros[table.id] ?? "",
            charts: Self.charts(for: table).map { Page.ChartView(title: $0.title, svg: $0.svg) },
            matrix: table.id == "mobility" ? Self.matrix(table) : nil,
            headings: headings, rows: rows, hasRows: !rows.isEmpty,
            csv: csv.string, csvPlain: csvPlain.string,
            json: URLComponentsLite(path: "/api/v1/monitor/\(table.id)", query: apiQuery).string)
    }

    private static func isNumeric(_ value: MonitorTable.Value) -> Bool {
        switch value {
        case .count, .measure: return true
        case .text, .period: return false
        }
    }

    /// The charts drawn from a table.
    static func charts(for table: MonitorTable) -> [Chart] {
        func categories(_ key: String) -> [String] {
            var seen = Set<String>()
            return table.values(key).map(\.dutch).filter { seen.insert($0).inserted }
        }
        func numbers(_ key: String) -> [Double?] { table.values(key).map(\.number) }
        /// A long table (one row per category and series) turned into one series per distinct value of `seriesKey`.
        func pivot(category: String, series seriesKey: String, value: String) -> (categories: [String], series: [Chart.Series]) {
            let cats = categories(category)
            let names = categories(seriesKey)
            var grid: [String: [String: Double?]] = [:]
            for (c, (s, v)) in zip(table.values(category), zip(table.values(seriesKey), table.values(value))) {
                grid[s.dutch, default: [:]][c.dutch] = v.number
            }
            return (cats, names.map { name in Chart.Series(name, cats.map { grid[name]?[$0] ?? nil }) })
        }
        func column(_ key: String) -> String { table.columns.first { $0.key == key }?.label ?? key }
        func series(_ keys: [String]) -> [Chart.Series] { keys.map { Chart.Series(column($0), numbers($0)) } }

        switch table.id {
        case "postings":
            let opened = pivot(category: "period", series: "kind", value: "opened")
            let open = pivot(category: "period", series: "kind", value: "open_at_end")
            let median = pivot(category: "period", series: "kind", value: "median_days_to_fill")
            return [
                Chart(id: "postings-opened", title: "Geplaatst per soort", kind: .bars, categories: opened.categories, series: opened.series),
                Chart(id: "postings-open", title: "Open aan het eind van de periode", kind: .lines, categories: open.categories, series: open.series),
                Chart(id: "postings-median", title: "Mediane dagen van publicatie tot vervulling", kind: .lines,
                      categories: median.categories, series: median.series, unit: "dagen"),
            ]
        case "internships":
            let labels = zip(table.values("year"), table.values("education_level")).map { "\($0.dutch) \($1.dutch)" }
            return [Chart(id: "internships-chart", title: "Stageplaatsen: afgesproken, aangeboden, vervuld", kind: .bars,
                          categories: labels, series: series(["agreed", "posted", "filled"]))]
        case "moves":
            let keys = table.columns.map(\.key).filter { $0 != "period" }
            return [Chart(id: "moves-chart", title: "Overstappen, uitstroom, duobanen en roulaties", kind: .bars,
                          categories: categories("period"), series: series(keys))]
        case "flexpool":
            return [
                Chart(id: "flexpool-hours", title: "Gevraagde uren: uit de flexpool en het gat", kind: .stackedBars,
                      categories: categories("period"), series: series(["pool_hours", "gap_hours"]), unit: "uur"),
                Chart(id: "flexpool-rate", title: "Vulgraad uit de flexpool", kind: .lines,
                      categories: categories("period"), series: series(["fill_rate"]), unit: "%"),
            ]
        case "flexpool-organisations":
            return [Chart(id: "flexpool-organisations-chart", title: "Uren per organisatie", kind: .bars,
                          categories: categories("organisation"), series: series(["demand_hours", "hours_received", "hours_given"]), unit: "uur")]
        case "academy":
            return [
                Chart(id: "academy-use", title: "Inschrijvingen, wachtlijst en afrondingen", kind: .bars,
                      categories: categories("period"), series: series(["enrolments", "waitlisted", "completions"])),
                Chart(id: "academy-clicks", title: "Uitvoeringen die starten en doorkliks naar aanbieders", kind: .lines,
                      categories: categories("period"), series: series(["offerings_starting", "provider_clicks"])),
                Chart(id: "academy-points", title: "Toegekende accreditatiepunten", kind: .bars,
                      categories: categories("period"), series: series(["points_awarded"]), unit: "punten"),
            ]
        case "academy-offer":
            let offer = pivot(category: "organisation", series: "format", value: "courses")
            return [Chart(id: "academy-offer-chart", title: "Cursussen per aanbieder en vorm", kind: .stackedBars,
                          categories: offer.categories, series: offer.series)]
        default:
            return []
        }
    }

    /// The from → to moves as a heat table: rows from, columns to, darker where more.
    static func matrix(_ table: MonitorTable) -> Page.Matrix {
        let from = table.values("from_organisation").map(\.dutch)
        let to = table.values("to_organisation").map(\.dutch)
        let moves = table.values("moves").map { Int($0.number ?? 0) }
        func ordered(_ names: [String]) -> [String] {
            let unique = Set(names)
            return unique.filter { $0 != MonitorScope.othersLabel }.sorted() + (unique.contains(MonitorScope.othersLabel) ? [MonitorScope.othersLabel] : [])
        }
        let rowNames = ordered(from)
        let columnNames = ordered(to)
        var counts: [String: [String: Int]] = [:]
        for index in moves.indices { counts[from[index], default: [:]][to[index]] = moves[index] }
        let largest = max(moves.max() ?? 0, 1)
        func heat(_ n: Int) -> String {
            guard n > 0 else { return "heat-0" }
            return "heat-" + String(min(4, 1 + (n * 4 - 1) / largest))
        }
        return Page.Matrix(
            columns: columnNames.map { .init(label: $0, numeric: true) },
            rows: rowNames.map { name in
                let cells = columnNames.map { counts[name]?[$0] ?? 0 }
                return .init(name: name, cells: cells.map { .init(value: String($0), numeric: true, heat: heat($0)) }, total: cells.reduce(0, +))
            },
            hasRows: !rowNames.isEmpty)
    }

    // MARK: - JSON

    struct IndexJSON: Encodable {
        struct Table: Encodable { let id: String; let url: String }
        let tables: [Table]
    }

    struct TableJSON: Encodable {
        struct Period: Encodable { let from: String; let to: String; let step: String }
        struct Column: Encodable { let key: String; let label: String }
        struct Cell: Encodable {
            let value: MonitorTable.Value
            func encode(to encoder: any Encoder) throws {
                var container = encoder.singleValueContainer()
                switch value {
                case .text(let text): try container.encode(text)
                case .period(let key, _): try container.encode(key)
                case .count(let n): try container.encode(n)
                case .measure(let x):
                    if let x { try container.encode((x * 10).rounded() / 10) } else { try container.encodeNil() }
                }
            }
        }
        let table: String
        let title: String
        let period: Period
        let organisation: String?
        let columns: [Column]
        let rows: [[String: Cell]]

        init(_ table: MonitorTable, period: MonitorPeriod, organisation: String?) {
            self.table = table.id
            title = table.title
            self.period = Period(from: period.first.text, to: period.lastMonth.text, step: period.step == .month ? "month" : "quarter")
            self.organisation = organisation
            columns = table.columns.map { Column(key: $0.key, label: $0.label) }
            rows = table.rows.map { row in
                Dictionary(uniqueKeysWithValues: zip(table.columns.map(\.key), row.map(Cell.init)))
            }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(table, forKey: .table)
            try container.encode(title, forKey: .title)
            try container.encode(period, forKey: .period)
            // Present as null for the region, so clients always find the key.
            try container.encode(organisation, forKey: .organisation)
            try container.encode(columns, forKey: .columns)
            try container.encode(rows, forKey: .rows)
        }

        enum CodingKeys: String, CodingKey { case table, title, period, organisation, columns, rows }
    }
}
