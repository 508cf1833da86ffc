-- +goose Up

-- Who holds a seat (issue 9): the client address and the browser (the
-- SHA-256 of its CSRF cookie) that asked for it, so that one client holds
-- at most a few seats at once across every office (booking.MaxHoldsPer…,
-- counted by Store.HoldSlot under advisory locks on both). Holds live 15
-- minutes and are deleted by the housekeeping soon after, addresses with
-- them.
ALTER TABLE slot_holds
    ADD COLUMN client_address text NOT NULL DEFAULT '',
    ADD COLUMN browser_hash   bytea CHECK (length(browser_hash) = 32);
CREATE INDEX slot_holds_client_idx ON slot_holds (client_address, expires_at);
CREATE INDEX slot_holds_browser_idx ON slot_holds (browser_hash, expires_at) WHERE browser_hash IS NOT NULL;

-- When the draft first held a seat: its holds, renewals included, end
-- booking.HoldMaxSpan after it, so renewing every 15 minutes cannot keep
-- a seat forever.
ALTER TABLE booking_drafts ADD COLUMN first_hold_at timestamptz;

-- One row per e-mail queued (jobs.Queue), keyed by a delivery key stable
-- for an appointment and event ("UDC-7K3M-9QX2.booked.0"), from which the
-- Message-ID is derived too.
--   secret        the personal link's token, sealed with SECRET_KEY
--                 (internal/seal), NULL when the message has none and as
--                 soon as the message is delivered or given up;
--   claimed_until a worker is sending it until then (a lease longer than
--                 the worker's timeout), so two attempts never send at once;
--   delivered_at  the SMTP server accepted it: no attempt sends it again.
-- Rows are deleted 30 days after creation (Store.ReleaseExpiredHolds),
-- long after River stops retrying and keeping the job.
CREATE TABLE email_deliveries (
    key           text PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 200),
    secret        text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    claimed_until timestamptz,
    delivered_at  timestamptz,
    CHECK (delivered_at IS NULL OR secret IS NULL)
);
CREATE INDEX email_deliveries_created_idx ON email_deliveries (created_at);

-- staff_users.totp_secret now holds the secret sealed with SECRET_KEY
-- ("enc1:…"). Existing clear secrets cannot be sealed here (the key is not
-- in the database): Store.SealStaffSecrets does it at every start-up,
-- idempotently, and also seals again what an older key sealed.

-- +goose Down
DROP TABLE email_deliveries;
ALTER TABLE booking_drafts DROP COLUMN first_hold_at;
DROP INDEX slot_holds_browser_idx, slot_holds_client_idx;
ALTER TABLE slot_holds DROP COLUMN browser_hash, DROP COLUMN client_address;
