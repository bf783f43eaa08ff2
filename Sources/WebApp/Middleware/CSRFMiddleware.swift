import Foundation
import Hummingbird
import Logging
import Store

/// Every state-changing request from a browser must carry the session's CSRF token,
/// as the `_csrf` form field or the `X-CSRF-Token` header; otherwise it gets 403 and
/// changes nothing. It also parses the url-encoded form once, for the handlers.
/// (The JSON API under /api/ authenticates with tokens, not cookies, and is exempt.)
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let fieldName = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method), !request.uri.path.hasPrefix("/api/") else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        let body: ByteBuffer
        do {
            // Catalogue uploads are files, larger than any form.
            let limit = request.uri.path == "/beheer/cursussen" ? AcademyAPIController.maximumCatalogueSize : context.maxUploadSize
            body = try await request.collectBody(upTo: limit)
        } catch {
            throw HTTPError(.contentTooLarge)
        }
        let contentType = request.headers[.contentType] ?? ""
        let form: FormData
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            form = FormData(String(buffer: body))
        } else if contentType.lowercased().hasPrefix("multipart/form-data"),
                  let boundary = contentType.split(separator: ";").lazy
                    .map({ $0.trimmingCharacters(in: .whitespaces) })
                    .first(where: { $0.lowercased().hasPrefix("boundary=") })?.dropFirst("boundary=".count) {
            form = FormData(multipart: Array(body.readableBytesView), boundary: String(boundary).trimmingCharacters(in: CharacterSet(charactersIn: "\"")))
        } else {
            form = FormData("")
        }
        let presented = request.headers[.xCSRFToken] ?? form[Self.fieldName]
        guard let expected = context.session?.csrfToken, !presented.isEmpty, Self.constantTimeEqual(presented, expected) else {
            context.logger.notice("request without a valid CSRF token refused", metadata: ["path": "\(request.uri.path)"])
            throw HTTPError(.forbidden)
        }
        context.form = form
        return try await next(request, context)
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}
