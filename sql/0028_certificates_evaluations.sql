-- Doorstroom 0028: after a course. A completion gives a certificate with a code that
-- anyone can check at /certificaat/{code} (name, course, date, points; nothing else).
-- A short evaluation (four questions, 1 to 5) is kept apart from who gave it: the
-- answers carry the offering only, and a separate list says which enrolments have
-- answered, so that nobody, the provider included, can link an answer to a person.

CREATE TABLE certificate (
    -- Twelve characters of Crockford's base32 in three groups: 60 random bits.
    code text PRIMARY KEY CONSTRAINT certificate_code
        CHECK (code ~ '^[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{4}$'),
    enrolment_id uuid NOT NULL UNIQUE REFERENCES enrolment (id) ON DELETE CASCADE,
    -- As they were when it was issued.
    holder_name text NOT NULL CONSTRAINT certificate_holder CHECK (length(btrim(holder_name)) BETWEEN 1 AND 200),
    course_name text NOT NULL,
    provider text NOT NULL,
    completed_on date NOT NULL,
    points numeric(5, 1),
    register text,
    issued_at timestamptz NOT NULL DEFAULT now(),
    -- Set when the completion was taken back: the code then no longer verifies.
    revoked_at timestamptz
);

CREATE TABLE course_evaluation (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    offering_id uuid NOT NULL REFERENCES course_offering (id) ON DELETE CASCADE,
    relevance smallint NOT NULL CONSTRAINT course_evaluation_relevance CHECK (relevance BETWEEN 1 AND 5),
    trainer smallint NOT NULL CONSTRAINT course_evaluation_trainer CHECK (trainer BETWEEN 1 AND 5),
    applicable smallint NOT NULL CONSTRAINT course_evaluation_applicable CHECK (applicable BETWEEN 1 AND 5),
    recommend smallint NOT NULL CONSTRAINT course_evaluation_recommend CHECK (recommend BETWEEN 1 AND 5)
);

CREATE INDEX course_evaluation_offering_idx ON course_evaluation (offering_id);

-- Who has answered (once per enrolment), without the answer.
CREATE TABLE course_evaluation_given (
    enrolment_id uuid PRIMARY KEY REFERENCES enrolment (id) ON DELETE CASCADE
);

-- Evaluations count in the monitor; both move the figures version (0022), and no
-- visitor's page is kept by them (the certificate check is not kept).
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON course_evaluation
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
CREATE TRIGGER figures_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certificate
    FOR EACH STATEMENT EXECUTE FUNCTION bump_version('figures_version');
