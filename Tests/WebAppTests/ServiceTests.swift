import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import PQ
import Store
import TestSupport
import Synchronization
import Testing
@testable import WebApp

@Suite("Health, start-up and more than one instance")
struct ServiceTests {
    @Test func healthzSaysWhetherTheDatabaseAnswers() async throws {
        try await TestApp.withDemo { browser, _ in
            let healthy = try await browser.get("/healthz")
            #expect(healthy.status == .ok)
        }
        // A pool pointing at no server: 503, quickly, and no internals.
        let nowhere = Pool(
            configuration: .init(connection: .init(url: "postgresql://x@/x?host=%2Fnonexistent", connectTimeoutSeconds: 1), maxConnections: 2),
            logger: TestDatabase.logger)
        let app = try await buildApplication(store: Store(pool: nowhere), configuration: TestApp.configuration, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            let browser = Browser(client)
            #expect(try await browser.get("/healthz").status == .serviceUnavailable)
            // A page that needs the database: a clear Dutch 503 page.
            let login = try await browser.get("/login")
            #expect(login.status == .serviceUnavailable)
            #expect(login.body.contains("Tijdelijk niet beschikbaar"))
            #expect(!login.body.contains("PostgresError"))
            #expect(login.headers[.retryAfter] != nil)
            // Static files need no database.
            #expect(try await browser.get("/static/css/doorstroom.css").status == .ok)
        }
        await nowhere.shutdown()
    }

    /// Readiness: ready when the database answers and holds every migration this build
    /// knows; not ready (503, with the reason) when the schema is behind or the
    /// database is gone.
    @Test func readyzSaysWhetherThisInstanceCanServe() async throws {
        try await TestApp.withDemo { browser, store in
            let ready = try await browser.get("/readyz")
            #expect(ready.status == .ok && ready.body.hasPrefix("{\"ready\":true,\"database\":true"))
            let applied = try await store.schemaVersion()
            #expect(applied >= 29)
            var configuration = TestApp.configuration
            configuration.schemaVersion = applied
            let current = try await buildApplication(store: store, configuration: configuration, logger: TestDatabase.logger)
            try await current.test(.router) { client in
                let page = try await Browser(client).get("/readyz")
                #expect(page.status == .ok)
            }
            configuration.schemaVersion = applied + 1
            let ahead = try await buildApplication(store: store, configuration: configuration, logger: TestDatabase.logger)
            try await ahead.test(.router) { client in
                let behind = try await Browser(client).get("/readyz")
                #expect(behind.status == .serviceUnavailable)
                #expect(behind.body.contains("\"ready\":false") && behind.body.contains("\"needed\":\(applied + 1)"))
                #expect(try await Browser(client).get("/healthz").status == .ok, "alive, but not ready")
            }
        }
        let nowhere = Pool(
            configuration: .init(connection: .init(url: "postgresql://x@/x?host=%2Fnonexistent", connectTimeoutSeconds: 1), maxConnections: 2),
            logger: TestDatabase.logger)
        let app = try await buildApplication(store: Store(pool: nowhere), configuration: TestApp.configuration, logger: TestDatabase.logger)
        try await app.test(.router) { client in
            let gone = try await Browser(client).get("/readyz")
            #expect(gone.status == .serviceUnavailable && gone.body.contains("\"database\":false"))
        }
        await nowhere.shutdown()
    }

    /// `/metrics`: the Prometheus text format for the monitoring system (its bearer
    /// token, or straight from loopback over a real socket), 404 for everyone else: a
    /// visitor, a logged-in admin, a wrong token, a request a proxy forwarded.
    @Test func metricsAreForTheMonitoringSystemNeverForThePublic() async throws {
        try await TestApp.withDemo { browser, store in
            #expect(try await browser.get("/metrics").status == .notFound)
            try await browser.login("coordinator@doorstroom.test")
            #expect(try await browser.get("/metrics").status == .notFound, "a session is not enough")
            var configuration = TestApp.configuration
            configuration.metricsToken = "een-lang-geheim-voor-prometheus"
            let app = try await buildApplication(store: store, configuration: configuration, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                let visitor = Browser(client)
                _ = try await visitor.get("/login")
                #expect(try await visitor.post("/login", [("email", "hr@altra.doorstroom.test"), ("password", "niet-het-wachtwoord")]).status != .found)
                let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer een-ander-geheim"])
                #expect(wrong.status == .notFound)
                let page = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer een-lang-geheim-voor-prometheus"])
                #expect(page.status == .ok)
                #expect(page.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(buffer: page.body)
                #expect(text.contains("hb_requests{http_route=\"/login\",http_request_method=\"POST\""))
                #expect(text.contains("# TYPE http_server_request_duration histogram"))
                let failures = text.split(separator: "\n").first { $0.hasPrefix("doorstroom_login_failures_total ") }
                #expect((failures.flatMap { Double($0.split(separator: " ")[1]) } ?? 0) >= 1)
                for line in ["doorstroom_db_connections{state=\"in_use\"}", "doorstroom_db_connection_waiters ", "doorstroom_outbox_messages{state=\"failed\"}",
                             "# TYPE doorstroom_matching_run_seconds histogram"] {
                    #expect(text.contains(line), "\(line)")
                }
            }
            // Over a real socket from loopback: a local scraper may read it; through a proxy (X-Forwarded-For), nobody.
            try await app.test(.live) { client in
                let local = try await client.execute(uri: "/metrics", method: .get)
                #expect(local.status == .ok)
                let forwarded = try await client.execute(uri: "/metrics", method: .get, headers: [.xForwardedFor: "203.0.113.5"])
                #expect(forwarded.status == .notFound)
            }
        }
    }

    /// `DATABASE_READ_URL`: visitors' public pages read from the replica (here another
    /// database, so that it shows), logged-in people and every write from the primary;
    /// a replica that is gone sends visitors back to the primary, without an error.
    @Test func visitorsReadFromTheReplicaEveryoneElseFromThePrimary() async throws {
        try await TestApp.withDemo { browser, primary in
            try await TestDatabase.withStore { copy in
                try await DemoData(store: copy, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
                _ = try await copy.pool.query(
                    "UPDATE posting SET title = 'Alleen op de replica' WHERE id = (SELECT id FROM posting WHERE status = 'published' AND internal_until IS NULL ORDER BY published_at DESC LIMIT 1)")
                let replica = ReadReplica(store: copy)
                await replica.check()
                #expect(replica.status.usable && replica.status.lag == 0, "a database that is not in recovery lags by nothing")
                var configuration = TestApp.configuration
                configuration.readReplica = replica
                let app = try await buildApplication(store: primary, configuration: configuration, logger: TestDatabase.logger)
                try await app.test(.router) { client in
                    let visitor = Browser(client)
                    #expect(try await visitor.get("/vacatures?sorteer=nieuw").body.contains("Alleen op de replica"), "a visitor reads the replica")
                    #expect(try await visitor.get("/vacatures.atom").body.contains("Alleen op de replica"))
                    let member = Browser(client)
                    try await member.login("professional@doorstroom.test")
                    #expect(!(try await member.get("/vacatures?sorteer=nieuw").body.contains("Alleen op de replica")), "a logged-in person reads the primary")
                    // Writes go to the primary whatever the routing: a visitor's sign-up works.
                    _ = try await visitor.get("/registreren")
                    let signUp = try await visitor.post("/registreren", [
                        ("kind", "werkzoekende"), ("displayName", "Replica Proef"), ("email", "replica@voorbeeld.nl"), ("password", "zeven lange paarden op het ijs"),
                    ])
                    #expect(signUp.status == .ok)
                    #expect(try await primary.accounts.find(email: "replica@voorbeeld.nl") != nil)
                    #expect(try await copy.accounts.find(email: "replica@voorbeeld.nl") == nil)
                }
            }
            // A replica that cannot be reached: visitors get the primary's pages, no error.
            let nowhere = Pool(
                configuration: .init(connection: .init(url: "postgresql://x@/x?host=%2Fnonexistent", connectTimeoutSeconds: 1), maxConnections: 2),
                logger: TestDatabase.logger)
            let gone = ReadReplica(store: Store(pool: nowhere))
            await gone.check()
            #expect(!gone.status.usable)
            var configuration = TestApp.configuration
            configuration.readReplica = gone
            let app = try await buildApplication(store: primary, configuration: configuration, logger: TestDatabase.logger)
            try await app.test(.router) { client in
                let page = try await Browser(client).get("/vacatures")
                #expect(page.status == .ok && !page.body.contains("Alleen op de replica"))
            }
            await nowhere.shutdown()
        }
    }

    /// `LOG_FORMAT=json`: each line one JSON object that JSONSerialization reads back,
    /// with the time, level, label, message and the metadata (a request's id) as fields.
    @Test func jsonLogLinesAreOneObjectEach() throws {
        let lines = Mutex<[String]>([])
        let logger = Logger(label: "doorstroom") { label in JSONLogHandler(label: label) { line in lines.withLock { $0.append(line) } } }
        logger.info("request", metadata: ["hb.request.id": "42", "path": "/vacatures", "list": ["a", "b"]])
        logger.warning("quote \" and\nnewline")
        let written = lines.withLock { $0 }
        #expect(written.count == 2 && written.allSatisfy { $0.hasSuffix("}\n") && $0.filter { $0 == "\n" }.count == 1 })
        let first = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(first["level"] as? String == "info" && first["label"] as? String == "doorstroom" && first["message"] as? String == "request")
        #expect(first["hb.request.id"] as? String == "42" && first["path"] as? String == "/vacatures" && first["list"] as? [String] == ["a", "b"])
        #expect((first["time"] as? String)?.hasSuffix("Z") == true)
        let second = try #require(try JSONSerialization.jsonObject(with: Data(written[1].utf8)) as? [String: Any])
        #expect(second["message"] as? String == "quote \" and\nnewline")
    }

    /// What goes into a log of a refused request keeps ids but not a link's token.
    @Test func loggedPathsCarryNoTokens() {
        #expect(CSRFMiddleware.loggable("/wachtwoord-herstellen/aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW") == "/wachtwoord-herstellen/…")
        #expect(CSRFMiddleware.loggable("/flexpool/agenda/abcdefghijklmnopqrstuvwxyz012345.ics") == "/flexpool/agenda/…")
        let id = UUID().uuidString.lowercased()
        #expect(CSRFMiddleware.loggable("/vacatures/\(id)/solliciteren") == "/vacatures/\(id)/solliciteren")
        #expect(CSRFMiddleware.loggable("/beheer/sollicitaties") == "/beheer/sollicitaties")
    }

    @Test func aMissingTemplateStopsTheStart() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try "{{$content}}{{/content}}".write(toFile: folder + "/layout.mustache", atomically: true, encoding: .utf8)
        do {
            _ = try await Views(folder: folder, openAPIFile: TestDatabase.projectRoot + "/docs/openapi.json")
            Issue.record("started without templates")
        } catch let error as Views.MissingTemplates {
            #expect(error.description.contains("pages/login.mustache"))
        }
    }

    /// Two instances, each with its own pool and server, on one database: a session
    /// made on one is valid on the other.
    @Test func twoInstancesShareSessions() async throws {
        try await TestDatabase.withFresh(poolSize: 2) { pool in
            let store = Store(pool: pool)
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
            let name = try await TestDatabase.databaseName(of: pool)
            let secondPool = try TestDatabase.pool(database: name, size: 2)
            let first = try await buildApplication(store: store, configuration: TestApp.configuration, logger: TestDatabase.logger)
            let second = try await buildApplication(store: Store(pool: secondPool), configuration: TestApp.configuration, logger: TestDatabase.logger)
            try await first.test(.live) { firstClient in
                try await second.test(.live) { secondClient in
                    #expect(firstClient.port != secondClient.port)
                    let one = Browser(firstClient)
                    #expect(try await one.login("coordinator@doorstroom.test").status == .found)
                    let two = Browser(secondClient)
                    two.adopt(cookies: one.cookies)
                    let page = try await two.get("/mijn")
                    #expect(page.status == .ok)
                    #expect(page.body.contains("Carla Verbeek"))
                    // Logging out on the second ends it on the first.
                    try await two.post("/logout", [])
                    #expect(try await one.get("/mijn").status == .seeOther)
                }
            }
            await secondPool.shutdown()
        }
    }
}

extension Browser {
    func adopt(cookies: [String: String]) {
        for (name, value) in cookies { setCookie(name, value) }
    }
}
