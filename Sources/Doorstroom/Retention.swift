import ArgumentParser
import Foundation
import PQ
import Store

/// `doorstroom retention`: applies the retention rule once (serve does it hourly), for
/// a cron job or by hand; `--now` moves the clock, to see what a later run would strip.
struct Retention: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Strip the motivation of rejected applications past their retention (4 weeks, or a year with consent).")

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Count from this moment (ISO 8601, e.g. 2027-01-31T12:00:00Z) instead of now.")
    var now: String?

    func run() async throws {
        let logger = database.logger("doorstroom.retention")
        var moment = Date()
        if let now {
            guard let parsed = ISO8601DateFormatter().date(from: now) else { throw ValidationError("--now must be ISO 8601, e.g. 2027-01-31T12:00:00Z") }
            moment = parsed
        }
        let pool = try database.makePool(logger: logger)
        do {
            let report = try await Store(pool: pool).dataRights.applyRetention(now: moment)
            print("retention: \(report.applicationsStripped) rejected application(s) stripped of their motivation (clock \(ISO8601DateFormatter().string(from: moment)))")
        } catch {
            await pool.shutdown()
            throw error
        }
        await pool.shutdown()
    }
}
