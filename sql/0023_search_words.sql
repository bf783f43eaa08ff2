-- Doorstroom 0023: the words of the vacancy bank and the academy, so that a search
-- understands Dutch compounds and offers corrections.
--
-- `search_word` holds every word a posting or a course has used (lower case, as
-- written) with its Dutch stem. A search word then also finds the compounds that end
-- in it or hold it ("begeleider" finds "woonbegeleider", "coach" finds
-- "gezinscoach"), and a word no text holds is compared by trigrams with the words
-- that are there ("jeugdhulpverlner": "Bedoelde je: jeugdhulpverlener?").
--
-- Words are only added, by the statements that write postings and courses; a word
-- whose last posting went still expands a search to a stem no text holds, which
-- finds nothing more, and a suggestion is only offered when it finds something.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE search_word (
    word text PRIMARY KEY CHECK (length(word) BETWEEN 2 AND 60 AND word !~ '[[:space:][:digit:]]'),
    lexeme text NOT NULL CHECK (length(lexeme) BETWEEN 1 AND 60)
);
-- Compounds are found by a part of their stem; corrections by similarity of the word.
CREATE INDEX search_word_lexeme_idx ON search_word USING gin (lexeme gin_trgm_ops);
CREATE INDEX search_word_word_idx ON search_word USING gist (word gist_trgm_ops);

-- The words of a text with their Dutch stems: not the stop words, numbers, addresses
-- or codes with digits.
CREATE FUNCTION search_words(document text) RETURNS TABLE (word text, lexeme text)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT w.word, s.stem[1]
    FROM unnest(tsvector_to_array(to_tsvector('simple', document))) AS w(word),
         ts_lexize('dutch_stem', w.word) AS s(stem)
    WHERE length(w.word) BETWEEN 2 AND 60 AND w.word !~ '[[:digit:]@/:._]' AND s.stem[1] IS NOT NULL
$$;

CREATE FUNCTION remember_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'posting' THEN
        INSERT INTO search_word (word, lexeme)
        SELECT DISTINCT s.word, s.lexeme
        FROM changed_rows n, search_words(n.title || ' ' || n.description) AS s
        ON CONFLICT (word) DO NOTHING;
    ELSE
        INSERT INTO search_word (word, lexeme)
        SELECT DISTINCT s.word, s.lexeme
        FROM changed_rows n, search_words(n.name || ' ' || array_to_string(n.topics, ' ') || ' ' || n.description) AS s
        ON CONFLICT (word) DO NOTHING;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER posting_words_added AFTER INSERT ON posting
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words();
CREATE TRIGGER posting_words_changed AFTER UPDATE ON posting
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words();
CREATE TRIGGER course_words_added AFTER INSERT ON course
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words();
CREATE TRIGGER course_words_changed AFTER UPDATE ON course
    REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION remember_search_words();

INSERT INTO search_word (word, lexeme)
SELECT DISTINCT s.word, s.lexeme FROM posting p, search_words(p.title || ' ' || p.description) AS s
ON CONFLICT (word) DO NOTHING;
INSERT INTO search_word (word, lexeme)
SELECT DISTINCT s.word, s.lexeme FROM course c, search_words(c.name || ' ' || array_to_string(c.topics, ' ') || ' ' || c.description) AS s
ON CONFLICT (word) DO NOTHING;
