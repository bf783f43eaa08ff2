import ArgumentParser
import PQ

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply the pending migrations of sql/.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = database.logger("doorstroom.migrate")
        let pool = try database.makePool(logger: logger)
        let applied: [Migration]
        do {
            applied = try await database.migrator(logger: logger).migrate(on: pool)
        } catch {
            await pool.shutdown()
            throw error
        }
        print(applied.isEmpty ? "Database is up to date." : "Applied: \(applied.map(\.fileName).joined(separator: ", "))")
        await pool.shutdown()
    }
}
