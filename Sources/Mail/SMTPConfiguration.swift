import Foundation

/// Where mail goes: an SMTP relay given as `smtp://[user:password@]host[:port][?from=address]`.
/// Doorstroom speaks plain SMTP to a relay on a trusted network (a local Postfix, the
/// platform's relay), which takes care of TLS, DKIM and delivery outside.
public struct SMTPConfiguration: Sendable, Hashable {
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?
    /// The sender address.
    public var from: String
    /// The name this client gives in EHLO.
    public var heloName: String
    /// The base address links in mails point to, e.g. `https://doorstroom.nl`.
    public var siteURL: String

    public init(host: String, port: Int = 25, username: String? = nil, password: String? = nil,
                from: String = "noreply@doorstroom.local", heloName: String = "doorstroom.local", siteURL: String = "http://127.0.0.1:8080") {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.from = from
        self.heloName = heloName
        self.siteURL = siteURL
    }

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `SMTP_URL`; `from` in the query sets the sender address.
    public static func parse(_ text: String, siteURL: String) throws -> SMTPConfiguration {
        guard let url = URLComponents(string: text), url.scheme == "smtp", let host = url.host, !host.isEmpty else {
            throw Invalid(description: "SMTP_URL must look like smtp://[user:password@]host[:port][?from=address] (plain SMTP to a relay)")
        }
        var configuration = SMTPConfiguration(host: host, port: url.port ?? 25, siteURL: siteURL)
        configuration.username = url.user.flatMap { $0.removingPercentEncoding ?? $0 }
        configuration.password = url.password.flatMap { $0.removingPercentEncoding ?? $0 }
        if let from = url.queryItems?.first(where: { $0.name == "from" })?.value {
            guard from.contains("@"), from.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 && $0 != "<" && $0 != ">" }) else {
                throw Invalid(description: "SMTP_URL's from is not an address")
            }
            configuration.from = from
        }
        return configuration
    }
}
