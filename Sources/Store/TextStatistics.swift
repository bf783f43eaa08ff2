import PQ
import Synchronization

/// PostgreSQL's statistics of the postings' text column, as the vacancy search needs
/// them to choose how to read: the most common lexemes with the share of postings
/// holding each, and about how many postings there are. Read at most once a minute
/// per process: planning a query over `pg_stats` takes milliseconds (5.5 ms measured
/// on the bench data), too much for every search, and the statistics change only
/// when PostgreSQL analyses the table.
final class TextStatistics: Sendable {
    struct Snapshot: Sendable {
        /// Lexeme → share of postings that hold it.
        let common: [String: Double]
        let postings: Double

        /// The share of postings estimated to hold every word: per word, the shares of
        /// the common lexemes it matches (as a prefix or a compound), summed and at most
        /// 1; the words' shares multiplied (0 when a word matches no common lexeme).
        func share(of words: [SearchTerms.Word]) -> Double {
            var product = 1.0
            for word in words {
                let sum = common.reduce(0.0) { sum, element in word.matches(element.key) ? sum + element.value : sum }
                product *= min(1, sum)
            }
            return words.isEmpty ? 0 : product
        }
    }

    static let lifetime: Duration = .seconds(60)
    private let cached = Mutex<(snapshot: Snapshot, readAt: ContinuousClock.Instant)?>(nil)

    func current(_ db: any Queryable) async throws -> Snapshot {
        let now = ContinuousClock.now
        if let cached = cached.withLock({ $0 }), now - cached.readAt < Self.lifetime { return cached.snapshot }
        let common = try await db.query(
            """
            SELECT m.lexeme, m.share
            FROM pg_stats s, unnest(s.most_common_elems::text::text[], s.most_common_elem_freqs) AS m(lexeme, share)
            WHERE s.schemaname = current_schema() AND s.tablename = 'posting' AND s.attname = 'search'
              AND m.lexeme IS NOT NULL
            """
        ).decode((String, Double).self)
        let postings = try await db.query(
            "SELECT greatest(reltuples, 0)::float8 FROM pg_class WHERE oid = 'posting'::regclass"
        ).first(decoding: Double.self) ?? 0
        let snapshot = Snapshot(common: Dictionary(common, uniquingKeysWith: +), postings: postings)
        cached.withLock { $0 = (snapshot, now) }
        return snapshot
    }
}
