import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Mail
import Passwords
import PQ
import Store
import WebApp

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the web pages and the API.")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Address to listen on (default: $HOST or 127.0.0.1).")
    var host: String?

    @Option(help: "Port to listen on (default: $PORT or 8080).")
    var port: Int?

    @Option(help: "Folder with the Mustache templates.")
    var templates = "web/templates"

    @Option(name: .customLong("static"), help: "Folder with static files (css, images).")
    var staticFolder = "web/static"

    @Option(name: .customLong("openapi"), help: "The API's OpenAPI document.")
    var openAPIFile = "docs/openapi.json"

    @Option(name: .customLong("smtp-url"), help: "Mail notifications through this relay: smtp://[user:password@]host[:port][?from=address] (default: $SMTP_URL; without it notifications are only shown).")
    var smtpURL: String?

    @Option(name: .customLong("site-url"), help: "This site's public address, for links in mails (default: $SITE_URL or http://HOST:PORT).")
    var siteURL: String?

    @Option(name: .customLong("retention-every"), help: "Seconds between runs of the retention job.")
    var retentionEvery = 3600

    @Flag(help: "The service runs behind https: cookies are Secure with the __Host- prefix, and answers carry HSTS.")
    var secureCookies = false

    @Flag(help: "The service runs behind a proxy we trust: the client's address is the last one in X-Forwarded-For, the scheme comes from X-Forwarded-Proto (only in requests from a --trusted-proxy).")
    var behindProxy = false

    @Option(name: .customLong("trusted-proxy"), help: "The proxy's own address, whose X-Forwarded-* headers count (repeatable; default 127.0.0.1 and ::1).")
    var trustedProxies: [String] = []

    @Option(name: .customLong("metrics-from"), help: "An address that may read /metrics without a token, straight and not through the proxy (repeatable; default 127.0.0.1 and ::1). $METRICS_TOKEN opens it with a bearer token from anywhere.")
    var metricsFrom: [String] = []

    @Option(name: .customLong("database-read-url"), help: "A streaming replica for visitors' public pages (default: $DATABASE_READ_URL; without it, the primary only).")
    var databaseReadURL: String?

    @Option(name: .customLong("replica-max-lag"), help: "Seconds of replay lag above which visitors read from the primary.")
    var replicaMaxLag = 5.0

    mutating func validate() throws {
        guard (0.1...600).contains(replicaMaxLag) else { throw ValidationError("--replica-max-lag must be between 0.1 and 600 seconds.") }
        guard retentionEvery >= 1 else { throw ValidationError("--retention-every must be at least 1 second.") }
        if let port, !(0...65535).contains(port) { throw ValidationError("--port must be between 0 and 65535.") }
        if let text = ProcessInfo.processInfo.environment["PORT"], port == nil, Int(text).map({ (0...65535).contains($0) }) != true {
            throw ValidationError("PORT=\(text) is not a port number.")
        }
    }

    func resolvedHost() -> String { host ?? ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1" }
    func resolvedPort() -> Int { port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080 }

    /// The site's public address: --site-url, $SITE_URL, or this host and port.
    func resolvedSiteURL() -> String {
        siteURL ?? ProcessInfo.processInfo.environment["SITE_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://\(resolvedHost()):\(resolvedPort())"
    }

    /// The key that seals two-step verification secrets: 32 bytes of base64 in
    /// $DOORSTROOM_SECRET_KEY (scripts/run makes one under .data/ for development).
    func secretBox() throws -> SecretBox {
        guard let text = ProcessInfo.processInfo.environment["DOORSTROOM_SECRET_KEY"], !text.isEmpty else {
            throw ValidationError("DOORSTROOM_SECRET_KEY is not set: it must hold 32 random bytes in base64 (for example from `openssl rand -base64 32`). Keep it out of the database and its backups.")
        }
        do {
            return try SecretBox(base64: text)
        } catch {
            throw ValidationError("DOORSTROOM_SECRET_KEY must be 32 bytes in base64 (for example from `openssl rand -base64 32`).")
        }
    }

    func mailConfiguration() throws -> SMTPConfiguration? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = smtpURL ?? environment["SMTP_URL"], !url.isEmpty else { return nil }
        let site = resolvedSiteURL()
        do {
            return try SMTPConfiguration.parse(url, siteURL: site)
        } catch let error as SMTPConfiguration.Invalid {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let logger = database.logger("doorstroom")
        let mail = try mailConfiguration()
        let secrets = try secretBox()
        let pool = try database.makePool(logger: logger)
        // A replica for the public read pages, with a pool of its own.
        let readURL = databaseReadURL ?? ProcessInfo.processInfo.environment["DATABASE_READ_URL"].flatMap { $0.isEmpty ? nil : $0 }
        let readPool = readURL.map { url in
            Pool(configuration: .init(connection: .init(url: url, connectTimeoutSeconds: 2), maxConnections: database.poolSize,
                                      acquireTimeout: .seconds(1)), logger: logger)
        }
        do {
            // Refuse to start on a database whose schema is behind (or ahead of) this build.
            let status = try await database.migrator(logger: logger).status(on: pool)
            guard status.isCurrent else {
                throw ValidationError(
                    "The database has \(status.pending.count) pending migration(s) (\(status.pending.map(\.fileName).joined(separator: ", "))). Run `doorstroom migrate` first."
                )
            }
            let store = Store(pool: pool)
            // The service group starts the pool, then the jobs, then the server; a
            // graceful shutdown (SIGTERM, SIGINT) stops them in reverse order.
            let app = try await buildApplication(
                store: store,
                configuration: WebAppConfiguration(
                    host: resolvedHost(), port: resolvedPort(), templatesFolder: templates,
                    staticFolder: staticFolder, openAPIFile: openAPIFile, alwaysSecureCookies: secureCookies,
                    trustForwardedFor: behindProxy, trustedProxies: Set(trustedProxies.isEmpty ? ["127.0.0.1", "::1"] : trustedProxies),
                    siteURL: resolvedSiteURL(), secrets: secrets,
                    contactEmail: ProcessInfo.processInfo.environment["CONTACT_EMAIL"].flatMap { $0.isEmpty ? nil : $0 },
                    schemaVersion: status.applied.map(\.version).max(),
                    metricsToken: ProcessInfo.processInfo.environment["METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 },
                    metricsFrom: Set(metricsFrom.isEmpty ? ["127.0.0.1", "::1"] : metricsFrom),
                    readReplica: readPool.map { ReadReplica(store: Store(pool: $0), maximumLag: replicaMaxLag) }),
                logger: logger,
                services: [
                    PoolService(pool: pool),
                ] + (readPool.map { [PoolService(pool: $0)] } ?? []) + [
                    BackgroundJobs(store: store, mail: mail, retentionInterval: .seconds(retentionEvery), logger: logger),
                ]
            )
            try await app.runService()
        } catch {
            // Refused before the group ran (pending migrations, templates): close the pools here.
            await pool.shutdown()
            await readPool?.shutdown()
            throw error
        }
    }
}
