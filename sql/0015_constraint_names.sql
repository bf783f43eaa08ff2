-- Constraints the code translates into messages carry names of our own choosing,
-- not the ones PostgreSQL generated for an inline UNIQUE (organisation_slug_key...).
-- The Swift code names them only through Store.Constraint; a test checks each exists.
ALTER TABLE organisation RENAME CONSTRAINT organisation_slug_key TO organisation_slug_unique;
ALTER TABLE organisation RENAME CONSTRAINT organisation_name_key TO organisation_name_unique;
ALTER TABLE registration RENAME CONSTRAINT registration_register_number_key TO registration_number_unique;
