-- Doorstroom 0025: what a job seeker keeps an eye on. Saved postings (with a reminder
-- three days before they close) and saved searches that mail new matching postings,
-- daily or weekly, each posting once per search, with a one-click unsubscribe (RFC 8058)
-- that works without logging in.

CREATE TABLE saved_posting (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    posting_id uuid NOT NULL REFERENCES posting (id) ON DELETE CASCADE,
    saved_at timestamptz NOT NULL DEFAULT now(),
    -- When the closing-date reminder went (once).
    reminded_at timestamptz,
    PRIMARY KEY (account_id, posting_id)
);

CREATE TABLE job_alert (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- The search as /vacatures's Dutch query string (PostingFilter.dutchQuery), without a page.
    query text NOT NULL CONSTRAINT job_alert_query CHECK (length(query) <= 1000 AND query !~ '(^|&)pagina='),
    frequency text NOT NULL CONSTRAINT job_alert_frequency CHECK (frequency IN ('daily', 'weekly')),
    -- The secret of the unsubscribe link in every mail of this alert.
    unsubscribe_token text NOT NULL UNIQUE CONSTRAINT job_alert_token CHECK (unsubscribe_token ~ '^[A-Za-z0-9_-]{32,64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- When the alert was last looked at for new postings (whether or not any came).
    last_run_at timestamptz,
    CONSTRAINT job_alert_once UNIQUE (account_id, query)
);

-- Each posting goes out once per alert.
CREATE TABLE job_alert_sent (
    alert_id uuid NOT NULL REFERENCES job_alert (id) ON DELETE CASCADE,
    posting_id uuid NOT NULL REFERENCES posting (id) ON DELETE CASCADE,
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (alert_id, posting_id)
);

-- A mail that can be stopped in one click carries the path that stops it.
ALTER TABLE notification ADD COLUMN unsubscribe text CONSTRAINT notification_unsubscribe_path CHECK (unsubscribe ~ '^/[^/]');

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry', 'job_alert', 'posting_closing'));

-- Like every table but the technical ones (job_alert_sent is one), these move the
-- figures version (0022); no visitor's page reads them.
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON saved_posting
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON job_alert
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
