import Domain
import Foundation
import PQ
import Passwords
import Store
import TestSupport
import Testing

@Suite("The schema guards the data, the stores keep it")
struct StoreTests {
    func organisation(_ store: Store, _ slug: String = "altra") async throws -> Organisation {
        try await store.organisations.create(NewOrganisation(slug: slug, name: slug.capitalized, kind: .careProvider, municipality: .amsterdam), by: nil)
    }

    @Test func emailIsUniqueWhateverItsCase() async throws {
        try await TestDatabase.withStore { store in
            let new = NewAccount(email: "Sanne@Example.nl", displayName: "Sanne", password: "lang-genoeg-1", grant: nil)
            _ = try await store.accounts.create(new, passwordHash: nil, grantedBy: nil)
            do {
                _ = try await store.accounts.create(
                    NewAccount(email: "sanne@example.NL", displayName: "Ander", password: "lang-genoeg-1", grant: nil),
                    passwordHash: nil, grantedBy: nil)
                Issue.record("a second account with the same email")
            } catch let errors as ValidationErrors {
                #expect(errors["email"] == "Er is al een account met dit e-mailadres.")
            }
            #expect(try await store.accounts.all().count == 1)
            #expect(try await store.accounts.find(email: "SANNE@example.nl")?.displayName == "Sanne")
        }
    }

    @Test func theDatabaseEnforcesRoleScopes() async throws {
        try await TestDatabase.withStore { store in
            let account = try await store.accounts.create(
                NewAccount(email: "a@b.nl", displayName: "A", password: "lang-genoeg-1", grant: nil), passwordHash: nil, grantedBy: nil)
            // Straight SQL, past the Swift checks: an HR adviser without organisation is refused.
            do {
                _ = try await store.pool.query("INSERT INTO role_grant (account_id, role) VALUES (\(account.id), 'hr_adviser')")
                Issue.record("HR adviser without organisation stored")
            } catch let error as PostgresError {
                #expect(error.isCheckViolation)
            }
            let altra = try await organisation(store)
            do {
                _ = try await store.pool.query(
                    "INSERT INTO role_grant (account_id, role, organisation_id) VALUES (\(account.id), 'admin', \(altra.id))")
                Issue.record("admin scoped to an organisation stored")
            } catch let error as PostgresError {
                #expect(error.isCheckViolation)
            }
            try await store.accounts.grant(RoleGrant(role: .coordinator), to: account.id, by: nil)
            do {
                try await store.accounts.grant(RoleGrant(role: .coordinator), to: account.id, by: nil)
                Issue.record("the same regional grant twice")
            } catch let errors as ValidationErrors {
                #expect(errors["role"] != nil)
            }
            try await store.accounts.grant(RoleGrant(role: .hrAdviser, organisationID: altra.id), to: account.id, by: nil)
            let found = try await store.accounts.find(id: account.id)!
            #expect(found.has(.hrAdviser, for: altra.id))
            #expect(found.has(.coordinator, for: altra.id), "a regional coordinator acts for every organisation")
            #expect(!found.has(.admin))
        }
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        try await TestDatabase.withStore { store in
            try await AuditLine(.profileView, by: nil, reason: "test").write(on: store.pool)
            for statement: SQL in ["UPDATE audit_log SET reason = 'changed'", "DELETE FROM audit_log"] {
                do {
                    _ = try await store.pool.query(statement)
                    Issue.record("audit log changed: \(statement)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == .raiseException)
                }
            }
            #expect(try await store.audit.recent().map(\.reason) == ["test"])
        }
    }

    @Test func employmentSpellsAtOneOrganisationCannotOverlap() async throws {
        try await TestDatabase.withStore { store in
            let altra = try await organisation(store)
            let account = try await store.accounts.create(
                NewAccount(email: "p@b.nl", displayName: "P", password: "lang-genoeg-1", grant: nil), passwordHash: nil, grantedBy: nil)
            try await store.pool.transaction { tx in
                try await store.professionals.save(
                    Professional(accountID: account.id, educationLevel: .hbo, functionCodes: ["jeugdhulpverlener"], disciplines: [.ggz],
                                 areaSlugs: ["oost"], interests: [.flexpool], hoursPerWeek: 32, registrations: []), on: tx)
                try await store.professionals.addEmployment(
                    Employment(organisationID: altra.id, functionCode: "jeugdhulpverlener",
                               startedOn: Day(iso: "2020-01-01")!, endedOn: Day(iso: "2023-12-31")!), for: account.id, on: tx)
            }
            do {
                try await store.professionals.addEmployment(
                    Employment(organisationID: altra.id, functionCode: "gezinscoach", startedOn: Day(iso: "2023-06-01")!, endedOn: nil),
                    for: account.id, on: store.pool)
                Issue.record("overlapping employment stored")
            } catch let error as PostgresError {
                #expect(error.isExclusionViolation)
            }
            #expect(try await store.professionals.history(of: account.id).count == 1)
            let profile = try await store.professionals.find(accountID: account.id)
            #expect(profile?.functionCodes == ["jeugdhulpverlener"])
            #expect(profile?.disciplines == [.ggz])
        }
    }

    @Test func loginThrottleAdmitsTenFailuresEvenWhenRacing() async throws {
        try await TestDatabase.withStore(poolSize: 8) { store in
            let outcomes = try await withThrowingTaskGroup(of: LoginAttemptStore.Admission.self) { group in
                for _ in 0..<25 {
                    group.addTask { try await store.loginAttempts.admit(email: "Iemand@Example.nl", client: "") }
                }
                var all: [LoginAttemptStore.Admission] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let allowed = outcomes.filter { if case .allowed = $0 { return true } else { return false } }
            #expect(allowed.count == 10)
            for outcome in outcomes {
                if case .throttled(let seconds) = outcome {
                    #expect((1...900).contains(seconds))
                }
            }
            // Another email is not affected; a success clears the count.
            guard case .allowed(let attempt) = try await store.loginAttempts.admit(email: "ander@example.nl", client: "") else {
                Issue.record("another email throttled")
                return
            }
            try await store.loginAttempts.succeeded(attempt: attempt)
        }
    }

    @Test func sessionsLiveInTheDatabaseAndEndWithTheAccount() async throws {
        try await TestDatabase.withStore { store in
            let account = try await store.accounts.create(
                NewAccount(email: "s@b.nl", displayName: "S", password: "lang-genoeg-1", grant: RoleGrant(role: .student)),
                passwordHash: nil, grantedBy: nil)
            let (token, csrf) = try await store.sessions.create(accountID: account.id)
            let session = try await store.sessions.find(token: token)
            #expect(session?.account?.id == account.id)
            #expect(session?.csrfToken == csrf)
            #expect(session?.account?.has(.student) == true)
            // Only the hash is stored.
            let stored = try await store.pool.query("SELECT count(*) FROM session WHERE token_hash::text LIKE \("%" + token + "%")")
                .first(decoding: Int.self)
            #expect(stored == 0)
            #expect(try await store.sessions.find(token: "not-a-token") == nil)
            try await store.accounts.setDisabled(account.id, true, by: nil)
            #expect(try await store.sessions.find(token: token) == nil)
        }
    }

    @Test func demoDataLoadsOnceIntoAnEmptyDatabase() async throws {
        try await TestDatabase.withStore { store in
            let demo = DemoData(store: store, logger: TestDatabase.logger)
            #expect(try await demo.loadIfEmpty())
            #expect(try await demo.loadIfEmpty() == false)
            let accounts = try await store.accounts.all(limit: 1000)
            for login in DemoData.logins {
                let account = try #require(accounts.first { $0.email == login.email })
                let credentials = try #require(try await store.accounts.credentials(email: login.email))
                #expect(PasswordHasher.verify(DemoData.password, against: credentials.passwordHash ?? ""))
                #expect(!account.grants.isEmpty)
            }
            #expect(try await store.professionals.count() >= 150)
            let altra = try #require(try await store.organisations.find(slug: "altra"))
            let hr = try #require(accounts.first { $0.email == "hr@altra.doorstroom.test" })
            #expect(hr.has(.hrAdviser, for: altra.id))
            let priya = try #require(accounts.first { $0.email == "professional@doorstroom.test" })
            let history = try await store.professionals.history(of: priya.id)
            #expect(history.first?.organisationName == "Spirit")
            #expect(history.count == 2)
            let organisations = try await store.organisations.all()
            #expect(organisations.filter(\.active).count == 10)
            #expect(try await store.organisations.members().filter(\.active).count == 8, "eight active members")
            #expect(try await store.organisations.schools().map(\.slug) == ["hva", "roc-van-amsterdam"], "and two partner schools")
        }
    }
}

@Suite("Housekeeping")
struct HousekeepingTests {
    @Test func expiredSessionsAndOldAttemptsAreRemoved() async throws {
        try await TestDatabase.withStore { store in
            let (live, _) = try await store.sessions.create(accountID: nil)
            let (old, _) = try await store.sessions.create(accountID: nil)
            _ = try await store.pool.query(
                """
                UPDATE session SET created_at = now() - interval '3 days', expires_at = now() - interval '2 days'
                WHERE token_hash = sha256(convert_to(\(old), 'UTF8'))
                """)
            _ = try await store.loginAttempts.admit(email: "oud@example.nl", client: "")
            _ = try await store.pool.query("UPDATE login_attempt SET attempted_at = now() - interval '2 days'")
            _ = try await store.loginAttempts.admit(email: "nieuw@example.nl", client: "")
            #expect(try await store.sessions.deleteExpired() == 1)
            try await store.loginAttempts.deleteOld()
            #expect(try await store.sessions.find(token: live) != nil)
            #expect(try await store.pool.query("SELECT email_key FROM login_attempt").decode(String.self) == ["nieuw@example.nl"])
        }
    }
}

@Suite("Constraint names")
struct ConstraintNameTests {
    /// Every constraint the stores translate exists under that name. A unique index
    /// counts (PostgreSQL reports its name as the constraint), and so does a trigger
    /// that raises with `CONSTRAINT = '<its name>'`.
    @Test func everyConstraintTheCodeNamesExists() async throws {
        try await TestDatabase.withStore { store in
            let known = Set(try await store.pool.query(
                """
                SELECT conname::text FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
                UNION SELECT c.relname::text FROM pg_class c JOIN pg_index i ON i.indexrelid = c.oid
                      JOIN pg_namespace n ON n.oid = c.relnamespace WHERE i.indisunique AND n.nspname = 'public'
                UNION SELECT tgname::text FROM pg_trigger WHERE NOT tgisinternal
                """
            ).decode(String.self))
            #expect(known.count > 100)
            let missing = Constraint.all.filter { !known.contains($0) }
            #expect(missing == [], "not in the schema: \(missing)")
        }
    }

    /// The Swift code names constraints only through `Constraint`: no string literal is
    /// compared with a PostgreSQL error's constraint anywhere else.
    @Test func constraintNamesLiveInOnePlace() throws {
        let sources = TestDatabase.projectRoot + "/Sources"
        let files = FileManager.default.enumerator(atPath: sources)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") } ?? []
        #expect(files.count > 50)
        for file in files where !file.hasSuffix("Store/Constraint.swift") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            #expect(text.range(of: #"constraint == ""#) == nil, "\(file) compares a constraint with a literal")
            #expect(text.range(of: #"case "[a-z_]+_(once|kept|key|unique|overlap|rest)":"#, options: .regularExpression) == nil, "\(file)")
        }
    }
}

@Suite("Profiles")
struct ProfileStoreTests {
    /// A registration number that belongs to another profile is an error on that
    /// register's own field (BIG on big_number, not skj_number), and nothing is stored.
    @Test func aTakenRegistrationNumberIsAnErrorOnItsOwnField() async throws {
        try await TestDatabase.withStore { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 5)
            let people = try await store.pool.query("SELECT account_id FROM professional ORDER BY account_id LIMIT 2").decode(UUID.self)
            try #require(people.count == 2)
            func profile(_ id: UUID, _ register: Register, _ number: String) -> Professional {
                Professional(
                    accountID: id, educationLevel: .hbo, functionCodes: [], disciplines: [], areaSlugs: [], interests: [], hoursPerWeek: 24,
                    registrations: [Registration(register: register, number: number, registeredOn: Day(year: 2020, month: 1, day: 1)!, expiresOn: nil)])
            }
            try await store.professionals.save(profile(people[0], .big, "BIG-12345"))
            for (register, field) in [(Register.big, "big_number"), (.skj, "skj_number")] {
                try await store.professionals.save(profile(people[0], register, "NR-777\(field.count)"))
                let before = try await store.professionals.find(accountID: people[1])
                do {
                    try await store.professionals.save(profile(people[1], register, "NR-777\(field.count)"))
                    Issue.record("a taken \(register) number was stored")
                } catch let errors as ValidationErrors {
                    #expect(errors.items.map(\.field) == [field])
                    #expect(errors[field] == "Dit registratienummer hoort al bij een ander profiel.")
                }
                #expect(try await store.professionals.find(accountID: people[1]) == before, "nothing changed")
            }
        }
    }
}
