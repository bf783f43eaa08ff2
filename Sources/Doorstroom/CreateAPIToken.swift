import ArgumentParser
import Domain
import PQ
import Store

struct CreateAPIToken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-api-token",
        abstract: "Create an API token for an organisation's own system; prints the token (shown only once)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "The organisation's slug, e.g. altra.")
    var organisation: String

    @Option(help: "A name to recognise the token by, e.g. HR-systeem.")
    var name: String

    func run() async throws {
        let logger = database.logger("doorstroom.create-api-token")
        let pool = try database.makePool(logger: logger)
        let store = Store(pool: pool)
        do {
            guard let found = try await store.organisations.find(slug: organisation) else {
                throw ValidationError("No organisation with slug \(organisation).")
            }
            guard (1...100).contains(name.count) else { throw ValidationError("The name needs 1 to 100 characters.") }
            let token = try await store.apiTokens.create(organisation: found.id, name: name, by: nil)
            await pool.shutdown()
            print("API token for \(found.name) (\(name)):")
            print(token)
        } catch {
            await pool.shutdown()
            throw error
        }
    }
}
