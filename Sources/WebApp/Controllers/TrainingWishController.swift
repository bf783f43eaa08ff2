import Domain
import Foundation
import HTTPTypes
import Hummingbird
import Store

/// `/academie/wensen`: the network of training coordinators. Professionals state what
/// training they want (a topic, a short why) or say "ik ook" to a wish; everyone sees
/// the wishes by topic and organisation beside the academy's offer on that topic
/// (offerings to come, places left, waiting lists), so that gaps show; a provider's
/// HR adviser answers a wish with an offering, and everyone who asked is told.
struct TrainingWishController: RouteCollection {
    let store: Store
    let views: Views

    struct Page: Sendable {
        struct Wish: Sendable { let id: String; let why: String; let since: String; let supporters: Int; let mine: Bool; let answer: String?; let open: Bool }
        struct Topic: Sendable {
            let topic: String; let people: Int; let organisations: String; let offer: String; let gap: Bool; let wishes: [Wish]
        }
        let chrome: Chrome
        let topics: [Topic]
        let hasTopics: Bool
        let canWish: Bool
        let canAnswer: Bool
        let offerings: [Option]
        let hasOfferings: Bool
        let knownTopics: [String]
        let topicField: Input
        let whyField: Field
        let errorSummary: ErrorSummary
        let error: String?
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.group("/academie/wensen").add(middleware: RequireRole(.professional, .hrAdviser, .coordinator, .admin))
            .get(use: show)
        router.group("/academie/wensen").add(middleware: RequireRole(.professional))
            .post(use: add)
            .post(":id/ikook", use: support)
        router.group("/academie/wensen").add(middleware: RequireRole(.hrAdviser))
            .post(":id/antwoord", use: answer)
    }

    static let notices = [
        "wens": "Je wens staat erbij. Anderen kunnen zeggen dat ze hem ook hebben; aanbieders zien hem.",
        "ikook": "Je telt mee bij deze wens.",
        "beantwoord": "De wens is beantwoord; iedereen die erom vroeg, krijgt bericht.",
    ]

    /// GET /academie/wensen
    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let notice = request.uri.queryParameters["gelukt"].flatMap { Self.notices[String($0)] }
        return try await page(context, form: FormData(""), errors: nil, error: nil, notice: notice, status: .ok)
    }

    /// POST /academie/wensen: a new wish (`topic`, `why`).
    @Sendable func add(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let form = try context.requireForm()
        var errors = ValidationErrors()
        let topic = LearningNetworkStore.topic(form["topic"])
        let why = form["why"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !(2...60).contains(topic.count) { errors.add("topic", "Geef een onderwerp van 2 tot 60 tekens, bijvoorbeeld \"trauma\" of \"agressie\".") }
        if !(5...500).contains(why.count) { errors.add("why", "Zeg in een paar woorden waarom (5 tot 500 tekens).") }
        guard errors.isEmpty else { return try await page(context, form: form, errors: errors, error: nil, notice: nil, status: .unprocessableContent) }
        _ = try await store.learning.addWish(topic: topic, why: why, by: account.id)
        return Response.redirect(to: "/academie/wensen?gelukt=wens", type: .normal)
    }

    /// POST /academie/wensen/:id/ikook
    @Sendable func support(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        guard try await store.learning.support(try context.parameters.requireID(), by: account.id) else { throw HTTPError(.notFound) }
        return Response.redirect(to: "/academie/wensen?gelukt=ikook", type: .normal)
    }

    /// POST /academie/wensen/:id/antwoord: `offering`, one of the adviser's organisation's.
    @Sendable func answer(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = try context.requireAccount()
        let id = try context.parameters.requireID()
        guard let offering = UUID(uuidString: try context.requireForm()["offering"]) else {
            return try await page(context, form: FormData(""), errors: nil, error: "Kies een uitvoering om de wens mee te beantwoorden.", notice: nil,
                                  status: .unprocessableContent)
        }
        do {
            try await store.learning.answer(id, with: offering, organisations: account.organisations(as: .hrAdviser), by: account.id, today: Day(Date()))
        } catch let failure as LearningNetworkStore.WishFailure {
            switch failure {
            case .notFound: throw HTTPError(.notFound)
            case .notAnOffering:
                return try await page(context, form: FormData(""), errors: nil, error: "Kies een uitvoering van je eigen organisatie die nog moet beginnen.",
                                      notice: nil, status: .unprocessableContent)
            case .alreadyAnswered:
                return try await page(context, form: FormData(""), errors: nil, error: "Deze wens is al beantwoord.", notice: nil, status: .conflict)
            }
        }
        return Response.redirect(to: "/academie/wensen?gelukt=beantwoord", type: .normal)
    }

    private func page(
        _ context: AppRequestContext, form: FormData, errors: ValidationErrors?, error: String?, notice: String?, status: HTTPResponse.Status
    ) async throws -> Response {
        let account = try context.requireAccount()
        let today = Day(Date())
        let topics = try await store.learning.network(viewer: account.id, today: today)
        let offerings = account.has(.hrAdviser)
            ? try await store.learning.answerableOfferings(organisations: account.organisations(as: .hrAdviser), today: today) : []
        let known = try await store.academy.topics()
        return try views.page(.trainingWishes, Page(
            chrome: Chrome(title: "Scholingswensen", context: context, path: "/academie/wensen", notice: notice),
            topics: topics.map { topic in
                let offer = topic.offerings == 0 ? "geen uitvoeringen gepland"
                    : "\(topic.offerings) \(topic.offerings == 1 ? "uitvoering" : "uitvoeringen") gepland, "
                        + (topic.placesLeft.map { "\($0) \($0 == 1 ? "plaats" : "plaatsen") vrij" } ?? "plaats genoeg")
                        + (topic.waiting > 0 ? ", \(topic.waiting) op een wachtlijst" : "")
                return .init(
                    topic: topic.topic, people: topic.people,
                    organisations: topic.perOrganisation.map { "\($0.name) \($0.people)" }.joined(separator: ", "),
                    offer: offer, gap: topic.people > 0 && (topic.offerings == 0 || topic.placesLeft == 0),
                    wishes: topic.wishes.map { wish in
                        .init(id: wish.id.lowercased, why: wish.why, since: wish.createdAt.dutchDay, supporters: wish.supporters, mine: wish.mine,
                              answer: wish.answer.map { "Beantwoord: \($0.course) van \($0.provider), vanaf \($0.starts.dutch)" }, open: wish.answer == nil)
                    })
            },
            hasTopics: !topics.isEmpty,
            canWish: account.has(.professional), canAnswer: account.has(.hrAdviser),
            offerings: offerings.map { Option(value: $0.id.lowercased, label: $0.label, selected: false) }, hasOfferings: !offerings.isEmpty,
            knownTopics: known,
            topicField: Input("topic", "Onderwerp", value: form["topic"], error: errors?["topic"], hint: "Een onderwerp van de academie, of een nieuw"),
            whyField: Field(form["why"], error: errors?["why"]),
            errorSummary: ErrorSummary(errors, intro: "Je wens is niet opgeslagen. Dit moet nog anders:"),
            error: error), status: status)
    }
}
