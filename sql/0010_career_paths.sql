-- Doorstroom 0010: career paths (loopbaanpaden). The functions of the field get their
-- CAO Jeugdzorg scale; steps lead from one function to a next, each with what it takes:
-- an education, a registration, years of experience, and courses of the academy
-- (named by topic, so that any member organisation's course on it counts).

ALTER TABLE job_function
    ADD COLUMN cao_scale text CHECK (cao_scale ~ '^[0-9]{1,2}(-[0-9]{1,2})?$');

UPDATE job_function SET cao_scale = v.scale
FROM (VALUES ('pedagogisch-medewerker', '6-7'), ('jeugdzorgwerker', '8'), ('jeugdhulpverlener', '8-9'),
             ('jeugdbeschermer', '9'), ('gezinscoach', '9'), ('ambulant-hulpverlener', '8-9'),
             ('gedragswetenschapper', '10-11'), ('orthopedagoog', '10-11'), ('gz-psycholoog', '11-12'),
             ('teamleider', '10')) AS v (code, scale)
WHERE job_function.code = v.code;

CREATE TABLE career_step (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    from_function text NOT NULL REFERENCES job_function (code),
    to_function text NOT NULL REFERENCES job_function (code),
    education text NOT NULL DEFAULT '' CHECK (length(education) <= 300),
    registration text CHECK (registration IN ('SKJ', 'BIG')),
    experience_years integer NOT NULL DEFAULT 0 CHECK (experience_years BETWEEN 0 AND 20),
    note text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT career_step_once UNIQUE (from_function, to_function),
    CONSTRAINT career_step_moves CHECK (from_function <> to_function)
);

CREATE TABLE career_step_topic (
    step_id uuid NOT NULL REFERENCES career_step (id) ON DELETE CASCADE,
    topic text NOT NULL CHECK (length(btrim(topic)) BETWEEN 1 AND 100),
    PRIMARY KEY (step_id, topic)
);
