import Domain
import Hummingbird

/// Access rules, checked on the server for every request: one place that every route
/// uses. A visitor is sent to the login page; a logged-in account without the role
/// gets 403.
enum Guard {
    /// The logged-in account, or a redirect to /login that returns here afterwards.
    static func account(_ request: Request, _ context: AppRequestContext) throws -> Account {
        guard let account = context.account else {
            let next = request.uri.path + (request.uri.query.map { "?" + $0 } ?? "")
            var components = URLComponentsLite(path: "/login")
            components.query = [("next", next)]
            throw HTTPError(.seeOther, headers: [.location: components.string])
        }
        return account
    }

    /// The logged-in account, if it holds one of `roles`; otherwise 403.
    static func account(_ request: Request, _ context: AppRequestContext, holding roles: Role...) throws -> Account {
        let account = try account(request, context)
        guard roles.contains(where: account.has) else { throw HTTPError(.forbidden) }
        return account
    }

    /// The form of this POST (parsed by the CSRF middleware, which refused it otherwise).
    static func form(_ context: AppRequestContext) throws -> FormData {
        guard let form = context.form else { throw HTTPError(.forbidden) }
        return form
    }
}

/// Builds `/path?name=value` with percent-encoded values.
struct URLComponentsLite {
    var path: String
    var query: [(String, String)] = []

    var string: String {
        guard !query.isEmpty else { return path }
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/".utf8)
        func encode(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                if allowed.contains(byte) {
                    out.unicodeScalars.append(UnicodeScalar(byte))
                } else {
                    out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(2)
                }
            }
            return out
        }
        return path + "?" + query.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
