-- Doorstroom 0022: versions of the data, so that every instance can keep what it
-- computed until something it depends on changes.
--
-- `content_version`: everything a visitor can see. Every statement that changes a
-- table whose rows can reach a public page (postings, courses, meetings,
-- organisations, the salary table, ...) takes its next value. Tables no visitor's page
-- reads (sessions, the audit log, the flexpool's own planning, ...) are left out, so
-- that their traffic does not empty the kept pages.
--
-- `figures_version`: everything the monitor counts: every table but the technical
-- ones (sessions, login attempts, the audit log, messages, tokens, uploads waiting).
--
-- Sequences are not transactional and never block, so writers do not wait on one
-- another for them; an instance compares the value with the one it computed at.
CREATE SEQUENCE content_version;
CREATE SEQUENCE figures_version;

CREATE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM nextval(TG_ARGV[0]::regclass);
    RETURN NULL;
END
$$;

DO $$
DECLARE
    name text;
    technical text[] := ARRAY['schema_migration', 'session', 'login_attempt', 'audit_log', 'notification', 'account_token',
                              'invitation', 'recovery_code', 'api_token', 'catalogue_upload', 'application_seen'];
BEGIN
    FOR name IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL (technical) LOOP
        EXECUTE format('CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_version(%L)', name, 'figures_version');
    END LOOP;
    FOR name IN
        SELECT tablename FROM pg_tables WHERE schemaname = 'public'
          AND tablename <> ALL (technical || ARRAY[
              'catalogue_import', 'course_click', 'consent', 'reflection_log', 'matching_run', 'pool_member',
              'pool_member_function', 'pool_member_discipline', 'pool_member_area', 'pool_availability_pattern', 'pool_availability',
              'shift_demand', 'shift_assignment', 'shift_forbidden', 'organisation_location', 'application_cv', 'rotation',
              'rotation_party', 'mobility_move', 'internship_agreement'])
    LOOP
        EXECUTE format('CREATE TRIGGER content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION bump_version(%L)', name, 'content_version');
    END LOOP;
END
$$;
