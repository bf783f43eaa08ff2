import Foundation

/// An iCalendar file that travels with a message (an interview's invitation).
public struct CalendarFile: Sendable, Hashable {
    public let name: String
    public let text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A message to one account about something that concerns them: shown in their inbox,
/// and mailed once when mail is configured.
public struct AccountNotification: Sendable, Hashable {
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case applicationStatus = "application_status"
        case shiftProposed = "shift_proposed"
        case waitlistPlace = "waitlist_place"
        case rotationRequest = "rotation_request"
        case duoRequest = "duo_request"
        case courseWithdrawn = "course_withdrawn"
        /// A mail about the account itself (a confirmation, reset or invitation link):
        /// mailed, never shown in the inbox.
        case accountMail = "account_mail"
        /// A member gave a confirmed shift back shortly before it starts (to its coordinators).
        case shiftReturned = "shift_returned"
        /// Someone applied to one of the organisation's postings (to its HR advisers).
        case applicationReceived = "application_received"
        /// A coordinator put the person on a shift by hand.
        case shiftAssigned = "shift_assigned"
        /// A VOG or registration runs out in 8 or 2 weeks (to the person and their HR advisers).
        case credentialExpiry = "credential_expiry"
        /// New postings for a saved search.
        case jobAlert = "job_alert"
        /// A saved posting closes in three days.
        case postingClosing = "posting_closing"
        /// A shift, course or meeting is near.
        case reminder
        /// An interview booked, cancelled or moved (to the candidate and the HR advisers).
        case interview
        /// A training wish the person asked for was answered with an offering.
        case trainingWish = "training_wish"
        /// A career conversation booked, cancelled or taken off (to the professional and the adviser).
        case careerConversation = "career_conversation"

        public var label: String {
            switch self {
            case .applicationStatus: return "Sollicitatie"
            case .shiftProposed: return "Flexpool"
            case .waitlistPlace: return "Jeugd Academie"
            case .rotationRequest: return "Baanroulatie"
            case .duoRequest: return "Duobaan"
            case .courseWithdrawn: return "Jeugd Academie"
            case .accountMail: return "Account"
            case .shiftReturned: return "Flexpool"
            case .applicationReceived: return "Sollicitatie"
            case .shiftAssigned: return "Flexpool"
            case .credentialExpiry: return "VOG en registratie"
            case .jobAlert: return "Vacaturealert"
            case .postingClosing: return "Bewaarde vacature"
            case .reminder: return "Herinnering"
            case .interview: return "Gesprek"
            case .trainingWish: return "Jeugd Academie"
            case .careerConversation: return "Loopbaangesprek"
            }
        }
    }

    public let kind: Kind
    public let subject: String
    public let body: String
    /// A path in Doorstroom where the person acts on it.
    public let link: String?
    /// A path that stops mails of this kind in one click, without logging in (RFC 8058).
    public let unsubscribe: String?
    /// A calendar file that goes with the mail.
    public let attachment: CalendarFile?

    public init(kind: Kind, subject: String, body: String, link: String?, unsubscribe: String? = nil, attachment: CalendarFile? = nil) {
        self.kind = kind
        self.subject = String(subject.prefix(200))
        self.body = String(body.prefix(4000))
        self.link = link
        self.unsubscribe = unsubscribe
        self.attachment = attachment
    }

    /// The candidate booked (or moved to) an interview time; the calendar invitation goes with it.
    public static func interviewBooked(posting: String, organisation: String, during: TimeWindow, place: String, calendar: String, moved: Bool) -> AccountNotification {
        let when = shiftText(during)
        return AccountNotification(
            kind: .interview, subject: "\(moved ? "Nieuwe tijd" : "Gesprek") voor \"\(posting)\": \(when)",
            body: "Je gesprek met \(organisation) over \"\(posting)\" is op \(when), \(place). De agenda-uitnodiging zit bij deze mail."
                + " Kun je toch niet, annuleer of kies een andere tijd bij Mijn sollicitaties, tot 24 uur van tevoren.",
            link: "/mijn/sollicitaties", attachment: CalendarFile(name: "gesprek.ics", text: calendar))
    }

    /// The candidate cancelled their interview time.
    public static func interviewCancelled(posting: String, during: TimeWindow, calendar: String) -> AccountNotification {
        AccountNotification(
            kind: .interview, subject: "Gesprek geannuleerd: \"\(posting)\"",
            body: "Je gesprek over \"\(posting)\" op \(shiftText(during)) is geannuleerd. Kies bij Mijn sollicitaties een andere tijd als je dat wilt.",
            link: "/mijn/sollicitaties", attachment: CalendarFile(name: "gesprek.ics", text: calendar))
    }

    /// The organisation took back the time the candidate had booked.
    public static func interviewWithdrawn(posting: String, organisation: String, during: TimeWindow, calendar: String) -> AccountNotification {
        AccountNotification(
            kind: .interview, subject: "Gesprekstijd vervallen: \"\(posting)\"",
            body: "\(organisation) kan het gesprek over \"\(posting)\" op \(shiftText(during)) niet laten doorgaan. Kies bij Mijn sollicitaties een andere tijd.",
            link: "/mijn/sollicitaties", attachment: CalendarFile(name: "gesprek.ics", text: calendar))
    }

    /// For the posting's HR advisers: a candidate booked, moved or cancelled a time.
    /// No name: they see who it is in Doorstroom.
    public static func interviewChanged(posting: String, during: TimeWindow, booked: Bool, application: UUID) -> AccountNotification {
        AccountNotification(
            kind: .interview, subject: booked ? "Gesprekstijd gekozen voor \"\(posting)\"" : "Gesprekstijd vrijgegeven voor \"\(posting)\"",
            body: (booked ? "Een kandidaat heeft de tijd \(shiftText(during)) gekozen voor een gesprek over \"\(posting)\"."
                          : "Een kandidaat heeft de tijd \(shiftText(during)) voor \"\(posting)\" geannuleerd; die tijd is weer vrij."),
            link: "/beheer/sollicitaties/\(application.uuidString.lowercased())")
    }

    /// The professional booked a career conversation; the calendar invitation goes with it.
    public static func careerBooked(adviser: String, topic: CareerTopic, during: TimeWindow, place: String, calendar: String) -> AccountNotification {
        AccountNotification(
            kind: .careerConversation, subject: "Loopbaangesprek: \(shiftText(during))",
            body: "Je loopbaangesprek met \(adviser) (\(topic.label.lowercased())) is op \(shiftText(during)), \(place). De agenda-uitnodiging zit bij deze mail."
                + " Kun je toch niet, annuleer het dan bij Loopbaangesprek in Doorstroom, zodat een ander de tijd kan nemen.",
            link: "/mijn/loopbaangesprek", attachment: CalendarFile(name: "loopbaangesprek.ics", text: calendar))
    }

    /// The professional cancelled their career conversation.
    public static func careerCancelled(during: TimeWindow, calendar: String) -> AccountNotification {
        AccountNotification(
            kind: .careerConversation, subject: "Loopbaangesprek geannuleerd",
            body: "Je loopbaangesprek op \(shiftText(during)) is geannuleerd. Kies bij Loopbaangesprek een andere tijd als je dat wilt.",
            link: "/mijn/loopbaangesprek", attachment: CalendarFile(name: "loopbaangesprek.ics", text: calendar))
    }

    /// The adviser took back the time the professional had booked.
    public static func careerWithdrawn(adviser: String, during: TimeWindow, calendar: String) -> AccountNotification {
        AccountNotification(
            kind: .careerConversation, subject: "Loopbaangesprek gaat niet door",
            body: "\(adviser) kan het loopbaangesprek op \(shiftText(during)) niet laten doorgaan. Kies bij Loopbaangesprek een andere tijd.",
            link: "/mijn/loopbaangesprek", attachment: CalendarFile(name: "loopbaangesprek.ics", text: calendar))
    }

    /// For the adviser: someone booked or cancelled one of their times.
    public static func careerChanged(person: String, topic: CareerTopic, during: TimeWindow, booked: Bool) -> AccountNotification {
        AccountNotification(
            kind: .careerConversation, subject: booked ? "Loopbaangesprek geboekt: \(shiftText(during))" : "Loopbaangesprek geannuleerd: \(shiftText(during))",
            body: booked ? "\(person) heeft de tijd \(shiftText(during)) geboekt voor een loopbaangesprek over \(topic.label.lowercased())."
                         : "\(person) heeft het loopbaangesprek van \(shiftText(during)) geannuleerd; de tijd is weer vrij.",
            link: "/beheer/loopbaangesprekken")
    }

    /// The career conversation is tomorrow (about 24 hours).
    public static func careerReminder(adviser: String, during: TimeWindow, place: String) -> AccountNotification {
        AccountNotification(
            kind: .reminder, subject: "Morgen: loopbaangesprek",
            body: "Je loopbaangesprek met \(adviser) is \(shiftText(during)), \(place).",
            link: "/mijn/loopbaangesprek")
    }

    /// A provider answered a training wish the person asked for.
    public static func wishAnswered(topic: String, course: String, provider: String, starts: Day, offering: UUID) -> AccountNotification {
        AccountNotification(
            kind: .trainingWish, subject: "Je scholingswens \"\(topic)\" heeft een antwoord",
            body: "\(provider) biedt \"\(course)\" aan, vanaf \(starts.dutch), als antwoord op de scholingswens \"\(topic)\" die je deelde. Schrijf je in bij de Jeugd Academie.",
            link: "/academie/wensen")
    }

    /// The interview is tomorrow (about 24 hours).
    public static func interviewReminder(posting: String, organisation: String, during: TimeWindow, place: String) -> AccountNotification {
        AccountNotification(
            kind: .reminder, subject: "Morgen: gesprek over \"\(posting)\"",
            body: "Je gesprek met \(organisation) over \"\(posting)\" is \(shiftText(during)), \(place).",
            link: "/mijn/sollicitaties")
    }

    /// New postings for a saved search (`search`: how the search reads, `query`: its
    /// /vacatures query string), with the link that ends the alert.
    public static func jobAlert(search: String, query: String, postings: [(title: String, organisation: String, path: String)], token: String) -> AccountNotification {
        let count = postings.count
        let list = postings.prefix(30).map { "- \($0.title) (\($0.organisation))" }.joined(separator: "\n")
        return AccountNotification(
            kind: .jobAlert, subject: count == 1 ? "Nieuwe vacature: \(postings[0].title)" : "\(count) nieuwe vacatures voor \(search)",
            body: "Nieuw sinds het vorige bericht, voor je zoekopdracht \(search):\n\(list)"
                + (count > 30 ? "\n... en nog \(count - 30)." : "")
                + "\nGeen berichten meer over deze zoekopdracht? Gebruik de afmeldlink onderaan; inloggen is niet nodig.",
            link: "/vacatures" + (query.isEmpty ? "?sortering=nieuw" : "?" + query + "&sortering=nieuw"),
            unsubscribe: "/vacaturealerts/afmelden/" + token)
    }

    /// A saved posting closes in three days.
    public static func postingClosing(title: String, organisation: String, closes: Day, posting: UUID) -> AccountNotification {
        AccountNotification(
            kind: .postingClosing, subject: "Bewaarde vacature sluit \(closes.dutch): \(title)",
            body: "De vacature \"\(title)\" van \(organisation), die je hebt bewaard, sluit op \(closes.dutch). Wil je reageren, doe het dan voor die dag.",
            link: "/vacatures/\(posting.uuidString.lowercased())")
    }

    /// An application moved on by the HR adviser of the posting's organisation.
    public static func applicationMoved(
        postingTitle: String, organisation: String, to status: ApplicationStatus, rejection: (reason: RejectionReason, message: String)? = nil,
        interviewTimes: Int = 0
    ) -> AccountNotification {
        let body: String
        switch status {
        case .inReview: body = "\(organisation) neemt je sollicitatie op \"\(postingTitle)\" in behandeling."
        case .invited:
            body = "\(organisation) nodigt je uit voor een gesprek over \"\(postingTitle)\". "
                + (interviewTimes > 0 ? "Kies een tijd bij Mijn sollicitaties." : "Zodra er tijden zijn, kies je er een bij Mijn sollicitaties.")
        case .hired: body = "Gefeliciteerd: \(organisation) neemt je aan voor \"\(postingTitle)\"."
        case .rejected:
            body = "\(organisation) gaat niet verder met je sollicitatie op \"\(postingTitle)\"."
                + (rejection.map { "\nReden: \($0.reason.label).\n\n\($0.message)" } ?? "")
        case .submitted, .withdrawn: body = "Je sollicitatie op \"\(postingTitle)\" is nu: \(status.label.lowercased())."
        }
        return AccountNotification(kind: .applicationStatus, subject: "Sollicitatie \(status.label.lowercased()): \(postingTitle)",
                            body: body, link: "/mijn/sollicitaties")
    }

    /// The matching proposed the member for shifts; they accept or decline.
    public static func shiftsProposed(count: Int, first: TimeWindow, organisation: String) -> AccountNotification {
        let when = shiftText(first) + " bij " + organisation
        let subject = count == 1 ? "Een dienst voor je voorgesteld" : "\(count) diensten voor je voorgesteld"
        let body = count == 1
            ? "De flexpool stelt je voor een dienst voor: \(when). Neem hem aan of zeg af."
            : "De flexpool stelt je voor \(count) diensten voor, de eerste \(when). Neem ze aan of zeg af."
        return AccountNotification(kind: .shiftProposed, subject: subject, body: body, link: "/mijn/diensten")
    }

    /// A course the person enrolled for was withdrawn by its provider (and stayed so for an hour).
    public static func courseWithdrawn(course: String, provider: String, starts: Day) -> AccountNotification {
        AccountNotification(kind: .courseWithdrawn, subject: "Cursus teruggetrokken: \(course)",
                            body: "\(provider) heeft \"\(course)\" (start \(starts.dutch)) uit de catalogus gehaald. Je inschrijving blijft bewaard; komt de cursus terug, dan sta je er weer op.",
                            link: "/mijn/ontwikkeling")
    }

    /// A place came free on an offering whose waiting list the person was on.
    public static func waitlistPlace(course: String, starts: Day) -> AccountNotification {
        AccountNotification(kind: .waitlistPlace, subject: "Er is een plaats vrij: \(course)",
                     body: "Er kwam een plaats vrij bij \"\(course)\" (start \(starts.dutch)). Je staat nu ingeschreven.",
                     link: "/mijn/ontwikkeling")
    }
}

extension AccountNotification {
    /// A colleague proposes a rotation.
    public static func rotationProposed(by name: String, organisation: String, function: String, from: Day, until: Day) -> AccountNotification {
        AccountNotification(kind: .rotationRequest, subject: "Voorstel voor baanroulatie van \(name)",
                            body: "\(name) (\(function) bij \(organisation)) stelt voor om van \(from.dutch) tot en met \(until.dutch) van plek te ruilen. Zeg ja of nee.",
                            link: "/mijn/roulatie")
    }

    /// The partner answered the proposal.
    public static func rotationAnswered(by name: String, agreed: Bool) -> AccountNotification {
        AccountNotification(kind: .rotationRequest, subject: agreed ? "\(name) doet mee aan de roulatie" : "\(name) doet niet mee aan de roulatie",
                            body: agreed ? "\(name) zegt ja. Nu keuren de HR-adviseurs van jullie organisaties de roulatie goed."
                                : "\(name) heeft je voorstel voor baanroulatie afgewezen.",
                            link: "/mijn/roulatie")
    }

    /// An HR adviser is asked to approve (one of the two people works at their organisation).
    public static func rotationToApprove(_ first: String, _ second: String, from: Day, until: Day) -> AccountNotification {
        AccountNotification(kind: .rotationRequest, subject: "Roulatie goedkeuren: \(first) en \(second)",
                            body: "\(first) en \(second) willen van \(from.dutch) tot en met \(until.dutch) van plek ruilen en vragen je goedkeuring.",
                            link: "/beheer/roulaties")
    }

    /// Both HR advisers approved, or one did not.
    public static func rotationDecided(approved: Bool, from: Day, until: Day) -> AccountNotification {
        AccountNotification(kind: .rotationRequest, subject: approved ? "Je roulatie is goedgekeurd" : "Je roulatie is niet goedgekeurd",
                            body: approved ? "Beide HR-adviseurs keurden de roulatie van \(from.dutch) tot en met \(until.dutch) goed. Je staat die periode ingeroosterd bij de andere organisatie."
                                : "Een HR-adviseur keurde de roulatie van \(from.dutch) tot en met \(until.dutch) niet goed.",
                            link: "/mijn/roulatie")
    }
}

extension AccountNotification {
    /// A colleague names the person as duo partner on an application.
    public static func duoRequested(by name: String, postingTitle: String, organisation: String) -> AccountNotification {
        AccountNotification(kind: .duoRequest, subject: "\(name) wil samen met jou solliciteren",
                            body: "\(name) solliciteerde op de duobaan \"\(postingTitle)\" bij \(organisation) en noemt jou als duopartner. Bevestig het of zeg nee.",
                            link: "/mijn/sollicitaties")
    }

    /// The partner confirmed, or declined (the application goes on alone).
    public static func duoAnswered(by name: String, postingTitle: String, confirmed: Bool) -> AccountNotification {
        AccountNotification(kind: .duoRequest,
                            subject: confirmed ? "\(name) solliciteert samen met jou" : "\(name) solliciteert niet samen met jou",
                            body: confirmed ? "\(name) bevestigde dat jullie als duo solliciteren op \"\(postingTitle)\"."
                                : "\(name) zei nee op samen solliciteren op \"\(postingTitle)\". Je sollicitatie loopt door op je eigen naam.",
                            link: "/mijn/sollicitaties")
    }

    /// A member gave back a confirmed shift that starts within 48 hours.
    public static func shiftReturned(member: String, shift: TimeWindow, organisation: String, reason: String) -> AccountNotification {
        let when = shiftText(shift)
        return AccountNotification(
            kind: .shiftReturned, subject: "Dienst teruggegeven: \(when) bij \(organisation)",
            body: "\(member) geeft de dienst van \(when) bij \(organisation) terug, binnen 48 uur voor het begin. Reden: \(reason)\nDe plek staat weer open.",
            link: "/flexpool/coordinatie")
    }

    /// Someone applied to one of the organisation's postings. The applicant's name stays
    /// out of it (and out of the mail): the adviser sees it in Doorstroom, where erasure
    /// reaches it.
    public static func applicationReceived(postingTitle: String, kind: Posting.Kind, posting: UUID) -> AccountNotification {
        let what = kind == .shadowDay ? "aanmelding" : "sollicitatie"
        return AccountNotification(
            kind: .applicationReceived, subject: "Nieuwe \(what) op \"\(postingTitle)\"",
            body: "Er is een nieuwe \(what) binnen op \"\(postingTitle)\" (\(kind.label.lowercased())). Je vindt hem bij de sollicitaties van deze vacature.",
            link: "/beheer/sollicitaties?vacature=\(posting.uuidString.lowercased())")
    }

    /// A coordinator put the person on a shift by hand.
    public static func shiftAssigned(shift: TimeWindow, organisation: String) -> AccountNotification {
        let when = shiftText(shift)
        return AccountNotification(
            kind: .shiftAssigned, subject: "Je staat ingeroosterd: \(when) bij \(organisation)",
            body: "De flexpoolcoördinator heeft je ingeroosterd voor de dienst van \(when) bij \(organisation). Kun je toch niet, zeg dan af bij Mijn diensten.",
            link: "/mijn/diensten")
    }

    /// The person's own VOG or registration runs out on `lapsesOn`; `shifts` are their
    /// confirmed shifts that it would cost.
    public static func credentialExpiring(_ credential: String, lapsesOn: Day, today: Day, shifts: [TimeWindow]) -> AccountNotification {
        let what = credential == "VOG" ? "Je VOG" : "Je \(credential)-registratie"
        let days = AmsterdamTime.days(from: today, to: lapsesOn)
        let cost = shifts.isEmpty
            ? "Er staan geen bevestigde flexpooldiensten op of na die dag."
            : "Zonder nieuwe \(credential == "VOG" ? "VOG" : "registratie") vervallen deze bevestigde flexpooldiensten:\n"
                + shifts.map { "- " + shiftText($0) }.joined(separator: "\n")
        let renew = credential == "VOG"
            ? "Vraag op tijd een nieuwe VOG aan (dat duurt vaak enkele weken) en zet de nieuwe datum in je profiel."
            : "Verleng je registratie op tijd en zet de nieuwe einddatum in je profiel."
        return AccountNotification(
            kind: .credentialExpiry, subject: "\(what) verloopt op \(lapsesOn.dutch)",
            body: "\(what) verloopt op \(lapsesOn.dutch), over \(days) \(days == 1 ? "dag" : "dagen"). \(renew)\n\(cost)",
            link: "/mijn/profiel")
    }

    /// For the HR advisers of the person's organisation: no name in the message (the
    /// adviser sees it in Doorstroom, where erasure reaches it).
    public static func employeeCredentialExpiring(_ credential: String, lapsesOn: Day, shifts: Int) -> AccountNotification {
        let what = credential == "VOG" ? "een VOG" : "een \(credential)-registratie"
        return AccountNotification(
            kind: .credentialExpiry, subject: "Van een medewerker verloopt \(what) op \(lapsesOn.dutch)",
            body: "Van een van je medewerkers verloopt \(what) op \(lapsesOn.dutch)"
                + (shifts == 0 ? "." : "; daarna vallen \(shifts) bevestigde flexpool\(shifts == 1 ? "dienst" : "diensten") weg.")
                + " Wie het is en wat er verloopt, zie je bij VOG en registraties.",
            link: "/beheer/vog")
    }

    /// A confirmed shift starts in about 24 or 2 hours.
    public static func shiftReminder(shift: TimeWindow, organisation: String, place: String?, hoursBefore: Int) -> AccountNotification {
        let when = shiftText(shift)
        return AccountNotification(
            kind: .reminder, subject: hoursBefore <= 2 ? "Over 2 uur: dienst bij \(organisation)" : "Morgen: dienst bij \(organisation), \(when)",
            body: "Je dienst bij \(organisation) begint \(hoursBefore <= 2 ? "over ongeveer 2 uur" : "over ongeveer 24 uur"): \(when)."
                + (place.map { " Adres: \($0)." } ?? "") + " Kun je toch niet, zeg dan zo snel mogelijk af bij Mijn diensten.",
            link: "/mijn/diensten")
    }

    /// A course the person is enrolled for starts in 7 days or tomorrow.
    public static func courseReminder(course: String, provider: String, starts: Day, tomorrow: Bool) -> AccountNotification {
        AccountNotification(
            kind: .reminder, subject: tomorrow ? "Morgen begint: \(course)" : "Over een week begint: \(course)",
            body: "De cursus \"\(course)\" van \(provider), waarvoor je bent ingeschreven, begint \(tomorrow ? "morgen" : "over een week"), op \(starts.dutch)."
                + " Kun je niet, schrijf je dan uit, zodat iemand van de wachtlijst je plaats krijgt.",
            link: "/mijn/ontwikkeling")
    }

    /// A meeting the person registered for is in 7 days or tomorrow.
    public static func meetingReminder(title: String, during: TimeWindow, place: String, tomorrow: Bool, meeting: UUID) -> AccountNotification {
        AccountNotification(
            kind: .reminder, subject: tomorrow ? "Morgen: \(title)" : "Over een week: \(title)",
            body: "Je bent aangemeld voor \"\(title)\", \(shiftText(during)), \(place). Kun je niet, meld je dan af, zodat een ander je plaats krijgt.",
            link: "/ontmoetingen/\(meeting.uuidString.lowercased())")
    }

    /// A shift in a message: "di 01-12-2026 08:00–16:00".
    static func shiftText(_ window: TimeWindow) -> String {
        let day = Day(window.start)
        return AmsterdamTime.weekdayShort[AmsterdamTime.weekday(of: day) - 1] + " " + day.dutch + " "
            + AmsterdamTime.clock(window.start) + "–" + AmsterdamTime.clock(window.end)
    }
}
