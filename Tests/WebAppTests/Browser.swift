import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PQ
import Passwords
import Store

/// A minimal browser over a test client: keeps cookies, submits forms with the CSRF
/// token the last page carried, and does not follow redirects (tests look at them).
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastCSRF: String?

    /// The client's address, sent as X-Forwarded-For (the test app trusts it, as the
    /// service does behind its proxy); nil sends none.
    var clientAddress: String?

    init(_ client: any TestClientProtocol, clientAddress: String? = nil) {
        self.client = client
        self.clientAddress = clientAddress
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        /// The body as sent (for files that are not UTF-8 text, such as a PDF).
        var bytes: [UInt8] = []
        var location: String? { headers[.location] }
        /// The body without the `data-label` attributes that name a table cell's column on a phone.
        var bodyWithoutLabels: String { body.replacingOccurrences(of: #" data-label="[^"]*""#, with: "", options: .regularExpression) }
    }

    @discardableResult
    func get(_ uri: String, headers extra: HTTPFields = [:]) async throws -> Page {
        try await send(uri, method: .get, headers: extra, body: nil)
    }

    /// Posts a form; `_csrf` is added from the last page unless `csrf:` says otherwise
    /// (pass "" to send none).
    @discardableResult
    func post(_ uri: String, _ fields: [(String, String)], csrf: String? = nil) async throws -> Page {
        var all = fields
        let token = csrf ?? lastCSRF ?? ""
        if !token.isEmpty { all.append(("_csrf", token)) }
        let body = all.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
        return try await send(
            uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with one file, as a browser's upload form does (the CSRF
    /// token first, as our forms put it).
    @discardableResult
    func postMultipart(
        _ uri: String, fields: [(String, String)], file: (name: String, filename: String, content: String), contentType: String = "text/csv"
    ) async throws -> Page {
        let boundary = "----doorstroom\(UInt32.random(in: 0...UInt32.max))"
        var body = ""
        for (name, value) in [("_csrf", lastCSRF ?? "")] + fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(contentType)\r\n\r\n\(file.content)\r\n--\(boundary)--\r\n"
        return try await send(uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: ByteBuffer(string: body))
    }

    /// Posts a multipart form with files as bytes (the CSRF token first); a file with an
    /// empty name and no bytes is what a browser sends when none was chosen.
    @discardableResult
    func postMultipart(_ uri: String, fields: [(String, String)], files: [(name: String, filename: String, contentType: String, content: [UInt8])]) async throws -> Page {
        let boundary = "----doorstroom\(UInt32.random(in: 0...UInt32.max))"
        var body = ByteBuffer()
        for (name, value) in [("_csrf", lastCSRF ?? "")] + fields {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n")
        }
        for file in files {
            body.writeString("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.name)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n")
            body.writeBytes(file.content)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return try await send(uri, method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)"], body: body)
    }

    func send(_ uri: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = extra
        if let clientAddress, headers[.xForwardedFor] == nil { headers[.xForwardedFor] = clientAddress }
        if !cookies.isEmpty {
            headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ")
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        for header in response.headers[values: .setCookie] {
            let pair = header.split(separator: ";", maxSplits: 1)[0].split(separator: "=", maxSplits: 1)
            let name = String(pair[0]).trimmingCharacters(in: .whitespaces)
            let value = pair.count > 1 ? String(pair[1]) : ""
            if value.isEmpty || header.lowercased().contains("max-age=0") {
                cookies[name] = nil
            } else {
                cookies[name] = value
            }
        }
        let text = String(buffer: response.body)
        if let token = Self.csrfToken(in: text) { lastCSRF = token }
        return Page(status: response.status, headers: response.headers, body: text, bytes: Array(response.body.readableBytesView))
    }

    func setCookie(_ name: String, _ value: String) {
        cookies[name] = value
    }

    /// The two-step secrets this browser set up (by email), and the last step it used.
    private(set) var twoStepSecrets: [String: String] = [:]
    private var lastSteps: [String: Int64] = [:]
    /// The recovery codes shown when this browser set two-step verification up.
    private(set) var recoveryCodes: [String: [String]] = [:]

    /// Logs in through the real form. An admin sets two-step verification up the first
    /// time (reading the secret from the page, as a person types it into an app) and
    /// types a code after that, as a person would.
    @discardableResult
    func login(_ email: String, _ password: String = "doorstroom-demo") async throws -> Page {
        try await get("/login")
        let page = try await post("/login", [("email", email), ("password", password), ("next", "/mijn")])
        guard let location = page.location else { return page }
        if location.hasPrefix("/login/tweestaps") {
            let setup = try await get(location)
            guard let secret = Self.attribute("data-secret", in: setup.body) else { return setup }
            twoStepSecrets[email.lowercased()] = secret
            let codes = try await post("/login/tweestaps", [("code", code(for: email)), ("next", "/mijn")])
            recoveryCodes[email.lowercased()] = Self.recoveryCodes(in: codes.body)
            return codes
        }
        if location.hasPrefix("/login/code"), twoStepSecrets[email.lowercased()] != nil {
            _ = try await get(location)
            return try await post("/login/code", [("code", code(for: email)), ("next", "/mijn")])
        }
        return page
    }

    /// The authenticator app's code for `email`'s secret: the current step's, or the
    /// next one when this browser used the current one already (a code works once).
    /// Not the previous step's: the clock may pass a step boundary before the server
    /// checks it, and two steps back is refused.
    func code(for email: String, at date: Date = Date()) -> String {
        guard let secret = twoStepSecrets[email.lowercased()], let totp = TOTP(base32: secret) else { return "000000" }
        let now = TOTP.step(at: date)
        let step = max(now, (lastSteps[email.lowercased()] ?? .min) + 1)
        lastSteps[email.lowercased()] = step
        return totp.code(step: step)
    }

    static func attribute(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: name + "=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }

    static func recoveryCodes(in html: String) -> [String] {
        html.components(separatedBy: "<li><code>").dropFirst().compactMap { $0.components(separatedBy: "</code>").first }
    }

    /// The link in the newest account mail to `email` whose subject contains `subject`:
    /// what the person finds in their mailbox (the outbox row).
    static func mailedLink(_ store: Store, to email: String, subject: String) async throws -> String? {
        try await store.pool.query(
            """
            SELECT n.link FROM notification n JOIN account a ON a.id = n.account_id
            WHERE lower(a.email) = lower(\(email)) AND n.kind = 'account_mail' AND n.subject LIKE '%' || \(subject) || '%'
            ORDER BY n.created_at DESC LIMIT 1
            """
        ).first(decoding: String?.self) ?? nil
    }

    static func csrfToken(in html: String) -> String? {
        guard let range = html.range(of: "name=\"_csrf\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
