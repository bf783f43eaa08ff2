-- Doorstroom 0020: the academy keeps what an OOAPI v5 provider sent, and reads it back
-- as the official schema wants it.

-- teachingLanguage is ISO 639-2 in OOAPI v5 (`nld`, pattern ^[a-z]{3}$). Earlier rows
-- held RFC 3066 tags (nl-NL, en-GB).
UPDATE course SET teaching_language = CASE
    WHEN teaching_language ~ '^[a-z]{3}$' THEN teaching_language
    WHEN lower(teaching_language) LIKE 'en%' THEN 'eng'
    WHEN lower(teaching_language) LIKE 'de%' THEN 'deu'
    WHEN lower(teaching_language) LIKE 'fr%' THEN 'fra'
    ELSE 'nld' END;
ALTER TABLE course ALTER COLUMN teaching_language SET DEFAULT 'nld';
ALTER TABLE course DROP CONSTRAINT course_teaching_language_check;
ALTER TABLE course ADD CONSTRAINT course_teaching_language_iso6392 CHECK (teaching_language ~ '^[a-z]{3}$');

-- Names and descriptions in every language the provider sent, with their tags
-- ([{"language": "en-GB", "value": "..."}]). `name` and `description` keep the Dutch
-- (or first) value for the site and its search; an empty array means just that value.
ALTER TABLE course
    ADD COLUMN names jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_names_array CHECK (jsonb_typeof(names) = 'array'),
    ADD COLUMN descriptions jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_descriptions_array CHECK (jsonb_typeof(descriptions) = 'array'),
    -- OOAPI's studyLoad: the effort in a unit (ects, sbu, hour, ...).
    -- OOAPI's modeOfDelivery as sent (empty: the one the format implies).
    ADD COLUMN modes_of_delivery text[] NOT NULL DEFAULT '{}' CONSTRAINT course_modes_of_delivery
        CHECK (modes_of_delivery <@ ARRAY['distance-learning', 'on campus', 'online', 'hybrid', 'situated']::text[]),
    ADD COLUMN study_load_unit text CONSTRAINT course_study_load_unit CHECK (study_load_unit IN ('contacttime', 'ects', 'sbu', 'sp', 'hour')),
    ADD COLUMN study_load_value numeric(8, 2) CONSTRAINT course_study_load_value CHECK (study_load_value >= 0),
    ADD CONSTRAINT course_study_load_whole CHECK ((study_load_unit IS NULL) = (study_load_value IS NULL));

-- An offering's own name and description (empty: the course's), its full addresses and
-- price information as OOAPI has them, and its own page.
ALTER TABLE course_offering
    ADD COLUMN names jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_offering_names_array CHECK (jsonb_typeof(names) = 'array'),
    ADD COLUMN descriptions jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_offering_descriptions_array CHECK (jsonb_typeof(descriptions) = 'array'),
    ADD COLUMN addresses jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_offering_addresses_array CHECK (jsonb_typeof(addresses) = 'array'),
    ADD COLUMN price_information jsonb NOT NULL DEFAULT '[]' CONSTRAINT course_offering_prices_array CHECK (jsonb_typeof(price_information) = 'array'),
    ADD COLUMN link text CONSTRAINT course_offering_link CHECK (link ~ '^https?://[^[:space:]]+$' AND length(link) <= 2048);

-- OOAPI lists courses by name by default, offerings by start date.
CREATE INDEX course_name_idx ON course (name, id) WHERE withdrawn_at IS NULL;
CREATE INDEX course_primary_code_idx ON course (primary_code) WHERE withdrawn_at IS NULL;
