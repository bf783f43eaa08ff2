import Domain
import Foundation
import PQ

/// A posting someone saved, as their list shows it.
public struct SavedPostingLine: Sendable, Hashable {
    public let posting: Posting
    public let savedAt: Date
}

/// A saved search, as its owner sees it.
public struct JobAlertLine: Sendable, Hashable {
    public enum Frequency: String, Sendable, CaseIterable {
        case daily, weekly
        public var label: String { self == .daily ? "dagelijks" : "wekelijks" }
        /// How long after the last look the next one is due (a little early, so that a
        /// job that runs every quarter of an hour keeps the rhythm).
        var interval: TimeInterval { self == .daily ? 86_400 - 1_800 : 7 * 86_400 - 1_800 }
    }

    public let id: UUID
    public let filter: PostingFilter
    public let frequency: Frequency
    public let createdAt: Date
    public let lastRunAt: Date?
}

/// Saved postings and saved searches ("vacaturealerts"). A search mails the postings
/// that newly match it, daily or weekly, each once; every mail carries a link that
/// ends the alert without logging in.
public struct JobAlertStore: Sendable {
    let pool: Pool
    let postings: PostingStore

    // MARK: Saved postings

    /// Saves a posting, or (`saved` false) lets it go. False when there is no such
    /// listed posting to save, or no such saved posting to let go.
    public func setSaved(_ posting: Posting.ID, _ saved: Bool, by account: Account.ID) async throws -> Bool {
        if saved {
            let inserted = try await pool.query(
                """
                INSERT INTO saved_posting (account_id, posting_id)
                SELECT \(account), id FROM posting WHERE id = \(posting) AND status = 'published'
                ON CONFLICT DO NOTHING RETURNING posting_id
                """
            ).first != nil
            if inserted { return true }
            return try await isSaved(posting, by: account)
        }
        return try await pool.query(
            "DELETE FROM saved_posting WHERE account_id = \(account) AND posting_id = \(posting) RETURNING posting_id").first != nil
    }

    public func isSaved(_ posting: Posting.ID, by account: Account.ID) async throws -> Bool {
        try await pool.query("SELECT 1 FROM saved_posting WHERE account_id = \(account) AND posting_id = \(posting)").first != nil
    }

    /// The account's saved postings, the ones closing soonest first, then the newest saved.
    public func saved(by account: Account.ID) async throws -> [SavedPostingLine] {
        let rows = try await pool.query(
            "SELECT posting_id, saved_at FROM saved_posting WHERE account_id = \(account) ORDER BY saved_at DESC, posting_id"
        ).decode((UUID, Date).self)
        var lines: [SavedPostingLine] = []
        for (id, savedAt) in rows {
            if let posting = try await postings.find(id: id) { lines.append(SavedPostingLine(posting: posting, savedAt: savedAt)) }
        }
        return lines.sorted { a, b in
            let x = a.posting.details.closingDate ?? Day(year: 9999, month: 12, day: 31)!
            let y = b.posting.details.closingDate ?? Day(year: 9999, month: 12, day: 31)!
            return x != y ? x < y : a.savedAt > b.savedAt
        }
    }

    /// Tells everyone who saved a still-listed posting that closes within three days
    /// (from `today`), once per saving. Returns how many were told.
    public func remindClosing(today: Day) async throws -> Int {
        try await pool.transaction { tx in
            let due = try await tx.query(
                """
                UPDATE saved_posting s SET reminded_at = now()
                FROM posting p JOIN organisation o ON o.id = p.organisation_id
                WHERE p.id = s.posting_id AND s.reminded_at IS NULL AND p.status = 'published'
                  AND p.closing_date >= \(today) AND p.closing_date <= \(today) + 3
                RETURNING s.account_id, p.id, p.title, o.name, p.closing_date
                """
            ).decode((UUID, UUID, String, String, Day).self)
            for (account, posting, title, organisation, closes) in due {
                try await NotificationStore.add(.postingClosing(title: title, organisation: organisation, closes: closes, posting: posting), for: account, on: tx)
            }
            return due.count
        }
    }

    // MARK: Saved searches

    /// Saves a search (its page and sort left out) with a frequency. Saving the same
    /// search again changes only its frequency. Returns the alert's id.
    public func saveSearch(_ filter: PostingFilter, frequency: JobAlertLine.Frequency, by account: Account.ID) async throws -> UUID {
        try await pool.query(
            """
            INSERT INTO job_alert (account_id, query, frequency, unsubscribe_token)
            VALUES (\(account), \(Self.query(of: filter)), \(frequency.rawValue), \(Self.newToken()))
            ON CONFLICT (account_id, query) DO UPDATE SET frequency = excluded.frequency
            RETURNING id
            """
        ).first(decoding: UUID.self)!
    }

    /// The search as stored: the filter's query string without its page and sort.
    static func query(of filter: PostingFilter) -> String {
        var plain = filter
        plain.page = 1
        plain.sort = .relevance
        return plain.dutchQuery().map { name, value in
            name + "=" + (value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")
        }.joined(separator: "&")
    }

    static func filter(of query: String) -> PostingFilter {
        var values: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1].removingPercentEncoding ?? "" }
        }
        return PostingFilter(dutch: values)
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        return String((0..<43).map { _ in alphabet[Int(generator.next() % 64)] })
    }

    public func alerts(of account: Account.ID) async throws -> [JobAlertLine] {
        try await pool.query(
            "SELECT id, query, frequency, created_at, last_run_at FROM job_alert WHERE account_id = \(account) ORDER BY created_at, id"
        ).decode((UUID, String, String, Date, Date?).self).map { id, query, frequency, created, lastRun in
            JobAlertLine(id: id, filter: Self.filter(of: query), frequency: JobAlertLine.Frequency(rawValue: frequency) ?? .weekly,
                         createdAt: created, lastRunAt: lastRun)
        }
    }

    /// Ends an alert of the account's own. False when there is none.
    public func delete(_ alert: UUID, of account: Account.ID) async throws -> Bool {
        try await pool.query("DELETE FROM job_alert WHERE id = \(alert) AND account_id = \(account) RETURNING id").first != nil
    }

    /// The search of an unsubscribe link, to say what it stops; nil for an unknown token.
    public func alert(token: String) async throws -> PostingFilter? {
        guard Self.isToken(token) else { return nil }
        return try await pool.query("SELECT query FROM job_alert WHERE unsubscribe_token = \(token)").first(decoding: String.self).map(Self.filter(of:))
    }

    /// Ends the alert of an unsubscribe link. False for an unknown (or used) token.
    public func unsubscribe(token: String) async throws -> Bool {
        guard Self.isToken(token) else { return false }
        return try await pool.query("DELETE FROM job_alert WHERE unsubscribe_token = \(token) RETURNING id").first != nil
    }

    static func isToken(_ token: String) -> Bool {
        (32...64).contains(token.count) && token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Mails every alert that is due at `now`: the postings published since the alert
    /// was made that match its search and were not sent for it before, newest first.
    /// An alert is taken by one instance at a time (`FOR UPDATE SKIP LOCKED`), and
    /// what it sent is written in the same transaction as the mail, so a posting goes
    /// once per alert. Returns how many mails went out.
    public func sendAlerts(now: Date = Date()) async throws -> Int {
        let due = try await pool.query(
            """
            SELECT id FROM job_alert
            WHERE last_run_at IS NULL
               OR (frequency = 'daily' AND last_run_at <= \(now.addingTimeInterval(-JobAlertLine.Frequency.daily.interval)))
               OR (frequency = 'weekly' AND last_run_at <= \(now.addingTimeInterval(-JobAlertLine.Frequency.weekly.interval)))
            ORDER BY last_run_at NULLS FIRST, id LIMIT 200
            """
        ).decode(UUID.self)
        var mailed = 0
        for id in due {
            mailed += try await pool.transaction { tx -> Int in
                guard let (account, query, token, created, lastRun, frequency) = try await tx.query(
                    """
                    SELECT a.account_id, a.query, a.unsubscribe_token, a.created_at, a.last_run_at, a.frequency FROM job_alert a
                    JOIN account acc ON acc.id = a.account_id AND acc.erased_at IS NULL AND NOT acc.disabled
                    WHERE a.id = \(id) FOR UPDATE OF a SKIP LOCKED
                    """
                ).first?.decode((UUID, String, String, Date, Date?, String).self) else { return 0 }
                // Another instance may have run it a moment ago.
                let interval = (JobAlertLine.Frequency(rawValue: frequency) ?? .weekly).interval
                if let lastRun, lastRun > now.addingTimeInterval(-interval) { return 0 }
                var filter = Self.filter(of: query)
                filter.sort = .newest
                let viewer = PostingViewer(seesInternal: try await postings.seesInternal(accountID: account))
                var fresh: [Posting] = []
                for page in 1...3 {
                    filter.page = page
                    let found = try await postings.search(filter, viewer: viewer).postings
                    fresh += found.filter { ($0.publishedAt ?? .distantPast) > created }
                    if found.count < PostingFilter.pageSize || found.contains(where: { ($0.publishedAt ?? .distantPast) <= created }) { break }
                }
                let sent = Set(try await tx.query(
                    "SELECT posting_id FROM job_alert_sent WHERE alert_id = \(id) AND posting_id = ANY(\(fresh.map(\.id))::uuid[])"
                ).decode(UUID.self))
                let new = fresh.filter { !sent.contains($0.id) }
                _ = try await tx.query("UPDATE job_alert SET last_run_at = \(now) WHERE id = \(id)")
                guard !new.isEmpty else { return 0 }
                _ = try await tx.query(
                    "INSERT INTO job_alert_sent (alert_id, posting_id) SELECT \(id), unnest(\(new.map(\.id))::uuid[])")
                try await NotificationStore.add(.jobAlert(
                    search: Self.describe(Self.filter(of: query)), query: query,
                    postings: new.map { (title: $0.details.title, organisation: $0.organisationName, path: "/vacatures/\($0.id.uuidString.lowercased())") },
                    token: token), for: account, on: tx)
                return 1
            }
        }
        return mailed
    }

    /// A search in words: "\"ambulant\", vacature, Amsterdam" or "alle vacatures".
    public static func describe(_ filter: PostingFilter) -> String {
        var parts: [String] = []
        if !filter.text.isEmpty { parts.append("\"\(filter.text)\"") }
        if let kind = filter.kind { parts.append(kind.label.lowercased()) }
        if let organisation = filter.organisationSlug { parts.append(organisation) }
        if let function = filter.functionCode { parts.append(function) }
        if let discipline = filter.discipline { parts.append(discipline.label.lowercased()) }
        if let level = filter.educationLevel { parts.append(level.label) }
        if let municipality = filter.municipality { parts.append(municipality.name) }
        if let min = filter.minHours { parts.append("vanaf \(min) uur") }
        if let max = filter.maxHours { parts.append("tot \(max) uur") }
        if filter.duoOnly { parts.append("duobaan") }
        return parts.isEmpty ? "alle vacatures" : parts.joined(separator: ", ")
    }
}
