-- Doorstroom 0029: the learning network. Intervision across organisations (pillar 1 of
-- the region's plan) and the training coordinators' network of wishes (pillar 2).
--
-- Intervision: a group of 4 to 8 professionals from at least two organisations and two
-- disciplines (a deferred trigger holds every group to it at commit), a facilitator,
-- sessions, and the attendance the facilitator confirms, which counts as reflection
-- hours for SKJ. What is discussed stays out: a group has a name and optionally a
-- theme, never case content.

CREATE TABLE intervision_group (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL CONSTRAINT intervision_group_name CHECK (length(btrim(name)) BETWEEN 3 AND 120),
    theme text CONSTRAINT intervision_group_theme CHECK (length(theme) <= 200),
    facilitator_id uuid NOT NULL REFERENCES account (id),
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE intervision_member (
    group_id uuid NOT NULL REFERENCES intervision_group (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    -- Where they work and their discipline, as the group was formed with them.
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    discipline text NOT NULL CONSTRAINT intervision_member_discipline CHECK (discipline IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (group_id, account_id)
);

CREATE FUNCTION intervision_composition() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    checked uuid := coalesce(NEW.group_id, OLD.group_id);
    members integer;
    organisations integer;
    disciplines integer;
BEGIN
    IF NOT EXISTS (SELECT FROM intervision_group WHERE id = checked) THEN
        RETURN NULL;
    END IF;
    SELECT count(*), count(DISTINCT organisation_id), count(DISTINCT discipline) INTO members, organisations, disciplines
    FROM intervision_member WHERE group_id = checked;
    IF members NOT BETWEEN 4 AND 8 OR organisations < 2 OR disciplines < 2 THEN
        RAISE EXCEPTION 'an intervision group has 4 to 8 members from at least two organisations and two disciplines'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'intervision_group_composition';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER intervision_group_composition AFTER INSERT OR UPDATE OR DELETE ON intervision_member
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION intervision_composition();

-- A group with no members at all would escape the trigger above: its row is checked too.
CREATE FUNCTION intervision_group_has_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT FROM intervision_group WHERE id = NEW.id)
       AND (SELECT count(*) FROM intervision_member WHERE group_id = NEW.id) < 4 THEN
        RAISE EXCEPTION 'an intervision group has 4 to 8 members from at least two organisations and two disciplines'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'intervision_group_composition';
    END IF;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER intervision_group_members AFTER INSERT ON intervision_group
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION intervision_group_has_members();

-- A professional asks to join a group: their discipline and when they can.
CREATE TABLE intervision_request (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    discipline text NOT NULL CONSTRAINT intervision_request_discipline CHECK (discipline IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming')),
    availability text NOT NULL CONSTRAINT intervision_request_availability CHECK (length(btrim(availability)) BETWEEN 3 AND 300),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Set when the person was placed in a group (or withdrew).
    handled_at timestamptz
);

CREATE UNIQUE INDEX intervision_request_open_once ON intervision_request (account_id) WHERE handled_at IS NULL;

CREATE TABLE intervision_session (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    group_id uuid NOT NULL REFERENCES intervision_group (id) ON DELETE CASCADE,
    during tstzrange NOT NULL CONSTRAINT intervision_session_during CHECK (
        NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
        AND NOT lower_inf(during) AND NOT upper_inf(during)
        AND upper(during) - lower(during) <= interval '8 hours'
    ),
    place text NOT NULL CONSTRAINT intervision_session_place CHECK (length(btrim(place)) BETWEEN 2 AND 300)
);

CREATE INDEX intervision_session_group_idx ON intervision_session (group_id, lower(during));

-- Attendance, confirmed by the group's facilitator: once per member and session.
CREATE TABLE intervision_attendance (
    session_id uuid NOT NULL REFERENCES intervision_session (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    confirmed_by uuid REFERENCES account (id) ON DELETE SET NULL,
    confirmed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (session_id, account_id)
);

-- Training wishes ------------------------------------------------------------------------

-- A professional's wish for training on a topic, and everyone who said "ik ook" (the
-- one who asked first included), once per person.
CREATE TABLE training_wish (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    topic text NOT NULL CONSTRAINT training_wish_topic CHECK (topic = lower(btrim(topic)) AND length(topic) BETWEEN 2 AND 60),
    why text NOT NULL CONSTRAINT training_wish_why CHECK (length(btrim(why)) BETWEEN 5 AND 500),
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    -- A provider answered it with an offering.
    answered_offering_id uuid REFERENCES course_offering (id) ON DELETE SET NULL,
    answered_by uuid REFERENCES account (id) ON DELETE SET NULL,
    answered_at timestamptz,
    CONSTRAINT training_wish_answered_when CHECK (answered_at IS NOT NULL OR (answered_by IS NULL AND answered_offering_id IS NULL))
);

CREATE INDEX training_wish_topic_idx ON training_wish (topic);

CREATE TABLE training_wish_support (
    wish_id uuid NOT NULL REFERENCES training_wish (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    -- Where they worked when they asked, for the network's view per organisation.
    organisation_id uuid REFERENCES organisation (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (wish_id, account_id)
);

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry', 'job_alert', 'posting_closing', 'reminder', 'interview', 'training_wish'));

-- Like every table but the technical ones, these move the figures version (0022); no
-- visitor's page reads them.
DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['intervision_group', 'intervision_member', 'intervision_request', 'intervision_session',
                                'intervision_attendance', 'training_wish', 'training_wish_support'] LOOP
        EXECUTE format('CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_version(%L)', name, 'figures_version');
    END LOOP;
END
$$;
