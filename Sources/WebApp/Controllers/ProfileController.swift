import Domain
import Foundation
import Hummingbird
import Store

/// "Mijn profiel" (`/mijn/profiel`): a professional keeps their profile, gives and
/// withdraws consent per purpose (one click either way), and sees who opened their
/// profile, when and why. `/beheer/profielen`: HR advisers search the profiles whose
/// owners consented and open one, stating why; each opening writes an audit line.
/// Without consent only the HR advisers of the organisation the professional works for
/// can open the profile; for everyone else it does not exist (404).
struct ProfileController: RouteCollection {
    let store: Store
    let views: Views

    struct Choice: Sendable { let value: String; let label: String; let checked: Bool }

    struct MyPage: Sendable {
        struct RegistrationFields: Sendable { let register: String; let field: String; let number: Field; let registeredOn: Field; let expiresOn: Field }
        struct ConsentLine: Sendable { let purpose: String; let label: String; let given: Bool; let since: String? }
        struct HistoryLine: Sendable { let label: String; let given: String; let withdrawn: String? }
        struct ViewLine: Sendable { let who: String; let organisations: String?; let when: String; let reason: String? }
        let chrome: Chrome
        let functions: [Choice]
        let disciplines: [Choice]
        let levels: [Option]
        let areas: [Choice]
        let interests: [Choice]
        let hours: Field
        let registrations: [RegistrationFields]
        let vogIssuedOn: Field
        let errors: [String: String]
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let consents: [ConsentLine]
        let history: [HistoryLine]
        let hasHistory: Bool
        let profileViews: [ViewLine]
        let hasViews: Bool
        let jobs: [ProfilePage.JobLine]
    }

    struct SearchPage: Sendable {
        struct Result: Sendable { let id: String; let name: String; let organisations: String?; let functions: String; let areas: String; let interests: String; let hours: Int? }
        let chrome: Chrome
        let functions: [Option]
        let disciplines: [Option]
        let areas: [Option]
        let interests: [Option]
        let results: [Result]
        let hasResults: Bool
        let searched: Bool
    }

    struct ProfilePage: Sendable {
        struct JobLine: Sendable { let organisation: String; let function: String; let from: String; let until: String? }
        let chrome: Chrome
        let id: String
        let name: String
        let askReason: Bool
        let reasons: [Option]
        let profile: ProfileDisplay?
        let jobs: [JobLine]
        let email: String?
        let reason: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/profiel").add(middleware: RequireRole(.professional))
            .get(use: profile)
            .post(use: saveProfile)
            .post("toestemming", use: consent)
        router.group("/beheer/profielen").add(middleware: RequireRole(.hrAdviser))
            .get(use: search)
            .get(":id", use: open)
    }

    // MARK: - Handlers

    /// GET /mijn/profiel
    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await myPage(context, account: account, form: nil, errors: nil, notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""])
    }

    /// POST /mijn/profiel
    @Sendable func saveProfile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let known = Set(try await store.professionals.functions().map(\.code))
        var registrations: [Register: (number: String, registeredOn: String, expiresOn: String)] = [:]
        for register in Register.allCases {
            let field = register.rawValue.lowercased()
            registrations[register] = (form[field + "_number"], form[field + "_registered_on"], form[field + "_expires_on"])
        }
        let input = ProfileForm(
            functions: form.values("functions"), disciplines: form.values("disciplines"), educationLevel: form["education_level"],
            areas: form.values("areas"), hours: form["hours"], interests: form.values("interests"), registrations: registrations,
            vogIssuedOn: form["vog_issued_on"])
        do {
            let professional = try input.parse(accountID: account.id, knownFunctions: known)
            try await store.professionals.save(professional)
            return Response.redirect(to: "/mijn/profiel?gelukt=profiel", type: .normal)
        } catch let errors as ValidationErrors {
            return try await myPage(context, account: account, form: form, errors: errors, notice: nil)
        }
    }

    /// POST /mijn/profiel/toestemming
    @Sendable func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        guard let purpose = ConsentPurpose(rawValue: form["purpose"]), ConsentPurpose.professional.contains(purpose) else { throw HTTPError(.badRequest) }
        if form["give"] == "1" {
            _ = try await store.profiles.give(purpose, by: account.id)
            return Response.redirect(to: "/mijn/profiel?gelukt=gegeven#toestemming", type: .normal)
        } else {
            _ = try await store.profiles.withdraw(purpose, by: account.id)
            return Response.redirect(to: "/mijn/profiel?gelukt=ingetrokken#toestemming", type: .normal)
        }
    }

    /// GET /beheer/profielen
    @Sendable func search(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = request.queryDictionary
        let functions = try await store.professionals.functions()
        let search = ProfileSearch.parse(
            function: query["functie"], discipline: query["discipline"], area: query["gebied"], interest: query["interesse"],
            knownFunctions: Set(functions.map(\.code)))
        let searched = query["zoeken"] != nil
        let results = searched ? try await store.profiles.search(search) : []
        return try views.page(.hrProfiles, SearchPage(
            chrome: Chrome(title: "Profielen zoeken", context: context, path: "/beheer/profielen"),
            functions: [Option(value: "", label: "(alle)", selected: search.functionCode == nil)]
                + functions.map { Option(value: $0.code, label: $0.name, selected: $0.code == search.functionCode) },
            disciplines: [Option(value: "", label: "(alle)", selected: search.discipline == nil)]
                + Discipline.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == search.discipline) },
            areas: [Option(value: "", label: "(alle)", selected: search.areaSlug == nil)]
                + Area.all.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == search.areaSlug) },
            interests: [Option(value: "", label: "(alle)", selected: search.interest == nil)]
                + Interest.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == search.interest) },
            results: results.map {
                .init(id: $0.accountID.uuidString.lowercased(), name: $0.name, organisations: $0.organisations,
                      functions: $0.functions.joined(separator: ", "), areas: $0.areas.joined(separator: ", "),
                      interests: $0.interests.map(\.label).joined(separator: ", "), hours: $0.hoursPerWeek)
            },
            hasResults: !results.isEmpty, searched: searched))
    }

    /// GET /beheer/profielen/:id
    @Sendable func open(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.profiles.mayOpen(id, asHRAdviserOf: account.organisations(as: .hrAdviser)),
              let owner = try await store.accounts.find(id: id)
        else { throw HTTPError(.notFound) }
        let reason = request.uri.queryParameters["reden"].flatMap { ProfileViewReason(rawValue: String($0)) }
        let chrome = Chrome(title: owner.displayName, context: context, path: "/beheer/profielen")
        guard let reason else {
            // First the reason; the profile shows (and the view is written down) after.
            return try views.page(.hrProfile, ProfilePage(
                chrome: chrome, id: id.uuidString.lowercased(), name: owner.displayName, askReason: true,
                reasons: ProfileViewReason.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: false) },
                profile: nil, jobs: [], email: nil, reason: nil))
        }
        return try await Self.opened(owner, by: account, reason: reason, chrome: chrome, store: store, views: views)
    }

    /// Writes the opening of `owner`'s profile down (who, when, why) and shows it; the
    /// address only when they may be contacted about mobility. HR advisers and career
    /// advisers open profiles through it, each after their own check.
    static func opened(_ owner: Account, by viewer: Account, reason: ProfileViewReason, chrome: Chrome, store: Store, views: Views) async throws -> Response {
        try await store.profiles.recordView(of: owner.id, by: viewer.id, reason: reason)
        let professional = try await store.professionals.find(accountID: owner.id)
        let consents = try await store.profiles.consents(of: owner.id)
        let jobs = try await store.professionals.history(of: owner.id)
        let allFunctions = try await store.professionals.functions()
        return try views.page(.hrProfile, ProfilePage(
            chrome: chrome, id: owner.id.lowercased, name: owner.displayName, askReason: false, reasons: [],
            profile: professional.map { ProfileDisplay($0, functions: allFunctions) },
            jobs: jobs.map { .init(organisation: $0.organisationName, function: $0.functionName, from: $0.startedOn.dutch, until: $0.endedOn?.dutch) },
            email: consents.contains(.contactMobility) ? owner.email : nil,
            reason: reason.label))
    }

    static let notices = [
        "profiel": "Je profiel is opgeslagen.",
        "gegeven": "Je toestemming is vastgelegd. Je kunt die hier altijd weer intrekken.",
        "ingetrokken": "Je toestemming is ingetrokken; dat geldt meteen.",
    ]

    private func myPage(_ context: AppRequestContext, account: Account, form: FormData?, errors: ValidationErrors?, notice: String?) async throws -> Response {
        let saved = try await store.professionals.find(accountID: account.id)
        let functions = try await store.professionals.functions()
        func chosen(_ name: String, saved: [String]) -> Set<String> { Set(form.map { $0.values(name) } ?? saved) }
        let functionSet = chosen("functions", saved: saved?.functionCodes ?? [])
        let disciplineSet = chosen("disciplines", saved: saved?.disciplines.map(\.rawValue) ?? [])
        let areaSet = chosen("areas", saved: saved?.areaSlugs ?? [])
        let interestSet = chosen("interests", saved: saved?.interests.map(\.rawValue) ?? [])
        let level = form?["education_level"] ?? saved?.educationLevel?.rawValue ?? ""
        let registrations = Register.allCases.map { register -> MyPage.RegistrationFields in
            let field = register.rawValue.lowercased()
            let current = saved?.registrations.first { $0.register == register }
            func value(_ suffix: String, _ fallback: String?) -> Field {
                Field(form?[field + suffix] ?? fallback ?? "", error: errors?[field + suffix])
            }
            return .init(register: register.rawValue, field: field,
                         number: value("_number", current?.number), registeredOn: value("_registered_on", current?.registeredOn.iso),
                         expiresOn: value("_expires_on", current?.expiresOn?.iso))
        }
        let consents = try await store.profiles.consents(of: account.id)
        let history = try await store.profiles.consentHistory(of: account.id)
        let viewsOfMe = try await store.profiles.views(of: account.id)
        var errorMessages: [String: String] = [:]
        for name in ["functions", "disciplines", "education_level", "areas", "hours", "interests"] {
            if let message = errors?[name] { errorMessages[name] = message }
        }
        return try views.page(.myProfile, MyPage(
            chrome: Chrome(title: "Mijn profiel", context: context, path: "/mijn/profiel", notice: notice),
            functions: functions.map { Choice(value: $0.code, label: $0.name, checked: functionSet.contains($0.code)) },
            disciplines: Discipline.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: disciplineSet.contains($0.rawValue)) },
            levels: [Option(value: "", label: "(niet opgegeven)", selected: level.isEmpty)]
                + EducationLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == level) },
            areas: Area.all.map { Choice(value: $0.slug, label: $0.name, checked: areaSet.contains($0.slug)) },
            interests: Interest.allCases.map { Choice(value: $0.rawValue, label: $0.label, checked: interestSet.contains($0.rawValue)) },
            hours: Field(form?["hours"] ?? saved?.hoursPerWeek.map(String.init) ?? "", error: errors?["hours"]),
            registrations: registrations,
            vogIssuedOn: Field(form?["vog_issued_on"] ?? saved?.vogIssuedOn?.iso ?? "", error: errors?["vog_issued_on"]),
            errors: errorMessages, errorSummary: ErrorSummary(errors, intro: "Er is niets opgeslagen. Dit moet nog anders:"), hasErrors: !(errors?.isEmpty ?? true),
            consents: ConsentPurpose.professional.map { purpose in
                .init(purpose: purpose.rawValue, label: purpose.label, given: consents.contains(purpose),
                      since: history.first { $0.purpose == purpose && $0.withdrawnAt == nil }?.givenAt.dutchDay)
            },
            history: history.map { .init(label: $0.purpose.label, given: $0.givenAt.dutchDay, withdrawn: $0.withdrawnAt?.dutchDay) },
            hasHistory: !history.isEmpty,
            profileViews: viewsOfMe.map { .init(who: $0.viewerName ?? "een verwijderd account", organisations: $0.organisations, when: $0.at.dutchDay, reason: $0.reason) },
            hasViews: !viewsOfMe.isEmpty,
            jobs: try await store.professionals.history(of: account.id).map {
                .init(organisation: $0.organisationName, function: $0.functionName, from: $0.startedOn.dutch, until: $0.endedOn?.dutch)
            }),
            status: errors == nil ? .ok : .unprocessableContent)
    }
}
