import Domain
import Foundation
import PQ

/// What an OOAPI v5 consumer asks of `/courses`: the spec's filters, order and page.
public struct CourseQuery: Sendable, Hashable {
    /// The spec's sort keys for courses; `-` means descending.
    public enum Sort: String, Sendable, CaseIterable {
        case courseId, name
        case courseIdDescending = "-courseId", nameDescending = "-name"
    }

    public var primaryCode: String?
    /// Part of the name, abbreviation or description, any case.
    public var text: String?
    public var teachingLanguage: String?
    public var level: String?
    /// Courses with one of these modes of delivery; nil: all.
    public var modes: [String]?
    public var sort: [Sort] = [.name]
    public var page = 1
    public var pageSize = 10

    public init() {}
}

/// What an OOAPI v5 consumer asks of `/courses/{id}/offerings`.
public struct OfferingQuery: Sendable, Hashable {
    public enum Sort: String, Sendable, CaseIterable {
        case offeringId, name, startDate, endDate
        case offeringIdDescending = "-offeringId", nameDescending = "-name", startDateDescending = "-startDate", endDateDescending = "-endDate"
    }

    public var text: String?
    public var teachingLanguage: String?
    public var modes: [String]?
    /// Offerings expect a result (ours all do): false asks for none.
    public var resultExpected: Bool?
    /// Offerings that start on or after this day; the spec's default is today.
    public var since: Day
    /// Offerings that end on or before this day.
    public var until: Day?
    public var sort: [Sort] = [.startDate]
    public var page = 1
    public var pageSize = 10

    public init(since: Day) { self.since = since }
}

extension AcademyStore {
    /// Courses (not withdrawn) as an OOAPI consumer asks for them, with the total.
    public func courses(_ query: CourseQuery) async throws -> (courses: [StoredCourse], total: Int) {
        let pattern = query.text.map { "%" + Self.likeEscaped($0) + "%" }
        // Planned for the query's values each time: "$1 IS NULL OR ..." has no good
        // generic plan.
        let filter = SQL(plannedEachTime: """
            c.withdrawn_at IS NULL
              AND (\(query.primaryCode)::text IS NULL OR c.primary_code = \(query.primaryCode))
              AND (\(pattern)::text IS NULL OR c.name ILIKE \(pattern) OR c.abbreviation ILIKE \(pattern) OR c.description ILIKE \(pattern)
                   OR c.names::text ILIKE \(pattern))
              AND (\(query.teachingLanguage)::text IS NULL OR c.teaching_language = \(query.teachingLanguage))
              AND (\(query.level)::text IS NULL OR c.level = \(query.level) OR (c.level IS NULL AND \(query.level) = 'undefined'))
              AND (\(query.modes)::text[] IS NULL OR \(Self.modes) && \(query.modes)::text[])
            """)
        let order = SQL.joined(query.sort.map { sort -> SQL in
            switch sort {
            case .courseId: "c.id ASC"
            case .courseIdDescending: "c.id DESC"
            case .name: "c.name ASC"
            case .nameDescending: "c.name DESC"
            }
        } + ["c.id"], separator: ", ")
        let total = try await pool.query("SELECT count(*) FROM course c WHERE \(filter)").first(decoding: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT \(Self.courseColumns) FROM course c JOIN organisation o ON o.id = c.organisation_id
            WHERE \(filter)
            ORDER BY \(order) LIMIT \(query.pageSize) OFFSET \((query.page - 1) * query.pageSize)
            """
        ).map(Self.decodeCourse)
        return (rows, total)
    }

    /// A course's offerings (not withdrawn) as an OOAPI consumer asks for them.
    public func offerings(of course: StoredCourse, _ query: OfferingQuery) async throws -> (offerings: [StoredOffering], total: Int) {
        let pattern = query.text.map { "%" + Self.likeEscaped($0) + "%" }
        // Every offering has its course's language and format, and expects a result.
        if query.resultExpected == false
            || query.teachingLanguage.map({ $0 != course.record.teachingLanguage }) == true
            || query.modes.map({ Set($0).isDisjoint(with: course.record.modes) }) == true {
            return ([], 0)
        }
        let filter = SQL(plannedEachTime: """
            x.course_id = \(course.id) AND x.withdrawn_at IS NULL AND x.start_date >= \(query.since)
              AND (\(query.until)::date IS NULL OR x.end_date <= \(query.until))
              AND (\(pattern)::text IS NULL OR x.primary_code ILIKE \(pattern) OR x.names::text ILIKE \(pattern)
                   OR x.descriptions::text ILIKE \(pattern)
                   OR (x.names = '[]' AND (c.name ILIKE \(pattern) OR c.description ILIKE \(pattern) OR c.names::text ILIKE \(pattern))))
            """)
        // An offering without a name of its own has its course's.
        let order = SQL.joined(query.sort.map { sort -> SQL in
            switch sort {
            case .offeringId: "x.id ASC"
            case .offeringIdDescending: "x.id DESC"
            case .name: "coalesce(x.names->0->>'value', c.name) ASC"
            case .nameDescending: "coalesce(x.names->0->>'value', c.name) DESC"
            case .startDate: "x.start_date ASC"
            case .startDateDescending: "x.start_date DESC"
            case .endDate: "x.end_date ASC"
            case .endDateDescending: "x.end_date DESC"
            }
        } + ["x.primary_code", "x.id"], separator: ", ")
        let total = try await pool.query(
            "SELECT count(*) FROM course_offering x JOIN course c ON c.id = x.course_id WHERE \(filter)").first(decoding: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT \(Self.offeringColumns)
            FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE \(filter)
            ORDER BY \(order) LIMIT \(query.pageSize) OFFSET \((query.page - 1) * query.pageSize)
            """
        ).map(Self.decodeOffering)
        return (rows, total)
    }

    /// A course's modes of delivery in SQL: as sent, or the one its format implies.
    static let modes: SQL = """
        (CASE WHEN c.modes_of_delivery <> '{}' THEN c.modes_of_delivery
              ELSE ARRAY[CASE c.format WHEN 'classroom' THEN 'on campus' WHEN 'online_live' THEN 'online'
                                       WHEN 'e_learning' THEN 'distance-learning' ELSE 'hybrid' END] END)
        """

    static let offeringColumns: SQL = """
        x.id, x.course_id, x.primary_code, c.primary_code AS course_code, x.start_date, x.end_date, x.enroll_start_date,
        x.enroll_end_date, x.max_students, x.place, x.sessions::text AS sessions, x.names, x.descriptions, x.addresses, x.price_information, x.link
        """

    static func decodeOffering(_ row: Row) throws -> StoredOffering {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let sessions = try decoder.decode([OfferingRecord.Session].self, from: Data(row.decode(column: "sessions", as: String.self).utf8))
        return try StoredOffering(id: row.decode(column: "id"), courseID: row.decode(column: "course_id"), record: OfferingRecord(
            primaryCode: row.decode(column: "primary_code"), courseCode: row.decode(column: "course_code"),
            startDate: row.decode(column: "start_date"), endDate: row.decode(column: "end_date"),
            enrollStartDate: row.decode(column: "enroll_start_date"), enrollEndDate: row.decode(column: "enroll_end_date"),
            maxStudents: row.decode(column: "max_students"), place: row.decode(column: "place"),
            sessions: sessions,
            names: row.decode(column: "names", as: JSONB<[LocalizedText]>.self).value,
            descriptions: row.decode(column: "descriptions", as: JSONB<[LocalizedText]>.self).value,
            addresses: row.decode(column: "addresses", as: JSONB<[OfferingAddress]>.self).value,
            priceInformation: row.decode(column: "price_information", as: JSONB<[OfferingCost]>.self).value,
            link: row.decode(column: "link")))
    }

    /// A text for LIKE that matches itself: `%`, `_` and `\` lose their meaning.
    static func likeEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
