import Domain
import Foundation
import Hummingbird
import NIOPosix
import Passwords
import Store

/// `/beheer/organisaties` and `/beheer/accounts`: admins add organisations and accounts,
/// grant and revoke roles, and block accounts. Every change writes an audit line.
struct AdminController: RouteCollection {
    let store: Store
    let views: Views

    struct OrganisationsPage: Sendable {
        struct Line: Sendable {
            let id: String; let name: String; let slug: String; let kind: String; let municipality: String; let active: Bool
            /// Named apart from the page's form fields: a missing value must not find those.
            let site: String?; let hasLogo: Bool
        }
        let chrome: Chrome
        let organisations: [Line]
        /// The form for an organisation's own site and logo.
        let presenceOrganisations: [Option]
        let presenceOrganisationError: String?
        let website: Field
        let logo: Field
        let presenceSummary: ErrorSummary
        let slug: Field
        let name: Field
        let kinds: [Option]
        let kindError: String?
        let municipalities: [Option]
        let municipalityError: String?
        let errorSummary: ErrorSummary
        let hasErrors: Bool
    }

    struct AccountsPage: Sendable {
        struct GrantLine: Sendable { let label: String; let organisation: String?; let role: String; let organisationID: String }
        struct Line: Sendable {
            let id: String; let name: String; let email: String; let disabled: Bool; let grants: [GrantLine]
        }
        let chrome: Chrome
        let accounts: [Line]
        let email: Field
        let displayName: Field
        let password: Field
        let roles: [Option]
        let roleError: String?
        let organisations: [Option]
        let organisationError: String?
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let grantError: String?
        let query: String
        let totalText: String
        let pages: Pager
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group().add(middleware: RequireRole(.admin))
            .get("/beheer", use: index)
        router.group("/beheer/organisaties").add(middleware: RequireRole(.admin))
            .get(use: organisations)
            .post(use: createOrganisation)
            .post(":id/actief", use: setOrganisationActive)
            .post("site", use: setOrganisationPresence)
        router.group("/beheer/salarisschalen").add(middleware: RequireRole(.admin))
            .get(use: salaryScales)
            .post(use: replaceSalaryScales)
        router.group("/beheer/accounts").add(middleware: RequireRole(.admin))
            .get(use: accounts)
            .post(use: createAccount)
            .post(":id/rollen", use: grantRole)
            .post(":id/rollen/intrekken", use: revokeRole)
            .post(":id/blokkeren", use: setAccountDisabled)
    }

    // MARK: - Handlers

    /// GET /beheer
    @Sendable func index(_ request: Request, context: AppRequestContext) async throws -> Response {
        return Response.redirect(to: "/beheer/organisaties", type: .found)
    }

    /// GET /beheer/organisaties
    @Sendable func organisations(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await organisationsPage(context, form: FormData(""), errors: nil, notice: notice(request))
    }

    /// POST /beheer/organisaties
    @Sendable func createOrganisation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        do {
            let new = try NewOrganisation.parse(slug: form["slug"], name: form["name"], kind: form["kind"], municipality: form["municipality"])
            _ = try await store.organisations.create(new, by: admin.id)
            return Response.redirect(to: "/beheer/organisaties?gelukt=toegevoegd", type: .normal)
        } catch let errors as ValidationErrors {
            return try await organisationsPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
    }

    /// POST /beheer/organisaties/:id/actief
    @Sendable func setOrganisationActive(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        let id = try context.parameters.requireID()
        guard try await store.organisations.setActive(id, form["active"] == "true", by: admin.id) != nil
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/organisaties?gelukt=gewijzigd", type: .normal)
    }

    /// POST /beheer/organisaties/site: an organisation's own site and logo (for the
    /// job markup search engines read).
    @Sendable func setOrganisationPresence(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        do {
            guard let id = UUID(uuidString: form["organisation"]) else {
                throw ValidationErrors(field: "presence_organisation", message: "Kies een organisatie uit de lijst.")
            }
            let presence = try OrganisationPresence.parse(website: form["website"], logo: form["logo_url"])
            guard try await store.organisations.setPresence(id, presence, by: admin.id) != nil else {
                throw ValidationErrors(field: "presence_organisation", message: "Kies een organisatie uit de lijst.")
            }
            return Response.redirect(to: "/beheer/organisaties?gelukt=gewijzigd", type: .normal)
        } catch let errors as ValidationErrors {
            return try await organisationsPage(context, form: form, errors: nil, presenceErrors: errors, notice: nil, status: .unprocessableContent)
        }
    }

    struct SalaryScalesPage: Sendable {
        struct Year: Sendable { let year: Int; let scales: [Line] }
        struct Line: Sendable { let scale: Int; let minimum: String; let maximum: String }
        let chrome: Chrome
        let years: [Year]
        let hasYears: Bool
        let year: Field
        let table: Field
        let errorSummary: ErrorSummary
    }

    /// GET /beheer/salarisschalen: the CAO Jeugdzorg's salary tables, by year.
    @Sendable func salaryScales(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await salaryScalesPage(context, form: FormData(""), errors: nil, notice: notice(request))
    }

    /// POST /beheer/salarisschalen: replaces a year's table with the lines pasted.
    @Sendable func replaceSalaryScales(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        do {
            let ranges = try SalaryRange.parse(table: form["table"], year: Int(form["year"].trimmingCharacters(in: .whitespaces)) ?? 0)
            try await store.salaryScales.replace(year: ranges[0].year, with: ranges, by: admin.id)
            return Response.redirect(to: "/beheer/salarisschalen?gelukt=gewijzigd", type: .normal)
        } catch let errors as ValidationErrors {
            return try await salaryScalesPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
    }

    private func salaryScalesPage(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let all = try await store.salaryScales.all()
        let years = Dictionary(grouping: all, by: \.year).sorted { $0.key > $1.key }.map { year, ranges in
            SalaryScalesPage.Year(year: year, scales: ranges.map {
                .init(scale: $0.scale, minimum: SalaryRange.euros($0.minimumCents), maximum: SalaryRange.euros($0.maximumCents))
            })
        }
        // A fresh form proposes this year.
        let defaults = errors == nil ? FormData("year=\(Day(Date()).year)") : form
        return try views.page(.adminSalaryScales, SalaryScalesPage(
            chrome: Chrome(title: "Salarisschalen", context: context, path: "/beheer/salarisschalen", notice: notice),
            years: years, hasYears: !years.isEmpty,
            year: Field("year", form: defaults, errors: errors), table: Field("table", form: defaults, errors: errors),
            errorSummary: ErrorSummary(errors, intro: "De salaristabel is niet opgeslagen. Dit moet nog anders:")
        ), status: status)
    }

    /// GET /beheer/accounts
    @Sendable func accounts(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = String((request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).prefix(100))
        let page = max(1, Int(request.uri.queryParameters["pagina"].map(String.init) ?? "") ?? 1)
        return try await accountsPage(context, form: FormData(""), errors: nil, notice: notice(request), query: query, page: page)
    }

    /// POST /beheer/accounts
    @Sendable func createAccount(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        do {
            let new = try NewAccount.parse(
                email: form["email"], displayName: form["displayName"], password: form["password"],
                role: form["role"], organisationID: form["organisation"], common: CommonPasswords.shipped)
            let hash = try await NIOThreadPool.singleton.runIfActive { try PasswordHasher.standard.hash(new.password) }
            _ = try await store.accounts.create(new, passwordHash: hash, grantedBy: admin.id)
            return Response.redirect(to: "/beheer/accounts?gelukt=toegevoegd", type: .normal)
        } catch let errors as ValidationErrors {
            return try await accountsPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
    }

    /// POST /beheer/accounts/:id/rollen
    @Sendable func grantRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        let accountID = try accountID(context)
        do {
            guard let role = Role(rawValue: form["role"]) else {
                throw ValidationErrors(field: "role", message: "Kies een rol uit de lijst.")
            }
            let organisation = form["organisation"].isEmpty ? nil : UUID(uuidString: form["organisation"])
            if !form["organisation"].isEmpty, organisation == nil {
                throw ValidationErrors(field: "organisation", message: "Kies een organisatie uit de lijst.")
            }
            let grant = try RoleGrant(role: role, organisationID: organisation).validated()
            try await store.accounts.grant(grant, to: accountID, by: admin.id)
            return Response.redirect(to: "/beheer/accounts?gelukt=rol", type: .normal)
        } catch let errors as ValidationErrors {
            return try await accountsPage(
                context, form: FormData(""), errors: nil, notice: nil, status: .unprocessableContent,
                grantError: errors.items.first?.message)
        }
    }

    /// POST /beheer/accounts/:id/rollen/intrekken
    @Sendable func revokeRole(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        let accountID = try accountID(context)
        guard let role = Role(rawValue: form["role"]) else { throw HTTPError(.badRequest) }
        let organisation = UUID(uuidString: form["organisation"])
        if role == .admin, accountID == admin.id {
            // An admin cannot lock everyone out by revoking their own admin role.
            return try await accountsPage(
                context, form: FormData(""), errors: nil, notice: nil, status: .conflict,
                grantError: "Je kunt je eigen beheerdersrol niet intrekken. Laat een andere beheerder dat doen.")
        }
        guard try await store.accounts.revoke(RoleGrant(role: role, organisationID: organisation), from: accountID, by: admin.id) else {
            throw HTTPError(.notFound)
        }
        return Response.redirect(to: "/beheer/accounts?gelukt=rol", type: .normal)
    }

    /// POST /beheer/accounts/:id/blokkeren
    @Sendable func setAccountDisabled(_ request: Request, context: AppRequestContext) async throws -> Response {
        let admin = try context.requireAccount()
        let form = try context.requireForm()
        let accountID = try accountID(context)
        let disable = form["disabled"] == "true"
        if disable, accountID == admin.id {
            return try await accountsPage(
                context, form: FormData(""), errors: nil, notice: nil, status: .conflict,
                grantError: "Je kunt jezelf niet blokkeren.")
        }
        guard try await store.accounts.setDisabled(accountID, disable, by: admin.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/accounts?gelukt=gewijzigd", type: .normal)
    }

    private func accountID(_ context: AppRequestContext) throws -> UUID {
        let id = try context.parameters.requireID()
        return id
    }

    private func notice(_ request: Request) -> String? {
        switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "toegevoegd": return "Toegevoegd."
        case "gewijzigd": return "Gewijzigd."
        case "rol": return "De rollen zijn bijgewerkt."
        default: return nil
        }
    }

    private func organisationsPage(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, presenceErrors: ValidationErrors? = nil, notice: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let organisations = try await store.organisations.all()
        // Each form shows what was typed into it, and only its own errors.
        let presenceForm = presenceErrors == nil ? FormData("") : form
        let createForm = presenceErrors == nil ? form : FormData("")
        return try views.page(.adminOrganisations, OrganisationsPage(
            chrome: Chrome(title: "Organisaties", context: context, path: "/beheer/organisaties", notice: notice),
            organisations: organisations.map {
                .init(id: $0.id.uuidString.lowercased(), name: $0.name, slug: $0.slug, kind: $0.kind.label,
                      municipality: $0.municipality.name, active: $0.active, site: $0.website, hasLogo: $0.logoURL != nil)
            },
            presenceOrganisations: organisations.map {
                Option(value: $0.id.uuidString.lowercased(), label: $0.name, selected: presenceForm["organisation"] == $0.id.uuidString.lowercased())
            },
            presenceOrganisationError: presenceErrors?["presence_organisation"],
            website: Field("website", form: presenceForm, errors: presenceErrors),
            logo: Field("logo_url", form: presenceForm, errors: presenceErrors),
            presenceSummary: ErrorSummary(presenceErrors, intro: "De site en het logo zijn niet opgeslagen. Dit moet nog anders:"),
            slug: Field("slug", form: createForm, errors: errors),
            name: Field("name", form: createForm, errors: errors),
            kinds: Organisation.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: createForm["kind"] == $0.rawValue) },
            kindError: errors?["kind"],
            municipalities: Municipality.allCases.map {
                Option(value: $0.rawValue, label: $0.name, selected: createForm["municipality"] == $0.rawValue)
            },
            municipalityError: errors?["municipality"],
            errorSummary: ErrorSummary(errors, intro: "De organisatie is niet opgeslagen. Dit moet nog anders:"),
            hasErrors: !(errors?.isEmpty ?? true)
        ), status: status)
    }

    private func accountsPage(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?,
        status: HTTPResponse.Status = .ok, grantError: String? = nil, query: String = "", page: Int = 1
    ) async throws -> Response {
        let organisations = try await store.organisations.all()
        let pageSize = 50
        let (accounts, total) = try await store.accounts.search(query, offset: (page - 1) * pageSize, limit: pageSize)
        func organisationName(_ id: UUID?) -> String? { id.flatMap { id in organisations.first { $0.id == id }?.name } }
        return try views.page(.adminAccounts, AccountsPage(
            chrome: Chrome(title: "Accounts", context: context, path: "/beheer/accounts", notice: notice),
            accounts: accounts.map { account in
                .init(
                    id: account.id.uuidString.lowercased(), name: account.displayName, email: account.email, disabled: account.disabled,
                    grants: account.grants.map {
                        .init(label: $0.role.label, organisation: organisationName($0.organisationID), role: $0.role.rawValue,
                              organisationID: $0.organisationID?.uuidString.lowercased() ?? "")
                    })
            },
            email: Field("email", form: form, errors: errors),
            displayName: Field("displayName", form: form, errors: errors),
            password: Field("", error: errors?["password"]),
            roles: Role.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form["role"] == $0.rawValue) },
            roleError: errors?["role"],
            organisations: organisations.filter(\.active).map {
                Option(value: $0.id.uuidString.lowercased(), label: $0.name, selected: form["organisation"] == $0.id.uuidString.lowercased())
            },
            organisationError: errors?["organisation"],
            errorSummary: ErrorSummary(errors, intro: "Het account is niet aangemaakt. Dit moet nog anders:"),
            hasErrors: !(errors?.isEmpty ?? true),
            grantError: grantError,
            query: query, totalText: total == 1 ? "1 account" : "\(total) accounts",
            pages: Pager(path: "/beheer/accounts", parameters: [("q", query)], page: page, total: total, pageSize: pageSize)
        ), status: status)
    }
}
