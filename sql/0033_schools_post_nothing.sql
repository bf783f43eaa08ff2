-- Doorstroom 0033: a school posts nothing and employs nobody through the platform.
--
-- Schools (0030) are partners, not members: postings, courses, shift demand and its
-- locations, employment, API tokens, meetings, the internship places an employer
-- agrees and a rejection template all belong to a member organisation. The roles
-- already keep HR advisers and coordinators away from schools; this holds the rows
-- themselves, whatever wrote them (an API token made on the command line, an import).
CREATE FUNCTION organisation_is_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.organisation_id IS NOT NULL
       AND EXISTS (SELECT FROM organisation WHERE id = NEW.organisation_id AND kind = 'school') THEN
        RAISE EXCEPTION 'a school posts nothing and employs nobody: % belongs to a member organisation', TG_TABLE_NAME
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organisation_is_member';
    END IF;
    RETURN NEW;
END
$$;

DO $$
DECLARE
    name text;
BEGIN
    FOREACH name IN ARRAY ARRAY['posting', 'course', 'shift_demand', 'organisation_location', 'employment', 'api_token', 'event',
                                'internship_agreement', 'rejection_template'] LOOP
        EXECUTE format('CREATE TRIGGER organisation_is_member BEFORE INSERT OR UPDATE OF organisation_id ON %I '
                       'FOR EACH ROW EXECUTE FUNCTION organisation_is_member()', name);
    END LOOP;
END
$$;

-- An organisation with any of those rows cannot become a school either.
CREATE FUNCTION organisation_kind_school_holds_nothing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind = 'school' AND OLD.kind <> 'school' AND (
        EXISTS (SELECT FROM posting WHERE organisation_id = NEW.id) OR EXISTS (SELECT FROM course WHERE organisation_id = NEW.id)
        OR EXISTS (SELECT FROM shift_demand WHERE organisation_id = NEW.id) OR EXISTS (SELECT FROM employment WHERE organisation_id = NEW.id)
        OR EXISTS (SELECT FROM api_token WHERE organisation_id = NEW.id) OR EXISTS (SELECT FROM event WHERE organisation_id = NEW.id)
        OR EXISTS (SELECT FROM internship_agreement WHERE organisation_id = NEW.id)) THEN
        RAISE EXCEPTION 'an organisation with postings, courses, shifts, employees, tokens, meetings or agreements cannot become a school'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'organisation_is_member';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER organisation_kind_school_holds_nothing BEFORE UPDATE OF kind ON organisation
    FOR EACH ROW EXECUTE FUNCTION organisation_kind_school_holds_nothing();
