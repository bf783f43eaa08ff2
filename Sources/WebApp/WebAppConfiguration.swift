import Foundation
import Passwords

/// Where the web app finds its files, how it sets cookies and where its links point.
public struct WebAppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var templatesFolder: String
    public var staticFolder: String
    /// The API's OpenAPI document.
    public var openAPIFile: String
    /// The service runs behind https (`--secure-cookies`): cookies are Secure and carry
    /// the `__Host-` prefix, and answers carry HSTS.
    public var alwaysSecureCookies: Bool
    /// The service runs behind a proxy we trust (`--behind-proxy`): the client's address
    /// and scheme come from X-Forwarded-For and X-Forwarded-Proto, when the request
    /// comes from one of `trustedProxies`.
    public var trustForwardedFor: Bool
    /// The proxies' own addresses (`--trusted-proxy`, loopback by default): anyone else's
    /// X-Forwarded-For and X-Forwarded-Proto are ignored.
    public var trustedProxies: Set<String>
    /// `/metrics` answers with this bearer token (`METRICS_TOKEN`), or to a request
    /// straight from one of `metricsFrom` (loopback by default) that no proxy forwarded.
    public var metricsToken: String?
    public var metricsFrom: Set<String>
    /// A streaming replica for visitors' public pages (`DATABASE_READ_URL`); nil: the primary only.
    public var readReplica: ReadReplica?
    /// The site's public address (`SITE_URL`), for absolute links: never the Host header.
    public var siteURL: String
    /// Seals two-step verification secrets (the key comes from the environment).
    public var secrets: SecretBox
    /// Who answers for the service (`CONTACT_EMAIL`): the OOAPI service object names it.
    public var contactEmail: String
    /// The last migration this build knows: `/readyz` says "not ready" while the
    /// database's schema is behind it. Nil: readiness asks the database only.
    public var schemaVersion: Int?
    /// The public pages kept for visitors (one per application).
    let pageCache = VisitorPageCache.Storage()

    public init(
        host: String = "127.0.0.1", port: Int = 8080,
        templatesFolder: String = "web/templates", staticFolder: String = "web/static",
        openAPIFile: String = "docs/openapi.json", alwaysSecureCookies: Bool = false,
        trustForwardedFor: Bool = false, trustedProxies: Set<String> = ["127.0.0.1", "::1"], siteURL: String? = nil, secrets: SecretBox,
        contactEmail: String? = nil, schemaVersion: Int? = nil, metricsToken: String? = nil, metricsFrom: Set<String> = ["127.0.0.1", "::1"],
        readReplica: ReadReplica? = nil
    ) {
        self.readReplica = readReplica
        self.trustedProxies = trustedProxies
        self.metricsToken = metricsToken
        self.metricsFrom = metricsFrom
        self.schemaVersion = schemaVersion
        self.openAPIFile = openAPIFile
        self.host = host
        self.port = port
        self.templatesFolder = templatesFolder
        self.staticFolder = staticFolder
        self.alwaysSecureCookies = alwaysSecureCookies
        self.trustForwardedFor = trustForwardedFor
        let site = siteURL ?? "http://\(host):\(port)"
        self.siteURL = site.hasSuffix("/") ? String(site.dropLast()) : site
        self.secrets = secrets
        // Without a setting: the site's own domain.
        let domain = URLComponents(string: self.siteURL)?.host ?? host
        self.contactEmail = contactEmail ?? "beheer@\(domain)"
    }
}
