import Domain
import Foundation
import PQ

/// Averages of an offering's evaluations (per question, in `EvaluationQuestion`
/// order), shown only from `minimumAnswers` answers on, so that nobody's answer can
/// be told from a small group's.
public struct EvaluationAverages: Sendable, Hashable {
    public let answers: Int
    public let averages: [Double]
}

extension AcademyStore {
    /// Below this many answers, averages are not shown (to anyone).
    public static let minimumAnswers = 3

    // MARK: Certificates

    /// The certificate of a code, when it exists and was not taken back.
    public func certificate(code: String) async throws -> Certificate? {
        guard let code = Certificate.normalised(code) else { return nil }
        return try await pool.query(
            """
            SELECT code, holder_name, course_name, provider, completed_on, points::float8, register FROM certificate
            WHERE code = \(code) AND revoked_at IS NULL
            """
        ).first(decoding: (String, String, String, String, Day, Double?, String?).self).map {
            Certificate(code: $0, holderName: $1, courseName: $2, provider: $3, completedOn: $4, points: $5, register: $6)
        }
    }

    /// The certificate of one's own enrolment.
    public func certificate(enrolment: UUID, of account: Account.ID) async throws -> Certificate? {
        guard let code = try await pool.query(
            """
            SELECT k.code FROM certificate k JOIN enrolment e ON e.id = k.enrolment_id
            WHERE k.enrolment_id = \(enrolment) AND e.account_id = \(account) AND k.revoked_at IS NULL
            """
        ).first(decoding: String.self) else { return nil }
        return try await certificate(code: code)
    }

    /// One's enrolments with a certificate, and their codes.
    public func certificateCodes(of account: Account.ID) async throws -> [UUID: String] {
        Dictionary(uniqueKeysWithValues: try await pool.query(
            """
            SELECT k.enrolment_id, k.code FROM certificate k JOIN enrolment e ON e.id = k.enrolment_id
            WHERE e.account_id = \(account) AND k.revoked_at IS NULL
            """
        ).decode((UUID, String).self))
    }

    // MARK: Evaluations

    public enum EvaluationFailure: Error, Sendable, Equatable {
        /// Not one's own enrolment, or the course was not followed (attended or completed).
        case notFollowed
        case alreadyGiven
    }

    /// The enrolments of `account` that may still be evaluated: followed (attended or
    /// completed), not evaluated yet.
    public func evaluable(of account: Account.ID) async throws -> Set<UUID> {
        Set(try await pool.query(
            """
            SELECT e.id FROM enrolment e WHERE e.account_id = \(account) AND e.status IN ('attended', 'completed')
              AND NOT EXISTS (SELECT FROM course_evaluation_given g WHERE g.enrolment_id = e.id)
            """
        ).decode(UUID.self))
    }

    /// Stores an evaluation: the answers under the offering only, and apart from them
    /// that this enrolment has answered. Once per enrolment.
    public func evaluate(_ enrolment: UUID, by account: Account.ID, answers: [EvaluationQuestion: Int]) async throws {
        let values = EvaluationQuestion.allCases.map { answers[$0] ?? 0 }
        do {
            try await pool.transaction { tx in
                guard let offering = try await tx.query(
                    "SELECT offering_id FROM enrolment WHERE id = \(enrolment) AND account_id = \(account) AND status IN ('attended', 'completed')"
                ).first(decoding: UUID.self) else { throw EvaluationFailure.notFollowed }
                _ = try await tx.query("INSERT INTO course_evaluation_given (enrolment_id) VALUES (\(enrolment))")
                _ = try await tx.query(
                    """
                    INSERT INTO course_evaluation (offering_id, relevance, trainer, applicable, recommend)
                    VALUES (\(offering), \(values[0]), \(values[1]), \(values[2]), \(values[3]))
                    """)
            }
        } catch let error as PostgresError where error.constraint == Constraint.courseEvaluationGivenOnce {
            throw EvaluationFailure.alreadyGiven
        }
    }

    /// The averages of an offering of these organisations; nil below the minimum.
    public func evaluationAverages(offering: UUID, organisations: [Organisation.ID]) async throws -> EvaluationAverages? {
        guard let (answers, a, b, c, d) = try await pool.query(
            """
            SELECT count(*), avg(v.relevance)::float8, avg(v.trainer)::float8, avg(v.applicable)::float8, avg(v.recommend)::float8
            FROM course_evaluation v JOIN course_offering x ON x.id = v.offering_id JOIN course c ON c.id = x.course_id
            WHERE v.offering_id = \(offering) AND c.organisation_id = ANY(\(organisations)::uuid[])
            """
        ).first(decoding: (Int, Double?, Double?, Double?, Double?).self), answers >= Self.minimumAnswers,
              let a, let b, let c, let d else { return nil }
        return EvaluationAverages(answers: answers, averages: [a, b, c, d])
    }

    /// How many answered an offering (shown even below the minimum).
    public func evaluationCount(offering: UUID) async throws -> Int {
        try await pool.query("SELECT count(*) FROM course_evaluation WHERE offering_id = \(offering)").first(decoding: Int.self) ?? 0
    }
}
