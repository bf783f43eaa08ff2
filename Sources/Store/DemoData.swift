import Domain
import Foundation
import Logging
import PQ
import Passwords

/// The demo data `doorstroom seed --demo` loads into an empty database: the member
/// organisations of the region, one account per role (password `doorstroom-demo`),
/// and about 150 professionals spread over the organisations.
public struct DemoData: Sendable {
    public static let password = "doorstroom-demo"

    public struct Login: Sendable, Hashable {
        public let email: String
        public let description: String
    }

    public static let logins: [Login] = [
        Login(email: "admin@doorstroom.test", description: "beheerder"),
        Login(email: "hr@altra.doorstroom.test", description: "HR-adviseur van Altra"),
        Login(email: "hr@cordaan.doorstroom.test", description: "HR-adviseur van Cordaan"),
        Login(email: "coordinator@doorstroom.test", description: "flexpoolcoördinator (regio)"),
        Login(email: "professional@doorstroom.test", description: "jeugdprofessional, werkt bij Spirit"),
        Login(email: "student@doorstroom.test", description: "student (hbo, Hogeschool van Amsterdam)"),
        Login(email: "loopbaan@doorstroom.test", description: "loopbaanadviseur (regio)"),
        Login(email: "stage@hva.doorstroom.test", description: "stagecoördinator van de Hogeschool van Amsterdam"),
    ]

    /// (slug, name, kind, municipality, active): the members named in the region's plan,
    /// with WSG and Philadelphia invited but not yet active.
    static let organisations: [(String, String, Organisation.Kind, Municipality, Bool)] = [
        ("altra", "Altra", .careProvider, .amsterdam, true),
        ("de-bascule", "de Bascule", .careProvider, .amsterdam, true),
        ("cordaan", "Cordaan", .careProvider, .amsterdam, true),
        ("jbra", "Jeugdbescherming Regio Amsterdam", .certifiedInstitution, .amsterdam, true),
        ("kabouterhuis", "MOC 't Kabouterhuis", .careProvider, .amsterdam, true),
        ("oktamsterdam", "Ouder- en Kindteams Amsterdam", .localTeam, .amsterdam, true),
        ("spirit", "Spirit", .careProvider, .amsterdam, true),
        ("t-abc", "'t ABC", .careProvider, .amsterdam, true),
        ("wsg", "WSG", .certifiedInstitution, .amsterdam, false),
        ("philadelphia", "Philadelphia", .careProvider, .amstelveen, false),
    ]

    static let firstNames = [
        "Sanne", "Daan", "Fatima", "Mohammed", "Lotte", "Jeroen", "Noor", "Sem", "Ayşe", "Bram",
        "Eva", "Youssef", "Iris", "Thijs", "Naima", "Ruben", "Femke", "Kofi", "Maud", "Stefan",
        "Esra", "Joost", "Lieke", "Ilias", "Marloes", "Tim", "Anouk", "Rachid", "Sophie", "Wouter",
    ]
    static let lastNames = [
        "de Vries", "Jansen", "El Amrani", "Bakker", "Visser", "Yılmaz", "Smit", "Meijer", "de Boer", "Mulder",
        "Bouzid", "Dekker", "van Dijk", "Mensah", "Brouwer", "de Graaf", "Kaya", "Vos", "Peters", "Hendriks",
    ]

    let store: Store
    let logger: Logger

    public init(store: Store, logger: Logger) {
        self.store = store
        self.logger = logger
    }

    /// Whether there is nothing yet to overwrite: no organisations and no accounts.
    public func databaseIsEmpty() async throws -> Bool {
        try await store.pool.query(
            "SELECT NOT EXISTS (SELECT 1 FROM organisation) AND NOT EXISTS (SELECT 1 FROM account)"
        ).first(decoding: Bool.self) ?? false
    }

    /// Loads the demo data when the database is empty; returns whether it did.
    @discardableResult
    public func loadIfEmpty(professionals: Int = 150) async throws -> Bool {
        guard try await databaseIsEmpty() else {
            logger.info("database not empty: demo data not loaded")
            return false
        }
        // Hash before the transaction: each hash takes tens of milliseconds.
        var hashes: [String: String] = [:]
        for login in Self.logins {
            hashes[login.email] = try PasswordHasher.standard.hash(Self.password)
        }
        let (priya, demoIDs, generated, organisationIDs) = try await store.pool.transaction { tx in
            var organisationIDs: [String: UUID] = [:]
            for (slug, name, kind, municipality, active) in Self.organisations {
                organisationIDs[slug] = try await tx.query(
                    """
                    INSERT INTO organisation (slug, name, kind, municipality_slug, active, website)
                    VALUES (\(slug), \(name), \(kind), \(municipality), \(active), \("https://www.\(slug).doorstroom.test")) RETURNING id
                    """
                ).first(decoding: UUID.self)!
            }
            // A salary table for this year, so that postings with a scale show their
            // range. Demo figures in the shape of the CAO Jeugdzorg's table (scales 4 to
            // 18, gross per month): an admin enters the real table at /beheer/salarisschalen.
            let scales = Array(4...18)
            _ = try await tx.query(
                """
                INSERT INTO salary_scale (year, scale, minimum_cents, maximum_cents)
                SELECT \(Day(Date()).year), * FROM unnest(\(scales)::int[], \(scales.map { 240_000 + ($0 - 4) * 21_000 })::int[],
                                                     \(scales.map { 300_000 + ($0 - 4) * 32_000 })::int[])
                """)
            let grants: [(String, String, Role, String?)] = [
                ("admin@doorstroom.test", "Beheer Doorstroom", .admin, nil),
                ("hr@altra.doorstroom.test", "Hanneke de Wit (HR Altra)", .hrAdviser, "altra"),
                ("hr@cordaan.doorstroom.test", "Karim Benali (HR Cordaan)", .hrAdviser, "cordaan"),
                ("coordinator@doorstroom.test", "Carla Verbeek (flexpool)", .coordinator, nil),
                ("professional@doorstroom.test", "Priya Ramdin", .professional, nil),
                ("student@doorstroom.test", "Stijn Koster", .student, nil),
            ]
            var demoIDs: [String: UUID] = [:]
            for (email, name, role, organisation) in grants {
                let id = try await tx.query(
                    "INSERT INTO account (email, display_name, password_hash, email_confirmed_at) VALUES (\(email), \(name), \(hashes[email]!), now()) RETURNING id"
                ).first(decoding: UUID.self)!
                demoIDs[email] = id
                _ = try await tx.query(
                    "INSERT INTO role_grant (account_id, role, organisation_id) VALUES (\(id), \(role), \(organisation.flatMap { organisationIDs[$0] }))"
                )
            }
            let today = Day(Date())
            // The demo professional: a jeugdhulpverlener at Spirit, earlier at Altra (a move).
            let priya = demoIDs["professional@doorstroom.test"]!
            try await store.professionals.save(
                Professional(
                    accountID: priya, educationLevel: .hbo, functionCodes: ["jeugdhulpverlener"],
                    disciplines: [.jeugdhulp, .lvb], areaSlugs: ["oost", "zuidoost", "diemen"],
                    interests: [.flexpool, .shadowDays, .rotation], hoursPerWeek: 32,
                    registrations: [
                        Registration(
                            register: .skj, number: "110012345",
                            registeredOn: Day(year: today.year - 3, month: 3, day: 1)!,
                            expiresOn: Day(year: today.year + 2, month: 3, day: 1)!)
                    ]
                ),
                on: tx
            )
            try await store.professionals.addEmployment(
                Employment(organisationID: organisationIDs["altra"]!, functionCode: "pedagogisch-medewerker",
                           startedOn: Day(year: today.year - 6, month: 9, day: 1)!, endedOn: Day(year: today.year - 3, month: 1, day: 31)!),
                for: priya, on: tx
            )
            try await store.professionals.addEmployment(
                Employment(organisationID: organisationIDs["spirit"]!, functionCode: "jeugdhulpverlener",
                           startedOn: Day(year: today.year - 3, month: 2, day: 1)!, endedOn: nil),
                for: priya, on: tx
            )
            let generated = try await loadProfessionals(count: professionals, organisations: organisationIDs, today: today, on: tx)
            try await loadPostings(organisations: organisationIDs, professionals: generated, today: today, on: tx)
            return (priya, demoIDs, generated, organisationIDs)
        }
        let coordinator = demoIDs["coordinator@doorstroom.test"]!
        try await loadFlexpool(professionals: generated, priya: priya, coordinator: coordinator, today: Day(Date()))
        try await loadAcademy(today: Day(Date()), professionals: generated, priya: priya)
        try await loadHistory(professionals: generated)
        try await loadCareerPaths()
        try await loadMeetings(today: Day(Date()), organisations: organisationIDs, by: coordinator)
        try await loadLearningNetwork(professionals: generated, priya: priya, coordinator: coordinator, today: Day(Date()))
        try await loadSchools(hashes: hashes, student: demoIDs["student@doorstroom.test"]!, organisations: organisationIDs, today: Day(Date()))
        try await loadCareerConversations(hashes: hashes, professionals: generated, today: Day(Date()))
        logger.info("demo data loaded", metadata: ["professionals": "\(professionals + 1)"])
        return true
    }

    /// Generated professionals, deterministic (same names every run), inserted in bulk.
    private func loadProfessionals(count: Int, organisations: [String: UUID], today: Day, on tx: Transaction) async throws -> [UUID] {
        let active = Self.organisations.filter(\.4).map(\.0)
        let functions = [
            ("jeugdhulpverlener", EducationLevel.hbo), ("pedagogisch-medewerker", .mbo), ("jeugdzorgwerker", .hbo),
            ("gedragswetenschapper", .wo), ("jeugdbeschermer", .hbo), ("orthopedagoog", .wo),
            ("gezinscoach", .hbo), ("ambulant-hulpverlener", .hbo), ("gz-psycholoog", .wo),
        ]
        let disciplines = Discipline.allCases.map(\.rawValue)
        let areas = Area.all.map(\.slug)
        var emails: [String] = [], names: [String] = []
        for index in 0..<count {
            let first = Self.firstNames[index % Self.firstNames.count]
            let last = Self.lastNames[(index * 7 + index / Self.firstNames.count) % Self.lastNames.count]
            names.append("\(first) \(last)")
            let local = Slug.make(from: "\(first) \(last)").replacingOccurrences(of: "-", with: ".")
            let organisation = active[index % active.count]
            emails.append("\(local).\(index + 1)@\(organisation).doorstroom.test")
        }
        // Accounts without a password: they exist for the data, not to log in.
        let ids = try await tx.query(
            """
            INSERT INTO account (email, display_name, email_confirmed_at)
            SELECT e, n, now() FROM unnest(\(emails)::text[], \(names)::text[]) AS t(e, n)
            RETURNING id
            """
        ).decode(UUID.self)
        var levels: [String] = [], hours: [Int] = [], disciplineLists: [String] = [], interestLists: [String] = []
        var functionCodes: [String] = [], areaLists: [String] = [], orgIDs: [UUID] = [], starts: [String] = []
        for (index, _) in ids.enumerated() {
            let (function, level) = functions[index % functions.count]
            levels.append(level.rawValue)
            functionCodes.append(function)
            hours.append([24, 28, 32, 36][index % 4])
            disciplineLists.append("{\(disciplines[index % 4])" + (index % 3 == 0 ? ",\(disciplines[(index + 1) % 4])}" : "}"))
            let interests = Interest.allCases.map(\.rawValue).enumerated().filter { ($0.offset + index) % 3 == 0 }.map(\.element)
            interestLists.append("{" + interests.joined(separator: ",") + "}")
            areaLists.append("{\(areas[index % areas.count]),\(areas[(index * 5 + 3) % areas.count])}")
            orgIDs.append(organisations[active[index % active.count]]!)
            let start = Day(year: today.year - 1 - index % 12, month: 1 + index % 12, day: 1)!
            starts.append(start.iso)
        }
        _ = try await tx.query(
            """
            INSERT INTO professional (account_id, education_level, hours_per_week, disciplines, interests)
            SELECT id, lvl, h, d::text[], i::text[]
            FROM unnest(\(ids)::uuid[], \(levels)::text[], \(hours)::bigint[], \(disciplineLists)::text[], \(interestLists)::text[])
                 AS t(id, lvl, h, d, i)
            """
        )
        _ = try await tx.query(
            """
            INSERT INTO professional_function (account_id, function_code)
            SELECT id, f FROM unnest(\(ids)::uuid[], \(functionCodes)::text[]) AS t(id, f)
            """
        )
        _ = try await tx.query(
            """
            INSERT INTO professional_area (account_id, area_slug)
            SELECT DISTINCT id, unnest(a::text[]) FROM unnest(\(ids)::uuid[], \(areaLists)::text[]) AS t(id, a)
            """
        )
        _ = try await tx.query(
            """
            INSERT INTO employment (account_id, organisation_id, function_code, started_on)
            SELECT id, o, f, s::date FROM unnest(\(ids)::uuid[], \(orgIDs)::uuid[], \(functionCodes)::text[], \(starts)::text[]) AS t(id, o, f, s)
            """
        )
        _ = try await tx.query(
            """
            INSERT INTO role_grant (account_id, role) SELECT id, 'professional' FROM unnest(\(ids)::uuid[]) AS t(id)
            """
        )
        return ids
    }
}
