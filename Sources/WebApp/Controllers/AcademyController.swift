import Domain
import Foundation
import Hummingbird
import Store

/// The Jeugd Academie for professionals: `/academie` (search and filters), a course's
/// page with its offerings and schema.org JSON-LD, enrolling or joining a waiting list,
/// the click through to a provider's own system, and `/mijn/ontwikkeling`.
struct AcademyController: RouteCollection {
    @VisitorReads var store: Store
    let views: Views

    struct ListPage: Sendable {
        struct Line: Sendable {
            let id: String; let name: String; let provider: String; let format: String; let topics: [String]
            let accreditation: String?; let next: String?; let places: String?; let full: Bool; let elsewhere: Bool
        }
        let chrome: Chrome
        let query: String
        let topics: [Option]
        let organisations: [Option]
        let formats: [Option]
        let registers: [Option]
        let minimumPoints: String
        let from: String
        let until: String
        let courses: [Line]
        let count: Int
        /// How many filters are set: the folded "Filters" opens and says so.
        let filtersActive: Int
        let filtersOpen: Bool
    }

    struct CoursePage: Sendable {
        struct Offering: Sendable {
            let id: String; let dates: String; let place: String?; let sessions: [String]; let places: String
            let full: Bool; let waiting: Int; let enrolUntil: String?; let open: Bool; let mine: String?
        }
        let chrome: Chrome
        let id: String
        let name: String
        let provider: String
        let description: [TextBlock]
        let format: String
        let topics: [String]
        let accreditation: String?
        let studyHours: String?
        let price: String?
        let elsewhere: Bool
        let offerings: [Offering]
        let hasOfferings: Bool
        let canEnrol: Bool
        let error: String?
        let jsonLD: String
    }

    struct DevelopmentPage: Sendable {
        struct Line: Sendable { let id: String; let course: String; let courseID: String; let provider: String; let dates: String; let status: String
            let note: String?; let canCancel: Bool; let points: String?
            /// After the course: the certificate's code (with a PDF), and whether it may still be evaluated.
            var certificate: String? = nil
            var canEvaluate = false }
        let chrome: Chrome
        let current: [Line]
        let completed: [Line]
        let hasCurrent: Bool
        let hasCompleted: Bool
        let registration: String?
        let period: String?
        let points: String
        let pointsNeeded: String
        let pointsMissing: String?
        let reflection: String
        let reflectionMissing: String?
        let reflections: [String]
        let suggestions: [ListPage.Line]
        let hasSuggestions: Bool
        let fields: [String: Field]
        let kinds: [Option]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/academie")
            .get(use: catalogue)
            .get(":id", use: course)
            .get(":id/aanbieder", use: toProvider)
        router.group().add(middleware: RequireRole(.professional))
            .post("/academie/uitvoering/:id/inschrijven", use: enrol)
        router.group("/mijn/ontwikkeling").add(middleware: RequireRole(.professional))
            .get(use: myDevelopment)
            .post("inschrijving/:id/annuleren", use: cancelEnrolment)
            .post("reflectie", use: logReflection)
    }

    // MARK: - Handlers

    /// GET /academie
    @Sendable func catalogue(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await list(request, context)
    }

    /// GET /academie/:id
    @Sendable func course(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        return try await coursePage(id, context, error: nil, status: .ok)
    }

    /// GET /academie/:id/aanbieder
    @Sendable func toProvider(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.requireID()
        guard let link = try await store.academy.clickThrough(id, by: context.account?.id) else { throw HTTPError(.notFound) }
        // The provider's own link, as stored from its catalogue (http or https only).
        return Response.redirect(to: link, type: .normal)
    }

    /// POST /academie/uitvoering/:id/inschrijven
    @Sendable func enrol(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let course = try await store.academy.course(ofOffering: id)
        else { throw HTTPError(.notFound) }
        do {
            let status = try await store.academy.enrol(id, account: account.id, today: Day(Date()))
            return Response.redirect(to: "/mijn/ontwikkeling?gelukt=\(status == .enrolled ? "ingeschreven" : "wachtlijst")", type: .normal)
        } catch let failure as AcademyStore.EnrolFailure {
            let message = switch failure {
            case .notOpen: "Inschrijven voor deze uitvoering kan niet (meer)."
            case .enrolsElsewhere: "Voor deze cursus schrijf je je in bij de aanbieder zelf."
            case .alreadyEnrolled: "Je staat al op deze uitvoering."
            }
            return try await coursePage(course, context, error: message, status: .conflict)
        }
    }

    /// GET /mijn/ontwikkeling
    @Sendable func myDevelopment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await development(context, account, notice: notice, values: [:], errors: nil, status: .ok)
    }

    /// POST /mijn/ontwikkeling/inschrijving/:id/annuleren
    @Sendable func cancelEnrolment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let enrolment = try await store.academy.enrolments(of: account.id).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Inschrijving annuleren?",
                consequences: [
                    "Je annuleert je \(enrolment.status == .waitlisted ? "plaats op de wachtlijst" : "inschrijving") voor \"\(enrolment.courseName)\" van \(enrolment.provider).",
                    enrolment.status == .waitlisted ? "Wil je later toch, dan sluit je weer achteraan aan." : "Je plaats gaat naar de eerste op de wachtlijst; wil je later toch, dan sluit je achteraan aan.",
                ],
                action: "/mijn/ontwikkeling/inschrijving/\(id.lowercased)/annuleren", button: "Ja, annuleer", cancel: "/mijn/ontwikkeling"
            ).page(views, context)
        }
        guard try await store.academy.cancel(id, account: account.id, today: Day(Date())).cancelled else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/ontwikkeling?gelukt=geannuleerd", type: .normal)
    }

    /// POST /mijn/ontwikkeling/reflectie
    @Sendable func logReflection(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let values = ["kind": form["kind"], "held_on": form["held_on"], "hours": form["hours"], "note": form["note"]]
        var errors = ValidationErrors()
        if !["intervision", "supervision"].contains(form["kind"]) { errors.add("kind", "Kies intervisie of supervisie.") }
        let day = Day(iso: form["held_on"])
        if day == nil || day! > Day(Date()) { errors.add("held_on", "Geef de datum (JJJJ-MM-DD), vandaag of eerder.") }
        let hours = Double(form["hours"].replacingOccurrences(of: ",", with: "."))
        if hours == nil || !(0.5...24).contains(hours!) { errors.add("hours", "Geef het aantal uren: 0,5 tot en met 24.") }
        if form["note"].count > 1000 { errors.add("note", "De notitie is te lang (hoogstens 1000 tekens).") }
        if form["kind"] == "intervision", let day, try await store.academy.attendedIntervision(account.id, on: day) {
            errors.add("held_on", "Op die dag telt je intervisiegroep al mee (bevestigd door de begeleider); die uren hoef je niet zelf in te voeren.")
        }
        guard errors.isEmpty else {
            return try await development(context, account, notice: nil, values: values, errors: errors, status: .unprocessableContent)
        }
        try await store.academy.logReflection(account.id, kind: form["kind"], heldOn: day!, hours: hours!, note: form["note"])
        return Response.redirect(to: "/mijn/ontwikkeling?gelukt=reflectie", type: .normal)
    }

    static let notices = [
        "ingeschreven": "Je bent ingeschreven.",
        "wachtlijst": "De uitvoering is vol: je staat op de wachtlijst. Komt er een plaats vrij, dan krijg je die en zie je dat hier.",
        "geannuleerd": "Je inschrijving is geannuleerd.",
        "reflectie": "Je reflectie-uren zijn vastgelegd.",
        "geevalueerd": "Dank je wel voor je evaluatie. De aanbieder ziet alleen gemiddelden, niet wie wat antwoordde.",
        "al-geevalueerd": "Je had deze cursus al geëvalueerd.",
    ]

    static func line(_ listing: CourseListing) -> ListPage.Line {
        let record = listing.course.record
        return .init(
            id: listing.course.id.lowercased, name: record.name, provider: listing.course.organisationName, format: record.format.label,
            topics: record.topics, accreditation: record.register.map { "\(FlexpoolText.hours(record.points ?? 0)) punten \($0.rawValue)" },
            next: listing.nextStart.map { "vanaf \($0.dutch)" },
            places: listing.placesLeft.map { $0 == 0 ? "vol (wachtlijst)" : "\($0) plaatsen vrij" }, full: listing.placesLeft == 0,
            elsewhere: !record.enrolsHere)
    }

    static let filterNames = ["onderwerp", "organisatie", "vorm", "register", "punten", "van", "tot"]

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        if let clean = request.withoutEmptyParameters() { return clean }
        let q = request.queryDictionary
        var filter = AcademyStore.Filter()
        filter.query = String((q["q"] ?? "").prefix(200))
        filter.topic = q["onderwerp"] ?? ""
        filter.organisation = q["organisatie"] ?? ""
        filter.format = CourseRecord.Format(rawValue: q["vorm"] ?? "")?.rawValue ?? ""
        filter.register = CourseRecord.AccreditationRegister(rawValue: q["register"] ?? "")?.rawValue ?? ""
        filter.minimumPoints = Double((q["punten"] ?? "").replacingOccurrences(of: ",", with: "."))
        filter.from = Day(iso: q["van"] ?? "")
        filter.until = Day(iso: q["tot"] ?? "")
        let results = try await store.academy.search(filter, today: Day(Date()))
        let organisations = try await store.organisations.members().filter(\.active)
        return try views.page(.academy, ListPage(
            chrome: Chrome(title: "Jeugd Academie", context: context, path: "/academie"),
            query: filter.query,
            // Topics in Dutch order, whatever their case ("agressie" before "Autisme").
            topics: try await store.academy.topics()
                .sorted { $0.compare($1, options: [.caseInsensitive, .diacriticInsensitive], locale: Locale(identifier: "nl_NL")) == .orderedAscending }
                .map { Option(value: $0, label: $0, selected: $0 == filter.topic) },
            organisations: organisations.map { Option(value: $0.slug, label: $0.name, selected: $0.slug == filter.organisation) },
            formats: CourseRecord.Format.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: $0.rawValue == filter.format) },
            registers: CourseRecord.AccreditationRegister.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: $0.rawValue == filter.register) },
            minimumPoints: q["punten"] ?? "", from: q["van"] ?? "", until: q["tot"] ?? "",
            courses: results.map(Self.line), count: results.count,
            filtersActive: request.activeFilters(Self.filterNames), filtersOpen: request.activeFilters(Self.filterNames) > 0))
    }

    private func coursePage(_ id: UUID, _ context: AppRequestContext, error: String?, status: HTTPResponse.Status) async throws -> Response {
        guard let course = try await store.academy.course(id) else {
            throw HTTPError(.notFound)
        }
        let today = Day(Date())
        let offerings = try await store.academy.upcomingOfferings(of: id, today: today)
        var mine: [String: String] = [:]
        if let account = context.account {
            for enrolment in try await store.academy.enrolments(of: account.id) where enrolment.courseID == id {
                mine[enrolment.offering.primaryCode] = enrolment.status.label + (enrolment.waitingPosition.map { " (plaats \($0))" } ?? "")
            }
        }
        let record = course.record
        let canEnrol = context.account?.has(.professional) ?? false
        let page = CoursePage(
            chrome: Chrome(title: record.name, context: context, path: "/academie"),
            id: id.lowercased, name: record.name, provider: course.organisationName, description: TextBlock.blocks(record.description),
            format: record.format.label, topics: record.topics,
            accreditation: record.register.map { "\(FlexpoolText.hours(record.points ?? 0)) punten, \($0.rawValue)" + (record.accreditationNumber.map { " (\($0))" } ?? "") },
            studyHours: record.studyHours.map { "\(FlexpoolText.hours($0)) uur" },
            price: record.priceCents.map { $0 == 0 ? "gratis voor medewerkers van leden" : String(format: "€ %.2f", Double($0) / 100).replacingOccurrences(of: ".", with: ",") },
            elsewhere: !record.enrolsHere,
            offerings: offerings.map { line in
                let o = line.offering.record
                let open = o.startDate > today && (o.enrollStartDate.map { $0 <= today } ?? true) && (o.enrollEndDate.map { today <= $0 } ?? true)
                return .init(
                    id: line.offering.id.lowercased, dates: o.startDate == o.endDate ? o.startDate.dutch : "\(o.startDate.dutch) t/m \(o.endDate.dutch)",
                    place: o.place, sessions: o.sessions.map { FlexpoolText.when(TimeWindow(start: $0.start, end: $0.end)) },
                    places: line.placesLeft.map { $0 == 0 ? "vol" : "\($0) van \(o.maxStudents ?? 0) vrij" } ?? "onbeperkt",
                    full: line.placesLeft == 0, waiting: line.waiting, enrolUntil: o.enrollEndDate?.dutch, open: open, mine: mine[o.primaryCode])
            },
            hasOfferings: !offerings.isEmpty, canEnrol: canEnrol, error: error,
            jsonLD: Self.jsonLD(course, offerings: offerings))
        return try views.page(.course, page, status: status)
    }

    /// schema.org Course with a CourseInstance per offering.
    static func jsonLD(_ course: StoredCourse, offerings: [OfferingLine]) -> String {
        let record = course.record
        var object: [String: Any] = [
            "@context": "https://schema.org", "@type": "Course", "name": record.name, "description": record.description,
            "courseCode": record.primaryCode, "inLanguage": TeachingLanguage.tag(record.teachingLanguage),
            "provider": ["@type": "Organization", "name": course.organisationName],
            "hasCourseInstance": offerings.map { line -> [String: Any] in
                var instance: [String: Any] = [
                    "@type": "CourseInstance", "courseMode": Self.courseMode(record.format),
                    "startDate": line.offering.record.startDate.iso, "endDate": line.offering.record.endDate.iso,
                ]
                if let place = line.offering.record.place { instance["location"] = ["@type": "Place", "name": place] }
                if let hours = record.studyHours { instance["courseWorkload"] = "PT\(Int(hours))H" }
                return instance
            },
        ]
        if !record.topics.isEmpty { object["about"] = record.topics }
        if let register = record.register, let points = record.points {
            object["educationalCredentialAwarded"] = "\(FlexpoolText.hours(points)) accreditatiepunten \(register.rawValue)"
        }
        if let price = record.priceCents {
            // Google's categories for a course's offer: Free, Partially Free, Paid, Subscription.
            object["offers"] = ["@type": "Offer", "price": String(format: "%.2f", Double(price) / 100), "priceCurrency": "EUR",
                                "category": price == 0 ? "Free" : "Paid"]
        }
        if let link = record.link { object["url"] = link }
        return JSONLD.script(object)
    }

    /// schema.org's (and Google's) course modes: Online, Onsite, Blended.
    static func courseMode(_ format: CourseRecord.Format) -> String {
        switch format {
        case .eLearning, .onlineLive: "Online"
        case .classroom: "Onsite"
        case .blended: "Blended"
        }
    }

    private func development(
        _ context: AppRequestContext, _ account: Account, notice: String?, values: [String: String], errors: ValidationErrors?, status: HTTPResponse.Status
    ) async throws -> Response {
        let today = Day(Date())
        let enrolments = try await store.academy.enrolments(of: account.id)
        let certificates = try await store.academy.certificateCodes(of: account.id)
        let evaluable = try await store.academy.evaluable(of: account.id)
        func line(_ e: MyEnrolment) -> DevelopmentPage.Line {
            var note: String?
            if e.courseWithdrawn { note = "De aanbieder heeft deze cursus uit de catalogus gehaald; je inschrijving blijft staan. Neem bij vragen contact op met de aanbieder." }
            else if e.promoted && e.status == .enrolled { note = "Er kwam een plaats vrij: je bent van de wachtlijst ingeschreven." }
            else if let position = e.waitingPosition { note = "Plaats \(position) op de wachtlijst." }
            return .init(
                id: e.id.lowercased, course: e.courseName, courseID: e.courseID.lowercased, provider: e.provider,
                dates: "\(e.offering.startDate.dutch) t/m \(e.offering.endDate.dutch)", status: e.status.label, note: note,
                canCancel: (e.status == .enrolled || e.status == .waitlisted) && e.offering.startDate > today,
                points: e.points.map { "\(FlexpoolText.hours($0)) punten \(e.register ?? "")" },
                certificate: certificates[e.id], canEvaluate: evaluable.contains(e.id))
        }
        let professional = try await store.professionals.find(accountID: account.id)
        let skj = professional?.registrations.first { $0.register == .skj }
        var period: SKJPeriod?
        var points = 0.0, reflectionHours = 0.0
        var reflections: [String] = []
        if let skj {
            let current = SKJPeriod(registeredOn: skj.registeredOn, today: today)
            period = current
            points = try await store.academy.points(of: account.id, register: "SKJ", since: current.start)
            let logged = try await store.academy.reflection(of: account.id, since: current.start)
            reflectionHours = logged.reduce(0) { $0 + $1.hours }
            reflections = logged.map { "\($0.heldOn.dutch): \($0.kind == "intervision" ? "intervisie" : "supervisie"), \(FlexpoolText.hours($0.hours)) uur" + ($0.note.isEmpty ? "" : " (\($0.note))") }
        }
        // Upcoming SKJ-accredited courses with room, to make up what is missing.
        var filter = AcademyStore.Filter()
        filter.register = "SKJ"
        let suggestions = points < SKJPeriod.pointsNeeded
            ? try await store.academy.search(filter, today: today, limit: 30).filter { $0.placesLeft != 0 && $0.course.record.enrolsHere }.prefix(5).map(Self.line)
            : []
        let page = DevelopmentPage(
            chrome: Chrome(title: "Mijn ontwikkeling", context: context, path: "/mijn/ontwikkeling", notice: notice),
            current: enrolments.filter { $0.status == .enrolled || $0.status == .waitlisted }.map(line),
            completed: enrolments.filter { $0.status == .completed || $0.status == .attended }.map(line),
            hasCurrent: enrolments.contains { $0.status == .enrolled || $0.status == .waitlisted },
            hasCompleted: enrolments.contains { $0.status == .completed || $0.status == .attended },
            registration: skj.map { "SKJ \($0.number)" },
            period: period.map { "\($0.start.dutch) tot \($0.end.dutch)" },
            points: FlexpoolText.hours(points), pointsNeeded: FlexpoolText.hours(SKJPeriod.pointsNeeded),
            pointsMissing: points < SKJPeriod.pointsNeeded ? FlexpoolText.hours(SKJPeriod.pointsNeeded - points) : nil,
            reflection: FlexpoolText.hours(reflectionHours),
            reflectionMissing: reflectionHours < SKJPeriod.reflectionHoursNeeded ? FlexpoolText.hours(SKJPeriod.reflectionHoursNeeded - reflectionHours) : nil,
            reflections: reflections, suggestions: Array(suggestions), hasSuggestions: !suggestions.isEmpty,
            fields: ["held_on": Field(values["held_on"] ?? today.iso, error: errors?["held_on"]), "hours": Field(values["hours"] ?? "2", error: errors?["hours"]),
                     "note": Field(values["note"] ?? "", error: errors?["note"]), "kind": Field(values["kind"] ?? "", error: errors?["kind"])],
            kinds: [Option(value: "intervision", label: "Intervisie", selected: values["kind"] != "supervision"),
                    Option(value: "supervision", label: "Supervisie", selected: values["kind"] == "supervision")])
        return try views.page(.myDevelopment, page, status: status)
    }
}
