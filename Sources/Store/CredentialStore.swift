import Domain
import Foundation
import PQ

/// A VOG or registration that runs out soon (or ran out), with what it costs: the
/// person's confirmed flexpool shifts on or after the day it no longer holds.
public struct ExpiringCredential: Sendable, Hashable {
    public let accountID: Account.ID
    public let name: String
    /// `VOG`, `SKJ` or `BIG`.
    public let credential: String
    public let lapsesOn: Day
    public let shifts: [TimeWindow]
}

/// The credentials of the field around the flexpool: each organisation's VOG rule,
/// who of an organisation's people sees a VOG or registration run out, and the
/// reminders 8 and 2 weeks before (each sent once, whatever the number of instances).
public struct CredentialStore: Sendable {
    let pool: Pool

    /// How old a VOG the organisation accepts, in months.
    public func vogRule(of organisation: Organisation.ID) async throws -> Int? {
        try await pool.query("SELECT vog_max_age_months FROM organisation WHERE id = \(organisation)").first(decoding: Int.self)
    }

    public static let vogRuleChoices = [12, 24, 36, 48, 60]

    /// Sets the organisation's VOG rule; shifts already confirmed stay as they are.
    public func setVOGRule(of organisation: Organisation.ID, months: Int, by actor: Account.ID) async throws -> Bool {
        try await pool.audited({ tx in
            try await tx.query(
                "UPDATE organisation SET vog_max_age_months = \(months) WHERE id = \(organisation) RETURNING id"
            ).first != nil
        }) { changed in changed ? AuditLine(.organisationEdit, by: actor, object: AuditObject("organisation", organisation), reason: "VOG hoogstens \(months) maanden oud") : nil }
    }

    /// A person's own credentials as the flexpool reads them: whether a VOG is on
    /// record, and when each of theirs runs out (the VOG by their employer's rule).
    public func own(_ account: Account.ID) async throws -> (hasVOG: Bool, lapses: [(credential: String, on: Day)]) {
        let hasVOG = try await pool.query(
            "SELECT vog_issued_on IS NOT NULL FROM professional WHERE account_id = \(account)").first(decoding: Bool.self) ?? false
        let lapses = try await pool.query(
            "SELECT credential, lapses_on FROM credential_lapse WHERE account_id = \(account) ORDER BY lapses_on, credential"
        ).decode((String, Day).self).map { (credential: $0, on: $1) }
        return (hasVOG, lapses)
    }

    /// The people working at `organisation` whose VOG or registration runs out before
    /// `until` (or has run out), soonest first, with the confirmed shifts from `now`
    /// that it would cost.
    public func expiring(at organisation: Organisation.ID, until: Day, now: Date = Date()) async throws -> [ExpiringCredential] {
        let rows = try await pool.query(
            """
            SELECT l.account_id, a.display_name, l.credential, l.lapses_on
            FROM credential_lapse l JOIN account a ON a.id = l.account_id
            WHERE a.erased_at IS NULL AND l.lapses_on < \(until)
              AND EXISTS (SELECT FROM employment e WHERE e.account_id = l.account_id AND e.organisation_id = \(organisation)
                            AND (e.ended_on IS NULL OR e.ended_on >= (\(now)::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date))
            ORDER BY l.lapses_on, a.display_name, l.credential
            """
        ).decode((UUID, String, String, Day).self)
        var lines: [ExpiringCredential] = []
        for (account, name, credential, lapsesOn) in rows {
            lines.append(ExpiringCredential(accountID: account, name: name, credential: credential, lapsesOn: lapsesOn,
                                            shifts: try await Self.cost(account, credential, lapsesOn, now: now, on: pool)))
        }
        return lines
    }

    /// The confirmed shifts still to come that a credential running out would cost: for
    /// a VOG, those whose organisation would no longer accept it on the day; for a
    /// registration, those of a function that needs it, on or after its end.
    static func cost(_ account: Account.ID, _ credential: String, _ lapsesOn: Day, now: Date, on db: any Queryable) async throws -> [TimeWindow] {
        try await db.query(
            """
            SELECT lower(sa.shift), upper(sa.shift)
            FROM shift_assignment sa JOIN shift_demand_credentials c ON c.demand_id = sa.demand_id
            JOIN professional p ON p.account_id = sa.account_id
            WHERE sa.account_id = \(account) AND sa.status = 'confirmed' AND lower(sa.shift) > \(now)
              AND CASE WHEN \(credential) = 'VOG'
                       THEN (p.vog_issued_on::timestamp AT TIME ZONE 'Europe/Amsterdam') < c.vog_issued_since
                       ELSE c.register = \(credential) AND (lower(sa.shift) AT TIME ZONE 'Europe/Amsterdam')::date >= \(lapsesOn)
                  END
            ORDER BY lower(sa.shift)
            """
        ).decode((Date, Date).self).map { TimeWindow(start: $0, end: $1) }
    }

    /// Sends the reminders that are due on `today`: 8 weeks before a credential runs
    /// out (until 2 weeks before) and 2 weeks before (until the day), to the person and
    /// to the HR advisers of where they work. Each goes once: the reminder's key is
    /// written in the same transaction as its notifications, and a second instance
    /// doing the same finds it there. Returns how many reminders went out (each to the
    /// person and their advisers).
    public func sendReminders(today: Day, now: Date = Date()) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                INSERT INTO credential_reminder (account_id, credential, lapses_on, weeks_before)
                SELECT l.account_id, l.credential, l.lapses_on, CASE WHEN \(today) >= l.lapses_on - 14 THEN 2 ELSE 8 END
                FROM credential_lapse l JOIN account a ON a.id = l.account_id
                WHERE a.erased_at IS NULL AND NOT a.disabled AND \(today) >= l.lapses_on - 56 AND \(today) < l.lapses_on
                ON CONFLICT DO NOTHING
                RETURNING account_id, credential, lapses_on
                """
            ).decode((UUID, String, Day).self)
            for (account, credential, lapsesOn) in due {
                let shifts = try await Self.cost(account, credential, lapsesOn, now: now, on: tx)
                try await NotificationStore.add(.credentialExpiring(credential, lapsesOn: lapsesOn, today: today, shifts: shifts), for: account, on: tx)
                let advisers = try await tx.query(
                    """
                    SELECT DISTINCT g.account_id FROM employment e JOIN role_grant g ON g.organisation_id = e.organisation_id AND g.role = 'hr_adviser'
                    JOIN account a ON a.id = g.account_id
                    WHERE e.account_id = \(account) AND (e.ended_on IS NULL OR e.ended_on >= \(today)) AND a.erased_at IS NULL AND NOT a.disabled
                      AND g.account_id <> \(account)
                    ORDER BY 1
                    """
                ).decode(UUID.self)
                for adviser in advisers {
                    try await NotificationStore.add(.employeeCredentialExpiring(credential, lapsesOn: lapsesOn, shifts: shifts.count), for: adviser, on: tx)
                }
            }
            return due.count
        }
    }
}
