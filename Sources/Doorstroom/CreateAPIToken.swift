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

    func validate() throws {
        guard (1...100).contains(name.count) else { throw ValidationError("The name needs 1 to 100 characters.") }
    }

    func run() async throws {
        let (organisationName, token) = try await database.withPool(label: "doorstroom.create-api-token") { pool, _ in
            let store = Store(pool: pool)
            guard let found = try await store.organisations.find(slug: organisation) else {
                throw ValidationError("No organisation with slug \(organisation).")
            }
            return (found.name, try await store.apiTokens.create(organisation: found.id, name: name, by: nil))
        }
        print("API token for \(organisationName) (\(name)):")
        print(token)
    }
}
