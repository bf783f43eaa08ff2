import ArgumentParser
import Foundation
import Hummingbird
import Logging
import Mail
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

    @Flag(help: "Always mark cookies Secure (behind a TLS proxy that sends no X-Forwarded-Proto).")
    var secureCookies = false

    func resolvedHost() -> String { host ?? ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1" }
    func resolvedPort() -> Int { port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080 }

    func mailConfiguration() throws -> SMTPConfiguration? {
        let environment = ProcessInfo.processInfo.environment
        guard let url = smtpURL ?? environment["SMTP_URL"], !url.isEmpty else { return nil }
        let site = siteURL ?? environment["SITE_URL"] ?? "http://\(resolvedHost()):\(resolvedPort())"
        do {
            return try SMTPConfiguration.parse(url, siteURL: site)
        } catch let error as SMTPConfiguration.Invalid {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        let logger = database.logger("doorstroom")
        let mail = try mailConfiguration()
        let pool = try database.makePool(logger: logger)
        do {
            // Refuse to start on a database whose schema is behind (or ahead of) this build.
            let status = try await database.migrator(logger: logger).status(on: pool)
            guard status.isCurrent else {
                throw ValidationError(
                    "The database has \(status.pending.count) pending migration(s) (\(status.pending.map(\.fileName).joined(separator: ", "))). Run `doorstroom migrate` first."
                )
            }
            let app = try await buildApplication(
                store: Store(pool: pool),
                configuration: WebAppConfiguration(
                    host: resolvedHost(), port: resolvedPort(), templatesFolder: templates,
                    staticFolder: staticFolder, openAPIFile: openAPIFile, alwaysSecureCookies: secureCookies),
                logger: logger
            )
            // The jobs stop when the server has stopped (after its graceful shutdown).
            let jobs = Task {
                await BackgroundJobs(store: Store(pool: pool), mail: mail, retentionInterval: .seconds(max(1, retentionEvery)), logger: logger).run()
            }
            do {
                try await app.runService()
            } catch {
                jobs.cancel()
                throw error
            }
            jobs.cancel()
            await jobs.value
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
