import Domain
import Foundation
import PQ

/// Someone who asked to join an intervision group.
public struct IntervisionRequestLine: Sendable, Hashable {
    public let id: UUID
    public let accountID: Account.ID
    public let name: String
    public let organisationID: Organisation.ID?
    public let organisationName: String?
    public let discipline: Discipline
    public let availability: String
    public let createdAt: Date
}

/// An intervision group with its members and sessions.
public struct IntervisionGroupLine: Sendable, Hashable {
    public struct Member: Sendable, Hashable { public let accountID: Account.ID; public let name: String; public let organisation: String; public let discipline: Discipline }
    public struct Session: Sendable, Hashable {
        public let id: UUID
        public let during: TimeWindow
        public let place: String
        /// Who the facilitator confirmed as present.
        public let attended: Set<Account.ID>
    }
    public let id: UUID
    public let name: String
    public let theme: String?
    public let facilitatorID: Account.ID
    public let facilitatorName: String
    public let members: [Member]
    public let sessions: [Session]
}

extension LearningNetworkStore {
    public enum IntervisionFailure: Error, Sendable, Equatable {
        case composition
        case alreadyAsked
        case notFound
        /// The facilitator confirms attendance only once a session has begun.
        case notYet
    }

    /// A professional asks to join a group.
    public func askToJoin(_ account: Account.ID, discipline: Discipline, availability: String) async throws {
        do {
            _ = try await pool.query(
                "INSERT INTO intervision_request (account_id, discipline, availability) VALUES (\(account), \(discipline.rawValue), \(availability))")
        } catch let error as PostgresError where error.constraint == Constraint.intervisionRequestOpenOnce {
            throw IntervisionFailure.alreadyAsked
        }
    }

    /// The requests not yet placed, oldest first.
    public func openRequests() async throws -> [IntervisionRequestLine] {
        try await pool.query(
            """
            SELECT r.id, r.account_id, a.display_name, e.organisation_id, o.name, r.discipline, r.availability, r.created_at
            FROM intervision_request r JOIN account a ON a.id = r.account_id
            LEFT JOIN LATERAL (SELECT organisation_id FROM employment WHERE account_id = r.account_id
                               AND (ended_on IS NULL OR ended_on >= current_date) ORDER BY started_on DESC LIMIT 1) e ON true
            LEFT JOIN organisation o ON o.id = e.organisation_id
            WHERE r.handled_at IS NULL ORDER BY r.created_at, r.id
            """
        ).decode((UUID, UUID, String, UUID?, String?, String, String, Date).self).map {
            IntervisionRequestLine(id: $0, accountID: $1, name: $2, organisationID: $3, organisationName: $4,
                                   discipline: Discipline(rawValue: $5) ?? .jeugdhulp, availability: $6, createdAt: $7)
        }
    }

    /// Forms a group of these requests' people; the database holds the composition rule
    /// at commit. Returns the group.
    public func formGroup(name: String, theme: String?, facilitator: Account.ID, requests: [UUID], by actor: Account.ID) async throws -> UUID {
        do {
            return try await pool.audited({ tx in
                let group = try await tx.query(
                    "INSERT INTO intervision_group (name, theme, facilitator_id, created_by) VALUES (\(name), \(theme), \(facilitator), \(actor)) RETURNING id"
                ).first(decoding: UUID.self)!
                let placed = try await tx.query(
                    """
                    INSERT INTO intervision_member (group_id, account_id, organisation_id, discipline)
                    SELECT \(group), r.account_id,
                           (SELECT organisation_id FROM employment WHERE account_id = r.account_id AND (ended_on IS NULL OR ended_on >= current_date)
                            ORDER BY started_on DESC LIMIT 1),
                           r.discipline
                    FROM intervision_request r WHERE r.id = ANY(\(requests)::uuid[]) AND r.handled_at IS NULL
                      AND EXISTS (SELECT FROM employment WHERE account_id = r.account_id AND (ended_on IS NULL OR ended_on >= current_date))
                    RETURNING account_id
                    """
                ).decode(UUID.self)
                guard placed.count == requests.count else { throw IntervisionFailure.composition }
                _ = try await tx.query("UPDATE intervision_request SET handled_at = now() WHERE id = ANY(\(requests)::uuid[])")
                // The rule is checked at commit; check it now, so the failure is ours to name.
                _ = try await tx.query("SET CONSTRAINTS intervision_group_composition, intervision_group_members IMMEDIATE")
                return group
            }) { group in AuditLine(.intervisionGroup, by: actor, object: AuditObject("intervision_group", group)) }
        } catch let error as PostgresError where error.constraint == Constraint.intervisionGroupComposition {
            throw IntervisionFailure.composition
        }
    }

    /// Groups: all (for coordinators and HR advisers), or the ones a person is in or facilitates.
    public func groups(of account: Account.ID? = nil) async throws -> [IntervisionGroupLine] {
        let filter: SQL = account.map {
            "WHERE g.facilitator_id = \($0) OR EXISTS (SELECT FROM intervision_member m WHERE m.group_id = g.id AND m.account_id = \($0))"
        } ?? ""
        let groups = try await pool.query(
            "SELECT g.id, g.name, g.theme, g.facilitator_id, f.display_name FROM intervision_group g JOIN account f ON f.id = g.facilitator_id \(filter) ORDER BY g.created_at, g.id"
        ).decode((UUID, String, String?, UUID, String).self)
        let ids = groups.map(\.0)
        var members: [UUID: [IntervisionGroupLine.Member]] = [:]
        for (group, account, name, organisation, discipline) in try await pool.query(
            """
            SELECT m.group_id, m.account_id, a.display_name, o.name, m.discipline FROM intervision_member m
            JOIN account a ON a.id = m.account_id JOIN organisation o ON o.id = m.organisation_id
            WHERE m.group_id = ANY(\(ids)::uuid[]) ORDER BY a.display_name, m.account_id
            """
        ).decode((UUID, UUID, String, String, String).self) {
            members[group, default: []].append(.init(accountID: account, name: name, organisation: organisation, discipline: Discipline(rawValue: discipline) ?? .jeugdhulp))
        }
        var attended: [UUID: Set<UUID>] = [:]
        for (session, account) in try await pool.query(
            """
            SELECT t.session_id, t.account_id FROM intervision_attendance t JOIN intervision_session s ON s.id = t.session_id
            WHERE s.group_id = ANY(\(ids)::uuid[])
            """
        ).decode((UUID, UUID).self) {
            attended[session, default: []].insert(account)
        }
        var sessions: [UUID: [IntervisionGroupLine.Session]] = [:]
        for (id, group, start, end, place) in try await pool.query(
            "SELECT id, group_id, lower(during), upper(during), place FROM intervision_session WHERE group_id = ANY(\(ids)::uuid[]) ORDER BY lower(during), id"
        ).decode((UUID, UUID, Date, Date, String).self) {
            sessions[group, default: []].append(.init(id: id, during: TimeWindow(start: start, end: end), place: place, attended: attended[id] ?? []))
        }
        return groups.map { id, name, theme, facilitator, facilitatorName in
            IntervisionGroupLine(id: id, name: name, theme: theme, facilitatorID: facilitator, facilitatorName: facilitatorName,
                                 members: members[id] ?? [], sessions: sessions[id] ?? [])
        }
    }

    public func groupExists(_ id: UUID) async throws -> Bool {
        try await pool.query("SELECT 1 FROM intervision_group WHERE id = \(id)").first != nil
    }

    /// Plans a session of a group.
    public func addSession(group: UUID, during: TimeWindow, place: String) async throws -> Bool {
        try await pool.query(
            """
            INSERT INTO intervision_session (group_id, during, place)
            SELECT id, tstzrange(\(during.start), \(during.end), '[)'), \(place) FROM intervision_group WHERE id = \(group) RETURNING id
            """
        ).first != nil
    }

    /// The facilitator confirms who was present at a session that has begun: each
    /// member once (confirming again adds nothing), and only members.
    public func confirmAttendance(session: UUID, present: [Account.ID], by facilitator: Account.ID, now: Date = Date()) async throws {
        try await pool.transaction { tx in
            guard let start = try await tx.query(
                """
                SELECT lower(s.during) FROM intervision_session s JOIN intervision_group g ON g.id = s.group_id
                WHERE s.id = \(session) AND g.facilitator_id = \(facilitator)
                """
            ).first(decoding: Date.self) else { throw IntervisionFailure.notFound }
            guard start <= now else { throw IntervisionFailure.notYet }
            _ = try await tx.query(
                """
                INSERT INTO intervision_attendance (session_id, account_id, confirmed_by)
                SELECT \(session), m.account_id, \(facilitator) FROM intervision_member m JOIN intervision_session s ON s.group_id = m.group_id
                WHERE s.id = \(session) AND m.account_id = ANY(\(present)::uuid[])
                ON CONFLICT DO NOTHING
                """)
        }
    }
}
