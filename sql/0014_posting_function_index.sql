-- Doorstroom 0014: the listing of one function's postings, newest first. Without it a
-- filter on a function that few postings have (gezinscoach, teamleider) walked the whole
-- newest-first listing index to fill a page; career paths ask it for every step.
CREATE INDEX posting_function_listed_idx ON posting (function_code, published_at DESC, id) WHERE status = 'published';
