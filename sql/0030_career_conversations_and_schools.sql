-- Doorstroom 0030: career conversations and schools as partners (the region's learning
-- plan, pillars 3 and the ties with mbo, hbo and wo).
--
-- Career advisers (for one organisation's people, or without one for the whole region)
-- publish times; a professional books one on a topic. One booking per time, held by a
-- unique index under any race; an adviser's own times never overlap.
--
-- Schools are organisations of their own kind. Their internship coordinators see the
-- region's internship and traineeship places, the applications of their own students
-- who consented, and the internship agreements that name their school. An agreement now
-- names the school, the study programme and the level.

-- Two roles more: career advisers (per organisation or regional, like coordinators) and
-- internship coordinators (always of one school).
ALTER TABLE role_grant DROP CONSTRAINT role_grant_role_check;
ALTER TABLE role_grant ADD CONSTRAINT role_grant_role_check
    CHECK (role IN ('admin', 'hr_adviser', 'coordinator', 'professional', 'student', 'job_seeker',
                    'career_adviser', 'internship_coordinator'));
ALTER TABLE role_grant DROP CONSTRAINT role_grant_scope;
ALTER TABLE role_grant ADD CONSTRAINT role_grant_scope CHECK (
    (role IN ('hr_adviser', 'internship_coordinator') AND organisation_id IS NOT NULL)
    OR (role IN ('admin', 'professional', 'student', 'job_seeker') AND organisation_id IS NULL)
    OR role IN ('coordinator', 'career_adviser')
);

ALTER TABLE organisation DROP CONSTRAINT organisation_kind_check;
ALTER TABLE organisation ADD CONSTRAINT organisation_kind_check
    CHECK (kind IN ('care_provider', 'local_team', 'certified_institution', 'school'));

-- An internship coordinator acts for a school, and only for one; the employers' roles
-- are never held for a school. Checked on the grant and on a change of kind.
CREATE FUNCTION role_grant_fits_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM organisation o WHERE o.id = NEW.organisation_id
               AND (NEW.role = 'internship_coordinator') <> (o.kind = 'school')) THEN
        RAISE EXCEPTION 'internship coordinators act for a school, the other roles never for a school'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'role_grant_organisation_kind';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER role_grant_organisation_kind BEFORE INSERT OR UPDATE ON role_grant
    FOR EACH ROW EXECUTE FUNCTION role_grant_fits_organisation();

CREATE FUNCTION organisation_kind_fits_roles() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM role_grant g WHERE g.organisation_id = NEW.id
               AND (g.role = 'internship_coordinator') <> (NEW.kind = 'school')) THEN
        RAISE EXCEPTION 'internship coordinators act for a school, the other roles never for a school'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'role_grant_organisation_kind';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER organisation_kind_fits_roles BEFORE UPDATE OF kind ON organisation
    FOR EACH ROW EXECUTE FUNCTION organisation_kind_fits_roles();

-- Career conversations -----------------------------------------------------------------

CREATE TABLE career_slot (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    adviser_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- Whose people may book it: the professionals working at this organisation, or (NULL)
    -- every professional of the region.
    organisation_id uuid REFERENCES organisation (id),
    during tstzrange NOT NULL CONSTRAINT career_slot_during CHECK (
        NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
        AND NOT lower_inf(during) AND NOT upper_inf(during)
        AND upper(during) - lower(during) BETWEEN interval '15 minutes' AND interval '2 hours'
    ),
    place text NOT NULL CONSTRAINT career_slot_place CHECK (length(btrim(place)) BETWEEN 2 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- An adviser is in one conversation at a time.
    CONSTRAINT career_slot_no_overlap EXCLUDE USING gist (adviser_id WITH =, during WITH &&)
);

CREATE INDEX career_slot_start_idx ON career_slot (lower(during));

CREATE TABLE career_booking (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slot_id uuid NOT NULL REFERENCES career_slot (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    topic text NOT NULL CONSTRAINT career_booking_topic
        CHECK (topic IN ('next_step', 'rotation', 'duo_job', 'leaving', 'other')),
    -- What the professional wants to talk about, in a line or two; only the adviser reads it.
    question text CONSTRAINT career_booking_question CHECK (length(question) <= 1000),
    status text NOT NULL DEFAULT 'booked' CONSTRAINT career_booking_status CHECK (status IN ('booked', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    CONSTRAINT career_booking_cancelled_when CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);

CREATE UNIQUE INDEX career_booking_slot_once ON career_booking (slot_id) WHERE status = 'booked';
CREATE INDEX career_booking_account_idx ON career_booking (account_id) WHERE status = 'booked';

-- Schools ------------------------------------------------------------------------------

-- The school a student registered with, when it is one of the region's partner schools
-- (the name they typed stays in `school`).
ALTER TABLE student ADD COLUMN school_id uuid REFERENCES organisation (id);

-- A row's `school_id` names a school; the trigger's argument is the rule's name.
CREATE FUNCTION school_id_is_school() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.school_id IS NOT NULL AND NOT EXISTS (SELECT FROM organisation WHERE id = NEW.school_id AND kind = 'school') THEN
        RAISE EXCEPTION '% names an organisation that is not a school', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = TG_ARGV[0];
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER student_school_kind BEFORE INSERT OR UPDATE OF school_id ON student
    FOR EACH ROW EXECUTE FUNCTION school_id_is_school('student_school_kind');

-- A student may let their school follow their applications to internships and
-- traineeships.
ALTER TABLE consent DROP CONSTRAINT consent_purpose_check;
ALTER TABLE consent ADD CONSTRAINT consent_purpose_check
    CHECK (purpose IN ('profile_search', 'contact_mobility', 'school_applications'));

-- Agreements name the school, the study programme and the level. The old key (one line
-- per organisation, year and level) becomes one line per organisation, year, level,
-- school and programme; lines made before name neither.
ALTER TABLE internship_agreement DROP CONSTRAINT internship_agreement_pkey;
ALTER TABLE internship_agreement
    ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    ADD COLUMN school_id uuid REFERENCES organisation (id),
    ADD COLUMN programme text NOT NULL DEFAULT '' CONSTRAINT internship_agreement_programme CHECK (length(programme) <= 200 AND programme = btrim(programme)),
    ADD CONSTRAINT internship_agreement_once UNIQUE NULLS NOT DISTINCT (organisation_id, year, education_level, school_id, programme);

CREATE INDEX internship_agreement_school_idx ON internship_agreement (school_id) WHERE school_id IS NOT NULL;

CREATE TRIGGER internship_agreement_school_kind BEFORE INSERT OR UPDATE OF school_id ON internship_agreement
    FOR EACH ROW EXECUTE FUNCTION school_id_is_school('internship_agreement_school_kind');

-- Messages and reminders ---------------------------------------------------------------

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry', 'job_alert', 'posting_closing', 'reminder', 'interview', 'training_wish',
                    'career_conversation'));

ALTER TABLE reminder_sent DROP CONSTRAINT reminder_sent_subject;
ALTER TABLE reminder_sent ADD CONSTRAINT reminder_sent_subject
    CHECK (subject IN ('shift', 'course', 'meeting', 'interview', 'career_conversation'));

-- Like every table but the technical ones, these move the figures version (0022); no
-- visitor's page reads them.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['career_slot', 'career_booking'] LOOP
        EXECUTE format('CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_version(%L)', name, 'figures_version');
    END LOOP;
END
$$;
