import Domain
import Foundation
import Hummingbird
import Logging
import PQ
import Store

/// Turns every error into a clear page (or, under /api/, a JSON body) with the right
/// status. This is the one place errors become HTTP: nothing internal reaches the
/// response; unexpected errors are logged with their details and shown as a plain 500.
struct ErrorPageMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let views: Views

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where (300..<400).contains(error.status.code) {
            // Redirects thrown by guards (to /login) are not errors.
            return Response(status: error.status, headers: error.headers)
        } catch {
            let status = Self.status(for: error)
            if status == .internalServerError {
                context.logger.error("request failed", metadata: ["error": "\(String(reflecting: error))"])
            } else if status == .serviceUnavailable {
                context.logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
            }
            var response: Response
            if request.uri.path.hasPrefix("/api/") {
                response = Self.json(status: status, error: error)
            } else {
                let page = ErrorPage(chrome: Chrome(title: Self.title(status), context: context, path: request.uri.path),
                                     code: Int(status.code), heading: Self.title(status), message: Self.message(status))
                // The error page itself is checked at start-up; should it still fail, plain text.
                response = (try? views.page(.error, page, status: status)) ?? Response(
                    status: status, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "\(status.code) \(Self.title(status))\n")))
            }
            if let httpError = error as? HTTPError {
                for field in httpError.headers where field.name != .contentType && field.name != .contentLength {
                    response.headers.append(field)
                }
            }
            if status == .serviceUnavailable { response.headers[.retryAfter] = "5" }
            return response
        }
    }

    /// The status for an error: HTTP errors keep theirs; database faults map by kind.
    static func status(for error: any Error) -> HTTPResponse.Status {
        switch error {
        case let error as any HTTPResponseError:
            return error.status
        case let error as PostgresError:
            if error.isUnavailable { return .serviceUnavailable }
            if error.isUniqueViolation || error.isExclusionViolation { return .conflict }
            if error.isCheckViolation || error.isForeignKeyViolation || error.kind == .invalidParameter {
                return .unprocessableContent
            }
            return .internalServerError
        case is ValidationErrors:
            return .unprocessableContent
        case StoreError.notFound:
            return .notFound
        default:
            return .internalServerError
        }
    }

    static func title(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 400: return "Dit verzoek klopt niet"
        case 401: return "Log eerst in"
        case 403: return "Geen toegang"
        case 404: return "Pagina niet gevonden"
        case 405: return "Dit kan hier niet"
        case 409: return "Dit bestaat al"
        case 413: return "Te veel gegevens"
        case 422: return "Deze gegevens kloppen niet"
        case 429: return "Even geduld"
        case 503: return "Tijdelijk niet beschikbaar"
        default: return "Er ging iets mis"
        }
    }

    static func message(_ status: HTTPResponse.Status) -> String {
        switch status.code {
        case 403: return "Je hebt geen toegang tot deze pagina, of het formulier was verlopen. Laad de pagina opnieuw en probeer het nog eens."
        case 404: return "Deze pagina bestaat niet (meer). Controleer het adres of ga terug naar de startpagina."
        case 413: return "Wat je verstuurde is te groot."
        case 429: return "Er zijn te veel pogingen gedaan. Wacht een kwartier en probeer het dan opnieuw."
        case 503: return "Doorstroom kan de gegevens nu niet bereiken. Probeer het over een paar minuten opnieuw; wat je eerder opsloeg is bewaard."
        case 500...: return "Er ging iets mis aan onze kant. Probeer het later opnieuw; de fout is vastgelegd."
        default: return "Ga terug en probeer het opnieuw."
        }
    }

    static func json(status: HTTPResponse.Status, error: any Error) -> Response {
        struct Body: Encodable {
            struct FieldError: Encodable { let field: String; let message: String }
            let error: String
            let fields: [FieldError]?
        }
        let fields = (error as? ValidationErrors)?.items.map { Body.FieldError(field: $0.field, message: $0.message) }
        let reason = status.reasonPhrase.isEmpty ? "error" : status.reasonPhrase.lowercased()
        let data = (try? JSONEncoder().encode(Body(error: reason, fields: fields))) ?? Data()
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

struct ErrorPage: Sendable {
    let chrome: Chrome
    let code: Int
    let heading: String
    let message: String
}
