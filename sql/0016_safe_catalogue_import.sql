-- Doorstroom 0016: a catalogue import never empties a catalogue by mistake.
--
-- Every attempt is logged with its outcome, also the ones that changed nothing: a
-- file with no valid course, a file that could not be read, and an import that
-- would withdraw too much without being confirmed (with what it would have
-- withdrawn). The log is kept for 12 months (the retention job).
ALTER TABLE catalogue_import
    ADD COLUMN outcome text NOT NULL DEFAULT 'applied'
        CONSTRAINT catalogue_import_outcome CHECK (outcome IN ('applied', 'unreadable', 'no_valid_course', 'needs_confirmation')),
    ADD COLUMN courses_in_file integer NOT NULL DEFAULT 0 CHECK (courses_in_file >= 0),
    -- The courses it withdrew, or (needs_confirmation) would have withdrawn: codes and names.
    ADD COLUMN withdrawn_courses jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(withdrawn_courses) = 'array'),
    ADD COLUMN confirmed boolean NOT NULL DEFAULT false,
    -- The organisation's system that sent it through the API, by its token.
    ADD COLUMN api_token_id uuid REFERENCES api_token (id) ON DELETE SET NULL,
    ADD CONSTRAINT catalogue_import_changed_only_when_applied
        CHECK (outcome = 'applied' OR (inserted = 0 AND updated = 0 AND withdrawn = 0));

-- A course withdrawn by an import knows which one, so that it can be brought back
-- within 30 days; the people enrolled are told only once the withdrawal has held for
-- an hour (withdrawal_notified_at marks that they were).
ALTER TABLE course
    ADD COLUMN withdrawn_by_import uuid REFERENCES catalogue_import (id) ON DELETE SET NULL,
    ADD COLUMN withdrawal_notified_at timestamptz,
    ADD CONSTRAINT course_withdrawal_notified_when CHECK (withdrawal_notified_at IS NULL OR withdrawn_at IS NOT NULL);

-- Courses withdrawn before this migration were handled under the old rules: nobody
-- is told about them now.
UPDATE course SET withdrawal_notified_at = withdrawn_at WHERE withdrawn_at IS NOT NULL;

CREATE INDEX course_withdrawal_to_notify_idx ON course (withdrawn_at)
    WHERE withdrawn_at IS NOT NULL AND withdrawal_notified_at IS NULL;

-- An upload that needs confirmation waits here (an hour at most) until its HR adviser
-- confirms or cancels it: the confirmation imports exactly the file that was shown.
CREATE TABLE catalogue_upload (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    content text NOT NULL CHECK (length(content) <= 33554432),
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX catalogue_upload_created_idx ON catalogue_upload (created_at);

-- People hear that a course they enrolled for was withdrawn.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request', 'course_withdrawn'));
