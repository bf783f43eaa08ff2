import ArgumentParser
import PQ
import Store

struct Seed: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load demo data into an empty database.")

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Load the demo organisations, accounts, professionals and postings.")
    var demo = false

    func validate() throws {
        guard demo else { throw ValidationError("Say what to load: --demo.") }
    }

    func run() async throws {
        let loaded = try await database.withPool(label: "doorstroom.seed") { pool, logger in
            try await DemoData(store: Store(pool: pool), logger: logger).loadIfEmpty()
        }
        if loaded {
            print("Demo data loaded. Demo logins (password \(DemoData.password)):")
            for login in DemoData.logins {
                print("  \(login.email)  (\(login.description))")
            }
        } else {
            print("The database already holds data: demo data not loaded.")
        }
    }
}
