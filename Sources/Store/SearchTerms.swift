import PQ

/// How a search's words become a Dutch text query.
///
/// Each word is stemmed by PostgreSQL's Dutch dictionary and matches as a prefix, so
/// `zoeken` (stem `zoek`) finds `zoekt` and `begeleider` finds `begeleiders`. A stem
/// ending in t or d (five letters or more) also matches without it (`werkt` finds
/// `werken`), and one ending in "es" (six or more) without that, for the plurals the
/// Dutch stemmer leaves (`gezinscoaches` finds `gezinscoach`, `stages` finds `stage`).
/// These are the word's *roots*.
///
/// A word also finds the compounds it ends or sits in: the stems of the words that
/// postings and courses use (`search_word`, migration 0023) that hold one of its roots
/// of four letters or more after a part of three letters or more (`begeleider` finds
/// `woonbegeleider` and `gezinsbegeleider`, `coach` finds `gezinscoach`), unless that
/// part is only Dutch prefixes (be, ge, ver, ont, her, mis, er, te: `werk` does not
/// find `verwerking`) or ends in one that makes a word of its own with the root
/// (bege, be, ver, ont: `leider` does not find `begeleider` or `werkbegeleider`). The
/// hundred shortest of those are taken.
///
/// The words of a search all have to match (AND); a word's roots and compounds are
/// alternatives (OR). Statements with these terms are planned for the words each time
/// (`SQL.plannedEachTime`): a rare word and a common one want different plans.
enum SearchTerms {
    /// One word of a search as it matches.
    struct Word: Sendable, Equatable {
        /// Stems it matches as a prefix.
        let roots: [String]
        /// Stems of known compound words it matches exactly.
        let compounds: Set<String>

        /// Whether a stem of a text matches this word.
        func matches(_ lexeme: String) -> Bool {
            compounds.contains(lexeme) || roots.contains { lexeme.hasPrefix($0) }
        }
    }

    /// The most compounds one root expands to.
    static let compoundLimit = 100

    /// The words of a search, a row each: its Dutch stem (`lexeme`), its `roots` and
    /// `compounds` (text arrays). No row for stop words.
    static func terms(_ text: String) -> SQL {
        SQL(plannedEachTime: """
        SELECT w.lexeme, w.roots, ARRAY(
            SELECT c.lexeme FROM (
                SELECT DISTINCT v.lexeme FROM search_word v, unnest(w.roots) AS r(root)
                WHERE length(r.root) >= 4 AND v.lexeme LIKE '%' || r.root || '%'
                  AND strpos(v.lexeme, r.root) >= 4
                  AND left(v.lexeme, strpos(v.lexeme, r.root) - 1) !~ '^(be|ge|ver|ont|her|mis|er|te)+$|(bege|be|ver|ont)$'
            ) AS c
            ORDER BY length(c.lexeme), c.lexeme LIMIT \(Self.compoundLimit)
        ) AS compounds
        FROM (
            SELECT s.lexeme, ARRAY(
                SELECT DISTINCT r FROM unnest(ARRAY[
                    s.lexeme,
                    CASE WHEN length(s.lexeme) >= 5 AND right(s.lexeme, 1) IN ('t', 'd') THEN left(s.lexeme, -1) END,
                    CASE WHEN length(s.lexeme) >= 6 AND right(s.lexeme, 2) = 'es' THEN left(s.lexeme, -2) END
                ]) AS r WHERE r IS NOT NULL ORDER BY r
            ) AS roots
            FROM unnest(to_tsvector('dutch', \(text))) AS s
        ) AS w
        """)
    }

    /// The tsquery over the rows named `rows` of `terms` (NULL when there are none):
    /// each word its roots as prefixes or its compounds, all words required.
    static func tsquery(over rows: SQL) -> SQL {
        """
        SELECT string_agg('(' || array_to_string(
                   ARRAY(SELECT quote_literal(r) || ':*' FROM unnest(t.roots) AS r)
                   || ARRAY(SELECT quote_literal(c) FROM unnest(t.compounds) AS c), ' | ') || ')', ' & ')::tsquery
        FROM \(rows) AS t
        """
    }

    /// The tsquery of a search's words in one expression: the plain definition.
    static func tsquery(_ text: String) -> SQL {
        "WITH terms AS (\(terms(text))) \(tsquery(over: "terms"))"
    }
}
