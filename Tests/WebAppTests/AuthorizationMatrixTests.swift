import Domain
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import PQ
import Store
import Testing
import TestSupport
import WebApp

/// Every route of the router × every role, with objects that belong to someone else
/// (the other organisation, the other person). The expected access of each route is
/// written down here; a route the router has and this table lacks fails the test,
/// so a new route cannot ship without its rule.
@Suite("Authorization matrix") struct AuthorizationMatrixTests {
    enum Who: String, CaseIterable {
        case visitor, professional, student, hrAltra, hrCordaan, coordinator, admin, careerAdviser, school

        /// Everyone with an account.
        static let accounts = Set(allCases).subtracting([.visitor])

        var email: String? {
            switch self {
            case .visitor: return nil
            case .professional: return "professional@doorstroom.test"
            case .student: return "student@doorstroom.test"
            case .hrAltra: return "hr@altra.doorstroom.test"
            case .hrCordaan: return "hr@cordaan.doorstroom.test"
            case .coordinator: return "coordinator@doorstroom.test"
            case .admin: return "admin@doorstroom.test"
            case .careerAdviser: return "loopbaan@doorstroom.test"
            case .school: return "stage@hva.doorstroom.test"
            }
        }
    }

    /// Who may use a route. `owner` is who owns the object in its address (they get
    /// through); the others who hold the role get 404 for it: not theirs.
    enum Rule {
        /// Anyone, logged in or not.
        case everyone
        /// A step of a login in progress: without one (nobody in the matrix has one),
        /// everyone is sent back to the login page.
        case loginStep
        /// Any logged-in account; the object (if any) is someone else's: 404.
        case loggedInOthersObject
        /// Only these; visitors go to the login page, other accounts get 403.
        case only(Set<Who>)
        /// These hold the role, but the object is someone else's: 404 for them, 403 for the rest.
        case onlyButNotTheirs(Set<Who>)
        /// The JSON API: reading is public, writing needs an organisation's token (401 without).
        case apiRead, apiWrite
        /// The JSON API for these sessions (or a token): 401 without either, 403 for other accounts.
        case apiOnly(Set<Who>)
        /// `allowed` get through; `notTheirs` hold a role for it but the object is not theirs (404); the rest 403.
        case onlyWithNotTheirs(allowed: Set<Who>, notTheirs: Set<Who>)
        /// Not for any session: 404 for everyone (a monitoring system's token or address opens it).
        case hidden
    }

    static let rules: [String: Rule] = [
        "GET /": .everyone,
        "GET /healthz": .everyone,
        "GET /readyz": .everyone,
        "GET /metrics": .hidden,
        "GET /login": .everyone,
        "POST /login": .everyone,
        "GET /logout": .everyone,
        "POST /logout": .everyone,
        // Accounts: signing up, links from mails (unknown tokens are 404), the second step.
        "GET /registreren": .everyone,
        "POST /registreren": .everyone,
        "GET /bevestigen/:token": .everyone,
        "POST /bevestigen/opnieuw": .loggedInOthersObject,
        "GET /wachtwoord-vergeten": .everyone,
        "POST /wachtwoord-vergeten": .everyone,
        "GET /wachtwoord-herstellen/:token": .everyone,
        "POST /wachtwoord-herstellen/:token": .everyone,
        "GET /uitnodiging/:token": .everyone,
        "POST /uitnodiging/:token": .everyone,
        "GET /login/code": .loginStep,
        "POST /login/code": .loginStep,
        "GET /login/tweestaps": .loginStep,
        "POST /login/tweestaps": .loginStep,
        // Everyone's own login settings; an admin cannot switch two-step verification off.
        "GET /mijn/account": .loggedInOthersObject,
        "POST /mijn/account/wachtwoord": .only(Who.accounts),
        "POST /mijn/account/sessies/uitloggen": .only(Who.accounts),
        "GET /mijn/account/tweestaps": .only(Who.accounts),
        "POST /mijn/account/tweestaps": .only(Who.accounts),
        "POST /mijn/account/herstelcodes": .only(Who.accounts),
        "POST /mijn/account/tweestaps/uit": .only(Who.accounts.subtracting([.admin])),
        "GET /beheer/uitnodigingen": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/uitnodigingen": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/uitnodigingen/csv": .only([.hrAltra, .hrCordaan]),
        "GET /vacatures": .everyone,
        "GET /vacatures.atom": .everyone,
        "GET /robots.txt": .everyone,
        "GET /sitemap.xml": .everyone,
        "GET /vacatures/:id": .everyone,
        "POST /vacatures/:id/solliciteren": .only([.professional, .student]),
        "GET /mijn": .loggedInOthersObject,
        // Any account sees its own applications (an HR adviser's list is simply empty).
        "GET /mijn/sollicitaties": .loggedInOthersObject,
        "POST /mijn/sollicitaties/:id/intrekken": .loggedInOthersObject,
        // Answering as duo partner: only where one is named; someone else's application is 404.
        "POST /mijn/sollicitaties/:id/duo": .loggedInOthersObject,
        // HR advisers; objects of Cordaan: Altra's adviser gets 404.
        "GET /beheer/vacatures": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/vacatures/nieuw": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/vacatures": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/vacatures/:id": .only([.hrCordaan]),
        "POST /beheer/vacatures/:id": .only([.hrCordaan]),
        "POST /beheer/vacatures/:id/status": .only([.hrCordaan]),
        "POST /beheer/vacatures/:id/kopie": .only([.hrCordaan]),
        "GET /beheer/sollicitaties": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/sollicitaties/:id": .only([.hrCordaan]),
        "GET /beheer/sollicitaties/:id/cv": .only([.hrCordaan]),
        "POST /beheer/sollicitaties/:id/status": .only([.hrCordaan]),
        "GET /beheer/stageafspraken": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/stageafspraken": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/vog": .only([.hrAltra, .hrCordaan]),
        "GET /academie/wensen": .only([.professional, .hrAltra, .hrCordaan, .coordinator, .admin]),
        "POST /academie/wensen": .only([.professional]),
        "POST /academie/wensen/:id/ikook": .onlyButNotTheirs([.professional]),
        "POST /academie/wensen/:id/antwoord": .only([.hrAltra, .hrCordaan]),
        "GET /intervisie": .loggedInOthersObject,
        "POST /intervisie/aanmelden": .only([.professional]),
        "POST /intervisie/sessie/:id/aanwezig": .loggedInOthersObject,
        "GET /beheer/intervisie": .only([.coordinator, .hrAltra, .hrCordaan]),
        "POST /beheer/intervisie": .only([.coordinator, .hrAltra, .hrCordaan]),
        "POST /beheer/intervisie/:id/sessies": .onlyButNotTheirs([.coordinator, .hrAltra, .hrCordaan]),
        "GET /certificaat": .everyone,
        "GET /certificaat/:code": .everyone,
        "GET /mijn/ontwikkeling/inschrijving/:id/certificaat.pdf": .onlyButNotTheirs([.professional]),
        "GET /mijn/ontwikkeling/inschrijving/:id/evaluatie": .onlyButNotTheirs([.professional]),
        "POST /mijn/ontwikkeling/inschrijving/:id/evaluatie": .onlyButNotTheirs([.professional]),
        "GET /beheer/afwijzingsbericht": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/afwijzingsbericht": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/sollicitaties/:id/gesprekstijden": .only([.hrCordaan]),
        "POST /beheer/sollicitaties/:id/gesprekstijden/:slot/schrappen": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        "POST /mijn/sollicitaties/:id/gesprek": .loggedInOthersObject,
        "POST /mijn/sollicitaties/:id/gesprek/annuleren": .loggedInOthersObject,
        "GET /mijn/sollicitaties/:id/gesprek.ics": .loggedInOthersObject,
        "POST /mijn/diensten/herinnering": .only([.professional]),
        "POST /vacatures/:id/bewaren": .only([.professional, .student]),
        "GET /mijn/bewaard": .only([.professional, .student]),
        "POST /mijn/bewaard/:id/verwijderen": .onlyButNotTheirs([.professional, .student]),
        "GET /mijn/vacaturealerts": .only([.professional, .student]),
        "POST /mijn/vacaturealerts": .only([.professional, .student]),
        "POST /mijn/vacaturealerts/:id/verwijderen": .onlyButNotTheirs([.professional, .student]),
        "GET /vacaturealerts/afmelden/:token": .everyone,
        "POST /vacaturealerts/afmelden/:token": .everyone,
        "POST /beheer/vog": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/api-tokens": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/cursussen": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/cursussen/uitvoering/:id": .only([.hrCordaan]),
        "POST /beheer/cursussen/uitvoering/:id/inschrijving/:enrolment": .only([.hrCordaan]),
        "POST /beheer/cursussen": .only([.hrAltra, .hrCordaan]),
        // Someone else's upload, a course not withdrawn by an import: not theirs (404).
        "POST /beheer/cursussen/upload/:id/bevestigen": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        "POST /beheer/cursussen/upload/:id/annuleren": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        "POST /beheer/cursussen/cursus/:id/terugzetten": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        "GET /beheer/cursussen/nieuw": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/cursussen/nieuw": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/cursussen/cursus/:id": .only([.hrCordaan]),
        "POST /beheer/cursussen/cursus/:id": .only([.hrCordaan]),
        "POST /beheer/cursussen/cursus/:id/terugtrekken": .only([.hrCordaan]),
        "GET /beheer/cursussen/cursus/:id/uitvoeringen/nieuw": .only([.hrCordaan]),
        "POST /beheer/cursussen/cursus/:id/uitvoeringen/nieuw": .only([.hrCordaan]),
        "GET /beheer/cursussen/cursus/:id/uitvoeringen/:offering": .only([.hrCordaan]),
        "POST /beheer/cursussen/cursus/:id/uitvoeringen/:offering": .only([.hrCordaan]),
        "POST /beheer/cursussen/cursus/:id/uitvoeringen/:offering/terugtrekken": .only([.hrCordaan]),
        "GET /beheer/importlog": .only([.admin]),
        "POST /beheer/api-tokens": .only([.hrAltra, .hrCordaan]),
        "POST /beheer/api-tokens/:id/intrekken": .only([.hrCordaan]),
        // Admins.
        "GET /beheer": .only([.admin]),
        "GET /beheer/organisaties": .only([.admin]),
        "POST /beheer/organisaties": .only([.admin]),
        "POST /beheer/organisaties/:id/actief": .only([.admin]),
        "POST /beheer/organisaties/site": .only([.admin]),
        "GET /beheer/salarisschalen": .only([.admin]),
        "POST /beheer/salarisschalen": .only([.admin]),
        "GET /beheer/accounts": .only([.admin]),
        "POST /beheer/accounts": .only([.admin]),
        "POST /beheer/accounts/:id/rollen": .only([.admin]),
        "POST /beheer/accounts/:id/rollen/intrekken": .only([.admin]),
        "POST /beheer/accounts/:id/blokkeren": .only([.admin]),
        // The API.
        "GET /api/v1/openapi.json": .apiRead,
        "GET /api/v1/postings": .apiRead,
        "GET /api/v1/postings/:id": .apiRead,
        "POST /api/v1/postings": .apiWrite,
        "PUT /api/v1/postings/:id": .apiWrite,
        "PUT /api/v1/organisations/:slug/catalogue": .apiWrite,
        // The academy: browsing is public, enrolling is for professionals.
        "GET /academie": .everyone,
        "GET /academie/:id": .everyone,
        "GET /academie/:id/aanbieder": .everyone,
        "GET /academie/formaat": .everyone,
        "POST /academie/uitvoering/:id/inschrijven": .only([.professional]),
        "GET /mijn/ontwikkeling": .only([.professional]),
        "POST /mijn/ontwikkeling/reflectie": .only([.professional]),
        "POST /mijn/ontwikkeling/inschrijving/:id/annuleren": .onlyButNotTheirs([.professional]),
        // The catalogue in the Open Education API format: public.
        "GET /ooapi/v5": .apiRead,
        "GET /ooapi/v5/courses": .apiRead,
        "GET /ooapi/v5/courses/:id": .apiRead,
        "GET /ooapi/v5/courses/:id/offerings": .apiRead,
        // The flexpool: pool members (objects of another member: 404) and coordinators.
        "GET /flexpool": .only([.professional]),
        "POST /flexpool/diensten/:id/claimen": .only([.professional]),
        "GET /flexpool/lid": .only([.professional]),
        "POST /flexpool/lid": .only([.professional]),
        "POST /flexpool/verlaten": .only([.professional]),
        "GET /flexpool/beschikbaarheid": .only([.professional]),
        "POST /flexpool/beschikbaarheid": .only([.professional]),
        "POST /flexpool/beschikbaarheid/patroon": .only([.professional]),
        "POST /flexpool/beschikbaarheid/week": .only([.professional]),
        "POST /flexpool/beschikbaarheid/:id/verwijderen": .onlyButNotTheirs([.professional]),
        "POST /flexpool/patroon/:id/verwijderen": .onlyButNotTheirs([.professional]),
        "GET /mijn/diensten": .only([.professional]),
        "POST /mijn/diensten/:id/accepteren": .onlyButNotTheirs([.professional]),
        "POST /mijn/diensten/:id/afzeggen": .onlyButNotTheirs([.professional]),
        "GET /flexpool/agenda/:file": .everyone,
        "GET /flexpool/coordinatie": .only([.coordinator]),
        "POST /flexpool/coordinatie/matching": .only([.coordinator]),
        "POST /flexpool/coordinatie/bevestigen": .only([.coordinator]),
        "POST /flexpool/coordinatie/toewijzingen/:id/ongedaan": .only([.coordinator]),
        "POST /flexpool/coordinatie/toewijzingen/:id/vastzetten": .only([.coordinator]),
        "GET /flexpool/coordinatie/vraag/:id/mensen": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/:id/toewijzen": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/:id/uitsluiten": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/:id/toelaten": .only([.coordinator]),
        "GET /flexpool/coordinatie/locaties": .only([.coordinator]),
        "POST /flexpool/coordinatie/locaties": .only([.coordinator]),
        "GET /flexpool/coordinatie/wat-als": .only([.coordinator]),
        "POST /flexpool/coordinatie/wat-als": .only([.coordinator]),
        "GET /flexpool/coordinatie/inwerken": .only([.coordinator]),
        "POST /flexpool/coordinatie/inwerken": .only([.coordinator]),
        "POST /flexpool/coordinatie/inwerken/locatie": .only([.coordinator]),
        "POST /flexpool/coordinatie/inwerken/dienst": .only([.coordinator]),
        "GET /flexpool/coordinatie/vraag": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/csv": .only([.coordinator]),
        "GET /flexpool/coordinatie/vraag/:id": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/:id": .only([.coordinator]),
        "POST /flexpool/coordinatie/vraag/:id/annuleren": .only([.coordinator]),
        // Profiles: the professional's own; HR advisers open only consenting or their own organisation's.
        // The inbox and data rights: every account has its own; another's notification is 404.
        // The inbox's first address sends everyone on to /mijn/berichten.
        "GET /meldingen": .everyone,
        "GET /mijn/berichten": .loggedInOthersObject,
        "POST /mijn/berichten/gelezen": .only(Who.accounts),
        "POST /mijn/berichten/:id/openen": .loggedInOthersObject,
        "GET /mijn/gegevens": .loggedInOthersObject,
        "GET /mijn/gegevens/download": .loggedInOthersObject,
        // Without the password the form is refused (422) and nobody is erased.
        "POST /mijn/gegevens/verwijderen": .only(Who.accounts),
        "GET /mijn/loopbaan": .only([.professional]),
        "GET /beheer/loopbaanpaden": .only([.admin]),
        "POST /beheer/loopbaanpaden/functies/:code": .only([.admin]),
        "POST /beheer/loopbaanpaden/stap": .only([.admin]),
        "GET /beheer/loopbaanpaden/stap/:id": .only([.admin]),
        "POST /beheer/loopbaanpaden/stap/:id": .only([.admin]),
        "POST /beheer/loopbaanpaden/stap/:id/verwijderen": .only([.admin]),
        "GET /ontmoetingen": .everyone,
        "GET /ontmoetingen/:id": .everyone,
        "POST /ontmoetingen/:id/aanmelden": .only([.professional, .student]),
        // Giving back a place on a meeting one is not registered for: nothing of theirs.
        "POST /ontmoetingen/:id/afmelden": .onlyButNotTheirs([.professional, .student]),
        "GET /beheer/ontmoetingen": .only([.hrAltra, .hrCordaan, .coordinator, .admin]),
        "POST /beheer/ontmoetingen": .only([.hrAltra, .hrCordaan, .coordinator, .admin]),
        // A regional meeting: the region's organisers manage it; HR advisers only their organisation's.
        "GET /beheer/ontmoetingen/:id": .onlyWithNotTheirs(allowed: [.coordinator, .admin], notTheirs: [.hrAltra, .hrCordaan]),
        "POST /beheer/ontmoetingen/:id/annuleren": .onlyWithNotTheirs(allowed: [.coordinator, .admin], notTheirs: [.hrAltra, .hrCordaan]),
        "GET /mijn/roulatie": .only([.professional]),
        "POST /mijn/roulatie/voorstel": .only([.professional]),
        // A rotation of two other people: not the demo professional's.
        "POST /mijn/roulatie/:id/antwoord": .onlyButNotTheirs([.professional]),
        "POST /mijn/roulatie/:id/intrekken": .onlyButNotTheirs([.professional]),
        "GET /beheer/roulaties": .only([.hrAltra, .hrCordaan]),
        // Between two organisations that are neither Altra nor Cordaan.
        "POST /beheer/roulaties/:id": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        "GET /mijn/profiel": .only([.professional]),
        "POST /mijn/profiel": .only([.professional]),
        "POST /mijn/profiel/toestemming": .only([.professional]),
        "GET /beheer/profielen": .only([.hrAltra, .hrCordaan]),
        "GET /beheer/profielen/:id": .onlyButNotTheirs([.hrAltra, .hrCordaan]),
        // Career conversations: professionals book; the booking and the time are someone else's.
        "GET /mijn/loopbaangesprek": .only([.professional]),
        "POST /mijn/loopbaangesprek": .only([.professional]),
        "POST /mijn/loopbaangesprek/:id/annuleren": .onlyButNotTheirs([.professional]),
        "GET /mijn/loopbaangesprek/:id/loopbaangesprek.ics": .onlyButNotTheirs([.professional]),
        // A person's own calendar link: made by anyone logged in; read with the token alone (unknown: 404).
        "POST /mijn/agenda": .only(Who.accounts),
        "GET /agenda/:file": .everyone,
        "GET /beheer/loopbaangesprekken": .only([.careerAdviser]),
        "POST /beheer/loopbaangesprekken": .only([.careerAdviser]),
        "POST /beheer/loopbaangesprekken/:id/schrappen": .onlyButNotTheirs([.careerAdviser]),
        // The demo professional booked nothing with the adviser and gave no consent.
        "GET /beheer/loopbaangesprekken/profiel/:id": .onlyButNotTheirs([.careerAdviser]),
        // Schools: the internship coordinator's overview; a student's own school and consent.
        "GET /school": .only([.school]),
        "GET /mijn/school": .only([.student]),
        "POST /mijn/school": .only([.student]),
        "POST /mijn/school/toestemming": .only([.student]),
        // The monitor: HR advisers (their own and the region), coordinators and admins.
        "GET /monitor": .only([.hrAltra, .hrCordaan, .coordinator, .admin]),
        "GET /monitor/:file": .only([.hrAltra, .hrCordaan, .coordinator, .admin]),
        "GET /api/v1/monitor": .apiOnly([.hrAltra, .hrCordaan, .coordinator, .admin]),
        "GET /api/v1/monitor/:table": .apiOnly([.hrAltra, .hrCordaan, .coordinator, .admin]),
    ]

    /// The objects the addresses point at: each belongs to Cordaan or to someone
    /// other than the demo professional.
    struct Objects {
        var values: [String: String] = [:]

        static func load(_ store: Store) async throws -> Objects {
            func one(_ sql: SQL) async throws -> String {
                guard let id = try await store.pool.query(sql).first(decoding: UUID.self) else {
                    Issue.record("no demo object for \(sql)")
                    return UUID().lowercased
                }
                return id.lowercased
            }
            let priya: SQL = "(SELECT id FROM account WHERE email = 'professional@doorstroom.test')"
            var objects = Objects()
            objects.values["posting"] = try await one(
                "SELECT p.id FROM posting p JOIN organisation o ON o.id = p.organisation_id WHERE o.slug = 'cordaan' AND p.status = 'published' ORDER BY p.id LIMIT 1")
            objects.values["internship"] = try await makePosting(
                store, organisation: "cordaan", kind: .internship, title: "Stage in de matrix", places: 10).id.lowercased
            objects.values["application"] = try await one(
                """
                SELECT a.id FROM application a JOIN posting p ON p.id = a.posting_id JOIN organisation o ON o.id = p.organisation_id
                WHERE o.slug = 'cordaan' AND a.applicant_id <> \(priya) ORDER BY a.id LIMIT 1
                """)
            // The application carries a CV, so that its download has something to refuse.
            _ = try await store.pool.query(
                """
                INSERT INTO application_cv (application_id, file_name, media_type, content)
                VALUES (\(UUID(uuidString: objects.values["application"]!)!), 'cv.pdf', 'application/pdf', \(Data("%PDF-1.4".utf8)))
                """)
            let cordaan = try await store.organisations.find(slug: "cordaan")!
            _ = try await store.apiTokens.create(organisation: cordaan.id, name: "Matrix", by: nil)
            objects.values["token"] = try await one("SELECT id FROM api_token WHERE name = 'Matrix'")
            objects.values["organisation"] = try await one("SELECT id FROM organisation WHERE slug = 'wsg'")
            objects.values["account"] = try await one(
                "SELECT a.id FROM account a JOIN professional p ON p.account_id = a.id WHERE a.email LIKE '%.1@%' ORDER BY a.id LIMIT 1")
            objects.values["window"] = try await one("SELECT id FROM pool_availability WHERE account_id <> \(priya) ORDER BY id LIMIT 1")
            objects.values["pattern"] = try await one("SELECT id FROM pool_availability_pattern WHERE account_id <> \(priya) ORDER BY id LIMIT 1")
            // Confirmed, not proposed: a matching run earlier in the sweep replaces proposals.
            objects.values["assignment"] = try await one(
                "SELECT id FROM shift_assignment WHERE account_id <> \(priya) AND status = 'confirmed' ORDER BY id LIMIT 1")
            objects.values["demand"] = try await one("SELECT id FROM shift_demand WHERE status = 'open' ORDER BY lower(shift) DESC, id LIMIT 1")
            // Routes that run after the demand is cancelled or the assignment undone in
            // the matrix's order get objects of their own that nothing takes away.
            objects.values["liveDemand"] = try await one(
                "SELECT id FROM shift_demand WHERE status = 'open' AND lower(shift) > now() ORDER BY lower(shift) DESC, id OFFSET 1 LIMIT 1")
            objects.values["liveAssignment"] = try await one(
                "SELECT id FROM shift_assignment WHERE account_id <> \(priya) AND status = 'confirmed' ORDER BY id OFFSET 1 LIMIT 1")
            objects.values["myApplication"] = try await one("SELECT id FROM application WHERE applicant_id <> \(priya) ORDER BY id LIMIT 1")
            objects.values["course"] = try await one("SELECT id FROM course WHERE withdrawn_at IS NULL ORDER BY id LIMIT 1")
            objects.values["slug"] = "cordaan"
            // A Cordaan offering with someone (not the demo professional) on it, and an open one to enrol in.
            objects.values["enrolment"] = try await one(
                """
                SELECT e.id FROM enrolment e JOIN course_offering x ON x.id = e.offering_id JOIN course c ON c.id = x.course_id
                JOIN organisation o ON o.id = c.organisation_id
                WHERE o.slug = 'cordaan' AND e.status = 'enrolled' AND e.account_id <> \(priya) ORDER BY e.id LIMIT 1
                """)
            objects.values["offering"] = try await one("SELECT offering_id FROM enrolment WHERE id = \(UUID(uuidString: objects.values["enrolment"]!)!)")
            objects.values["offeringCourse"] = try await one("SELECT course_id FROM course_offering WHERE id = \(UUID(uuidString: objects.values["offering"]!)!)")
            objects.values["openOffering"] = try await one(
                """
                SELECT x.id FROM course_offering x JOIN course c ON c.id = x.course_id
                WHERE c.enrols_here AND x.start_date > current_date + 7 AND (x.max_students IS NULL OR x.max_students > 4) ORDER BY x.id LIMIT 1
                """)
            let token = try await store.pool.query("SELECT calendar_token FROM pool_member ORDER BY account_id LIMIT 1").first(decoding: String.self)!
            objects.values["calendar"] = token + ".ics"
            objects.values["monitorFile"] = "mobility.csv"
            // The demo professional works at Spirit and gave no consent: no HR adviser of Altra or Cordaan may open it.
            objects.values["profile"] = try await one(priya)
            objects.values["monitorTable"] = "flexpool-organisations"
            objects.values["functionCode"] = "teamleider"
            objects.values["meeting"] = try await one("SELECT id FROM event WHERE organisation_id IS NULL ORDER BY id LIMIT 1")
            objects.values["meetingOther"] = try await one(
                "SELECT e.id FROM event e JOIN organisation o ON o.id = e.organisation_id WHERE o.slug = 'cordaan' ORDER BY e.id LIMIT 1")
            objects.values["rotation"] = try await one(
                """
                WITH people AS (
                    SELECT DISTINCT ON (e.organisation_id) e.account_id, e.organisation_id
                    FROM employment e JOIN organisation o ON o.id = e.organisation_id
                    WHERE e.ended_on IS NULL AND o.slug NOT IN ('altra', 'cordaan') AND e.account_id <> \(priya)
                    ORDER BY e.organisation_id, e.account_id LIMIT 2
                ), pair AS (
                    SELECT (array_agg(account_id ORDER BY organisation_id))[1] AS a, (array_agg(account_id ORDER BY organisation_id))[2] AS b,
                           (array_agg(organisation_id ORDER BY organisation_id))[1] AS oa, (array_agg(organisation_id ORDER BY organisation_id))[2] AS ob
                    FROM people
                ), made AS (
                    INSERT INTO rotation (function_code, starts_on, ends_on, status)
                    VALUES ('jeugdhulpverlener', current_date + 30, current_date + 60, 'agreed') RETURNING id
                ), parties AS (
                    INSERT INTO rotation_party (rotation_id, party, account_id, home_organisation_id, host_organisation_id, period)
                    SELECT made.id, 'proposer', pair.a, pair.oa, pair.ob, daterange(current_date + 30, current_date + 60, '[]') FROM made, pair
                    UNION ALL
                    SELECT made.id, 'partner', pair.b, pair.ob, pair.oa, daterange(current_date + 30, current_date + 60, '[]') FROM made, pair
                    RETURNING rotation_id
                )
                SELECT DISTINCT rotation_id FROM parties
                """)
            objects.values["careerStep"] = try await one("SELECT id FROM career_step ORDER BY id LIMIT 1")
            // A booking of a generated professional, and a time of another adviser.
            objects.values["careerBooking"] = try await one("SELECT id FROM career_booking WHERE account_id <> \(priya) ORDER BY id LIMIT 1")
            objects.values["careerSlot"] = try await one(
                """
                WITH adviser AS (
                    INSERT INTO account (email, display_name) VALUES ('andere.adviseur@doorstroom.test', 'Andere adviseur') RETURNING id
                ), granted AS (
                    INSERT INTO role_grant (account_id, role) SELECT id, 'career_adviser' FROM adviser RETURNING account_id
                )
                INSERT INTO career_slot (adviser_id, during, place)
                SELECT account_id, tstzrange(now() + interval '30 days', now() + interval '30 days 1 hour', '[)'), 'Online' FROM granted
                RETURNING id
                """)
            // A notification of a generated professional, whom none of the roles is.
            objects.values["notification"] = try await one(
                """
                INSERT INTO notification (account_id, kind, subject, body, link)
                SELECT a.id, 'waitlist_place', 'Er is een plaats vrij', 'Een plaats.', '/mijn/ontwikkeling' FROM account a
                WHERE a.email <> ALL(\(Who.allCases.compactMap(\.email))::text[]) ORDER BY a.id LIMIT 1
                RETURNING id
                """)
            return objects
        }

        /// The address with its parameters filled in for this route.
        func address(_ path: String) -> String {
            let segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
            return segments.map { segment -> String in
                guard segment.hasPrefix(":") else { return segment }
                let key: String
                switch (path, String(segment.dropFirst())) {
                case ("/monitor/:file", _): key = "monitorFile"
                case (_, "table"): key = "monitorTable"
                case (_, "file"): key = "calendar"
                case (_, "slug"): key = "slug"
                case (_, "code"): key = "functionCode"
                case (_, "enrolment"): key = "enrolment"
                case (_, "offering"): key = "offering"
                case let (p, _) where p.hasPrefix("/beheer/cursussen/cursus/") && !p.hasSuffix("/terugzetten"): key = "offeringCourse"
                case let (p, _) where p.hasPrefix("/ooapi/v5/courses/") || p.hasPrefix("/academie/:id"): key = "course"
                case let (p, _) where p.hasPrefix("/academie/uitvoering/"): key = "openOffering"
                case let (p, _) where p.hasPrefix("/beheer/cursussen/uitvoering/"): key = "offering"
                case let (p, _) where p.hasPrefix("/beheer/cursussen/cursus/"): key = "course"
                case let (p, _) where p.hasPrefix("/mijn/ontwikkeling/inschrijving/"): key = "enrolment"
                case let (p, _) where p.hasSuffix("/solliciteren"): key = "internship"
                case let (p, _) where p.hasPrefix("/vacatures/") || p.hasPrefix("/beheer/vacatures/") || p.hasPrefix("/api/v1/postings/"): key = "posting"
                case let (p, _) where p.hasPrefix("/beheer/sollicitaties/"): key = "application"
                case let (p, _) where p.hasPrefix("/mijn/sollicitaties/"): key = "myApplication"
                case let (p, _) where p.hasPrefix("/beheer/api-tokens/"): key = "token"
                case let (p, _) where p.hasPrefix("/beheer/profielen/"): key = "profile"
                case let (p, _) where p.hasPrefix("/mijn/berichten/"): key = "notification"
                case let (p, _) where p.hasSuffix("/afmelden"): key = "meetingOther"
                case let (p, _) where p.hasPrefix("/ontmoetingen/") || p.hasPrefix("/beheer/ontmoetingen/"): key = "meeting"
                case let (p, _) where p.hasPrefix("/mijn/roulatie/") || p.hasPrefix("/beheer/roulaties/"): key = "rotation"
                case let (p, _) where p.hasPrefix("/beheer/loopbaanpaden/stap/"): key = "careerStep"
                case let (p, _) where p.hasPrefix("/mijn/loopbaangesprek/"): key = "careerBooking"
                case let (p, _) where p.hasPrefix("/beheer/loopbaangesprekken/profiel/"): key = "profile"
                case let (p, _) where p.hasPrefix("/beheer/loopbaangesprekken/"): key = "careerSlot"
                case let (p, _) where p.hasPrefix("/beheer/organisaties/"): key = "organisation"
                case let (p, _) where p.hasPrefix("/beheer/accounts/"): key = "account"
                case let (p, _) where p.hasPrefix("/flexpool/beschikbaarheid/"): key = "window"
                case let (p, _) where p.hasPrefix("/flexpool/patroon/"): key = "pattern"
                case let (p, _) where p.hasSuffix("/vastzetten"): key = "liveAssignment"
                case let (p, _) where p.hasSuffix("/toewijzen") || p.hasSuffix("/uitsluiten") || p.hasSuffix("/toelaten"): key = "liveDemand"
                case let (p, _) where p.hasPrefix("/mijn/diensten/") || p.hasPrefix("/flexpool/coordinatie/toewijzingen/"): key = "assignment"
                case let (p, _) where p.hasPrefix("/flexpool/diensten/") || p.hasPrefix("/flexpool/coordinatie/vraag/"): key = "demand"
                default: key = "unknown"
                }
                return values[key] ?? UUID().lowercased
            }.joined(separator: "/")
        }
    }

    @Test func everyRouteEveryRoleEveryOtherOrganisationsObject() async throws {
        try await TestDatabase.withStore(poolSize: 6) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            let router = buildRouter(store: store, views: try await Views(
                folder: TestApp.configuration.templatesFolder, openAPIFile: TestApp.configuration.openAPIFile), configuration: TestApp.configuration)
            // The router writes parameters as {id}; the table as :id.
            let routes = router.routes.map { route in
                "\(route.method.rawValue) " + route.path.description.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "")
            }.sorted()
            let missing = routes.filter { Self.rules[$0] == nil }
            #expect(missing.isEmpty, "routes without a rule in the matrix: \(missing)")
            #expect(Set(Self.rules.keys).subtracting(routes).isEmpty, "rules for routes that do not exist: \(Set(Self.rules.keys).subtracting(routes))")
            let objects = try await Objects.load(store)

            let app = Application(router: router)
            try await app.test(.router) { client in
                try await Self.check(client, routes: routes, objects: objects)
            }
        }
    }

    static func check(_ client: any TestClientProtocol, routes: [String], objects: Objects) async throws {
        var browsers: [Who: Browser] = [:]
        for who in Who.allCases {
            let browser = Browser(client)
            if let email = who.email { try await browser.login(email) } else { try await browser.get("/") }
            browsers[who] = browser
        }
        // Reading first, then writing; logging out last.
        let ordered = routes.sorted { ($0.hasPrefix("GET") ? 0 : $0.hasSuffix("/logout") ? 2 : 1, $0) < ($1.hasPrefix("GET") ? 0 : $1.hasSuffix("/logout") ? 2 : 1, $1) }
        for route in ordered {
            guard let rule = Self.rules[route] else { continue }
            let parts = route.split(separator: " ", maxSplits: 1)
            let method = HTTPRequest.Method(String(parts[0]))!
            let uri = objects.address(String(parts[1]))
            for who in Who.allCases {
                let browser = browsers[who]!
                _ = try await browser.get("/")  // a fresh CSRF token
                let page: Browser.Page
                if method == .get {
                    page = try await browser.get(uri)
                } else if method == .post {
                    // The organisation a form acts for, where the form names one.
                    let organisation = who == .hrAltra ? "altra" : "cordaan"
                    page = try await browser.post(uri, [("organisation", organisation), ("outcome", "attended")])
                } else {
                    page = try await browser.send(uri, method: method, headers: [.contentType: "application/json"], body: .init(string: "{}"))
                }
                let code = page.status.code
                let toLogin = code == 303 && (page.location ?? "").hasPrefix("/login")
                let label = "\(route) as \(who.rawValue): \(code) \(page.location ?? "")"
                // A visitor is sent to log in; a visitor's POST without a session
                // has no CSRF token either, and is refused before that.
                let visitorRefused = toLogin || (method != .get && code == 403)
                switch rule {
                case .everyone:
                    #expect(code != 403 && code != 401 && !toLogin && code < 500, "\(label)")
                case .loginStep:
                    #expect((code == 302 || code == 303) && (page.location ?? "").hasPrefix("/login"), "\(label)")
                case .loggedInOthersObject:
                    if who == .visitor { #expect(visitorRefused, "\(label)") }
                    else if route.contains(":") { #expect(code == 404, "\(label)") }
                    else { #expect(code == 200, "\(label)") }
                case .only(let allowed):
                    if who == .visitor { #expect(visitorRefused, "\(label)") }
                    else if allowed.contains(who) { #expect(code != 403 && code != 404 && !toLogin && code < 500, "\(label)") }
                    else if route.contains(":"), who == .hrAltra, allowed == [.hrCordaan] { #expect(code == 404, "\(label)") }
                    else { #expect(code == 403, "\(label)") }
                case .onlyButNotTheirs(let roles):
                    if who == .visitor { #expect(visitorRefused, "\(label)") }
                    else if roles.contains(who) { #expect(code == 404, "\(label)") }
                    else { #expect(code == 403, "\(label)") }
                case .hidden:
                    #expect(code == 404, "\(label)")
                case .apiRead:
                    #expect(code == 200, "\(label)")
                case .apiWrite:
                    #expect(code == 401, "\(label)")
                case .onlyWithNotTheirs(let allowed, let notTheirs):
                    if who == .visitor { #expect(visitorRefused, "\(label)") }
                    else if allowed.contains(who) { #expect(code != 403 && code != 404 && !toLogin && code < 500, "\(label)") }
                    else if notTheirs.contains(who) { #expect(code == 404, "\(label)") }
                    else { #expect(code == 403, "\(label)") }
                case .apiOnly(let allowed):
                    if who == .visitor { #expect(code == 401, "\(label)") }
                    else if allowed.contains(who) { #expect(code == 200, "\(label)") }
                    else { #expect(code == 403, "\(label)") }
                }
            }
        }
    }

    /// A fingerprint of everything a request could change (sessions aside, which
    /// every request touches): every table of the schema, its rows hashed.
    static func fingerprint(_ store: Store) async throws -> String {
        let tables = try await store.pool.query(
            "SELECT tablename::text FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'session' ORDER BY 1"
        ).decode(String.self)
        #expect(tables.count > 40, "the fingerprint covers every table")
        var parts: [String] = []
        for table in tables {
            let hash = try await store.pool.query(
                SQL(unsafe: "SELECT count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM \(table) t")
            ).first(decoding: String.self) ?? ""
            parts.append(table + "=" + hash)
        }
        return parts.joined(separator: " ")
    }

    /// Every state-changing route, sent by someone who may use it but without the
    /// CSRF token: 403, and nothing in the database changes.
    @Test func everyStateChangingRouteRefusesARequestWithoutItsCSRFToken() async throws {
        try await TestApp.withDemo { browser, store in
            let objects = try await Objects.load(store)
            // The one-click unsubscribe of RFC 8058 comes from mail programs without a
            // session: its secret token is the authority (JobAlertTests covers it).
            let writes = Self.rules.keys.filter { !$0.hasPrefix("GET ") && !$0.contains(" /api/") && !$0.contains("/afmelden/") }.sorted()
            #expect(writes.count > 30)
            func sender(_ route: String) -> Who {
                switch Self.rules[route]! {
                case .only(let allowed), .onlyButNotTheirs(let allowed): return allowed.sorted { $0.rawValue < $1.rawValue }.first!
                default: return .professional
                }
            }
            // Logged in first: logging in writes (sessions, the audit log).
            var browsers: [Who: Browser] = [:]
            for who in Set(writes.map(sender)) {
                let fresh = Browser(browser.client)
                try await fresh.login(who.email!)
                browsers[who] = fresh
            }
            let before = try await Self.fingerprint(store)
            for route in writes {
                let who = sender(route)
                let uri = objects.address(String(route.split(separator: " ")[1]))
                let page = try await browsers[who]!.post(uri, [
                    ("organisation", "cordaan"), ("title", "Zonder token"), ("motivation", "Zonder token, zonder toestemming."),
                    ("status", "closed"), ("people", "3"), ("weekly_cap", "12"), ("functions", "jeugdhulpverlener"), ("areas", "oost"),
                ], csrf: "")
                #expect(page.status == .forbidden, "\(route) as \(who.rawValue): \(page.status.code)")
            }
            #expect(try await Self.fingerprint(store) == before)
            // The same kind of request with its token does change it (the fingerprint sees writes).
            let coordinator = browsers[.coordinator]!
            _ = try await coordinator.get("/flexpool/coordinatie/vraag")
            let posted = try await coordinator.post("/flexpool/coordinatie/vraag", [
                ("organisation", "altra"), ("area", "oost"), ("qualification", "ggz"), ("date", Day(future(days: 71, hour: 0)).iso),
                ("start", "08:00"), ("end", "16:00"), ("people", "1"), ("priority", "normal"),
            ])
            #expect(posted.status == .seeOther)
            #expect(try await Self.fingerprint(store) != before)
        }
    }

    static let xss = [
        "<script>alert('xss')</script>",
        "\"><img src=x onerror=alert(1)>",
        "'><svg/onload=alert(1)>",
        "</textarea><script>alert(2)</script>",
        "{{chrome.csrfToken}} <b>vet</b>",
        "javascript:alert(3)//<a href=\"javascript:alert(4)\">klik</a>",
    ]

    /// A corpus of script payloads in every kind of text field comes back escaped on
    /// every page that shows it.
    /// HEAD on every GET route of the router (RFC 9110): the GET's status and content
    /// type, a Content-Length, and no body; for a visitor and for an HR adviser.
    @Test func headAnswersOnEveryGetRoute() async throws {
        try await TestDatabase.withStore(poolSize: 6) { store in
            try await DemoData(store: store, logger: TestDatabase.logger).loadIfEmpty(professionals: 20)
            let router = buildRouter(store: store, views: try await Views(
                folder: TestApp.configuration.templatesFolder, openAPIFile: TestApp.configuration.openAPIFile), configuration: TestApp.configuration)
            let routes = router.routes.filter { $0.method == .get }
                .map { $0.path.description.replacingOccurrences(of: "{", with: ":").replacingOccurrences(of: "}", with: "") }.sorted()
            #expect(routes.count > 60)
            let objects = try await Objects.load(store)
            let app = Application(router: router)
            try await app.test(.router) { client in
                for who in [Who.visitor, .hrCordaan] {
                    let browser = Browser(client)
                    if let email = who.email { try await browser.login(email) }
                    for route in routes where !route.hasSuffix("/logout") {
                        let path = objects.address(route)
                        let get = try await browser.get(path)
                        let head = try await browser.send(path, method: .head, headers: [:], body: nil)
                        #expect(head.status == get.status, "HEAD \(route) as \(who): \(head.status.code), GET \(get.status.code)")
                        #expect(head.headers[.contentType] == get.headers[.contentType], "HEAD \(route) as \(who): content type")
                        #expect(head.body.isEmpty, "HEAD \(route) as \(who) sends no body")
                        if get.status == .ok, !get.body.isEmpty {
                            #expect(head.headers[.contentLength] != nil || head.headers[.transferEncoding] != nil, "HEAD \(route) as \(who): a length")
                        }
                    }
                }
            }
        }
    }

    @Test func scriptPayloadsInTextFieldsAreRenderedEscaped() async throws {
        try await TestApp.withDemo { browser, store in
            let hr = Browser(browser.client)
            try await hr.login("hr@cordaan.doorstroom.test")
            let coordinator = Browser(browser.client)
            try await coordinator.login("coordinator@doorstroom.test")
            let admin = Browser(browser.client)
            try await admin.login("admin@doorstroom.test")
            let professional = Browser(browser.client)
            try await professional.login("professional@doorstroom.test")
            let date = Day(future(days: 70, hour: 0)).iso
            for (index, payload) in Self.xss.enumerated() {
                // A posting by HR, applied to by a professional with the payload as motivation.
                _ = try await hr.get("/beheer/vacatures/nieuw")
                let created = try await hr.post("/beheer/vacatures", [
                    ("organisation", "cordaan"), ("kind", "shadow_day"), ("title", "Meeloopdag \(index) \(payload)"),
                    ("description", "Beschrijving \(payload)"), ("municipality", "amsterdam"), ("places", "3"), ("contact", payload),
                ])
                #expect(created.status == .seeOther, "\(payload): \(created.status.code)")
                let posting = try await store.pool.query("SELECT id FROM posting WHERE title = \("Meeloopdag \(index) \(payload)")").first(decoding: UUID.self)!
                _ = try await store.postings.setStatus(posting, organisation: try await store.organisations.find(slug: "cordaan")!.id, to: .published, by: nil)
                _ = try await professional.get("/vacatures/\(posting.lowercased)")
                let applied = try await professional.post("/vacatures/\(posting.lowercased)/solliciteren", [("motivation", "Mijn motivatie: \(payload) en meer tekst om lang genoeg te zijn.")])
                #expect(applied.status == .seeOther, "\(payload): apply \(applied.status.code)")
                // A demand note by the coordinator; an organisation name and an account name by the admin.
                _ = try await coordinator.get("/flexpool/coordinatie/vraag")
                _ = try await coordinator.post("/flexpool/coordinatie/vraag", [
                    ("organisation", "altra"), ("area", "oost"), ("qualification", "ggz"), ("date", date), ("start", "08:00"), ("end", "16:00"),
                    ("people", "1"), ("priority", "normal"), ("note", "Let op \(payload)"),
                ])
                _ = try await admin.get("/beheer/organisaties")
                _ = try await admin.post("/beheer/organisaties", [("slug", "xss-\(index)"), ("name", "Organisatie \(index) \(payload)"), ("kind", "care_provider"), ("municipality", "amsterdam")])
                _ = try await admin.get("/beheer/accounts")
                _ = try await admin.post("/beheer/accounts", [("email", "xss\(index)@example.nl"), ("displayName", "Naam \(index) \(payload)"), ("password", "een lang genoeg wachtwoord"), ("role", "professional")])

                let application = try await store.pool.query("SELECT id FROM application WHERE posting_id = \(posting)").first(decoding: UUID.self)
                // Moving the application tells the professional, with the posting's title, in the inbox.
                _ = try await hr.get("/beheer/sollicitaties/\(application?.lowercased ?? "")")
                _ = try await hr.post("/beheer/sollicitaties/\(application?.lowercased ?? "")/status", [("status", "in_review")])
                // A career step with the payload in its education and note.
                let steps = [("jeugdhulpverlener", "pedagogisch-medewerker"), ("jeugdhulpverlener", "jeugdzorgwerker"),
                             ("jeugdhulpverlener", "ambulant-hulpverlener"), ("jeugdhulpverlener", "orthopedagoog"),
                             ("jeugdhulpverlener", "gz-psycholoog"), ("jeugdzorgwerker", "pedagogisch-medewerker")]
                _ = try await admin.get("/beheer/loopbaanpaden")
                let step = try await admin.post("/beheer/loopbaanpaden/stap", [
                    ("from", steps[index % steps.count].0), ("to", steps[index % steps.count].1), ("education", "Opleiding \(payload)"),
                    ("experience", "1"), ("note", "Toelichting \(payload)"),
                ])
                #expect(step.status == .seeOther, "\(payload): career step \(step.status.code)")
                let pages: [(Browser, String)] = [
                    (professional, "/mijn/berichten"), (professional, "/mijn/loopbaan"), (admin, "/beheer/loopbaanpaden"),
                    (hr, "/beheer/vacatures"), (hr, "/beheer/vacatures/\(posting.lowercased)"), (professional, "/vacatures/\(posting.lowercased)"),
                    (browser, "/vacatures?q=meeloopdag"), (professional, "/mijn/sollicitaties"),
                    (hr, "/beheer/sollicitaties/\(application?.lowercased ?? "")"), (coordinator, "/flexpool/coordinatie?van=\(date)"),
                    (admin, "/beheer/organisaties"), (admin, "/beheer/accounts"), (admin, "/monitor"),
                ]
                for (client, path) in pages {
                    let page = try await client.get(path)
                    #expect(page.status == .ok, "\(path): \(page.status.code)")
                    // Markup from the payload never appears as markup.
                    for needle in ["<script>alert", "<img src=x", "<svg/onload", "<b>vet</b>", "<a href=\"javascript:"] {
                        #expect(!page.body.contains(needle), "\(path) shows \(needle) unescaped")
                    }
                }
                // The escaped text is there (so the test looked at the right page).
                let board = try await coordinator.get("/flexpool/coordinatie?van=\(date)")
                #expect(board.body.contains("Let op "), "the demand note is on the board")
            }
        }
    }
}
