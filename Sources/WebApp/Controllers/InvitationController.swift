import Domain
import Foundation
import Hummingbird
import Logging
import Store

/// HR advisers invite their organisation's employees, one at a time or as a CSV of
/// many: each gets an account with the professional role, a job in the chosen function
/// from today, and a mail with a link to choose a password.
struct InvitationController: RouteCollection {
    let store: Store
    let views: Views

    struct InvitationsPage: Sendable {
        struct Line: Sendable {
            let name: String
            let email: String
            let function: String
            let invited: String
            let state: String
        }

        let chrome: Chrome
        let organisation: String
        let organisationSlug: String
        let done: String?
        let hasProblems: Bool
        let problems: [String]
        let fields: [Input]
        let functions: [Option]
        let functionError: String?
        let exampleFunction: String
        let hasInvitations: Bool
        let invitations: [Line]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/beheer/uitnodigingen").add(middleware: RequireRole(.hrAdviser))
            .get(use: list)
            .post(use: inviteOne)
            .post("csv", use: inviteMany)
    }

    /// GET /beheer/uitnodigingen
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let advised = account.organisations(as: .hrAdviser)
        var organisation = advised.first
        if let slug = request.uri.queryParameters["organisatie"] {
            organisation = try await store.organisations.find(slug: String(slug))?.id
        }
        guard let organisation, advised.contains(organisation) else { throw HTTPError(.notFound) }
        return try await page(context, organisation: organisation, form: FormData(""), errors: ValidationErrors(), done: nil, problems: [], status: .ok)
    }

    /// POST /beheer/uitnodigingen
    @Sendable func inviteOne(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let functions = Set(try await store.professionals.functions().map(\.code))
        do {
            let invitee = try Invitee.parse(displayName: form["displayName"], email: form["email"], functionCode: form["function"], functions: functions)
            switch try await store.accounts.invite(invitee, organisation: organisation.id, by: account.id, today: Day(Date())) {
            case .invited:
                return try await page(context, organisation: organisation.id, form: FormData(""), errors: ValidationErrors(),
                                      done: "\(invitee.displayName) is uitgenodigd: de mail met de link is onderweg.", problems: [], status: .ok)
            case .hasAccount:
                var errors = ValidationErrors()
                errors.add("email", "Met dit e-mailadres is al een account. Vraag de medewerker in te loggen of een nieuw wachtwoord aan te vragen.")
                return try await page(context, organisation: organisation.id, form: form, errors: errors, done: nil, problems: [], status: .conflict)
            }
        } catch let errors as ValidationErrors {
            return try await page(context, organisation: organisation.id, form: form, errors: errors, done: nil, problems: [], status: .unprocessableContent)
        }
    }

    /// POST /beheer/uitnodigingen/csv
    @Sendable func inviteMany(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisation = try await context.requireAdvisedOrganisation(store)
        let functions = Set(try await store.professionals.functions().map(\.code))
        let (invitees, refused) = Invitee.parseCSV(form["file"], functions: functions)
        var problems = refused.map { "Regel \($0.line): \($0.message)" }
        var invited = 0
        for invitee in invitees {
            switch try await store.accounts.invite(invitee, organisation: organisation.id, by: account.id, today: Day(Date())) {
            case .invited: invited += 1
            case .hasAccount: problems.append("\(invitee.email): heeft al een account.")
            }
        }
        if invitees.isEmpty && refused.isEmpty { problems.append("Het bestand is leeg.") }
        let done = invited == 0 ? nil : invited == 1 ? "1 medewerker uitgenodigd." : "\(invited) medewerkers uitgenodigd."
        return try await page(context, organisation: organisation.id, form: FormData(""), errors: ValidationErrors(), done: done, problems: problems,
                              status: invited == 0 && !problems.isEmpty ? .unprocessableContent : .ok)
    }

    private func page(
        _ context: AppRequestContext, organisation: Organisation.ID, form: FormData, errors: ValidationErrors, done: String?, problems: [String],
        status: HTTPResponse.Status
    ) async throws -> Response {
        let functions = try await store.professionals.functions()
        let found = try await store.organisations.find(id: organisation)
        let lines = try await store.accounts.invitations(of: organisation)
        return try views.page(.hrInvitations, InvitationsPage(
            chrome: Chrome(title: "Medewerkers uitnodigen", context: context, path: "/beheer/uitnodigingen"),
            organisation: found?.name ?? "", organisationSlug: found?.slug ?? "", done: done, hasProblems: !problems.isEmpty, problems: problems,
            fields: [
                Input("displayName", "Naam", autocomplete: "off", value: form["displayName"], error: errors["displayName"]),
                Input("email", "E-mailadres", type: "email", autocomplete: "off", value: form["email"], error: errors["email"]),
            ],
            functions: functions.map { Option(value: $0.code, label: $0.name, selected: form["function"] == $0.code) },
            functionError: errors["function"], exampleFunction: functions.first?.code ?? "jeugdhulpverlener",
            hasInvitations: !lines.isEmpty,
            invitations: lines.map {
                InvitationsPage.Line(name: $0.name, email: $0.email, function: $0.function, invited: $0.invitedAt.dutchMoment,
                                     state: $0.acceptedAt == nil ? "Nog niet geactiveerd" : "Geactiveerd")
            }
        ), status: status)
    }
}
