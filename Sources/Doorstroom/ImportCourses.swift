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
            twice changes nothing. A file that cannot be read or holds no valid course changes nothing; so does \
            one that would withdraw more than a fifth of the organisation's live courses, or more than ten, \
            unless --allow-withdraw is given (it prints what it would withdraw). Exits 0 when every record was \
            taken, 3 when some were rejected, 4 when nothing changed.
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Argument(help: "The file: .json (OOAPI v5) or .csv.")
    var file: String

    @Option(help: "The organisation's slug, e.g. altra.")
    var organisation: String

    @Flag(name: .customLong("allow-withdraw"), help: "Confirm an import that withdraws more than a fifth of the live courses, or more than ten.")
    var allowWithdraw = false

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
            return try await store.academy.importCatalogue(catalogue, organisation: found.id, by: nil, source: .command, allowWithdraw: allowWithdraw)
        }
        let elapsed = ContinuousClock.now - started
        switch report.outcome {
        case .applied:
            for (label, counts) in [("courses", report.courses), ("offerings", report.offerings)] {
                print("\(label): \(counts.inserted) new, \(counts.updated) changed, \(counts.unchanged) unchanged, \(counts.withdrawn) withdrawn")
            }
            for course in report.withdrawnCourses { print("withdrew \(course.code): \(course.name)") }
        case .unreadable:
            print("nothing changed: the file could not be read as a catalogue")
        case .noValidCourse:
            print("nothing changed: the file holds no valid course")
        case .needsConfirmation:
            print("nothing changed: this would withdraw \(report.withdrawnCourses.count) of \(report.liveCourses) live courses; run again with --allow-withdraw to confirm")
            for course in report.withdrawnCourses { print("would withdraw \(course.code): \(course.name)") }
        }
        for rejection in report.rejected {
            print("rejected \(rejection.text)")
        }
        print("took \(elapsed.formatted(.units(allowed: [.seconds, .milliseconds], width: .abbreviated)))")
        if report.outcome.changedNothing { throw ExitCode(4) }
        if !report.rejected.isEmpty { throw ExitCode(3) }
    }
}
