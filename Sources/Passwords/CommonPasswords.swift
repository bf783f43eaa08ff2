import Domain
import Foundation

/// The list of common passwords shipped with the project (see Resources/README.md for
/// its source and licence), loaded once. A password is common when it is on the list,
/// ignoring case, also once the digits and symbols people add at its end or start
/// (`Welkom2024!`, `123dragon`) are taken off.
public struct CommonPasswords: PasswordList, Sendable {
    private let entries: Set<String>

    public init(entries: some Sequence<String>) {
        self.entries = Set(entries.map { $0.lowercased() })
    }

    /// The shipped list.
    public static let shipped: CommonPasswords = {
        guard let url = Bundle.module.url(forResource: "common-passwords", withExtension: "txt"),
              let text = try? String(contentsOf: url, encoding: .utf8)
        else { fatalError("common-passwords.txt is missing from the Passwords module's resources") }
        return CommonPasswords(entries: text.split(separator: "\n").map(String.init))
    }()

    public var count: Int { entries.count }

    /// Every entry (for the test that checks the list refuses its own entries).
    public var all: Set<String> { entries }

    public func contains(_ password: String) -> Bool {
        let lowered = password.lowercased()
        if entries.contains(lowered) { return true }
        let core = lowered.trimmingCharacters(in: CharacterSet.letters.inverted)
        return !core.isEmpty && core != lowered && entries.contains(core)
    }
}
