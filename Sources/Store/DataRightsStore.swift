import Domain
import Foundation
import PQ

/// What the retention job did on one run.
public struct RetentionReport: Sendable, Hashable {
    /// Applications whose motivation was removed.
    public let applicationsStripped: Int
    /// The moment it counted from.
    public let now: Date
}

/// A person's rights over their data (AVG): everything about them as JSON, erasure
/// under a pseudonym, and the retention of rejected applications.
public struct DataRightsStore: Sendable {
    let pool: Pool

    /// The rule the retention job applies: a rejected application keeps its motivation
    /// four weeks after the decision, or a year when the applicant asked for that.
    public static let shortRetention = "28 days"
    public static let longRetention = "1 year"

    // MARK: Export

    /// Every row about the person as one JSON document (UTF-8): their account, roles,
    /// profile, registrations, employment, consents, applications, enrolments,
    /// reflection, flexpool membership, availability and shifts, clicks, notifications,
    /// and the audit lines about them. Other people appear only as an organisation or a
    /// role, never by name.
    /// The download is itself an audit line about the person, written in the same
    /// transaction just before the document is read, so the document holds it too.
    public func export(_ account: Account.ID, now: Date = Date()) async throws -> String? {
        try await pool.transaction { tx in
            guard try await tx.query("SELECT 1 FROM account WHERE id = \(account) AND erased_at IS NULL").first != nil else { return nil }
            try await AuditLine(.dataExport, by: account, about: account).write(on: tx)
            return try await tx.query(
            """
            SELECT jsonb_build_object(
                'format', 'doorstroom-export/1',
                'exported_at', \(now)::timestamptz,
                'account', (SELECT jsonb_build_object('id', a.id, 'email', a.email, 'display_name', a.display_name,
                                                      'created_at', a.created_at, 'disabled', a.disabled)
                            FROM account a WHERE a.id = \(account)),
                'roles', (SELECT coalesce(jsonb_agg(jsonb_build_object('role', g.role, 'organisation', o.name, 'granted_at', g.granted_at)
                                                    ORDER BY g.granted_at, g.role), '[]')
                          FROM role_grant g LEFT JOIN organisation o ON o.id = g.organisation_id WHERE g.account_id = \(account)),
                'profile', (SELECT jsonb_build_object(
                                'education_level', p.education_level, 'disciplines', to_jsonb(p.disciplines),
                                'interests', to_jsonb(p.interests), 'hours_per_week', p.hours_per_week, 'updated_at', p.updated_at,
                                'vog_issued_on', p.vog_issued_on,
                                'inductions', (SELECT coalesce(jsonb_agg(jsonb_build_object('location', l.name, 'inducted_on', i.inducted_on)
                                                                         ORDER BY i.inducted_on, l.name), '[]')
                                               FROM pool_induction i JOIN organisation_location l ON l.id = i.location_id
                                               WHERE i.account_id = p.account_id),
                                'functions', (SELECT coalesce(jsonb_agg(pf.function_code ORDER BY pf.function_code), '[]')
                                              FROM professional_function pf WHERE pf.account_id = p.account_id),
                                'areas', (SELECT coalesce(jsonb_agg(pa.area_slug ORDER BY pa.area_slug), '[]')
                                          FROM professional_area pa WHERE pa.account_id = p.account_id))
                            FROM professional p WHERE p.account_id = \(account)),
                'registrations', (SELECT coalesce(jsonb_agg(jsonb_build_object('register', r.register, 'number', r.number,
                                                  'registered_on', r.registered_on, 'expires_on', r.expires_on) ORDER BY r.register), '[]')
                                  FROM registration r WHERE r.account_id = \(account)),
                'employment', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'organisation', o.name, 'function', e.function_code,
                                               'started_on', e.started_on, 'ended_on', e.ended_on) ORDER BY e.started_on, e.id), '[]')
                               FROM employment e JOIN organisation o ON o.id = e.organisation_id WHERE e.account_id = \(account)),
                'moves', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', m.id, 'from', f.name, 'to', t.name, 'function', m.function_code,
                                          'moved_on', m.moved_on) ORDER BY m.moved_on, m.id), '[]')
                          FROM mobility_move m JOIN organisation f ON f.id = m.from_organisation_id
                          JOIN organisation t ON t.id = m.to_organisation_id WHERE m.account_id = \(account)),
                'consents', (SELECT coalesce(jsonb_agg(jsonb_build_object('purpose', c.purpose, 'given_at', c.given_at,
                                             'withdrawn_at', c.withdrawn_at) ORDER BY c.given_at, c.id), '[]')
                             FROM consent c WHERE c.account_id = \(account)),
                'applications', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', a.id, 'posting', p.title, 'organisation', o.name,
                                                 'motivation', a.motivation, 'phone', a.phone, 'cv_file', (SELECT cv.file_name FROM application_cv cv WHERE cv.application_id = a.id), 'status', a.status, 'keep_for_a_year', a.keep_for_a_year,
                                                 'created_at', a.created_at, 'decided_at', a.decided_at,
                                                 'content_removed_at', a.content_removed_at) ORDER BY a.created_at, a.id), '[]')
                                 FROM application a JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
                                 WHERE a.applicant_id = \(account)),
                'duo_requests', (SELECT coalesce(jsonb_agg(jsonb_build_object('application', a.id, 'posting', p.title, 'organisation', o.name,
                                                 'status', a.status, 'confirmed_at', a.duo_confirmed_at) ORDER BY a.created_at, a.id), '[]')
                                 FROM application a JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
                                 WHERE a.duo_partner_id = \(account)),
                'enrolments', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', e.id, 'course', c.name, 'starts', x.start_date,
                                               'status', e.status, 'requested_at', e.requested_at, 'decided_at', e.decided_at,
                                               'points_awarded', e.points_awarded, 'register', e.register) ORDER BY e.requested_at, e.id), '[]')
                               FROM enrolment e JOIN course_offering x ON x.id = e.offering_id JOIN course c ON c.id = x.course_id
                               WHERE e.account_id = \(account)),
                'saved_postings', (SELECT coalesce(jsonb_agg(jsonb_build_object('posting', s.posting_id, 'saved_at', s.saved_at)
                                                   ORDER BY s.saved_at, s.posting_id), '[]') FROM saved_posting s WHERE s.account_id = \(account)),
                'job_alerts', (SELECT coalesce(jsonb_agg(jsonb_build_object('search', j.query, 'frequency', j.frequency, 'created_at', j.created_at)
                                               ORDER BY j.created_at, j.id), '[]') FROM job_alert j WHERE j.account_id = \(account)),
                'intervision', (SELECT coalesce(jsonb_agg(jsonb_build_object('group', g.name, 'theme', g.theme, 'discipline', m.discipline,
                                                  'joined_at', m.joined_at) ORDER BY m.joined_at, g.id), '[]')
                                FROM intervision_member m JOIN intervision_group g ON g.id = m.group_id WHERE m.account_id = \(account)),
                'intervision_attendance', (SELECT coalesce(jsonb_agg(jsonb_build_object('group', g.name, 'session', lower(s.during))
                                                             ORDER BY lower(s.during), s.id), '[]')
                                           FROM intervision_attendance t JOIN intervision_session s ON s.id = t.session_id
                                           JOIN intervision_group g ON g.id = s.group_id WHERE t.account_id = \(account)),
                'training_wishes', (SELECT coalesce(jsonb_agg(jsonb_build_object('topic', w.topic, 'why', CASE WHEN w.created_by = \(account) THEN w.why END,
                                                      'since', s.created_at) ORDER BY s.created_at, w.id), '[]')
                                    FROM training_wish_support s JOIN training_wish w ON w.id = s.wish_id WHERE s.account_id = \(account)),
                'career_conversations', (SELECT coalesce(jsonb_agg(jsonb_build_object('start', lower(s.during), 'adviser', a.display_name,
                                                         'topic', b.topic, 'question', b.question, 'status', b.status, 'booked_at', b.created_at)
                                                         ORDER BY b.created_at, b.id), '[]')
                                         FROM career_booking b JOIN career_slot s ON s.id = b.slot_id JOIN account a ON a.id = s.adviser_id
                                         WHERE b.account_id = \(account)),
                'study', (SELECT jsonb_build_object('school', st.school, 'programme', st.programme, 'level', st.level)
                          FROM student st WHERE st.account_id = \(account)),
                'certificates', (SELECT coalesce(jsonb_agg(jsonb_build_object('code', k.code, 'course', k.course_name, 'completed_on', k.completed_on,
                                                 'points', k.points, 'revoked_at', k.revoked_at) ORDER BY k.issued_at, k.code), '[]')
                                 FROM certificate k JOIN enrolment e ON e.id = k.enrolment_id WHERE e.account_id = \(account)),
                'reflection', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'kind', r.kind, 'held_on', r.held_on,
                                               'hours', r.hours, 'note', r.note) ORDER BY r.held_on, r.id), '[]')
                               FROM reflection_log r WHERE r.account_id = \(account)),
                'flexpool', (SELECT jsonb_build_object('weekly_cap_hours', m.weekly_cap_hours, 'joined_at', m.joined_at,
                                 'functions', (SELECT coalesce(jsonb_agg(f.function_code ORDER BY f.function_code), '[]')
                                               FROM pool_member_function f WHERE f.account_id = m.account_id),
                                 'disciplines', (SELECT coalesce(jsonb_agg(d.discipline ORDER BY d.discipline), '[]')
                                                 FROM pool_member_discipline d WHERE d.account_id = m.account_id),
                                 'areas', (SELECT coalesce(jsonb_agg(jsonb_build_object('area', r.area_slug, 'preferred', r.preferred)
                                                           ORDER BY r.area_slug), '[]')
                                           FROM pool_member_area r WHERE r.account_id = m.account_id),
                                 'availability', (SELECT coalesce(jsonb_agg(jsonb_build_object('from', lower(v.during), 'until', upper(v.during))
                                                                  ORDER BY lower(v.during), v.id), '[]')
                                                  FROM pool_availability v WHERE v.account_id = m.account_id))
                             FROM pool_member m WHERE m.account_id = \(account)),
                'shifts', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', s.id, 'organisation', o.name, 'from', lower(s.shift),
                                           'until', upper(s.shift), 'status', s.status, 'source', s.source, 'created_at', s.created_at,
                                           'decided_at', s.decided_at) ORDER BY lower(s.shift), s.id), '[]')
                           FROM shift_assignment s JOIN shift_demand d ON d.id = s.demand_id JOIN organisation o ON o.id = d.organisation_id
                           WHERE s.account_id = \(account)),
                'rotations', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'as', p.party, 'function', r.function_code,
                                              'from', r.starts_on, 'until', r.ends_on, 'status', r.status, 'home', h.name, 'host', g.name,
                                              'message', CASE WHEN p.party = 'proposer' THEN r.message END)
                                              ORDER BY r.starts_on, r.id), '[]')
                              FROM rotation_party p JOIN rotation r ON r.id = p.rotation_id
                              JOIN organisation h ON h.id = p.home_organisation_id JOIN organisation g ON g.id = p.host_organisation_id
                              WHERE p.account_id = \(account)),
                'meetings', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', r.id, 'meeting', e.title, 'from', lower(e.during),
                                             'until', upper(e.during), 'status', r.status, 'registered_at', r.created_at,
                                             'cancelled_at', r.cancelled_at) ORDER BY r.created_at, r.id), '[]')
                             FROM event_registration r JOIN event e ON e.id = r.event_id WHERE r.account_id = \(account)),
                'course_clicks', (SELECT coalesce(jsonb_agg(jsonb_build_object('course', c.name, 'clicked_at', k.clicked_at)
                                                  ORDER BY k.clicked_at, k.id), '[]')
                                  FROM course_click k JOIN course c ON c.id = k.course_id WHERE k.account_id = \(account)),
                'notifications', (SELECT coalesce(jsonb_agg(jsonb_build_object('id', n.id, 'kind', n.kind, 'subject', n.subject,
                                                  'body', n.body, 'created_at', n.created_at, 'read_at', n.read_at,
                                                  'email_state', n.email_state) ORDER BY n.created_at, n.id), '[]')
                                  FROM notification n WHERE n.account_id = \(account)),
                -- Who did what about the person: the actor as themself, or by role and organisation.
                'audit', (SELECT coalesce(jsonb_agg(jsonb_build_object(
                              'at', l.occurred_at, 'action', l.action, 'object_type', l.object_type, 'object_id', l.object_id,
                              'reason', l.reason,
                              'by', CASE WHEN l.actor_account_id = \(account) THEN 'jijzelf'
                                         WHEN l.actor_account_id IS NULL THEN 'het systeem'
                                         ELSE coalesce((SELECT string_agg(g.role || coalesce(' van ' || o.name, ''), ', ' ORDER BY g.role, o.name)
                                                        FROM role_grant g LEFT JOIN organisation o ON o.id = g.organisation_id
                                                        WHERE g.account_id = l.actor_account_id AND g.role <> 'professional' AND g.role <> 'student'),
                                                       'een andere gebruiker') END)
                              ORDER BY l.occurred_at, l.id), '[]')
                          FROM audit_log l WHERE l.subject_account_id = \(account))
            )::text
            WHERE EXISTS (SELECT FROM account WHERE id = \(account) AND erased_at IS NULL)
            """
        ).first(decoding: String.self)
        }
    }

    // MARK: Erasure

    /// Erases the account: the name, address, password, sessions, profile (the VOG date
    /// included), registrations, inductions,
    /// consents, flexpool membership, availability, reflection notes, notifications and
    /// the content of applications go; live applications are withdrawn, future
    /// enrolments and shifts given up. The row stays under a pseudonym, so that counts,
    /// moves, confirmed past shifts and other people's audit lines stay whole. Returns
    /// false when there was no such (unerased) account.
    public func erase(_ account: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.transaction { tx in
            // The old address first: login attempts are kept by address.
            guard let email = try await tx.query(
                "SELECT email FROM account WHERE id = \(account) AND erased_at IS NULL FOR UPDATE"
            ).first(decoding: String.self) else { return false }
            _ = try await tx.query("DELETE FROM login_attempt WHERE email_key = lower(\(email))")
            _ = try await tx.query("DELETE FROM session WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM consent WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM notification WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM reflection_log WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM registration WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM pool_induction WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM certificate WHERE enrolment_id IN (SELECT id FROM enrolment WHERE account_id = \(account))")
            _ = try await tx.query("DELETE FROM saved_posting WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM job_alert WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM intervision_request WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM career_booking WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM calendar_feed WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM student WHERE account_id = \(account)")
            _ = try await tx.query("UPDATE training_wish SET why = 'Verwijderd op verzoek.' WHERE created_by = \(account)")
            _ = try await tx.query("DELETE FROM credential_reminder WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM professional_function WHERE account_id = \(account)")
            _ = try await tx.query("DELETE FROM professional_area WHERE account_id = \(account)")
            _ = try await tx.query(
                """
                UPDATE professional SET education_level = NULL, disciplines = '{}', interests = '{}', hours_per_week = NULL,
                    vog_issued_on = NULL, updated_at = \(now) WHERE account_id = \(account)
                """)
            // Shifts still to come are given up (a coordinator sees the gap); the past stays.
            _ = try await tx.query(
                """
                UPDATE shift_assignment SET status = 'released', decided_at = \(now), decided_by = \(account)
                WHERE account_id = \(account) AND status IN ('proposed', 'confirmed') AND lower(shift) > \(now)
                """)
            _ = try await tx.query("DELETE FROM pool_member WHERE account_id = \(account)")
            _ = try await tx.query(
                """
                UPDATE enrolment e SET status = 'cancelled', decided_at = \(now), decided_by = \(account)
                FROM course_offering x
                WHERE x.id = e.offering_id AND e.account_id = \(account) AND e.status IN ('enrolled', 'waitlisted')
                  AND x.start_date > (\(now)::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date
                """)
            _ = try await tx.query(
                """
                UPDATE application SET status = CASE WHEN status IN ('submitted', 'in_review', 'invited') THEN 'withdrawn' ELSE status END,
                    motivation = NULL, phone = NULL, rejection_message = NULL, content_removed_at = \(now), updated_at = \(now)
                WHERE applicant_id = \(account) AND content_removed_at IS NULL
                """)
            // Open rotations end and no longer hold anyone's time; the proposer's words go.
            _ = try await tx.query(
                """
                WITH ended AS (
                    UPDATE rotation r SET status = 'withdrawn', decided_at = \(now)
                    FROM rotation_party p WHERE p.rotation_id = r.id AND p.account_id = \(account) AND r.status IN ('proposed', 'agreed')
                    RETURNING r.id
                )
                UPDATE rotation_party SET binding = false WHERE rotation_id IN (SELECT id FROM ended)
                """)
            _ = try await tx.query(
                """
                UPDATE rotation r SET message = '' FROM rotation_party p
                WHERE p.rotation_id = r.id AND p.account_id = \(account) AND p.party = 'proposer'
                """)
            _ = try await tx.query(
                """
                UPDATE event_registration r SET status = 'cancelled', cancelled_at = \(now)
                FROM event e WHERE e.id = r.event_id AND r.account_id = \(account) AND r.status = 'registered' AND lower(e.during) > \(now)
                """)
            _ = try await tx.query("UPDATE course_click SET account_id = NULL WHERE account_id = \(account)")
            let pseudonym = "verwijderd-" + account.uuidString.lowercased().prefix(8)
            _ = try await tx.query(
                """
                UPDATE account SET email = \(pseudonym + "-" + account.uuidString.lowercased() + "@verwijderd.invalid"),
                    display_name = \("Verwijderd account " + pseudonym.dropFirst("verwijderd-".count)),
                    password_hash = NULL, disabled = true, erased_at = \(now), updated_at = \(now)
                WHERE id = \(account)
                """)
            try await AuditLine(.accountErase, by: account, about: account, object: AuditObject("account", account)).write(on: tx)
            return true
        }
    }

    // MARK: Retention

    /// Strips the motivation of rejected applications past their retention at `now`,
    /// writing an audit line per application (about the applicant) and returning what
    /// it did.
    public func applyRetention(now: Date = Date()) async throws -> RetentionReport {
        let stripped = try await pool.transaction { tx in
            try await tx.query(
                """
                WITH expired AS (
                    UPDATE application SET motivation = NULL, phone = NULL, rejection_message = NULL, content_removed_at = \(now), updated_at = \(now)
                    WHERE status = 'rejected' AND content_removed_at IS NULL AND decided_at IS NOT NULL
                      AND decided_at < \(now)::timestamptz
                          - CASE WHEN keep_for_a_year THEN \(Self.longRetention)::interval ELSE \(Self.shortRetention)::interval END
                    RETURNING id, applicant_id, keep_for_a_year
                )
                INSERT INTO audit_log (actor_account_id, action, subject_account_id, object_type, object_id, reason)
                SELECT NULL, \(AuditAction.retentionApplication.rawValue), applicant_id, 'application', id::text,
                       CASE WHEN keep_for_a_year THEN 'Afgewezen, een jaar bewaard met toestemming' ELSE 'Afgewezen, vier weken bewaard' END
                FROM expired
                RETURNING object_id
                """
            ).count
        }
        return RetentionReport(applicationsStripped: stripped, now: now)
    }
}
