import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// Career conversations. `/mijn/loopbaangesprek`: a professional books a time with a
/// career adviser (regional, or of the organisation they work at) on a topic, sees it
/// here, on the start page and in their calendar, and may cancel.
/// `/beheer/loopbaangesprekken`: a career adviser publishes times, sees who booked
/// what, takes a time off, and opens the profile of who booked only when that person
/// consented to profile search (the opening is audited, as an HR adviser's is).
struct CareerConversationController: RouteCollection {
    let store: Store
    let views: Views
    /// The site's public address, for the calendar link.
    let siteURL: String

    struct MyPage: Sendable {
        struct Booked: Sendable { let id: String; let when: String; let place: String; let adviser: String; let topic: String }
        let chrome: Chrome
        let booked: [Booked]
        let hasBooked: Bool
        let choices: [Option]
        let hasChoices: Bool
        let topics: [Option]
        let question: String
        let errors: [String: String]
        let errorSummary: ErrorSummary
        /// The person's own calendar link (nil: not made yet).
        let calendarURL: String?
    }

    struct AdviserPage: Sendable {
        struct Line: Sendable {
            let id: String; let when: String; let place: String; let scope: String
            let person: String?; let topic: String?; let question: String?; let profile: String?
        }
        let chrome: Chrome
        let lines: [Line]
        let hasLines: Bool
        let scopes: [Option]
        let hasScopes: Bool
        let slotDay: Input
        let slotStart: Input
        let slotEnd: Input
        let slotPlace: Input
        let errorSummary: ErrorSummary
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/loopbaangesprek").add(middleware: RequireRole(.professional))
            .get(use: mine)
            .post(use: book)
            .post(":id/annuleren", use: cancel)
            .get(":id/loopbaangesprek.ics", use: calendar)
        // A person's own calendar: the link is made (or renewed) by its owner, and read by
        // calendar apps with the token alone.
        router.group("/mijn/agenda").add(middleware: RequireRole.loggedIn)
            .post(use: renewCalendar)
        router.get("/agenda/:file", use: personalCalendar)
        router.group("/beheer/loopbaangesprekken").add(middleware: RequireRole(.careerAdviser))
            .get(use: adviser)
            .post(use: addSlot)
            .post(":id/schrappen", use: removeSlot)
            .get("profiel/:id", use: profile)
    }

    // MARK: Professionals

    static let notices = [
        "agenda": "Je agenda-link is klaar. Een eerdere link werkt niet meer.",
        "geboekt": "Je gesprek is geboekt. De agenda-uitnodiging staat in je berichten en je mail.",
        "geannuleerd": "Je gesprek is geannuleerd; de tijd is weer vrij voor een ander.",
    ]

    /// GET /mijn/loopbaangesprek
    @Sendable func mine(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await myPage(context, form: FormData(""), errors: nil, notice: notice, status: .ok)
    }

    /// POST /mijn/loopbaangesprek: `tijd`, `topic`, `question`.
    @Sendable func book(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        let slot = UUID(uuidString: form["tijd"])
        if slot == nil { errors.add("tijd", "Kies een tijd.") }
        var booking: CareerBookingRequest?
        do { booking = try CareerBookingRequest.parse(topic: form["topic"], question: form["question"]) } catch { errors.merge(error) }
        guard errors.isEmpty, let slot, let booking else {
            return try await myPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
        do {
            try await store.careers.book(slot, by: account.id, booking)
        } catch let failure as CareerConversationStore.BookFailure {
            let message = switch failure {
            case .taken: "Iemand anders was je net voor met deze tijd. Kies een andere."
            case .notOpen: "Deze tijd is niet (meer) te boeken. Kies een andere."
            case .alreadyBooked: "Je hebt al een gesprek staan. Annuleer dat eerst, of boek na dat gesprek een volgend."
            }
            errors.add("tijd", message)
            return try await myPage(context, form: form, errors: errors, notice: nil, status: .conflict)
        }
        return Response.redirect(to: "/mijn/loopbaangesprek?gelukt=geboekt", type: .normal)
    }

    /// POST /mijn/loopbaangesprek/:id/annuleren (asks first).
    @Sendable func cancel(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let booked = try await store.careers.mine(account.id, since: Date()).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        guard Confirmation.isConfirmed(try context.requireForm()) else {
            return try Confirmation(
                heading: "Loopbaangesprek annuleren?",
                consequences: ["Je gesprek met \(booked.adviserName) op \(FlexpoolText.when(booked.during)) vervalt. \(booked.adviserName) krijgt er bericht van en de tijd komt vrij voor een ander."],
                action: "/mijn/loopbaangesprek/\(id.lowercased)/annuleren", button: "Ja, annuleer het gesprek", cancel: "/mijn/loopbaangesprek"
            ).page(views, context)
        }
        guard try await store.careers.cancel(id, by: account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/mijn/loopbaangesprek?gelukt=geannuleerd", type: .normal)
    }

    /// GET /mijn/loopbaangesprek/:id/loopbaangesprek.ics
    @Sendable func calendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard let text = try await store.careers.calendar(try context.parameters.requireID(), of: account.id) else { throw HTTPError(.notFound) }
        return ICalendar.download(text, fileName: "loopbaangesprek.ics")
    }

    /// POST /mijn/agenda: a new calendar link (an older one stops working).
    @Sendable func renewCalendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        _ = try await store.calendars.renew(for: account.id)
        return Response.redirect(to: "/mijn/loopbaangesprek?gelukt=agenda#agenda", type: .normal)
    }

    /// GET /agenda/:file (`{token}.ics`): everything the person agreed to, from 90 days
    /// back: confirmed shifts, career conversations, interviews and meetings.
    @Sendable func personalCalendar(_ request: Request, context: AppRequestContext) async throws -> Response {
        let file = try context.parameters.requireText("file")
        guard let token = ICalendar.token(ofFile: file), let account = try await store.calendars.account(token: token) else {
            throw HTTPError(.notFound)
        }
        let since = Date().addingTimeInterval(-90 * 86_400)
        let shifts = try await store.flexpool.confirmedShifts(of: account, since: since)
        let conversations = try await store.careers.mine(account, since: since)
        let interviews = try await store.interviews.booked(by: account, since: since)
        let meetings = try await store.meetings.mine(account).filter { $0.during.end > since && !$0.cancelled }
        return ICalendar.feedResponse(
            request,
            shifts.map(ICalendar.shift) + conversations.map(ICalendar.conversation) + meetings.map(ICalendar.meeting)
                + interviews.map { ICalendar.interview(application: $0.application, during: $0.during, place: $0.place, posting: $0.posting, organisation: $0.organisation) },
            name: "Doorstroom")
    }

    private func myPage(_ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        let now = Date()
        let booked = try await store.careers.mine(account.id, since: now)
        let open = try await store.careers.openSlots(for: account.id, now: now)
        var messages: [String: String] = [:]
        for item in errors?.items ?? [] { messages[item.field] = item.message }
        return try views.page(.careerConversation, MyPage(
            chrome: Chrome(title: "Loopbaangesprek", context: context, path: "/mijn/loopbaangesprek", notice: notice),
            booked: booked.map {
                .init(id: $0.id.lowercased, when: FlexpoolText.when($0.during), place: $0.place,
                      adviser: $0.adviserName + ($0.organisationName.map { " (\($0))" } ?? ""), topic: $0.topic?.label ?? "")
            },
            hasBooked: !booked.isEmpty,
            choices: open.map {
                Option(value: $0.id.lowercased,
                       label: "\(FlexpoolText.when($0.during)) met \($0.adviserName)\($0.organisationName.map { " (\($0))" } ?? ""), \($0.place)",
                       selected: form["tijd"] == $0.id.lowercased)
            },
            hasChoices: !open.isEmpty,
            topics: CareerTopic.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: form["topic"] == $0.rawValue) },
            question: form["question"], errors: messages,
            errorSummary: ErrorSummary(errors, intro: "Het gesprek is niet geboekt. Dit moet nog anders:"),
            calendarURL: try await store.calendars.token(of: account.id).map { siteURL + "/agenda/\($0).ics" }), status: status)
    }

    // MARK: Advisers

    /// GET /beheer/loopbaangesprekken
    @Sendable func adviser(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice: String? = switch request.uri.queryParameters["gelukt"].map(String.init) {
        case "tijd": "De tijd staat open om te boeken."
        case "geschrapt": "De tijd is geschrapt. Wie hem had geboekt, heeft bericht gekregen."
        default: nil
        }
        return try await adviserPage(context, form: FormData(""), errors: nil, notice: notice, status: .ok)
    }

    /// POST /beheer/loopbaangesprekken: `slot_day`, `slot_start`, `slot_end`, `slot_place`,
    /// and `scope` (an organisation's slug, or empty for the region) when the adviser has both.
    @Sendable func addSlot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let scopes = account.grants.filter { $0.role == .careerAdviser }.map(\.organisationID)
        var errors = ValidationErrors()
        var scope: Organisation.ID?? = scopes.count == 1 ? .some(scopes[0]) : nil
        if scope == nil {
            if form["scope"].isEmpty, scopes.contains(nil) {
                scope = .some(nil)
            } else if let organisation = try await store.organisations.find(slug: form["scope"]), scopes.contains(organisation.id) {
                scope = .some(organisation.id)
            } else {
                errors.add("scope", "Kies voor wie de tijd is.")
            }
        }
        var appointment: Appointment?
        do {
            appointment = try Appointment.parse(
                day: form["slot_day"], start: form["slot_start"], end: form["slot_end"], place: form["slot_place"], longest: 2,
                ahead: (CareerConversationStore.bookingLead, "Een tijd ligt minstens een uur vooruit."), now: Date())
        } catch { errors.merge(error) }
        guard errors.isEmpty, let appointment, let scope else {
            return try await adviserPage(context, form: form, errors: errors, notice: nil, status: .unprocessableContent)
        }
        do {
            _ = try await store.careers.addSlot(adviser: account.id, organisation: scope, appointment)
        } catch CareerConversationStore.SlotFailure.overlaps {
            errors.add("slot_start", "Je hebt op dat moment al een andere tijd open staan.")
            return try await adviserPage(context, form: form, errors: errors, notice: nil, status: .conflict)
        }
        return Response.redirect(to: "/beheer/loopbaangesprekken?gelukt=tijd", type: .normal)
    }

    /// POST /beheer/loopbaangesprekken/:id/schrappen (asks first when someone booked it).
    @Sendable func removeSlot(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let slot = try await store.careers.slots(of: account.id, since: Date()).first(where: { $0.id == id }) else { throw HTTPError(.notFound) }
        if let booking = slot.booking, !Confirmation.isConfirmed(try context.requireForm()) {
            return try Confirmation(
                heading: "Geboekte tijd schrappen?",
                consequences: ["\(booking.name) heeft \(FlexpoolText.when(slot.during)) geboekt. Het gesprek vervalt; \(booking.name) krijgt bericht en kan een andere tijd kiezen."],
                action: "/beheer/loopbaangesprekken/\(id.lowercased)/schrappen", button: "Ja, schrap de tijd", cancel: "/beheer/loopbaangesprekken"
            ).page(views, context)
        }
        guard try await store.careers.removeSlot(id, adviser: account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/beheer/loopbaangesprekken?gelukt=geschrapt", type: .normal)
    }

    /// GET /beheer/loopbaangesprekken/profiel/:id: the profile of someone who booked,
    /// only with their consent to profile search; the opening is audited.
    @Sendable func profile(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.careers.mayOpenProfile(id, adviser: account.id), let owner = try await store.accounts.find(id: id) else {
            throw HTTPError(.notFound)
        }
        return try await ProfileController.opened(
            owner, by: account, reason: .development,
            chrome: Chrome(title: owner.displayName, context: context, path: "/beheer/loopbaangesprekken"), store: store, views: views)
    }

    private func adviserPage(_ context: AppRequestContext, form: FormData, errors: ValidationErrors?, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let account = try context.requireAccount()
        let slots = try await store.careers.slots(of: account.id, since: Date())
        let scopes = account.grants.filter { $0.role == .careerAdviser }.map(\.organisationID)
        var options: [Option] = []
        if scopes.count > 1 {
            for scope in scopes {
                let organisation: Organisation? = if let scope { try await store.organisations.find(id: scope) } else { nil }
                options.append(Option(value: organisation?.slug ?? "", label: organisation.map { "Mensen van \($0.name)" } ?? "Iedereen in de regio",
                                      selected: form["scope"] == (organisation?.slug ?? "")))
            }
        }
        return try views.page(.careerConversations, AdviserPage(
            chrome: Chrome(title: "Loopbaangesprekken", context: context, path: "/beheer/loopbaangesprekken", notice: notice),
            lines: slots.map { slot in
                .init(id: slot.id.lowercased, when: FlexpoolText.when(slot.during), place: slot.place,
                      scope: slot.organisationName.map { "Mensen van \($0)" } ?? "Iedereen in de regio",
                      person: slot.booking?.name, topic: slot.booking?.topic.label, question: slot.booking?.question,
                      profile: slot.booking.flatMap { $0.sharesProfile ? "/beheer/loopbaangesprekken/profiel/\($0.person.lowercased)" : nil })
            },
            hasLines: !slots.isEmpty, scopes: options, hasScopes: !options.isEmpty,
            slotDay: Input("slot_day", "Dag", type: "date", value: form["slot_day"], error: errors?["slot_day"]),
            slotStart: Input("slot_start", "Van", type: "time", value: form["slot_start"].isEmpty ? "10:00" : form["slot_start"], error: errors?["slot_start"]),
            slotEnd: Input("slot_end", "Tot", type: "time", value: form["slot_end"].isEmpty ? "11:00" : form["slot_end"], error: errors?["slot_end"]),
            slotPlace: Input("slot_place", "Waar", value: form["slot_place"], error: errors?["slot_place"], hint: "Een adres, of \"online\" met de link"),
            errorSummary: ErrorSummary(errors, intro: "De tijd is niet toegevoegd. Dit moet nog anders:")), status: status)
    }
}
