-- Doorstroom 0024: the credentials of the field as hard rules of the flexpool.
--
-- Nobody works with children without a VOG (Verklaring Omtrent het Gedrag) that the
-- organisation accepts on the day, nor in a function that needs a registration (SKJ,
-- BIG) without one valid on the day, nor at a location that needs an induction before
-- someone showed them around. The matching engine, claims and hand assignments apply
-- these rules (Matching's Rules.credentials); the triggers below make an assignment
-- that breaks one impossible, whatever the code does.

-- A professional's VOG: the day it was issued.
ALTER TABLE professional ADD COLUMN vog_issued_on date;

-- How old a VOG an organisation accepts, in months (36: three years, the usual rule).
ALTER TABLE organisation
    ADD COLUMN vog_max_age_months integer NOT NULL DEFAULT 36
        CONSTRAINT organisation_vog_max_age CHECK (vog_max_age_months BETWEEN 1 AND 120);

-- A location where nobody from the pool works before an induction.
ALTER TABLE organisation_location ADD COLUMN needs_induction boolean NOT NULL DEFAULT false;

-- The register a function needs (the same list as Domain's JobFunction.requiredRegister,
-- held to it by a test).
ALTER TABLE job_function
    ADD COLUMN required_register text CONSTRAINT job_function_required_register CHECK (required_register IN ('SKJ', 'BIG'));
UPDATE job_function SET required_register = 'SKJ'
WHERE code IN ('jeugdzorgwerker', 'jeugdhulpverlener', 'jeugdbeschermer', 'gezinscoach', 'ambulant-hulpverlener',
               'gedragswetenschapper', 'orthopedagoog');
UPDATE job_function SET required_register = 'BIG' WHERE code = 'gz-psycholoog';

-- An induction shift is a demand of its own kind: worked at a location, it counts as
-- the induction there from its end, once confirmed.
ALTER TABLE shift_demand
    ADD COLUMN kind text NOT NULL DEFAULT 'work' CONSTRAINT shift_demand_kind CHECK (kind IN ('work', 'induction')),
    ADD CONSTRAINT shift_demand_induction_at_location CHECK (kind = 'work' OR location_id IS NOT NULL);

-- Inductions a coordinator recorded (someone showed the person around on that day).
CREATE TABLE pool_induction (
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    location_id uuid NOT NULL REFERENCES organisation_location (id) ON DELETE CASCADE,
    inducted_on date NOT NULL,
    recorded_by uuid REFERENCES account (id) ON DELETE SET NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, location_id)
);

-- Every induction that holds, and from when: recorded ones from 00:00 of their day,
-- confirmed induction shifts from their end.
CREATE VIEW pool_induction_held AS
    SELECT account_id, location_id, (inducted_on::timestamp AT TIME ZONE 'Europe/Amsterdam') AS since
    FROM pool_induction
    UNION ALL
    SELECT sa.account_id, d.location_id, upper(d.shift)
    FROM shift_assignment sa JOIN shift_demand d ON d.id = sa.demand_id
    WHERE d.kind = 'induction' AND sa.status = 'confirmed';

-- What a demand asks for, as the matching format says it (docs/matching-format.md).
CREATE VIEW shift_demand_credentials AS
    SELECT d.id AS demand_id,
           ((((lower(d.shift) AT TIME ZONE 'Europe/Amsterdam')::date - make_interval(months => o.vog_max_age_months))::date)::timestamp
               AT TIME ZONE 'Europe/Amsterdam') AS vog_issued_since,
           f.required_register AS register,
           CASE WHEN d.kind = 'work' AND l.needs_induction THEN d.location_id END AS induction_location
    FROM shift_demand d
    JOIN organisation o ON o.id = d.organisation_id
    LEFT JOIN job_function f ON f.code = d.function_code
    LEFT JOIN organisation_location l ON l.id = d.location_id;

-- The guard: a live (proposed or confirmed) assignment to a shift still to come needs
-- every credential its demand asks for on the shift's day. One function, one trigger per credential, so
-- that the refusal names the one missing.
CREATE FUNCTION shift_assignment_credential() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    asked record;
    starts timestamptz;
    day date;
    holds boolean;
BEGIN
    IF NEW.status NOT IN ('proposed', 'confirmed')
       OR (TG_OP = 'UPDATE' AND OLD.status = NEW.status AND OLD.demand_id = NEW.demand_id) THEN
        RETURN NEW;
    END IF;
    SELECT c.*, lower(d.shift) AS starts INTO asked
    FROM shift_demand_credentials c JOIN shift_demand d ON d.id = c.demand_id WHERE c.demand_id = NEW.demand_id;
    starts := asked.starts;
    -- A shift that has begun is a record of work done (the history of earlier
    -- credentials is not kept), not a plan: the guard is for shifts still to come.
    IF starts <= now() THEN
        RETURN NEW;
    END IF;
    day := (starts AT TIME ZONE 'Europe/Amsterdam')::date;
    IF TG_ARGV[0] = 'vog' THEN
        SELECT p.vog_issued_on IS NOT NULL
               AND (p.vog_issued_on::timestamp AT TIME ZONE 'Europe/Amsterdam') >= asked.vog_issued_since
               AND p.vog_issued_on <= day
        INTO holds FROM professional p WHERE p.account_id = NEW.account_id;
    ELSIF TG_ARGV[0] = 'register' THEN
        holds := asked.register IS NULL OR EXISTS (
            SELECT FROM registration r WHERE r.account_id = NEW.account_id AND r.register = asked.register
              AND r.registered_on <= day AND (r.expires_on IS NULL OR day < r.expires_on));
    ELSE
        holds := asked.induction_location IS NULL OR EXISTS (
            SELECT FROM pool_induction_held h WHERE h.account_id = NEW.account_id AND h.location_id = asked.induction_location
              AND h.since <= starts);
    END IF;
    IF NOT coalesce(holds, false) THEN
        RAISE EXCEPTION 'the person lacks a credential this shift asks for (%)', TG_ARGV[0]
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_NAME;
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER shift_assignment_valid_vog BEFORE INSERT OR UPDATE OF status, demand_id ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_assignment_credential('vog');
CREATE TRIGGER shift_assignment_registered BEFORE INSERT OR UPDATE OF status, demand_id ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_assignment_credential('register');
CREATE TRIGGER shift_assignment_inducted BEFORE INSERT OR UPDATE OF status, demand_id ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_assignment_credential('induction');

-- When each credential runs out: a VOG when it becomes older than the person's
-- employer accepts (the strictest, when they work at more than one; three years
-- without an employer), a registration on its end date.
CREATE VIEW credential_lapse AS
    SELECT p.account_id, 'VOG'::text AS credential,
           (p.vog_issued_on + make_interval(months => coalesce(
               (SELECT min(o.vog_max_age_months) FROM employment e JOIN organisation o ON o.id = e.organisation_id
                WHERE e.account_id = p.account_id AND (e.ended_on IS NULL OR e.ended_on >= current_date)), 36)))::date AS lapses_on
    FROM professional p WHERE p.vog_issued_on IS NOT NULL
    UNION ALL
    SELECT account_id, register, expires_on FROM registration WHERE expires_on IS NOT NULL;

-- Reminders that a credential runs out (8 and 2 weeks before), each sent once: the
-- key says which credential, which lapse day and which reminder.
CREATE TABLE credential_reminder (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    credential text NOT NULL CONSTRAINT credential_reminder_credential CHECK (credential IN ('VOG', 'SKJ', 'BIG')),
    lapses_on date NOT NULL,
    weeks_before integer NOT NULL CONSTRAINT credential_reminder_weeks CHECK (weeks_before IN (8, 2)),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (account_id, credential, lapses_on, weeks_before)
);

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry'));

-- Like every table but the technical ones, inductions move the figures version (0022);
-- no visitor's page reads them.
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pool_induction
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
