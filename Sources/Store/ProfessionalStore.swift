import Domain
import Foundation
import PQ

/// A line of an employment history, with names for display.
public struct EmploymentLine: Sendable, Hashable {
    public let organisationName: String
    public let functionName: String
    public let startedOn: Day
    public let endedOn: Day?
}

public struct ProfessionalStore: Sendable {
    let db: Pool

    /// Stores or replaces a professional's profile in a transaction of its own. A
    /// registration number that belongs to another profile is an error on that
    /// register's number field (`skj_number`, `big_number`), and nothing is stored.
    public func save(_ professional: Professional) async throws {
        try await db.transaction { tx in try await save(professional, on: tx) }
    }

    /// Stores or replaces a professional's profile (functions, areas, registrations included).
    public func save(_ professional: Professional, on tx: any Queryable) async throws {
        _ = try await tx.query(
            """
            INSERT INTO professional (account_id, education_level, disciplines, interests, hours_per_week, vog_issued_on)
            VALUES (\(professional.accountID), \(professional.educationLevel), \(professional.disciplines.map(\.rawValue)),
                    \(professional.interests.map(\.rawValue)), \(professional.hoursPerWeek), \(professional.vogIssuedOn))
            ON CONFLICT (account_id) DO UPDATE SET
                education_level = EXCLUDED.education_level, disciplines = EXCLUDED.disciplines,
                interests = EXCLUDED.interests, hours_per_week = EXCLUDED.hours_per_week, vog_issued_on = EXCLUDED.vog_issued_on,
                updated_at = now()
            """
        )
        let id = professional.accountID
        _ = try await tx.query("DELETE FROM professional_function WHERE account_id = \(id)")
        _ = try await tx.query(
            "INSERT INTO professional_function (account_id, function_code) SELECT \(id), unnest(\(professional.functionCodes)::text[])"
        )
        _ = try await tx.query("DELETE FROM professional_area WHERE account_id = \(id)")
        _ = try await tx.query(
            "INSERT INTO professional_area (account_id, area_slug) SELECT \(id), unnest(\(professional.areaSlugs)::text[])"
        )
        _ = try await tx.query("DELETE FROM registration WHERE account_id = \(id)")
        for registration in professional.registrations {
            do {
                _ = try await tx.query(
                    """
                    INSERT INTO registration (account_id, register, number, registered_on, expires_on)
                    VALUES (\(id), \(registration.register), \(registration.number), \(registration.registeredOn), \(registration.expiresOn))
                    """
                )
            } catch let error as PostgresError where error.constraint == Constraint.registrationNumberUnique {
                throw ValidationErrors(field: registration.register.rawValue.lowercased() + "_number",
                                       message: "Dit registratienummer hoort al bij een ander profiel.")
            }
        }
    }

    public func find(accountID: Account.ID) async throws -> Professional? {
        let result = try await db.query(
            """
            SELECT p.education_level, p.disciplines, p.interests, p.hours_per_week, p.vog_issued_on,
                   coalesce((SELECT array_agg(f.function_code ORDER BY f.function_code) FROM professional_function f WHERE f.account_id = p.account_id), '{}'),
                   coalesce((SELECT array_agg(a.area_slug ORDER BY a.area_slug) FROM professional_area a WHERE a.account_id = p.account_id), '{}')
            FROM professional p WHERE p.account_id = \(accountID)
            """
        )
        guard let row = result.first else { return nil }
        let (level, disciplines, interests, hours, vog, functions, areas) = try row.decode(
            (EducationLevel?, [String], [String], Int?, Day?, [String], [String]).self
        )
        let registrations = try await db.query(
            "SELECT register, number, registered_on, expires_on FROM registration WHERE account_id = \(accountID) ORDER BY register"
        ).decode((Register, String, Day, Day?).self).map { register, number, registeredOn, expiresOn in
            Registration(register: register, number: number, registeredOn: registeredOn, expiresOn: expiresOn)
        }
        return Professional(
            accountID: accountID, educationLevel: level, functionCodes: functions,
            disciplines: disciplines.compactMap(Discipline.init(rawValue:)), areaSlugs: areas,
            interests: interests.compactMap(Interest.init(rawValue:)), hoursPerWeek: hours, registrations: registrations,
            vogIssuedOn: vog
        )
    }

    /// Records a job. An overlap with another spell at the same organisation is refused
    /// by the database (exclusion constraint).
    public func addEmployment(_ employment: Employment, for accountID: Account.ID, on tx: any Queryable) async throws {
        _ = try await tx.query(
            """
            INSERT INTO employment (account_id, organisation_id, function_code, started_on, ended_on)
            VALUES (\(accountID), \(employment.organisationID), \(employment.functionCode), \(employment.startedOn), \(employment.endedOn))
            """
        )
    }

    /// The employment history, newest first.
    public func history(of accountID: Account.ID) async throws -> [EmploymentLine] {
        try await db.query(
            """
            SELECT o.name, f.name, e.started_on, e.ended_on
            FROM employment e JOIN organisation o ON o.id = e.organisation_id JOIN job_function f ON f.code = e.function_code
            WHERE e.account_id = \(accountID)
            ORDER BY e.started_on DESC
            """
        ).decode((String, String, Day, Day?).self).map { organisationName, functionName, startedOn, endedOn in
            EmploymentLine(organisationName: organisationName, functionName: functionName, startedOn: startedOn, endedOn: endedOn)
        }
    }

    /// The function catalogue.
    public func functions() async throws -> [JobFunction] {
        try await db.query("SELECT code, name, education_level, cao_scale FROM job_function ORDER BY name")
            .decode((String, String, EducationLevel?, String?).self)
            .map { code, name, educationLevel, caoScale in JobFunction(code: code, name: name, educationLevel: educationLevel, caoScale: caoScale) }
    }

    public func count() async throws -> Int {
        try await db.query("SELECT count(*) FROM professional").first(decoding: Int.self) ?? 0
    }
}
