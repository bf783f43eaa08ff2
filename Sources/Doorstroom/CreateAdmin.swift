import ArgumentParser
import Domain
import Foundation
import PQ
import Passwords
import Store

struct CreateAdmin: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-admin",
        abstract: "Add an admin account. The password is read from $DOORSTROOM_ADMIN_PASSWORD or standard input."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Email address of the new admin.")
    var email: String

    @Option(help: "Name shown in pages.")
    var name: String

    func run() async throws {
        let password = ProcessInfo.processInfo.environment["DOORSTROOM_ADMIN_PASSWORD"] ?? readLine(strippingNewline: true) ?? ""
        do {
            let new = try NewAccount.parse(email: email, displayName: name, password: password, role: Role.admin.rawValue, organisationID: "", common: CommonPasswords.shipped)
            let account = try await database.withPool(label: "doorstroom.create-admin") { pool, _ in
                try await Store(pool: pool).accounts.create(new, passwordHash: try PasswordHasher.standard.hash(new.password), grantedBy: nil)
            }
            print("Admin account created: \(account.email)")
        } catch let errors as ValidationErrors {
            throw ValidationError(errors.items.map { "\($0.field): \($0.message)" }.joined(separator: "\n"))
        }
    }
}
