import Domain
import Foundation
import Hummingbird
import Logging
import Store

/// The vacancy bank for everyone: `/vacatures` (search, filters, paging),
/// `/vacatures/{id}` (with JobPosting JSON-LD), `/vacatures.atom`, and applying.
struct VacancyController: RouteCollection {
    @VisitorReads var store: Store
    let views: Views
    /// The site's public address, for the feed's absolute links.
    let siteURL: String

    struct ListPage: Sendable {
        let chrome: Chrome
        let q: String
        let kinds: [Option]
        let organisations: [Option]
        let functions: [Option]
        let disciplines: [Option]
        let levels: [Option]
        let municipalities: [Option]
        let hoursMin: String
        let hoursMax: String
        let duo: Bool
        let newest: Bool
        let results: [PostingLine]
        let total: Int
        let totalText: String
        let page: Int
        let pages: Int
        let previous: String?
        let next: String?
        let feed: String
        /// How many filters are set: the folded "Filters" opens and says so.
        let filtersActive: Int
        let filtersOpen: Bool
        /// When nothing was found: the spelling corrected, and other searches that find.
        let didYouMean: SuggestionLine?
        let suggestions: [SuggestionLine]
        let hasSuggestions: Bool
        /// For a logged-in job seeker: the search's query string, to save as an alert.
        let saveSearch: String?
    }

    /// A search to offer instead (named apart from the page's own fields).
    struct SuggestionLine: Sendable {
        let suggestionLabel: String
        let suggestionHref: String
        let suggestionCount: String

        init(_ suggestion: SearchSuggestion) {
            let words = suggestion.filter.text
            switch suggestion.reason {
            case .spelling: suggestionLabel = words
            case .without(let word): suggestionLabel = "\(words) (zonder ‘\(word)’)"
            case .inMunicipality(let place): suggestionLabel = words.isEmpty ? "Alles in \(place.name)" : "\(words) in \(place.name)"
            case .withoutFilters: suggestionLabel = words.isEmpty ? "Alles, zonder filters" : "\(words) (zonder filters)"
            }
            suggestionHref = URLComponentsLite(path: "/vacatures", query: suggestion.filter.dutchQuery()).string
            suggestionCount = VacancyController.resultCount(suggestion.total, isCapped: suggestion.isCapped)
        }
    }

    /// Job seekers (professionals, students, others looking) save postings and searches.
    static func savesPostings(_ account: Account) -> Bool {
        account.has(.professional) || account.has(.student) || account.has(.jobSeeker)
    }

    /// "1 resultaat", "12 resultaten", or past the count's cap "meer dan 1.000 resultaten".
    static func resultCount(_ total: Int, isCapped: Bool) -> String {
        isCapped ? "meer dan \(total.formatted(.number.locale(Locale(identifier: "nl_NL")))) resultaten"
            : total == 1 ? "1 resultaat" : "\(total) resultaten"
    }

    struct DetailPage: Sendable {
        let chrome: Chrome
        let id: String
        let title: String
        let kind: String
        let organisation: String
        let organisationSlug: String
        let facts: [Fact]
        let description: [TextBlock]
        let contact: String?
        let isOpen: Bool
        let closedText: String?
        let isInternal: Bool
        let duo: Bool
        let jsonLD: String?
        let applyForm: Bool
        let loginToApply: String?
        /// Logged in with a role that may apply, but the address is not confirmed yet.
        let confirmToApply: Bool
        let signUpToApply: String?
        let applicationStatus: String?
        let motivation: Field
        let phone: Field
        let cv: Field
        let notice: String?
        let noticeIsError: Bool
        let isPreview: Bool
        /// On a duo job: the field for a partner, and who is looking for one.
        let duoPartner: Field
        let duoSeekers: [DuoSeekerLine]
        let hasDuoSeekers: Bool
        /// On a closed posting: open ones like it.
        let similar: [PostingLine]
        let hasSimilar: Bool
        /// A logged-in job seeker may save the posting (or let it go).
        let saveForm: Bool
        let isSaved: Bool
        let savedNotice: String?
    }

    struct DuoSeekerLine: Sendable { let name: String; let email: String; let organisation: String?; let hours: Int?; let areas: String }

    struct Fact: Sendable { let label: String; let value: String }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/vacatures")
            .get(use: list)
            .get(":id", use: show)
        router.get("/vacatures.atom", use: feed)
        router.group().add(middleware: RequireRole.loggedIn)
            .post("/vacatures/:id/solliciteren", use: apply)
    }

    // MARK: - Handlers

    /// GET /vacatures/:id
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await detail(request, context, motivation: Field(), duoPartner: Field(), notice: nil, isError: false, status: .ok)
    }

    static let filterNames = ["soort", "organisatie", "functie", "discipline", "niveau", "gemeente", "uren_min", "uren_max", "duobaan", "sortering"]

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        if let clean = request.withoutEmptyParameters() { return clean }
        let filter = PostingFilter(dutch: request.queryDictionary)
        let viewer = PostingViewer(seesInternal: try await store.postings.seesInternal(context.account))
        let result = try await store.postings.search(filter, viewer: viewer)
        let suggestions = result.total == 0 ? try await store.postings.suggestions(for: filter, viewer: viewer) : []
        let didYouMean = suggestions.first { $0.reason == .spelling }.map { SuggestionLine($0) }
        let others = suggestions.filter { $0.reason != .spelling }.map { SuggestionLine($0) }
        let organisations = try await store.organisations.members()
        let functions = try await store.professionals.functions()
        let today = Day(Date())
        let pages = max(1, (result.total + PostingFilter.pageSize - 1) / PostingFilter.pageSize)
        func link(_ page: Int) -> String { URLComponentsLite(path: "/vacatures", query: filter.dutchQuery(page: page)).string }
        return try views.page(.vacancies, ListPage(
            chrome: {
                var chrome = Chrome(title: "Vacatures", context: context, path: "/vacatures")
                chrome.feed = URLComponentsLite(path: "/vacatures.atom", query: filter.dutchQuery()).string
                return chrome
            }(),
            q: filter.text,
            kinds: Choices.kinds(filter.kind?.urlName ?? "", byURLName: true),
            organisations: Choices.organisations(organisations, filter.organisationSlug ?? ""),
            functions: Choices.functions(functions, filter.functionCode ?? ""),
            disciplines: Choices.disciplines(filter.discipline?.rawValue ?? ""),
            levels: Choices.levels(filter.educationLevel?.rawValue ?? ""),
            municipalities: Choices.municipalities(filter.municipality?.rawValue ?? ""),
            hoursMin: filter.minHours.map(String.init) ?? "", hoursMax: filter.maxHours.map(String.init) ?? "",
            duo: filter.duoOnly, newest: filter.sort == .newest,
            results: result.postings.map { PostingLine($0, today: today) },
            total: result.total,
            totalText: { let text = Self.resultCount(result.total, isCapped: result.isCapped); return text.prefix(1).uppercased() + text.dropFirst() }(),
            page: filter.page, pages: pages,
            previous: filter.page > 1 ? link(filter.page - 1) : nil,
            next: filter.page < pages ? link(filter.page + 1) : nil,
            feed: URLComponentsLite(path: "/vacatures.atom", query: filter.dutchQuery()).string,
            filtersActive: request.activeFilters(Self.filterNames),
            filtersOpen: request.activeFilters(Self.filterNames) > 0,
            didYouMean: didYouMean, suggestions: others, hasSuggestions: !others.isEmpty,
            saveSearch: context.account.map(Self.savesPostings) == true
                ? URLComponentsLite(path: "", query: filter.dutchQuery().filter { PostingFilter.dutchNames.contains($0.0) }).string.drop { $0 == "?" }.description
                : nil
        ))
    }

    /// The posting a person may see: drafts only to the organisation's HR advisers
    /// (preview); internal postings only to members' professionals; otherwise 404.
    private func visiblePosting(_ request: Request, _ context: AppRequestContext) async throws -> (Posting, isPreview: Bool) {
        let id = try context.parameters.requireID()
        guard let posting = try await store.postings.find(id: id)
        else { throw HTTPError(.notFound) }
        let isOwnHR = context.account?.has(.hrAdviser, for: posting.organisationID) ?? false
        if posting.status == .draft && !isOwnHR { throw HTTPError(.notFound) }
        if posting.isInternal(on: Day(Date())), !isOwnHR, !(try await store.postings.seesInternal(context.account)) {
            throw HTTPError(.notFound)
        }
        return (posting, posting.status == .draft)
    }

    private func detail(
        _ request: Request, _ context: AppRequestContext, motivation: Field, duoPartner: Field, phone: Field = Field(), cv: Field = Field(),
        notice: String?, isError: Bool, status: HTTPResponse.Status
    ) async throws -> Response {
        let (posting, isPreview) = try await visiblePosting(request, context)
        let today = Day(Date())
        let d = posting.details
        let functions = try await store.professionals.functions()
        var facts: [Fact] = [Fact(label: "Soort", value: d.kind.label), Fact(label: "Organisatie", value: posting.organisationName)]
        if let code = d.functionCode, let function = functions.first(where: { $0.code == code }) {
            facts.append(Fact(label: "Functie", value: function.name))
        }
        if let discipline = d.discipline { facts.append(Fact(label: "Discipline", value: discipline.label)) }
        if let level = d.educationLevel { facts.append(Fact(label: "Opleidingsniveau", value: level.label)) }
        if let hours = d.hoursText { facts.append(Fact(label: "Uren per week", value: hours)) }
        // The scale's range from the CAO's salary table of this year (or the latest before it).
        let salary = try await d.salaryScale.asyncMap { try await store.salaryScales.range(scale: $0, on: today) } ?? nil
        if let scale = d.salaryScale {
            let range = salary.map { ": \($0.text) bruto per maand bij een volledige werkweek" } ?? ""
            facts.append(Fact(label: "Salaris", value: "CAO Jeugdzorg schaal \(scale)\(range)"))
        }
        let line = PostingLine(posting, today: today)
        facts.append(Fact(label: "Plaats", value: line.place))
        if let address = [d.streetAddress, d.postalCode].compactMap({ $0 }).joined(separator: ", ").nilIfEmpty {
            facts.append(Fact(label: "Adres", value: address))
        }
        if let start = d.startDate { facts.append(Fact(label: d.kind == .shadowDay ? "Datum" : "Startdatum", value: start.dutch)) }
        if let closing = d.closingDate { facts.append(Fact(label: "Reageren kan tot en met", value: closing.dutch)) }
        if let places = d.places { facts.append(Fact(label: "Plaatsen", value: "\(places) (\(line.placesLeft ?? ""))")) }
        facts.append(Fact(label: "Sollicitaties", value: String(posting.applicantCount)))

        let isOpen = posting.isOpen(on: today)
        var closedText: String?
        if !isOpen {
            switch posting.status {
            case .draft: closedText = "Dit is een concept: alleen jij als HR-adviseur ziet deze voorvertoning."
            case .filled: closedText = "Deze \(d.kind.label.lowercased()) is vervuld. Solliciteren kan niet meer."
            default: closedText = "Deze \(d.kind.label.lowercased()) is gesloten. Solliciteren kan niet meer."
            }
        }
        var applicationStatus: String?
        var applyForm = false
        var loginToApply: String?
        var confirmToApply = false
        if let account = context.account {
            if let existing = try await store.applications.status(of: account.id, for: posting.id) {
                applicationStatus = existing.label
            } else if isOpen, ApplyRule.mayApply(account, to: d.kind) {
                applyForm = posting.placesLeft != 0
            } else if isOpen, ApplyRule.roleMayApply(account, to: d.kind) {
                confirmToApply = true
            }
        } else if isOpen {
            loginToApply = URLComponentsLite(path: "/login", query: [("next", "/vacatures/\(line.id)")]).string
        }
        let isInternal = posting.isInternal(on: today)
        // A closed posting points to open ones like it (same kind and function, or kind alone).
        var similar: [Posting] = []
        if !isOpen, posting.status != .draft {
            var filter = PostingFilter()
            filter.kind = d.kind
            filter.functionCode = d.functionCode
            filter.sort = .newest
            let viewer = PostingViewer(seesInternal: try await store.postings.seesInternal(context.account))
            similar = try await store.postings.search(filter, viewer: viewer).postings.filter { $0.id != posting.id }
            if similar.isEmpty, d.functionCode != nil {
                filter.functionCode = nil
                similar = try await store.postings.search(filter, viewer: viewer).postings.filter { $0.id != posting.id }
            }
            similar = Array(similar.prefix(3))
        }
        // Professionals who look for a duo partner, to logged-in professionals only.
        var seekers: [DuoSeeker] = []
        if d.duoSuitable, isOpen, let account = context.account, account.has(.professional) {
            seekers = try await store.applications.duoSeekers(function: d.functionCode, excluding: account.id)
        }
        let saveForm = !isPreview && posting.status == .published && context.account.map(Self.savesPostings) == true
        let isSaved = saveForm ? try await store.jobAlerts.isSaved(posting.id, by: context.account!.id) : false
        let savedNotice: String? = switch request.uri.queryParameters["gelukt"] {
        case "bewaard": "Bewaard. Je vindt de vacature bij Bewaarde vacatures; drie dagen voor de sluitingsdatum krijg je een herinnering."
        case "niet-bewaard": "De vacature staat niet meer bij je bewaarde vacatures."
        default: nil
        }
        return try views.page(.vacancy, DetailPage(
            chrome: Chrome(title: d.title, context: context, path: "/vacatures"),
            id: line.id, title: d.title, kind: d.kind.label, organisation: posting.organisationName,
            organisationSlug: posting.organisationSlug, facts: facts, description: TextBlock.blocks(d.description),
            contact: d.contact, isOpen: isOpen, closedText: closedText, isInternal: isInternal, duo: d.duoSuitable,
            // Job markup only while one can apply (Google's rule for expired jobs), never for
            // internal postings; a shadow day is an Event (a day, not a job).
            jsonLD: isInternal || !isOpen ? nil
                : d.kind == .shadowDay ? EventJSONLD.shadowDay(posting, siteURL: siteURL)
                : JobPostingJSONLD.script(for: posting, functions: functions, organisation: try await store.organisations.find(id: posting.organisationID),
                                          salary: salary, siteURL: siteURL),
            applyForm: applyForm, loginToApply: loginToApply, confirmToApply: confirmToApply,
            signUpToApply: loginToApply.map { _ in d.kind == .internship ? "/registreren?als=student" : "/registreren" }, applicationStatus: applicationStatus,
            motivation: motivation, phone: phone, cv: cv, notice: notice, noticeIsError: isError, isPreview: isPreview,
            duoPartner: duoPartner,
            duoSeekers: seekers.map {
                DuoSeekerLine(name: $0.name, email: $0.email, organisation: $0.organisation, hours: $0.hoursPerWeek, areas: $0.areas.joined(separator: ", "))
            },
            hasDuoSeekers: !seekers.isEmpty,
            similar: similar.map { PostingLine($0, today: today) }, hasSimilar: !similar.isEmpty,
            saveForm: saveForm, isSaved: isSaved,
            savedNotice: savedNotice
        ), status: status == .ok && (posting.status == .closed || posting.status == .filled) ? .gone : status)
    }

    @Sendable func apply(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let (posting, _) = try await visiblePosting(request, context)
        guard ApplyRule.mayApply(account, to: posting.details.kind) else { throw HTTPError(.forbidden) }
        let motivation = form["motivation"]
        let partnerEmail = posting.details.duoSuitable ? form["duo_partner"].trimmingCharacters(in: .whitespaces) : ""
        let problem = Motivation.problem(with: motivation)
        var partner: Account.ID?
        var partnerProblem: String?
        if !partnerEmail.isEmpty {
            partner = try await store.applications.duoPartner(email: partnerEmail)
            if partner == nil || partner == account.id {
                partnerProblem = "Met dit e-mailadres vinden we geen collega die openstaat voor een duobaan en benaderd mag worden."
                partner = nil
            }
        }
        var phone: String?
        var phoneProblem: String?
        switch PhoneNumber.parse(form["phone"]) {
        case .success(let number): phone = number
        case .failure(let errors): phoneProblem = errors["phone"]
        }
        var cv: CurriculumVitae?
        var cvProblem: String?
        if let file = form.file("cv") {
            switch CurriculumVitae.check(fileName: file.fileName, content: file.content) {
            case .success(let checked): cv = checked
            case .failure(let errors): cvProblem = errors["cv"]
            }
        }
        let cvField = Field("", error: cvProblem.map { $0 + " Kies het bestand opnieuw." } ?? (cv == nil ? nil : "Kies het cv opnieuw: een bestand gaat niet mee als de rest nog niet klopt."))
        if problem != nil || partnerProblem != nil || phoneProblem != nil || cvProblem != nil {
            return try await detail(request, context, motivation: Field(motivation, error: problem), duoPartner: Field(partnerEmail, error: partnerProblem),
                                    phone: Field(form["phone"], error: phoneProblem), cv: cvField,
                                    notice: nil, isError: true, status: .unprocessableContent)
        }
        do {
            _ = try await store.applications.apply(
                to: posting.id, applicant: account.id, motivation: motivation, keepForAYear: form["keep_for_a_year"] == "1", duoPartner: partner,
                phone: phone, cv: cv)
        } catch let failure as ApplicationStore.ApplyFailure {
            let message: String
            switch failure {
            case .alreadyApplied: message = "Je hebt hier al op gereageerd. Bekijk de stand bij Mijn sollicitaties."
            case .placesTaken: message = "Alle plaatsen zijn bezet. Je aanmelding is niet opgeslagen."
            case .postingNotOpen: message = "Deze \(posting.details.kind.label.lowercased()) is gesloten. Je sollicitatie is niet opgeslagen."
            case .duoPartnerUnavailable: message = "Deze collega is op deze vacature al door iemand anders als duopartner genoemd. Je sollicitatie is niet opgeslagen."
            }
            return try await detail(request, context, motivation: Field(motivation), duoPartner: Field(partnerEmail), phone: Field(form["phone"]),
                                    notice: message, isError: true, status: .conflict)
        }
        context.logger.info("application submitted", metadata: ["posting.id": "\(posting.id)"])
        return Response.redirect(to: "/mijn/sollicitaties?gelukt=ingediend", type: .normal)
    }

    @Sendable func feed(_ request: Request, context: AppRequestContext) async throws -> Response {
        var filter = PostingFilter(dutch: request.queryDictionary)
        if filter.text.isEmpty { filter.sort = .newest }
        // The feed is public: internal postings never appear in it.
        let result = try await store.postings.search(filter, viewer: .visitor)
        func feed(_ page: Int) -> String { URLComponentsLite(path: "/vacatures.atom", query: filter.dutchQuery(page: page)).string }
        let pages = max(1, (min(result.total, PostingStore.countCap) + PostingFilter.pageSize - 1) / PostingFilter.pageSize)
        let xml = AtomFeed.render(
            postings: result.postings,
            // One id per search, whatever the page (RFC 4287, 4.2.6).
            feedID: siteURL + URLComponentsLite(path: "/vacatures.atom", query: filter.dutchQuery()).string,
            selfLink: feed(filter.page),
            pageLink: URLComponentsLite(path: "/vacatures", query: filter.dutchQuery(page: filter.page)).string,
            paging: .init(first: feed(1), previous: filter.page > 1 ? feed(filter.page - 1) : nil, next: filter.page < pages ? feed(filter.page + 1) : nil),
            siteURL: siteURL, now: Date())
        return Response.conditional(request, body: xml, contentType: "application/atom+xml; charset=utf-8", cacheControl: "public, max-age=60")
    }
}
