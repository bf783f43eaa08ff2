import Domain
import Foundation
import PQ

/// A demand as the board and the pool pages show it.
public struct DemandLine: Sendable, Hashable {
    public let id: ShiftDemand.ID
    public let organisationID: Organisation.ID
    public let organisationSlug: String
    public let organisationName: String
    public let areaSlug: String
    public let areaName: String
    /// Function code or discipline, and its name.
    public let qualification: String
    public let qualificationName: String
    public let shift: TimeWindow
    public let peopleNeeded: Int
    public let peopleConfirmed: Int
    public let priority: ShiftDemand.Priority
    public let note: String
    public let status: ShiftDemand.Status
    public let updatedAt: Date
    /// Where the shift is worked, when the coordinator named a location.
    public let location: LocationLine?

    public var open: Int { max(0, peopleNeeded - peopleConfirmed) }
}

extension FlexpoolStore {
    public enum DemandFailure: Error, Sendable, Equatable {
        /// Fewer people asked for than are already confirmed.
        case belowConfirmed(Int)
    }

    static let demandColumns: SQL = """
        d.id AS demand_id, o.id AS organisation_id, o.slug AS organisation_slug, o.name AS organisation_name,
        a.slug AS area_slug, a.name AS area_name, coalesce(d.function_code, d.discipline) AS qualification,
        coalesce(f.name, initcap(d.discipline)) AS qualification_name, lower(d.shift) AS shift_start, upper(d.shift) AS shift_end,
        d.people_needed, d.people_confirmed, d.priority, d.note, d.status AS demand_status, d.updated_at AS demand_updated_at,
        l.id AS location_id, l.name AS location_name, l.address AS location_address, l.contact AS location_contact,
        l.instructions AS location_instructions
        """

    static let demandFrom: SQL = """
        FROM shift_demand d JOIN organisation o ON o.id = d.organisation_id JOIN area a ON a.slug = d.area_slug
        LEFT JOIN job_function f ON f.code = d.function_code LEFT JOIN organisation_location l ON l.id = d.location_id
        """

    /// The demand in a row holding `demandColumns` (alone, or beside an assignment's).
    static func decodeDemand(_ row: Row) throws -> DemandLine {
        let qualification = try row.decode(column: "qualification", as: String.self)
        return try DemandLine(
            id: row.decode(column: "demand_id"), organisationID: row.decode(column: "organisation_id"),
            organisationSlug: row.decode(column: "organisation_slug"), organisationName: row.decode(column: "organisation_name"),
            areaSlug: row.decode(column: "area_slug"), areaName: row.decode(column: "area_name"), qualification: qualification,
            qualificationName: Discipline(rawValue: qualification)?.label ?? row.decode(column: "qualification_name"),
            shift: TimeWindow(start: row.decode(column: "shift_start"), end: row.decode(column: "shift_end")),
            peopleNeeded: row.decode(column: "people_needed"), peopleConfirmed: row.decode(column: "people_confirmed"),
            priority: ShiftDemand.Priority(rawValue: row.decode(column: "priority")) ?? .normal, note: row.decode(column: "note"),
            status: ShiftDemand.Status(rawValue: row.decode(column: "demand_status")) ?? .open,
            updatedAt: row.decode(column: "demand_updated_at"),
            location: row.decode(column: "location_id", as: UUID?.self).map { id in
                LocationLine(id: id, organisationID: try row.decode(column: "organisation_id"), organisationName: try row.decode(column: "organisation_name"),
                             name: try row.decode(column: "location_name"), address: try row.decode(column: "location_address"),
                             contact: try row.decode(column: "location_contact"), instructions: try row.decode(column: "location_instructions"))
            })
    }

    /// Stores demand, all or nothing (a CSV file is one transaction). Returns the new ids in order.
    @discardableResult
    public func post(_ demands: [ShiftDemand], by account: Account.ID, fromFile: Bool = false) async throws -> [ShiftDemand.ID] {
        guard !demands.isEmpty else { return [] }
        return try await pool.audited({ tx in
            try await tx.query(
                """
                INSERT INTO shift_demand (organisation_id, area_slug, function_code, discipline, shift, people_needed, priority, note, created_by, location_id)
                SELECT o.id, t.area, CASE WHEN t.q IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming') THEN NULL ELSE t.q END,
                       CASE WHEN t.q IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming') THEN t.q END,
                       tstzrange(t.s, t.e, '[)'), t.n, t.p, t.note, \(account), l.id
                FROM unnest(\(demands.map(\.organisationSlug))::text[], \(demands.map(\.areaSlug))::text[], \(demands.map(\.qualification))::text[],
                            \(demands.map(\.shift.start))::timestamptz[], \(demands.map(\.shift.end))::timestamptz[],
                            \(demands.map(\.peopleNeeded))::int8[], \(demands.map(\.priority.rawValue))::text[], \(demands.map(\.note))::text[],
                            \(demands.map { $0.location ?? "" })::text[])
                     WITH ORDINALITY AS t(org, area, q, s, e, n, p, note, loc, i)
                JOIN organisation o ON o.slug = t.org
                LEFT JOIN organisation_location l ON l.organisation_id = o.id AND l.name = t.loc
                ORDER BY t.i
                RETURNING id
                """
            ).decode(UUID.self)
        }) { ids in
            // A file of demand (however many lines), or demand typed in a form.
            fromFile || ids.count != 1
                ? AuditLine(.flexpoolDemandUpload, by: account, reason: "\(ids.count) diensten")
                : AuditLine(.flexpoolDemand, by: account, object: AuditObject("shift_demand", ids[0]))
        }
    }

    /// Open demand whose shift starts in `period`, of these organisations (all when nil), by start.
    public func demands(in period: TimeWindow, organisations: [Organisation.ID]?) async throws -> [DemandLine] {
        let scope: SQL = organisations.map { "AND d.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.query(
            """
            SELECT \(Self.demandColumns) \(Self.demandFrom)
            WHERE d.status = 'open' AND lower(d.shift) >= \(period.start) AND lower(d.shift) < \(period.end) \(scope)
            ORDER BY lower(d.shift), o.name, d.id
            """
        ).map(Self.decodeDemand)
    }

    public func demand(_ id: ShiftDemand.ID) async throws -> DemandLine? {
        try await pool.query("SELECT \(Self.demandColumns) \(Self.demandFrom) WHERE d.id = \(id)").first.map(Self.decodeDemand)
    }

    /// Changes a demand. A new time, place or qualification releases everyone on it
    /// (they are no longer known to fit); fewer people than confirmed is refused.
    /// Returns how many assignments were released.
    public func change(_ id: ShiftDemand.ID, to new: ShiftDemand, by actor: Account.ID) async throws -> Int {
        try await pool.transaction { tx in
            guard let current = try await tx.query(
                """
                SELECT lower(shift), upper(shift), area_slug, coalesce(function_code, discipline), people_confirmed
                FROM shift_demand WHERE id = \(id) AND status = 'open' FOR UPDATE
                """
            ).first?.decode((Date, Date, String, String, Int).self) else { return 0 }
            var released = 0
            let moved = current.0 != new.shift.start || current.1 != new.shift.end || current.2 != new.areaSlug || current.3 != new.qualification
            if moved {
                released = try await tx.query(
                    """
                    UPDATE shift_assignment SET status = 'released', decided_at = now()
                    WHERE demand_id = \(id) AND status IN ('proposed', 'confirmed')
                    """
                ).affectedRows
            } else if new.peopleNeeded < current.4 {
                throw DemandFailure.belowConfirmed(current.4)
            }
            let isDiscipline = Discipline(rawValue: new.qualification) != nil
            _ = try await tx.query(
                """
                UPDATE shift_demand SET area_slug = \(new.areaSlug),
                    function_code = \(isDiscipline ? nil : new.qualification), discipline = \(isDiscipline ? new.qualification : nil),
                    shift = tstzrange(\(new.shift.start), \(new.shift.end), '[)'), people_needed = \(new.peopleNeeded),
                    priority = \(new.priority.rawValue), note = \(new.note), updated_at = now(),
                    location_id = (SELECT l.id FROM organisation_location l WHERE l.organisation_id = shift_demand.organisation_id AND l.name = \(new.location))
                WHERE id = \(id)
                """
            )
            try await AuditLine(.flexpoolDemandChange, by: actor, object: AuditObject("shift_demand", id),
                                reason: released > 0 ? "\(released) toewijzingen vervallen" : nil).write(on: tx)
            return released
        }
    }

    /// Cancels a demand and releases everyone on it. Returns how many were released,
    /// or nil when there was no open demand.
    public func cancel(_ id: ShiftDemand.ID, by actor: Account.ID) async throws -> Int? {
        try await pool.transaction { tx in
            guard try await tx.query(
                "UPDATE shift_demand SET status = 'cancelled', updated_at = now() WHERE id = \(id) AND status = 'open'"
            ).affectedRows > 0 else { return nil }
            try await AuditLine(.flexpoolDemandCancel, by: actor, object: AuditObject("shift_demand", id)).write(on: tx)
            return try await tx.query(
                """
                UPDATE shift_assignment SET status = 'released', decided_at = now()
                WHERE demand_id = \(id) AND status IN ('proposed', 'confirmed')
                """
            ).affectedRows
        }
    }
}
