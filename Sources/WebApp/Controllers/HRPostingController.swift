import Domain
import Foundation
import Hummingbird
import Store

/// `/beheer/vacatures`: an HR adviser creates, edits, previews, publishes, closes,
/// marks filled and copies the postings of their own organisation(s). Another
/// organisation's posting is a 404, whatever the address says.
struct HRPostingController: RouteCollection {
    let store: Store
    let views: Views

    struct ListPage: Sendable {
        let chrome: Chrome
        let postings: [PostingLine]
        let statuses: [Option]
        let kinds: [Option]
        let q: String
        let total: Int
        let endedHidden: Bool
        let pages: Pager
        let filtersActive: Int
        let filtersOpen: Bool
    }

    static let filterNames = ["stand", "soort"]

    struct FormPage: Sendable {
        let chrome: Chrome
        let heading: String
        let action: String
        let id: String?
        let canPublish: Bool
        let status: String?
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let organisations: [Option]
        let showOrganisation: Bool
        let kinds: [Option]
        let functions: [Option]
        let disciplines: [Option]
        let levels: [Option]
        let municipalities: [Option]
        let areas: [Option]
        let fields: [String: Field]
        let duo: Bool
        let errors: [String: String]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/vacatures").add(middleware: RequireRole(.hrAdviser))
            .get(use: list)
            .get("nieuw", use: new)
            .post(use: create)
            .get(":id", use: edit)
            .post(":id", use: update)
            .post(":id/status", use: setStatus)
            .post(":id/kopie", use: copy)
    }

    // MARK: - Handlers

    /// GET /beheer/vacatures: filters by state and kind, a search on the title, pages
    /// of 25; closed and filled postings only when asked for (`stand=alle` or theirs).
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let clean = request.withoutEmptyParameters() { return clean }
        let account = try context.requireAccount()
        let query = request.queryDictionary
        let status = query["stand"].flatMap(Posting.Status.init(rawValue:))
        let everything = query["stand"] == "alle"
        let kind = query["soort"].flatMap(Posting.Kind.init(rawValue:))
        let text = String((query["q"] ?? "").prefix(100))
        let page = max(1, Int(query["pagina"] ?? "") ?? 1)
        let (postings, total) = try await store.postings.managed(
            organisations: account.organisations(as: .hrAdviser), status: status, includeEnded: everything, kind: kind, text: text, page: page)
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "gepubliceerd": "De vacature is gepubliceerd."
        case "gesloten": "De vacature is gesloten."
        case "vervuld": "De vacature is als vervuld gemarkeerd."
        case "concept": "De vacature is teruggezet naar concept."
        default: nil
        }
        let today = Day(Date())
        let kept = [("stand", query["stand"]), ("soort", kind?.rawValue), ("q", text.isEmpty ? nil : text)]
        return try views.page(.hrPostings, ListPage(
            chrome: Chrome(title: "Vacatures beheren", context: context, path: "/beheer/vacatures", notice: notice),
            postings: postings.map { PostingLine($0, today: today) },
            statuses: [Option(value: "alle", label: "Alle, ook gesloten en vervuld", selected: everything)]
                + Posting.Status.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == status) },
            kinds: Posting.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == kind) },
            q: text, total: total, endedHidden: status == nil && !everything,
            pages: Pager(path: "/beheer/vacatures", parameters: kept, page: page, total: total, pageSize: 25),
            filtersActive: request.activeFilters(Self.filterNames), filtersOpen: request.activeFilters(Self.filterNames) > 0))
    }

    /// GET /beheer/vacatures/nieuw
    @Sendable func new(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await form(context, account: account, id: nil, input: PostingDetails.Input([:]), errors: nil, status: nil)
    }

    /// POST /beheer/vacatures
    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let input = PostingDetails.Input(Dictionary(uniqueKeysWithValues: (PostingDetails.fieldNames + ["organisation"]).map { ($0, form[$0]) }))
        let organisation = try await chosenOrganisation(account, slug: form["organisation"])
        do {
            let details = try PostingDetails.parse(input, functionCodes: try await functionCodes())
            let posting = try await store.postings.create(details, organisation: organisation, by: account.id)
            return Response.redirect(to: "/beheer/vacatures/\(posting.id.uuidString.lowercased())?gelukt=opgeslagen", type: .normal)
        } catch let errors as ValidationErrors {
            return try await self.form(context, account: account, id: nil, input: input, errors: errors, status: nil)
        }
    }

    /// GET /beheer/vacatures/:id
    @Sendable func edit(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let posting = try await ownPosting(account, context)
        return try await form(context, account: account, id: posting.id, input: posting.details.input, errors: nil, status: posting.status,
                              notice: request.uri.queryParameters["gelukt"] == "opgeslagen" ? "Opgeslagen." : nil)
    }

    /// POST /beheer/vacatures/:id
    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let posting = try await ownPosting(account, context)
        let form = try context.requireForm()
        let input = PostingDetails.Input(Dictionary(uniqueKeysWithValues: PostingDetails.fieldNames.map { ($0, form[$0]) }))
        do {
            let details = try PostingDetails.parse(input, functionCodes: try await functionCodes())
            guard try await store.postings.update(posting.id, organisation: posting.organisationID, details: details) != nil else {
                throw HTTPError(.notFound)
            }
            return Response.redirect(to: "/beheer/vacatures/\(posting.id.uuidString.lowercased())?gelukt=opgeslagen", type: .normal)
        } catch let errors as ValidationErrors {
            return try await self.form(context, account: account, id: posting.id, input: input, errors: errors, status: posting.status)
        }
    }

    /// POST /beheer/vacatures/:id/status
    @Sendable func setStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let posting = try await ownPosting(account, context)
        let form = try context.requireForm()
        guard let status = Posting.Status(rawValue: form["status"]) else { throw HTTPError(.badRequest) }
        do {
            _ = try await store.postings.setStatus(posting.id, organisation: posting.organisationID, to: status, by: account.id)
        } catch let refused as Posting.StatusNotAllowed {
            throw HTTPError(.conflict, message: refused.message)
        }
        let word = ["published": "gepubliceerd", "closed": "gesloten", "filled": "vervuld", "draft": "concept"][status.rawValue]!
        return Response.redirect(to: "/beheer/vacatures?gelukt=\(word)", type: .normal)
    }

    /// POST /beheer/vacatures/:id/kopie
    @Sendable func copy(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let posting = try await ownPosting(account, context)
        guard let copy = try await store.postings.copy(posting.id, organisation: posting.organisationID, by: account.id) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/beheer/vacatures/\(copy.id.uuidString.lowercased())?gelukt=opgeslagen", type: .normal)
    }

    /// A posting of one of the adviser's organisations, or 404.
    private func ownPosting(_ account: Account, _ context: AppRequestContext) async throws -> Posting {
        let id = try context.parameters.requireID()
        for organisation in account.organisations(as: .hrAdviser) {
            if let posting = try await store.postings.find(id: id, organisation: organisation) { return posting }
        }
        throw HTTPError(.notFound)
    }

    private func chosenOrganisation(_ account: Account, slug: String) async throws -> Organisation.ID {
        let mine = account.organisations(as: .hrAdviser)
        if !slug.isEmpty, let organisation = try await store.organisations.find(slug: slug), mine.contains(organisation.id) {
            return organisation.id
        }
        guard let first = mine.first else { throw HTTPError(.forbidden) }
        return first
    }

    private func functionCodes() async throws -> Set<String> {
        Set(try await store.professionals.functions().map(\.code))
    }

    private func form(
        _ context: AppRequestContext, account: Account, id: Posting.ID?, input: PostingDetails.Input,
        errors: ValidationErrors?, status: Posting.Status?, notice: String? = nil
    ) async throws -> Response {
        let organisations = try await store.organisations.all().filter { account.organisations(as: .hrAdviser).contains($0.id) }
        var fields: [String: Field] = [:]
        for name in PostingDetails.fieldNames {
            fields[name] = Field(input.values[name] ?? "", error: errors?[name])
        }
        var errorMap: [String: String] = [:]
        for item in errors?.items ?? [] { errorMap[item.field] = item.message }
        let idText = id?.uuidString.lowercased()
        return try views.page(.hrPostingForm, FormPage(
            chrome: Chrome(title: id == nil ? "Nieuwe vacature" : "Vacature bewerken", context: context, path: "/beheer/vacatures", notice: notice),
            heading: id == nil ? "Nieuwe vacature, stage of meeloopdag" : "Bewerken",
            action: idText.map { "/beheer/vacatures/\($0)" } ?? "/beheer/vacatures",
            id: idText, canPublish: idText != nil && status?.canMove(to: .published) == true, status: status?.label,
            errorSummary: ErrorSummary(errors, intro: "Er is niets opgeslagen. Dit moet nog anders:"), hasErrors: !(errors?.isEmpty ?? true),
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: input.values["organisation"] == $0.slug) },
            showOrganisation: id == nil && organisations.count > 1,
            kinds: Choices.kinds(input.values["kind"] ?? "", byURLName: false),
            functions: Choices.functions(try await store.professionals.functions(), input.values["function"] ?? ""),
            disciplines: Choices.disciplines(input.values["discipline"] ?? ""),
            levels: Choices.levels(input.values["education_level"] ?? ""),
            municipalities: Choices.municipalities(input.values["municipality"] ?? ""),
            areas: Choices.areas(input.values["area"] ?? ""),
            fields: fields, duo: ["on", "true"].contains(input.values["duo"] ?? ""), errors: errorMap
        ), status: errors == nil ? .ok : .unprocessableContent)
    }
}
