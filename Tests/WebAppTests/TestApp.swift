import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PQ
import Passwords
import Store
import TestSupport
import WebApp

/// The real application on a fresh database with the demo data.
enum TestApp {
    static var configuration: WebAppConfiguration {
        WebAppConfiguration(
            host: "127.0.0.1", port: 0,
            templatesFolder: TestDatabase.projectRoot + "/web/templates",
            staticFolder: TestDatabase.projectRoot + "/web/static",
            openAPIFile: TestDatabase.projectRoot + "/docs/openapi.json",
            trustForwardedFor: true, trustedProxies: ["127.0.0.1", "::1", ""], siteURL: siteURL, secrets: secrets)
    }

    /// The site's configured address: absolute links must use it, never the Host header.
    static let siteURL = "https://doorstroom.example"

    /// A fixed key for the tests (production reads DOORSTROOM_SECRET_KEY).
    static let secrets = try! SecretBox(key: Array(repeating: 7, count: 32))

    /// Runs `body` with a browser against the router, on a fresh database with demo data.
    static func withDemo(
        poolSize: Int = 6,
        _ body: @escaping @Sendable (Browser, Store) async throws -> Void
    ) async throws {
        try await TestDatabase.withStore(poolSize: poolSize) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            let app = try await buildApplication(store: store, configuration: configuration, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                try await body(Browser(client), store)
            }
        }
    }
}
