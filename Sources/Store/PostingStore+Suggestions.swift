import Domain
import PQ

/// A search near one that found nothing, which does find postings.
public struct SearchSuggestion: Sendable, Equatable {
    public enum Reason: Sendable, Equatable {
        /// The words, each one no posting or course uses replaced by the most similar
        /// word that one does ("Bedoelde je: jeugdhulpverlener?").
        case spelling
        /// The words but one (spelled right).
        case without(word: String)
        /// The words but a municipality's name, with that municipality as the filter
        /// (the texts seldom name the place: the posting's municipality says it).
        case inMunicipality(Municipality)
        /// The same words without the other filters.
        case withoutFilters
    }

    public let reason: Reason
    /// The search to offer (its first page).
    public let filter: PostingFilter
    public let total: Int
    public let isCapped: Bool
}

extension PostingStore {
    /// Searches near `filter` that find postings for this viewer, for a search that
    /// found none: first the spelling corrected, then the words but a place's name
    /// with that place as the filter, the words but one, and the words without the
    /// other filters, those finding most first. Each is counted as the search itself
    /// counts, so none is offered that would find nothing.
    public func suggestions(for filter: PostingFilter, viewer: PostingViewer, limit: Int = 3) async throws -> [SearchSuggestion] {
        var first = filter
        first.page = 1
        let typed = first.words
        let words = typed.isEmpty ? typed : try await correctedSpelling(of: typed)
        func searching(_ words: [String], _ change: (inout PostingFilter) -> Void = { _ in }) -> PostingFilter {
            var changed = first
            changed.text = words.joined(separator: " ")
            change(&changed)
            return changed
        }
        var candidates: [(SearchSuggestion.Reason, PostingFilter)] = []
        if words != typed { candidates.append((.spelling, searching(words))) }
        for (index, word) in words.enumerated().prefix(6) where words.count > 1 {
            let others = words.enumerated().filter { $0.offset != index }.map(\.element)
            if first.municipality == nil,
               let place = Municipality.allCases.first(where: { $0.rawValue == word || $0.name.lowercased() == word }) {
                candidates.append((.inMunicipality(place), searching(others) { $0.municipality = place }))
            }
            candidates.append((.without(word: typed[index]), searching(others)))
        }
        if first.hasFilters { candidates.append((.withoutFilters, searching(words) { $0 = $0.withoutFilters })) }

        var found: [SearchSuggestion] = []
        for (reason, candidate) in candidates where !found.contains(where: { $0.filter == candidate }) {
            let (total, isCapped) = try await count(candidate, viewer: viewer)
            if total > 0 { found.append(SearchSuggestion(reason: reason, filter: candidate, total: total, isCapped: isCapped)) }
        }
        let spelling = found.filter { $0.reason == .spelling }
        let others = found.filter { $0.reason != .spelling }.enumerated()
            .sorted { ($0.element.total, -$0.offset) > ($1.element.total, -$1.offset) }.map(\.element)
        return Array((spelling + others).prefix(limit))
    }

    /// The words, each one that no posting or course uses (and that is not a stop
    /// word or shorter than three letters) replaced by the used word most similar to
    /// it by trigrams, when one is similar enough (a similarity of 0.5 or more: close
    /// enough for "jeugdhulpverlner", not for taking "amstel" for "amsterdam").
    func correctedSpelling(of words: [String]) async throws -> [String] {
        try await db.query(
            """
            SELECT coalesce(
                CASE WHEN length(q.word) < 3 OR ts_lexize('dutch_stem', q.word) = '{}'
                       OR EXISTS (SELECT FROM search_word v WHERE v.word = q.word) THEN q.word END,
                (SELECT v.word FROM search_word v WHERE v.word % q.word AND similarity(v.word, q.word) >= 0.5
                 ORDER BY v.word <-> q.word, v.word LIMIT 1),
                q.word)
            FROM unnest(\(words)::text[]) WITH ORDINALITY AS q(word, position)
            ORDER BY q.position
            """
        ).decode(String.self)
    }
}
