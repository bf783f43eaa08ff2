import Domain
import Foundation
import PQ

/// A colleague one could rotate with: same function, another member organisation,
/// open to rotation and willing to be contacted about it.
public struct RotationCandidate: Sendable, Hashable {
    public let accountID: Account.ID
    public let name: String
    public let organisation: String
    public let functionCode: String
    public let functionName: String
    public let areas: [String]
    public let hoursPerWeek: Int?
}

/// A rotation as one of its two people, or an HR adviser, sees it.
public struct RotationLine: Sendable, Hashable {
    public let id: UUID
    public let status: RotationStatus
    public let functionName: String
    public let startsOn: Day
    public let endsOn: Day
    public let message: String
    public let proposerID: Account.ID
    public let proposerName: String
    public let proposerHome: String
    public let partnerID: Account.ID
    public let partnerName: String
    public let partnerHome: String
    /// Organisation ids whose HR adviser already approved.
    public let approvedBy: [Organisation.ID]
    public let proposerHomeID: Organisation.ID
    public let partnerHomeID: Organisation.ID
}

/// Job rotation: proposing, answering, withdrawing, and the approval of both HR
/// advisers, after which each person holds a temporary job at the other's organisation.
public struct RotationStore: Sendable {
    let pool: Pool

    public enum Failure: Error, Sendable, Equatable {
        /// The other person is not (or no longer) open to rotation with this one.
        case notACandidate
        /// The one proposing has no current job at a member organisation.
        case noCurrentJob
        /// Not in a state that allows this, or not this person's to do.
        case notAllowed
        /// One of the two already has an agreed rotation in that period.
        case overlaps
    }

    /// The colleagues `account` could rotate with, by name.
    public func candidates(for account: Account.ID, partner: Account.ID? = nil, on tx: (any Queryable)? = nil) async throws -> [RotationCandidate] {
        try await (tx ?? pool).query(
            """
            WITH me AS (
                SELECT e.organisation_id FROM employment e JOIN organisation o ON o.id = e.organisation_id
                WHERE e.account_id = \(account) AND e.ended_on IS NULL AND o.active
                ORDER BY e.started_on DESC LIMIT 1
            )
            SELECT DISTINCT ON (a.display_name, a.id) a.id, a.display_name, o.name, f.code, f.name,
                   coalesce((SELECT array_agg(r.name ORDER BY r.name) FROM professional_area pa JOIN area r ON r.slug = pa.area_slug
                             WHERE pa.account_id = a.id), '{}'),
                   p.hours_per_week
            FROM professional p
            JOIN account a ON a.id = p.account_id
            JOIN employment e ON e.account_id = p.account_id AND e.ended_on IS NULL
            JOIN organisation o ON o.id = e.organisation_id AND o.active
            JOIN professional_function theirs ON theirs.account_id = p.account_id
            JOIN professional_function mine ON mine.account_id = \(account) AND mine.function_code = theirs.function_code
            JOIN job_function f ON f.code = theirs.function_code
            WHERE p.account_id <> \(account) AND NOT a.disabled AND a.erased_at IS NULL
              AND 'rotation' = ANY(p.interests)
              AND EXISTS (SELECT FROM consent c WHERE c.account_id = p.account_id AND c.purpose = 'contact_mobility' AND c.withdrawn_at IS NULL)
              AND e.organisation_id <> ALL(ARRAY(SELECT organisation_id FROM me))
              AND EXISTS (SELECT FROM me)
              AND (\(partner)::uuid IS NULL OR p.account_id = \(partner)::uuid)
            ORDER BY a.display_name, a.id, f.name
            """
        ).decode((UUID, String, String, String, String, [String], Int?).self).map { accountID, name, organisation, functionCode, functionName, areas, hoursPerWeek in
            RotationCandidate(accountID: accountID, name: name, organisation: organisation, functionCode: functionCode, functionName: functionName, areas: areas, hoursPerWeek: hoursPerWeek)
        }
    }

    /// `proposer` proposes a rotation with `partner`, who hears of it.
    public func propose(by proposer: Account.ID, with partner: Account.ID, _ proposal: RotationProposal) async throws -> UUID {
        try await pool.transaction { tx in
            guard let candidate = try await candidates(for: proposer, partner: partner, on: tx).first else { throw Failure.notACandidate }
            guard
                let (proposerHome, proposerName, proposerOrganisation) = try await tx.query(
                    """
                    SELECT e.organisation_id, a.display_name, o.name FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    JOIN account a ON a.id = e.account_id
                    WHERE e.account_id = \(proposer) AND e.ended_on IS NULL AND o.active ORDER BY e.started_on DESC LIMIT 1
                    """
                ).first(decoding: (UUID, String, String).self),
                let partnerHome = try await tx.query(
                    """
                    SELECT e.organisation_id FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.account_id = \(partner) AND e.ended_on IS NULL AND o.active AND o.id <> \(proposerHome)
                    ORDER BY e.started_on DESC LIMIT 1
                    """
                ).first(decoding: UUID.self)
            else { throw Failure.noCurrentJob }
            let id = try await tx.query(
                """
                INSERT INTO rotation (function_code, starts_on, ends_on, message)
                VALUES (\(candidate.functionCode), \(proposal.startsOn), \(proposal.endsOn), \(proposal.message)) RETURNING id
                """
            ).first(decoding: UUID.self)!
            _ = try await tx.query(
                """
                INSERT INTO rotation_party (rotation_id, party, account_id, home_organisation_id, host_organisation_id, period)
                VALUES (\(id), 'proposer', \(proposer), \(proposerHome), \(partnerHome), daterange(\(proposal.startsOn), \(proposal.endsOn), '[]')),
                       (\(id), 'partner', \(partner), \(partnerHome), \(proposerHome), daterange(\(proposal.startsOn), \(proposal.endsOn), '[]'))
                """
            )
            try await NotificationStore.add(
                .rotationProposed(by: proposerName, organisation: proposerOrganisation, function: candidate.functionName,
                                  from: proposal.startsOn, until: proposal.endsOn),
                for: partner, on: tx)
            return id
        }
    }

    static let lineColumns: SQL = """
        r.id, r.status, f.name, r.starts_on, r.ends_on, r.message,
        pa.account_id, pacc.display_name, ph.name, pb.account_id, pbcc.display_name, bh.name,
        array_remove(ARRAY[CASE WHEN pa.approved_at IS NOT NULL THEN pa.home_organisation_id END,
                           CASE WHEN pb.approved_at IS NOT NULL THEN pb.home_organisation_id END], NULL),
        pa.home_organisation_id, pb.home_organisation_id
        """

    static let lineJoins: SQL = """
        rotation r JOIN job_function f ON f.code = r.function_code
        JOIN rotation_party pa ON pa.rotation_id = r.id AND pa.party = 'proposer'
        JOIN rotation_party pb ON pb.rotation_id = r.id AND pb.party = 'partner'
        JOIN account pacc ON pacc.id = pa.account_id JOIN account pbcc ON pbcc.id = pb.account_id
        JOIN organisation ph ON ph.id = pa.home_organisation_id JOIN organisation bh ON bh.id = pb.home_organisation_id
        """

    static func decodeLines(_ result: QueryResult) throws -> [RotationLine] {
        try result.decode((UUID, String, String, Day, Day, String, UUID, String, String, UUID, String, String, [UUID], UUID, UUID).self).map { id, status, functionName, startsOn, endsOn, message, proposerID, proposerName, proposerHome, partnerID, partnerName, partnerHome, approvedBy, proposerHomeID, partnerHomeID in
            RotationLine(id: id, status: RotationStatus(rawValue: status) ?? .proposed, functionName: functionName, startsOn: startsOn, endsOn: endsOn,
                         message: message, proposerID: proposerID, proposerName: proposerName, proposerHome: proposerHome, partnerID: partnerID, partnerName: partnerName,
                         partnerHome: partnerHome, approvedBy: approvedBy, proposerHomeID: proposerHomeID, partnerHomeID: partnerHomeID)
        }
    }

    /// The rotations `account` takes part in, newest first.
    public func mine(_ account: Account.ID) async throws -> [RotationLine] {
        try Self.decodeLines(try await pool.query(
            """
            SELECT \(Self.lineColumns) FROM \(Self.lineJoins)
            WHERE pa.account_id = \(account) OR pb.account_id = \(account)
            ORDER BY r.created_at DESC, r.id
            """))
    }

    /// The rotations of people who work at one of `organisations` (or the one with `id`), open ones first.
    public func forHR(_ organisations: [Organisation.ID], id: UUID? = nil) async throws -> [RotationLine] {
        try Self.decodeLines(try await pool.query(
            """
            SELECT \(Self.lineColumns) FROM \(Self.lineJoins)
            WHERE (pa.home_organisation_id = ANY(\(organisations)::uuid[]) OR pb.home_organisation_id = ANY(\(organisations)::uuid[]))
              AND r.status IN ('agreed', 'approved', 'rejected')
              AND (\(id)::uuid IS NULL OR r.id = \(id)::uuid)
            ORDER BY r.status = 'agreed' DESC, r.starts_on DESC, r.id
            LIMIT 200
            """))
    }

    /// The partner agrees or declines; agreeing holds both people's time (the database
    /// refuses an overlap with another agreed rotation) and asks both HR advisers.
    public func answer(_ rotation: UUID, by partner: Account.ID, agree: Bool) async throws {
        do {
            try await pool.transaction { tx in
                guard let (proposer, partnerName, startsOn, endsOn) = try await tx.query(
                    """
                    UPDATE rotation r SET status = \(agree ? "agreed" : "declined"), decided_at = CASE WHEN \(agree) THEN NULL ELSE now() END
                    FROM rotation_party pb, rotation_party pa, account b
                    WHERE r.id = \(rotation) AND r.status = 'proposed'
                      AND pb.rotation_id = r.id AND pb.party = 'partner' AND pb.account_id = \(partner)
                      AND pa.rotation_id = r.id AND pa.party = 'proposer' AND b.id = pb.account_id
                    RETURNING pa.account_id, b.display_name, r.starts_on, r.ends_on
                    """
                ).first(decoding: (UUID, String, Day, Day).self) else { throw Failure.notAllowed }
                try await NotificationStore.add(.rotationAnswered(by: partnerName, agreed: agree), for: proposer, on: tx)
                guard agree else { return }
                _ = try await tx.query("UPDATE rotation_party SET binding = true WHERE rotation_id = \(rotation)")
                let proposerName = try await tx.query("SELECT display_name FROM account WHERE id = \(proposer)").first(decoding: String.self) ?? ""
                let advisers = try await tx.query(
                    """
                    SELECT DISTINCT g.account_id FROM role_grant g JOIN rotation_party p ON p.home_organisation_id = g.organisation_id
                    JOIN account a ON a.id = g.account_id
                    WHERE p.rotation_id = \(rotation) AND g.role = 'hr_adviser' AND NOT a.disabled
                    """
                ).decode(UUID.self)
                for adviser in advisers {
                    try await NotificationStore.add(.rotationToApprove(proposerName, partnerName, from: startsOn, until: endsOn), for: adviser, on: tx)
                }
            }
        } catch let error as PostgresError where error.constraint == Constraint.rotationPartyOneAtATime {
            throw Failure.overlaps
        }
    }

    /// The proposer withdraws, before the HR advisers approved.
    public func withdraw(_ rotation: UUID, by proposer: Account.ID) async throws {
        try await pool.transaction { tx in
            guard !(try await tx.query(
                """
                UPDATE rotation r SET status = 'withdrawn', decided_at = now()
                FROM rotation_party pa
                WHERE r.id = \(rotation) AND r.status IN ('proposed', 'agreed')
                  AND pa.rotation_id = r.id AND pa.party = 'proposer' AND pa.account_id = \(proposer)
                RETURNING r.id
                """
            ).isEmpty) else { throw Failure.notAllowed }
            _ = try await tx.query("UPDATE rotation_party SET binding = false WHERE rotation_id = \(rotation)")
        }
    }

    /// The HR adviser of `organisation` approves (or rejects) for the person who works
    /// there. When both approved, each holds a job at the other organisation for the
    /// period (a temporary move in their employment history) and both are told.
    /// Returns the rotation's status after.
    @discardableResult
    public func decide(_ rotation: UUID, organisation: Organisation.ID, by adviser: Account.ID, approve: Bool) async throws -> RotationStatus {
        do {
            return try await decideInTransaction(rotation, organisation: organisation, by: adviser, approve: approve)
        } catch let error as PostgresError where error.constraint == Constraint.employmentNoOverlap {
            // One of the two already had a job at the other organisation in that period.
            throw Failure.overlaps
        }
    }

    private func decideInTransaction(_ rotation: UUID, organisation: Organisation.ID, by adviser: Account.ID, approve: Bool) async throws -> RotationStatus {
        try await pool.transaction { tx in
            guard let (startsOn, endsOn, function) = try await tx.query(
                "SELECT starts_on, ends_on, function_code FROM rotation WHERE id = \(rotation) AND status = 'agreed' FOR UPDATE"
            ).first(decoding: (Day, Day, String).self) else { throw Failure.notAllowed }
            let parties = try await tx.query(
                """
                UPDATE rotation_party SET approved_by = \(adviser), approved_at = now()
                WHERE rotation_id = \(rotation) AND home_organisation_id = \(organisation) AND approved_at IS NULL
                RETURNING account_id
                """
            ).decode(UUID.self)
            guard !parties.isEmpty else { throw Failure.notAllowed }
            let people = try await tx.query("SELECT account_id FROM rotation_party WHERE rotation_id = \(rotation)").decode(UUID.self)
            try await AuditLine(approve ? .rotationApprove : .rotationReject, by: adviser, object: AuditObject("rotation", rotation)).write(on: tx)
            if !approve {
                _ = try await tx.query("UPDATE rotation SET status = 'rejected', decided_at = now() WHERE id = \(rotation)")
                _ = try await tx.query("UPDATE rotation_party SET binding = false WHERE rotation_id = \(rotation)")
                for person in people {
                    try await NotificationStore.add(.rotationDecided(approved: false, from: startsOn, until: endsOn), for: person, on: tx)
                }
                return .rejected
            }
            let waiting = try await tx.query(
                "SELECT count(*)::int FROM rotation_party WHERE rotation_id = \(rotation) AND approved_at IS NULL"
            ).first(decoding: Int.self) ?? 0
            guard waiting == 0 else { return .agreed }
            _ = try await tx.query("UPDATE rotation SET status = 'approved', decided_at = now() WHERE id = \(rotation)")
            // The temporary move: a job at the host organisation for the period.
            _ = try await tx.query(
                """
                INSERT INTO employment (account_id, organisation_id, function_code, started_on, ended_on)
                SELECT account_id, host_organisation_id, \(function), \(startsOn), \(endsOn) FROM rotation_party WHERE rotation_id = \(rotation)
                """
            )
            for person in people {
                try await NotificationStore.add(.rotationDecided(approved: true, from: startsOn, until: endsOn), for: person, on: tx)
            }
            return .approved
        }
    }
}
