-- Doorstroom 0001: organisations, accounts, roles, sessions, login throttling,
-- the audit log, professionals and their employment history.
-- Forward only: never edit this file once applied; add 0002_... instead.

CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Reference data of the region ---------------------------------------------------

CREATE TABLE municipality (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z]+(-[a-z]+)*$'),
    name text NOT NULL UNIQUE
);

INSERT INTO municipality (slug, name) VALUES
    ('amsterdam', 'Amsterdam'), ('amstelveen', 'Amstelveen'), ('aalsmeer', 'Aalsmeer'),
    ('diemen', 'Diemen'), ('ouder-amstel', 'Ouder-Amstel'), ('uithoorn', 'Uithoorn');

CREATE TABLE area (
    slug text PRIMARY KEY CHECK (slug ~ '^[a-z]+(-[a-z]+)*$'),
    name text NOT NULL,
    municipality_slug text NOT NULL REFERENCES municipality (slug),
    UNIQUE (municipality_slug, name)
);

INSERT INTO area (slug, name, municipality_slug) VALUES
    ('centrum', 'Centrum', 'amsterdam'), ('noord', 'Noord', 'amsterdam'),
    ('oost', 'Oost', 'amsterdam'), ('west', 'West', 'amsterdam'),
    ('nieuw-west', 'Nieuw-West', 'amsterdam'), ('zuid', 'Zuid', 'amsterdam'),
    ('zuidoost', 'Zuidoost', 'amsterdam'), ('weesp', 'Weesp', 'amsterdam'),
    ('amstelveen', 'Amstelveen', 'amstelveen'), ('aalsmeer', 'Aalsmeer', 'aalsmeer'),
    ('diemen', 'Diemen', 'diemen'), ('ouder-amstel', 'Ouder-Amstel', 'ouder-amstel'),
    ('uithoorn', 'Uithoorn', 'uithoorn');

-- Functions of the field (the career-path catalogue grows from this).
CREATE TABLE job_function (
    code text PRIMARY KEY CHECK (code ~ '^[a-z]+(-[a-z]+)*$'),
    name text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    education_level text CHECK (education_level IN ('mbo', 'hbo', 'wo'))
);

INSERT INTO job_function (code, name, education_level) VALUES
    ('pedagogisch-medewerker', 'Pedagogisch medewerker', 'mbo'),
    ('jeugdzorgwerker', 'Jeugdzorgwerker', 'hbo'),
    ('jeugdhulpverlener', 'Jeugdhulpverlener', 'hbo'),
    ('jeugdbeschermer', 'Jeugdbeschermer', 'hbo'),
    ('gezinscoach', 'Gezinscoach', 'hbo'),
    ('ambulant-hulpverlener', 'Ambulant hulpverlener', 'hbo'),
    ('gedragswetenschapper', 'Gedragswetenschapper', 'wo'),
    ('orthopedagoog', 'Orthopedagoog', 'wo'),
    ('gz-psycholoog', 'GZ-psycholoog', 'wo'),
    ('teamleider', 'Teamleider', 'hbo');

-- Organisations ---------------------------------------------------------------------

CREATE TABLE organisation (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE
        CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(slug) <= 60),
    name text NOT NULL UNIQUE CHECK (length(btrim(name)) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('care_provider', 'local_team', 'certified_institution')),
    municipality_slug text NOT NULL REFERENCES municipality (slug),
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Accounts and roles ----------------------------------------------------------------

CREATE TABLE account (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' AND length(email) <= 254),
    -- NULL: the account cannot log in with a password (yet).
    password_hash text CHECK (password_hash LIKE '$argon2id$%'),
    display_name text NOT NULL CHECK (length(btrim(display_name)) BETWEEN 1 AND 200),
    disabled boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Email is unique whatever its case.
CREATE UNIQUE INDEX account_email_key ON account (lower(email));

CREATE TABLE role_grant (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('admin', 'hr_adviser', 'coordinator', 'professional', 'student')),
    organisation_id uuid REFERENCES organisation (id),
    granted_at timestamptz NOT NULL DEFAULT now(),
    granted_by uuid REFERENCES account (id) ON DELETE SET NULL,
    -- HR advisers act for one organisation; coordinators for one or (NULL) the region;
    -- admins, professionals and students for none.
    CONSTRAINT role_grant_scope CHECK (
        (role = 'hr_adviser' AND organisation_id IS NOT NULL)
        OR (role IN ('admin', 'professional', 'student') AND organisation_id IS NULL)
        OR role = 'coordinator'
    ),
    CONSTRAINT role_grant_once UNIQUE NULLS NOT DISTINCT (account_id, role, organisation_id)
);

CREATE INDEX role_grant_organisation_idx ON role_grant (organisation_id) WHERE organisation_id IS NOT NULL;

-- Sessions: the cookie holds a random token, the database only its SHA-256.
CREATE TABLE session (
    token_hash bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    -- NULL: a visitor's session, which only carries a CSRF token for the login form.
    account_id uuid REFERENCES account (id) ON DELETE CASCADE,
    csrf_token text NOT NULL CHECK (length(csrf_token) >= 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    last_seen_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    CHECK (expires_at > created_at)
);

CREATE INDEX session_account_idx ON session (account_id);
CREATE INDEX session_expires_idx ON session (expires_at);

-- Every login attempt, for throttling (by the email typed, known account or not).
CREATE TABLE login_attempt (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email_key text NOT NULL CHECK (email_key = lower(email_key) AND length(email_key) <= 320),
    succeeded boolean NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX login_attempt_email_idx ON login_attempt (email_key, attempted_at DESC);

-- The audit log: who did or saw what. Append-only: the database refuses updates and
-- deletes.
CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at timestamptz NOT NULL DEFAULT now(),
    actor_account_id uuid REFERENCES account (id) ON DELETE SET NULL,
    action text NOT NULL CHECK (action ~ '^[a-z_]+(\.[a-z_]+)*$'),
    subject_account_id uuid REFERENCES account (id) ON DELETE SET NULL,
    object_type text,
    object_id text,
    reason text CHECK (length(reason) <= 1000)
);

CREATE INDEX audit_log_subject_idx ON audit_log (subject_account_id, occurred_at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Foreign keys set actor/subject to NULL when an account is erased; that is the
    -- only change allowed, so that the history stays but points at nobody.
    IF TG_OP = 'UPDATE'
       AND NEW.id = OLD.id AND NEW.occurred_at = OLD.occurred_at AND NEW.action = OLD.action
       AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
       AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
       AND NEW.reason IS NOT DISTINCT FROM OLD.reason
       AND (NEW.actor_account_id IS NOT DISTINCT FROM OLD.actor_account_id OR NEW.actor_account_id IS NULL)
       AND (NEW.subject_account_id IS NOT DISTINCT FROM OLD.subject_account_id OR NEW.subject_account_id IS NULL) THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'P0001';
END;
$$;

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Professionals ------------------------------------------------------------------

CREATE TABLE professional (
    account_id uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    education_level text CHECK (education_level IN ('mbo', 'hbo', 'wo')),
    disciplines text[] NOT NULL DEFAULT '{}'
        CHECK (disciplines <@ ARRAY['jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming']::text[]),
    interests text[] NOT NULL DEFAULT '{}'
        CHECK (interests <@ ARRAY['new_job', 'rotation', 'duo_job', 'shadow_days', 'flexpool']::text[]),
    hours_per_week integer CHECK (hours_per_week BETWEEN 1 AND 60),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE professional_function (
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    function_code text NOT NULL REFERENCES job_function (code),
    PRIMARY KEY (account_id, function_code)
);

CREATE TABLE professional_area (
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    area_slug text NOT NULL REFERENCES area (slug),
    PRIMARY KEY (account_id, area_slug)
);

CREATE TABLE registration (
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    register text NOT NULL CHECK (register IN ('SKJ', 'BIG')),
    number text NOT NULL CHECK (number ~ '^[0-9A-Za-z-]{4,20}$'),
    registered_on date NOT NULL,
    expires_on date CHECK (expires_on > registered_on),
    PRIMARY KEY (account_id, register),
    UNIQUE (register, number)
);

-- Employment history: where a professional worked, in which function, when. A move
-- between member organisations is one employment ending and the next starting.
CREATE TABLE employment (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    function_code text NOT NULL REFERENCES job_function (code),
    started_on date NOT NULL,
    ended_on date CHECK (ended_on >= started_on),
    -- One person never holds two overlapping spells at the same organisation.
    CONSTRAINT employment_no_overlap EXCLUDE USING gist (
        account_id WITH =, organisation_id WITH =,
        daterange(started_on, ended_on, '[]') WITH &&
    )
);

CREATE INDEX employment_account_idx ON employment (account_id, started_on DESC);
CREATE INDEX employment_organisation_idx ON employment (organisation_id) WHERE ended_on IS NULL;
