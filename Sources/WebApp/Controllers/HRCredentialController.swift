import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/vog`: per organisation of the HR adviser, how old a VOG may be there, and
/// whose VOG or registration runs out within eight weeks (or has run out), with the
/// confirmed flexpool shifts it would cost.
struct HRCredentialController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Line: Sendable { let name: String; let credential: String; let lapses: String; let lapsed: Bool; let shifts: String }
        struct Block: Sendable {
            let organisation: String
            let slug: String
            let rules: [Option]
            let lines: [Line]
            let hasLines: Bool
        }
        let chrome: Chrome
        let blocks: [Block]
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/vog").add(middleware: RequireRole(.hrAdviser))
            .get(use: show)
            .post(use: setRule)
    }

    /// GET /beheer/vog
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters["gelukt"] == "regel" ? "De VOG-regel is opgeslagen. Bevestigde diensten blijven staan." : nil
        return try await page(context, notice: notice, error: nil, status: .ok)
    }

    /// POST /beheer/vog: the organisation's VOG rule (months).
    @Sendable func setRule(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let organisation = try await context.requireAdvisedOrganisation(store)
        guard let months = Int(try context.requireForm()["months"]), CredentialStore.vogRuleChoices.contains(months) else {
            return try await page(context, notice: nil, error: "Kies hoe oud een VOG hoogstens mag zijn.", status: .unprocessableContent)
        }
        _ = try await store.credentials.setVOGRule(of: organisation.id, months: months, by: account.id)
        return Response.redirect(to: "/beheer/vog?gelukt=regel", type: .normal)
    }

    private func page(_ context: AppRequestContext, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        let today = Day(Date())
        var blocks: [Page.Block] = []
        for organisation in try await store.organisations.all() where account.has(.hrAdviser, for: organisation.id) {
            let rule = try await store.credentials.vogRule(of: organisation.id) ?? 36
            let lines = try await store.credentials.expiring(at: organisation.id, until: AmsterdamTime.adding(56, to: today))
            blocks.append(.init(
                organisation: organisation.name, slug: organisation.slug,
                rules: CredentialStore.vogRuleChoices.map { Option(value: String($0), label: "\($0 / 12) jaar", selected: $0 == rule) },
                lines: lines.map { line in
                    .init(name: line.name, credential: line.credential == "VOG" ? "VOG" : "\(line.credential)-registratie",
                          lapses: line.lapsesOn.dutch, lapsed: line.lapsesOn <= today,
                          shifts: line.shifts.isEmpty ? "geen" : line.shifts.map { FlexpoolText.when($0) }.joined(separator: "; "))
                },
                hasLines: !lines.isEmpty))
        }
        return try views.page(.hrCredentials, Page(
            chrome: Chrome(title: "VOG en registraties", context: context, path: "/beheer/vog", notice: notice), blocks: blocks, error: error), status: status)
    }
}
