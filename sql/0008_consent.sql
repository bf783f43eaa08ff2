-- Doorstroom 0008: a professional's consent, per purpose. Nothing is allowed until it
-- is given; withdrawing closes the row (the history stays, so the professional and an
-- auditor can see when what was allowed). At most one open consent per purpose.
CREATE TABLE consent (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose text NOT NULL CHECK (purpose IN ('profile_search', 'contact_mobility')),
    given_at timestamptz NOT NULL DEFAULT now(),
    withdrawn_at timestamptz,
    CONSTRAINT consent_withdrawn_after_given CHECK (withdrawn_at IS NULL OR withdrawn_at >= given_at)
);

CREATE UNIQUE INDEX consent_open_once ON consent (account_id, purpose) WHERE withdrawn_at IS NULL;
CREATE INDEX consent_purpose_idx ON consent (purpose, account_id) WHERE withdrawn_at IS NULL;
