-- Doorstroom 0009: a person's data rights, and the inbox.
--
-- Erasure keeps the account row under a pseudonym, so that counts and other people's
-- records (a confirmed shift, a move, an audit line) stay whole; what identifies the
-- person is removed. Retention strips the personal content of rejected applications.
-- Notifications are stored per account and, when mail is configured, sent once
-- through an outbox.

ALTER TABLE account
    ADD COLUMN erased_at timestamptz,
    -- An erased account can never log in again.
    ADD CONSTRAINT account_erased_is_closed CHECK (erased_at IS NULL OR (disabled AND password_hash IS NULL));

-- An application's personal content (the motivation) can be removed, by retention or
-- erasure; the row stays for the counts. The applicant may ask to keep it a year.
ALTER TABLE application
    ALTER COLUMN motivation DROP NOT NULL,
    ADD COLUMN keep_for_a_year boolean NOT NULL DEFAULT false,
    ADD COLUMN content_removed_at timestamptz,
    ADD CONSTRAINT application_content_removed CHECK ((motivation IS NULL) = (content_removed_at IS NOT NULL));

-- What the retention job may strip: rejected applications that still hold content.
CREATE INDEX application_retention_idx ON application (decided_at)
    WHERE status = 'rejected' AND content_removed_at IS NULL;

-- Notifications --------------------------------------------------------------------------

CREATE TABLE notification (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request')),
    subject text NOT NULL CHECK (length(btrim(subject)) BETWEEN 1 AND 200),
    body text NOT NULL CHECK (length(body) <= 4000),
    -- Where in Doorstroom it leads: always a path of our own.
    link text CHECK (link ~ '^/[^/]'),
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz,
    -- The outbox. pending: to be mailed; sending: claimed by one sender, which mails it
    -- once (a crash leaves it here, never sent twice); sent; failed (gave up);
    -- not_sent: mail was not configured, or the address is gone.
    email_state text NOT NULL DEFAULT 'pending'
        CHECK (email_state IN ('pending', 'sending', 'sent', 'failed', 'not_sent')),
    email_attempts integer NOT NULL DEFAULT 0 CHECK (email_attempts >= 0),
    email_claimed_by text,
    email_claimed_at timestamptz,
    email_sent_at timestamptz,
    email_error text CHECK (length(email_error) <= 500),
    CONSTRAINT notification_sent_when CHECK ((email_state = 'sent') = (email_sent_at IS NOT NULL)),
    CONSTRAINT notification_claimed_when CHECK (email_state <> 'sending' OR (email_claimed_by IS NOT NULL AND email_claimed_at IS NOT NULL))
);

CREATE INDEX notification_inbox_idx ON notification (account_id, created_at DESC);
CREATE INDEX notification_outbox_idx ON notification (created_at, id) WHERE email_state = 'pending';
