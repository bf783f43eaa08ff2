import Domain
import Foundation
import PQ

/// One topic of the training coordinators' network: what people ask for, and what the
/// academy offers on it now.
public struct WishTopic: Sendable, Hashable {
    public struct Wish: Sendable, Hashable {
        public let id: UUID
        public let why: String
        public let createdAt: Date
        public let supporters: Int
        /// Whether the viewer already asked for it (or said "ik ook").
        public let mine: Bool
        /// The offering that answered it, if any.
        public let answer: Answer?
    }

    public struct Answer: Sendable, Hashable {
        public let course: String
        public let provider: String
        public let starts: Day
    }

    public struct Asking: Sendable, Hashable {
        public let name: String
        public let people: Int
    }

    public let topic: String
    /// Distinct people asking, over all of the topic's wishes still open.
    public let people: Int
    /// People asking per organisation (where they worked when they asked), most first.
    public let perOrganisation: [Asking]
    public let wishes: [Wish]
    /// The offer: offerings of courses on this topic starting from today, places left
    /// on them (nil when one has no limit), and people on their waiting lists.
    public let offerings: Int
    public let placesLeft: Int?
    public let waiting: Int
}

/// The learning network: training wishes and their answers (and, in the extension,
/// intervision groups).
public struct LearningNetworkStore: Sendable {
    let pool: Pool

    public enum WishFailure: Error, Sendable, Equatable {
        case notFound
        /// The offering is not the provider's own, or has started.
        case notAnOffering
        case alreadyAnswered
    }

    /// States a wish; the one who asks counts as its first supporter.
    public func addWish(topic: String, why: String, by account: Account.ID) async throws -> UUID {
        try await pool.transaction { tx in
            let id = try await tx.query(
                "INSERT INTO training_wish (topic, why, created_by) VALUES (\(Self.topic(topic)), \(why.trimmingCharacters(in: .whitespacesAndNewlines)), \(account)) RETURNING id"
            ).first(decoding: UUID.self)!
            _ = try await Self.support(id, by: account, on: tx)
            return id
        }
    }

    /// A topic as stored: trimmed, lower case, inner spaces single.
    public static func topic(_ text: String) -> String {
        text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// "Ik ook": counted once per person. False when there is no such open wish.
    public func support(_ wish: UUID, by account: Account.ID) async throws -> Bool {
        try await pool.transaction { tx in try await Self.support(wish, by: account, on: tx) }
    }

    static func support(_ wish: UUID, by account: Account.ID, on tx: any Queryable) async throws -> Bool {
        guard try await tx.query("SELECT 1 FROM training_wish WHERE id = \(wish) AND answered_at IS NULL").first != nil else { return false }
        _ = try await tx.query(
            """
            INSERT INTO training_wish_support (wish_id, account_id, organisation_id)
            VALUES (\(wish), \(account), (SELECT e.organisation_id FROM employment e WHERE e.account_id = \(account)
                                          AND (e.ended_on IS NULL OR e.ended_on >= current_date) ORDER BY e.started_on DESC LIMIT 1))
            ON CONFLICT DO NOTHING
            """)
        return true
    }

    /// Every topic with wishes (open ones, and those answered in the last 90 days), the
    /// most asked first, with the academy's offer on it.
    public func network(viewer: Account.ID, today: Day) async throws -> [WishTopic] {
        let wishes = try await pool.query(
            """
            SELECT w.id, w.topic, w.why, w.created_at, (SELECT count(*) FROM training_wish_support s WHERE s.wish_id = w.id),
                   EXISTS (SELECT FROM training_wish_support s WHERE s.wish_id = w.id AND s.account_id = \(viewer)),
                   c.name, o.name, x.start_date
            FROM training_wish w
            LEFT JOIN course_offering x ON x.id = w.answered_offering_id LEFT JOIN course c ON c.id = x.course_id
            LEFT JOIN organisation o ON o.id = c.organisation_id
            WHERE w.answered_at IS NULL OR w.answered_at > now() - interval '90 days'
            ORDER BY w.topic, w.created_at, w.id
            """
        ).decode((UUID, String, String, Date, Int, Bool, String?, String?, Day?).self)
        let topics = Array(Set(wishes.map(\.1))).sorted()
        guard !topics.isEmpty else { return [] }
        let people = Dictionary(uniqueKeysWithValues: try await pool.query(
            """
            SELECT w.topic, count(DISTINCT s.account_id) FROM training_wish w JOIN training_wish_support s ON s.wish_id = w.id
            WHERE w.answered_at IS NULL GROUP BY 1
            """
        ).decode((String, Int).self))
        var perOrganisation: [String: [WishTopic.Asking]] = [:]
        for (topic, name, count) in try await pool.query(
            """
            SELECT w.topic, coalesce(o.name, 'Geen lid-organisatie'), count(DISTINCT s.account_id)
            FROM training_wish w JOIN training_wish_support s ON s.wish_id = w.id LEFT JOIN organisation o ON o.id = s.organisation_id
            WHERE w.answered_at IS NULL GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2
            """
        ).decode((String, String, Int).self) {
            perOrganisation[topic, default: []].append(WishTopic.Asking(name: name, people: count))
        }
        var offer: [String: (Int, Int?, Int)] = [:]
        for (topic, offerings, unlimited, left, waiting) in try await pool.query(
            """
            SELECT t.topic, count(x.id), bool_or(x.max_students IS NULL), coalesce(sum(greatest(x.max_students - x.enrolled, 0)), 0)::bigint,
                   coalesce(sum((SELECT count(*) FROM enrolment e WHERE e.offering_id = x.id AND e.status = 'waitlisted')), 0)::bigint
            FROM unnest(\(topics)::text[]) AS t(topic)
            LEFT JOIN course c ON t.topic = ANY(c.topics) AND c.withdrawn_at IS NULL
            LEFT JOIN course_offering x ON x.course_id = c.id AND x.withdrawn_at IS NULL AND x.start_date >= \(today)
            GROUP BY t.topic
            """
        ).decode((String, Int, Bool?, Int, Int).self) {
            offer[topic] = (offerings, unlimited == true ? nil : left, waiting)
        }
        return topics.map { topic in
            let mine = wishes.filter { $0.1 == topic }
            let (offerings, left, waiting) = offer[topic] ?? (0, 0, 0)
            return WishTopic(
                topic: topic, people: people[topic] ?? 0, perOrganisation: perOrganisation[topic] ?? [],
                wishes: mine.map { id, _, why, created, supporters, isMine, course, provider, starts in
                    WishTopic.Wish(id: id, why: why, createdAt: created, supporters: supporters, mine: isMine,
                                   answer: course.flatMap { course in provider.flatMap { provider in starts.map { WishTopic.Answer(course: course, provider: provider, starts: $0) } } })
                },
                offerings: offerings, placesLeft: left, waiting: waiting)
        }.sorted { ($0.people, $1.topic) > ($1.people, $0.topic) }
    }

    /// A provider answers a wish with one of its offerings still to start; everyone who
    /// asked for it is told, in the same transaction.
    public func answer(_ wish: UUID, with offering: UUID, organisations: [Organisation.ID], by adviser: Account.ID, today: Day) async throws {
        try await pool.transaction { tx in
            guard let (topic, answered) = try await tx.query(
                "SELECT topic, answered_at IS NOT NULL FROM training_wish WHERE id = \(wish) FOR UPDATE"
            ).first(decoding: (String, Bool).self) else { throw WishFailure.notFound }
            guard !answered else { throw WishFailure.alreadyAnswered }
            guard let (course, provider, starts) = try await tx.query(
                """
                SELECT c.name, o.name, x.start_date FROM course_offering x JOIN course c ON c.id = x.course_id JOIN organisation o ON o.id = c.organisation_id
                WHERE x.id = \(offering) AND c.organisation_id = ANY(\(organisations)::uuid[]) AND x.withdrawn_at IS NULL AND x.start_date > \(today)
                """
            ).first(decoding: (String, String, Day).self) else { throw WishFailure.notAnOffering }
            _ = try await tx.query(
                "UPDATE training_wish SET answered_offering_id = \(offering), answered_by = \(adviser), answered_at = now() WHERE id = \(wish)")
            for account in try await tx.query("SELECT account_id FROM training_wish_support WHERE wish_id = \(wish) ORDER BY 1").decode(UUID.self) {
                try await NotificationStore.add(.wishAnswered(topic: topic, course: course, provider: provider, starts: starts, offering: offering), for: account, on: tx)
            }
            try await AuditLine(.wishAnswer, by: adviser, object: AuditObject("training_wish", wish)).write(on: tx)
        }
    }

    /// The provider's offerings still to start, to answer a wish with.
    public func answerableOfferings(organisations: [Organisation.ID], today: Day) async throws -> [(id: UUID, label: String)] {
        try await pool.query(
            """
            SELECT x.id, c.name, x.start_date FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE c.organisation_id = ANY(\(organisations)::uuid[]) AND x.withdrawn_at IS NULL AND c.withdrawn_at IS NULL AND x.start_date > \(today)
            ORDER BY c.name, x.start_date, x.id LIMIT 500
            """
        ).decode((UUID, String, Day).self).map { (id: $0, label: "\($1), vanaf \($2.dutch)") }
    }
}
