import Domain
import Foundation
import Matching
import PQ

/// A person's credentials as the matching's rules read them (docs/matching-format.md).
struct HeldCredentials: Sendable {
    var vogIssued: Date?
    var registrations: [PoolPerson.Registration] = []
    var inductions: [PoolPerson.Induction] = []

    func applied(to person: PoolPerson) -> PoolPerson {
        var person = person
        person.vogIssued = vogIssued
        person.registrations = registrations
        person.inductions = inductions
        return person
    }
}

/// What a demand asks for, from the view `shift_demand_credentials`.
struct AskedCredentials: Sendable {
    var vogIssuedSince: Date?
    var register: String?
    var inductionLocation: UUID?

    func applied(to demand: Demand) -> Demand {
        var demand = demand
        demand.vogIssuedSince = vogIssuedSince
        demand.register = register
        demand.inductionLocation = inductionLocation?.lowercased
        return demand
    }
}

extension FlexpoolStore {
    /// The VOG, registrations and inductions of these accounts, as moments in Amsterdam
    /// time (a day's 00:00): what `Rules.credentials` compares a shift's start with.
    func heldCredentials(of accounts: [UUID], on db: any Queryable) async throws -> [UUID: HeldCredentials] {
        var held: [UUID: HeldCredentials] = [:]
        guard !accounts.isEmpty else { return held }
        for (account, issued) in try await db.query(
            """
            SELECT account_id, vog_issued_on::timestamp AT TIME ZONE 'Europe/Amsterdam' FROM professional
            WHERE account_id = ANY(\(accounts)::uuid[]) AND vog_issued_on IS NOT NULL
            """
        ).decode((UUID, Date).self) {
            held[account, default: HeldCredentials()].vogIssued = issued
        }
        for (account, register, from, until) in try await db.query(
            """
            SELECT account_id, register, registered_on::timestamp AT TIME ZONE 'Europe/Amsterdam',
                   expires_on::timestamp AT TIME ZONE 'Europe/Amsterdam'
            FROM registration WHERE account_id = ANY(\(accounts)::uuid[]) ORDER BY account_id, register
            """
        ).decode((UUID, String, Date, Date?).self) {
            held[account, default: HeldCredentials()].registrations.append(PoolPerson.Registration(register: register, from: from, until: until))
        }
        for (account, location, since) in try await db.query(
            """
            SELECT account_id, location_id, min(since) FROM pool_induction_held
            WHERE account_id = ANY(\(accounts)::uuid[]) GROUP BY 1, 2 ORDER BY 1, 2
            """
        ).decode((UUID, UUID, Date).self) {
            held[account, default: HeldCredentials()].inductions.append(PoolPerson.Induction(location: location.lowercased, since: since))
        }
        return held
    }

    /// What these demands ask for: the oldest VOG their organisation accepts on the day,
    /// the register of their function, the location when it needs an induction.
    func askedCredentials(of demands: [UUID], on db: any Queryable) async throws -> [UUID: AskedCredentials] {
        guard !demands.isEmpty else { return [:] }
        var asked: [UUID: AskedCredentials] = [:]
        for (demand, since, register, location) in try await db.query(
            """
            SELECT demand_id, vog_issued_since, register, induction_location FROM shift_demand_credentials
            WHERE demand_id = ANY(\(demands)::uuid[])
            """
        ).decode((UUID, Date, String?, UUID?).self) {
            asked[demand] = AskedCredentials(vogIssuedSince: since, register: register, inductionLocation: location)
        }
        return asked
    }
}

/// A location that needs an induction, with who was shown around there.
public struct InductionLocation: Sendable, Hashable {
    public struct Inducted: Sendable, Hashable {
        public let accountID: Account.ID
        public let name: String
        /// From when it counts: the day recorded, or the end of the induction shift.
        public let since: Date
        /// Planned as an induction shift (rather than recorded).
        public let byShift: Bool
    }

    public let location: LocationLine
    public let needsInduction: Bool
    public let inducted: [Inducted]
}

extension FlexpoolStore {
    /// The locations of these organisations (all when nil), each with whether it needs
    /// an induction and who holds one (from a record or a confirmed induction shift).
    public func inductions(organisations: [Organisation.ID]?) async throws -> [InductionLocation] {
        let locations = try await self.locations(organisations: organisations)
        let ids = locations.map(\.id)
        let needs = Set(try await pool.query(
            "SELECT id FROM organisation_location WHERE id = ANY(\(ids)::uuid[]) AND needs_induction"
        ).decode(UUID.self))
        var inducted: [UUID: [InductionLocation.Inducted]] = [:]
        for (location, account, name, since, byShift) in try await pool.query(
            """
            SELECT h.location_id, h.account_id, a.display_name, min(h.since), bool_and(NOT EXISTS (
                       SELECT FROM pool_induction r WHERE r.account_id = h.account_id AND r.location_id = h.location_id))
            FROM pool_induction_held h JOIN account a ON a.id = h.account_id
            WHERE h.location_id = ANY(\(ids)::uuid[])
            GROUP BY 1, 2, 3 ORDER BY 3, 2
            """
        ).decode((UUID, UUID, String, Date, Bool).self) {
            inducted[location, default: []].append(.init(accountID: account, name: name, since: since, byShift: byShift))
        }
        return locations.map { InductionLocation(location: $0, needsInduction: needs.contains($0.id), inducted: inducted[$0.id] ?? []) }
    }

    /// Says whether nobody from the pool works at a location before an induction. Nil
    /// when the location is not of these organisations.
    public func setNeedsInduction(_ location: UUID, _ needs: Bool, organisations: [Organisation.ID]?, by actor: Account.ID) async throws -> Bool {
        let scope: SQL = organisations.map { "AND organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            try await tx.query(
                "UPDATE organisation_location SET needs_induction = \(needs) WHERE id = \(location) \(scope) RETURNING id"
            ).first != nil
        }) { changed in changed ? AuditLine(.flexpoolLocation, by: actor, object: AuditObject("organisation_location", location), reason: needs ? "inwerken nodig" : "geen inwerken") : nil }
    }

    /// Records that someone showed a pool member around a location on `day` (a second
    /// record replaces the first). False when the location is not of these
    /// organisations or the person is not in the pool.
    public func recordInduction(_ account: Account.ID, at location: UUID, on day: Day, organisations: [Organisation.ID]?, by actor: Account.ID) async throws -> Bool {
        let scope: SQL = organisations.map { "AND l.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            try await tx.query(
                """
                INSERT INTO pool_induction (account_id, location_id, inducted_on, recorded_by)
                SELECT m.account_id, l.id, \(day), \(actor) FROM pool_member m, organisation_location l
                WHERE m.account_id = \(account) AND l.id = \(location) \(scope)
                ON CONFLICT (account_id, location_id) DO UPDATE SET inducted_on = excluded.inducted_on, recorded_by = excluded.recorded_by,
                    recorded_at = now()
                RETURNING account_id
                """
            ).first != nil
        }) { done in done ? AuditLine(.flexpoolInduction, by: actor, about: account, object: AuditObject("organisation_location", location)) : nil }
    }

    /// Plans an induction shift: a demand of its own kind at the location, with the
    /// person on it at once (confirmed, by hand, under every rule but the induction
    /// itself); it counts as their induction there from its end.
    public func planInduction(
        _ account: Account.ID, at location: UUID, area: String, shift: TimeWindow, organisations: [Organisation.ID]?, by coordinator: Account.ID, now: Date = Date()
    ) async throws -> ShiftDemand.ID {
        let scope: SQL = organisations.map { "AND l.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await guarded {
            try await pool.transaction { tx in
                guard let (demand, _) = try await tx.query(
                    """
                    INSERT INTO shift_demand (organisation_id, area_slug, function_code, discipline, shift, people_needed, priority, note,
                                              created_by, location_id, kind)
                    SELECT l.organisation_id, \(area), q.function_code, q.discipline, tstzrange(\(shift.start), \(shift.end), '[)'), 1, 'normal',
                           'Inwerkdienst', \(coordinator), l.id, 'induction'
                    FROM organisation_location l,
                         LATERAL (SELECT function_code, NULL::text AS discipline FROM pool_member_function WHERE account_id = \(account)
                                  UNION ALL SELECT NULL, discipline FROM pool_member_discipline WHERE account_id = \(account)
                                  ORDER BY 1 NULLS LAST, 2 LIMIT 1) q
                    WHERE l.id = \(location) \(scope)
                    RETURNING id, 1
                    """
                ).first?.decode((UUID, Int).self) else { throw ShiftFailure.notFound }
                try await AuditLine(.flexpoolDemand, by: coordinator, object: AuditObject("shift_demand", demand), reason: "inwerkdienst").write(on: tx)
                _ = try await assign(demand, to: account, by: coordinator, now: now, on: tx)
                return demand
            }
        }
    }
}
