import ArgumentParser
import Domain
import Foundation
import PQ
import Store

struct ImportCourses: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-courses",
        abstract: "Import an organisation's course catalogue (OOAPI v5 JSON or CSV; docs/academy-format.md).",
        discussion: """
            Upserts by the provider's own code, withdraws the organisation's courses the file no longer holds, \
            and reports each rejected record with its place in the file and the reason. Importing the same file \
            twice changes nothing. Exits 0 when every record was taken, 3 when some were rejected.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The file: .json (OOAPI v5) or .csv.")
    var file: String

    @Option(help: "The organisation's slug, e.g. altra.")
    var organisation: String

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("Cannot read \(file).") }
        let started = ContinuousClock.now
        let catalogue = file.lowercased().hasSuffix(".csv")
            ? CatalogueParser.parse(csv: String(decoding: data, as: UTF8.self)) : CatalogueParser.parse(json: data)
        let report = try await database.withPool(label: "doorstroom.import-courses") { pool, _ in
            let store = Store(pool: pool)
            guard let found = try await store.organisations.find(slug: organisation) else {
                throw ValidationError("No organisation with slug \(organisation).")
            }
            return try await store.academy.importCatalogue(catalogue, organisation: found.id, by: nil, source: .command)
        }
        let elapsed = ContinuousClock.now - started
        for (label, counts) in [("courses", report.courses), ("offerings", report.offerings)] {
            print("\(label): \(counts.inserted) new, \(counts.updated) changed, \(counts.unchanged) unchanged, \(counts.withdrawn) withdrawn")
        }
        for rejection in report.rejected {
            print("rejected \(rejection.location)\(rejection.code.map { " (\($0))" } ?? ""): \(rejection.reason)")
        }
        print("took \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated)))")
        if !report.rejected.isEmpty { throw ExitCode(3) }
    }
}
