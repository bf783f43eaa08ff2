-- Doorstroom 0019: tools for each role's daily work.

-- HR advisers -------------------------------------------------------------------------

-- A new application tells the posting organisation's HR advisers; a coordinator's hand
-- assignment tells the person.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned'));

-- An applicant may give a phone number. It is personal content, like the motivation:
-- retention and erasure remove it.
ALTER TABLE application
    ADD COLUMN phone text CONSTRAINT application_phone_shape CHECK (phone ~ '^\+?[0-9 ()-]{8,23}$'),
    ADD CONSTRAINT application_phone_removed CHECK (content_removed_at IS NULL OR phone IS NULL);

-- An applicant's CV (PDF or DOCX, at most 5 MB), served only to the HR advisers of the
-- posting's organisation. It goes with the application's content (trigger below).
CREATE TABLE application_cv (
    application_id uuid PRIMARY KEY REFERENCES application (id) ON DELETE CASCADE,
    file_name text NOT NULL CONSTRAINT application_cv_name CHECK (length(btrim(file_name)) BETWEEN 1 AND 200),
    media_type text NOT NULL CONSTRAINT application_cv_type CHECK (media_type IN (
        'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')),
    content bytea NOT NULL CONSTRAINT application_cv_size CHECK (octet_length(content) BETWEEN 1 AND 5242880),
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Removing an application's content (retention, erasure) removes its CV in the same
-- statement's transaction, whichever code path removes it.
CREATE FUNCTION application_cv_goes_with_content() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM application_cv WHERE application_id = NEW.id;
    RETURN NEW;
END
$$;
CREATE TRIGGER application_cv_goes_with_content AFTER UPDATE OF content_removed_at ON application
    FOR EACH ROW WHEN (NEW.content_removed_at IS NOT NULL) EXECUTE FUNCTION application_cv_goes_with_content();

-- When an HR adviser last looked at a posting's applications: what came in since is "nieuw".
CREATE TABLE application_seen (
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    posting_id uuid NOT NULL REFERENCES posting (id) ON DELETE CASCADE,
    seen_at timestamptz NOT NULL,
    PRIMARY KEY (account_id, posting_id)
);

CREATE INDEX application_posting_created_idx ON application (posting_id, created_at);

-- Coordinators ------------------------------------------------------------------------

-- The places an organisation's shifts are worked: address, a contact and instructions.
CREATE TABLE organisation_location (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    name text NOT NULL CONSTRAINT organisation_location_name CHECK (length(btrim(name)) BETWEEN 2 AND 120),
    address text NOT NULL CONSTRAINT organisation_location_address CHECK (length(btrim(address)) BETWEEN 5 AND 300),
    contact text NOT NULL DEFAULT '' CHECK (length(contact) <= 200),
    instructions text NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT organisation_location_once UNIQUE (organisation_id, name),
    CONSTRAINT organisation_location_of UNIQUE (id, organisation_id)
);

-- A demand's place is one of its own organisation's locations.
ALTER TABLE shift_demand
    ADD COLUMN location_id uuid,
    ADD CONSTRAINT shift_demand_location FOREIGN KEY (location_id, organisation_id)
        REFERENCES organisation_location (id, organisation_id);

-- Assignments a coordinator made by hand, and pinned ones: a matching run keeps a
-- pinned proposal as it is.
ALTER TABLE shift_assignment DROP CONSTRAINT shift_assignment_source_check;
ALTER TABLE shift_assignment
    ADD CONSTRAINT shift_assignment_source CHECK (source IN ('matching', 'claim', 'hand')),
    ADD COLUMN pinned boolean NOT NULL DEFAULT false;

-- A person the coordinator ruled out for a demand: the matching never proposes them.
CREATE TABLE shift_forbidden (
    demand_id uuid NOT NULL REFERENCES shift_demand (id) ON DELETE CASCADE,
    account_id uuid NOT NULL REFERENCES professional (account_id) ON DELETE CASCADE,
    forbidden_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (demand_id, account_id)
);

CREATE FUNCTION shift_forbidden_not_proposed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status IN ('proposed', 'confirmed') AND NEW.source = 'matching'
       AND EXISTS (SELECT FROM shift_forbidden f WHERE f.demand_id = NEW.demand_id AND f.account_id = NEW.account_id) THEN
        RAISE EXCEPTION 'this person is ruled out for this demand'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'shift_assignment_not_forbidden';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER shift_assignment_not_forbidden BEFORE INSERT ON shift_assignment
    FOR EACH ROW EXECUTE FUNCTION shift_forbidden_not_proposed();

-- Providers in the Jeugd Academie -----------------------------------------------------

-- Where a course (and an offering) came from: a file import or the form. An import
-- withdraws only what imports brought.
ALTER TABLE course
    ADD COLUMN origin text NOT NULL DEFAULT 'import' CONSTRAINT course_origin CHECK (origin IN ('import', 'form'));
ALTER TABLE course_offering
    ADD COLUMN origin text NOT NULL DEFAULT 'import' CONSTRAINT course_offering_origin CHECK (origin IN ('import', 'form'));

-- An upload now always waits for its adviser's word; it remembers the preview it showed.
ALTER TABLE catalogue_upload ADD COLUMN preview jsonb;
