import Domain
import Foundation
import PQ

/// An application as its applicant sees it.
public struct MyApplication: Sendable, Hashable {
    public let id: UUID
    public let postingID: Posting.ID
    public let postingTitle: String
    public let postingKind: Posting.Kind
    public let organisationName: String
    public let status: ApplicationStatus
    public let submittedAt: Date
    /// The duo partner named on it, and whether they confirmed.
    public let duoPartnerName: String?
    public let duoConfirmed: Bool
    /// On a rejection: the reason from the list and the message.
    public var rejectionReason: RejectionReason? = nil
    public var rejectionMessage: String? = nil
}

/// An application as the HR adviser of the posting's organisation sees it.
public struct ReceivedApplication: Sendable, Hashable {
    public let id: UUID
    public let postingID: Posting.ID
    public let postingTitle: String
    public let applicantID: Account.ID
    public let applicantName: String
    public let applicantEmail: String
    /// Nil once retention or erasure removed it.
    public let motivation: String?
    public let status: ApplicationStatus
    public let submittedAt: Date
    /// The duo partner named on it, and whether they confirmed.
    public let duoPartnerName: String?
    public let duoConfirmed: Bool
    public let phone: String?
    /// The CV's file name, when one is attached.
    public let cvFileName: String?
}

public struct ApplicationStore: Sendable {
    let pool: Pool

    public enum ApplyFailure: Error, Sendable, Equatable {
        /// Not published, closing date passed, or not visible to this person.
        case postingNotOpen
        case alreadyApplied
        case placesTaken
        /// Not a duo job, or the partner is already named by someone else on it.
        case duoPartnerUnavailable
    }

    /// Applies to an open posting. The database refuses a second application by the
    /// same person and an application beyond the places of a shadow day. With
    /// `keepForAYear` the motivation is kept a year after a rejection instead of four
    /// weeks. With `duoPartner` (on a duo-job posting) two apply together; the partner
    /// is asked to confirm.
    /// The posting organisation's HR advisers hear of it (inbox and mail), in the same
    /// transaction; a CV and a phone number are kept with it.
    public func apply(
        to posting: Posting.ID, applicant: Account.ID, motivation: String, keepForAYear: Bool = false, duoPartner: Account.ID? = nil,
        phone: String? = nil, cv: CurriculumVitae? = nil
    ) async throws -> UUID {
        do {
            return try await pool.transaction { tx in
                let id = try await tx.query(
                    """
                    INSERT INTO application (posting_id, applicant_id, motivation, keep_for_a_year, duo_partner_id, phone)
                    SELECT p.id, \(applicant), \(motivation.trimmingCharacters(in: .whitespacesAndNewlines)), \(keepForAYear), \(duoPartner), \(phone)
                    FROM posting p
                    WHERE p.id = \(posting) AND p.status = 'published'
                      AND (p.closing_date IS NULL OR p.closing_date >= \(PostingStore.today))
                      AND (p.kind <> 'internship' OR p.places_taken < p.places)
                    RETURNING id
                    """
                ).first(decoding: UUID.self)
                guard let id else {
                    // Either closed, or an internship whose places are all filled.
                    let full = try await tx.query(
                        "SELECT places IS NOT NULL AND places_taken >= places FROM posting WHERE id = \(posting) AND status = 'published'"
                    ).first(decoding: Bool.self) ?? false
                    throw full ? ApplyFailure.placesTaken : ApplyFailure.postingNotOpen
                }
                if let cv {
                    _ = try await tx.query(
                        """
                        INSERT INTO application_cv (application_id, file_name, media_type, content)
                        VALUES (\(id), \(cv.fileName), \(cv.kind.rawValue), \(Data(cv.content)))
                        """)
                }
                try await notifyAdvisers(of: id, on: tx)
                if let duoPartner, let (name, title, organisation) = try await tx.query(
                    """
                    SELECT a.display_name, p.title, o.name FROM account a, posting p JOIN organisation o ON o.id = p.organisation_id
                    WHERE a.id = \(applicant) AND p.id = \(posting)
                    """
                ).first(decoding: (String, String, String).self) {
                    try await NotificationStore.add(.duoRequested(by: name, postingTitle: title, organisation: organisation), for: duoPartner, on: tx)
                }
                return id
            }
        } catch let error as PostgresError where error.constraint == Constraint.applicationOnce {
            throw ApplyFailure.alreadyApplied
        } catch let error as PostgresError where error.constraint == Constraint.postingPlacesKept {
            throw ApplyFailure.placesTaken
        } catch let error as PostgresError where error.constraint == Constraint.applicationDuoPosting || error.constraint == Constraint.applicationDuoPartnerOnce {
            throw ApplyFailure.duoPartnerUnavailable
        }
    }

    /// Tells the HR advisers of the posting's organisation that an application came in.
    private func notifyAdvisers(of application: UUID, on tx: Transaction) async throws {
        let rows = try await tx.query(
            """
            SELECT g.account_id, p.title, p.kind, p.id
            FROM application a JOIN posting p ON p.id = a.posting_id
            JOIN role_grant g ON g.role = 'hr_adviser' AND g.organisation_id = p.organisation_id
            WHERE a.id = \(application) ORDER BY g.account_id
            """
        ).decode((UUID, String, Posting.Kind, UUID).self)
        for (adviser, title, kind, posting) in rows {
            try await NotificationStore.add(.applicationReceived(postingTitle: title, kind: kind, posting: posting), for: adviser, on: tx)
        }
    }

    /// The applicant withdraws a live application; false when there is none to withdraw.
    public func withdraw(_ id: UUID, applicant: Account.ID) async throws -> Bool {
        try await pool.query(
            """
            UPDATE application SET status = 'withdrawn', updated_at = now()
            WHERE id = \(id) AND applicant_id = \(applicant) AND status IN ('submitted', 'in_review', 'invited')
            """
        ).affectedRows > 0
    }

    public func mine(_ applicant: Account.ID) async throws -> [MyApplication] {
        try await pool.query(
            """
            SELECT a.id, p.id, p.title, p.kind, o.name, a.status, a.created_at, d.display_name, a.duo_confirmed_at IS NOT NULL,
                   a.rejection_reason, a.rejection_message
            FROM application a JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
            LEFT JOIN account d ON d.id = a.duo_partner_id
            WHERE a.applicant_id = \(applicant) ORDER BY a.created_at DESC, a.id
            """
        ).decode((UUID, UUID, String, Posting.Kind, String, ApplicationStatus, Date, String?, Bool, String?, String?).self).map {
            id, postingID, postingTitle, postingKind, organisationName, status, submittedAt, duoPartnerName, duoConfirmed, reason, message in
            MyApplication(id: id, postingID: postingID, postingTitle: postingTitle, postingKind: postingKind, organisationName: organisationName, status: status, submittedAt: submittedAt,
                          duoPartnerName: duoPartnerName, duoConfirmed: duoConfirmed, rejectionReason: reason.flatMap(RejectionReason.init(rawValue:)),
                          rejectionMessage: message)
        }
    }

    /// Whether this person already applied to this posting (and in which state).
    public func status(of applicant: Account.ID, for posting: Posting.ID) async throws -> ApplicationStatus? {
        try await pool.query(
            "SELECT status FROM application WHERE applicant_id = \(applicant) AND posting_id = \(posting)"
        ).first(decoding: ApplicationStatus.self)
    }

    static let receivedColumns: SQL = """
        a.id, p.id, p.title, acc.id, acc.display_name, acc.email, a.motivation, a.status, a.created_at,
        (SELECT d.display_name FROM account d WHERE d.id = a.duo_partner_id), a.duo_confirmed_at IS NOT NULL,
        a.phone, (SELECT cv.file_name FROM application_cv cv WHERE cv.application_id = a.id)
        """

    static func decodeReceived(_ row: Row) throws -> ReceivedApplication {
        let (id, postingID, postingTitle, applicantID, applicantName, applicantEmail, motivation, status, submittedAt, duoPartnerName, duoConfirmed, phone, cvFileName) =
            try row.decode((UUID, UUID, String, UUID, String, String, String?, ApplicationStatus, Date, String?, Bool, String?, String?).self)
        return ReceivedApplication(
            id: id, postingID: postingID, postingTitle: postingTitle, applicantID: applicantID, applicantName: applicantName, applicantEmail: applicantEmail,
            motivation: motivation, status: status, submittedAt: submittedAt, duoPartnerName: duoPartnerName, duoConfirmed: duoConfirmed,
            phone: phone, cvFileName: cvFileName)
    }

    /// The applications to an organisation's postings (optionally one posting), live first.
    public func received(by organisation: Organisation.ID, posting: Posting.ID? = nil) async throws -> [ReceivedApplication] {
        let onePosting: SQL = posting.map { "AND p.id = \($0)" } ?? ""
        return try await pool.query(
            """
            SELECT \(Self.receivedColumns)
            FROM application a JOIN posting p ON p.id = a.posting_id JOIN account acc ON acc.id = a.applicant_id
            WHERE p.organisation_id = \(organisation) \(onePosting) AND a.status <> 'withdrawn'
            ORDER BY (a.status IN ('submitted', 'in_review', 'invited')) DESC, a.created_at DESC, a.id
            """
        ).map(Self.decodeReceived)
    }

    /// One application to this organisation's postings; nil for anyone else's.
    public func received(_ id: UUID, by organisation: Organisation.ID) async throws -> ReceivedApplication? {
        try await pool.query(
            """
            SELECT \(Self.receivedColumns)
            FROM application a JOIN posting p ON p.id = a.posting_id JOIN account acc ON acc.id = a.applicant_id
            WHERE a.id = \(id) AND p.organisation_id = \(organisation)
            """
        ).first.map(Self.decodeReceived)
    }

    /// Opening an applicant's application writes an audit line: who, whose, when, why.
    public func recordView(of application: ReceivedApplication, by viewer: Account.ID) async throws {
        try await AuditLine(.applicationView, by: viewer, about: application.applicantID,
                            object: AuditObject("application", application.id), reason: "sollicitatie beoordelen").write(on: pool)
    }

    public enum MoveFailure: Error, Sendable, Equatable {
        case notAllowed(from: ApplicationStatus)
        case placesTaken
    }

    /// The HR adviser moves an application on. A hire of a professional who works at
    /// another member organisation is recorded as a move: their employment there ends,
    /// one at the hiring organisation starts, and the move is logged for monitoring.
    /// Returns nil when the application is not this organisation's.
    /// A rejection carries a reason from the list and the message the candidate reads.
    public func move(
        _ id: UUID, by organisation: Organisation.ID, adviser: Account.ID?, to next: ApplicationStatus,
        rejection: (reason: RejectionReason, message: String)? = nil
    ) async throws -> ReceivedApplication? {
        do {
            return try await pool.transaction { tx -> ReceivedApplication? in
                guard
                    let (current, applicant, postingOrg, postingFunction, postingStart) = try await tx.query(
                        """
                        SELECT a.status, a.applicant_id, p.organisation_id, p.function_code, p.start_date
                        FROM application a JOIN posting p ON p.id = a.posting_id
                        WHERE a.id = \(id) AND p.organisation_id = \(organisation)
                        FOR UPDATE OF a
                        """
                    ).first(decoding: (ApplicationStatus, UUID, UUID, String?, Day?).self)
                else { return nil }
                guard current.canMove(to: next) else { throw MoveFailure.notAllowed(from: current) }
                _ = try await tx.query(
                    """
                    UPDATE application SET status = \(next), updated_at = now(),
                        decided_at = CASE WHEN \(next) IN ('hired', 'rejected') THEN now() ELSE NULL END,
                        rejection_reason = \(next == .rejected ? rejection?.reason.rawValue : nil),
                        rejection_message = \(next == .rejected ? rejection?.message : nil)
                    WHERE id = \(id)
                    """
                )
                // The applicant hears of it in their inbox (and by mail), in this transaction.
                if let (title, organisationName, times) = try await tx.query(
                    """
                    SELECT p.title, o.name, (SELECT count(*) FROM interview_slot s WHERE s.posting_id = p.id AND lower(s.during) > now())
                    FROM application a JOIN posting p ON p.id = a.posting_id
                    JOIN organisation o ON o.id = p.organisation_id WHERE a.id = \(id)
                    """
                ).first(decoding: (String, String, Int).self) {
                    try await NotificationStore.add(
                        .applicationMoved(postingTitle: title, organisation: organisationName, to: next,
                                          rejection: next == .rejected ? rejection : nil, interviewTimes: times), for: applicant, on: tx)
                }
                // A decision ends a booked interview time (it frees the time for others).
                if next == .hired || next == .rejected {
                    _ = try await tx.query(
                        "UPDATE interview_booking SET status = 'cancelled', cancelled_at = now() WHERE application_id = \(id) AND status = 'booked'")
                }
                try await AuditLine(.application(next), by: adviser, about: applicant, object: AuditObject("application", id)).write(on: tx)
                if next == .hired {
                    try await recordMove(
                        application: id, applicant: applicant, to: postingOrg, function: postingFunction, start: postingStart, on: tx)
                }
                return try await tx.query(
                    """
                    SELECT \(Self.receivedColumns)
                    FROM application a JOIN posting p ON p.id = a.posting_id JOIN account acc ON acc.id = a.applicant_id
                    WHERE a.id = \(id)
                    """
                ).first.map(Self.decodeReceived)
            }
        } catch let error as PostgresError where error.constraint == Constraint.postingPlacesKept {
            throw MoveFailure.placesTaken
        }
    }

    private func recordMove(
        application: UUID, applicant: Account.ID, to organisation: Organisation.ID, function: String?, start: Day?, on tx: Transaction
    ) async throws {
        // The current job at another active member organisation, if any.
        guard
            let (employmentID, fromOrganisation, currentFunction) = try await tx.query(
                """
                SELECT e.id, e.organisation_id, e.function_code
                FROM employment e JOIN organisation o ON o.id = e.organisation_id
                WHERE e.account_id = \(applicant) AND e.ended_on IS NULL AND o.active
                ORDER BY e.started_on DESC LIMIT 1
                """
            ).first(decoding: (UUID, UUID, String).self),
            fromOrganisation != organisation
        else { return }
        let newFunction = function ?? currentFunction
        // The move happens on the posting's start date, or today when that has passed.
        _ = try await tx.query(
            """
            WITH day AS (SELECT greatest(coalesce(\(start), \(PostingStore.today)), \(PostingStore.today)) AS moved_on)
            , ended AS (
                UPDATE employment SET ended_on = greatest(started_on, (SELECT moved_on FROM day) - 1)
                WHERE id = \(employmentID) RETURNING id
            )
            , started AS (
                INSERT INTO employment (account_id, organisation_id, function_code, started_on)
                SELECT \(applicant), \(organisation), \(newFunction), moved_on FROM day RETURNING id
            )
            INSERT INTO mobility_move (account_id, from_organisation_id, to_organisation_id, function_code, moved_on, application_id)
            SELECT \(applicant), \(fromOrganisation), \(organisation), \(newFunction), moved_on, \(application) FROM day
            """
        )
    }
}
