import ArgumentParser
import Foundation
import Hummingbird
import Logging
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

    @Flag(help: "Always mark cookies Secure (behind a TLS proxy that sends no X-Forwarded-Proto).")
    var secureCookies = false

    func resolvedHost() -> String { host ?? ProcessInfo.processInfo.environment["HOST"] ?? "127.0.0.1" }
    func resolvedPort() -> Int { port ?? ProcessInfo.processInfo.environment["PORT"].flatMap(Int.init) ?? 8080 }

    func run() async throws {
        let logger = database.logger("doorstroom")
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
            try await app.runService()
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
