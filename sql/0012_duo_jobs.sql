-- Doorstroom 0012: duo jobs. Two people apply together for a duo-job posting: the
-- applicant names a partner (who is open to duo jobs and may be contacted), the partner
-- confirms or declines. Notifications learn the kind for it.

ALTER TABLE application
    ADD COLUMN duo_partner_id uuid REFERENCES account (id),
    ADD COLUMN duo_confirmed_at timestamptz,
    ADD CONSTRAINT application_duo_partner_other CHECK (duo_partner_id IS NULL OR duo_partner_id <> applicant_id),
    ADD CONSTRAINT application_duo_confirmed_when CHECK (duo_confirmed_at IS NULL OR duo_partner_id IS NOT NULL);

-- One person is named as partner once per posting.
CREATE UNIQUE INDEX application_duo_partner_once ON application (posting_id, duo_partner_id) WHERE duo_partner_id IS NOT NULL;
CREATE INDEX application_duo_partner_idx ON application (duo_partner_id) WHERE duo_partner_id IS NOT NULL;

-- A partner only on a posting that is suitable as a duo job.
CREATE FUNCTION application_duo_only_on_duo_postings() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.duo_partner_id IS NOT NULL AND NOT (SELECT duo_suitable FROM posting WHERE id = NEW.posting_id) THEN
        RAISE EXCEPTION 'posting % is not a duo job', NEW.posting_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'application_duo_posting';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER application_duo_posting BEFORE INSERT OR UPDATE OF duo_partner_id ON application
    FOR EACH ROW EXECUTE FUNCTION application_duo_only_on_duo_postings();

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request'));
