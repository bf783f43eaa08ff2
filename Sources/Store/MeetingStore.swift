import Domain
import Foundation
import PQ

/// Who registered for a meeting, as its organiser sees them.
public struct MeetingParticipant: Sendable, Hashable {
    public let name: String
    public let email: String
    public let organisation: String?
    public let registeredAt: Date
}

/// Ontmoetingen: meetings with places, registration under the same capacity rule as
/// shadow days (the database refuses the registration one too many).
public struct MeetingStore: Sendable {
    let pool: Pool

    public enum RegisterFailure: Error, Sendable, Equatable {
        case notOpen
        case full
        case alreadyRegistered
    }

    static let columns: SQL = """
        e.id, e.organisation_id, o.name, e.kind, e.title, e.description, e.place, lower(e.during), upper(e.during),
        e.places, e.places_taken, e.cancelled_at IS NOT NULL
        """

    static func decode(_ result: QueryResult) throws -> [Meeting] {
        try result.decode((UUID, UUID?, String?, String, String, String, String, Date, Date, Int, Int, Bool).self).map {
            id, organisationID, organisationName, kind, title, description, place, start, end, places, placesTaken, cancelled in
            Meeting(id: id, organisationID: organisationID, organisationName: organisationName, kind: Meeting.Kind(rawValue: kind) ?? .meetup,
                    title: title, description: description, place: place, during: TimeWindow(start: start, end: end), places: places,
                    placesTaken: placesTaken, cancelled: cancelled)
        }
    }

    /// Meetings still to come, soonest first (cancelled ones too, marked, so people see it).
    public func upcoming(after now: Date, limit: Int = 200) async throws -> [Meeting] {
        try Self.decode(try await pool.query(
            """
            SELECT \(Self.columns) FROM event e LEFT JOIN organisation o ON o.id = e.organisation_id
            WHERE upper(e.during) > \(now) ORDER BY lower(e.during), e.id LIMIT \(limit)
            """))
    }

    public func find(_ id: UUID) async throws -> Meeting? {
        try Self.decode(try await pool.query(
            "SELECT \(Self.columns) FROM event e LEFT JOIN organisation o ON o.id = e.organisation_id WHERE e.id = \(id)"
        )).first
    }

    /// The meetings an organiser may manage: their organisations' (HR advisers) or, with
    /// `region`, also the region's (coordinators and admins); newest first.
    public func organised(by organisations: [Organisation.ID], region: Bool, limit: Int = 200) async throws -> [Meeting] {
        try Self.decode(try await pool.query(
            """
            SELECT \(Self.columns) FROM event e LEFT JOIN organisation o ON o.id = e.organisation_id
            WHERE e.organisation_id = ANY(\(organisations)::uuid[]) OR (\(region) AND e.organisation_id IS NULL)
            ORDER BY lower(e.during) DESC, e.id LIMIT \(limit)
            """))
    }

    public func create(_ form: MeetingForm, organisation: Organisation.ID?, by author: Account.ID) async throws -> UUID {
        try await pool.audited({ tx in
            try await tx.query(
                """
                INSERT INTO event (organisation_id, kind, title, description, place, during, places, created_by)
                VALUES (\(organisation), \(form.kind.rawValue), \(form.title), \(form.description), \(form.place),
                        tstzrange(\(form.during.start), \(form.during.end), '[)'), \(form.places), \(author))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
        }) { id in AuditLine(.meetingCreate, by: author, object: AuditObject("event", id)) }
    }

    /// Cancels a meeting (it stays, marked); false when it was not there or already cancelled.
    public func cancel(_ id: UUID, by actor: Account.ID) async throws -> Bool {
        try await pool.audited({ tx in
            !(try await tx.query(
                "UPDATE event SET cancelled_at = now(), updated_at = now() WHERE id = \(id) AND cancelled_at IS NULL RETURNING id"
            ).isEmpty)
        }) { cancelled in cancelled ? AuditLine(.meetingCancel, by: actor, object: AuditObject("event", id)) : nil }
    }

    public func register(_ meeting: UUID, account: Account.ID, now: Date = Date()) async throws {
        do {
            let inserted = try await pool.query(
                """
                INSERT INTO event_registration (event_id, account_id)
                SELECT e.id, \(account) FROM event e
                WHERE e.id = \(meeting) AND e.cancelled_at IS NULL AND lower(e.during) > \(now)
                RETURNING id
                """
            )
            if inserted.isEmpty { throw RegisterFailure.notOpen }
        } catch let error as PostgresError where error.constraint == Constraint.eventPlacesKept {
            throw RegisterFailure.full
        } catch let error as PostgresError where error.constraint == Constraint.eventRegistrationOnce {
            throw RegisterFailure.alreadyRegistered
        }
    }

    /// Gives the place back, before the meeting starts; false when there was none.
    public func unregister(_ meeting: UUID, account: Account.ID, now: Date = Date()) async throws -> Bool {
        !(try await pool.query(
            """
            UPDATE event_registration r SET status = 'cancelled', cancelled_at = now()
            FROM event e
            WHERE r.event_id = \(meeting) AND r.account_id = \(account) AND r.status = 'registered'
              AND e.id = r.event_id AND lower(e.during) > \(now)
            RETURNING r.id
            """
        ).isEmpty)
    }

    public func isRegistered(_ meeting: UUID, account: Account.ID) async throws -> Bool {
        try await pool.query(
            "SELECT EXISTS (SELECT FROM event_registration WHERE event_id = \(meeting) AND account_id = \(account) AND status = 'registered')"
        ).first(decoding: Bool.self) ?? false
    }

    /// The meetings `account` is registered for, latest first.
    public func mine(_ account: Account.ID) async throws -> [Meeting] {
        try Self.decode(try await pool.query(
            """
            SELECT \(Self.columns) FROM event_registration r JOIN event e ON e.id = r.event_id
            LEFT JOIN organisation o ON o.id = e.organisation_id
            WHERE r.account_id = \(account) AND r.status = 'registered'
            ORDER BY lower(e.during) DESC, e.id
            """))
    }

    /// Who registered, for the organiser; seeing them is an audit line of the organiser's.
    public func participants(_ meeting: UUID, viewer: Account.ID) async throws -> [MeetingParticipant] {
        try await pool.audited({ tx in try await tx.query(
            """
            SELECT a.display_name, a.email,
                   (SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.account_id = a.id AND e.ended_on IS NULL),
                   r.created_at
            FROM event_registration r JOIN account a ON a.id = r.account_id
            WHERE r.event_id = \(meeting) AND r.status = 'registered'
            ORDER BY r.created_at, r.id
            """
        ).decode((String, String, String?, Date).self).map { name, email, organisation, registeredAt in
            MeetingParticipant(name: name, email: email, organisation: organisation, registeredAt: registeredAt)
        } }) { _ in AuditLine(.meetingParticipants, by: viewer, object: AuditObject("event", meeting), reason: "deelnemers bekijken") }
    }
}
