-- Doorstroom 0003: the vacancy bank's list of open postings, newest first, with the
-- filter columns included, so that a page and its (capped) count are read from the
-- index alone instead of the table.

CREATE INDEX posting_listed_idx ON posting (published_at DESC, id)
    INCLUDE (closing_date, internal_until, kind, organisation_id, function_code, discipline,
             education_level, municipality_slug, hours_min, hours_max, duo_suitable)
    WHERE status = 'published';

DROP INDEX posting_list_idx;
