import Domain
import Foundation
import Matching
import PQ

/// A pool member as the coordinator's hand-assignment list shows them.
public struct HandCandidate: Sendable, Hashable {
    public let accountID: Account.ID
    public let name: String
    /// Hours of confirmed pool work in the shift's week, and the weekly cap.
    public let weekHours: Double
    public let cap: Double
    public let preferredArea: Bool
    /// Why they cannot take it: nil for the eligible.
    public let finding: Rules.Finding?
    /// The coordinator ruled them out for this demand.
    public let ruledOut: Bool
}

/// Everything the hand-assignment page needs about one demand.
public struct HandList: Sendable {
    public let demand: DemandLine
    /// Eligible people, in the order the engine would prefer them.
    public let eligible: [HandCandidate]
    /// Qualified people who break a rule, with the rule (a near miss).
    public let nearMisses: [HandCandidate]
    public let assignments: [AssignmentLine]
}

extension FlexpoolStore {
    /// Who could be put on this demand by hand, and who nearly could, by the same rules
    /// as the engine and the database: every pool member who holds the qualification.
    public func handList(for demandID: ShiftDemand.ID, now: Date = Date()) async throws -> HandList? {
        guard let demand = try await demand(demandID) else { return nil }
        let shift = demand.shift
        let members = try await pool.query(
            """
            SELECT m.account_id, a.display_name, m.weekly_cap_hours,
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id AND preferred ORDER BY 1),
                   ARRAY(SELECT DISTINCT o.slug FROM employment e JOIN organisation o ON o.id = e.organisation_id
                         WHERE e.account_id = m.account_id
                           AND (e.ended_on IS NULL OR e.ended_on >= (\(shift.start) AT TIME ZONE 'Europe/Amsterdam')::date) ORDER BY 1),
                   EXISTS (SELECT FROM shift_forbidden f WHERE f.demand_id = \(demandID) AND f.account_id = m.account_id)
            FROM pool_member m JOIN account a ON a.id = m.account_id
            WHERE \(demand.qualification) IN (SELECT function_code FROM pool_member_function WHERE account_id = m.account_id
                                             UNION ALL SELECT discipline FROM pool_member_discipline WHERE account_id = m.account_id)
              AND NOT EXISTS (SELECT FROM shift_assignment sa WHERE sa.demand_id = \(demandID) AND sa.account_id = m.account_id
                              AND sa.status IN ('proposed', 'confirmed'))
            ORDER BY a.display_name, m.account_id
            """
        ).decode((UUID, String, Int, [String], [String], [String], Bool).self)
        let ids = members.map(\.0)
        var availability: [UUID: [TimeWindow]] = [:]
        for (account, start, end) in try await pool.query(
            """
            SELECT account_id, lower(during), upper(during) FROM pool_availability
            WHERE account_id = ANY(\(ids)::uuid[]) AND during && tstzrange(\(shift.start.addingTimeInterval(-86_400)), \(shift.end.addingTimeInterval(86_400)))
            """
        ).decode((UUID, Date, Date).self) {
            availability[account, default: []].append(TimeWindow(start: start, end: end))
        }
        var busy: [UUID: [TimeWindow]] = [:]
        for (account, start, end) in try await pool.query(
            """
            SELECT account_id, lower(shift), upper(shift) FROM shift_assignment
            WHERE account_id = ANY(\(ids)::uuid[]) AND status = 'confirmed' AND demand_id <> \(demandID)
              AND shift && tstzrange(\(shift.start.addingTimeInterval(-8 * 86_400)), \(shift.end.addingTimeInterval(8 * 86_400)))
            """
        ).decode((UUID, Date, Date).self) {
            busy[account, default: []].append(TimeWindow(start: start, end: end))
        }
        let held = try await heldCredentials(of: ids, on: pool)
        let asked = (try await askedCredentials(of: [demandID], on: pool)[demandID] ?? AskedCredentials()).applied(to: Demand(
            id: demandID.lowercased, organisation: demand.organisationSlug, area: demand.areaSlug, qualification: demand.qualification,
            shift: shift, needed: demand.peopleNeeded, priority: demand.priority == .urgent ? .urgent : .normal))
        var eligible: [(key: (Int, Int, Double), candidate: HandCandidate)] = []
        var nearMisses: [HandCandidate] = []
        for (account, name, cap, areas, preferred, homes, ruledOut) in members {
            let person = (held[account] ?? HeldCredentials()).applied(to: PoolPerson(
                id: account.lowercased, homeOrganisation: homes.contains(demand.organisationSlug) ? demand.organisationSlug : (homes.first ?? ""),
                qualifications: [demand.qualification], allowedAreas: areas, preferredAreas: preferred,
                availability: availability[account] ?? [], weeklyCapHours: Double(cap)))
            let theirs = busy[account] ?? []
            let finding = Rules.explain(asked, for: person, busy: theirs)
            let candidate = HandCandidate(
                accountID: account, name: name, weekHours: Rules.weekHours(of: theirs, around: shift.start), cap: Double(cap),
                preferredArea: preferred.contains(demand.areaSlug), finding: finding, ruledOut: ruledOut)
            if finding == nil && !ruledOut {
                eligible.append((Rules.preference(asked, for: person, busy: theirs), candidate))
            } else {
                nearMisses.append(candidate)
            }
        }
        eligible.sort { a, b in (a.key.0, a.key.1, a.key.2, a.candidate.name) < (b.key.0, b.key.1, b.key.2, b.candidate.name) }
        // The nearest misses first: ruled out by hand, then the rules from the last checked (cap) to the first (area).
        let order: [Rules.Break] = [.weeklyCap, .tooLittleRest, .overlap, .notAvailable, .notInducted, .notRegistered, .noValidVOG, .ownOrganisation, .wrongArea, .notQualified]
        nearMisses.sort { a, b in
            let x = a.ruledOut ? -1 : order.firstIndex(of: a.finding?.rule ?? .notQualified) ?? 9
            let y = b.ruledOut ? -1 : order.firstIndex(of: b.finding?.rule ?? .notQualified) ?? 9
            return (x, a.name) < (y, b.name)
        }
        let assignments = try await assignments(on: [demandID], since: now.addingTimeInterval(-7 * 86_400))
        return HandList(demand: demand, eligible: eligible.map(\.candidate), nearMisses: nearMisses, assignments: assignments)
    }

    /// A coordinator puts a person on a demand by hand: confirmed at once, under the
    /// same locks and rules as a claim, and the person is told.
    @discardableResult
    public func assign(_ demand: ShiftDemand.ID, to account: Account.ID, by coordinator: Account.ID, organisations: [Organisation.ID]?, now: Date = Date()) async throws -> UUID {
        try await guarded {
            try await pool.transaction { tx in
                if let organisations {
                    guard try await tx.query(
                        "SELECT 1 FROM shift_demand WHERE id = \(demand) AND organisation_id = ANY(\(organisations)::uuid[])"
                    ).first != nil else { throw ShiftFailure.notFound }
                }
                return try await assign(demand, to: account, by: coordinator, now: now, on: tx)
            }
        }
    }

    /// `assign` on the caller's transaction, after its scope check.
    func assign(_ demand: ShiftDemand.ID, to account: Account.ID, by coordinator: Account.ID, now: Date, on tx: Transaction) async throws -> UUID {
        try await lockAndCheck(account, demand, now: now, on: tx)
        guard try await tx.query(
            "SELECT 1 FROM shift_forbidden WHERE demand_id = \(demand) AND account_id = \(account)"
        ).first == nil else { throw ShiftFailure.ruledOut }
        let id = try await Self.confirmPlace(demand, for: account, source: "hand", by: coordinator, on: tx)
        if let (start, end, organisation) = try await tx.query(
            """
            SELECT lower(d.shift), upper(d.shift), o.name FROM shift_demand d JOIN organisation o ON o.id = d.organisation_id
            WHERE d.id = \(demand)
            """
        ).first(decoding: (Date, Date, String).self) {
            try await NotificationStore.add(.shiftAssigned(shift: TimeWindow(start: start, end: end), organisation: organisation), for: account, on: tx)
        }
        try await AuditLine(.flexpoolAssign, by: coordinator, about: account, object: AuditObject("shift_assignment", id)).write(on: tx)
        return id
    }

    /// Pins a live assignment (a matching run keeps it) or lets it go again.
    public func pin(_ assignment: UUID, _ pinned: Bool, by coordinator: Account.ID, organisations: [Organisation.ID]?) async throws -> Bool {
        let scope: SQL = organisations.map { "AND d.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            try await tx.query(
                """
                UPDATE shift_assignment sa SET pinned = \(pinned) FROM shift_demand d
                WHERE sa.id = \(assignment) AND d.id = sa.demand_id AND sa.status IN ('proposed', 'confirmed') \(scope)
                """
            ).affectedRows == 1
        }) { done in
            done ? AuditLine(.flexpoolPin, by: coordinator, object: AuditObject("shift_assignment", assignment), reason: pinned ? "vastgezet" : "losgelaten") : nil
        }
    }

    /// Rules a person out for a demand: a proposal of the pair is taken back, and no
    /// matching run proposes them for it again (the database refuses it too).
    public func forbid(_ demand: ShiftDemand.ID, _ account: Account.ID, by coordinator: Account.ID, organisations: [Organisation.ID]?) async throws -> Bool {
        let scope: SQL = organisations.map { "AND organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            guard try await tx.query("SELECT 1 FROM shift_demand WHERE id = \(demand) \(scope)").first != nil,
                  try await tx.query("SELECT 1 FROM professional WHERE account_id = \(account)").first != nil else { return false }
            _ = try await tx.query(
                """
                INSERT INTO shift_forbidden (demand_id, account_id, forbidden_by) VALUES (\(demand), \(account), \(coordinator))
                ON CONFLICT DO NOTHING
                """)
            _ = try await tx.query(
                """
                UPDATE shift_assignment SET status = 'undone', decided_at = now(), decided_by = \(coordinator)
                WHERE demand_id = \(demand) AND account_id = \(account) AND status = 'proposed'
                """)
            return true
        }) { done in
            done ? AuditLine(.flexpoolForbid, by: coordinator, about: account, object: AuditObject("shift_demand", demand)) : nil
        }
    }

    /// Lifts a rule-out.
    public func allow(_ demand: ShiftDemand.ID, _ account: Account.ID, by coordinator: Account.ID, organisations: [Organisation.ID]?) async throws -> Bool {
        let scope: SQL = organisations.map { "AND d.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.audited({ tx in
            try await tx.query(
                """
                DELETE FROM shift_forbidden f USING shift_demand d
                WHERE f.demand_id = \(demand) AND f.account_id = \(account) AND d.id = f.demand_id \(scope)
                """
            ).affectedRows == 1
        }) { done in
            done ? AuditLine(.flexpoolAllow, by: coordinator, about: account, object: AuditObject("shift_demand", demand)) : nil
        }
    }
}
