-- Doorstroom 0021: what Google for Jobs and schema.org ask of a job posting.

-- Where the work is: a street address and a postal code, next to the municipality.
ALTER TABLE posting
    ADD COLUMN street_address text CONSTRAINT posting_street_address CHECK (length(btrim(street_address)) BETWEEN 1 AND 200),
    ADD COLUMN postal_code text CONSTRAINT posting_postal_code CHECK (postal_code ~ '^[1-9][0-9]{3} [A-Z]{2}$');

-- The hiring organisation's own site (schema.org sameAs) and logo.
ALTER TABLE organisation
    ADD COLUMN website text CONSTRAINT organisation_website CHECK (website ~ '^https?://[^[:space:]]+$' AND length(website) <= 500),
    ADD COLUMN logo_url text CONSTRAINT organisation_logo_url CHECK (logo_url ~ '^https://[^[:space:]]+$' AND length(logo_url) <= 500);

-- The CAO Jeugdzorg's salary scales as data: gross per month for a full week, the
-- lowest and highest step of each scale, for the year they hold. An admin enters them
-- from the CAO's salary table (/beheer/salarisschalen); a posting with a scale then
-- states its salary in numbers. Without a table for the year, it states only the scale.
CREATE TABLE salary_scale (
    year integer NOT NULL CONSTRAINT salary_scale_year CHECK (year BETWEEN 2000 AND 2100),
    scale integer NOT NULL CONSTRAINT salary_scale_scale CHECK (scale BETWEEN 1 AND 18),
    minimum_cents integer NOT NULL CONSTRAINT salary_scale_minimum CHECK (minimum_cents > 0),
    maximum_cents integer NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (year, scale),
    CONSTRAINT salary_scale_range CHECK (maximum_cents >= minimum_cents)
);
