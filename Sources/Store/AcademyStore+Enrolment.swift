import Domain
import Foundation
import PQ

/// A course in the /academie list: its next offering and the places left there.
public struct CourseListing: Sendable, Hashable {
    public let course: StoredCourse
    public let nextStart: Day?
    /// nil: no limit (or no offering).
    public let placesLeft: Int?
}

/// An offering as the course page shows it.
public struct OfferingLine: Sendable, Hashable {
    public let offering: StoredOffering
    public let enrolled: Int
    public let waiting: Int
    public var placesLeft: Int? { offering.record.maxStudents.map { max(0, $0 - enrolled) } }
}

/// One of a person's enrolments.
public struct MyEnrolment: Sendable, Hashable {
    public let id: UUID
    public let courseID: UUID
    public let courseName: String
    public let provider: String
    public let offering: OfferingRecord
    public let status: EnrolmentStatus
    public let waitingPosition: Int?
    public let promoted: Bool
    public let courseWithdrawn: Bool
    public let points: Double?
    public let register: String?
}

public struct Participant: Sendable, Hashable {
    public let enrolmentID: UUID
    public let name: String
    public let email: String
    public let status: EnrolmentStatus
}

public struct ReflectionLine: Sendable, Hashable {
    public let heldOn: Day
    public let kind: String
    public let hours: Double
    public let note: String
}

extension AcademyStore {
    public enum EnrolFailure: Error, Sendable, Equatable {
        /// Withdrawn, outside the enrolment window, or already begun.
        case notOpen
        /// The provider keeps its own enrolment system.
        case enrolsElsewhere
        case alreadyEnrolled
    }

    // MARK: Browsing

    public struct Filter: Sendable {
        public var query = ""
        public var topic = ""
        public var organisation = ""
        public var format = ""
        public var register = ""
        public var minimumPoints: Double?
        public var from: Day?
        public var until: Day?
        public init() {}
    }

    /// Courses matching the filter, best match first when searching, then by next start.
    public func search(_ filter: Filter, today: Day, limit: Int = 100) async throws -> [CourseListing] {
        var conditions: [SQL] = ["c.withdrawn_at IS NULL"]
        var rank: SQL = "0"
        if !filter.query.trimmingCharacters(in: .whitespaces).isEmpty {
            // The vacancy bank's Dutch search: stems, plurals and compounds
            // (SearchTerms). Stop words alone do not narrow the list.
            let words = SearchTerms.tsquery(filter.query)
            conditions.append("((\(words)) IS NULL OR c.search @@ (\(words)))")
            rank = "coalesce(ts_rank(c.search, (\(words))), 0)"
        }
        if !filter.topic.isEmpty { conditions.append("\(filter.topic) = ANY(c.topics)") }
        if !filter.organisation.isEmpty { conditions.append("o.slug = \(filter.organisation)") }
        if !filter.format.isEmpty { conditions.append("c.format = \(filter.format)") }
        if !filter.register.isEmpty { conditions.append("c.register = \(filter.register)") }
        if let points = filter.minimumPoints { conditions.append("c.points >= \(points)") }
        let from = filter.from ?? today
        let until: SQL = filter.until.map { "AND x.start_date <= \($0)" } ?? ""
        // The page's courses are chosen on their sort keys alone; only those are read in
        // full (with their offering counts): with 5,000 courses, not 5,000 full rows.
        return try await pool.query(
            """
            WITH next AS (
                -- Each course's next offering, in one pass over the offerings to come.
                SELECT DISTINCT ON (x.course_id) x.course_id, x.start_date, x.max_students - x.enrolled AS places_left
                FROM course_offering x WHERE x.withdrawn_at IS NULL AND x.start_date >= \(from) \(until)
                ORDER BY x.course_id, x.start_date, x.id
            ), picked AS (
                SELECT c.id, n.start_date, n.places_left, \(rank) AS rank
                FROM course c JOIN organisation o ON o.id = c.organisation_id
                LEFT JOIN next n ON n.course_id = c.id
                WHERE \(SQL.joined(conditions, separator: " AND "))
                  AND (n.start_date IS NOT NULL OR (\(filter.from == nil && filter.until == nil) AND c.format = 'e_learning'))
                ORDER BY rank DESC, n.start_date NULLS LAST, c.name, c.id
                LIMIT \(limit)
            )
            SELECT \(Self.courseColumns), p.start_date, p.places_left
            FROM picked p JOIN course c ON c.id = p.id JOIN organisation o ON o.id = c.organisation_id
            ORDER BY p.rank DESC, p.start_date NULLS LAST, c.name, c.id
            """
        ).map { row in
            let course = try Self.decodeCourse(row)
            let start = try row.decode(column: "start_date", as: Day?.self)
            let left = try row.decode(column: "places_left", as: Int?.self)
            return CourseListing(course: course, nextStart: start, placesLeft: left.map { max(0, $0) })
        }
    }

    /// The topics in the catalogue, for the filter.
    public func topics() async throws -> [String] {
        try await pool.query(
            "SELECT DISTINCT unnest(topics) AS t FROM course WHERE withdrawn_at IS NULL ORDER BY t"
        ).decode(String.self)
    }

    /// A course's offerings still to come (or running), with places and the waiting list.
    public func upcomingOfferings(of course: UUID, today: Day) async throws -> [OfferingLine] {
        let all = try await offerings(of: course, page: 1, pageSize: 250).offerings.filter { $0.record.endDate >= today }
        let counts = try await pool.query(
            """
            SELECT x.id, x.enrolled, (SELECT count(*) FROM enrolment e WHERE e.offering_id = x.id AND e.status = 'waitlisted')
            FROM course_offering x WHERE x.course_id = \(course)
            """
        ).decode((UUID, Int, Int).self)
        let byID = Dictionary(uniqueKeysWithValues: counts.map { id, enrolled, waiting in (id, (enrolled: enrolled, waiting: waiting)) })
        return all.map { OfferingLine(offering: $0, enrolled: byID[$0.id]?.enrolled ?? 0, waiting: byID[$0.id]?.waiting ?? 0) }
    }

    /// Counts a click through to a provider's own enrolment system; returns the link.
    public func clickThrough(_ course: UUID, by account: Account.ID?) async throws -> String? {
        guard let link = try await pool.query(
            "SELECT link FROM course WHERE id = \(course) AND withdrawn_at IS NULL AND NOT enrols_here AND link IS NOT NULL"
        ).first(decoding: String.self) else { return nil }
        _ = try await pool.query("INSERT INTO course_click (course_id, account_id) VALUES (\(course), \(account))")
        return link
    }

    // MARK: Enrolling

    /// The course an offering belongs to.
    public func course(ofOffering offering: UUID) async throws -> UUID? {
        try await pool.query("SELECT course_id FROM course_offering WHERE id = \(offering)").first(decoding: UUID.self)
    }

    /// Enrols in an offering, or puts the person on its waiting list when it is full.
    /// Under a lock on the offering, so places are never exceeded and the waiting list
    /// keeps the order in which requests were taken.
    public func enrol(_ offering: UUID, account: Account.ID, today: Day) async throws -> EnrolmentStatus {
        do {
            return try await pool.transaction { tx in
                guard let (maxStudents, enrolled, startDate, enrollStartDate, enrollEndDate, enrolsHere, live) = try await tx.query(
                    """
                    SELECT x.max_students, x.enrolled, x.start_date, x.enroll_start_date, x.enroll_end_date, c.enrols_here,
                           x.withdrawn_at IS NULL AND c.withdrawn_at IS NULL
                    FROM course_offering x JOIN course c ON c.id = x.course_id
                    WHERE x.id = \(offering) FOR UPDATE OF x
                    """
                ).first?.decode((Int?, Int, Day, Day?, Day?, Bool, Bool).self) else { throw EnrolFailure.notOpen }
                guard live, startDate > today, enrollStartDate.map({ $0 <= today }) ?? true, enrollEndDate.map({ today <= $0 }) ?? true else { throw EnrolFailure.notOpen }
                guard enrolsHere else { throw EnrolFailure.enrolsElsewhere }
                let status: EnrolmentStatus = maxStudents.map { enrolled < $0 } ?? true ? .enrolled : .waitlisted
                _ = try await tx.query(
                    "INSERT INTO enrolment (offering_id, account_id, status) VALUES (\(offering), \(account), \(status.rawValue))")
                return status
            }
        } catch let error as PostgresError where error.constraint == Constraint.enrolmentLiveOnce {
            throw EnrolFailure.alreadyEnrolled
        }
    }

    /// Cancels one's own enrolment (or waiting-list place) before the start. A freed
    /// place goes to the first on the waiting list, who is marked as promoted (and
    /// told on their page). Returns whether it cancelled, and who moved up.
    public func cancel(_ enrolment: UUID, account: Account.ID, today: Day) async throws -> (cancelled: Bool, promoted: Account.ID?) {
        try await pool.transaction { tx in
            guard let offering = try await tx.query(
                """
                SELECT x.id FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
                WHERE e.id = \(enrolment) AND e.account_id = \(account) AND e.status IN ('enrolled', 'waitlisted') AND x.start_date > \(today)
                """
            ).first(decoding: UUID.self) else { return (false, nil) }
            // The offering's lock first, as enrol takes it.
            _ = try await tx.query("SELECT 1 FROM course_offering WHERE id = \(offering) FOR UPDATE")
            _ = try await tx.query("UPDATE enrolment SET status = 'cancelled', decided_at = now(), decided_by = \(account) WHERE id = \(enrolment)")
            let promoted = try await tx.query(
                """
                UPDATE enrolment SET status = 'enrolled', promoted_at = now()
                WHERE id = (
                    SELECT e.id FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
                    WHERE e.offering_id = \(offering) AND e.status = 'waitlisted' AND (x.max_students IS NULL OR x.enrolled < x.max_students)
                    ORDER BY e.requested_at, e.id LIMIT 1)
                RETURNING account_id
                """
            ).first(decoding: UUID.self)
            if let promoted, let (course, starts) = try await tx.query(
                """
                SELECT c.name, x.start_date FROM course_offering x JOIN course c ON c.id = x.course_id WHERE x.id = \(offering)
                """
            ).first(decoding: (String, Day).self) {
                try await NotificationStore.add(.waitlistPlace(course: course, starts: starts), for: promoted, on: tx)
            }
            return (true, promoted)
        }
    }

    /// A person's enrolments, newest offering first.
    public func enrolments(of account: Account.ID) async throws -> [MyEnrolment] {
        let rows = try await pool.query(
            """
            SELECT e.id, c.id, c.name, o.name, x.primary_code, c.primary_code, x.start_date, x.end_date, x.place, e.status,
                   CASE WHEN e.status = 'waitlisted' THEN (SELECT count(*) FROM enrolment w WHERE w.offering_id = e.offering_id
                        AND w.status = 'waitlisted' AND (w.requested_at, w.id) <= (e.requested_at, e.id)) END,
                   e.promoted_at IS NOT NULL, c.withdrawn_at IS NOT NULL OR x.withdrawn_at IS NOT NULL,
                   e.points_awarded::float8, e.register
            FROM enrolment e JOIN course_offering x ON x.id = e.offering_id JOIN course c ON c.id = x.course_id
            JOIN organisation o ON o.id = c.organisation_id
            WHERE e.account_id = \(account) AND e.status <> 'cancelled'
            ORDER BY x.start_date DESC, e.id
            """
        ).decode((UUID, UUID, String, String, String, String, Day, Day, String?, String, Int?, Bool, Bool, Double?, String?).self)
        return rows.map { id, courseID, courseName, provider, offeringCode, courseCode, startDate, endDate, place, status, waitingPosition, promoted, courseWithdrawn, points, register in
            MyEnrolment(
                id: id, courseID: courseID, courseName: courseName, provider: provider,
                offering: OfferingRecord(primaryCode: offeringCode, courseCode: courseCode, startDate: startDate, endDate: endDate, place: place),
                status: EnrolmentStatus(rawValue: status) ?? .enrolled, waitingPosition: waitingPosition, promoted: promoted, courseWithdrawn: courseWithdrawn,
                points: points, register: register)
        }
    }

    // MARK: The provider's side

    public struct ProviderOffering: Sendable, Hashable {
        public let id: UUID
        public let courseName: String
        public let startDate: Day
        public let endDate: Day
        public let enrolled: Int
        public let maxStudents: Int?
        public let waiting: Int
    }

    /// These organisations' offerings from `since` on (running and coming), by start.
    public func providerOfferings(_ organisations: [Organisation.ID], since: Day) async throws -> [ProviderOffering] {
        try await pool.query(
            """
            SELECT x.id, c.name, x.start_date, x.end_date, x.enrolled, x.max_students,
                   (SELECT count(*) FROM enrolment e WHERE e.offering_id = x.id AND e.status = 'waitlisted')
            FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE c.organisation_id = ANY(\(organisations)::uuid[]) AND x.end_date >= \(since) AND x.withdrawn_at IS NULL
            ORDER BY x.start_date, c.name, x.id
            """
        ).decode((UUID, String, Day, Day, Int, Int?, Int).self).map { id, courseName, startDate, endDate, enrolled, maxStudents, waiting in
            ProviderOffering(id: id, courseName: courseName, startDate: startDate, endDate: endDate, enrolled: enrolled, maxStudents: maxStudents, waiting: waiting)
        }
    }

    /// The people on an offering of one of these organisations' courses; nil when the
    /// offering is not theirs.
    public func participants(of offering: UUID, organisations: [Organisation.ID]) async throws -> (course: String, offering: OfferingRecord, people: [Participant])? {
        guard let (courseName, offeringCode, courseCode, startDate, endDate, place) = try await pool.query(
            """
            SELECT c.name, x.primary_code, c.primary_code, x.start_date, x.end_date, x.place
            FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE x.id = \(offering) AND c.organisation_id = ANY(\(organisations)::uuid[])
            """
        ).first?.decode((String, String, String, Day, Day, String?).self) else { return nil }
        let people = try await pool.query(
            """
            SELECT e.id, a.display_name, a.email, e.status FROM enrolment e JOIN account a ON a.id = e.account_id
            WHERE e.offering_id = \(offering) AND e.status <> 'cancelled'
            ORDER BY e.status = 'waitlisted', e.requested_at, e.id
            """
        ).decode((UUID, String, String, String).self).map { enrolmentID, name, email, status in
            Participant(enrolmentID: enrolmentID, name: name, email: email, status: EnrolmentStatus(rawValue: status) ?? .enrolled)
        }
        return (courseName, OfferingRecord(primaryCode: offeringCode, courseCode: courseCode, startDate: startDate, endDate: endDate, place: place), people)
    }

    /// The provider records attendance or completion; a completed accredited course
    /// adds its points to the person's record. False when the enrolment is not one of
    /// these organisations' or cannot move so.
    public func record(_ enrolment: UUID, outcome: EnrolmentStatus, by actor: Account.ID, organisations: [Organisation.ID]) async throws -> Bool {
        guard EnrolmentStatus.outcomes.contains(outcome), let action = AuditAction.enrolment(outcome) else { return false }
        return try await pool.audited({ tx in
            let recorded = try await tx.query(
                """
                UPDATE enrolment e SET status = \(outcome.rawValue), decided_at = now(), decided_by = \(actor),
                    points_awarded = CASE WHEN \(outcome.rawValue) = 'completed' THEN c.points END,
                    register = CASE WHEN \(outcome.rawValue) = 'completed' THEN c.register END
                FROM course_offering x JOIN course c ON c.id = x.course_id
                WHERE e.id = \(enrolment) AND x.id = e.offering_id AND c.organisation_id = ANY(\(organisations)::uuid[])
                  AND e.status IN ('enrolled', 'attended', 'completed', 'no_show')
                """
            ).affectedRows == 1
            // A completion gives a certificate (once; a completion given again brings the
            // same code back); any other outcome takes it back.
            if recorded && outcome == .completed {
                _ = try await tx.query(
                    """
                    INSERT INTO certificate (code, enrolment_id, holder_name, course_name, provider, completed_on, points, register)
                    SELECT \(Certificate.newCode()), e.id, a.display_name, c.name, o.name,
                           least(x.end_date, (now() AT TIME ZONE 'Europe/Amsterdam')::date), e.points_awarded, e.register
                    FROM enrolment e JOIN account a ON a.id = e.account_id JOIN course_offering x ON x.id = e.offering_id
                    JOIN course c ON c.id = x.course_id JOIN organisation o ON o.id = c.organisation_id
                    WHERE e.id = \(enrolment)
                    ON CONFLICT (enrolment_id) DO UPDATE SET revoked_at = NULL, points = excluded.points, register = excluded.register
                    """)
            } else if recorded {
                _ = try await tx.query("UPDATE certificate SET revoked_at = now() WHERE enrolment_id = \(enrolment) AND revoked_at IS NULL")
            }
            return recorded
        }) { recorded in
            recorded ? AuditLine(action, by: actor, object: AuditObject("enrolment", enrolment)) : nil
        }
    }

    // MARK: Development

    /// Points earned for completed courses accredited by `register`, from `since` on.
    public func points(of account: Account.ID, register: String, since: Day) async throws -> Double {
        try await pool.query(
            """
            SELECT coalesce(sum(e.points_awarded), 0)::float8 FROM enrolment e JOIN course_offering x ON x.id = e.offering_id
            WHERE e.account_id = \(account) AND e.status = 'completed' AND e.register = \(register) AND x.end_date >= \(since)
            """
        ).first(decoding: Double.self) ?? 0
    }

    public func logReflection(_ account: Account.ID, kind: String, heldOn: Day, hours: Double, note: String) async throws {
        _ = try await pool.query(
            "INSERT INTO reflection_log (account_id, kind, held_on, hours, note) VALUES (\(account), \(kind), \(heldOn), \(hours), \(note))")
    }

    /// Reflection hours from `since`: what the person logged, and the intervision
    /// sessions whose facilitator confirmed them as present (counted by themselves, so
    /// nobody enters those twice).
    public func reflection(of account: Account.ID, since: Day) async throws -> [ReflectionLine] {
        try await pool.query(
            """
            SELECT held_on, kind, hours, note FROM (
                SELECT held_on, kind, hours::float8 AS hours, note, created_at FROM reflection_log
                WHERE account_id = \(account) AND held_on >= \(since)
                UNION ALL
                SELECT (lower(s.during) AT TIME ZONE 'Europe/Amsterdam')::date, 'intervision',
                       round((extract(epoch FROM upper(s.during) - lower(s.during)) / 3600)::numeric, 1)::float8,
                       'Intervisiegroep ' || g.name || ' (bevestigd door de begeleider)', t.confirmed_at
                FROM intervision_attendance t JOIN intervision_session s ON s.id = t.session_id JOIN intervision_group g ON g.id = s.group_id
                WHERE t.account_id = \(account) AND (lower(s.during) AT TIME ZONE 'Europe/Amsterdam')::date >= \(since)
            ) AS lines
            ORDER BY held_on DESC, created_at DESC
            """
        ).decode((Day, String, Double, String).self).map { heldOn, kind, hours, note in ReflectionLine(heldOn: heldOn, kind: kind, hours: hours, note: note) }
    }

    /// Whether the person was confirmed present at an intervision session on `day`.
    public func attendedIntervision(_ account: Account.ID, on day: Day) async throws -> Bool {
        try await pool.query(
            """
            SELECT 1 FROM intervision_attendance t JOIN intervision_session s ON s.id = t.session_id
            WHERE t.account_id = \(account) AND (lower(s.during) AT TIME ZONE 'Europe/Amsterdam')::date = \(day)
            """
        ).first != nil
    }
}
