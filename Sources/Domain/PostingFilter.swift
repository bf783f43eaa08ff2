/// What a visitor searches for in the vacancy bank, from the page's or the API's query.
public struct PostingFilter: Sendable, Hashable {
    public enum Sort: String, Sendable { case relevance, newest }

    public var text: String = ""
    public var kind: Posting.Kind?
    public var organisationSlug: String?
    public var functionCode: String?
    public var discipline: Discipline?
    public var educationLevel: EducationLevel?
    public var municipality: Municipality?
    public var minHours: Int?
    public var maxHours: Int?
    public var duoOnly = false
    public var sort: Sort = .relevance
    public var page = 1

    public static let pageSize = 20

    public init() {}

    /// The Dutch query parameters of a search's choices (the page and sort aside).
    public static let dutchNames = ["q", "soort", "organisatie", "functie", "discipline", "niveau", "gemeente", "uren_min", "uren_max", "duobaan"]

    /// Reads the page's Dutch query parameters (`q`, `soort`, `organisatie`, ...).
    /// Unknown values are ignored, never an error: a link with an old value still works.
    public init(dutch query: [String: String]) {
        text = String((query["q"] ?? "").prefix(200))
        kind = query["soort"].flatMap(Posting.Kind.init(urlName:))
        organisationSlug = query["organisatie"].flatMap { Slug.isValid($0) ? $0 : nil }
        functionCode = query["functie"].flatMap { Slug.isValid($0) ? $0 : nil }
        discipline = query["discipline"].flatMap(Discipline.init(rawValue:))
        educationLevel = query["niveau"].flatMap { EducationLevel(rawValue: $0.lowercased()) }
        municipality = query["gemeente"].flatMap(Municipality.init(rawValue:))
        minHours = query["uren_min"].flatMap(Int.init).flatMap { (1...40).contains($0) ? $0 : nil }
        maxHours = query["uren_max"].flatMap(Int.init).flatMap { (1...40).contains($0) ? $0 : nil }
        duoOnly = ["1", "ja", "true", "on"].contains(query["duobaan"] ?? "")
        sort = query["sortering"] == "nieuw" ? .newest : .relevance
        page = query["pagina"].flatMap(Int.init).map { min(max($0, 1), 10_000) } ?? 1
    }

    /// Reads the API's English query parameters.
    public init(english query: [String: String]) {
        self.init(dutch: [
            "q": query["q"] ?? "", "soort": query["kind"].flatMap { Posting.Kind(rawValue: $0)?.urlName } ?? "",
            "organisatie": query["organisation"] ?? "", "functie": query["function"] ?? "",
            "discipline": query["discipline"] ?? "", "niveau": query["education_level"] ?? "",
            "gemeente": query["municipality"] ?? "", "uren_min": query["hours_min"] ?? "", "uren_max": query["hours_max"] ?? "",
            "duobaan": query["duo"] ?? "", "sortering": query["sort"] == "newest" ? "nieuw" : "", "pagina": query["page"] ?? "",
        ])
    }

    /// The Dutch query parameters of this filter, for links that keep it (paging, feed).
    public func dutchQuery(page: Int? = nil) -> [(String, String)] {
        var items: [(String, String)] = []
        if !text.isEmpty { items.append(("q", text)) }
        if let kind { items.append(("soort", kind.urlName)) }
        if let organisationSlug { items.append(("organisatie", organisationSlug)) }
        if let functionCode { items.append(("functie", functionCode)) }
        if let discipline { items.append(("discipline", discipline.rawValue)) }
        if let educationLevel { items.append(("niveau", educationLevel.rawValue)) }
        if let municipality { items.append(("gemeente", municipality.rawValue)) }
        if let minHours { items.append(("uren_min", String(minHours))) }
        if let maxHours { items.append(("uren_max", String(maxHours))) }
        if duoOnly { items.append(("duobaan", "ja")) }
        if sort == .newest { items.append(("sortering", "nieuw")) }
        if let page, page > 1 { items.append(("pagina", String(page))) }
        return items
    }
}

extension PostingFilter {
    /// The words of the search as typed, in lower case: runs of letters, with hyphens
    /// inside a word (`jeugd-ggz`).
    public var words: [String] {
        text.lowercased()
            .split { !($0.isLetter || $0 == "-") }
            .map { String($0.drop { $0 == "-" }.reversed().drop { $0 == "-" }.reversed()) }
            .filter { !$0.isEmpty }
    }

    /// The same words and order, without any other filter, from the first page.
    public var withoutFilters: PostingFilter {
        var bare = PostingFilter()
        bare.text = text
        bare.sort = sort
        return bare
    }

    /// Whether a filter besides the words is set.
    public var hasFilters: Bool {
        var words = withoutFilters
        words.page = page
        return words != self
    }
}
