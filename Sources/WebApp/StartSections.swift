import Domain
import Foundation
import Store

/// One block of a start page: what needs the person now, each item one tap from where
/// they act on it.
struct StartSection: Sendable {
    struct Item: Sendable {
        let text: String
        let meta: String?
        let href: String
        /// Marks items that need an answer (a proposal, a new application).
        let urgent: Bool

        init(_ text: String, meta: String? = nil, href: String, urgent: Bool = false) {
            self.text = text
            self.meta = meta
            self.href = href
            self.urgent = urgent
        }
    }

    let title: String
    let items: [Item]
    let empty: String
    /// The page with all of it.
    let more: String
    let moreLabel: String
    /// Stored, not computed: the templates see stored properties only.
    let hasItems: Bool

    init(title: String, items: [Item], empty: String, more: String, moreLabel: String) {
        self.title = title
        self.items = items
        self.empty = empty
        self.more = more
        self.moreLabel = moreLabel
        hasItems = !items.isEmpty
    }
}

/// The start page's blocks for each role an account holds: a professional's shifts,
/// applications, courses, meetings, messages and postings that fit; an HR adviser's new
/// applications, closing postings, rotations to approve and last catalogue import; a
/// coordinator's gaps, open proposals and last matching run; an admin's accounts and
/// organisations that need attention.
struct StartSections {
    let store: Store
    let now: Date
    /// The person's professional profile, read once by the page (nil: none).
    let profile: Professional?

    func sections(for account: Account, unread: Int) async throws -> [StartSection] {
        var sections: [StartSection] = []
        if account.has(.coordinator) { sections += try await coordinator(account) }
        if account.has(.hrAdviser) { sections += try await hrAdviser(account) }
        if account.has(.admin) { sections += try await admin() }
        if account.has(.careerAdviser) { sections += try await careerAdviser(account) }
        if account.has(.internshipCoordinator) { sections += try await internshipCoordinator(account) }
        if account.has(.professional) { sections += try await professional(account) }
        if account.has(.professional) || account.has(.student) || account.has(.jobSeeker) { sections += try await applicant(account) }
        sections.append(StartSection(
            title: "Berichten", items: unread == 0 ? [] : [.init(unread == 1 ? "1 ongelezen bericht" : "\(unread) ongelezen berichten", href: "/mijn/berichten", urgent: true)],
            empty: "Geen ongelezen berichten.", more: "/mijn/berichten", moreLabel: "Alle berichten"))
        return sections
    }

    // MARK: Professionals

    private func professional(_ account: Account) async throws -> [StartSection] {
        let shifts = try await store.flexpool.shifts(of: account.id, pastSince: now).filter { $0.demand.shift.start > now }
        let proposed = shifts.filter { $0.status == .proposed }
        let confirmed = shifts.filter { $0.status == .confirmed }.sorted { $0.demand.shift.start < $1.demand.shift.start }.prefix(3)
        let today = Day(now)
        let courses = try await store.academy.enrolments(of: account.id)
            .filter { ($0.status == .enrolled || $0.status == .waitlisted) && $0.offering.endDate >= today }
            .sorted { $0.offering.startDate < $1.offering.startDate }.prefix(3)
        var sections: [StartSection] = []
        let inPool = try await store.flexpool.member(account.id) != nil
        if !proposed.isEmpty || inPool {
            sections.append(StartSection(
                title: "Diensten om te beantwoorden",
                items: proposed.map { .init("\(FlexpoolText.when($0.demand.shift)) bij \($0.demand.organisationName)", meta: $0.demand.qualificationName,
                                            href: "/mijn/diensten", urgent: true) },
                empty: "Geen voorstellen die op je antwoord wachten.", more: "/mijn/diensten", moreLabel: "Mijn diensten"))
            sections.append(StartSection(
                title: "Je volgende diensten",
                items: confirmed.map { .init("\(FlexpoolText.when($0.demand.shift)) bij \($0.demand.organisationName)", meta: $0.demand.areaName, href: "/mijn/diensten") },
                empty: "Geen bevestigde diensten.", more: "/flexpool", moreLabel: "Open diensten bekijken"))
        }
        if let conversation = try await store.careers.mine(account.id, since: now).first {
            sections.append(StartSection(
                title: "Je loopbaangesprek",
                items: [.init(FlexpoolText.when(conversation.during), meta: "met \(conversation.adviserName), \(conversation.place)", href: "/mijn/loopbaangesprek")],
                empty: "", more: "/mijn/loopbaangesprek", moreLabel: "Gesprek bekijken of annuleren"))
        }
        sections.append(StartSection(
            title: "Je cursussen",
            items: courses.map { .init($0.courseName, meta: "\($0.provider), vanaf \($0.offering.startDate.dutch)\($0.status == .waitlisted ? " (wachtlijst)" : "")", href: "/academie/\($0.courseID.lowercased)") },
            empty: "Je staat nergens ingeschreven.", more: "/academie", moreLabel: "Naar de Jeugd Academie"))
        return sections
    }

    /// What anybody who applies sees: open applications, meetings, and postings that fit.
    private func applicant(_ account: Account) async throws -> [StartSection] {
        let open: Set<ApplicationStatus> = [.submitted, .inReview, .invited]
        let applications = try await store.applications.mine(account.id).filter { open.contains($0.status) }
        let meetings = try await store.meetings.mine(account.id).filter { $0.during.end > now }.prefix(3)
        var filter = PostingFilter()
        filter.sort = .newest
        if account.has(.professional), let profile {
            filter.functionCode = profile.functionCodes.first
        } else if account.has(.student), !account.has(.professional) {
            filter.kind = .internship
        }
        let fitting = try await store.postings.newest(filter, viewer: PostingViewer(seesInternal: try await store.postings.seesInternal(account)), limit: 4)
        var sections = [
            StartSection(
                title: "Je sollicitaties",
                items: applications.map { .init($0.postingTitle, meta: "\($0.organisationName): \($0.status.label)", href: "/mijn/sollicitaties", urgent: $0.status == .invited) },
                empty: "Geen lopende sollicitaties.", more: "/mijn/sollicitaties", moreLabel: "Mijn sollicitaties"),
            StartSection(
                title: account.has(.professional) ? "Vacatures die bij je passen" : account.has(.student) ? "Stages" : "Nieuwe vacatures",
                items: fitting.map { .init($0.details.title, meta: $0.organisationName, href: "/vacatures/\($0.id.lowercased)") },
                empty: "Nu even niets nieuws.", more: URLComponentsLite(path: "/vacatures", query: filter.dutchQuery(page: 1)).string, moreLabel: "Meer vacatures"),
        ]
        if account.has(.professional) || account.has(.student) {
            sections.append(StartSection(
                title: "Je ontmoetingen",
                items: meetings.map { .init($0.title, meta: FlexpoolText.when($0.during), href: "/ontmoetingen/\($0.id.lowercased)") },
                empty: "Je bent nergens voor aangemeld.", more: "/ontmoetingen", moreLabel: "Alle ontmoetingen"))
        }
        if !account.emailConfirmed {
            sections.insert(StartSection(
                title: "Bevestig je e-mailadres", items: [.init("Klik op de link in de mail om te kunnen solliciteren", href: "/mijn/account", urgent: true)],
                empty: "", more: "/mijn/account", moreLabel: "Nieuwe link vragen"), at: 0)
        }
        return sections
    }

    // MARK: HR advisers

    private func hrAdviser(_ account: Account) async throws -> [StartSection] {
        let organisations = account.organisations(as: .hrAdviser)
        let today = Day(now)
        let inAWeek = AmsterdamTime.adding(7, to: today)
        var fresh: [String: (title: String, count: Int, posting: Posting.ID)] = [:]
        var closing: [Posting] = []
        for organisation in organisations {
            for application in try await store.applications.received(by: organisation) where application.status == .submitted {
                fresh[application.postingID.lowercased, default: (application.postingTitle, 0, application.postingID)].count += 1
            }
            closing += try await store.postings.forOrganisation(organisation).filter { posting in
                posting.status == .published && posting.details.closingDate.map { $0 >= today && $0 <= inAWeek } == true
            }
        }
        let rotations = try await store.rotations.forHR(organisations).filter { rotation in
            rotation.status == .agreed && organisations.contains { home in
                (rotation.proposerHomeID == home || rotation.partnerHomeID == home) && !rotation.approvedBy.contains(home)
            }
        }
        let lastImport = try await store.academy.importLog(organisations: organisations, limit: 1).first
        return [
            StartSection(
                title: "Nieuwe sollicitaties",
                items: fresh.values.sorted { $0.count > $1.count }.map {
                    .init($0.title, meta: $0.count == 1 ? "1 nieuwe sollicitatie" : "\($0.count) nieuwe sollicitaties", href: "/beheer/sollicitaties", urgent: true)
                },
                empty: "Geen nieuwe sollicitaties.", more: "/beheer/sollicitaties", moreLabel: "Alle sollicitaties"),
            StartSection(
                title: "Sluiten binnen 7 dagen",
                items: closing.sorted { ($0.details.closingDate ?? today) < ($1.details.closingDate ?? today) }.map {
                    .init($0.details.title, meta: "sluit \($0.details.closingDate?.dutch ?? "")", href: "/beheer/vacatures/\($0.id.lowercased)")
                },
                empty: "Geen vacatures die deze week sluiten.", more: "/beheer/vacatures", moreLabel: "Onze vacatures"),
            StartSection(
                title: "Roulaties om goed te keuren",
                items: rotations.map { .init("\($0.proposerName) en \($0.partnerName)", meta: "\($0.functionName), \($0.startsOn.dutch) tot \($0.endsOn.dutch)", href: "/beheer/roulaties", urgent: true) },
                empty: "Geen roulaties die op je wachten.", more: "/beheer/roulaties", moreLabel: "Alle roulaties"),
            StartSection(
                title: "Laatste cursusimport",
                items: lastImport.map { [.init("\($0.organisationName), \($0.importedAt.dutchMoment)", meta: "\($0.inserted) nieuw, \($0.updated) bijgewerkt, \($0.coursesInFile) in het bestand", href: "/beheer/cursussen")] } ?? [],
                empty: "Nog geen import.", more: "/beheer/cursussen", moreLabel: "Onze cursussen"),
        ]
    }

    // MARK: Coordinators

    private func coordinator(_ account: Account) async throws -> [StartSection] {
        let scope: [Organisation.ID]? = account.grants.contains { $0.role == .coordinator && $0.organisationID == nil }
            ? nil : account.organisations(as: .coordinator)
        let week = TimeWindow(start: now, end: now.addingTimeInterval(7 * 86_400))
        let demands = try await store.flexpool.demands(in: week, organisations: scope).filter { $0.status == .open && $0.shift.start > now }
        let gaps = demands.filter { $0.open > 0 }.sorted {
            ($0.priority == .urgent ? 0 : 1, $0.shift.start) < ($1.priority == .urgent ? 0 : 1, $1.shift.start)
        }
        let proposals = try await store.flexpool.assignments(on: demands.map(\.id), since: now).filter { $0.status == .proposed }.count
        let run = try await store.flexpool.latestRun(overlapping: week, organisations: scope)
        let board = "/flexpool/coordinatie?van=\(Day(now).iso)"
        return [
            StartSection(
                title: "Gaten in de komende 7 dagen",
                items: gaps.prefix(8).map {
                    .init("\(FlexpoolText.when($0.shift)) bij \($0.organisationName)", meta: "\($0.qualificationName), \($0.areaName): nog \($0.open) van \($0.peopleNeeded)\($0.priority == .urgent ? " (spoed)" : "")",
                          href: board + "#vraag-\($0.id.lowercased)", urgent: $0.priority == .urgent)
                },
                empty: "Alle diensten van de komende week zijn gevuld.", more: board, moreLabel: "Naar het overzicht"),
            StartSection(
                title: "Voorstellen zonder antwoord",
                items: proposals == 0 ? [] : [.init(proposals == 1 ? "1 voorstel wacht op de professional of op je bevestiging" : "\(proposals) voorstellen wachten op de professional of op je bevestiging", href: board)],
                empty: "Geen open voorstellen.", more: board, moreLabel: "Naar het overzicht"),
            StartSection(
                title: "Laatste matching",
                items: run.map { [.init($0.runAt.dutchMoment, meta: "\($0.filled) van \($0.needed) plaatsen gevuld", href: board)] } ?? [],
                empty: "Voor deze week nog niet gematcht.", more: board, moreLabel: "Matching starten"),
        ]
    }

    // MARK: Career advisers and schools

    private func careerAdviser(_ account: Account) async throws -> [StartSection] {
        let slots = try await store.careers.slots(of: account.id, since: now)
        let booked = slots.filter { $0.booking != nil }
        let free = slots.count - booked.count
        return [StartSection(
            title: "Je loopbaangesprekken",
            items: booked.prefix(5).map { .init(FlexpoolText.when($0.during), meta: "\($0.booking!.name): \($0.booking!.topic.label.lowercased())", href: "/beheer/loopbaangesprekken") }
                + (free > 0 ? [.init(free == 1 ? "1 tijd nog vrij" : "\(free) tijden nog vrij", href: "/beheer/loopbaangesprekken")] : []),
            empty: "Geen tijden open. Zet er een paar klaar.", more: "/beheer/loopbaangesprekken", moreLabel: "Tijden beheren")]
    }

    private func internshipCoordinator(_ account: Account) async throws -> [StartSection] {
        var applications: [SchoolApplicationLine] = []
        for school in account.organisations(as: .internshipCoordinator) {
            applications += try await store.schools.applications(school: school, limit: 5)
        }
        return [StartSection(
            title: "Sollicitaties van je studenten",
            items: applications.sorted { $0.submittedAt > $1.submittedAt }.prefix(5).map {
                .init("\($0.student): \($0.postingTitle)", meta: "\($0.organisationName), \($0.status.label.lowercased())", href: "/school")
            },
            empty: "Nog geen sollicitaties van studenten die toestemming gaven.", more: "/school", moreLabel: "Stages en studenten")]
    }

    // MARK: Admins

    private func admin() async throws -> [StartSection] {
        let accounts = try await store.accounts.all(limit: 2000)
        let inactive = try await store.organisations.all().filter { !$0.active }
        let attention = accounts.filter { $0.grants.isEmpty && !$0.disabled }.prefix(8)
        let admins = accounts.filter { $0.has(.admin) && !$0.disabled && !$0.twoStepEnabled }
        return [
            StartSection(
                title: "Accounts die aandacht vragen",
                items: attention.map { .init($0.displayName, meta: "\($0.email): nog geen rol", href: "/beheer/accounts") }
                    + admins.map { .init($0.displayName, meta: "beheerder zonder tweestapsverificatie (wordt gevraagd bij het inloggen)", href: "/beheer/accounts") },
                empty: "Alle accounts hebben een rol.", more: "/beheer/accounts", moreLabel: "Alle accounts"),
            StartSection(
                title: "Organisaties die niet actief zijn",
                items: inactive.map { .init($0.name, meta: "hun vacatures en cursussen zijn niet te zien", href: "/beheer/organisaties") },
                empty: "Alle organisaties zijn actief.", more: "/beheer/organisaties", moreLabel: "Alle organisaties"),
        ]
    }
}
