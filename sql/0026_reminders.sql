-- Doorstroom 0026: reminders people rely on. A confirmed shift 24 hours before it starts
-- (and 2 hours before, for those who choose it), a course 7 days and 1 day before its
-- first day, a meeting likewise. Each reminder goes once per person, object and lead,
-- whatever the number of instances (the key below, written in the same transaction as
-- the message); what is cancelled before its time is not reminded of.

CREATE TABLE reminder_sent (
    subject text NOT NULL CONSTRAINT reminder_sent_subject CHECK (subject IN ('shift', 'course', 'meeting')),
    -- The shift assignment, the enrolment, or the meeting registration.
    object_id uuid NOT NULL,
    account_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    lead text NOT NULL CONSTRAINT reminder_sent_lead CHECK (lead IN ('24h', '2h', '7d', '1d')),
    sent_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (subject, object_id, account_id, lead)
);

-- A pool member may also want a reminder two hours before a shift.
ALTER TABLE pool_member ADD COLUMN remind_two_hours boolean NOT NULL DEFAULT false;

ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned', 'application_received', 'shift_assigned',
                    'credential_expiry', 'job_alert', 'posting_closing', 'reminder'));
