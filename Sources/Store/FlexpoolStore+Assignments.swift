import Domain
import Foundation
import Matching
import PQ

/// One person on one demand, as the board shows it.
public struct AssignmentLine: Sendable, Hashable {
    public let id: UUID
    public let demandID: ShiftDemand.ID
    public let accountID: Account.ID
    public let personName: String
    public let status: AssignmentStatus
    public let claimed: Bool
    public let decidedAt: Date?
    /// Assigned by a coordinator's hand.
    public let byHand: Bool
    /// A matching run keeps it as it is.
    public let pinned: Bool
}

/// One of a member's shifts, with its demand.
public struct ShiftLine: Sendable, Hashable {
    public let assignmentID: UUID
    public let status: AssignmentStatus
    public let demand: DemandLine
}

extension FlexpoolStore {
    /// Why a shift could not be taken, confirmed or claimed.
    public enum ShiftFailure: Error, Sendable, Equatable {
        case notFound
        case notInPool
        /// Cancelled, or already begun.
        case notOpen
        /// Every place is taken.
        case full
        case alreadyOnIt
        case rule(Rules.Break)
        /// The coordinator ruled this person out for this demand.
        case ruledOut
    }

    // MARK: Claiming, accepting, confirming

    /// A member claims an open shift: first come, first served, every hard rule
    /// checked under a lock on the member and the demand, and the database's own
    /// constraints behind that. An existing proposal of the same shift becomes the claim.
    @discardableResult
    public func claim(_ demand: ShiftDemand.ID, by account: Account.ID, now: Date = Date()) async throws -> UUID {
        try await guarded {
            try await pool.transaction { tx in
                try await lockAndCheck(account, demand, now: now, on: tx)
                let id = try await Self.confirmPlace(demand, for: account, source: "claim", by: account, on: tx)
                try await AuditLine(.flexpoolClaim, by: account, about: account, object: AuditObject("shift_demand", demand)).write(on: tx)
                return id
            }
        }
    }

    /// Confirms a proposal: by the coordinator (`by` is theirs), or by the member
    /// accepting it (`member` set to them, so nobody accepts another's).
    public func confirm(_ assignment: UUID, by actor: Account.ID, member: Account.ID? = nil, organisations: [Organisation.ID]? = nil, now: Date = Date()) async throws {
        try await guarded {
            try await pool.transaction { tx in
                let scope: SQL = organisations.map { "AND d.organisation_id = ANY(\($0)::uuid[])" } ?? ""
                guard let (account, demand) = try await tx.query(
                    """
                    SELECT sa.account_id, sa.demand_id FROM shift_assignment sa JOIN shift_demand d ON d.id = sa.demand_id
                    WHERE sa.id = \(assignment) AND sa.status = 'proposed' \(scope)
                    """
                ).first?.decode((UUID, UUID).self), member == nil || member == account else { throw ShiftFailure.notFound }
                try await lockAndCheck(account, demand, now: now, excluding: assignment, on: tx)
                guard try await tx.query(
                    """
                    UPDATE shift_assignment SET status = 'confirmed', decided_at = now(), decided_by = \(actor)
                    WHERE id = \(assignment) AND status = 'proposed'
                    """
                ).affectedRows == 1 else { throw ShiftFailure.notFound }
                // The member accepting their own proposal, or the coordinator confirming it.
                try await AuditLine(member == nil ? .flexpoolConfirm : .flexpoolAccept, by: actor, about: account,
                                    object: AuditObject("shift_assignment", assignment)).write(on: tx)
            }
        }
    }

    /// The member says no to a proposed or confirmed shift still to come: the gap opens again.
    /// A member declines a proposal or gives back a confirmed shift. With a `reason`
    /// (a confirmed shift given back within 48 hours of its start), the coordinators of
    /// its organisation and the region's hear it at once, in the same transaction.
    public func decline(_ assignment: UUID, by account: Account.ID, reason: String? = nil, now: Date = Date()) async throws -> Bool {
        try await pool.audited({ tx in
            guard let (wasConfirmed, start, end, organisationID, organisation, member) = try await tx.query(
                """
                WITH changed AS (
                    UPDATE shift_assignment sa SET status = 'declined', decided_at = now(), decided_by = \(account)
                    FROM shift_assignment before
                    WHERE sa.id = \(assignment) AND before.id = sa.id AND sa.account_id = \(account)
                      AND sa.status IN ('proposed', 'confirmed') AND lower(sa.shift) > \(now)
                    RETURNING before.status = 'confirmed' AS was_confirmed, sa.shift, sa.demand_id
                )
                SELECT c.was_confirmed, lower(c.shift), upper(c.shift), d.organisation_id, o.name, a.display_name
                FROM changed c JOIN shift_demand d ON d.id = c.demand_id JOIN organisation o ON o.id = d.organisation_id
                JOIN account a ON a.id = \(account)
                """
            ).first(decoding: (Bool, Date, Date, UUID, String, String).self) else { return false }
            let shift = TimeWindow(start: start, end: end)
            if let reason, wasConfirmed {
                let coordinators = try await tx.query(
                    """
                    SELECT DISTINCT account_id FROM role_grant
                    WHERE role = 'coordinator' AND (organisation_id IS NULL OR organisation_id = \(organisationID))
                    """
                ).decode(UUID.self)
                let message = AccountNotification.shiftReturned(member: member, shift: shift, organisation: organisation, reason: reason)
                for coordinator in coordinators {
                    try await NotificationStore.add(message, for: coordinator, on: tx)
                }
            }
            return true
        }) { declined in
            declined ? AuditLine(.flexpoolDecline, by: account, about: account, object: AuditObject("shift_assignment", assignment), reason: reason) : nil
        }
    }

    /// The coordinator takes back a proposal or a confirmation.
    public func undo(_ assignment: UUID, by actor: Account.ID, organisations: [Organisation.ID]?) async throws -> Bool {
        let scope: SQL = organisations.map { "AND d.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            try await tx.query(
                """
                UPDATE shift_assignment sa SET status = 'undone', decided_at = now(), decided_by = \(actor)
                FROM shift_demand d
                WHERE sa.id = \(assignment) AND d.id = sa.demand_id AND sa.status IN ('proposed', 'confirmed') \(scope)
                """
            ).affectedRows == 1
        }) { undone in
            undone ? AuditLine(.flexpoolUndo, by: actor, object: AuditObject("shift_assignment", assignment)) : nil
        }
    }

    /// Confirms the person on the demand: their proposal becomes the confirmation, or a
    /// new confirmed line is written (`source`: claim or hand). Call after `lockAndCheck`.
    static func confirmPlace(_ demand: ShiftDemand.ID, for account: Account.ID, source: String, by actor: Account.ID, on tx: Transaction) async throws -> UUID {
        if let proposed = try await tx.query(
            """
            UPDATE shift_assignment SET status = 'confirmed', decided_at = now(), decided_by = \(actor)
            WHERE demand_id = \(demand) AND account_id = \(account) AND status = 'proposed' RETURNING id
            """
        ).first(decoding: UUID.self) {
            return proposed
        }
        return try await tx.query(
            """
            INSERT INTO shift_assignment (demand_id, account_id, status, source, decided_at, decided_by)
            VALUES (\(demand), \(account), 'confirmed', \(source), now(), \(actor))
            RETURNING id
            """
        ).first(decoding: UUID.self)!
    }

    /// Turns the database's refusals into the failures a person can be told about.
    func guarded<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PostgresError {
            switch error.constraint {
            case Constraint.shiftDemandNotOverfilled: throw ShiftFailure.full
            case Constraint.shiftAssignmentNoOverlap: throw ShiftFailure.rule(.overlap)
            case Constraint.shiftAssignmentRest: throw ShiftFailure.rule(.tooLittleRest)
            case Constraint.shiftAssignmentLiveOnce: throw ShiftFailure.alreadyOnIt
            case Constraint.shiftAssignmentValidVOG: throw ShiftFailure.rule(.noValidVOG)
            case Constraint.shiftAssignmentRegistered: throw ShiftFailure.rule(.notRegistered)
            case Constraint.shiftAssignmentInducted: throw ShiftFailure.rule(.notInducted)
            default: throw error
            }
        }
    }

    /// Locks the member, then the demand (always in this order, so no deadlock), and
    /// checks that the demand is open with a place left and that the member may take it.
    func lockAndCheck(_ account: Account.ID, _ demand: ShiftDemand.ID, now: Date, excluding assignment: UUID? = nil, on tx: Transaction) async throws {
        guard try await tx.query("SELECT 1 FROM pool_member WHERE account_id = \(account) FOR UPDATE").first != nil else {
            throw ShiftFailure.notInPool
        }
        guard let row = try await tx.query(
            """
            SELECT o.slug, d.area_slug, coalesce(d.function_code, d.discipline), lower(d.shift), upper(d.shift),
                   d.people_needed, d.people_confirmed, d.status, d.priority
            FROM shift_demand d JOIN organisation o ON o.id = d.organisation_id
            WHERE d.id = \(demand) FOR UPDATE OF d
            """
        ).first else { throw ShiftFailure.notFound }
        let (organisationSlug, areaSlug, qualification, start, end, needed, confirmed, status, priority) = try row.decode((String, String, String, Date, Date, Int, Int, String, String).self)
        let shift = TimeWindow(start: start, end: end)
        guard status == "open", shift.start > now else { throw ShiftFailure.notOpen }
        guard confirmed < needed else { throw ShiftFailure.full }
        let window = TimeWindow(start: shift.start, end: shift.end)
        guard let (person, homes) = try await poolPerson(account, around: window, on: tx) else { throw ShiftFailure.notInPool }
        if homes.contains(organisationSlug) { throw ShiftFailure.rule(.ownOrganisation) }
        let busy = try await tx.query(
            """
            SELECT lower(shift), upper(shift) FROM shift_assignment
            WHERE account_id = \(account) AND status = 'confirmed' AND demand_id <> \(demand)
              AND shift && tstzrange(\(shift.start.addingTimeInterval(-8 * 86_400)), \(shift.end.addingTimeInterval(8 * 86_400)))
            """
        ).decode((Date, Date).self).map { start, end in TimeWindow(start: start, end: end) }
        let credentials = try await askedCredentials(of: [demand], on: tx)[demand] ?? AskedCredentials()
        let asked = credentials.applied(to: Demand(
            id: demand.lowercased, organisation: organisationSlug, area: areaSlug, qualification: qualification, shift: shift, needed: needed,
            priority: priority == "urgent" ? .urgent : .normal))
        if let broken = Rules.check(asked, for: person, busy: busy) { throw ShiftFailure.rule(broken) }
    }

    // MARK: What people see

    /// Live assignments on these demands, plus those declined or undone since `since`.
    public func assignments(on demands: [ShiftDemand.ID], since: Date) async throws -> [AssignmentLine] {
        try await pool.query(
            """
            SELECT sa.id, sa.demand_id, sa.account_id, acc.display_name, sa.status, sa.source = 'claim', sa.decided_at,
                   sa.source = 'hand', sa.pinned
            FROM shift_assignment sa JOIN account acc ON acc.id = sa.account_id
            WHERE sa.demand_id = ANY(\(demands)::uuid[])
              AND (sa.status IN ('proposed', 'confirmed') OR (sa.status IN ('declined', 'undone') AND sa.decided_at >= \(since)))
            ORDER BY sa.status = 'confirmed' DESC, sa.status = 'proposed' DESC, acc.display_name, sa.id
            """
        ).decode((UUID, UUID, UUID, String, String, Bool, Date?, Bool, Bool).self).map { id, demandID, accountID, personName, status, claimed, decidedAt, byHand, pinned in
            AssignmentLine(id: id, demandID: demandID, accountID: accountID, personName: personName,
                           status: AssignmentStatus(rawValue: status) ?? .proposed, claimed: claimed, decidedAt: decidedAt, byHand: byHand, pinned: pinned)
        }
    }

    /// A member's live shifts (and their past confirmed ones from `pastSince`), by start.
    public func shifts(of account: Account.ID, pastSince: Date) async throws -> [ShiftLine] {
        try await pool.query(
            """
            SELECT sa.id, sa.status, \(Self.demandColumns) \(Self.demandFrom)
            JOIN shift_assignment sa ON sa.demand_id = d.id
            WHERE sa.account_id = \(account) AND sa.status IN ('proposed', 'confirmed') AND upper(sa.shift) >= \(pastSince)
            ORDER BY lower(d.shift), d.id
            """
        ).map { row in
            let (id, status) = try row.decode((UUID, String).self)
            let demand = try Self.decodeDemand(row)
            return ShiftLine(assignmentID: id, status: AssignmentStatus(rawValue: status) ?? .proposed, demand: demand)
        }
    }

    /// Open shifts this member could claim now: qualified, in their areas, not at their
    /// own organisation, inside their availability, with a place left, and no clash with
    /// their confirmed shifts, rest or weekly cap.
    public func openShifts(for account: Account.ID, now: Date, until: Date) async throws -> [DemandLine] {
        let candidates = try await pool.query(
            """
            SELECT \(Self.demandColumns) \(Self.demandFrom)
            WHERE d.status = 'open' AND lower(d.shift) > \(now) AND lower(d.shift) < \(until)
              AND d.people_confirmed < d.people_needed
              AND EXISTS (SELECT 1 FROM pool_member_area pa WHERE pa.account_id = \(account) AND pa.area_slug = d.area_slug)
              AND (EXISTS (SELECT 1 FROM pool_member_function pf WHERE pf.account_id = \(account) AND pf.function_code = d.function_code)
                   OR EXISTS (SELECT 1 FROM pool_member_discipline pd WHERE pd.account_id = \(account) AND pd.discipline = d.discipline))
              AND NOT EXISTS (SELECT 1 FROM employment e WHERE e.account_id = \(account) AND e.organisation_id = d.organisation_id
                                AND (e.ended_on IS NULL OR e.ended_on >= (lower(d.shift) AT TIME ZONE 'Europe/Amsterdam')::date))
              AND (SELECT range_agg(during) FROM pool_availability av WHERE av.account_id = \(account)
                     AND av.during && d.shift) @> d.shift
              AND NOT EXISTS (SELECT 1 FROM shift_assignment sa WHERE sa.demand_id = d.id AND sa.account_id = \(account)
                                AND sa.status IN ('proposed', 'confirmed'))
            ORDER BY lower(d.shift), o.name, d.id
            """
        ).map(Self.decodeDemand)
        guard !candidates.isEmpty, let record = try await member(account) else { return [] }
        let busy = try await pool.query(
            """
            SELECT lower(shift), upper(shift) FROM shift_assignment
            WHERE account_id = \(account) AND status = 'confirmed' AND upper(shift) > \(now.addingTimeInterval(-8 * 86_400))
            """
        ).decode((Date, Date).self).map { start, end in TimeWindow(start: start, end: end) }
        let held = try await heldCredentials(of: [account], on: pool)[account] ?? HeldCredentials()
        let asked = try await askedCredentials(of: candidates.map(\.id), on: pool)
        return candidates.filter { line in
            // Qualification, area, organisation and availability were checked above;
            // what is left is the credentials, overlap, rest and the weekly cap.
            let person = held.applied(to: PoolPerson(
                id: account.lowercased, homeOrganisation: "", qualifications: [line.qualification], allowedAreas: [line.areaSlug],
                availability: [TimeWindow(start: line.shift.start, end: line.shift.end)], weeklyCapHours: Double(record.membership.weeklyCapHours)))
            let demand = (asked[line.id] ?? AskedCredentials()).applied(to: Demand(
                id: line.id.lowercased, organisation: line.organisationSlug, area: line.areaSlug,
                qualification: line.qualification, shift: TimeWindow(start: line.shift.start, end: line.shift.end),
                needed: line.peopleNeeded, priority: .normal))
            return Rules.check(demand, for: person, busy: busy) == nil
        }
    }

    /// A member's confirmed shifts from `since` on, for their calendar.
    public func confirmedShifts(of account: Account.ID, since: Date) async throws -> [ShiftLine] {
        try await shifts(of: account, pastSince: since).filter { $0.status == .confirmed }
    }
}
