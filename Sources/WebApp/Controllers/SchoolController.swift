import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Schools as partners. `/school`: a school's internship coordinator sees the region's
/// open internship and traineeship places, the applications of the school's own
/// students who let the school follow them, and the internship agreements that name the
/// school. `/mijn/school`: a student names their partner school and gives or withdraws
/// that consent, one click either way.
struct SchoolController: RouteCollection {
    let store: Store
    let views: Views

    struct OverviewPage: Sendable {
        struct Application: Sendable {
            let student: String; let study: String; let postingID: String; let posting: String; let kind: String
            let organisation: String; let status: String; let date: String
        }
        struct Agreement: Sendable { let organisation: String; let year: Int; let level: String; let programme: String; let places: Int }
        struct School: Sendable {
            let name: String; let slug: String
            let consenting: Int; let students: Int
            let applications: [Application]; let hasApplications: Bool
            let agreements: [Agreement]; let hasAgreements: Bool
        }
        struct Place: Sendable { let postingID: String; let title: String; let kind: String; let organisation: String; let level: String; let places: String; let closes: String }
        let chrome: Chrome
        let schools: [School]
        let places: [Place]
        let hasPlaces: Bool
    }

    struct MyPage: Sendable {
        let chrome: Chrome
        let schoolText: String
        let programme: String
        let level: String
        let schools: [Option]
        let hasSchools: Bool
        let partner: String?
        let consents: Bool
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/school").add(middleware: RequireRole(.internshipCoordinator))
            .get(use: overview)
        router.group("/mijn/school").add(middleware: RequireRole(.student))
            .get(use: mine)
            .post(use: setSchool)
            .post("toestemming", use: consent)
    }

    // MARK: Internship coordinators

    /// GET /school
    @Sendable func overview(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        var schools: [OverviewPage.School] = []
        for id in account.organisations(as: .internshipCoordinator) {
            guard let school = try await store.organisations.find(id: id) else { continue }
            let applications = try await store.schools.applications(school: id)
            let agreements = try await store.internships.lines(school: id)
            let (consenting, students) = try await store.schools.consenting(school: id)
            schools.append(.init(
                name: school.name, slug: school.slug, consenting: consenting, students: students,
                applications: applications.map {
                    .init(student: $0.student, study: "\($0.programme) (\($0.level.label))", postingID: $0.posting.lowercased, posting: $0.postingTitle,
                          kind: $0.kind.label, organisation: $0.organisationName, status: $0.status.label, date: $0.submittedAt.dutchDay)
                },
                hasApplications: !applications.isEmpty,
                agreements: agreements.map {
                    .init(organisation: $0.organisationName, year: $0.year, level: $0.educationLevel.label,
                          programme: $0.programme.isEmpty ? "alle opleidingen" : $0.programme, places: $0.places)
                },
                hasAgreements: !agreements.isEmpty))
        }
        let places = try await store.schools.openPlaces(today: Day(Date()))
        return try views.page(.schoolOverview, OverviewPage(
            chrome: Chrome(title: "Stages en studenten", context: context, path: "/school"),
            schools: schools,
            places: places.map {
                .init(postingID: $0.posting.lowercased, title: $0.title, kind: $0.kind.label, organisation: $0.organisationName,
                      level: $0.level?.label ?? "elk niveau", places: $0.places.map(String.init) ?? "niet genoemd", closes: $0.closingDate?.dutch ?? "doorlopend")
            },
            hasPlaces: !places.isEmpty))
    }

    // MARK: Students

    static let notices = [
        "school": "Je school is opgeslagen.",
        "gegeven": "Je school kan je sollicitaties op stages en traineeships nu volgen. Je kunt dat hier altijd weer intrekken.",
        "ingetrokken": "Je school ziet je sollicitaties niet meer; dat geldt meteen.",
    ]

    /// GET /mijn/school
    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await myPage(context, notice: notice, error: nil, status: .ok)
    }

    /// POST /mijn/school: `school`, a partner school's slug (empty: none of them).
    @Sendable func setSchool(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let slug = try context.requireForm()["school"]
        var school: Organisation?
        if !slug.isEmpty {
            school = try await store.organisations.schools().first { $0.slug == slug }
            guard school != nil else {
                return try await myPage(context, notice: nil, error: "Kies een school uit de lijst.", status: .unprocessableContent)
            }
        }
        guard try await store.schools.setSchool(of: account.id, to: school?.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/school?gelukt=school", type: .normal)
    }

    /// POST /mijn/school/toestemming: `give` 1 or 0.
    @Sendable func consent(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        if try context.requireForm()["give"] == "1" {
            guard try await store.schools.study(of: account.id)?.school != nil else {
                return try await myPage(context, notice: nil, error: "Kies eerst je school; dan weet Doorstroom wie je sollicitaties mag volgen.",
                                        status: .unprocessableContent)
            }
            _ = try await store.profiles.give(.schoolApplications, by: account.id)
            return Response.redirect(to: "/mijn/school?gelukt=gegeven", type: .normal)
        }
        _ = try await store.profiles.withdraw(.schoolApplications, by: account.id)
        return Response.redirect(to: "/mijn/school?gelukt=ingetrokken", type: .normal)
    }

    private func myPage(_ context: AppRequestContext, notice: String?, error: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        guard let study = try await store.schools.study(of: account.id) else { throw HTTPError(.notFound) }
        let schools = try await store.organisations.schools()
        let consents = try await store.profiles.consents(of: account.id).contains(.schoolApplications)
        return try views.page(.mySchool, MyPage(
            chrome: Chrome(title: "Mijn school", context: context, path: "/mijn/school", notice: notice),
            schoolText: study.schoolText, programme: study.programme, level: study.level.label,
            schools: schools.map { Option(value: $0.slug, label: $0.name, selected: $0.id == study.school) },
            hasSchools: !schools.isEmpty,
            partner: schools.first { $0.id == study.school }?.name,
            consents: consents, error: error), status: status)
    }
}
