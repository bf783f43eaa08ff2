import Domain
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Store

/// After a course: the certificate of a completion as a PDF for its holder, the public
/// check of its code (`/certificaat/{code}`: name, course, date and points only), and
/// the short evaluation, anonymous to the provider.
struct CertificateController: RouteCollection {
    let store: Store
    let views: Views
    let siteURL: String

    struct CheckPage: Sendable {
        let chrome: Chrome
        let code: String
        let asked: Bool
        let found: Bool
        let holder: String?
        let course: String?
        let provider: String?
        let date: String?
        let points: String?
    }

    struct EvaluationPage: Sendable {
        struct Question: Sendable { let name: String; let text: String; let options: [Option]; let error: String? }
        let chrome: Chrome
        let id: String
        let course: String
        let questions: [Question]
        let errorSummary: ErrorSummary
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/certificaat", use: checkForm)
        router.get("/certificaat/:code", use: check)
        router.group("/mijn/ontwikkeling").add(middleware: RequireRole(.professional))
            .get("inschrijving/:id/certificaat.pdf", use: download)
            .get("inschrijving/:id/evaluatie", use: evaluationForm)
            .post("inschrijving/:id/evaluatie", use: evaluate)
    }

    /// GET /certificaat (`?code=` sends on to the code's own address).
    @Sendable func checkForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let typed = request.uri.queryParameters["code"].map(String.init), !typed.isEmpty {
            guard let code = Certificate.normalised(typed) else {
                return try page(context, code: typed, certificate: nil, asked: true, status: .notFound)
            }
            return Response.redirect(to: "/certificaat/\(code)", type: .normal)
        }
        return try page(context, code: "", certificate: nil, asked: false, status: .ok)
    }

    /// GET /certificaat/:code
    @Sendable func check(_ request: Request, context: AppRequestContext) async throws -> Response {
        let code = context.parameters.get("code") ?? ""
        let certificate = try await store.academy.certificate(code: code)
        return try page(context, code: Certificate.normalised(code) ?? code, certificate: certificate, asked: true, status: certificate == nil ? .notFound : .ok)
    }

    private func page(_ context: AppRequestContext, code: String, certificate: Certificate?, asked: Bool, status: HTTPResponse.Status) throws -> Response {
        try views.page(.certificateCheck, CheckPage(
            chrome: Chrome(title: "Certificaat controleren", context: context, path: "/academie"),
            code: code, asked: asked, found: certificate != nil, holder: certificate?.holderName, course: certificate?.courseName,
            provider: certificate?.provider, date: certificate?.completedOn.dutch,
            points: certificate?.points.map { "\(FlexpoolText.hours($0)) \($0 == 1 ? "punt" : "punten")" + (certificate?.register.map { " (\($0))" } ?? "") }),
            status: status)
    }

    /// GET /mijn/ontwikkeling/inschrijving/:id/certificaat.pdf
    @Sendable func download(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let certificate = try await store.academy.certificate(enrolment: try context.parameters.requireID(), of: account.id) else {
            throw HTTPError(.notFound)
        }
        let pdf = CertificatePDF.document(certificate, siteURL: siteURL)
        return Response(
            status: .ok,
            headers: [.contentType: "application/pdf", .contentDisposition: "attachment; filename=\"certificaat-\(certificate.code).pdf\"",
                      .cacheControl: "private, no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: pdf)))
    }

    /// GET /mijn/ontwikkeling/inschrijving/:id/evaluatie
    @Sendable func evaluationForm(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        return try await evaluationPage(context, account, id, form: FormData(""), errors: nil, status: .ok)
    }

    /// POST /mijn/ontwikkeling/inschrijving/:id/evaluatie
    @Sendable func evaluate(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        var answers: [EvaluationQuestion: Int] = [:]
        for question in EvaluationQuestion.allCases {
            if let value = Int(form[question.rawValue]), (1...5).contains(value) { answers[question] = value }
            else { errors.add(question.rawValue, "Kies een antwoord van 1 tot en met 5.") }
        }
        guard errors.isEmpty else { return try await evaluationPage(context, account, id, form: form, errors: errors, status: .unprocessableContent) }
        do {
            try await store.academy.evaluate(id, by: account.id, answers: answers)
        } catch AcademyStore.EvaluationFailure.notFollowed {
            throw HTTPError(.notFound)
        } catch AcademyStore.EvaluationFailure.alreadyGiven {
            return Response.redirect(to: "/mijn/ontwikkeling?gelukt=al-geevalueerd", type: .normal)
        }
        return Response.redirect(to: "/mijn/ontwikkeling?gelukt=geevalueerd", type: .normal)
    }

    private func evaluationPage(
        _ context: AppRequestContext, _ account: Account, _ id: UUID, form: FormData, errors: ValidationErrors?, status: HTTPResponse.Status
    ) async throws -> Response {
        guard try await store.academy.evaluable(of: account.id).contains(id),
              let enrolment = try await store.academy.enrolments(of: account.id).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        return try views.page(.courseEvaluation, EvaluationPage(
            chrome: Chrome(title: "Cursus evalueren", context: context, path: "/mijn/ontwikkeling"),
            id: id.lowercased, course: enrolment.courseName,
            questions: EvaluationQuestion.allCases.map { question in
                .init(name: question.rawValue, text: question.text,
                      options: (1...5).map { Option(value: String($0), label: ["helemaal niet", "niet", "neutraal", "wel", "helemaal"][$0 - 1], selected: form[question.rawValue] == String($0)) },
                      error: errors?[question.rawValue])
            },
            errorSummary: ErrorSummary(errors, intro: "Nog niet alles is beantwoord:")), status: status)
    }
}
