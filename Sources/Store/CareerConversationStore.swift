import Domain
import Foundation
import PQ

/// A career adviser's time, as the adviser sees it: who booked it, about what, and
/// whether that person lets their profile be opened.
public struct CareerSlotLine: Sendable, Hashable {
    public let id: UUID
    public let during: TimeWindow
    public let place: String
    /// Whose people may book it (nil: the whole region), by name.
    public let organisationName: String?
    public let booking: Booking?

    public struct Booking: Sendable, Hashable {
        public let id: UUID
        public let person: Account.ID
        public let name: String
        public let topic: CareerTopic
        public let question: String?
        /// The person consented to profile search: the adviser may open the profile.
        public let sharesProfile: Bool
    }
}

/// A time a professional may book, or has booked.
public struct CareerConversationLine: Sendable, Hashable {
    /// The time's id (for a booking: the booking's id).
    public let id: UUID
    public let during: TimeWindow
    public let place: String
    public let adviserName: String
    /// The organisation the adviser works for (nil: regional).
    public let organisationName: String?
    /// For a booking: what it is about.
    public let topic: CareerTopic?
}

/// Career conversations (the region's mobility and career centre): career advisers
/// publish times, professionals book one on a topic, see it on their start page and in
/// their calendar, and may cancel. One booking per time, held by the unique index
/// `career_booking_slot_once` under any race; a professional holds one coming
/// conversation at a time. The adviser opens the profile of who booked only when that
/// person consented to profile search, and each opening is audited.
public struct CareerConversationStore: Sendable {
    let pool: Pool

    public enum SlotFailure: Error, Sendable, Equatable {
        /// The adviser has another time then.
        case overlaps
        /// The account is not a career adviser for that scope.
        case notAdviser
    }

    public enum BookFailure: Error, Sendable, Equatable {
        /// Not a professional, or the time is for another organisation's people, or past.
        case notOpen
        /// Someone else booked it first.
        case taken
        /// The professional has a coming conversation already.
        case alreadyBooked
    }

    /// How close to its start a time can still be booked.
    public static let bookingLead: TimeInterval = 3600

    // MARK: Advisers

    /// Publishes a time for `organisation`'s people (nil: the region's). The adviser must
    /// hold the role for exactly that scope.
    public func addSlot(adviser: Account.ID, organisation: Organisation.ID?, _ appointment: Appointment) async throws -> UUID {
        do {
            return try await pool.transaction { tx in
                guard let id = try await tx.query(
                    """
                    INSERT INTO career_slot (adviser_id, organisation_id, during, place)
                    SELECT \(adviser), \(organisation), tstzrange(\(appointment.during.start), \(appointment.during.end), '[)'), \(appointment.place)
                    WHERE EXISTS (SELECT FROM role_grant WHERE account_id = \(adviser) AND role = 'career_adviser'
                                  AND organisation_id IS NOT DISTINCT FROM \(organisation))
                    RETURNING id
                    """
                ).first(decoding: UUID.self) else { throw SlotFailure.notAdviser }
                try await AuditLine(.careerSlot, by: adviser, object: AuditObject("career_slot", id)).write(on: tx)
                return id
            }
        } catch let error as PostgresError where error.constraint == Constraint.careerSlotNoOverlap {
            throw SlotFailure.overlaps
        }
    }

    /// Takes one of the adviser's times off; whoever booked it is told, with the
    /// calendar's cancellation. False when it is not theirs.
    public func removeSlot(_ slot: UUID, adviser: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.audited({ tx -> Bool in
            guard let (start, end, place, adviserName) = try await tx.query(
                """
                SELECT lower(s.during), upper(s.during), s.place, a.display_name FROM career_slot s JOIN account a ON a.id = s.adviser_id
                WHERE s.id = \(slot) AND s.adviser_id = \(adviser) FOR UPDATE OF s
                """
            ).first(decoding: (Date, Date, String, String).self) else { return false }
            let during = TimeWindow(start: start, end: end)
            if let (booking, person) = try await tx.query(
                "SELECT id, account_id FROM career_booking WHERE slot_id = \(slot) AND status = 'booked'"
            ).first(decoding: (UUID, UUID).self), start > now {
                try await NotificationStore.add(.careerWithdrawn(
                    adviser: adviserName, during: during,
                    calendar: Self.invitation(booking: booking, adviser: adviserName, during: during, place: place, now: now, sequence: 1, cancelled: true)),
                    for: person, on: tx)
            }
            _ = try await tx.query("DELETE FROM career_slot WHERE id = \(slot)")
            return true
        }) { removed in removed ? AuditLine(.careerSlotRemove, by: adviser, object: AuditObject("career_slot", slot)) : nil }
    }

    /// The adviser's times that have not ended by `since`, by start, with their bookings.
    public func slots(of adviser: Account.ID, since: Date) async throws -> [CareerSlotLine] {
        try await pool.query(
            """
            SELECT s.id, lower(s.during), upper(s.during), s.place, o.name,
                   b.id, b.account_id, p.display_name, b.topic, b.question,
                   EXISTS (SELECT FROM consent c WHERE c.account_id = b.account_id AND c.purpose = 'profile_search' AND c.withdrawn_at IS NULL)
            FROM career_slot s LEFT JOIN organisation o ON o.id = s.organisation_id
            LEFT JOIN career_booking b ON b.slot_id = s.id AND b.status = 'booked'
            LEFT JOIN account p ON p.id = b.account_id
            WHERE s.adviser_id = \(adviser) AND upper(s.during) > \(since)
            ORDER BY lower(s.during), s.id
            """
        ).decode((UUID, Date, Date, String, String?, UUID?, UUID?, String?, String?, String?, Bool).self).map { row in
            let (id, start, end, place, organisation, booking, person, name, topic, question, shares) = row
            return CareerSlotLine(
                id: id, during: TimeWindow(start: start, end: end), place: place, organisationName: organisation,
                booking: booking.map { booking in
                    CareerSlotLine.Booking(id: booking, person: person!, name: name ?? "", topic: topic.flatMap(CareerTopic.init(rawValue:)) ?? .other,
                                           question: question, sharesProfile: shares)
                })
        }
    }

    /// Whether the adviser may open `person`'s profile: they booked a conversation with
    /// the adviser (coming, or in the last 90 days) and consent to profile search.
    public func mayOpenProfile(_ person: Account.ID, adviser: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.query(
            """
            SELECT EXISTS (SELECT FROM career_booking b JOIN career_slot s ON s.id = b.slot_id
                           WHERE b.account_id = \(person) AND s.adviser_id = \(adviser) AND b.status = 'booked'
                             AND upper(s.during) > \(now)::timestamptz - interval '90 days')
               AND EXISTS (SELECT FROM consent c WHERE c.account_id = \(person) AND c.purpose = 'profile_search' AND c.withdrawn_at IS NULL)
            """
        ).first(decoding: Bool.self) ?? false
    }

    // MARK: Professionals

    /// The free times `person` may book: for the region or for an organisation they
    /// work at now, starting more than an hour from now, not their own.
    public func openSlots(for person: Account.ID, now: Date) async throws -> [CareerConversationLine] {
        try await pool.query(
            """
            SELECT s.id, lower(s.during), upper(s.during), s.place, a.display_name, o.name
            FROM career_slot s JOIN account a ON a.id = s.adviser_id LEFT JOIN organisation o ON o.id = s.organisation_id
            WHERE lower(s.during) > \(now.addingTimeInterval(Self.bookingLead)) AND s.adviser_id <> \(person)
              AND NOT EXISTS (SELECT FROM career_booking b WHERE b.slot_id = s.id AND b.status = 'booked')
              AND \(Self.mayBook(person: person))
            ORDER BY lower(s.during), a.display_name, s.id
            LIMIT 200
            """
        ).decode((UUID, Date, Date, String, String, String?).self).map { id, start, end, place, adviser, organisation in
            CareerConversationLine(id: id, during: TimeWindow(start: start, end: end), place: place, adviserName: adviser,
                                   organisationName: organisation, topic: nil)
        }
    }

    /// Who may book the slot `s`: a regional time, or one of an organisation the person
    /// works at now.
    static func mayBook(person: Account.ID) -> SQL {
        """
        (s.organisation_id IS NULL OR s.organisation_id IN (
            SELECT e.organisation_id FROM employment e WHERE e.account_id = \(person) AND (e.ended_on IS NULL OR e.ended_on >= current_date)))
        """
    }

    /// The person's booked conversations that have not ended by `since`, by start.
    public func mine(_ person: Account.ID, since: Date) async throws -> [CareerConversationLine] {
        try await pool.query(
            """
            SELECT b.id, lower(s.during), upper(s.during), s.place, a.display_name, o.name, b.topic
            FROM career_booking b JOIN career_slot s ON s.id = b.slot_id JOIN account a ON a.id = s.adviser_id
            LEFT JOIN organisation o ON o.id = s.organisation_id
            WHERE b.account_id = \(person) AND b.status = 'booked' AND upper(s.during) > \(since)
            ORDER BY lower(s.during), b.id
            """
        ).decode((UUID, Date, Date, String, String, String?, String).self).map { id, start, end, place, adviser, organisation, topic in
            CareerConversationLine(id: id, during: TimeWindow(start: start, end: end), place: place, adviserName: adviser,
                                   organisationName: organisation, topic: CareerTopic(rawValue: topic))
        }
    }

    /// Books a time. The person gets the calendar invitation, the adviser a word with
    /// the name and the topic.
    @discardableResult
    public func book(_ slot: UUID, by person: Account.ID, _ request: CareerBookingRequest, now: Date = Date()) async throws -> UUID {
        do {
            return try await pool.transaction { tx in
                // The professional's row first: one person's requests queue here.
                guard let name = try await tx.query(
                    """
                    SELECT a.display_name FROM professional p JOIN account a ON a.id = p.account_id
                    WHERE p.account_id = \(person) AND NOT a.disabled AND a.erased_at IS NULL FOR UPDATE OF p
                    """
                ).first(decoding: String.self) else { throw BookFailure.notOpen }
                guard let (adviser, adviserName, start, end, place) = try await tx.query(
                    """
                    SELECT s.adviser_id, a.display_name, lower(s.during), upper(s.during), s.place
                    FROM career_slot s JOIN account a ON a.id = s.adviser_id
                    WHERE s.id = \(slot) AND s.adviser_id <> \(person) AND lower(s.during) > \(now.addingTimeInterval(Self.bookingLead))
                      AND \(Self.mayBook(person: person))
                    """
                ).first(decoding: (UUID, String, Date, Date, String).self) else { throw BookFailure.notOpen }
                let coming = try await tx.query(
                    """
                    SELECT EXISTS (SELECT FROM career_booking b JOIN career_slot s ON s.id = b.slot_id
                                   WHERE b.account_id = \(person) AND b.status = 'booked' AND upper(s.during) > \(now))
                    """
                ).first(decoding: Bool.self) ?? false
                guard !coming else { throw BookFailure.alreadyBooked }
                let booking = try await tx.query(
                    """
                    INSERT INTO career_booking (slot_id, account_id, topic, question)
                    VALUES (\(slot), \(person), \(request.topic.rawValue), \(request.question)) RETURNING id
                    """
                ).first(decoding: UUID.self)!
                let during = TimeWindow(start: start, end: end)
                try await NotificationStore.add(.careerBooked(
                    adviser: adviserName, topic: request.topic, during: during, place: place,
                    calendar: Self.invitation(booking: booking, adviser: adviserName, during: during, place: place, now: now)), for: person, on: tx)
                try await NotificationStore.add(.careerChanged(person: name, topic: request.topic, during: during, booked: true), for: adviser, on: tx)
                try await AuditLine(.careerBook, by: person, about: person, object: AuditObject("career_booking", booking)).write(on: tx)
                return booking
            }
        } catch let error as PostgresError where error.constraint == Constraint.careerBookingSlotOnce {
            throw BookFailure.taken
        }
    }

    /// Cancels the person's booking before it starts. False when there is none.
    public func cancel(_ booking: UUID, by person: Account.ID, now: Date = Date()) async throws -> Bool {
        try await pool.transaction { tx in
            guard let (adviser, adviserName, name, topic, start, end, place) = try await tx.query(
                """
                SELECT s.adviser_id, a.display_name, p.display_name, b.topic, lower(s.during), upper(s.during), s.place
                FROM career_booking b JOIN career_slot s ON s.id = b.slot_id JOIN account a ON a.id = s.adviser_id
                JOIN account p ON p.id = b.account_id
                WHERE b.id = \(booking) AND b.account_id = \(person) AND b.status = 'booked' AND lower(s.during) > \(now)
                FOR UPDATE OF b
                """
            ).first(decoding: (UUID, String, String, String, Date, Date, String).self) else { return false }
            _ = try await tx.query("UPDATE career_booking SET status = 'cancelled', cancelled_at = now() WHERE id = \(booking)")
            let during = TimeWindow(start: start, end: end)
            try await NotificationStore.add(.careerCancelled(
                during: during,
                calendar: Self.invitation(booking: booking, adviser: adviserName, during: during, place: place, now: now, sequence: 1, cancelled: true)),
                for: person, on: tx)
            try await NotificationStore.add(.careerChanged(person: name, topic: CareerTopic(rawValue: topic) ?? .other, during: during, booked: false),
                                            for: adviser, on: tx)
            try await AuditLine(.careerCancel, by: person, about: person, object: AuditObject("career_booking", booking)).write(on: tx)
            return true
        }
    }

    /// The calendar file of a booked conversation (for the person's download).
    public func calendar(_ booking: UUID, of person: Account.ID, now: Date = Date()) async throws -> String? {
        guard let (start, end, place, adviser) = try await pool.query(
            """
            SELECT lower(s.during), upper(s.during), s.place, a.display_name
            FROM career_booking b JOIN career_slot s ON s.id = b.slot_id JOIN account a ON a.id = s.adviser_id
            WHERE b.id = \(booking) AND b.account_id = \(person) AND b.status = 'booked'
            """
        ).first(decoding: (Date, Date, String, String).self) else { return nil }
        return Self.invitation(booking: booking, adviser: adviser, during: TimeWindow(start: start, end: end), place: place, now: now)
    }

    /// One calendar event per booking (the same UID when it is cancelled).
    static func invitation(booking: UUID, adviser: String, during: TimeWindow, place: String, now: Date, sequence: Int = 0, cancelled: Bool = false) -> String {
        let text = eventText(booking: booking, adviser: adviser)
        return ICalendarText.event(
            uid: text.uid, start: during.start, end: during.end, summary: text.summary, location: place, description: text.description,
            now: now, sequence: sequence, cancelled: cancelled)
    }

    /// What a calendar shows of a career conversation, the same in the invitation and in a feed.
    public static func eventText(booking: UUID, adviser: String) -> (uid: String, summary: String, description: String) {
        (uid: "loopbaangesprek-\(booking.lowercased)@doorstroom", summary: "Loopbaangesprek met \(adviser)",
         description: "Loopbaangesprek met \(adviser). Annuleren kan bij Loopbaangesprek in Doorstroom.")
    }
}

/// A person's own calendar link (`/agenda/{token}.ics`), for everything they agreed to.
public struct CalendarFeedStore: Sendable {
    let pool: Pool

    /// The person's token, if they made one.
    public func token(of account: Account.ID) async throws -> String? {
        try await pool.query("SELECT token FROM calendar_feed WHERE account_id = \(account)").first(decoding: String.self)
    }

    /// A new token for the person; an older one stops working at once.
    public func renew(for account: Account.ID) async throws -> String {
        let token = Tokens.random()
        _ = try await pool.query(
            """
            INSERT INTO calendar_feed (account_id, token) VALUES (\(account), \(token))
            ON CONFLICT (account_id) DO UPDATE SET token = EXCLUDED.token, created_at = now()
            """)
        return token
    }

    /// Whose token it is (an account that is not disabled or erased).
    public func account(token: String) async throws -> Account.ID? {
        try await pool.query(
            """
            SELECT f.account_id FROM calendar_feed f JOIN account a ON a.id = f.account_id
            WHERE f.token = \(token) AND NOT a.disabled AND a.erased_at IS NULL
            """
        ).first(decoding: UUID.self)
    }
}

