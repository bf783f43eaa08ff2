import Foundation

/// A person who can log in, with the roles they hold.
public struct Account: Sendable, Hashable, Identifiable {
    public typealias ID = UUID

    public var id: ID
    public var email: String
    public var displayName: String
    public var disabled: Bool
    public var grants: [RoleGrant]

    public init(id: ID, email: String, displayName: String, disabled: Bool, grants: [RoleGrant]) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.disabled = disabled
        self.grants = grants
    }

    public func has(_ role: Role) -> Bool {
        grants.contains { $0.role == role }
    }

    /// Whether the account holds `role` for `organisation`. A coordinator without an
    /// organisation is regional and holds it for every organisation.
    public func has(_ role: Role, for organisation: Organisation.ID) -> Bool {
        grants.contains { grant in
            grant.role == role && (grant.organisationID == organisation || (role == .coordinator && grant.organisationID == nil))
        }
    }

    /// The organisations for which the account holds `role`.
    public func organisations(as role: Role) -> [Organisation.ID] {
        grants.filter { $0.role == role }.compactMap(\.organisationID)
    }
}

/// Email addresses: trimmed, at most 254 characters, one @ with text on both sides and
/// a dot in the domain. Uniqueness ignores case (the database enforces it).
public enum EmailAddress {
    public static func normalized(_ raw: String) -> String {
        raw.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public static func isValid(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace || $0.isNewline }) else { return false }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        guard domain.contains("."), !domain.hasPrefix("."), !domain.hasSuffix("."), !domain.contains("..") else {
            return false
        }
        return true
    }
}

/// The password rules: long enough to resist guessing, short enough not to be a
/// denial of service for the hash.
public enum PasswordPolicy {
    public static let minimumLength = 10
    public static let maximumLength = 256

    public static func problem(with password: String) -> String? {
        if password.count < minimumLength {
            return "Kies een wachtwoord van minstens \(minimumLength) tekens."
        }
        if password.count > maximumLength {
            return "Het wachtwoord is te lang (hoogstens \(maximumLength) tekens)."
        }
        return nil
    }
}

/// What an admin types to add an account, checked.
public struct NewAccount: Sendable, Hashable {
    public var email: String
    public var displayName: String
    public var password: String
    public var grant: RoleGrant?

    public init(email: String, displayName: String, password: String, grant: RoleGrant?) {
        self.email = email
        self.displayName = displayName
        self.password = password
        self.grant = grant
    }

    public static func parse(
        email: String, displayName: String, password: String, role: String, organisationID: String
    ) throws(ValidationErrors) -> NewAccount {
        var errors = ValidationErrors()
        let email = EmailAddress.normalized(email)
        let name = displayName.trimmingCharacters(in: .whitespacesAndNewlines)
        if email.isEmpty {
            errors.add("email", "Vul een e-mailadres in.")
        } else if !EmailAddress.isValid(email) {
            errors.add("email", "Dit is geen geldig e-mailadres.")
        }
        if name.isEmpty {
            errors.add("displayName", "Vul de naam in.")
        } else if name.count > 200 {
            errors.add("displayName", "De naam is te lang (hoogstens 200 tekens).")
        }
        if let problem = PasswordPolicy.problem(with: password) { errors.add("password", problem) }
        var grant: RoleGrant?
        if !role.isEmpty {
            if let parsedRole = Role(rawValue: role) {
                let organisation = UUID(uuidString: organisationID)
                if !organisationID.isEmpty, organisation == nil {
                    errors.add("organisation", "Kies een organisatie uit de lijst.")
                } else {
                    do {
                        grant = try RoleGrant(role: parsedRole, organisationID: organisation).validated()
                    } catch {
                        for item in error.items { errors.add(item.field, item.message) }
                    }
                }
            } else {
                errors.add("role", "Kies een rol uit de lijst.")
            }
        }
        try errors.throwIfAny()
        return NewAccount(email: email, displayName: name, password: password, grant: grant)
    }
}
