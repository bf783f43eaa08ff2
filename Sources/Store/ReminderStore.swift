import Domain
import Foundation
import PQ

/// Reminders of what is near: a confirmed shift 24 hours before (and 2 hours before,
/// for members who chose that), a course and a meeting 7 days and 1 day before, a
/// booked interview 24 hours before. Each
/// is sent once per person, object and lead: its key goes into `reminder_sent` in the
/// same transaction as the message, so a second instance doing the same finds it
/// there. Only what is still on at the moment of sending is reminded of.
public struct ReminderStore: Sendable {
    let pool: Pool

    /// Whether a pool member also wants a reminder two hours before a shift.
    public func remindsTwoHours(_ account: Account.ID) async throws -> Bool {
        try await pool.query("SELECT remind_two_hours FROM pool_member WHERE account_id = \(account)").first(decoding: Bool.self) ?? false
    }

    public func setRemindsTwoHours(_ account: Account.ID, _ on: Bool) async throws -> Bool {
        try await pool.query(
            "UPDATE pool_member SET remind_two_hours = \(on), updated_at = now() WHERE account_id = \(account) RETURNING account_id").first != nil
    }

    /// Sends every reminder due at `now`; returns how many went out.
    public func sendDue(now: Date = Date()) async throws -> Int {
        try await shifts(now: now) + courses(today: Day(now)) + meetings(today: Day(now)) + interviews(now: now) + careerConversations(now: now)
    }

    /// A booked career conversation, to the professional, about 24 hours before.
    public func careerConversations(now: Date) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                WITH due AS (
                    SELECT b.id, b.account_id FROM career_booking b JOIN career_slot s ON s.id = b.slot_id
                    WHERE b.status = 'booked' AND lower(s.during) > \(now) AND lower(s.during) <= \(now)::timestamptz + interval '24 hours'
                ), sent AS (
                    INSERT INTO reminder_sent (subject, object_id, account_id, lead)
                    SELECT 'career_conversation', id, account_id, '24h' FROM due
                    ON CONFLICT DO NOTHING RETURNING object_id, account_id
                )
                SELECT sent.account_id, a.display_name, lower(s.during), upper(s.during), s.place
                FROM sent JOIN career_booking b ON b.id = sent.object_id JOIN career_slot s ON s.id = b.slot_id
                JOIN account a ON a.id = s.adviser_id
                """
            ).decode((UUID, String, Date, Date, String).self)
            for (account, adviser, start, end, place) in due {
                try await NotificationStore.add(.careerReminder(adviser: adviser, during: TimeWindow(start: start, end: end), place: place), for: account, on: tx)
            }
            return due.count
        }
    }

    func interviews(now: Date) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                WITH due AS (
                    SELECT b.id, a.applicant_id AS account_id
                    FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id JOIN application a ON a.id = b.application_id
                    WHERE b.status = 'booked' AND a.status = 'invited'
                      AND lower(s.during) > \(now) AND lower(s.during) <= \(now)::timestamptz + interval '24 hours'
                ), sent AS (
                    INSERT INTO reminder_sent (subject, object_id, account_id, lead)
                    SELECT 'interview', id, account_id, '24h' FROM due
                    ON CONFLICT DO NOTHING RETURNING object_id, account_id
                )
                SELECT sent.account_id, p.title, o.name, lower(s.during), upper(s.during), s.place
                FROM sent JOIN interview_booking b ON b.id = sent.object_id JOIN interview_slot s ON s.id = b.slot_id
                JOIN posting p ON p.id = s.posting_id JOIN organisation o ON o.id = p.organisation_id
                """
            ).decode((UUID, String, String, Date, Date, String).self)
            for (account, posting, organisation, start, end, place) in due {
                try await NotificationStore.add(
                    .interviewReminder(posting: posting, organisation: organisation, during: TimeWindow(start: start, end: end), place: place),
                    for: account, on: tx)
            }
            return due.count
        }
    }

    func shifts(now: Date) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                WITH due AS (
                    SELECT sa.id, sa.account_id,
                           CASE WHEN lower(sa.shift) <= \(now)::timestamptz + interval '2 hours' THEN '2h' ELSE '24h' END AS lead
                    FROM shift_assignment sa JOIN shift_demand d ON d.id = sa.demand_id
                    LEFT JOIN pool_member m ON m.account_id = sa.account_id
                    WHERE sa.status = 'confirmed' AND d.status = 'open'
                      AND lower(sa.shift) > \(now) AND lower(sa.shift) <= \(now)::timestamptz + interval '24 hours'
                      AND (lower(sa.shift) > \(now)::timestamptz + interval '2 hours' OR coalesce(m.remind_two_hours, false))
                ), sent AS (
                    INSERT INTO reminder_sent (subject, object_id, account_id, lead)
                    SELECT 'shift', id, account_id, lead FROM due
                    ON CONFLICT DO NOTHING RETURNING object_id, account_id, lead
                )
                SELECT s.account_id, s.lead, lower(d.shift), upper(d.shift), o.name, l.name || ', ' || l.address
                FROM sent s JOIN shift_assignment sa ON sa.id = s.object_id JOIN shift_demand d ON d.id = sa.demand_id
                JOIN organisation o ON o.id = d.organisation_id LEFT JOIN organisation_location l ON l.id = d.location_id
                """
            ).decode((UUID, String, Date, Date, String, String?).self)
            for (account, lead, start, end, organisation, place) in due {
                try await NotificationStore.add(
                    .shiftReminder(shift: TimeWindow(start: start, end: end), organisation: organisation, place: place, hoursBefore: lead == "2h" ? 2 : 24),
                    for: account, on: tx)
            }
            return due.count
        }
    }

    func courses(today: Day) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                WITH due AS (
                    SELECT e.id, e.account_id, CASE WHEN x.start_date = \(today) + 1 THEN '1d' ELSE '7d' END AS lead
                    FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
                    WHERE e.status = 'enrolled' AND x.withdrawn_at IS NULL
                      AND x.start_date > \(today) AND x.start_date <= \(today) + 7
                ), sent AS (
                    INSERT INTO reminder_sent (subject, object_id, account_id, lead)
                    SELECT 'course', id, account_id, lead FROM due
                    ON CONFLICT DO NOTHING RETURNING object_id, account_id, lead
                )
                SELECT s.account_id, s.lead, c.name, o.name, x.start_date
                FROM sent s JOIN enrolment e ON e.id = s.object_id JOIN course_offering x ON x.id = e.offering_id
                JOIN course c ON c.id = x.course_id JOIN organisation o ON o.id = c.organisation_id
                """
            ).decode((UUID, String, String, String, Day).self)
            for (account, lead, course, provider, starts) in due {
                try await NotificationStore.add(.courseReminder(course: course, provider: provider, starts: starts, tomorrow: lead == "1d"), for: account, on: tx)
            }
            return due.count
        }
    }

    func meetings(today: Day) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                WITH due AS (
                    SELECT r.id, r.account_id,
                           CASE WHEN (lower(v.during) AT TIME ZONE 'Europe/Amsterdam')::date = \(today) + 1 THEN '1d' ELSE '7d' END AS lead
                    FROM event_registration r JOIN event v ON v.id = r.event_id
                    WHERE r.status = 'registered' AND v.cancelled_at IS NULL
                      AND (lower(v.during) AT TIME ZONE 'Europe/Amsterdam')::date > \(today)
                      AND (lower(v.during) AT TIME ZONE 'Europe/Amsterdam')::date <= \(today) + 7
                ), sent AS (
                    INSERT INTO reminder_sent (subject, object_id, account_id, lead)
                    SELECT 'meeting', id, account_id, lead FROM due
                    ON CONFLICT DO NOTHING RETURNING object_id, account_id, lead
                )
                SELECT s.account_id, s.lead, v.id, v.title, lower(v.during), upper(v.during), v.place
                FROM sent s JOIN event_registration r ON r.id = s.object_id JOIN event v ON v.id = r.event_id
                """
            ).decode((UUID, String, UUID, String, Date, Date, String).self)
            for (account, lead, meeting, title, start, end, place) in due {
                try await NotificationStore.add(
                    .meetingReminder(title: title, during: TimeWindow(start: start, end: end), place: place, tomorrow: lead == "1d", meeting: meeting),
                    for: account, on: tx)
            }
            return due.count
        }
    }
}
