import Domain
import Foundation
import PQ

public struct OrganisationStore: Sendable {
    let db: Pool

    static let columns: SQL = "o.id, o.slug, o.name, o.kind, o.municipality_slug, o.active, o.website, o.logo_url"

    static func decode(_ row: Row) throws -> Organisation {
        let (id, slug, name, kind, municipality, active, website, logo) = try row.decode(
            (UUID, String, String, Organisation.Kind, Municipality, Bool, String?, String?).self)
        return Organisation(id: id, slug: slug, name: name, kind: kind, municipality: municipality, active: active, website: website, logoURL: logo)
    }

    /// All organisations, active first, by name.
    public func all() async throws -> [Organisation] {
        try await db.query("SELECT \(Self.columns) FROM organisation o ORDER BY o.active DESC, o.name")
            .map(Self.decode)
    }

    /// The member organisations (employers), active first: every organisation but the
    /// partner schools.
    public func members() async throws -> [Organisation] {
        try await all().filter(\.isMember)
    }

    /// The active partner schools, by name.
    public func schools() async throws -> [Organisation] {
        try await all().filter { $0.kind == .school && $0.active }
    }

    public func find(id: Organisation.ID) async throws -> Organisation? {
        try await db.query("SELECT \(Self.columns) FROM organisation o WHERE o.id = \(id)").first.map(Self.decode)
    }

    public func find(slug: String) async throws -> Organisation? {
        try await db.query("SELECT \(Self.columns) FROM organisation o WHERE o.slug = \(slug)").first.map(Self.decode)
    }

    /// Adds an organisation; a taken slug or name comes back as a field error.
    public func create(_ new: NewOrganisation, by actor: Account.ID?) async throws -> Organisation {
        do {
            return try await db.transaction { tx in
                let organisation = try Self.decode(try await tx.query(
                    """
                    INSERT INTO organisation AS o (slug, name, kind, municipality_slug)
                    VALUES (\(new.slug), \(new.name), \(new.kind), \(new.municipality))
                    RETURNING \(Self.columns)
                    """
                )[0])
                try await AuditLine(.organisationCreate, by: actor, object: AuditObject("organisation", organisation.id)).write(on: tx)
                return organisation
            }
        } catch let error as PostgresError where error.isUniqueViolation {
            if error.constraint == Constraint.organisationSlugUnique {
                throw ValidationErrors(field: "slug", message: "Deze korte naam is al in gebruik.")
            }
            throw ValidationErrors(field: "name", message: "Er is al een organisatie met deze naam.")
        }
    }

    /// Switches an organisation on or off; returns it, or nil when it does not exist.
    public func setActive(_ id: Organisation.ID, _ active: Bool, by actor: Account.ID) async throws -> Organisation? {
        try await db.transaction { tx in
            guard let organisation = try await tx.query(
                "UPDATE organisation AS o SET active = \(active) WHERE o.id = \(id) RETURNING \(Self.columns)"
            ).first.map(Self.decode) else { return nil }
            try await AuditLine(active ? .organisationActivate : .organisationDeactivate, by: actor,
                                object: AuditObject("organisation", organisation.id)).write(on: tx)
            return organisation
        }
    }

    /// Sets an organisation's own site and logo; nil when it does not exist.
    public func setPresence(_ id: Organisation.ID, _ presence: OrganisationPresence, by actor: Account.ID) async throws -> Organisation? {
        try await db.audited({ tx in
            try await tx.query(
                "UPDATE organisation AS o SET website = \(presence.website), logo_url = \(presence.logoURL) WHERE o.id = \(id) RETURNING \(Self.columns)"
            ).first.map(Self.decode)
        }) { changed in changed.map { AuditLine(.organisationEdit, by: actor, object: AuditObject("organisation", $0.id)) } }
    }
}
