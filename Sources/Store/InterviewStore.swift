import Domain
import Foundation
import PQ

/// An interview time on a posting, as HR sees it: who booked it, if anyone.
public struct InterviewSlotLine: Sendable, Hashable {
    public let id: UUID
    public let during: TimeWindow
    public let place: String
    /// The application that booked it, and the candidate's name.
    public let bookedBy: Booking?

    public struct Booking: Sendable, Hashable {
        public let application: UUID
        public let name: String
    }
}

/// Interview times and their bookings, and the organisation's rejection message. A
/// candidate (application at "uitgenodigd") books one of the posting's times, moves to
/// another or cancels, until 24 hours before; one booking per time and one per
/// application, held by the database's unique indexes under any race.
public struct InterviewStore: Sendable {
    let pool: Pool

    /// How long before an interview a booking can still be made, moved or cancelled.
    public static let deadline: TimeInterval = 24 * 3600

    public enum BookFailure: Error, Sendable, Equatable {
        /// No such application of this candidate, or not (or no longer) invited.
        case notInvited
        /// The time is not one of the posting's, or it is too close (or past).
        case notOpen
        /// Someone else booked it first.
        case taken
        /// The booked interview is less than 24 hours away: it can no longer change.
        case tooLate
    }

    // MARK: HR

    /// Adds an interview time to a posting of `organisation`. Nil when the posting is not theirs.
    public func addSlot(posting: Posting.ID, organisation: Organisation.ID, during: TimeWindow, place: String, by adviser: Account.ID) async throws -> UUID? {
        try await pool.audited({ tx in
            try await tx.query(
                """
                INSERT INTO interview_slot (posting_id, during, place, created_by)
                SELECT id, tstzrange(\(during.start), \(during.end), '[)'), \(place), \(adviser) FROM posting
                WHERE id = \(posting) AND organisation_id = \(organisation)
                RETURNING id
                """
            ).first(decoding: UUID.self)
        }) { id in id.map { AuditLine(.interviewSlot, by: adviser, object: AuditObject("interview_slot", $0)) } }
    }

    /// Takes an interview time of a posting of `organisation` off again. A candidate who
    /// had booked it is told (with the calendar's cancellation) and may choose another.
    /// False when the time is not theirs.
    public func removeSlot(_ slot: UUID, organisation: Organisation.ID, by adviser: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.audited({ tx -> Bool in
            guard let (start, end, place, title, organisationName) = try await tx.query(
                """
                SELECT lower(s.during), upper(s.during), s.place, p.title, o.name FROM interview_slot s
                JOIN posting p ON p.id = s.posting_id JOIN organisation o ON o.id = p.organisation_id
                WHERE s.id = \(slot) AND p.organisation_id = \(organisation) FOR UPDATE OF s
                """
            ).first(decoding: (Date, Date, String, String, String).self) else { return false }
            if let (application, applicant) = try await tx.query(
                """
                SELECT b.application_id, a.applicant_id FROM interview_booking b JOIN application a ON a.id = b.application_id
                WHERE b.slot_id = \(slot) AND b.status = 'booked'
                """
            ).first(decoding: (UUID, UUID).self) {
                let during = TimeWindow(start: start, end: end)
                try await NotificationStore.add(.interviewWithdrawn(
                    posting: title, organisation: organisationName, during: during,
                    calendar: Self.invitation(application: application, posting: title, organisation: organisationName, during: during, place: place,
                                              now: now, sequence: 2, cancelled: true)), for: applicant, on: tx)
            }
            _ = try await tx.query("DELETE FROM interview_slot WHERE id = \(slot)")
            return true
        }) { removed in removed ? AuditLine(.interviewSlotRemove, by: adviser, object: AuditObject("interview_slot", slot)) : nil }
    }

    /// A posting's interview times from `since`, by start, with who booked each.
    public func slots(posting: Posting.ID, since: Date) async throws -> [InterviewSlotLine] {
        try await pool.query(
            """
            SELECT s.id, lower(s.during), upper(s.during), s.place, b.application_id, acc.display_name
            FROM interview_slot s
            LEFT JOIN interview_booking b ON b.slot_id = s.id AND b.status = 'booked'
            LEFT JOIN application a ON a.id = b.application_id LEFT JOIN account acc ON acc.id = a.applicant_id
            WHERE s.posting_id = \(posting) AND upper(s.during) > \(since)
            ORDER BY lower(s.during), s.id
            """
        ).decode((UUID, Date, Date, String, UUID?, String?).self).map { id, start, end, place, application, name in
            InterviewSlotLine(id: id, during: TimeWindow(start: start, end: end), place: place,
                              bookedBy: application.map { InterviewSlotLine.Booking(application: $0, name: name ?? "") })
        }
    }

    // MARK: The candidate

    /// The times a candidate may still choose for an application: free, and more than
    /// 24 hours away. Empty when the application is not theirs or not invited.
    public func openSlots(application: UUID, applicant: Account.ID, now: Date) async throws -> [InterviewSlotLine] {
        try await pool.query(
            """
            SELECT s.id, lower(s.during), upper(s.during), s.place
            FROM application a JOIN interview_slot s ON s.posting_id = a.posting_id
            WHERE a.id = \(application) AND a.applicant_id = \(applicant) AND a.status = 'invited'
              AND lower(s.during) > \(now.addingTimeInterval(Self.deadline))
              AND NOT EXISTS (SELECT FROM interview_booking b WHERE b.slot_id = s.id AND b.status = 'booked')
            ORDER BY lower(s.during), s.id
            """
        ).decode((UUID, Date, Date, String).self).map { InterviewSlotLine(id: $0, during: TimeWindow(start: $1, end: $2), place: $3, bookedBy: nil) }
    }

    /// The candidate's booked time for an application, if any.
    public func booking(application: UUID, applicant: Account.ID) async throws -> InterviewSlotLine? {
        try await pool.query(
            """
            SELECT s.id, lower(s.during), upper(s.during), s.place
            FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id JOIN application a ON a.id = b.application_id
            WHERE b.application_id = \(application) AND a.applicant_id = \(applicant) AND b.status = 'booked'
            """
        ).first(decoding: (UUID, Date, Date, String).self).map { InterviewSlotLine(id: $0, during: TimeWindow(start: $1, end: $2), place: $3, bookedBy: nil) }
    }

    /// The candidate's booked interviews that have not ended by `since`: the
    /// application, the time and place, the posting and its organisation.
    public func booked(by applicant: Account.ID, since: Date) async throws -> [(application: UUID, during: TimeWindow, place: String, posting: String, organisation: String)] {
        try await pool.query(
            """
            SELECT b.application_id, lower(s.during), upper(s.during), s.place, p.title, o.name
            FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id JOIN application a ON a.id = b.application_id
            JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
            WHERE a.applicant_id = \(applicant) AND b.status = 'booked' AND upper(s.during) > \(since)
            ORDER BY lower(s.during)
            """
        ).decode((UUID, Date, Date, String, String, String).self).map {
            (application: $0, during: TimeWindow(start: $1, end: $2), place: $3, posting: $4, organisation: $5)
        }
    }

    /// Books a time (or moves an existing booking to it). The candidate gets the
    /// calendar invitation, the posting's HR advisers a word (without the name).
    public func book(_ slot: UUID, application: UUID, applicant: Account.ID, now: Date = Date()) async throws {
        do {
            try await pool.transaction { tx in
                // The application's row first: one candidate's requests queue here.
                guard let (posting, title, organisation, organisationName) = try await tx.query(
                    """
                    SELECT a.posting_id, p.title, p.organisation_id, o.name FROM application a
                    JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
                    WHERE a.id = \(application) AND a.applicant_id = \(applicant) AND a.status = 'invited' FOR UPDATE OF a
                    """
                ).first?.decode((UUID, String, UUID, String).self) else { throw BookFailure.notInvited }
                guard let (start, end, place) = try await tx.query(
                    "SELECT lower(during), upper(during), place FROM interview_slot WHERE id = \(slot) AND posting_id = \(posting)"
                ).first?.decode((Date, Date, String).self), start > now.addingTimeInterval(Self.deadline) else { throw BookFailure.notOpen }
                let during = TimeWindow(start: start, end: end)
                var moved = false
                if let (current, currentSlot, currentStart) = try await tx.query(
                    """
                    SELECT b.id, b.slot_id, lower(s.during) FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id
                    WHERE b.application_id = \(application) AND b.status = 'booked'
                    """
                ).first?.decode((UUID, UUID, Date).self) {
                    if currentSlot == slot { return }
                    guard currentStart > now.addingTimeInterval(Self.deadline) else { throw BookFailure.tooLate }
                    _ = try await tx.query("UPDATE interview_booking SET status = 'cancelled', cancelled_at = now() WHERE id = \(current)")
                    moved = true
                }
                let booking = try await tx.query(
                    "INSERT INTO interview_booking (slot_id, application_id) VALUES (\(slot), \(application)) RETURNING id"
                ).first(decoding: UUID.self)!
                try await NotificationStore.add(.interviewBooked(
                    posting: title, organisation: organisationName, during: during, place: place,
                    calendar: Self.invitation(application: application, posting: title, organisation: organisationName, during: during, place: place,
                                              now: now, sequence: moved ? 1 : 0),
                    moved: moved), for: applicant, on: tx)
                try await Self.tellAdvisers(organisation, .interviewChanged(posting: title, during: during, booked: true, application: application), on: tx)
                try await AuditLine(.interviewBook, by: applicant, about: applicant, object: AuditObject("interview_booking", booking)).write(on: tx)
            }
        } catch let error as PostgresError where error.constraint == Constraint.interviewBookingSlotOnce {
            throw BookFailure.taken
        }
    }

    /// Cancels the candidate's booking, until 24 hours before. False when there was none.
    public func cancel(application: UUID, applicant: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.transaction { tx in
            guard let (booking, start, end, title, organisation, organisationName, place) = try await tx.query(
                """
                SELECT b.id, lower(s.during), upper(s.during), p.title, p.organisation_id, o.name, s.place
                FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id JOIN application a ON a.id = b.application_id
                JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
                WHERE b.application_id = \(application) AND a.applicant_id = \(applicant) AND b.status = 'booked'
                FOR UPDATE OF b
                """
            ).first?.decode((UUID, Date, Date, String, UUID, String, String).self) else { return false }
            guard start > now.addingTimeInterval(Self.deadline) else { throw BookFailure.tooLate }
            _ = try await tx.query("UPDATE interview_booking SET status = 'cancelled', cancelled_at = now() WHERE id = \(booking)")
            let during = TimeWindow(start: start, end: end)
            try await NotificationStore.add(.interviewCancelled(
                posting: title, during: during,
                calendar: Self.invitation(application: application, posting: title, organisation: organisationName, during: during, place: place,
                                          now: now, sequence: 2, cancelled: true)), for: applicant, on: tx)
            try await Self.tellAdvisers(organisation, .interviewChanged(posting: title, during: during, booked: false, application: application), on: tx)
            try await AuditLine(.interviewCancel, by: applicant, about: applicant, object: AuditObject("interview_booking", booking)).write(on: tx)
            return true
        }
    }

    /// The calendar file of a booked interview (for the candidate's download).
    public func calendar(application: UUID, applicant: Account.ID, now: Date = Date()) async throws -> String? {
        guard let (start, end, place, title, organisation) = try await pool.query(
            """
            SELECT lower(s.during), upper(s.during), s.place, p.title, o.name
            FROM interview_booking b JOIN interview_slot s ON s.id = b.slot_id JOIN application a ON a.id = b.application_id
            JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
            WHERE b.application_id = \(application) AND a.applicant_id = \(applicant) AND b.status = 'booked'
            """
        ).first?.decode((Date, Date, String, String, String).self) else { return nil }
        return Self.invitation(application: application, posting: title, organisation: organisation, during: TimeWindow(start: start, end: end),
                               place: place, now: now)
    }

    /// One calendar event per application (the same UID when it moves or is cancelled).
    static func invitation(
        application: UUID, posting: String, organisation: String, during: TimeWindow, place: String, now: Date, sequence: Int = 0, cancelled: Bool = false
    ) -> String {
        let text = eventText(application: application, posting: posting, organisation: organisation)
        return ICalendarText.event(
            uid: text.uid, start: during.start, end: during.end, summary: text.summary, location: place, description: text.description,
            now: now, sequence: sequence, cancelled: cancelled)
    }

    /// What a calendar shows of an interview, the same in the invitation and in a feed.
    public static func eventText(application: UUID, posting: String, organisation: String) -> (uid: String, summary: String, description: String) {
        (uid: "gesprek-\(application.lowercased)@doorstroom",
         summary: "Sollicitatiegesprek: \(posting) (\(organisation))",
         description: "Gesprek met \(organisation) over \"\(posting)\". Annuleren of een andere tijd kiezen kan tot 24 uur van tevoren bij Mijn sollicitaties in Doorstroom.")
    }

    static func tellAdvisers(_ organisation: Organisation.ID, _ notification: AccountNotification, on tx: any Queryable) async throws {
        for adviser in try await tx.query(
            """
            SELECT g.account_id FROM role_grant g JOIN account a ON a.id = g.account_id
            WHERE g.role = 'hr_adviser' AND g.organisation_id = \(organisation) AND a.erased_at IS NULL AND NOT a.disabled ORDER BY 1
            """
        ).decode(UUID.self) {
            try await NotificationStore.add(notification, for: adviser, on: tx)
        }
    }

    // MARK: Rejections

    /// The organisation's rejection message, or the region's default.
    public func rejectionTemplate(of organisation: Organisation.ID) async throws -> String {
        try await pool.query("SELECT body FROM rejection_template WHERE organisation_id = \(organisation)").first(decoding: String.self)
            ?? Self.defaultRejection
    }

    public static let defaultRejection = """
        Dank je wel voor je sollicitatie en de tijd die je erin hebt gestoken. We hebben besloten niet met je verder te gaan. \
        Heb je vragen over dit besluit, neem dan gerust contact met ons op. We wensen je veel succes.
        """

    public func setRejectionTemplate(of organisation: Organisation.ID, _ body: String, by adviser: Account.ID) async throws {
        _ = try await pool.audited({ tx in
            try await tx.query(
                """
                INSERT INTO rejection_template (organisation_id, body, updated_by) VALUES (\(organisation), \(body), \(adviser))
                ON CONFLICT (organisation_id) DO UPDATE SET body = excluded.body, updated_by = excluded.updated_by, updated_at = now()
                """
            )
        }) { _ in AuditLine(.organisationEdit, by: adviser, object: AuditObject("organisation", organisation), reason: "afwijzingsbericht") }
    }
}
