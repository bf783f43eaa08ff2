import Domain
import Foundation
import Hummingbird
import Store

/// The home page: a search ("wat" and "waar"), how many postings of each kind there
/// are, the newest ones, and the next academy offerings and meetings. A logged-in
/// person finds their own start page at /mijn.
struct HomeController: RouteCollection {
    @VisitorReads var store: Store
    let views: Views

    struct Page: Sendable {
        /// `count` as people read it: "meer dan 1.000" past the count's cap.
        struct Count: Sendable { let label: String; let count: String; let href: String }
        struct Line: Sendable { let text: String; let meta: String; let href: String }
        let chrome: Chrome
        let loggedIn: Bool
        let name: String?
        let municipalities: [Option]
        let counts: [Count]
        let newest: [Line]
        let courses: [Line]
        let meetings: [Line]
    }

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("/", use: home)
    }

    // MARK: - Handlers

    /// GET /
    @Sendable func home(_ request: Request, context: AppRequestContext) async throws -> Response {
        let account = context.account
        let now = Date()
        let viewer = PostingViewer(seesInternal: try await store.postings.seesInternal(account))
        var counts: [Page.Count] = []
        for kind in Posting.Kind.allCases {
            var filter = PostingFilter()
            filter.kind = kind
            let found = try await store.postings.count(filter, viewer: viewer)
            let count = found.isCapped ? "meer dan \(found.total.formatted(.number.locale(Locale(identifier: "nl_NL"))))" : String(found.total)
            counts.append(.init(label: kind.pluralLabel, count: count, href: URLComponentsLite(path: "/vacatures", query: [("soort", kind.urlName)]).string))
        }
        var newestFilter = PostingFilter()
        newestFilter.sort = .newest
        let newest = try await store.postings.search(newestFilter, viewer: viewer).postings.prefix(5)
        // The search lists courses with a next start first, soonest first.
        let courses = try await store.academy.search(AcademyStore.Filter(), today: Day(now), limit: 5).filter { $0.nextStart != nil }
        let meetings = try await store.meetings.upcoming(after: now, limit: 5)
        return try views.page(.home, Page(
            chrome: Chrome(
                title: "Doorstroom", context: context, path: request.uri.path,
                notice: request.uri.queryParameters["gewist"] == "1" && account == nil
                    ? "Je account is verwijderd en je bent uitgelogd. Wat je identificeerde is gewist." : nil),
            loggedIn: account != nil, name: account?.displayName,
            municipalities: Choices.municipalities(""),
            counts: counts,
            newest: newest.map { .init(text: $0.details.title, meta: "\($0.organisationName) · \($0.details.kind.label)", href: "/vacatures/\($0.id.lowercased)") },
            courses: courses.map { .init(text: $0.course.record.name, meta: "\($0.course.organisationName) · vanaf \($0.nextStart!.dutch)", href: "/academie/\($0.course.id.lowercased)") },
            meetings: meetings.map { .init(text: $0.title, meta: "\(FlexpoolText.when($0.during)) · \($0.place)", href: "/ontmoetingen/\($0.id.lowercased)") }
        ))
    }
}
