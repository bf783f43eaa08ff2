import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore

/// A minimal browser over a test client: keeps cookies, submits forms with the CSRF
/// token the last page carried, and does not follow redirects (tests look at them).
final class Browser: @unchecked Sendable {
    let client: any TestClientProtocol
    private(set) var cookies: [String: String] = [:]
    private(set) var lastCSRF: String?

    init(_ client: any TestClientProtocol) {
        self.client = client
    }

    struct Page {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: String
        var location: String? { headers[.location] }
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

    func send(_ uri: String, method: HTTPRequest.Method, headers extra: HTTPFields, body: ByteBuffer?) async throws -> Page {
        var headers = extra
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
        return Page(status: response.status, headers: response.headers, body: text)
    }

    func setCookie(_ name: String, _ value: String) {
        cookies[name] = value
    }

    /// Logs in through the real form.
    @discardableResult
    func login(_ email: String, _ password: String = "doorstroom-demo") async throws -> Page {
        try await get("/login")
        return try await post("/login", [("email", email), ("password", password), ("next", "/mijn")])
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
