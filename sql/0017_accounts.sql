-- Doorstroom 0017: accounts for everyone who needs one.
--
-- Anyone may register as a job seeker or a student; the address is confirmed through a
-- link before the account may apply. HR advisers invite their employees. Forgotten
-- passwords are reset through a link. Links carry a random token; only its SHA-256 is
-- stored, and each works once, within its lifetime. Two-step verification (TOTP) keeps
-- its secret encrypted (AES-256-GCM, the key comes from the environment) with ten
-- single-use recovery codes. Sessions remember the device and when they started (an
-- absolute lifetime), and a login waits in its session for the second step.

-- Job seekers: people from outside the member organisations who apply to vacancies.
ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check;
ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check
    CHECK (role IN ('admin', 'hr_adviser', 'coordinator', 'professional', 'student', 'job_seeker'));
ALTER TABLE role_grant DROP CONSTRAINT role_grant_scope;
ALTER TABLE role_grant ADD CONSTRAINT role_grant_scope CHECK (
    (role = 'hr_adviser' AND organisation_id IS NOT NULL)
    OR (role IN ('admin', 'professional', 'student', 'job_seeker') AND organisation_id IS NULL)
    OR role = 'coordinator'
);

ALTER TABLE account
    -- When the owner showed the address is theirs (a confirmation or invitation link).
    ADD COLUMN email_confirmed_at timestamptz,
    -- Two-step verification: the secret, sealed (nonce, ciphertext and tag); when it was
    -- switched on; the last time step accepted (a code is never accepted twice).
    ADD COLUMN totp_secret bytea CONSTRAINT account_totp_secret_length CHECK (length(totp_secret) BETWEEN 40 AND 100),
    ADD COLUMN totp_enabled_at timestamptz,
    ADD COLUMN totp_last_step bigint,
    ADD CONSTRAINT account_totp_enabled_has_secret CHECK (totp_enabled_at IS NULL OR totp_secret IS NOT NULL);

-- Accounts made before self-registration were made by admins, the seed or invitation:
-- their addresses count as confirmed.
UPDATE account SET email_confirmed_at = created_at WHERE erased_at IS NULL;

-- What a student told us at registration.
CREATE TABLE student (
    account_id uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    school text NOT NULL CHECK (length(btrim(school)) BETWEEN 1 AND 200),
    programme text NOT NULL CHECK (length(btrim(programme)) BETWEEN 1 AND 200),
    level text NOT NULL CHECK (level IN ('mbo', 'hbo', 'wo'))
);

-- Links sent by mail. purpose: confirm_email (24 hours), reset_password (1 hour),
-- invitation (7 days). A link is used once; a new link of the same purpose makes the
-- older ones void.
CREATE TABLE account_token (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    purpose text NOT NULL CONSTRAINT account_token_purpose CHECK (purpose IN ('confirm_email', 'reset_password', 'invitation')),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    CONSTRAINT account_token_lifetime CHECK (expires_at > created_at AND expires_at <= created_at + interval '7 days')
);

CREATE INDEX account_token_account_idx ON account_token (account_id, purpose);
CREATE INDEX account_token_expires_idx ON account_token (expires_at);

-- An invitation: who invited whom, for which organisation and function.
CREATE TABLE invitation (
    account_id uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    function_code text NOT NULL REFERENCES job_function (code),
    invited_by uuid REFERENCES account (id) ON DELETE SET NULL,
    invited_at timestamptz NOT NULL DEFAULT now(),
    accepted_at timestamptz
);

-- Recovery codes for two-step verification: their SHA-256, each usable once.
CREATE TABLE recovery_code (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL CHECK (length(code_hash) = 32),
    used_at timestamptz,
    PRIMARY KEY (account_id, code_hash)
);

-- Sessions: the device (its browser's own description), and a login that passed the
-- password but still owes its second step (verify a code, or set two-step
-- verification up first, for admins). Such a session is nobody's until it is done.
ALTER TABLE session
    ADD COLUMN user_agent text CHECK (length(user_agent) <= 300),
    ADD COLUMN pending_step text CONSTRAINT session_pending_step CHECK (pending_step IN ('verify', 'enrol')),
    ADD CONSTRAINT session_pending_has_account CHECK (pending_step IS NULL OR account_id IS NOT NULL);

-- Login throttling also counts per client address (password spraying).
ALTER TABLE login_attempt
    ADD COLUMN client_key text NOT NULL DEFAULT '' CHECK (length(client_key) <= 64);
CREATE INDEX login_attempt_client_idx ON login_attempt (client_key, attempted_at DESC) WHERE NOT succeeded;

-- Mails about the account itself: a confirmation, a reset or an invitation link, or a
-- word that somebody tried to register the address again. Their links lead to a token
-- and are emptied once mailed (the mail is the only copy); the inbox does not show them.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail'));
