-- Doorstroom 0006: enrolment in the Jeugd Academie's offerings, with a waiting list,
-- attendance and completion (which earns accreditation points), clicks to providers'
-- own enrolment systems, and the reflection hours professionals log for SKJ.

ALTER TABLE course_offering
    ADD COLUMN enrolled integer NOT NULL DEFAULT 0,
    -- Never more enrolled than places, whatever races: the count is kept by the trigger below.
    ADD CONSTRAINT course_offering_capacity CHECK (enrolled >= 0 AND (max_students IS NULL OR enrolled <= max_students));

CREATE TABLE enrolment (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    offering_id uuid NOT NULL REFERENCES course_offering (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    status text NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled', 'attended', 'completed', 'no_show')),
    -- The waiting list's order; set when the request is taken, under the offering's lock.
    requested_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    -- Set when a place from the waiting list came free for this person (they are told).
    promoted_at timestamptz,
    decided_at timestamptz,
    decided_by uuid REFERENCES account (id) ON DELETE SET NULL,
    points_awarded numeric(5, 1) CHECK (points_awarded >= 0),
    register text CHECK (register IN ('SKJ', 'NIP', 'NVO', 'BIG')),
    CONSTRAINT enrolment_points_only_when_completed CHECK (points_awarded IS NULL OR status = 'completed')
);

CREATE UNIQUE INDEX enrolment_live_once ON enrolment (offering_id, account_id)
    WHERE status IN ('enrolled', 'waitlisted', 'attended', 'completed');
CREATE INDEX enrolment_account_idx ON enrolment (account_id, requested_at DESC);
CREATE INDEX enrolment_waiting_idx ON enrolment (offering_id, requested_at, id) WHERE status = 'waitlisted';

CREATE FUNCTION enrolment_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ('enrolled', 'attended', 'completed') THEN
        UPDATE course_offering SET enrolled = enrolled - 1 WHERE id = OLD.offering_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ('enrolled', 'attended', 'completed') THEN
        UPDATE course_offering SET enrolled = enrolled + 1 WHERE id = NEW.offering_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER enrolment_count AFTER INSERT OR UPDATE OF status OR DELETE ON enrolment
    FOR EACH ROW EXECUTE FUNCTION enrolment_count();

-- Clicks to a provider's own enrolment system (for monitoring).
CREATE TABLE course_click (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    account_id uuid REFERENCES account (id) ON DELETE SET NULL,
    clicked_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX course_click_course_idx ON course_click (course_id, clicked_at);

-- Reflection (intervision, supervision) a professional logs towards SKJ re-registration.
CREATE TABLE reflection_log (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('intervision', 'supervision')),
    held_on date NOT NULL,
    hours numeric(4, 1) NOT NULL CHECK (hours > 0 AND hours <= 24),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX reflection_log_account_idx ON reflection_log (account_id, held_on);
