import Domain
import Foundation
import Hummingbird
import NIOPosix
import Passwords
import Store

/// `/beheer/organisaties` and `/beheer/accounts`: admins add organisations and accounts,
/// grant and revoke roles, and block accounts. Every change writes an audit line.
struct AdminController {
    let store: Store
    let views: Views

    struct OrganisationsPage: Sendable {
        struct Line: Sendable {
            let id: String; let name: String; let slug: String; let kind: String; let municipality: String; let active: Bool
        }
        let chrome: Chrome
        let organisations: [Line]
        let slug: Field
        let name: Field
        let kinds: [Option]
        let kindError: String?
        let municipalities: [Option]
        let municipalityError: String?
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
        let hasErrors: Bool
        let grantError: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("/beheer")
        group.get("/") { request, context -> Response in
            _ = try Guard.account(request, context, holding: .admin)
            return Response.redirect(to: "/beheer/organisaties", type: .found)
        }
        group.get("/organisaties") { request, context in
            _ = try Guard.account(request, context, holding: .admin)
            return try await organisationsPage(context, form: FormData(""), errors: nil, notice: notice(request))
        }
        group.post("/organisaties") { request, context in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
            do {
                let new = try NewOrganisation.parse(slug: form["slug"], name: form["name"], kind: form["kind"], municipality: form["municipality"])
                let organisation = try await store.organisations.create(new)
                try await store.audit.append(actor: admin.id, action: "organisation.create", objectType: "organisation", objectID: organisation.slug)
                return Response.redirect(to: "/beheer/organisaties?gelukt=toegevoegd", type: .normal)
            } catch let errors as ValidationErrors {
                return try await organisationsPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
            }
        }
        group.post("/organisaties/:id/actief") { request, context -> Response in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
            guard let id = UUID(uuidString: context.parameters.get("id") ?? ""),
                  let organisation = try await store.organisations.setActive(id, form["active"] == "true")
            else { throw HTTPError(.notFound) }
            try await store.audit.append(
                actor: admin.id, action: organisation.active ? "organisation.activate" : "organisation.deactivate",
                objectType: "organisation", objectID: organisation.slug)
            return Response.redirect(to: "/beheer/organisaties?gelukt=gewijzigd", type: .normal)
        }
        group.get("/accounts") { request, context in
            _ = try Guard.account(request, context, holding: .admin)
            return try await accountsPage(context, form: FormData(""), errors: nil, notice: notice(request))
        }
        group.post("/accounts") { request, context in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
            do {
                let new = try NewAccount.parse(
                    email: form["email"], displayName: form["displayName"], password: form["password"],
                    role: form["role"], organisationID: form["organisation"])
                let hash = try await NIOThreadPool.singleton.runIfActive { try PasswordHasher.standard.hash(new.password) }
                let account = try await store.accounts.create(new, passwordHash: hash, grantedBy: admin.id)
                try await store.audit.append(actor: admin.id, action: "account.create", subject: account.id)
                return Response.redirect(to: "/beheer/accounts?gelukt=toegevoegd", type: .normal)
            } catch let errors as ValidationErrors {
                return try await accountsPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
            }
        }
        group.post("/accounts/:id/rollen") { request, context in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
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
                try await store.audit.append(actor: admin.id, action: "role.grant", subject: accountID, objectType: "role", objectID: role.rawValue)
                return Response.redirect(to: "/beheer/accounts?gelukt=rol", type: .normal)
            } catch let errors as ValidationErrors {
                return try await accountsPage(
                    context, form: FormData(""), errors: nil, notice: nil, status: .unprocessableContent,
                    grantError: errors.items.first?.message)
            }
        }
        group.post("/accounts/:id/rollen/intrekken") { request, context -> Response in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
            let accountID = try accountID(context)
            guard let role = Role(rawValue: form["role"]) else { throw HTTPError(.badRequest) }
            let organisation = UUID(uuidString: form["organisation"])
            if role == .admin, accountID == admin.id {
                // An admin cannot lock everyone out by revoking their own admin role.
                return try await accountsPage(
                    context, form: FormData(""), errors: nil, notice: nil, status: .conflict,
                    grantError: "U kunt uw eigen beheerdersrol niet intrekken. Laat een andere beheerder dat doen.")
            }
            guard try await store.accounts.revoke(RoleGrant(role: role, organisationID: organisation), from: accountID) else {
                throw HTTPError(.notFound)
            }
            try await store.audit.append(actor: admin.id, action: "role.revoke", subject: accountID, objectType: "role", objectID: role.rawValue)
            return Response.redirect(to: "/beheer/accounts?gelukt=rol", type: .normal)
        }
        group.post("/accounts/:id/blokkeren") { request, context -> Response in
            let admin = try Guard.account(request, context, holding: .admin)
            let form = try Guard.form(context)
            let accountID = try accountID(context)
            let disable = form["disabled"] == "true"
            if disable, accountID == admin.id {
                return try await accountsPage(
                    context, form: FormData(""), errors: nil, notice: nil, status: .conflict,
                    grantError: "U kunt uzelf niet blokkeren.")
            }
            guard try await store.accounts.setDisabled(accountID, disable) else { throw HTTPError(.notFound) }
            try await store.audit.append(actor: admin.id, action: disable ? "account.disable" : "account.enable", subject: accountID)
            return Response.redirect(to: "/beheer/accounts?gelukt=gewijzigd", type: .normal)
        }
    }

    private func accountID(_ context: AppRequestContext) throws -> UUID {
        guard let id = UUID(uuidString: context.parameters.get("id") ?? "") else { throw HTTPError(.notFound) }
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
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let organisations = try await store.organisations.all()
        return views.page("admin-organisations", OrganisationsPage(
            chrome: Chrome(title: "Organisaties", context: context, path: "/beheer/organisaties", notice: notice),
            organisations: organisations.map {
                .init(id: $0.id.uuidString.lowercased(), name: $0.name, slug: $0.slug, kind: $0.kind.label,
                      municipality: $0.municipality.name, active: $0.active)
            },
            slug: Field("slug", form: form, errors: errors),
            name: Field("name", form: form, errors: errors),
            kinds: Organisation.Kind.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form["kind"] == $0.rawValue) },
            kindError: errors?["kind"],
            municipalities: Municipality.allCases.map {
                Option(value: $0.rawValue, label: $0.name, selected: form["municipality"] == $0.rawValue)
            },
            municipalityError: errors?["municipality"],
            hasErrors: !(errors?.isEmpty ?? true)
        ), status: status)
    }

    private func accountsPage(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?,
        status: HTTPResponse.Status = .ok, grantError: String? = nil
    ) async throws -> Response {
        let organisations = try await store.organisations.all()
        let accounts = try await store.accounts.all()
        func organisationName(_ id: UUID?) -> String? { id.flatMap { id in organisations.first { $0.id == id }?.name } }
        return views.page("admin-accounts", AccountsPage(
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
            hasErrors: !(errors?.isEmpty ?? true),
            grantError: grantError
        ), status: status)
    }
}
