-- Doorstroom 0011: job rotation. Two professionals of the same function at two member
-- organisations swap places for a period: one proposes, the other agrees, the HR
-- adviser of each one's organisation approves; then it is a temporary move.

CREATE TABLE rotation (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    function_code text NOT NULL REFERENCES job_function (code),
    starts_on date NOT NULL,
    ends_on date NOT NULL,
    message text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    -- proposed → agreed (the partner said yes) → approved (both HR advisers);
    -- or declined (partner), withdrawn (proposer), rejected (an HR adviser).
    status text NOT NULL DEFAULT 'proposed'
        CHECK (status IN ('proposed', 'declined', 'withdrawn', 'agreed', 'approved', 'rejected')),
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    CONSTRAINT rotation_period CHECK (ends_on >= starts_on AND ends_on <= starts_on + 366)
);

-- The two people: each leaves their home organisation for the other's.
CREATE TABLE rotation_party (
    rotation_id uuid NOT NULL REFERENCES rotation (id) ON DELETE CASCADE,
    party text NOT NULL CHECK (party IN ('proposer', 'partner')),
    account_id uuid NOT NULL REFERENCES account (id),
    home_organisation_id uuid NOT NULL REFERENCES organisation (id),
    host_organisation_id uuid NOT NULL REFERENCES organisation (id),
    period daterange NOT NULL CHECK (NOT isempty(period) AND NOT lower_inf(period) AND NOT upper_inf(period)),
    -- Set when the rotation is agreed or approved: from then it holds the person's time.
    binding boolean NOT NULL DEFAULT false,
    approved_by uuid REFERENCES account (id) ON DELETE SET NULL,
    approved_at timestamptz,
    PRIMARY KEY (rotation_id, party),
    CONSTRAINT rotation_party_once UNIQUE (rotation_id, account_id),
    CONSTRAINT rotation_party_elsewhere CHECK (home_organisation_id <> host_organisation_id),
    CONSTRAINT rotation_party_approved_when CHECK ((approved_by IS NULL AND approved_at IS NULL) OR approved_at IS NOT NULL),
    -- Nobody is in two agreed rotations at the same time.
    CONSTRAINT rotation_party_one_at_a_time EXCLUDE USING gist (account_id WITH =, period WITH &&) WHERE (binding)
);

CREATE INDEX rotation_party_account_idx ON rotation_party (account_id);
CREATE INDEX rotation_party_home_idx ON rotation_party (home_organisation_id);
CREATE INDEX rotation_starts_idx ON rotation (starts_on) WHERE status = 'approved';
