import Domain
import Foundation
import PQ

/// What an import did, or why it changed nothing.
public struct ImportReport: Sendable, Hashable {
    public struct Counts: Sendable, Hashable {
        public var inserted = 0, updated = 0, unchanged = 0, withdrawn = 0

        public init() {}

        /// From an upsert's counts of `total` records: the rest were left as they were.
        init(upserted: (inserted: Int, updated: Int), of total: Int) {
            inserted = upserted.inserted
            updated = upserted.updated
            unchanged = total - upserted.inserted - upserted.updated
        }
    }

    /// A course the import withdrew (or, unconfirmed, would have withdrawn).
    public struct WithdrawnCourse: Sendable, Hashable, Codable {
        public let code: String
        public let name: String
    }

    public enum Outcome: String, Sendable, Hashable {
        /// The file was imported.
        case applied
        /// The file could not be read as a catalogue: nothing changed.
        case unreadable
        /// Not one course in the file was valid: nothing changed.
        case noValidCourse = "no_valid_course"
        /// It would withdraw more than `WithdrawalRule` allows without a confirmation: nothing changed.
        case needsConfirmation = "needs_confirmation"

        public var changedNothing: Bool { self != .applied }
    }

    public var outcome = Outcome.applied
    public var courses = Counts()
    public var offerings = Counts()
    public var rejected: [Catalogue.Rejection] = []
    /// What it withdrew, or with `.needsConfirmation` what it would have withdrawn.
    public var withdrawnCourses: [WithdrawnCourse] = []
    /// The organisation's live courses before the import (those an import may withdraw).
    public var liveCourses = 0
    /// The courses it added and the ones it changed (the same type: a code and a name).
    public var newCourses: [WithdrawnCourse] = []
    public var changedCourses: [WithdrawnCourse] = []
    /// A dry run: what the import would do, with nothing changed.
    public var isPreview = false
}

/// What an upload would do, kept with the upload until its adviser confirms: the
/// confirmed import must do exactly this.
public struct ImportPreview: Sendable, Hashable, Codable {
    public let courses: [Int]
    public let offerings: [Int]
    public let newCourses: [String]
    public let changedCourses: [String]
    public let withdrawnCourses: [String]
    public let rejected: [String]

    public init(_ report: ImportReport) {
        courses = [report.courses.inserted, report.courses.updated, report.courses.unchanged, report.courses.withdrawn]
        offerings = [report.offerings.inserted, report.offerings.updated, report.offerings.unchanged, report.offerings.withdrawn]
        newCourses = report.newCourses.map(\.code)
        changedCourses = report.changedCourses.map(\.code)
        withdrawnCourses = report.withdrawnCourses.map(\.code)
        rejected = report.rejected.map(\.text)
    }
}

/// The Jeugd Academie's catalogue: imports (this file) and reading.
public struct AcademyStore: Sendable {
    let pool: Pool

    public enum Source: String, Sendable { case upload, api, command }

    /// Imports an organisation's catalogue: upserts by the provider's code, withdraws
    /// what the file no longer holds, leaves identical rows untouched (same row
    /// version), all in one transaction. Rejected records are reported, not fatal.
    ///
    /// A file that cannot be read or holds no valid course changes nothing; so does one
    /// that would withdraw more than `WithdrawalRule` allows, unless `allowWithdraw`
    /// (the person confirmed it). Every attempt is logged with its outcome.
    ///
    /// With `dryRun` it does all of it and rolls it back: the report says what the
    /// import would do (the preview an adviser confirms), and nothing changed.
    public func importCatalogue(
        _ catalogue: Catalogue, organisation: Organisation.ID, by account: Account.ID?, source: Source, allowWithdraw: Bool,
        token: UUID? = nil, dryRun: Bool = false
    ) async throws -> ImportReport {
        /// Thrown at the end of a dry run, so that the transaction rolls back.
        struct RolledBack: Error { let report: ImportReport }
        var report = ImportReport()
        report.rejected = catalogue.rejected
        report.isPreview = dryRun
        do {
            try await pool.transaction { tx in
                try await run(catalogue, organisation: organisation, by: account, source: source, allowWithdraw: allowWithdraw, token: token,
                              into: &report, on: tx)
                if dryRun { throw RolledBack(report: report) }
            }
        } catch let rolledBack as RolledBack {
            return rolledBack.report
        }
        return report
    }

    private func run(
        _ catalogue: Catalogue, organisation: Organisation.ID, by account: Account.ID?, source: Source, allowWithdraw: Bool,
        token: UUID?, into report: inout ImportReport, on tx: Transaction
    ) async throws {
        // Serialises imports of one organisation, so two never judge the same catalogue.
        _ = try await tx.query("SELECT 1 FROM organisation WHERE id = \(organisation) FOR UPDATE")
        if catalogue.unreadable {
            report.outcome = .unreadable
        } else if catalogue.courses.isEmpty {
            report.outcome = .noValidCourse
        } else {
            // Only what imports brought can be withdrawn by one; courses made in the form stay.
            let live = try await tx.query(
                """
                SELECT primary_code, name, primary_code <> ALL(\(Array(catalogue.namedCourseCodes))::text[]) AS dropped
                FROM course WHERE organisation_id = \(organisation) AND withdrawn_at IS NULL AND origin = 'import' ORDER BY primary_code
                """
            ).decode((String, String, Bool).self)
            report.liveCourses = live.count
            report.withdrawnCourses = live.filter { _, _, dropped in dropped }.map { code, name, _ in .init(code: code, name: name) }
            if !allowWithdraw && WithdrawalRule.needsConfirmation(withdrawing: report.withdrawnCourses.count, live: live.count) {
                report.outcome = .needsConfirmation
            }
        }
        guard report.outcome == .applied else {
            try await log(report, organisation: organisation, by: account, token: token, source: source,
                          coursesInFile: catalogue.courses.count, confirmed: allowWithdraw, on: tx)
            return
        }
        try await apply(catalogue, organisation: organisation, by: account, token: token, source: source, confirmed: allowWithdraw,
                        into: &report, on: tx)
    }

    /// Logs an import that changed nothing, with what it would have withdrawn.
    private func log(
        _ report: ImportReport, organisation: Organisation.ID, by account: Account.ID?, token: UUID?, source: Source,
        coursesInFile: Int, confirmed: Bool, on tx: Transaction
    ) async throws {
        _ = try await tx.query(
            """
            INSERT INTO catalogue_import (organisation_id, imported_by, api_token_id, source, outcome, inserted, updated, unchanged,
                                          withdrawn, rejected, courses_in_file, withdrawn_courses, confirmed)
            VALUES (\(organisation), \(account), \(token), \(source.rawValue), \(report.outcome.rawValue), 0, 0, 0, 0, \(JSONB(report.rejected)),
                    \(coursesInFile), \(JSONB(report.withdrawnCourses)), \(confirmed))
            """
        )
        try await AuditLine(.academyImport, by: account, object: AuditObject("organisation", organisation),
                            reason: "niets gewijzigd (\(report.outcome.rawValue)), \(report.rejected.count) afgewezen").write(on: tx)
    }

    /// Upserts the file's courses and offerings and withdraws what it no longer holds.
    private func apply(
        _ catalogue: Catalogue, organisation: Organisation.ID, by account: Account.ID?, token: UUID?, source: Source, confirmed: Bool,
        into report: inout ImportReport, on tx: Transaction
    ) async throws {
        let courses = catalogue.courses
        let offerings = catalogue.offerings
        func joined(_ list: [String]) -> String { list.joined(separator: "\u{1F}") }
        func number(_ value: Double?) -> String { value.map { String($0) } ?? "" }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        func json(_ value: some Encodable) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }

        do {
            let importID = try await tx.query(
                """
                INSERT INTO catalogue_import (organisation_id, imported_by, api_token_id, source, outcome, inserted, updated, unchanged,
                                              withdrawn, courses_in_file, confirmed)
                VALUES (\(organisation), \(account), \(token), \(source.rawValue), 'applied', 0, 0, 0, 0, \(courses.count), \(confirmed))
                RETURNING id
                """
            ).first(decoding: UUID.self)!
            let upserted = try await tx.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(
                        \(courses.map(\.primaryCode))::text[], \(courses.map(\.name))::text[], \(courses.map(\.description))::text[],
                        \(courses.map { $0.abbreviation ?? "" })::text[], \(courses.map(\.teachingLanguage))::text[],
                        \(courses.map { $0.level ?? "" })::text[], \(courses.map(\.format.rawValue))::text[], \(courses.map { $0.duration ?? "" })::text[],
                        \(courses.map { $0.link ?? "" })::text[], \(courses.map { $0.enrolsHere ? "t" : "f" })::text[],
                        \(courses.map { joined($0.topics) })::text[], \(courses.map { joined($0.targetFunctions) })::text[],
                        \(courses.map { joined($0.targetDisciplines) })::text[], \(courses.map { number($0.studyHours) })::text[],
                        \(courses.map { $0.register?.rawValue ?? "" })::text[], \(courses.map { number($0.points) })::text[],
                        \(courses.map { $0.accreditationNumber ?? "" })::text[], \(courses.map { $0.priceCents.map(String.init) ?? "" })::text[],
                        \(try courses.map { try json($0.names) })::text[], \(try courses.map { try json($0.descriptions) })::text[],
                        \(courses.map { $0.studyLoad?.studyLoadUnit ?? "" })::text[], \(courses.map { number($0.studyLoad?.value) })::text[],
                        \(courses.map { joined($0.modesOfDelivery) })::text[]
                    ) AS t(code, name, description, abbreviation, language, level, format, duration, link, here, topics, functions,
                           disciplines, hours, register, points, number, price, names, descriptions, load_unit, load_value, modes)
                ), shaped AS (
                    SELECT code, name, description, nullif(abbreviation, '') AS abbreviation, language, nullif(level, '') AS level, format,
                           nullif(duration, '') AS duration, nullif(link, '') AS link, here::boolean AS here,
                           coalesce(string_to_array(nullif(topics, ''), E'\\x1F'), '{}') AS topics,
                           coalesce(string_to_array(nullif(functions, ''), E'\\x1F'), '{}') AS functions,
                           coalesce(string_to_array(nullif(disciplines, ''), E'\\x1F'), '{}') AS disciplines,
                           nullif(hours, '')::numeric(6, 1) AS hours, nullif(register, '') AS register, nullif(points, '')::numeric(5, 1) AS points,
                           nullif(number, '') AS number, nullif(price, '')::integer AS price, names::jsonb AS names,
                           descriptions::jsonb AS descriptions, nullif(load_unit, '') AS load_unit, nullif(load_value, '')::numeric(8, 2) AS load_value,
                           coalesce(string_to_array(nullif(modes, ''), E'\\x1F'), '{}') AS modes
                    FROM input
                ), upserted AS (
                    INSERT INTO course AS c (organisation_id, primary_code, name, description, abbreviation, teaching_language, level, format,
                        duration, link, enrols_here, topics, target_functions, target_disciplines, study_hours, register, points,
                        accreditation_number, price_cents, names, descriptions, study_load_unit, study_load_value, modes_of_delivery, search)
                    SELECT \(organisation), code, name, description, abbreviation, language, level, format, duration, link, here, topics,
                           functions, disciplines, hours, register, points, number, price, names, descriptions, load_unit, load_value, modes,
                           setweight(to_tsvector('dutch', name), 'A') || setweight(to_tsvector('dutch', array_to_string(topics, ' ')), 'B')
                             || setweight(to_tsvector('dutch', description), 'C')
                    FROM shaped
                    ON CONFLICT (organisation_id, primary_code) DO UPDATE SET
                        name = EXCLUDED.name, description = EXCLUDED.description, abbreviation = EXCLUDED.abbreviation,
                        teaching_language = EXCLUDED.teaching_language, level = EXCLUDED.level, format = EXCLUDED.format,
                        duration = EXCLUDED.duration, link = EXCLUDED.link, enrols_here = EXCLUDED.enrols_here, topics = EXCLUDED.topics,
                        target_functions = EXCLUDED.target_functions, target_disciplines = EXCLUDED.target_disciplines,
                        study_hours = EXCLUDED.study_hours, register = EXCLUDED.register, points = EXCLUDED.points,
                        accreditation_number = EXCLUDED.accreditation_number, price_cents = EXCLUDED.price_cents, names = EXCLUDED.names,
                        descriptions = EXCLUDED.descriptions, study_load_unit = EXCLUDED.study_load_unit,
                        study_load_value = EXCLUDED.study_load_value, modes_of_delivery = EXCLUDED.modes_of_delivery, search = EXCLUDED.search,
                        withdrawn_at = NULL, updated_at = now()
                    -- A missing abbreviation reads back as the code, a missing level as undefined:
                    -- either way the same course, not a change.
                    WHERE c.withdrawn_at IS NOT NULL OR (c.name, c.description, coalesce(c.abbreviation, c.primary_code), c.teaching_language,
                        coalesce(c.level, 'undefined'), c.format,
                        c.duration, c.link, c.enrols_here, c.topics, c.target_functions, c.target_disciplines, c.study_hours, c.register,
                        c.points, c.accreditation_number, c.price_cents, c.names, c.descriptions, c.study_load_unit, c.study_load_value,
                        c.modes_of_delivery)
                      IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, coalesce(EXCLUDED.abbreviation, EXCLUDED.primary_code),
                        EXCLUDED.teaching_language, coalesce(EXCLUDED.level, 'undefined'), EXCLUDED.format, EXCLUDED.duration, EXCLUDED.link, EXCLUDED.enrols_here, EXCLUDED.topics,
                        EXCLUDED.target_functions, EXCLUDED.target_disciplines, EXCLUDED.study_hours, EXCLUDED.register, EXCLUDED.points,
                        EXCLUDED.accreditation_number, EXCLUDED.price_cents, EXCLUDED.names, EXCLUDED.descriptions, EXCLUDED.study_load_unit,
                        EXCLUDED.study_load_value, EXCLUDED.modes_of_delivery)
                    RETURNING xmax = 0 AS inserted, c.primary_code, c.name
                )
                SELECT inserted, primary_code, name FROM upserted ORDER BY primary_code
                """
            ).decode((Bool, String, String).self)
            report.newCourses = upserted.filter(\.0).map { .init(code: $0.1, name: $0.2) }
            report.changedCourses = upserted.filter { !$0.0 }.map { .init(code: $0.1, name: $0.2) }
            report.courses = ImportReport.Counts(upserted: (report.newCourses.count, report.changedCourses.count), of: courses.count)
            // Withdrawn, not deleted: enrolments stay, and the course can come back. Only
            // what imports brought: a course made in the form stays.
            report.withdrawnCourses = try await tx.query(
                """
                UPDATE course SET withdrawn_at = now(), updated_at = now(), withdrawn_by_import = \(importID), withdrawal_notified_at = NULL
                WHERE organisation_id = \(organisation) AND withdrawn_at IS NULL AND origin = 'import'
                  AND primary_code <> ALL(\(Array(catalogue.namedCourseCodes))::text[])
                RETURNING primary_code, name
                """
            ).decode((String, String).self).map { code, name in .init(code: code, name: name) }.sorted { $0.code < $1.code }
            report.courses.withdrawn = report.withdrawnCourses.count

            let sessions = try offerings.map { String(decoding: try encoder.encode($0.sessions), as: UTF8.self) }
            report.offerings = ImportReport.Counts(upserted: try await tx.query(
                """
                WITH input AS (
                    SELECT * FROM unnest(
                        \(offerings.map(\.courseCode))::text[], \(offerings.map(\.primaryCode))::text[],
                        \(offerings.map(\.startDate.iso))::text[], \(offerings.map(\.endDate.iso))::text[],
                        \(offerings.map { $0.enrollStartDate?.iso ?? "" })::text[], \(offerings.map { $0.enrollEndDate?.iso ?? "" })::text[],
                        \(offerings.map { $0.maxStudents.map(String.init) ?? "" })::text[], \(offerings.map { $0.place ?? "" })::text[],
                        \(sessions)::text[], \(try offerings.map { try json($0.names) })::text[],
                        \(try offerings.map { try json($0.descriptions) })::text[], \(try offerings.map { try json($0.addresses) })::text[],
                        \(try offerings.map { try json($0.priceInformation) })::text[], \(offerings.map { $0.link ?? "" })::text[]
                    ) AS t(course, code, starts, ends, enroll_start, enroll_end, maximum, place, sessions, names, descriptions, addresses,
                           prices, link)
                ), upserted AS (
                    INSERT INTO course_offering AS o (course_id, primary_code, start_date, end_date, enroll_start_date, enroll_end_date,
                        max_students, place, sessions, names, descriptions, addresses, price_information, link)
                    SELECT c.id, t.code, t.starts::date, t.ends::date, nullif(t.enroll_start, '')::date, nullif(t.enroll_end, '')::date,
                           nullif(t.maximum, '')::integer, nullif(t.place, ''), t.sessions::jsonb, t.names::jsonb, t.descriptions::jsonb,
                           t.addresses::jsonb, t.prices::jsonb, nullif(t.link, '')
                    FROM input t JOIN course c ON c.organisation_id = \(organisation) AND c.primary_code = t.course
                    ON CONFLICT (course_id, primary_code) DO UPDATE SET
                        start_date = EXCLUDED.start_date, end_date = EXCLUDED.end_date, enroll_start_date = EXCLUDED.enroll_start_date,
                        enroll_end_date = EXCLUDED.enroll_end_date, max_students = EXCLUDED.max_students, place = EXCLUDED.place,
                        sessions = EXCLUDED.sessions, names = EXCLUDED.names, descriptions = EXCLUDED.descriptions,
                        addresses = EXCLUDED.addresses, price_information = EXCLUDED.price_information, link = EXCLUDED.link,
                        withdrawn_at = NULL, updated_at = now()
                    WHERE o.withdrawn_at IS NOT NULL OR (o.start_date, o.end_date, o.enroll_start_date, o.enroll_end_date, o.max_students,
                        o.place, o.sessions, o.names, o.descriptions, o.addresses, o.price_information, o.link)
                      IS DISTINCT FROM (EXCLUDED.start_date, EXCLUDED.end_date, EXCLUDED.enroll_start_date,
                        EXCLUDED.enroll_end_date, EXCLUDED.max_students, EXCLUDED.place, EXCLUDED.sessions, EXCLUDED.names,
                        EXCLUDED.descriptions, EXCLUDED.addresses, EXCLUDED.price_information, EXCLUDED.link)
                    RETURNING xmax = 0 AS inserted
                )
                SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM upserted
                """
            ).first!.decode((Int, Int).self), of: offerings.count)
            // Offerings of the file's courses that the file no longer holds.
            report.offerings.withdrawn = try await tx.query(
                """
                UPDATE course_offering o SET withdrawn_at = now(), updated_at = now()
                FROM course c
                WHERE o.course_id = c.id AND c.organisation_id = \(organisation) AND o.withdrawn_at IS NULL AND o.origin = 'import'
                  AND c.primary_code = ANY(\(courses.map(\.primaryCode))::text[])
                  AND (c.primary_code, o.primary_code) NOT IN (
                      SELECT * FROM unnest(\(offerings.map(\.courseCode))::text[], \(offerings.map(\.primaryCode))::text[]))
                """
            ).affectedRows
                _ = try await tx.query(
                """
                UPDATE catalogue_import SET inserted = \(report.courses.inserted + report.offerings.inserted),
                    updated = \(report.courses.updated + report.offerings.updated),
                    unchanged = \(report.courses.unchanged + report.offerings.unchanged),
                    withdrawn = \(report.courses.withdrawn + report.offerings.withdrawn), rejected = \(JSONB(report.rejected)),
                    withdrawn_courses = \(JSONB(report.withdrawnCourses))
                WHERE id = \(importID)
                """
            )
            try await AuditLine(.academyImport, by: account, object: AuditObject("organisation", organisation),
                                reason: "\(courses.count) cursussen, \(report.rejected.count) afgewezen").write(on: tx)
        }
    }
}

/// A course as stored, with its provider.
public struct StoredCourse: Sendable, Hashable {
    public let id: UUID
    public let organisationSlug: String
    public let organisationName: String
    public let record: CourseRecord
    public let offeringCount: Int
}

public struct StoredOffering: Sendable, Hashable {
    public let id: UUID
    public let courseID: UUID
    public let record: OfferingRecord
}

extension AcademyStore {
    static let courseColumns: SQL = """
        c.id, o.slug AS organisation_slug, o.name AS organisation_name, c.primary_code, c.name, c.description, c.abbreviation,
        c.teaching_language, c.level, c.format, c.duration, c.link, c.enrols_here, c.topics, c.target_functions,
        c.target_disciplines, c.study_hours::float8 AS study_hours, c.register, c.points::float8 AS points,
        c.accreditation_number, c.price_cents, c.names, c.descriptions, c.study_load_unit,
        c.study_load_value::float8 AS study_load_value, c.modes_of_delivery,
        (SELECT count(*) FROM course_offering x WHERE x.course_id = c.id AND x.withdrawn_at IS NULL) AS offering_count
        """

    /// A row of `courseColumns`, by column name.
    static func decodeCourse(_ row: Row) throws -> StoredCourse {
        let unit: String? = try row.decode(column: "study_load_unit")
        let load: Double? = try row.decode(column: "study_load_value")
        return try StoredCourse(
            id: row.decode(column: "id"), organisationSlug: row.decode(column: "organisation_slug"),
            organisationName: row.decode(column: "organisation_name"),
            record: CourseRecord(
                primaryCode: row.decode(column: "primary_code"), name: row.decode(column: "name"),
                description: row.decode(column: "description"), names: row.decode(column: "names", as: JSONB<[LocalizedText]>.self).value,
                descriptions: row.decode(column: "descriptions", as: JSONB<[LocalizedText]>.self).value,
                abbreviation: row.decode(column: "abbreviation"),
                teachingLanguage: row.decode(column: "teaching_language"), level: row.decode(column: "level"),
                format: CourseRecord.Format(rawValue: row.decode(column: "format")) ?? .classroom,
                duration: row.decode(column: "duration"), link: row.decode(column: "link"), enrolsHere: row.decode(column: "enrols_here"),
                topics: row.decode(column: "topics"), targetFunctions: row.decode(column: "target_functions"),
                targetDisciplines: row.decode(column: "target_disciplines"), studyHours: row.decode(column: "study_hours"),
                register: row.decode(column: "register", as: String?.self).flatMap(CourseRecord.AccreditationRegister.init(rawValue:)),
                points: row.decode(column: "points"), accreditationNumber: row.decode(column: "accreditation_number"),
                priceCents: row.decode(column: "price_cents"), studyLoad: unit.flatMap { u in load.map { StudyLoad(studyLoadUnit: u, value: $0) } },
                modesOfDelivery: row.decode(column: "modes_of_delivery")),
            offeringCount: row.decode(column: "offering_count"))
    }

    /// The catalogue (courses not withdrawn), by provider and code, a page at a time.
    public func courses(page: Int, pageSize: Int, organisation: Organisation.ID? = nil) async throws -> (courses: [StoredCourse], total: Int) {
        let scope: SQL = organisation.map { "AND c.organisation_id = \($0)" } ?? ""
        let total = try await pool.query("SELECT count(*) FROM course c WHERE c.withdrawn_at IS NULL \(scope)").first(decoding: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT \(Self.courseColumns) FROM course c JOIN organisation o ON o.id = c.organisation_id
            WHERE c.withdrawn_at IS NULL \(scope)
            ORDER BY o.slug, c.primary_code LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """
        ).map(Self.decodeCourse)
        return (rows, total)
    }

    public func course(_ id: UUID) async throws -> StoredCourse? {
        try await pool.query(
            "SELECT \(Self.courseColumns) FROM course c JOIN organisation o ON o.id = c.organisation_id WHERE c.id = \(id) AND c.withdrawn_at IS NULL"
        ).first.map(Self.decodeCourse)
    }

    /// A course's offerings (not withdrawn), by start, a page at a time.
    public func offerings(of course: UUID, page: Int, pageSize: Int) async throws -> (offerings: [StoredOffering], total: Int) {
        let total = try await pool.query(
            "SELECT count(*) FROM course_offering WHERE course_id = \(course) AND withdrawn_at IS NULL").first(decoding: Int.self) ?? 0
        let rows = try await pool.query(
            """
            SELECT \(Self.offeringColumns)
            FROM course_offering x JOIN course c ON c.id = x.course_id
            WHERE x.course_id = \(course) AND x.withdrawn_at IS NULL
            ORDER BY x.start_date, x.primary_code LIMIT \(pageSize) OFFSET \((page - 1) * pageSize)
            """
        ).map(Self.decodeOffering)
        return (rows, total)
    }
}
