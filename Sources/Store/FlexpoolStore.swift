import Domain
import Foundation
import Matching
import PQ

/// A pool member as they see themselves: what they offer and their calendar address.
public struct PoolMemberRecord: Sendable, Hashable {
    public let accountID: Account.ID
    public let membership: PoolMembership
    public let calendarToken: String
    public let joinedAt: Date
}

/// One availability window of a member; `patternID` when a weekly pattern made it.
public struct AvailabilityLine: Sendable, Hashable {
    public let id: UUID
    public let window: TimeWindow
    public let patternID: UUID?
}

public struct PatternLine: Sendable, Hashable {
    public let id: UUID
    public let pattern: WeeklyPattern
}

/// The flexpool's records: members and their availability (this file), demand,
/// assignments and matching runs (the extensions).
public struct FlexpoolStore: Sendable {
    let pool: Pool

    // MARK: Members

    public func member(_ account: Account.ID) async throws -> PoolMemberRecord? {
        try await member(account, on: pool)
    }

    func member(_ account: Account.ID, on db: any Queryable) async throws -> PoolMemberRecord? {
        guard let row = try await db.query(
            """
            SELECT m.weekly_cap_hours, m.calendar_token, m.joined_at,
                   ARRAY(SELECT function_code FROM pool_member_function WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT discipline FROM pool_member_discipline WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id ORDER BY 1),
                   ARRAY(SELECT area_slug FROM pool_member_area WHERE account_id = m.account_id AND preferred ORDER BY 1)
            FROM pool_member m WHERE m.account_id = \(account)
            """
        ).first else { return nil }
        let (cap, token, joined, functions, disciplines, areas, preferred) = try row.decode((Int, String, Date, [String], [String], [String], [String]).self)
        return PoolMemberRecord(
            accountID: account,
            membership: PoolMembership(
                functionCodes: functions, disciplines: disciplines.compactMap(Discipline.init(rawValue:)), areaSlugs: areas,
                preferredAreaSlugs: preferred, weeklyCapHours: cap),
            calendarToken: token, joinedAt: joined)
    }

    /// Joins the pool, or changes what the member offers; the calendar address stays.
    public func join(_ account: Account.ID, _ membership: PoolMembership, calendarToken: String) async throws {
        try await pool.transaction { tx in
            // xmax is 0 on a row this statement inserted, not on one it updated.
            let joined = try await tx.query(
                """
                INSERT INTO pool_member (account_id, weekly_cap_hours, calendar_token)
                VALUES (\(account), \(membership.weeklyCapHours), \(calendarToken))
                ON CONFLICT (account_id) DO UPDATE SET weekly_cap_hours = EXCLUDED.weekly_cap_hours, updated_at = now()
                RETURNING (xmax = 0)
                """
            ).first(decoding: Bool.self) ?? false
            try await AuditLine(joined ? .flexpoolJoin : .flexpoolUpdate, by: account, about: account).write(on: tx)
            _ = try await tx.query("DELETE FROM pool_member_function WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM pool_member_discipline WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM pool_member_area WHERE account_id = \(account)")
            _ = try await tx.query(
                "INSERT INTO pool_member_function (account_id, function_code) SELECT \(account), unnest(\(membership.functionCodes)::text[])")
            _ = try await tx.query(
                "INSERT INTO pool_member_discipline (account_id, discipline) SELECT \(account), unnest(\(membership.disciplines.map(\.rawValue))::text[])")
            _ = try await tx.query(
                """
                INSERT INTO pool_member_area (account_id, area_slug, preferred)
                SELECT \(account), a, a = ANY(\(membership.preferredAreaSlugs)::text[]) FROM unnest(\(membership.areaSlugs)::text[]) AS a
                """
            )
            // Proposals that no longer fit what the member offers are withdrawn.
            _ = try await tx.query(
                """
                UPDATE shift_assignment sa SET status = 'released', decided_at = now()
                FROM shift_demand d
                WHERE sa.demand_id = d.id AND sa.account_id = \(account) AND sa.status = 'proposed'
                  AND (NOT EXISTS (SELECT 1 FROM pool_member_area WHERE account_id = \(account) AND area_slug = d.area_slug)
                       OR (d.function_code IS NOT NULL AND d.function_code <> ALL(\(membership.functionCodes)::text[]))
                       OR (d.discipline IS NOT NULL AND d.discipline <> ALL(\(membership.disciplines.map(\.rawValue))::text[])))
                """
            )
        }
    }

    /// Leaves the pool: availability goes, and every live shift still to come is
    /// declined, so that its gap shows again. Returns how many shifts were given back.
    public func leave(_ account: Account.ID) async throws -> Int {
        try await pool.transaction { tx in
            let declined = try await tx.query(
                """
                UPDATE shift_assignment SET status = 'declined', decided_at = now(), decided_by = \(account)
                WHERE account_id = \(account) AND status IN ('proposed', 'confirmed') AND lower(shift) > now()
                """
            ).affectedRows
            _ = try await tx.query("DELETE FROM pool_member WHERE account_id = \(account)")
            try await AuditLine(.flexpoolLeave, by: account, about: account, reason: "\(declined) diensten teruggegeven").write(on: tx)
            return declined
        }
    }

    /// A new private calendar address: 43 random URL-safe characters (256 bits).
    public static func newCalendarToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<43).map { _ in alphabet[Int(generator.next() % 64)] })
    }

    // MARK: Availability

    /// Adds windows (all of one weekly pattern when `pattern` is given).
    public func addAvailability(_ account: Account.ID, _ windows: [TimeWindow], pattern: WeeklyPattern? = nil) async throws {
        try await pool.transaction { tx in try await Self.insertAvailability(account, windows, pattern: pattern, on: tx) }
    }

    /// Adds weekly patterns (a week grid's ticked cells), all or none.
    public func addPatterns(_ account: Account.ID, _ patterns: [WeeklyPattern], after moment: Date) async throws {
        try await pool.transaction { tx in
            for pattern in patterns {
                let windows = pattern.windows().filter { $0.end > moment }
                if !windows.isEmpty { try await Self.insertAvailability(account, windows, pattern: pattern, on: tx) }
            }
        }
    }

    static func insertAvailability(_ account: Account.ID, _ windows: [TimeWindow], pattern: WeeklyPattern?, on tx: Transaction) async throws {
        var patternID: UUID?
        if let pattern {
            patternID = try await tx.query(
                """
                INSERT INTO pool_availability_pattern (account_id, weekday, start_minutes, end_minutes, first_day, last_day)
                VALUES (\(account), \(pattern.weekday), \(pattern.startMinutes), \(pattern.endMinutes), \(pattern.from), \(pattern.until))
                RETURNING id
                """
            ).first(decoding: UUID.self)
        }
        _ = try await tx.query(
            """
            INSERT INTO pool_availability (account_id, during, pattern_id)
            SELECT \(account), tstzrange(s, e, '[)'), \(patternID)
            FROM unnest(\(windows.map(\.start))::timestamptz[], \(windows.map(\.end))::timestamptz[]) AS t(s, e)
            """
        )
    }

    /// The member's windows that have not ended yet.
    public func availability(_ account: Account.ID, after moment: Date) async throws -> [AvailabilityLine] {
        try await pool.query(
            """
            SELECT id, lower(during), upper(during), pattern_id FROM pool_availability
            WHERE account_id = \(account) AND upper(during) > \(moment)
            ORDER BY lower(during), upper(during), id
            """
        ).decode((UUID, Date, Date, UUID?).self).map { id, start, end, patternID in
            AvailabilityLine(id: id, window: TimeWindow(start: start, end: end), patternID: patternID)
        }
    }

    public func patterns(_ account: Account.ID) async throws -> [PatternLine] {
        try await pool.query(
            """
            SELECT id, weekday, start_minutes, end_minutes, first_day, last_day FROM pool_availability_pattern
            WHERE account_id = \(account) ORDER BY first_day, weekday, start_minutes, id
            """
        ).decode((UUID, Int, Int, Int, Day, Day).self).map { id, weekday, startMinutes, endMinutes, firstDay, lastDay in
            PatternLine(id: id, pattern: WeeklyPattern(weekday: weekday, startMinutes: startMinutes, endMinutes: endMinutes, from: firstDay, until: lastDay))
        }
    }

    /// Removes one window of this member; false when it is not theirs.
    public func removeWindow(_ id: UUID, of account: Account.ID) async throws -> Bool {
        try await pool.query("DELETE FROM pool_availability WHERE id = \(id) AND account_id = \(account)").affectedRows > 0
    }

    /// Removes a weekly pattern with all its windows; false when it is not theirs.
    public func removePattern(_ id: UUID, of account: Account.ID) async throws -> Bool {
        try await pool.query("DELETE FROM pool_availability_pattern WHERE id = \(id) AND account_id = \(account)").affectedRows > 0
    }

    /// The member whose calendar address this is.
    public func member(calendarToken token: String) async throws -> Account.ID? {
        try await pool.query("SELECT account_id FROM pool_member WHERE calendar_token = \(token)").first(decoding: UUID.self)
    }

    // MARK: The person as the engine sees them

    /// The member as the rules see them: qualifications, areas, home organisation,
    /// availability around `around`; nil when not (or no longer) in the pool.
    func poolPerson(_ account: Account.ID, around window: TimeWindow, on db: any Queryable) async throws -> (PoolPerson, homes: Set<String>)? {
        guard let record = try await member(account, on: db) else { return nil }
        let homes = try await db.query(
            """
            SELECT DISTINCT o.slug FROM employment e JOIN organisation o ON o.id = e.organisation_id
            WHERE e.account_id = \(account) AND (e.ended_on IS NULL OR e.ended_on >= (\(window.start) AT TIME ZONE 'Europe/Amsterdam')::date)
            ORDER BY 1
            """
        ).decode(String.self)
        let windows = try await db.query(
            """
            SELECT lower(during), upper(during) FROM pool_availability
            WHERE account_id = \(account) AND during && tstzrange(\(window.start.addingTimeInterval(-86_400)), \(window.end.addingTimeInterval(86_400)))
            """
        ).decode((Date, Date).self).map { start, end in TimeWindow(start: start, end: end) }
        let person = PoolPerson(
            id: account.lowercased, homeOrganisation: homes.first ?? "", qualifications: record.membership.qualifications,
            allowedAreas: record.membership.areaSlugs, preferredAreas: record.membership.preferredAreaSlugs,
            availability: windows, weeklyCapHours: Double(record.membership.weeklyCapHours))
        let held = try await heldCredentials(of: [account], on: db)[account] ?? HeldCredentials()
        return (held.applied(to: person), Set(homes))
    }
}

extension UUID {
    /// The lower-case form used in addresses and in matching instances.
    public var lowercased: String { uuidString.lowercased() }
}
