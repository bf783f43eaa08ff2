/// Where the web app finds its files and how it sets cookies.
public struct WebAppConfiguration: Sendable {
    public var host: String
    public var port: Int
    public var templatesFolder: String
    public var staticFolder: String
    /// The API's OpenAPI document.
    public var openAPIFile: String
    /// Mark cookies Secure even for plain-http requests (behind a TLS-terminating proxy
    /// that does not send X-Forwarded-Proto).
    public var alwaysSecureCookies: Bool

    public init(
        host: String = "127.0.0.1", port: Int = 8080,
        templatesFolder: String = "web/templates", staticFolder: String = "web/static",
        openAPIFile: String = "docs/openapi.json", alwaysSecureCookies: Bool = false
    ) {
        self.openAPIFile = openAPIFile
        self.host = host
        self.port = port
        self.templatesFolder = templatesFolder
        self.staticFolder = staticFolder
        self.alwaysSecureCookies = alwaysSecureCookies
    }
}
