import Domain
import Foundation
import Matching
import PQ

/// One run of the matching as stored: what it covered and the gaps it left, with reasons.
public struct MatchingRunRecord: Sendable, Hashable {
    public let id: UUID
    public let period: TimeWindow
    public let runAt: Date
    public let filled: Int
    public let needed: Int
    public let upperBound: Int
    public let method: String
    public let milliseconds: Int
    public let gaps: [Gap]
}

extension FlexpoolStore {
    /// The matching instance for the open demand starting in `period` of these
    /// organisations (all when nil): every pool member, confirmed assignments as fixed,
    /// earlier proposals as the previous run. Live shifts outside the scope that touch
    /// the period (other organisations', the weeks around it) come in as full demands,
    /// so that they count for overlap, rest and the weekly cap.
    /// Also returns the in-scope demand, whose proposals a run replaces.
    func instance(for period: TimeWindow, organisations: [Organisation.ID]?, now: Date) async throws -> (MatchingInstance, scope: [ShiftDemand.ID]) {
        let inScope = try await demands(in: period, organisations: organisations).filter { $0.shift.start > now }
        let wide = TimeWindow(start: period.start.addingTimeInterval(-8 * 86_400), end: period.end.addingTimeInterval(8 * 86_400))

        let members = try await pool.query(
            """
            SELECT m.account_id, m.weekly_cap_hours,
                   ARRAY(SELECT function_code FROM pool_member_function WHERE account_id = m.account_id ORDER BY 1)
                     || ARRAY(SELECT discipline FROM pool_member_discipline WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id AND preferred ORDER BY 1),
                   coalesce((SELECT o.slug FROM employment e JOIN organisation o ON o.id = e.organisation_id
                             WHERE e.account_id = m.account_id AND (e.ended_on IS NULL OR e.ended_on >= current_date)
                             ORDER BY e.started_on DESC, o.slug LIMIT 1), '')
            FROM pool_member m ORDER BY m.account_id
            """
        ).decode((UUID, Int, [String], [String], [String], String).self)
        let windows = try await pool.query(
            """
            SELECT account_id, lower(during), upper(during) FROM pool_availability
            WHERE during && tstzrange(\(period.start.addingTimeInterval(-86_400)), \(period.end.addingTimeInterval(86_400)))
            ORDER BY account_id, lower(during)
            """
        ).decode((UUID, Date, Date).self)
        var availability: [UUID: [TimeWindow]] = [:]
        for (account, start, end) in windows { availability[account, default: []].append(TimeWindow(start: start, end: end)) }
        let held = try await heldCredentials(of: members.map(\.0), on: pool)
        let people = members.map { accountID, capHours, qualifications, allowedAreas, preferredAreas, homeOrganisation in
            (held[accountID] ?? HeldCredentials()).applied(to: PoolPerson(
                id: accountID.lowercased, homeOrganisation: homeOrganisation, qualifications: qualifications, allowedAreas: allowedAreas,
                preferredAreas: preferredAreas, availability: availability[accountID] ?? [], weeklyCapHours: Double(capHours)))
        }

        // Every live assignment around the period.
        let live = try await pool.query(
            """
            SELECT sa.demand_id, sa.account_id, sa.status = 'confirmed' OR sa.pinned, o.slug, d.area_slug, coalesce(d.function_code, d.discipline),
                   lower(d.shift), upper(d.shift)
            FROM shift_assignment sa JOIN shift_demand d ON d.id = sa.demand_id JOIN organisation o ON o.id = d.organisation_id
            WHERE sa.status IN ('proposed', 'confirmed') AND sa.shift && tstzrange(\(wide.start), \(wide.end))
            ORDER BY sa.demand_id, sa.account_id
            """
        ).decode((UUID, UUID, Bool, String, String, String, Date, Date).self)
        let scopeIDs = Set(inScope.map(\.id))
        let asked = try await askedCredentials(of: inScope.map(\.id), on: pool)
        var demandsOut = inScope.map { line in
            (asked[line.id] ?? AskedCredentials()).applied(to: Demand(
                id: line.id.lowercased, organisation: line.organisationSlug, area: line.areaSlug, qualification: line.qualification,
                shift: TimeWindow(start: line.shift.start, end: line.shift.end), needed: line.peopleNeeded,
                priority: line.priority == .urgent ? .urgent : .normal))
        }
        var confirmed: [Assignment] = [], previous: [Assignment] = []
        var outside: [UUID: (Demand, Int)] = [:]
        // Confirmed and pinned assignments are fixed; other proposals are the previous run.
        for (demandID, personID, fixed, organisationSlug, areaSlug, qualification, start, end) in live {
            let assignment = Assignment(demand: demandID.lowercased, person: personID.lowercased)
            if scopeIDs.contains(demandID) {
                if fixed { confirmed.append(assignment) } else { previous.append(assignment) }
            } else {
                let demand = Demand(id: demandID.lowercased, organisation: organisationSlug, area: areaSlug, qualification: qualification,
                                    shift: TimeWindow(start: start, end: end), needed: 0, priority: .normal)
                outside[demandID, default: (demand, 0)].1 += 1
                confirmed.append(assignment)
            }
        }
        for (_, value) in outside.sorted(by: { $0.key.uuidString < $1.key.uuidString }) {
            var demand = value.0
            demand.needed = value.1
            demandsOut.append(demand)
        }
        let forbidden = try await pool.query(
            "SELECT demand_id, account_id FROM shift_forbidden WHERE demand_id = ANY(\(inScope.map(\.id))::uuid[]) ORDER BY 1, 2"
        ).decode((UUID, UUID).self).map { Assignment(demand: $0.lowercased, person: $1.lowercased) }
        return (MatchingInstance(people: people, demands: demandsOut, confirmed: confirmed, previous: previous, forbidden: forbidden), inScope.map(\.id))
    }

    /// Runs the matching for `period` and replaces the earlier proposals of its demand
    /// with the new ones; confirmed and pinned assignments stay where they are, and
    /// people ruled out for a demand are never proposed for it.
    public func runMatching(period: TimeWindow, organisations: [Organisation.ID]?, by account: Account.ID, now: Date = Date()) async throws -> MatchingRunRecord {
        let (instance, scope) = try await instance(for: period, organisations: organisations, now: now)
        let clock = ContinuousClock()
        let started = clock.now
        // CPU work, off the tasks that serve requests.
        let result = await Task.detached(priority: .utility) { MatchingEngine.solve(instance) }.value
        let elapsed = clock.now - started
        let milliseconds = Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)

        // Demand and person of each assignment, together: an id that does not parse drops its pair.
        let pairs = result.assignments.compactMap { assignment -> (demand: UUID, person: UUID)? in
            guard let demand = UUID(uuidString: assignment.demand), let person = UUID(uuidString: assignment.person) else { return nil }
            return (demand, person)
        }
        let newDemands = pairs.map(\.demand)
        let newPeople = pairs.map(\.person)
        let organisation = organisations?.count == 1 ? organisations?.first : nil
        return try await pool.transaction { tx in
            // Members hear of proposals that are new to them, not of ones a rerun kept.
            let earlier = Set(try await tx.query(
                "DELETE FROM shift_assignment WHERE status = 'proposed' AND NOT pinned AND demand_id = ANY(\(scope)::uuid[]) RETURNING demand_id, account_id"
            ).decode((UUID, UUID).self).map { demand, person in "\(demand)/\(person)" })
            let proposed = try await tx.query(
                """
                INSERT INTO shift_assignment (demand_id, account_id, status, source)
                SELECT d, p, 'proposed', 'matching' FROM unnest(\(newDemands)::uuid[], \(newPeople)::uuid[]) AS t(d, p)
                WHERE EXISTS (SELECT 1 FROM shift_demand WHERE id = d AND status = 'open')
                ON CONFLICT (demand_id, account_id) WHERE status IN ('proposed', 'confirmed') DO NOTHING
                RETURNING demand_id, account_id, lower(shift), upper(shift),
                          (SELECT o.name FROM shift_demand sd JOIN organisation o ON o.id = sd.organisation_id WHERE sd.id = demand_id)
                """
            ).decode((UUID, UUID, Date, Date, String).self)
                .map { ProposedShift(demand: $0, person: $1, start: $2, end: $3, organisation: $4) }
                .filter { !earlier.contains("\($0.demand)/\($0.person)") }
            for (person, shifts) in Dictionary(grouping: proposed, by: \.person) {
                guard let first = shifts.min(by: { $0.start < $1.start }) else { continue }
                try await NotificationStore.add(
                    .shiftsProposed(count: shifts.count, first: TimeWindow(start: first.start, end: first.end), organisation: first.organisation),
                    for: person, on: tx)
            }
            let (id, runAt) = try await tx.query(
                """
                INSERT INTO matching_run (period, organisation_id, run_by, filled, needed, upper_bound, method, milliseconds, gaps)
                VALUES (tstzrange(\(period.start), \(period.end), '[)'), \(organisation), \(account), \(result.coverage.filled),
                        \(result.coverage.needed), \(result.upperBound), \(result.method), \(milliseconds), \(JSONB(result.gaps)))
                RETURNING id, run_at
                """
            ).first!.decode((UUID, Date).self)
            try await AuditLine(.flexpoolMatch, by: account, object: AuditObject("matching_run", id),
                                reason: "\(result.coverage.filled) van \(result.coverage.needed) plaatsen voorgesteld").write(on: tx)
            return MatchingRunRecord(
                id: id, period: period, runAt: runAt, filled: result.coverage.filled, needed: result.coverage.needed,
                upperBound: result.upperBound, method: result.method, milliseconds: milliseconds, gaps: result.gaps)
        }
    }

    /// The latest run over a period that overlaps `period`, for these organisations
    /// (a regional run counts for every organisation).
    public func latestRun(overlapping period: TimeWindow, organisations: [Organisation.ID]?) async throws -> MatchingRunRecord? {
        let scope: SQL = organisations.map { "AND (organisation_id IS NULL OR organisation_id = ANY(\($0)::uuid[]))" } ?? ""
        guard let row = try await pool.query(
            """
            SELECT id, lower(period), upper(period), run_at, filled, needed, upper_bound, method, milliseconds, gaps
            FROM matching_run WHERE period && tstzrange(\(period.start), \(period.end)) \(scope)
            ORDER BY run_at DESC, id LIMIT 1
            """
        ).first else { return nil }
        let (id, start, end, runAt, filled, needed, upperBound, method, milliseconds, gaps) =
            try row.decode((UUID, Date, Date, Date, Int, Int, Int, String, Int, JSONB<[Gap]>).self)
        return MatchingRunRecord(id: id, period: TimeWindow(start: start, end: end), runAt: runAt, filled: filled, needed: needed,
                                 upperBound: upperBound, method: method, milliseconds: milliseconds, gaps: gaps.value)
    }
}

extension FlexpoolStore {
    /// A what-if run: the matching of the open demand in `period` as it is and with one
    /// change, side by side. Nothing is written: the board's proposals stay as they are.
    /// Nil when the change names a person or demand outside the period's instance.
    public func whatIf(_ change: WhatIf, period: TimeWindow, organisations: [Organisation.ID]?, now: Date = Date()) async throws -> WhatIfOutcome? {
        let (instance, _) = try await instance(for: period, organisations: organisations, now: now)
        // CPU work, off the tasks that serve requests.
        return await Task.detached(priority: .utility) { MatchingEngine.whatIf(change, on: instance) }.value
    }

    /// Everyone in the pool, by name: for a what-if on someone's hours.
    public func poolMembers() async throws -> [(id: Account.ID, name: String, weeklyCapHours: Int)] {
        try await pool.query(
            "SELECT m.account_id, a.display_name, m.weekly_cap_hours FROM pool_member m JOIN account a ON a.id = m.account_id ORDER BY a.display_name, m.account_id"
        ).decode((UUID, String, Int).self).map { (id: $0, name: $1, weeklyCapHours: $2) }
    }

    /// Display names of accounts (pool members named in a run's near misses).
    public func names(of accounts: [UUID]) async throws -> [UUID: String] {
        guard !accounts.isEmpty else { return [:] }
        let rows = try await pool.query("SELECT id, display_name FROM account WHERE id = ANY(\(accounts)::uuid[])").decode((UUID, String).self)
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }
}

/// A proposal a matching run made, as the run's INSERT returns it.
private struct ProposedShift {
    let demand: UUID
    let person: UUID
    let start: Date
    let end: Date
    let organisation: String
}
