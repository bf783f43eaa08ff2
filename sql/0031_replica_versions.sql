-- Doorstroom 0031: versions a streaming replica reads right.
--
-- nextval writes a sequence to the WAL 32 values ahead, so a replica's copy of
-- content_version moved only every 32 changes: pages read from a replica (0030's
-- DATABASE_READ_URL) would be kept as current while it had replayed newer data.
-- setval writes the exact value: the replica reads the version the primary had when it
-- wrote the change. One more small WAL record per changing statement.
CREATE OR REPLACE FUNCTION bump_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM setval(TG_ARGV[0]::regclass, nextval(TG_ARGV[0]::regclass));
    RETURN NULL;
END
$$;
