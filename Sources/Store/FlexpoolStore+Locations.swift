import Domain
import Foundation
import PQ

/// A place an organisation's shifts are worked: the address a pool member travels to,
/// whom to ask for, and what to know on arrival.
public struct LocationLine: Sendable, Hashable {
    public let id: UUID
    public let organisationID: Organisation.ID
    public let organisationName: String
    public let name: String
    public let address: String
    public let contact: String
    public let instructions: String
}

extension FlexpoolStore {
    /// The locations of these organisations (all when nil), by organisation and name.
    public func locations(organisations: [Organisation.ID]?) async throws -> [LocationLine] {
        let scope: SQL = organisations.map { "WHERE l.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.query(
            """
            SELECT l.id, o.id, o.name, l.name, l.address, l.contact, l.instructions
            FROM organisation_location l JOIN organisation o ON o.id = l.organisation_id \(scope)
            ORDER BY o.name, l.name
            """
        ).decode((UUID, UUID, String, String, String, String, String).self).map { id, organisationID, organisationName, name, address, contact, instructions in
            LocationLine(id: id, organisationID: organisationID, organisationName: organisationName, name: name, address: address,
                         contact: contact, instructions: instructions)
        }
    }

    /// Adds a location, or changes one (`id`) of the same organisation. The name is
    /// unique within the organisation.
    public func saveLocation(
        _ id: UUID?, organisation: Organisation.ID, name: String, address: String, contact: String, instructions: String, by actor: Account.ID
    ) async throws -> UUID? {
        do {
            return try await pool.audited({ tx -> UUID? in
                if let id {
                    return try await tx.query(
                        """
                        UPDATE organisation_location SET name = \(name), address = \(address), contact = \(contact), instructions = \(instructions)
                        WHERE id = \(id) AND organisation_id = \(organisation) RETURNING id
                        """
                    ).first(decoding: UUID.self)
                }
                return try await tx.query(
                    """
                    INSERT INTO organisation_location (organisation_id, name, address, contact, instructions)
                    VALUES (\(organisation), \(name), \(address), \(contact), \(instructions)) RETURNING id
                    """
                ).first(decoding: UUID.self)
            }) { saved in saved.map { AuditLine(.flexpoolLocation, by: actor, object: AuditObject("organisation_location", $0)) } }
        } catch let error as PostgresError where error.constraint == Constraint.organisationLocationOnce {
            throw ValidationErrors(field: "name", message: "Deze organisatie heeft al een locatie met deze naam.")
        }
    }
}
