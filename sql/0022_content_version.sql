-- Doorstroom 0022: a version of everything a visitor can see, so that every instance
-- can keep the pages it rendered for visitors until something changes.
--
-- Every statement that changes a table whose rows can reach a public page (postings,
-- courses, meetings, organisations, the salary table, ...) takes the next value of this
-- sequence. Sequences are not transactional and never block, so writers do not wait on
-- one another for it; an instance compares the value with the one its cached page was
-- made at. Tables no visitor's page reads (sessions, the audit log, the flexpool's own
-- planning, ...) are left out, so that their traffic does not empty the caches.
CREATE SEQUENCE content_version;

CREATE FUNCTION content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval('content_version');
    RETURN NULL;
END
$$;

DO $$
DECLARE
    name text;
BEGIN
    FOR name IN
        SELECT tablename FROM pg_tables WHERE schemaname = 'public'
          AND tablename <> ALL (ARRAY[
              'schema_migration', 'session', 'login_attempt', 'audit_log', 'notification', 'account_token', 'invitation',
              'recovery_code', 'api_token', 'catalogue_upload', 'catalogue_import', 'application_seen', 'course_click',
              'consent', 'reflection_log', 'matching_run', 'pool_member', 'pool_member_function', 'pool_member_discipline',
              'pool_member_area', 'pool_availability_pattern', 'pool_availability', 'shift_demand', 'shift_assignment',
              'shift_forbidden', 'organisation_location', 'application_cv', 'rotation', 'rotation_party', 'mobility_move',
              'internship_agreement'])
    LOOP
        EXECUTE format('CREATE TRIGGER content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION content_changed()', name);
    END LOOP;
END
$$;
