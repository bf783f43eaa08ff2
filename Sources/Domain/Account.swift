import Foundation

/// A person who can log in, with the roles they hold.
public struct Account: Sendable, Hashable, Identifiable {
    public typealias ID = UUID

    public var id: ID
    public var email: String
    public var displayName: String
    public var disabled: Bool
    public var grants: [RoleGrant]
    /// Whether the owner showed the address is theirs (needed to apply).
    public var emailConfirmed: Bool
    /// Whether logging in asks for a code from an authenticator app after the password.
    public var twoStepEnabled: Bool

    public init(
        id: ID, email: String, displayName: String, disabled: Bool, grants: [RoleGrant],
        emailConfirmed: Bool = true, twoStepEnabled: Bool = false
    ) {
        self.id = id
        self.email = email
        self.displayName = displayName
        self.disabled = disabled
        self.grants = grants
        self.emailConfirmed = emailConfirmed
        self.twoStepEnabled = twoStepEnabled
    }

    /// Admins must use two-step verification; everyone else may.
    public var needsTwoStep: Bool { has(.admin) }

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

/// A list of passwords too common to allow (the shipped one lives in the Passwords module).
public protocol PasswordList: Sendable {
    func contains(_ password: String) -> Bool
}

/// The password rules (OWASP ASVS 5.0 level 2, NIST SP 800-63B): at least 12
/// characters and at most 128, any characters at all (no composition rules), and not a
/// common password, the account's own e-mail address or the site's name.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 128

    public static func problem(with password: String, email: String, common: some PasswordList) -> String? {
        if password.count < minimumLength {
            return "Kies een wachtwoord van minstens \(minimumLength) tekens. Een zin van een paar woorden is lang genoeg en goed te onthouden."
        }
        if password.count > maximumLength {
            return "Dit wachtwoord is te lang: hoogstens \(maximumLength) tekens."
        }
        let lowered = password.lowercased()
        let local = email.split(separator: "@").first.map { String($0).lowercased() } ?? ""
        if lowered.contains("doorstroom") || (!email.isEmpty && lowered.contains(email.lowercased())) || (local.count >= 4 && lowered.contains(local)) {
            return "Kies een wachtwoord zonder je e-mailadres of de naam Doorstroom erin."
        }
        if common.contains(password) {
            return "Dit wachtwoord staat op de lijst van veelgebruikte wachtwoorden die als eerste worden geprobeerd. Kies een ander."
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
        email: String, displayName: String, password: String, role: String, organisationID: String, common: some PasswordList
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
        if let problem = PasswordPolicy.problem(with: password, email: email, common: common) { errors.add("password", problem) }
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
