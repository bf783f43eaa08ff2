-- Doorstroom 0027: interviews and rejections as the best recruiting tools do them.
--
-- HR advisers put interview times on a posting; a candidate whose application is at
-- "uitgenodigd" books one of them, gets a calendar invitation and a reminder, and may
-- cancel or choose another time until 24 hours before. One booking per time and one
-- live booking per application: the unique indexes below hold that under any race.
--
-- A rejection names a reason from a list and carries a message, which starts from
-- the organisation's own template. The candidate sees both.

CREATE TABLE interview_slot (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    posting_id uuid NOT NULL REFERENCES posting (id) ON DELETE CASCADE,
    during tstzrange NOT NULL CONSTRAINT interview_slot_during CHECK (
        NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
        AND NOT lower_inf(during) AND NOT upper_inf(during)
        AND upper(during) - lower(during) <= interval '4 hours'
    ),
    place text NOT NULL CONSTRAINT interview_slot_place CHECK (length(btrim(place)) BETWEEN 2 AND 300),
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX interview_slot_posting_idx ON interview_slot (posting_id, lower(during));

CREATE TABLE interview_booking (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slot_id uuid NOT NULL REFERENCES interview_slot (id) ON DELETE CASCADE,
    application_id uuid NOT NULL REFERENCES application (id) ON DELETE CASCADE,
    status text NOT NULL DEFAULT 'booked' CONSTRAINT interview_booking_status CHECK (status IN ('booked', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    cancelled_at timestamptz,
    CONSTRAINT interview_booking_cancelled_when CHECK ((status = 'cancelled') = (cancelled_at IS NOT NULL))
);

CREATE UNIQUE INDEX interview_booking_slot_once ON interview_booking (slot_id) WHERE status = 'booked';
CREATE UNIQUE INDEX interview_booking_application_once ON interview_booking (application_id) WHERE status = 'booked';

-- Why an application was turned down, and what the candidate was told.
ALTER TABLE application
    ADD COLUMN rejection_reason text CONSTRAINT application_rejection_reason
        CHECK (rejection_reason IN ('profile', 'experience', 'other_candidate', 'filled', 'other')),
    ADD COLUMN rejection_message text CONSTRAINT application_rejection_message CHECK (length(rejection_message) <= 2000),
    ADD CONSTRAINT application_rejection_reason_when CHECK (rejection_reason IS NULL OR status = 'rejected');

-- The message an organisation starts every rejection from.
CREATE TABLE rejection_template (
    organisation_id uuid PRIMARY KEY REFERENCES organisation (id) ON DELETE CASCADE,
    body text NOT NULL CONSTRAINT rejection_template_body CHECK (length(btrim(body)) BETWEEN 10 AND 2000),
    updated_by uuid REFERENCES account (id) ON DELETE SET NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A calendar invitation rides along with the mail of its notification.
ALTER TABLE notification
    ADD COLUMN attachment text CONSTRAINT notification_attachment_size CHECK (length(attachment) <= 20000),
    ADD COLUMN attachment_name text CONSTRAINT notification_attachment_name CHECK (attachment_name ~ '^[a-z0-9-]{1,60}\.ics$'),
    ADD CONSTRAINT notification_attachment_whole CHECK ((attachment IS NULL) = (attachment_name IS NULL));

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry', 'job_alert', 'posting_closing', 'reminder', 'interview'));

ALTER TABLE reminder_sent DROP CONSTRAINT reminder_sent_subject;
ALTER TABLE reminder_sent ADD CONSTRAINT reminder_sent_subject CHECK (subject IN ('shift', 'course', 'meeting', 'interview'));

-- Like every table but the technical ones, these move the figures version (0022); no
-- visitor's page reads them.
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON interview_slot
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON interview_booking
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON rejection_template
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
