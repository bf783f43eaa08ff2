-- Doorstroom 0018: a confirmed shift given back within 48 hours of its start tells the
-- coordinators (of its organisation, and the region's) at once, with the reason.
ALTER TABLE notification DROP CONSTRAINT notification_kind_check;
ALTER TABLE notification ADD CONSTRAINT notification_kind_check
    CHECK (kind IN ('application_status', 'shift_proposed', 'waitlist_place', 'rotation_request', 'duo_request',
                    'course_withdrawn', 'account_mail', 'shift_returned'));
