import Domain
import Foundation
import Hummingbird
import Store

/// Career paths (loopbaanpaden). `/mijn/loopbaan`: for each function of a
/// professional, the steps open to them, what each takes (met or not yet), the open
/// postings for the next function and the upcoming offerings of the courses it needs.
/// `/beheer/loopbaanpaden`: admins keep the functions' education level and CAO scale
/// and the steps.
struct CareerPathController: RouteCollection {
    let store: Store
    let views: Views

    struct MyPage: Sendable {
        struct Requirement: Sendable { let text: String; let met: Bool }
        struct PostingItem: Sendable { let id: String; let title: String; let organisation: String }
        struct OfferingItem: Sendable { let course: String; let courseID: String; let provider: String; let starts: String }
        struct Step: Sendable {
            let to: String
            let toLevel: String?
            let scale: String?
            let requirements: [Requirement]
            let ready: Bool
            let note: String?
            let postings: [PostingItem]
            let postingCount: Int
            let postingsLink: String
            let offerings: [OfferingItem]
        }
        struct From: Sendable { let function: String; let scale: String?; let steps: [Step]; let hasSteps: Bool }
        let chrome: Chrome
        let froms: [From]
        let hasFunctions: Bool
    }

    struct AdminPage: Sendable {
        struct FunctionRow: Sendable { let code: String; let name: String; let levels: [Option]; let scale: Field }
        struct StepRow: Sendable { let id: String; let from: String; let to: String; let takes: String }
        let chrome: Chrome
        let functions: [FunctionRow]
        let steps: [StepRow]
        let form: StepForm
    }

    struct StepForm: Sendable {
        struct Topic: Sendable { let value: String; let checked: Bool }
        let action: String
        let isNew: Bool
        let from: [Option]
        let to: [Option]
        let registrations: [Option]
        let education: Field
        let experience: Field
        let note: Field
        let topics: [Topic]
        let errors: [String: String]
        let hasErrors: Bool
    }

    struct EditPage: Sendable {
        let chrome: Chrome
        let form: StepForm
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group().add(middleware: RequireRole(.professional))
            .get("/mijn/loopbaan", use: myCareer)
        router.group("/beheer/loopbaanpaden").add(middleware: RequireRole(.admin))
            .get(use: paths)
            .post("functies/:code", use: setFunctionScale)
            .post("stap", use: createStep)
            .get("stap/:id", use: editStep)
            .post("stap/:id", use: updateStep)
            .post("stap/:id/verwijderen", use: deleteStep)
    }

    // MARK: - Handlers

    /// GET /mijn/loopbaan
    @Sendable func myCareer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await myPage(context, account)
    }

    /// GET /beheer/loopbaanpaden
    @Sendable func paths(_ request: Request, context: AppRequestContext) async throws -> Response {
        return try await adminPage(context, form: nil, errors: nil, scaleError: nil, notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""])
    }

    /// POST /beheer/loopbaanpaden/functies/:code
    @Sendable func setFunctionScale(_ request: Request, context: AppRequestContext) async throws -> Response {
        let form = try context.requireForm()
        let code = try context.parameters.requireText("code")
        let scale = form["cao_scale"].trimmingCharacters(in: .whitespaces)
        guard scale.isEmpty || CAOScale.isValid(scale) else {
            return try await adminPage(context, form: nil, errors: nil, scaleError: (code, scale), notice: nil)
        }
        let level = EducationLevel(rawValue: form["education_level"])
        guard try await store.careerPaths.updateFunction(code, educationLevel: level, caoScale: scale.isEmpty ? nil : scale)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/loopbaanpaden?gelukt=functie", type: .normal)
    }

    /// POST /beheer/loopbaanpaden/stap
    @Sendable func createStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await saveStep(context, account: account, id: nil)
    }

    /// GET /beheer/loopbaanpaden/stap/:id
    @Sendable func editStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let step = try await store.careerPaths.step(id)
        else { throw HTTPError(.notFound) }
        return try views.page(.adminCareerStep, EditPage(
            chrome: Chrome(title: "Loopbaanstap wijzigen", context: context, path: "/beheer/loopbaanpaden"),
            form: try await stepForm(step: step, form: nil, errors: nil)))
    }

    /// POST /beheer/loopbaanpaden/stap/:id
    @Sendable func updateStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.careerPaths.step(id) != nil
        else { throw HTTPError(.notFound) }
        return try await saveStep(context, account: account, id: id)
    }

    /// POST /beheer/loopbaanpaden/stap/:id/verwijderen
    @Sendable func deleteStep(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard try await store.careerPaths.delete(id, by: try context.requireAccount().id)
        else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/loopbaanpaden?gelukt=verwijderd", type: .normal)
    }

    static let notices = [
        "functie": "De functie is bijgewerkt.",
        "stap": "De stap is opgeslagen.",
        "verwijderd": "De stap is verwijderd.",
    ]

    private func saveStep(_ context: AppRequestContext, account: Account, id: UUID?) async throws -> Response {
        let form = try context.requireForm()
        let functions = Set(try await store.professionals.functions().map(\.code))
        let topics = Set(try await store.academy.topics())
        do {
            let step = try CareerStep.parse(
                id: id ?? UUID(), from: form["from"], to: form["to"], education: form["education"], registration: form["registration"],
                experience: form["experience"], topics: form.values("topics"), note: form["note"],
                knownFunctions: functions, knownTopics: topics)
            do {
                try await store.careerPaths.save(step, by: account.id)
            } catch CareerPathStore.SaveFailure.duplicate {
                var errors = ValidationErrors()
                errors.add("to", "Er is al een stap van deze functie naar die functie.")
                return try await invalid(context, id: id, form: form, errors: errors)
            }
            return Response.redirect(to: "/beheer/loopbaanpaden?gelukt=stap", type: .normal)
        } catch let errors as ValidationErrors {
            return try await invalid(context, id: id, form: form, errors: errors)
        }
    }

    private func invalid(_ context: AppRequestContext, id: UUID?, form: FormData, errors: ValidationErrors) async throws -> Response {
        if let id {
            return try views.page(.adminCareerStep, EditPage(
                chrome: Chrome(title: "Loopbaanstap wijzigen", context: context, path: "/beheer/loopbaanpaden"),
                form: try await stepForm(step: CareerStep(id: id, fromFunction: "", toFunction: ""), form: form, errors: errors)),
                status: .unprocessableContent)
        }
        return try await adminPage(context, form: form, errors: errors, scaleError: nil, notice: nil, status: .unprocessableContent)
    }

    private func stepForm(step: CareerStep?, form: FormData?, errors: ValidationErrors?) async throws -> StepForm {
        let functions = try await store.professionals.functions()
        let topics = try await store.academy.topics()
        let from = form?["from"] ?? step?.fromFunction ?? ""
        let to = form?["to"] ?? step?.toFunction ?? ""
        let registration = form?["registration"] ?? step?.registration?.rawValue ?? ""
        let chosen = Set(form?.values("topics") ?? step?.topics ?? [])
        var messages: [String: String] = [:]
        for name in ["from", "to", "registration", "topics"] { if let message = errors?[name] { messages[name] = message } }
        func options(_ selected: String) -> [Option] {
            [Option(value: "", label: "(kies een functie)", selected: selected.isEmpty)]
                + functions.map { Option(value: $0.code, label: $0.name, selected: $0.code == selected) }
        }
        return StepForm(
            action: step.map { "/beheer/loopbaanpaden/stap/\($0.id.uuidString.lowercased())" } ?? "/beheer/loopbaanpaden/stap",
            isNew: step == nil, from: options(from), to: options(to),
            registrations: [Option(value: "", label: "geen", selected: registration.isEmpty)]
                + Register.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == registration) },
            education: Field(form?["education"] ?? step?.education ?? "", error: errors?["education"]),
            experience: Field(form?["experience"] ?? step.map { String($0.experienceYears) } ?? "0", error: errors?["experience"]),
            note: Field(form?["note"] ?? step?.note ?? "", error: errors?["note"]),
            topics: topics.map { StepForm.Topic(value: $0, checked: chosen.contains($0)) },
            errors: messages, hasErrors: !(errors?.isEmpty ?? true))
    }

    private func adminPage(
        _ context: AppRequestContext, form: FormData?, errors: ValidationErrors?, scaleError: (code: String, value: String)?,
        notice: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let functions = try await store.professionals.functions()
        let names = Dictionary(uniqueKeysWithValues: functions.map { ($0.code, $0.name) })
        let steps = try await store.careerPaths.steps()
        return try views.page(.adminCareerPaths, AdminPage(
            chrome: Chrome(title: "Loopbaanpaden", context: context, path: "/beheer/loopbaanpaden", notice: notice),
            functions: functions.map { function in
                let failed = scaleError?.code == function.code
                return .init(
                    code: function.code, name: function.name,
                    levels: [Option(value: "", label: "(geen)", selected: function.educationLevel == nil)]
                        + EducationLevel.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0 == function.educationLevel) },
                    scale: Field(failed ? scaleError?.value ?? "" : function.caoScale ?? "",
                                 error: failed ? "Schrijf de schaal als 8 of 10-11." : nil))
            },
            steps: steps.map { step in
                .init(id: step.id.uuidString.lowercased(), from: names[step.fromFunction] ?? step.fromFunction,
                      to: names[step.toFunction] ?? step.toFunction, takes: Self.summary(step))
            },
            form: try await stepForm(step: nil, form: form, errors: errors)),
            status: scaleError == nil ? status : .unprocessableContent)
    }

    static func summary(_ step: CareerStep) -> String {
        var parts: [String] = []
        if !step.education.isEmpty { parts.append(step.education) }
        if let register = step.registration { parts.append(register.rawValue + "-registratie") }
        if step.experienceYears > 0 { parts.append("\(step.experienceYears) jaar ervaring") }
        if !step.topics.isEmpty { parts.append("cursussen: " + step.topics.joined(separator: ", ")) }
        return parts.joined(separator: "; ")
    }

    private func myPage(_ context: AppRequestContext, _ account: Account) async throws -> Response {
        let today = Day(Date())
        let functions = try await store.professionals.functions()
        let byCode = Dictionary(uniqueKeysWithValues: functions.map { ($0.code, $0) })
        var mine = try await store.professionals.find(accountID: account.id)?.functionCodes ?? []
        if mine.isEmpty {
            // No functions in the profile yet: the one they hold now.
            mine = try await store.careerPaths.currentFunctions(of: account.id)
        }
        let standing = try await store.careerPaths.standing(of: account.id, today: today)
        let steps = try await store.careerPaths.steps(from: mine)
        let viewer = PostingViewer(seesInternal: try await store.postings.seesInternal(account))
        var froms: [MyPage.From] = []
        for code in mine {
            var lines: [MyPage.Step] = []
            for step in steps where step.fromFunction == code {
                let target = byCode[step.toFunction]
                let requirements = standing.requirements(of: step, targetLevel: target?.educationLevel)
                var filter = PostingFilter()
                filter.functionCode = step.toFunction
                filter.sort = .newest
                let postings = try await store.postings.search(filter, viewer: viewer)
                let offerings = try await store.careerPaths.offerings(onTopics: step.topics, today: today)
                lines.append(.init(
                    to: target?.name ?? step.toFunction, toLevel: target?.educationLevel?.label, scale: target?.caoScale,
                    requirements: requirements.map { .init(text: $0.text, met: $0.met) },
                    ready: requirements.allSatisfy(\.met), note: step.note.isEmpty ? nil : step.note,
                    postings: postings.postings.prefix(3).map {
                        .init(id: $0.id.uuidString.lowercased(), title: $0.details.title, organisation: $0.organisationName)
                    },
                    postingCount: postings.total,
                    postingsLink: URLComponentsLite(path: "/vacatures", query: [("functie", step.toFunction)]).string,
                    offerings: offerings.map {
                        .init(course: $0.course, courseID: $0.courseID.uuidString.lowercased(), provider: $0.provider, starts: $0.startDate.dutch)
                    }))
            }
            froms.append(.init(function: byCode[code]?.name ?? code, scale: byCode[code]?.caoScale, steps: lines, hasSteps: !lines.isEmpty))
        }
        return try views.page(.myCareer, MyPage(
            chrome: Chrome(title: "Mijn loopbaan", context: context, path: "/mijn/loopbaan"),
            froms: froms, hasFunctions: !froms.isEmpty))
    }
}
