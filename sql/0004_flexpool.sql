-- Doorstroom 0004: the flexpool. Pool members with what they may do, where, how many
-- hours a week and when; demand for shifts; the matching's proposals and the
-- confirmed assignments. The database forbids a double booking (two confirmed
-- shifts of one person that overlap or leave less than 11 hours of rest) and a
-- demand with more confirmed people than it asked for.

CREATE TABLE pool_member (
    account_id uuid PRIMARY KEY REFERENCES professional (account_id) ON DELETE CASCADE,
    weekly_cap_hours integer NOT NULL CHECK (weekly_cap_hours BETWEEN 1 AND 40),
    -- The private address of the member's calendar feed (/flexpool/agenda/{token}.ics).
    calendar_token text NOT NULL UNIQUE CHECK (calendar_token ~ '^[A-Za-z0-9_-]{32,64}$'),
    joined_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pool_member_function (
    account_id uuid NOT NULL REFERENCES pool_member (account_id) ON DELETE CASCADE,
    function_code text NOT NULL REFERENCES job_function (code),
    PRIMARY KEY (account_id, function_code)
);

CREATE TABLE pool_member_discipline (
    account_id uuid NOT NULL REFERENCES pool_member (account_id) ON DELETE CASCADE,
    discipline text NOT NULL CHECK (discipline IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming')),
    PRIMARY KEY (account_id, discipline)
);

CREATE TABLE pool_member_area (
    account_id uuid NOT NULL REFERENCES pool_member (account_id) ON DELETE CASCADE,
    area_slug text NOT NULL REFERENCES area (slug),
    preferred boolean NOT NULL DEFAULT false,
    PRIMARY KEY (account_id, area_slug)
);

-- A weekly pattern ("every Tuesday 08:00-17:00 until March"), kept so that the
-- member sees it and can remove it as a whole; its windows are stored expanded.
CREATE TABLE pool_availability_pattern (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES pool_member (account_id) ON DELETE CASCADE,
    weekday integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_minutes integer NOT NULL CHECK (start_minutes BETWEEN 0 AND 1439),
    end_minutes integer NOT NULL CHECK (end_minutes BETWEEN 0 AND 1439 AND end_minutes <> start_minutes),
    first_day date NOT NULL,
    last_day date NOT NULL CHECK (last_day >= first_day AND last_day <= first_day + 366),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE pool_availability (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES pool_member (account_id) ON DELETE CASCADE,
    during tstzrange NOT NULL CHECK (
        NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
        AND NOT lower_inf(during) AND NOT upper_inf(during)
    ),
    pattern_id uuid REFERENCES pool_availability_pattern (id) ON DELETE CASCADE
);

CREATE INDEX pool_availability_member_idx ON pool_availability USING gist (account_id, during);

-- Demand ------------------------------------------------------------------------------

CREATE TABLE shift_demand (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    area_slug text NOT NULL REFERENCES area (slug),
    -- What is asked for: a function, or a discipline.
    function_code text REFERENCES job_function (code),
    discipline text CHECK (discipline IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming')),
    shift tstzrange NOT NULL CHECK (
        NOT isempty(shift) AND lower_inc(shift) AND NOT upper_inc(shift)
        AND NOT lower_inf(shift) AND NOT upper_inf(shift)
        AND upper(shift) - lower(shift) <= interval '16 hours'
    ),
    people_needed integer NOT NULL CHECK (people_needed BETWEEN 1 AND 50),
    priority text NOT NULL CHECK (priority IN ('urgent', 'normal')),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'cancelled')),
    -- Kept by the trigger below, in the same transaction as the assignment that changes it.
    people_confirmed integer NOT NULL DEFAULT 0,
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT shift_demand_not_overfilled CHECK (people_confirmed BETWEEN 0 AND people_needed),
    CONSTRAINT shift_demand_one_qualification CHECK ((function_code IS NULL) <> (discipline IS NULL))
);

CREATE INDEX shift_demand_period_idx ON shift_demand USING gist (shift) WHERE status = 'open';
CREATE INDEX shift_demand_organisation_idx ON shift_demand (organisation_id, lower(shift));

-- Assignments -------------------------------------------------------------------------

CREATE TABLE shift_assignment (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    demand_id uuid NOT NULL REFERENCES shift_demand (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('proposed', 'confirmed', 'declined', 'undone', 'released')),
    -- How it came: proposed by the matching, or claimed by the member.
    source text NOT NULL CHECK (source IN ('matching', 'claim')),
    -- Copies of the demand's shift, set by the trigger: the shift itself, and the
    -- shift widened by 5.5 hours each side, so that two widened shifts overlap exactly
    -- when the shifts are less than 11 hours apart.
    shift tstzrange NOT NULL,
    rest_span tstzrange NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    decided_by uuid REFERENCES account (id) ON DELETE SET NULL,
    CONSTRAINT shift_assignment_no_overlap EXCLUDE USING gist (account_id WITH =, shift WITH &&)
        WHERE (status = 'confirmed'),
    CONSTRAINT shift_assignment_rest EXCLUDE USING gist (account_id WITH =, rest_span WITH &&)
        WHERE (status = 'confirmed')
);

-- One live (proposed or confirmed) line per person and demand.
CREATE UNIQUE INDEX shift_assignment_live_once ON shift_assignment (demand_id, account_id)
    WHERE status IN ('proposed', 'confirmed');
CREATE INDEX shift_assignment_account_idx ON shift_assignment (account_id, lower(shift));

CREATE FUNCTION shift_assignment_keep() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    demand_shift tstzrange;
BEGIN
    IF TG_OP = 'INSERT' OR NEW.demand_id <> OLD.demand_id THEN
        SELECT shift INTO demand_shift FROM shift_demand WHERE id = NEW.demand_id;
        NEW.shift := demand_shift;
        NEW.rest_span := tstzrange(lower(demand_shift) - interval '5 hours 30 minutes',
                                   upper(demand_shift) + interval '5 hours 30 minutes', '[)');
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER shift_assignment_keep BEFORE INSERT OR UPDATE ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_assignment_keep();

-- The count of confirmed people on a demand, kept in step with its assignments; the
-- CHECK on shift_demand refuses the one too many. Concurrent confirms of the same
-- demand queue on its row.
CREATE FUNCTION shift_assignment_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'confirmed' THEN
        UPDATE shift_demand SET people_confirmed = people_confirmed - 1 WHERE id = OLD.demand_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'confirmed' THEN
        UPDATE shift_demand SET people_confirmed = people_confirmed + 1 WHERE id = NEW.demand_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER shift_assignment_count AFTER INSERT OR UPDATE OF status OR DELETE ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_assignment_count();

-- A demand's shift is the truth for its assignments: a change of time is copied.
CREATE FUNCTION shift_demand_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shift_assignment
    SET shift = NEW.shift,
        rest_span = tstzrange(lower(NEW.shift) - interval '5 hours 30 minutes',
                              upper(NEW.shift) + interval '5 hours 30 minutes', '[)')
    WHERE demand_id = NEW.id;
    RETURN NULL;
END
$$;

CREATE TRIGGER shift_demand_moved AFTER UPDATE OF shift ON shift_demand
    FOR EACH ROW WHEN (OLD.shift IS DISTINCT FROM NEW.shift) EXECUTE FUNCTION shift_demand_moved();

-- Each run of the matching: for which period and organisations, who ran it, what it
-- found (coverage, the bound, each gap with its reason).
CREATE TABLE matching_run (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    period tstzrange NOT NULL CHECK (NOT isempty(period)),
    organisation_id uuid REFERENCES organisation (id),
    run_by uuid REFERENCES account (id) ON DELETE SET NULL,
    run_at timestamptz NOT NULL DEFAULT now(),
    filled integer NOT NULL CHECK (filled >= 0),
    needed integer NOT NULL CHECK (needed >= 0),
    upper_bound integer NOT NULL CHECK (upper_bound >= 0),
    method text NOT NULL,
    milliseconds integer NOT NULL CHECK (milliseconds >= 0),
    gaps jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(gaps) = 'array')
);

CREATE INDEX matching_run_at_idx ON matching_run (run_at DESC);
