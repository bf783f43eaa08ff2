import Domain
import Foundation
import Hummingbird
import Store

/// Job rotation. `/mijn/roulatie`: a professional who is open to rotation and may be
/// contacted about it sees the colleagues of the same function at other member
/// organisations who are too, proposes a period with one, answers proposals and
/// withdraws their own. `/beheer/roulaties`: the HR adviser of each person's
/// organisation approves or rejects; after both approve it is a temporary move.
struct RotationController: RouteCollection {
    let store: Store
    let views: Views

    struct Line: Sendable {
        let id: String
        let with: String
        let withOrganisation: String
        let function: String
        let period: String
        let status: String
        let message: String?
        let canAnswer: Bool
        let canWithdraw: Bool
    }

    struct MyPage: Sendable {
        struct Candidate: Sendable { let id: String; let name: String; let organisation: String; let function: String; let areas: String; let hours: Int?; let selected: Bool }
        let chrome: Chrome
        let eligible: Bool
        let missingInterest: Bool
        let missingConsent: Bool
        let candidates: [Candidate]
        let hasCandidates: Bool
        let start: Field
        let end: Field
        let message: Field
        let partnerError: String?
        let errorSummary: ErrorSummary
        let hasErrors: Bool
        let rotations: [Line]
        let hasRotations: Bool
    }

    struct HRPage: Sendable {
        struct Row: Sendable {
            let id: String
            let proposer: String
            let partner: String
            let function: String
            let period: String
            let status: String
            let waitingForUs: Bool
            let organisation: String
        }
        let chrome: Chrome
        let rows: [Row]
        let hasRows: Bool
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/mijn/roulatie").add(middleware: RequireRole(.professional))
            .get(use: myRotation)
            .post("voorstel", use: propose)
            .post(":id/antwoord", use: answer)
            .post(":id/intrekken", use: withdraw)
        router.group("/beheer/roulaties").add(middleware: RequireRole(.hrAdviser))
            .get(use: hrRotations)
            .post(":id", use: decide)
    }

    // MARK: - Handlers

    /// GET /mijn/roulatie
    @Sendable func myRotation(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let notice = Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""]
        return try await myPage(context, account, form: nil, errors: nil, partnerError: nil, notice: notice, status: .ok)
    }

    /// POST /mijn/roulatie/voorstel
    @Sendable func propose(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let eligibility = try await isEligible(account)
        guard eligibility.interest && eligibility.consent else {
            return try await myPage(context, account, form: form, errors: nil, partnerError: nil,
                                    notice: "Om een roulatie voor te stellen sta je open voor roulatie en mogen collega's je benaderen; zie hieronder.",
                                    status: .unprocessableContent)
        }
        let partner = UUID(uuidString: form["partner"])
        do {
            let proposal = try RotationProposal.parse(start: form["start"], end: form["end"], message: form["message"], today: Day(Date()))
            guard let partner else {
                return try await myPage(context, account, form: form, errors: nil, partnerError: "Kies met wie je wilt rouleren.", notice: nil, status: .unprocessableContent)
            }
            _ = try await store.rotations.propose(by: account.id, with: partner, proposal)
            return Response.redirect(to: "/mijn/roulatie?gelukt=voorgesteld", type: .normal)
        } catch let errors as ValidationErrors {
            return try await myPage(context, account, form: form, errors: errors, partnerError: partner == nil ? "Kies met wie je wilt rouleren." : nil,
                                    notice: nil, status: .unprocessableContent)
        } catch let failure as RotationStore.Failure {
            let message = failure == .noCurrentJob
                ? "Je hebt geen lopend dienstverband bij een lid-organisatie; vul je loopbaan aan bij je HR-adviseur."
                : "Met deze collega kun je (nu) niet rouleren."
            return try await myPage(context, account, form: form, errors: nil, partnerError: message, notice: nil, status: .conflict)
        }
    }

    /// POST /mijn/roulatie/:id/antwoord
    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let id = try context.parameters.requireID()
        guard try await store.rotations.mine(account.id).contains(where: { $0.id == id && $0.partnerID == account.id })
        else { throw HTTPError(.notFound) }
        do {
            try await store.rotations.answer(id, by: account.id, agree: form["antwoord"] == "ja")
        } catch RotationStore.Failure.overlaps {
            return try await myPage(context, account, form: nil, errors: nil, partnerError: nil,
                                    notice: "Je hebt in die periode al een afgesproken roulatie; deze kun je niet ook aannemen.", status: .conflict)
        } catch RotationStore.Failure.notAllowed {
            return try await myPage(context, account, form: nil, errors: nil, partnerError: nil,
                                    notice: "Op dit voorstel kun je niet meer antwoorden.", status: .conflict)
        }
        return Response.redirect(to: "/mijn/roulatie?gelukt=" + (form["antwoord"] == "ja" ? "ja" : "nee"), type: .normal)
    }

    /// POST /mijn/roulatie/:id/intrekken
    @Sendable func withdraw(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard try await store.rotations.mine(account.id).contains(where: { $0.id == id && $0.proposerID == account.id })
        else { throw HTTPError(.notFound) }
        do {
            try await store.rotations.withdraw(id, by: account.id)
        } catch RotationStore.Failure.notAllowed {
            return try await myPage(context, account, form: nil, errors: nil, partnerError: nil,
                                    notice: "Deze roulatie kun je niet meer intrekken.", status: .conflict)
        }
        return Response.redirect(to: "/mijn/roulatie?gelukt=ingetrokken", type: .normal)
    }

    /// GET /beheer/roulaties
    @Sendable func hrRotations(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        return try await hrPage(context, account, notice: Self.notices[request.uri.queryParameters["gelukt"].map(String.init) ?? ""], status: .ok)
    }

    /// POST /beheer/roulaties/:id
    @Sendable func decide(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        let organisations = account.organisations(as: .hrAdviser)
        let id = try context.parameters.requireID()
        guard let line = try await store.rotations.forHR(organisations, id: id).first
        else { throw HTTPError(.notFound) }
        let approve = form["besluit"] == "goedkeuren"
        var decided = false
        for organisation in organisations where [line.proposerHomeID, line.partnerHomeID].contains(organisation) && !line.approvedBy.contains(organisation) {
            do {
                try await store.rotations.decide(id, organisation: organisation, by: account.id, approve: approve)
                decided = true
            } catch RotationStore.Failure.overlaps {
                return try await hrPage(context, account, notice: "Een van beiden werkte in die periode al bij de andere organisatie; de roulatie is niet goedgekeurd.", status: .conflict)
            } catch RotationStore.Failure.notAllowed {
                break
            }
        }
        guard decided else {
            return try await hrPage(context, account, notice: "Over deze roulatie is al besloten.", status: .conflict)
        }
        return Response.redirect(to: "/beheer/roulaties?gelukt=" + (approve ? "goedgekeurd" : "afgewezen"), type: .normal)
    }

    static let notices = [
        "voorgesteld": "Je voorstel is verstuurd. Je collega krijgt er een melding van.",
        "ja": "Je doet mee. De HR-adviseurs van jullie organisaties keuren de roulatie nu goed.",
        "nee": "Je hebt het voorstel afgewezen.",
        "ingetrokken": "Je voorstel is ingetrokken.",
        "goedgekeurd": "Je goedkeuring is vastgelegd.",
        "afgewezen": "De roulatie is niet goedgekeurd; beide collega's krijgen een melding.",
    ]

    private func isEligible(_ account: Account) async throws -> (interest: Bool, consent: Bool) {
        let interests = try await store.professionals.find(accountID: account.id)?.interests ?? []
        let consents = try await store.profiles.consents(of: account.id)
        return (interests.contains(.rotation), consents.contains(.contactMobility))
    }

    private func period(_ line: RotationLine) -> String { "\(line.startsOn.dutch) t/m \(line.endsOn.dutch)" }

    private func myPage(
        _ context: AppRequestContext, _ account: Account, form: FormData?, errors: ValidationErrors?, partnerError: String?,
        notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let (interest, consent) = try await isEligible(account)
        let candidates = interest && consent ? try await store.rotations.candidates(for: account.id) : []
        let rotations = try await store.rotations.mine(account.id)
        let chosen = form?["partner"] ?? ""
        return try views.page(.myRotation, MyPage(
            chrome: Chrome(title: "Baanroulatie", context: context, path: "/mijn/roulatie", notice: notice),
            eligible: interest && consent, missingInterest: !interest, missingConsent: !consent,
            candidates: candidates.map {
                .init(id: $0.accountID.uuidString.lowercased(), name: $0.name, organisation: $0.organisation, function: $0.functionName,
                      areas: $0.areas.joined(separator: ", "), hours: $0.hoursPerWeek, selected: $0.accountID.uuidString.lowercased() == chosen)
            },
            hasCandidates: !candidates.isEmpty,
            start: Field(form?["start"] ?? "", error: errors?["start"]),
            end: Field(form?["end"] ?? "", error: errors?["end"]),
            message: Field(form?["message"] ?? "", error: errors?["message"]),
            partnerError: partnerError,
            errorSummary: ErrorSummary(
                { var all = errors ?? ValidationErrors(); if let partnerError { all.add("partner", partnerError) }; return all }(),
                intro: "Je voorstel is niet verstuurd. Dit moet nog anders:"),
            hasErrors: partnerError != nil || !(errors?.isEmpty ?? true),
            rotations: rotations.map { line in
                let proposedByMe = line.proposerID == account.id
                return Line(
                    id: line.id.uuidString.lowercased(), with: proposedByMe ? line.partnerName : line.proposerName,
                    withOrganisation: proposedByMe ? line.partnerHome : line.proposerHome, function: line.functionName,
                    period: period(line), status: line.status.label, message: line.message.isEmpty ? nil : line.message,
                    canAnswer: !proposedByMe && line.status == .proposed, canWithdraw: proposedByMe && line.status.isOpen)
            },
            hasRotations: !rotations.isEmpty),
            status: status)
    }

    private func hrPage(_ context: AppRequestContext, _ account: Account, notice: String?, status: HTTPResponse.Status) async throws -> Response {
        let organisations = account.organisations(as: .hrAdviser)
        let names = Dictionary(uniqueKeysWithValues: try await store.organisations.all().map { ($0.id, $0.name) })
        let lines = try await store.rotations.forHR(organisations)
        return try views.page(.hrRotations, HRPage(
            chrome: Chrome(title: "Roulaties", context: context, path: "/beheer/roulaties", notice: notice),
            rows: lines.map { line in
                let ours = [line.proposerHomeID, line.partnerHomeID].filter(organisations.contains)
                return .init(
                    id: line.id.uuidString.lowercased(), proposer: "\(line.proposerName) (\(line.proposerHome))",
                    partner: "\(line.partnerName) (\(line.partnerHome))", function: line.functionName, period: period(line),
                    status: line.status.label,
                    waitingForUs: line.status == .agreed && ours.contains { !line.approvedBy.contains($0) },
                    organisation: ours.compactMap { names[$0] }.joined(separator: ", "))
            },
            hasRows: !lines.isEmpty),
            status: status)
    }
}
