import Domain
import Foundation
import PQ

/// One attempt to import a catalogue, as the log keeps it (12 months).
public struct ImportLogLine: Sendable, Hashable {
    public let id: UUID
    public let organisationName: String
    public let importedAt: Date
    public let source: AcademyStore.Source
    /// Who imported it: a person's name (an upload), or the API token's name; nil for the command line.
    public let importedBy: String?
    public let outcome: ImportReport.Outcome
    public let confirmed: Bool
    public let coursesInFile: Int
    public let inserted: Int
    public let updated: Int
    public let unchanged: Int
    public let withdrawn: Int
    public let withdrawnCourses: [ImportReport.WithdrawnCourse]
    public let rejected: [Catalogue.Rejection]
}

/// A course an import withdrew that can still be brought back by one action.
public struct RestorableCourse: Sendable, Hashable {
    public let id: UUID
    public let code: String
    public let name: String
    public let withdrawnAt: Date
    public let enrolments: Int
}

/// An upload waiting for its HR adviser to confirm the withdrawals it would make.
public struct PendingUpload: Sendable, Hashable {
    public let id: UUID
    public let organisationID: Organisation.ID
    public let content: String
    /// What the adviser was shown it would do.
    public let preview: ImportPreview?
}

extension AcademyStore {
    // MARK: The log

    /// The imports of these organisations (all when nil) in the last 12 months, newest first.
    public func importLog(organisations: [Organisation.ID]?, limit: Int = 100) async throws -> [ImportLogLine] {
        let scope: SQL = organisations.map { "AND i.organisation_id = ANY(\($0)::uuid[])" } ?? ""
        return try await pool.query(
            """
            SELECT i.id, o.name, i.imported_at, i.source, coalesce(a.display_name, t.name), i.outcome, i.confirmed, i.courses_in_file,
                   i.inserted, i.updated, i.unchanged, i.withdrawn, i.withdrawn_courses::text, i.rejected::text
            FROM catalogue_import i JOIN organisation o ON o.id = i.organisation_id LEFT JOIN account a ON a.id = i.imported_by
            LEFT JOIN api_token t ON t.id = i.api_token_id
            WHERE i.imported_at > now() - make_interval(months => \(WithdrawalRule.logMonths)::int) \(scope)
            ORDER BY i.imported_at DESC, i.id LIMIT \(limit)
            """
        ).decode((UUID, String, Date, String, String?, String, Bool, Int, Int, Int, Int, Int, String, String).self).map {
            id, organisation, at, source, by, outcome, confirmed, inFile, inserted, updated, unchanged, withdrawn, courses, rejected in
            let decoder = JSONDecoder()
            return ImportLogLine(
                id: id, organisationName: organisation, importedAt: at, source: Source(rawValue: source) ?? .command, importedBy: by,
                outcome: ImportReport.Outcome(rawValue: outcome) ?? .applied, confirmed: confirmed, coursesInFile: inFile,
                inserted: inserted, updated: updated, unchanged: unchanged, withdrawn: withdrawn,
                withdrawnCourses: (try? decoder.decode([ImportReport.WithdrawnCourse].self, from: Data(courses.utf8))) ?? [],
                rejected: (try? decoder.decode([Catalogue.Rejection].self, from: Data(rejected.utf8))) ?? [])
        }
    }

    // MARK: Bringing a course back

    /// Courses of these organisations that an import withdrew within the last 30 days.
    public func restorableCourses(organisations: [Organisation.ID], now: Date = Date()) async throws -> [RestorableCourse] {
        try await pool.query(
            """
            SELECT c.id, c.primary_code, c.name, c.withdrawn_at,
                   (SELECT count(*) FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
                    WHERE x.course_id = c.id AND e.status IN ('enrolled', 'waitlisted'))
            FROM course c
            WHERE c.organisation_id = ANY(\(organisations)::uuid[]) AND c.withdrawn_by_import IS NOT NULL
              AND c.withdrawn_at > \(now)::timestamptz - make_interval(days => \(WithdrawalRule.restorableDays)::int)
            ORDER BY c.withdrawn_at DESC, c.primary_code
            """
        ).decode((UUID, String, String, Date, Int).self).map { id, code, name, withdrawnAt, enrolments in
            RestorableCourse(id: id, code: code, name: name, withdrawnAt: withdrawnAt, enrolments: enrolments)
        }
    }

    /// Brings back a course an import withdrew, within 30 days: it is in the catalogue
    /// again with its offerings and everyone's enrolments, as if never withdrawn. False
    /// when it is not one of these organisations' or cannot come back by this action.
    public func restore(_ course: UUID, organisations: [Organisation.ID], by actor: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.audited({ tx in
            try await tx.query(
                """
                UPDATE course SET withdrawn_at = NULL, withdrawn_by_import = NULL, withdrawal_notified_at = NULL, updated_at = now()
                WHERE id = \(course) AND organisation_id = ANY(\(organisations)::uuid[]) AND withdrawn_by_import IS NOT NULL
                  AND withdrawn_at > \(now)::timestamptz - make_interval(days => \(WithdrawalRule.restorableDays)::int)
                """
            ).affectedRows == 1
        }) { restored in restored ? AuditLine(.courseRestore, by: actor, object: AuditObject("course", course)) : nil }
    }

    // MARK: Telling people, once a withdrawal holds

    /// Tells everyone enrolled (or waiting) on a coming offering of a course that has
    /// been withdrawn for at least an hour, once; a withdrawal undone sooner tells
    /// nobody. Safe on every instance at once: each course is claimed by one UPDATE.
    /// Returns how many people were told.
    @discardableResult
    public func notifyWithdrawals(now: Date = Date()) async throws -> Int {
        try await pool.transaction { tx in
            let told = try await tx.query(
                """
                WITH due AS (
                    UPDATE course SET withdrawal_notified_at = \(now)
                    WHERE withdrawn_at IS NOT NULL AND withdrawal_notified_at IS NULL
                      AND withdrawn_at <= \(now)::timestamptz - make_interval(secs => \(WithdrawalRule.notifyAfter))
                    RETURNING id, name, organisation_id
                )
                SELECT DISTINCT ON (e.account_id, due.id) e.account_id, due.name, o.name, x.start_date
                FROM due JOIN organisation o ON o.id = due.organisation_id
                JOIN course_offering x ON x.course_id = due.id AND x.withdrawn_at IS NULL
                JOIN enrolment e ON e.offering_id = x.id AND e.status IN ('enrolled', 'waitlisted')
                WHERE x.end_date >= (\(now)::timestamptz AT TIME ZONE 'Europe/Amsterdam')::date
                ORDER BY e.account_id, due.id, x.start_date
                """
            ).decode((UUID, String, String, Day).self)
            for (person, course, provider, starts) in told {
                try await NotificationStore.add(.courseWithdrawn(course: course, provider: provider, starts: starts), for: person, on: tx)
            }
            return told.count
        }
    }

    // MARK: Uploads waiting for a confirmation

    /// Keeps an upload until its adviser confirms the preview it was shown (an hour at
    /// most); returns its id for the confirm form.
    public func keepUpload(_ content: String, preview: ImportPreview, organisation: Organisation.ID, by account: Account.ID) async throws -> UUID {
        try await pool.query(
            """
            INSERT INTO catalogue_upload (organisation_id, account_id, content, preview)
            VALUES (\(organisation), \(account), \(content), \(JSONB(preview)))
            RETURNING id
            """
        ).first(decoding: UUID.self)!
    }

    /// Takes (and removes) an upload this account made within the last hour.
    public func takeUpload(_ id: UUID, by account: Account.ID) async throws -> PendingUpload? {
        try await pool.query(
            """
            DELETE FROM catalogue_upload
            WHERE id = \(id) AND account_id = \(account) AND created_at > now() - interval '1 hour'
            RETURNING id, organisation_id, content, preview::text
            """
        ).first(decoding: (UUID, UUID, String, String?).self).map { id, organisation, content, preview in
            PendingUpload(id: id, organisationID: organisation, content: content,
                          preview: preview.flatMap { try? JSONDecoder().decode(ImportPreview.self, from: Data($0.utf8)) })
        }
    }

    /// Removes uploads nobody confirmed within the hour and import log lines older than
    /// 12 months. Returns how many of each went.
    @discardableResult
    public func applyImportRetention(now: Date = Date()) async throws -> (uploads: Int, logLines: Int) {
        try await pool.transaction { tx in
            let uploads = try await tx.query(
                "DELETE FROM catalogue_upload WHERE created_at < \(now)::timestamptz - interval '1 hour'").affectedRows
            let lines = try await tx.query(
                """
                DELETE FROM catalogue_import i
                WHERE imported_at < \(now)::timestamptz - make_interval(months => \(WithdrawalRule.logMonths)::int)
                  AND NOT EXISTS (SELECT FROM course c WHERE c.withdrawn_by_import = i.id AND c.withdrawn_at IS NOT NULL
                                  AND c.withdrawn_at > \(now)::timestamptz - make_interval(days => \(WithdrawalRule.restorableDays)::int))
                """).affectedRows
            return (uploads, lines)
        }
    }
}
