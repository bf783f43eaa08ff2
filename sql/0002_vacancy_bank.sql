-- Doorstroom 0002: the vacancy bank. Postings of every kind, applications with their
-- states, places that are never overbooked, moves between organisations, internship
-- agreements, and API tokens for the organisations' own systems.

-- Lets a posting say its area lies in its municipality (composite foreign key).
ALTER TABLE area ADD CONSTRAINT area_slug_municipality_key UNIQUE (slug, municipality_slug);

CREATE TABLE posting (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    kind text NOT NULL CHECK (kind IN ('vacancy', 'internship', 'traineeship', 'shadow_day')),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'closed', 'filled')),
    title text NOT NULL CHECK (length(btrim(title)) BETWEEN 3 AND 200),
    function_code text REFERENCES job_function (code),
    discipline text CHECK (discipline IN ('jeugdhulp', 'ggz', 'lvb', 'jeugdbescherming')),
    education_level text CHECK (education_level IN ('mbo', 'hbo', 'wo')),
    hours_min integer CHECK (hours_min BETWEEN 1 AND 40),
    hours_max integer CHECK (hours_max BETWEEN 1 AND 40),
    -- CAO Jeugdzorg salary scale (schaal).
    salary_scale integer CHECK (salary_scale BETWEEN 1 AND 18),
    municipality_slug text NOT NULL REFERENCES municipality (slug),
    area_slug text REFERENCES area (slug),
    start_date date,
    closing_date date,
    places integer CHECK (places BETWEEN 1 AND 500),
    -- Places taken: applications (shadow days) or hires (internships). Kept by the
    -- trigger below; the CHECK makes overbooking impossible, also under races.
    places_taken integer NOT NULL DEFAULT 0 CHECK (places_taken >= 0),
    description text NOT NULL CHECK (length(btrim(description)) BETWEEN 1 AND 20000),
    contact text CHECK (length(contact) <= 500),
    duo_suitable boolean NOT NULL DEFAULT false,
    -- Until this day only logged-in professionals of member organisations see it.
    internal_until date,
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    published_at timestamptz,
    closed_at timestamptz,
    search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('dutch'::regconfig, title), 'A')
        || setweight(to_tsvector('dutch'::regconfig, description), 'B')
    ) STORED,
    CONSTRAINT posting_hours_range CHECK (hours_min IS NULL OR hours_max IS NULL OR hours_min <= hours_max),
    CONSTRAINT posting_places_needed CHECK (kind NOT IN ('internship', 'shadow_day') OR places IS NOT NULL),
    CONSTRAINT posting_places_kept CHECK (places IS NULL OR places_taken <= places),
    CONSTRAINT posting_duo_only_vacancy CHECK (NOT duo_suitable OR kind = 'vacancy'),
    CONSTRAINT posting_dates CHECK (start_date IS NULL OR closing_date IS NULL OR closing_date <= start_date + 366),
    CONSTRAINT posting_published_has_date CHECK (status = 'draft' OR published_at IS NOT NULL),
    CONSTRAINT posting_area_in_municipality FOREIGN KEY (area_slug, municipality_slug)
        REFERENCES area (slug, municipality_slug)
);

CREATE INDEX posting_search_idx ON posting USING gin (search);
CREATE INDEX posting_list_idx ON posting (published_at DESC) WHERE status = 'published';
CREATE INDEX posting_organisation_idx ON posting (organisation_id, status);

CREATE TABLE application (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    posting_id uuid NOT NULL REFERENCES posting (id) ON DELETE CASCADE,
    applicant_id uuid NOT NULL REFERENCES account (id) ON DELETE CASCADE,
    motivation text NOT NULL CHECK (length(btrim(motivation)) BETWEEN 10 AND 5000),
    status text NOT NULL DEFAULT 'submitted'
        CHECK (status IN ('submitted', 'in_review', 'invited', 'hired', 'rejected', 'withdrawn')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    decided_at timestamptz,
    -- One application per person per posting.
    CONSTRAINT application_once UNIQUE (posting_id, applicant_id)
);

CREATE INDEX application_applicant_idx ON application (applicant_id, created_at DESC);
CREATE INDEX application_posting_idx ON application (posting_id, status);

-- Keeps posting.places_taken: for shadow days every live application takes a place,
-- for internships every hire does. The UPDATE locks the posting row, so racing
-- applications queue here and the CHECK refuses the one too many.
CREATE FUNCTION application_places() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    kind_of text;
    before_takes boolean := false;
    after_takes boolean := false;
    target uuid := coalesce(NEW.posting_id, OLD.posting_id);
BEGIN
    SELECT kind INTO kind_of FROM posting WHERE id = target;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        before_takes := CASE kind_of
            WHEN 'shadow_day' THEN OLD.status IN ('submitted', 'in_review', 'invited', 'hired')
            WHEN 'internship' THEN OLD.status = 'hired'
            ELSE false END;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        after_takes := CASE kind_of
            WHEN 'shadow_day' THEN NEW.status IN ('submitted', 'in_review', 'invited', 'hired')
            WHEN 'internship' THEN NEW.status = 'hired'
            ELSE false END;
    END IF;
    IF after_takes AND NOT before_takes THEN
        UPDATE posting SET places_taken = places_taken + 1 WHERE id = target;
    ELSIF before_takes AND NOT after_takes THEN
        UPDATE posting SET places_taken = places_taken - 1 WHERE id = target;
    END IF;
    RETURN coalesce(NEW, OLD);
END;
$$;

CREATE TRIGGER application_places AFTER INSERT OR UPDATE OF status OR DELETE ON application
    FOR EACH ROW EXECUTE FUNCTION application_places();

-- A move: a professional of one member organisation hired by another.
CREATE TABLE mobility_move (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    account_id uuid REFERENCES account (id) ON DELETE SET NULL,
    from_organisation_id uuid NOT NULL REFERENCES organisation (id),
    to_organisation_id uuid NOT NULL REFERENCES organisation (id),
    function_code text REFERENCES job_function (code),
    moved_on date NOT NULL,
    application_id uuid UNIQUE REFERENCES application (id) ON DELETE SET NULL,
    CHECK (from_organisation_id <> to_organisation_id)
);

CREATE INDEX mobility_move_date_idx ON mobility_move (moved_on);

-- Internship places agreed per organisation, year and education level.
CREATE TABLE internship_agreement (
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    education_level text NOT NULL CHECK (education_level IN ('mbo', 'hbo', 'wo')),
    places_agreed integer NOT NULL CHECK (places_agreed BETWEEN 0 AND 10000),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, year, education_level)
);

-- API tokens per organisation; only the SHA-256 of a token is stored.
CREATE TABLE api_token (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisation (id),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name text NOT NULL CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    created_by uuid REFERENCES account (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    revoked_at timestamptz
);
