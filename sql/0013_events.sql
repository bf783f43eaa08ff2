-- Doorstroom 0013: ontmoetingen. Events of the region or of one member organisation
-- (meetups for rotation, open days, shadow days in a group, other meetups) with places
-- and registration. As with shadow days, every registration takes a place, kept by a
-- trigger under the event's row lock, and the CHECK refuses the one too many.

CREATE TABLE event (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- NULL: organised for the whole region.
    organisation_id uuid REFERENCES organisation (id),
    kind text NOT NULL CHECK (kind IN ('rotation_meetup', 'open_day', 'shadow_day', 'meetup')),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 200),
    description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 10000),
    place text NOT NULL CHECK (length(btrim(place)) BETWEEN 2 AND 300),
    during tstzrange NOT NULL CHECK (
        NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)
        AND upper(during) - lower(during) <= interval '12 hours'
    ),
    places integer NOT NULL CHECK (places BETWEEN 1 AND 1000),
    places_taken integer NOT NULL DEFAULT 0,
    cancelled_at timestamptz,
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT event_places_kept CHECK (places_taken BETWEEN 0 AND places)
);

CREATE INDEX event_upcoming_idx ON event (lower(during)) WHERE cancelled_at IS NULL;

CREATE TABLE event_registration (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    event_id uuid NOT NULL REFERENCES event (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES account (id),
    status text NOT NULL DEFAULT 'registered' CHECK (status IN ('registered', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    CONSTRAINT event_registration_cancelled_when CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);

CREATE UNIQUE INDEX event_registration_once ON event_registration (event_id, account_id) WHERE status = 'registered';
CREATE INDEX event_registration_account_idx ON event_registration (account_id, created_at DESC);

CREATE FUNCTION event_registration_places() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' AND NEW.status = 'registered' THEN
        UPDATE event SET places_taken = places_taken + 1 WHERE id = NEW.event_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.status = 'registered' AND NEW.status <> 'registered' THEN
        UPDATE event SET places_taken = places_taken - 1 WHERE id = NEW.event_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.status <> 'registered' AND NEW.status = 'registered' THEN
        UPDATE event SET places_taken = places_taken + 1 WHERE id = NEW.event_id;
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER event_registration_places AFTER INSERT OR UPDATE OF status ON event_registration
    FOR EACH ROW EXECUTE FUNCTION event_registration_places();
