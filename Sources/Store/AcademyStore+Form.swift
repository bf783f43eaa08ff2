import Domain
import Foundation
import PQ

/// An offering as its provider's course page lists it (ended and withdrawn ones too).
public struct CourseOfferingLine: Sendable, Hashable {
    public let id: UUID
    public let record: OfferingRecord
    public let withdrawn: Bool
    public let fromForm: Bool
    public let enrolled: Int
}

extension AcademyStore {
    /// Why a course or an offering from the form was not saved.
    public enum FormFailure: Error, Sendable, Equatable {
        /// Another course of the organisation has this code.
        case courseCodeTaken
        /// Another offering of the course has this code.
        case offeringCodeTaken
    }

    /// Adds a course made in the form (`id` nil) or changes one of these organisations'
    /// courses. A course made in the form is never withdrawn by a file import that does
    /// not name it. Returns the course's id; nil when `id` is not theirs.
    public func saveCourse(_ record: CourseRecord, id: UUID?, organisation: Organisation.ID, by actor: Account.ID) async throws -> UUID? {
        let search: SQL = """
            setweight(to_tsvector('dutch', \(record.name)), 'A') || setweight(to_tsvector('dutch', array_to_string(\(record.topics)::text[], ' ')), 'B')
              || setweight(to_tsvector('dutch', \(record.description)), 'C')
            """
        do {
            return try await pool.audited({ tx -> UUID? in
                if let id {
                    return try await tx.query(
                        """
                        UPDATE course SET primary_code = \(record.primaryCode), name = \(record.name), description = \(record.description),
                            abbreviation = \(record.abbreviation), level = \(record.level),
                            -- The form edits the Dutch texts; other languages an import brought stay.
                            names = CASE WHEN names = '[]' THEN names ELSE jsonb_build_array(jsonb_build_object('language', 'nl-NL', 'value', \(record.name)::text))
                                || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(names) e WHERE e->>'language' NOT LIKE 'nl%'), '[]') END,
                            descriptions = CASE WHEN descriptions = '[]' THEN descriptions
                                ELSE jsonb_build_array(jsonb_build_object('language', 'nl-NL', 'value', \(record.description)::text))
                                || coalesce((SELECT jsonb_agg(e) FROM jsonb_array_elements(descriptions) e WHERE e->>'language' NOT LIKE 'nl%'), '[]') END,
                            format = \(record.format.rawValue), duration = \(record.duration), link = \(record.link), enrols_here = \(record.enrolsHere),
                            topics = \(record.topics)::text[], target_functions = \(record.targetFunctions)::text[],
                            target_disciplines = \(record.targetDisciplines)::text[], study_hours = \(record.studyHours)::numeric,
                            register = \(record.register?.rawValue), points = \(record.points)::numeric,
                            accreditation_number = \(record.accreditationNumber), price_cents = \(record.priceCents), search = \(search),
                            updated_at = now()
                        WHERE id = \(id) AND organisation_id = \(organisation) AND withdrawn_at IS NULL
                        RETURNING id
                        """
                    ).first(decoding: UUID.self)
                }
                return try await tx.query(
                    """
                    INSERT INTO course (organisation_id, primary_code, name, description, abbreviation, teaching_language, level, format,
                        duration, link, enrols_here, topics, target_functions, target_disciplines, study_hours, register, points,
                        accreditation_number, price_cents, search, origin)
                    VALUES (\(organisation), \(record.primaryCode), \(record.name), \(record.description), \(record.abbreviation),
                        \(record.teachingLanguage), \(record.level), \(record.format.rawValue), \(record.duration), \(record.link), \(record.enrolsHere),
                        \(record.topics)::text[], \(record.targetFunctions)::text[], \(record.targetDisciplines)::text[], \(record.studyHours)::numeric,
                        \(record.register?.rawValue), \(record.points)::numeric, \(record.accreditationNumber), \(record.priceCents), \(search), 'form')
                    RETURNING id
                    """
                ).first(decoding: UUID.self)
            }) { saved in
                saved.map { AuditLine(.courseSave, by: actor, object: AuditObject("course", $0), reason: id == nil ? "nieuw via formulier" : "gewijzigd via formulier") }
            }
        } catch let error as PostgresError where error.constraint == Constraint.courseCodeOnce {
            throw FormFailure.courseCodeTaken
        }
    }

    /// Adds an offering to a course of these organisations (`id` nil) or changes one.
    /// Nil when the course or the offering is not theirs.
    public func saveOffering(
        _ record: OfferingRecord, id: UUID?, course: UUID, organisations: [Organisation.ID], by actor: Account.ID
    ) async throws -> UUID? {
        let sessions = String(decoding: try JSONEncoder.iso8601.encode(record.sessions), as: UTF8.self)
        do {
            return try await pool.audited({ tx -> UUID? in
                guard try await tx.query(
                    "SELECT 1 FROM course WHERE id = \(course) AND organisation_id = ANY(\(organisations)::uuid[]) AND withdrawn_at IS NULL"
                ).first != nil else { return nil }
                if let id {
                    return try await tx.query(
                        """
                        UPDATE course_offering SET primary_code = \(record.primaryCode), start_date = \(record.startDate),
                            end_date = \(record.endDate), enroll_start_date = \(record.enrollStartDate), enroll_end_date = \(record.enrollEndDate),
                            max_students = \(record.maxStudents), place = \(record.place), sessions = \(sessions)::jsonb, updated_at = now()
                        WHERE id = \(id) AND course_id = \(course) AND withdrawn_at IS NULL RETURNING id
                        """
                    ).first(decoding: UUID.self)
                }
                return try await tx.query(
                    """
                    INSERT INTO course_offering (course_id, primary_code, start_date, end_date, enroll_start_date, enroll_end_date, max_students,
                        place, sessions, origin)
                    VALUES (\(course), \(record.primaryCode), \(record.startDate), \(record.endDate), \(record.enrollStartDate), \(record.enrollEndDate),
                        \(record.maxStudents), \(record.place), \(sessions)::jsonb, 'form')
                    RETURNING id
                    """
                ).first(decoding: UUID.self)
            }) { saved in
                saved.map { AuditLine(.courseSave, by: actor, object: AuditObject("course_offering", $0), reason: id == nil ? "nieuwe uitvoering" : "uitvoering gewijzigd") }
            }
        } catch let error as PostgresError where error.constraint == Constraint.courseOfferingCodeOnce {
            throw FormFailure.offeringCodeTaken
        }
    }

    /// Withdraws one course of these organisations by hand: out of the catalogue, its
    /// enrolments kept; the people enrolled hear of it once it has held for an hour.
    public func withdrawCourse(_ id: UUID, organisations: [Organisation.ID], by actor: Account.ID) async throws -> Bool {
        try await pool.audited({ tx in
            try await tx.query(
                """
                UPDATE course SET withdrawn_at = now(), withdrawn_by_import = NULL, withdrawal_notified_at = NULL, updated_at = now()
                WHERE id = \(id) AND organisation_id = ANY(\(organisations)::uuid[]) AND withdrawn_at IS NULL
                """
            ).affectedRows == 1
        }) { done in done ? AuditLine(.courseWithdraw, by: actor, object: AuditObject("course", id)) : nil }
    }

    /// Withdraws one offering of a course of these organisations.
    public func withdrawOffering(_ id: UUID, course: UUID, organisations: [Organisation.ID], by actor: Account.ID) async throws -> Bool {
        try await pool.audited({ tx in
            try await tx.query(
                """
                UPDATE course_offering x SET withdrawn_at = now(), updated_at = now() FROM course c
                WHERE x.id = \(id) AND x.course_id = \(course) AND c.id = x.course_id AND c.organisation_id = ANY(\(organisations)::uuid[])
                  AND x.withdrawn_at IS NULL
                """
            ).affectedRows == 1
        }) { done in done ? AuditLine(.courseWithdraw, by: actor, object: AuditObject("course_offering", id)) : nil }
    }

    /// One live course of these organisations, for its form.
    public func course(_ id: UUID, organisations: [Organisation.ID]) async throws -> StoredCourse? {
        try await pool.query(
            """
            SELECT \(Self.courseColumns) FROM course c JOIN organisation o ON o.id = c.organisation_id
            WHERE c.id = \(id) AND c.organisation_id = ANY(\(organisations)::uuid[]) AND c.withdrawn_at IS NULL
            """
        ).first.map(Self.decodeCourse)
    }

    /// A course's offerings for its provider: the ones still to end, or all with `ended`.
    public func offerings(ofCourse course: UUID, ended: Bool, today: Day) async throws -> [CourseOfferingLine] {
        try await pool.query(
            """
            SELECT x.id, x.primary_code, x.start_date, x.end_date, x.enroll_start_date, x.enroll_end_date, x.max_students, x.place,
                   x.sessions::text, x.withdrawn_at IS NOT NULL, x.origin = 'form',
                   (SELECT count(*)::int FROM enrolment e WHERE e.offering_id = x.id AND e.status = 'enrolled')
            FROM course_offering x WHERE x.course_id = \(course) AND (\(ended) OR x.end_date >= \(today))
            ORDER BY x.start_date, x.primary_code
            """
        ).decode((UUID, String, Day, Day, Day?, Day?, Int?, String?, String, Bool, Bool, Int).self).map {
            id, code, start, end, enrollStart, enrollEnd, maximum, place, sessions, withdrawn, fromForm, enrolled in
            CourseOfferingLine(
                id: id,
                record: OfferingRecord(
                    primaryCode: code, courseCode: "", startDate: start, endDate: end, enrollStartDate: enrollStart, enrollEndDate: enrollEnd,
                    maxStudents: maximum, place: place,
                    sessions: (try? JSONDecoder.iso8601.decode([OfferingRecord.Session].self, from: Data(sessions.utf8))) ?? []),
                withdrawn: withdrawn, fromForm: fromForm, enrolled: enrolled)
        }
    }
}

extension JSONEncoder {
    /// Dates as ISO 8601, as sessions are stored.
    static var iso8601: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}

extension JSONDecoder {
    static var iso8601: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
