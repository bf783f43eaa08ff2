import Domain
import Foundation
import PQ

/// What an HR adviser narrows the applications to.
public struct PipelineFilter: Sendable, Hashable {
    public var posting: Posting.ID?
    public var status: ApplicationStatus?
    /// Submitted on or after this day (Amsterdam).
    public var since: Day?
    /// Part of the applicant's name, any case.
    public var name: String

    public init(posting: Posting.ID? = nil, status: ApplicationStatus? = nil, since: Day? = nil, name: String = "") {
        self.posting = posting
        self.status = status
        self.since = since
        self.name = name
    }
}

/// One application in the pipeline.
public struct PipelineLine: Sendable, Hashable {
    public let id: UUID
    public let postingID: Posting.ID
    public let postingTitle: String
    public let applicantName: String
    public let status: ApplicationStatus
    public let submittedAt: Date
    /// Came in after the adviser last looked at this posting's applications.
    public let isNew: Bool
    public let hasCV: Bool
}

/// The applications of an adviser's organisations as a pipeline: counts per state
/// (over the filter, whatever state it names) and the lines of the filter.
public struct Pipeline: Sendable {
    public let counts: [ApplicationStatus: Int]
    public let newCount: Int
    public let lines: [PipelineLine]
    /// More lines matched than `lines` holds.
    public let isCut: Bool
}

/// A CV as it is served: its name, type and bytes.
public struct StoredCV: Sendable {
    public let applicationID: UUID
    public let applicantID: Account.ID
    public let fileName: String
    public let mediaType: String
    public let content: Data
}

extension ApplicationStore {
    /// The pipeline of these organisations' applications (withdrawn ones left out).
    public func pipeline(organisations: [Organisation.ID], viewer: Account.ID, filter: PipelineFilter, limit: Int = 300) async throws -> Pipeline {
        let name = filter.name.trimmingCharacters(in: .whitespaces)
        // Planned for the filter's values each time: "$1 IS NULL OR ..." has no good
        // generic plan.
        let scope = SQL(plannedEachTime: """
            FROM application a JOIN posting p ON p.id = a.posting_id JOIN account acc ON acc.id = a.applicant_id
            LEFT JOIN application_seen s ON s.account_id = \(viewer) AND s.posting_id = a.posting_id
            WHERE p.organisation_id = ANY(\(organisations)::uuid[]) AND a.status <> 'withdrawn'
              AND (\(filter.posting)::uuid IS NULL OR a.posting_id = \(filter.posting))
              AND (\(filter.since)::date IS NULL OR a.created_at >= (\(filter.since)::date::timestamp AT TIME ZONE 'Europe/Amsterdam'))
              AND (\(name) = '' OR strpos(lower(acc.display_name), lower(\(name))) > 0)
            """)
        var counts: [ApplicationStatus: Int] = [:]
        var newCount = 0
        for (status, count, fresh) in try await pool.query(
            "SELECT a.status, count(*)::int, count(*) FILTER (WHERE a.created_at > coalesce(s.seen_at, '-infinity'))::int \(scope) GROUP BY a.status"
        ).decode((ApplicationStatus, Int, Int).self) {
            counts[status] = count
            newCount += fresh
        }
        let rows = try await pool.query(
            """
            SELECT a.id, p.id, p.title, acc.display_name, a.status, a.created_at, a.created_at > coalesce(s.seen_at, '-infinity'),
                   EXISTS (SELECT FROM application_cv cv WHERE cv.application_id = a.id)
            \(scope) AND (\(filter.status)::text IS NULL OR a.status = \(filter.status))
            ORDER BY a.created_at DESC, a.id LIMIT \(limit + 1)
            """
        ).decode((UUID, UUID, String, String, ApplicationStatus, Date, Bool, Bool).self)
        let lines = rows.prefix(limit).map { id, postingID, title, applicant, status, submitted, isNew, hasCV in
            PipelineLine(id: id, postingID: postingID, postingTitle: title, applicantName: applicant, status: status, submittedAt: submitted,
                         isNew: isNew, hasCV: hasCV)
        }
        return Pipeline(counts: counts, newCount: newCount, lines: Array(lines), isCut: rows.count > limit)
    }

    /// The adviser has seen these postings' applications up to `at`.
    public func markSeen(_ postings: [Posting.ID], by viewer: Account.ID, at: Date) async throws {
        guard !postings.isEmpty else { return }
        _ = try await pool.query(
            """
            INSERT INTO application_seen (account_id, posting_id, seen_at)
            SELECT \(viewer), id, \(at) FROM unnest(\(Array(Set(postings)))::uuid[]) AS t(id)
            ON CONFLICT (account_id, posting_id) DO UPDATE SET seen_at = greatest(application_seen.seen_at, EXCLUDED.seen_at)
            """)
    }

    /// The CV of an application to these organisations' postings; nil for anyone else's
    /// application, or when there is none (any more).
    public func cv(of application: UUID, organisations: [Organisation.ID]) async throws -> StoredCV? {
        try await pool.query(
            """
            SELECT cv.application_id, a.applicant_id, cv.file_name, cv.media_type, cv.content
            FROM application_cv cv JOIN application a ON a.id = cv.application_id JOIN posting p ON p.id = a.posting_id
            WHERE cv.application_id = \(application) AND p.organisation_id = ANY(\(organisations)::uuid[])
            """
        ).first(decoding: (UUID, UUID, String, String, Data).self).map { id, applicant, name, type, content in
            StoredCV(applicationID: id, applicantID: applicant, fileName: name, mediaType: type, content: content)
        }
    }

    /// Downloading a CV is logged like opening the application.
    public func recordDownload(of cv: StoredCV, by viewer: Account.ID) async throws {
        try await AuditLine(.applicationView, by: viewer, about: cv.applicantID,
                            object: AuditObject("application", cv.applicationID), reason: "cv downloaden").write(on: pool)
    }
}
