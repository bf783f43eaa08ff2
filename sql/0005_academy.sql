-- Doorstroom 0005: the Jeugd Academie's catalogue. Every organisation's courses and
-- their offerings in one uniform format (OOAPI v5 with the youth domain's fields,
-- docs/academy-format.md), kept by imports that upsert by the provider's own code.

CREATE TABLE course (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    primary_code text NOT NULL CHECK (length(btrim(primary_code)) BETWEEN 1 AND 100),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 2 AND 300),
    description text NOT NULL CHECK (length(description) BETWEEN 1 AND 20000),
    abbreviation text CHECK (length(abbreviation) <= 256),
    teaching_language text NOT NULL DEFAULT 'nl-NL' CHECK (length(teaching_language) BETWEEN 2 AND 20),
    level text CHECK (length(level) <= 100),
    format text NOT NULL CHECK (format IN ('classroom', 'online_live', 'e_learning', 'blended')),
    duration text CHECK (length(duration) <= 50),
    link text CHECK (link ~ '^https?://[^[:space:]]+$' AND length(link) <= 2048),
    -- false: the provider keeps its own enrolment system, and the course links there.
    enrols_here boolean NOT NULL DEFAULT true,
    topics text[] NOT NULL DEFAULT '{}',
    target_functions text[] NOT NULL DEFAULT '{}',
    target_disciplines text[] NOT NULL DEFAULT '{}'
        CHECK (target_disciplines <@ ARRAY['jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming']::text[]),
    study_hours numeric(6, 1) CHECK (study_hours BETWEEN 0 AND 2000),
    register text CHECK (register IN ('SKJ', 'NIP', 'NVO', 'BIG')),
    points numeric(5, 1) CHECK (points BETWEEN 0 AND 200),
    accreditation_number text CHECK (length(accreditation_number) <= 100),
    price_cents integer CHECK (price_cents >= 0),
    -- Set by the import, for Dutch full-text search.
    search tsvector NOT NULL,
    withdrawn_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT course_code_once UNIQUE (organisation_id, primary_code),
    CONSTRAINT course_accreditation_whole CHECK ((register IS NULL) = (points IS NULL)),
    CONSTRAINT course_provider_link CHECK (enrols_here OR link IS NOT NULL)
);

CREATE INDEX course_search_idx ON course USING gin (search) WHERE withdrawn_at IS NULL;
CREATE INDEX course_topics_idx ON course USING gin (topics) WHERE withdrawn_at IS NULL;

CREATE TABLE course_offering (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    course_id uuid NOT NULL REFERENCES course (id) ON DELETE CASCADE,
    primary_code text NOT NULL CHECK (length(btrim(primary_code)) BETWEEN 1 AND 100),
    start_date date NOT NULL,
    end_date date NOT NULL,
    enroll_start_date date,
    enroll_end_date date,
    -- NULL: no limit.
    max_students integer CHECK (max_students BETWEEN 0 AND 10000),
    place text CHECK (length(place) <= 300),
    sessions jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(sessions) = 'array'),
    withdrawn_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT course_offering_code_once UNIQUE (course_id, primary_code),
    CONSTRAINT course_offering_dates CHECK (end_date >= start_date),
    CONSTRAINT course_offering_enrolment_window CHECK (
        enroll_start_date IS NULL OR enroll_end_date IS NULL OR enroll_end_date >= enroll_start_date)
);

CREATE INDEX course_offering_course_idx ON course_offering (course_id, start_date);
CREATE INDEX course_offering_dates_idx ON course_offering (start_date) WHERE withdrawn_at IS NULL;

-- Each import: who, when, what it did; the rejected records with their reasons.
CREATE TABLE catalogue_import (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    imported_by uuid REFERENCES account (id) ON DELETE SET NULL,
    source text NOT NULL CHECK (source IN ('upload', 'api', 'command')),
    imported_at timestamptz NOT NULL DEFAULT now(),
    inserted integer NOT NULL CHECK (inserted >= 0),
    updated integer NOT NULL CHECK (updated >= 0),
    unchanged integer NOT NULL CHECK (unchanged >= 0),
    withdrawn integer NOT NULL CHECK (withdrawn >= 0),
    rejected jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(rejected) = 'array')
);

CREATE INDEX catalogue_import_organisation_idx ON catalogue_import (organisation_id, imported_at DESC);
