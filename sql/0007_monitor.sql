-- Doorstroom 0007: the monitor reads every posting that was ever published, per kind,
-- state and dates. This narrow index holds exactly those columns, so the monitor's
-- figures come from an index-only scan instead of reading the postings' full rows
-- (descriptions and search vectors).
CREATE INDEX posting_monitor_idx ON posting (organisation_id, kind, status, published_at, closed_at)
    WHERE status <> 'draft';
