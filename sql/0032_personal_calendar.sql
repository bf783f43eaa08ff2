-- Doorstroom 0032: one calendar link for everything a person has agreed to.
--
-- A secret link (`/agenda/{token}.ics`) that a calendar app subscribes to: confirmed
-- shifts, booked career conversations, booked interviews and meetings one registered
-- for. Made on request, renewed on request (the old link stops at once), gone with the
-- account. The token is kept as it is, like the flexpool's calendar token: the page
-- shows the link again.
CREATE TABLE calendar_feed (
    account_id uuid PRIMARY KEY REFERENCES account (id) ON DELETE CASCADE,
    token text NOT NULL CONSTRAINT calendar_feed_token_once UNIQUE
        CONSTRAINT calendar_feed_token_shape CHECK (token ~ '^[A-Za-z0-9_-]{32,64}$'),
    created_at timestamptz NOT NULL DEFAULT now()
);
