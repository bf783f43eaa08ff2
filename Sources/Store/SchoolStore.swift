import Domain
import Foundation
import PQ

/// A student as their school's internship coordinator sees them: one application to an
/// internship or traineeship.
public struct SchoolApplicationLine: Sendable, Hashable {
    public let student: String
    public let programme: String
    public let level: EducationLevel
    public let posting: Posting.ID
    public let postingTitle: String
    public let kind: Posting.Kind
    public let organisationName: String
    public let status: ApplicationStatus
    public let submittedAt: Date
}

/// An internship or traineeship place open in the region.
public struct InternshipPlaceLine: Sendable, Hashable {
    public let posting: Posting.ID
    public let title: String
    public let kind: Posting.Kind
    public let organisationName: String
    public let level: EducationLevel?
    /// Nil: the posting does not say how many.
    public let places: Int?
    public let closingDate: Day?
}

/// What a student told us of their study, and the partner school it is at (if it is one).
public struct StudentStudy: Sendable, Hashable {
    public let schoolText: String
    public let school: Organisation.ID?
    public let programme: String
    public let level: EducationLevel
}

/// Schools as partners: a student names their partner school and may let it follow their
/// applications; the school's internship coordinators see those applications (only with
/// that consent, only of their own students), the region's open internship and
/// traineeship places, and the agreements that name their school.
public struct SchoolStore: Sendable {
    let pool: Pool

    /// The student's study, nil when the account is not a student.
    public func study(of student: Account.ID) async throws -> StudentStudy? {
        try await pool.query("SELECT school, school_id, programme, level FROM student WHERE account_id = \(student)")
            .first(decoding: (String, UUID?, String, EducationLevel).self)
            .map { StudentStudy(schoolText: $0, school: $1, programme: $2, level: $3) }
    }

    /// Sets the partner school a student studies at (nil: none of them). False when the
    /// account is not a student or the school is not an active school.
    public func setSchool(of student: Account.ID, to school: Organisation.ID?) async throws -> Bool {
        try await pool.audited({ tx -> Bool in
            try await tx.query(
                """
                UPDATE student SET school_id = \(school),
                       school = coalesce((SELECT name FROM organisation WHERE id = \(school)), school)
                WHERE account_id = \(student)
                  AND (\(school)::uuid IS NULL OR EXISTS (SELECT FROM organisation WHERE id = \(school) AND kind = 'school' AND active))
                RETURNING 1
                """
            ).first != nil
        }) { changed in
            changed ? AuditLine(.studentSchool, by: student, about: student, object: AuditObject("student", student)) : nil
        }
    }

    /// The applications to internships and traineeships of `school`'s students who let
    /// the school follow them, newest first.
    public func applications(school: Organisation.ID, limit: Int = 500) async throws -> [SchoolApplicationLine] {
        try await pool.query(
            """
            SELECT a.display_name, st.programme, st.level, p.id, p.title, p.kind, o.name, ap.status, ap.created_at
            FROM student st JOIN account a ON a.id = st.account_id
            JOIN application ap ON ap.applicant_id = st.account_id
            JOIN posting p ON p.id = ap.posting_id JOIN organisation o ON o.id = p.organisation_id
            WHERE st.school_id = \(school) AND a.erased_at IS NULL AND p.kind IN ('internship', 'traineeship')
              AND EXISTS (SELECT FROM consent c WHERE c.account_id = st.account_id AND c.purpose = 'school_applications' AND c.withdrawn_at IS NULL)
            ORDER BY ap.created_at DESC, ap.id
            LIMIT \(limit)
            """
        ).decode((String, String, EducationLevel, UUID, String, Posting.Kind, String, ApplicationStatus, Date).self).map {
            SchoolApplicationLine(student: $0, programme: $1, level: $2, posting: $3, postingTitle: $4, kind: $5, organisationName: $6,
                                  status: $7, submittedAt: $8)
        }
    }

    /// How many of the school's students let it follow their applications, and how many
    /// students named the school.
    public func consenting(school: Organisation.ID) async throws -> (consenting: Int, students: Int) {
        try await pool.query(
            """
            SELECT count(*) FILTER (WHERE EXISTS (SELECT FROM consent c WHERE c.account_id = st.account_id
                                                  AND c.purpose = 'school_applications' AND c.withdrawn_at IS NULL)),
                   count(*)
            FROM student st JOIN account a ON a.id = st.account_id WHERE st.school_id = \(school) AND a.erased_at IS NULL
            """
        ).first(decoding: (Int, Int).self) ?? (0, 0)
    }

    /// The internship and traineeship places published and open to everyone in the
    /// region (not those still internal to the member organisations), by closing date
    /// (those without one last).
    public func openPlaces(today: Day, limit: Int = 300) async throws -> [InternshipPlaceLine] {
        try await pool.query(
            """
            SELECT p.id, p.title, p.kind, o.name, p.education_level, p.places, p.closing_date
            FROM posting p JOIN organisation o ON o.id = p.organisation_id
            WHERE p.kind IN ('internship', 'traineeship') AND p.status = 'published'
              AND (p.closing_date IS NULL OR p.closing_date >= \(today))
              AND (p.internal_until IS NULL OR p.internal_until < \(today))
            ORDER BY p.closing_date NULLS LAST, o.name, p.title, p.id
            LIMIT \(limit)
            """
        ).decode((UUID, String, Posting.Kind, String, EducationLevel?, Int?, Day?).self).map {
            InternshipPlaceLine(posting: $0, title: $1, kind: $2, organisationName: $3, level: $4, places: $5, closingDate: $6)
        }
    }
}
