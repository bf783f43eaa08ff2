import ArgumentParser
import PQ

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the pending migrations of sql/.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let applied = try await database.withPool(label: "doorstroom.migrate") { pool, logger in
            try await database.migrator(logger: logger).migrate(on: pool)
        }
        print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.map(\.fileName).joined(separator: ", "))")
    }
}
