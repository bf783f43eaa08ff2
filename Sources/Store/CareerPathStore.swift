import Domain
import Foundation
import PQ

/// An upcoming offering of a course on one of a step's topics.
public struct StepOffering: Sendable, Hashable {
    public let courseID: UUID
    public let course: String
    public let provider: String
    public let startDate: Day
    public let topics: [String]
}

/// The career-path catalogue (functions with education level and CAO scale, steps with
/// what they take) and what a professional has towards it.
public struct CareerPathStore: Sendable {
    let pool: Pool

    /// Sets a function's education level and CAO scale; false when there is no such function.
    @discardableResult
    public func updateFunction(_ code: String, educationLevel: EducationLevel?, caoScale: String?) async throws -> Bool {
        !(try await pool.query(
            """
            UPDATE job_function SET education_level = \(educationLevel?.rawValue), cao_scale = \(caoScale)
            WHERE code = \(code) RETURNING code
            """
        ).isEmpty)
    }

    /// Every step, or those leaving one of `functions` (or the one with `id`), by the names of their functions.
    public func steps(from functions: [String]? = nil, id: UUID? = nil) async throws -> [CareerStep] {
        try await pool.query(SQL(plannedEachTime:
            """
            SELECT s.id, s.from_function, s.to_function, s.education, s.registration, s.experience_years, s.note,
                   coalesce((SELECT array_agg(t.topic ORDER BY t.topic) FROM career_step_topic t WHERE t.step_id = s.id), '{}')
            FROM career_step s JOIN job_function f ON f.code = s.from_function JOIN job_function t ON t.code = s.to_function
            WHERE (\(functions)::text[] IS NULL OR s.from_function = ANY(\(functions)::text[]))
              AND (\(id)::uuid IS NULL OR s.id = \(id)::uuid)
            ORDER BY f.name, t.name
            """
        )).decode((UUID, String, String, String, String?, Int, String, [String]).self).map { id, fromFunction, toFunction, education, registration, experienceYears, note, topics in
            CareerStep(id: id, fromFunction: fromFunction, toFunction: toFunction, education: education, registration: registration.flatMap(Register.init(rawValue:)),
                       experienceYears: experienceYears, topics: topics, note: note)
        }
    }

    public func step(_ id: UUID) async throws -> CareerStep? {
        try await steps(id: id).first
    }

    public enum SaveFailure: Error, Sendable, Equatable {
        /// There is already a step between these two functions.
        case duplicate
    }

    /// Adds the step, or replaces the one with its id; its topics are replaced whole.
    public func save(_ step: CareerStep, by actor: Account.ID?) async throws {
        do {
            try await pool.transaction { tx in
                _ = try await tx.query(
                    """
                    INSERT INTO career_step (id, from_function, to_function, education, registration, experience_years, note)
                    VALUES (\(step.id), \(step.fromFunction), \(step.toFunction), \(step.education), \(step.registration?.rawValue),
                            \(step.experienceYears), \(step.note))
                    ON CONFLICT (id) DO UPDATE SET from_function = excluded.from_function, to_function = excluded.to_function,
                        education = excluded.education, registration = excluded.registration,
                        experience_years = excluded.experience_years, note = excluded.note, updated_at = now()
                    """
                )
                _ = try await tx.query("DELETE FROM career_step_topic WHERE step_id = \(step.id)")
                _ = try await tx.query(
                    "INSERT INTO career_step_topic (step_id, topic) SELECT \(step.id), unnest(\(step.topics)::text[])")
                try await AuditLine(.careerStepSave, by: actor, object: AuditObject("career_step", step.id)).write(on: tx)
            }
        } catch let error as PostgresError where error.constraint == Constraint.careerStepOnce {
            throw SaveFailure.duplicate
        }
    }

    @discardableResult
    public func delete(_ id: UUID, by actor: Account.ID?) async throws -> Bool {
        try await pool.audited({ tx in
            !(try await tx.query("DELETE FROM career_step WHERE id = \(id) RETURNING id").isEmpty)
        }) { deleted in deleted ? AuditLine(.careerStepDelete, by: actor, object: AuditObject("career_step", id)) : nil }
    }

    // MARK: A professional's standing

    /// The functions of the jobs the person holds now.
    public func currentFunctions(of account: Account.ID) async throws -> [String] {
        try await pool.query(
            "SELECT DISTINCT function_code FROM employment WHERE account_id = \(account) AND ended_on IS NULL ORDER BY 1"
        ).decode(String.self)
    }

    /// Education, registrations valid on `today`, years of employment up to `today`, and
    /// the topics of the courses they completed.
    public func standing(of account: Account.ID, today: Day) async throws -> CareerStanding {
        let row = try await pool.query(
            """
            SELECT (SELECT education_level FROM professional WHERE account_id = \(account)),
                   coalesce((SELECT array_agg(register ORDER BY register) FROM registration
                             WHERE account_id = \(account) AND registered_on <= \(today) AND (expires_on IS NULL OR expires_on >= \(today))), '{}'),
                   coalesce((SELECT sum(least(coalesce(ended_on, \(today)), \(today)) - started_on) FROM employment
                             WHERE account_id = \(account) AND started_on <= \(today)), 0)::float8 / 365.25,
                   coalesce((SELECT array_agg(DISTINCT topic ORDER BY topic) FROM enrolment e
                             JOIN course_offering x ON x.id = e.offering_id JOIN course c ON c.id = x.course_id
                             CROSS JOIN LATERAL unnest(c.topics) AS topic
                             WHERE e.account_id = \(account) AND e.status = 'completed'), '{}')
            """
        ).first(decoding: (EducationLevel?, [String], Double, [String]).self)
        let (educationLevel, registrations, experienceYears, completedTopics) = row ?? (nil, [], 0, [])
        return CareerStanding(
            educationLevel: educationLevel, registrations: Set(registrations.compactMap(Register.init(rawValue:))),
            experienceYears: experienceYears, completedTopics: Set(completedTopics))
    }

    /// Upcoming offerings (starting after `today`, not withdrawn) of courses on any of
    /// `topics`, soonest first.
    public func offerings(onTopics topics: [String], today: Day, limit: Int = 5) async throws -> [StepOffering] {
        guard !topics.isEmpty else { return [] }
        return try await pool.query(
            """
            SELECT c.id, c.name, o.name, x.start_date, c.topics
            FROM course_offering x JOIN course c ON c.id = x.course_id JOIN organisation o ON o.id = c.organisation_id
            WHERE c.topics && \(topics)::text[] AND x.start_date > \(today) AND x.withdrawn_at IS NULL AND c.withdrawn_at IS NULL
            ORDER BY x.start_date, c.name, x.id
            LIMIT \(limit)
            """
        ).decode((UUID, String, String, Day, [String]).self).map { courseID, course, provider, startDate, topics in
            StepOffering(courseID: courseID, course: course, provider: provider, startDate: startDate, topics: topics.filter(topics.contains))
        }
    }
}
