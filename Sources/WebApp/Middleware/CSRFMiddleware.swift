import Domain
import Foundation
import Hummingbird
import Logging
import NIOPosix
import Passwords
import Store

/// Every state-changing request from a browser must carry the session's CSRF token,
/// as the `_csrf` form field or the `X-CSRF-Token` header; otherwise it gets 403 and
/// changes nothing. It also parses the form once, for the handlers. (The JSON API under
/// /api/ authenticates with tokens, not cookies, and is exempt.)
///
/// A body is read only as far as it must be: without a session nothing is read at
/// all; bodies over the form limit (catalogue uploads) are taken only from a
/// logged-in session, as multipart whose first part is the CSRF token, which is
/// checked as soon as it has arrived, before the rest is read.
///
/// The one-click unsubscribe of a job alert (RFC 8058) is exempt too: a mail program
/// posts it without a session, the secret token in its path is the authority, and all
/// it can do is stop mail.
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    static let fieldName = "_csrf"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard [.post, .put, .patch, .delete].contains(request.method), !request.uri.path.hasPrefix("/api/"),
              !request.uri.path.hasPrefix("/vacaturealerts/afmelden/") else {
            return try await next(request, context)
        }
        var request = request
        var context = context
        guard let expected = context.session?.csrfToken else {
            context.logger.notice("state-changing request without a session refused", metadata: ["path": "\(Self.loggable(request.uri.path))"])
            throw HTTPError(.forbidden)
        }
        let contentType = (request.headers[.contentType] ?? "").lowercased()
        let boundary = contentType.hasPrefix("multipart/form-data") ? FormData.boundary(in: request.headers[.contentType] ?? "") : nil
        let limit = context.account == nil ? context.maxUploadSize : Self.fileLimit(path: request.uri.path) ?? context.maxUploadSize
        let headerToken = request.headers[.xCSRFToken]
        var body = ByteBuffer()
        var tokenChecked = false
        do {
            for try await chunk in request.body {
                guard body.readableBytes + chunk.readableBytes <= limit else { throw HTTPError(.contentTooLarge) }
                body.writeImmutableBuffer(chunk)
                if !tokenChecked, body.readableBytes > context.maxUploadSize {
                    // Past the size of a form: go on only for a token that is already there.
                    let early = headerToken ?? boundary.flatMap { FormData.firstPart(named: Self.fieldName, in: body.readableBytesView, boundary: $0) }
                    guard let early, constantTimeEqual(early, expected) else {
                        context.logger.notice("large body without a leading CSRF token refused", metadata: ["path": "\(Self.loggable(request.uri.path))"])
                        throw HTTPError(.forbidden)
                    }
                    tokenChecked = true
                }
            }
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError(.badRequest)
        }
        request.body = .init(buffer: body)
        let form: FormData
        if contentType.hasPrefix("application/x-www-form-urlencoded") {
            form = FormData(String(buffer: body))
        } else if let boundary {
            let bytes = Array(body.readableBytesView)
            // A file past a form's size is taken apart off the event loop.
            form = bytes.count > context.maxUploadSize
                ? try await NIOThreadPool.singleton.runIfActive { FormData(multipart: bytes, boundary: boundary) }
                : FormData(multipart: bytes, boundary: boundary)
        } else {
            form = FormData("")
        }
        let presented = headerToken ?? form[Self.fieldName]
        guard !presented.isEmpty, constantTimeEqual(presented, expected) else {
            context.logger.notice("request without a valid CSRF token refused", metadata: ["path": "\(Self.loggable(request.uri.path))"])
            throw HTTPError(.forbidden)
        }
        context.form = form
        return try await next(request, context)
    }

    /// A path as it may go into a log: segments that look like a secret (a link's token,
    /// a calendar's key: 20 or more letters, digits, `-` and `_`, not all lower-case
    /// letters and hyphens as our own path words are) become `…`, so no
    /// token ends up in a log file. Ids (UUIDs) stay: they open nothing by themselves.
    static func loggable(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            let stem = segment.hasSuffix(".ics") ? segment.dropLast(4) : segment[...]
            let looksLikeUUID = stem.count == 36 && stem.filter { $0 == "-" }.count == 4
            // Our own words are lower case with hyphens; a random token is not.
            let secret = stem.count >= 20 && !looksLikeUUID && stem.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
                && stem.contains { $0.isUppercase || $0.isNumber || $0 == "_" }
            return secret ? "…" : String(segment)
        }.joined(separator: "/")
    }

    /// The forms that carry files, larger than any other form: catalogue uploads (and
    /// their preview), and an application with a CV of up to 5 MB.
    static func fileLimit(path: String) -> Int? {
        if path == "/beheer/cursussen" { return AcademyAPIController.maximumCatalogueSize }
        let parts = path.split(separator: "/")
        if parts.count == 3, parts[0] == "vacatures", parts[2] == "solliciteren" { return CurriculumVitae.maximumBytes + (64 << 10) }
        return nil
    }
}
