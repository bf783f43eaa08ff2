import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/stageafspraken`: per organisation, year and education level, the internship
/// places agreed, beside the places posted and filled; each agreement may name a partner
/// school and its study programme. `/beheer/api-tokens`: tokens for
/// the organisation's own systems.
struct HRInternshipController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Line: Sendable { let level: String; let levelCode: String; let agreed: Int; let posted: Int; let filled: Int }
        struct Agreement: Sendable {
            let key: String; let level: String; let levelCode: String; let school: String; let schoolSlug: String; let programme: String; let places: Int
        }
        struct Block: Sendable { let organisation: String; let slug: String; let lines: [Line]; let agreements: [Agreement]; let hasAgreements: Bool }
        let chrome: Chrome
        let levels: [Option]
        let schools: [Option]
        let year: Int
        let previousYear: Int
        let nextYear: Int
        let blocks: [Block]
        let error: String?
    }

    struct TokensPage: Sendable {
        struct Line: Sendable { let id: String; let name: String; let created: String; let organisation: String }
        let chrome: Chrome
        let tokens: [Line]
        let newToken: String?
        let organisations: [Option]
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/stageafspraken").add(middleware: RequireRole(.hrAdviser))
            .get(use: agreements)
            .post(use: saveAgreement)
        router.group("/beheer/api-tokens").add(middleware: RequireRole(.hrAdviser))
            .get(use: apiTokens)
            .post(use: createAPIToken)
            .post(":id/intrekken", use: revokeAPIToken)
    }

    // MARK: - Handlers

    /// GET /beheer/stageafspraken
    @Sendable func agreements(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let year = request.uri.queryParameters["jaar"].flatMap { Int(String($0)) }.flatMap { (2000...2100).contains($0) ? $0 : nil }
            ?? Day(Date()).year
        return try await page(context, account: account, year: year, error: nil, status: .ok)
    }

    /// POST /beheer/stageafspraken
    @Sendable func saveAgreement(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let year = Int(form["year"]) ?? Day(Date()).year
        let programme = form["programme"].trimmingCharacters(in: .whitespacesAndNewlines)
        var school: Organisation?
        if !form["school"].isEmpty {
            // Any school by its slug: a line may name one that is no longer active.
            school = try await store.organisations.find(slug: form["school"]).flatMap { $0.kind == .school ? $0 : nil }
            if school == nil {
                return try await page(context, account: account, year: year, error: "Kies een school uit de lijst.", status: .unprocessableContent)
            }
        }
        guard let level = EducationLevel(rawValue: form["level"]), let places = Int(form["places"]), (0...10_000).contains(places),
              (2000...2100).contains(year)
        else {
            return try await page(context, account: account, year: year,
                                  error: "Vul een aantal plaatsen tussen 0 en 10.000 in.", status: .unprocessableContent)
        }
        guard programme.count <= 200 else {
            return try await page(context, account: account, year: year, error: "De naam van de opleiding is hoogstens 200 tekens.", status: .unprocessableContent)
        }
        try await store.internships.set(organisation: organisation.id, year: year, level: level, places: places,
                                        school: school?.id, programme: programme, by: account.id)
        return Response.redirect(to: "/beheer/stageafspraken?jaar=\(year)", type: .normal)
    }

    /// GET /beheer/api-tokens
    @Sendable func apiTokens(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = request.uri.queryParameters["gelukt"] == "ingetrokken" ? "De sleutel is ingetrokken: het systeem dat hem gebruikte, kan niets meer plaatsen." : nil
        return try await tokens(context, account: account, newToken: nil, error: nil, notice: notice)
    }

    /// POST /beheer/api-tokens
    @Sendable func createAPIToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let name = form["name"].trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else {
            return try await tokens(context, account: account, newToken: nil, error: "Geef de sleutel een naam (hoogstens 100 tekens).")
        }
        let token = try await store.apiTokens.create(organisation: organisation.id, name: name, by: account.id)
        return try await tokens(context, account: account, newToken: token, error: nil)
    }

    /// POST /beheer/api-tokens/:id/intrekken
    @Sendable func revokeAPIToken(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        var token: ApiTokenInfo?
        for organisation in account.organisations(as: .hrAdviser) where token == nil {
            token = try await store.apiTokens.list(organisation: organisation).first { $0.id == id }
        }
        guard let token else { throw HTTPError(.notFound) }
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "API-sleutel intrekken?",
                consequences: ["Het systeem dat sleutel \"\(token.name)\" gebruikt, kan daarna geen vacatures of cursussen meer plaatsen of wijzigen. Een nieuwe sleutel maak je hier weer aan."],
                action: "/beheer/api-tokens/\(id.lowercased)/intrekken", button: "Ja, trek de sleutel in", cancel: "/beheer/api-tokens"
            ).page(views, context)
        }
        var revoked = false
        for organisation in account.organisations(as: .hrAdviser) where !revoked {
            revoked = try await store.apiTokens.revoke(id, organisation: organisation, by: account.id)
        }
        guard revoked else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/api-tokens?gelukt=ingetrokken", type: .normal)
    }

    private func page(_ context: AppRequestContext, account: Account, year: Int, error: String?, status: HTTPResponse.Status) async throws -> Response {
        var blocks: [Page.Block] = []
        let schools = try await store.organisations.all().filter { $0.kind == .school }
        for organisation in try await store.organisations.all() where account.has(.hrAdviser, for: organisation.id) {
            let lines = try await store.internships.overview(organisation: organisation.id, year: year)
            let agreements = try await store.internships.lines(organisation: organisation.id, year: year)
            blocks.append(.init(
                organisation: organisation.name, slug: organisation.slug,
                lines: lines.map {
                    .init(level: $0.educationLevel.label, levelCode: $0.educationLevel.rawValue, agreed: $0.agreed, posted: $0.posted, filled: $0.filled)
                },
                agreements: agreements.enumerated().map { index, line in
                    .init(key: "\(organisation.slug)-\(index)", level: line.educationLevel.label, levelCode: line.educationLevel.rawValue,
                          school: line.schoolName ?? "geen school genoemd", schoolSlug: schools.first { $0.id == line.school }?.slug ?? "",
                          programme: line.programme, places: line.places)
                },
                hasAgreements: !agreements.isEmpty))
        }
        return try views.page(.hrInternships, Page(
            chrome: Chrome(title: "Stageafspraken", context: context, path: "/beheer/stageafspraken"),
            levels: EducationLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
            schools: schools.filter(\.active).map { Option(value: $0.slug, label: $0.name, selected: false) },
            year: year, previousYear: year - 1, nextYear: year + 1, blocks: blocks, error: error), status: status)
    }

    private func tokens(_ context: AppRequestContext, account: Account, newToken: String?, error: String?, notice: String? = nil) async throws -> Response {
        var lines: [TokensPage.Line] = []
        var options: [Option] = []
        for organisation in try await store.organisations.all() where account.has(.hrAdviser, for: organisation.id) {
            options.append(Option(value: organisation.slug, label: organisation.name, selected: false))
            lines += try await store.apiTokens.list(organisation: organisation.id).map {
                .init(id: $0.id.uuidString.lowercased(), name: $0.name, created: $0.createdAt.dutchDay, organisation: organisation.name)
            }
        }
        return try views.page(.hrApiTokens, TokensPage(
            chrome: Chrome(title: "API-sleutels", context: context, path: "/beheer/api-tokens", notice: notice),
            tokens: lines, newToken: newToken, organisations: options, error: error),
            status: error == nil ? .ok : .unprocessableContent)
    }
}
