-- +goose Up

-- Reports of a problem ("segnalazioni di disservizio") sent by citizens
-- from /segnala-disservizio, without an account. code is what the citizen
-- is given ("SEG-7K3M-9QX2"). page_path is the page of the portal the
-- citizen came from or named, office_id the office concerned (either may
-- be missing). name, email, description and answer are personal data:
-- Store.ErasePersonalData blanks them (erased_at set) once the report has
-- not changed for the retention period; code, category, page, office,
-- status and dates stay, for anonymous statistics. The answer is e-mailed
-- only when the citizen gave an address and asked for a reply
-- (reply_consent), which the CHECK below ties together.
CREATE TABLE reports (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code          text NOT NULL UNIQUE CHECK (code ~ '^SEG-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$'),
    category      text NOT NULL CHECK (category IN ('informazioni', 'ufficio-chiuso', 'prenotazione',
                                                    'accessibilita', 'personale', 'altro')),
    description   text NOT NULL CHECK (char_length(description) <= 1000),
    page_path     text NOT NULL DEFAULT '' CHECK (char_length(page_path) <= 200 AND (page_path = '' OR page_path LIKE '/%')),
    office_id     bigint REFERENCES offices (id) ON DELETE SET NULL,
    name          text NOT NULL DEFAULT '' CHECK (char_length(name) <= 100),
    email         text NOT NULL DEFAULT '' CHECK (char_length(email) <= 254),
    reply_consent boolean NOT NULL DEFAULT false,
    status        text NOT NULL DEFAULT 'ricevuta' CHECK (status IN ('ricevuta', 'in-lavorazione', 'chiusa')),
    answer        text NOT NULL DEFAULT '' CHECK (char_length(answer) <= 2000),
    answered_at   timestamptz,
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    erased_at     timestamptz,
    CONSTRAINT reports_description_given CHECK (description <> '' OR erased_at IS NOT NULL),
    CONSTRAINT reports_consent_needs_email CHECK (NOT reply_consent OR email <> '' OR erased_at IS NOT NULL)
);
CREATE INDEX reports_created_idx ON reports (created_at DESC, id DESC);
CREATE INDEX reports_office_idx ON reports (office_id, created_at DESC);
CREATE INDEX reports_erase_idx ON reports (updated_at) WHERE erased_at IS NULL;

-- Who cancelled an appointment, for the statistics: 'cittadino' (the
-- personal link) or 'ufficio' (staff). NULL for appointments not
-- cancelled, and for those cancelled before this column existed, which the
-- statistics count as cancelled by the office unless marked 'cittadino'.
-- Personal-data erasure keeps it.
ALTER TABLE appointments ADD COLUMN cancelled_by text
    CHECK (cancelled_by IN ('cittadino', 'ufficio'));

-- The account that booked an appointment on the citizen's behalf (phone,
-- desk), NULL when the citizen booked online. Migration 00010 (bookings
-- taken by staff) defines it; IF NOT EXISTS lets the statistics count it
-- whatever order the two were written in.
ALTER TABLE appointments ADD COLUMN IF NOT EXISTS booked_by_staff_id bigint REFERENCES staff_users (id);

-- The statistics count appointments by the day (Europe/Rome) they take
-- place and measure the wait in days from the day they were booked.
-- Converting two instants to Rome days for every row of a year of 25
-- offices cost a third of the statistics query, so the days are stored,
-- computed by PostgreSQL (AT TIME ZONE with a constant zone is
-- immutable). The query reads them through appointments_office_starts_idx
-- (office_id, starts_at), which already exists.
ALTER TABLE appointments
    ADD COLUMN starts_on date GENERATED ALWAYS AS ((starts_at AT TIME ZONE 'Europe/Rome')::date) STORED,
    ADD COLUMN booked_on date GENERATED ALWAYS AS ((created_at AT TIME ZONE 'Europe/Rome')::date) STORED;

-- Page ratings of a period, grouped by page.
CREATE INDEX page_ratings_created_idx ON page_ratings (created_at) INCLUDE (page_path, stars, answer);

-- +goose Down
DROP INDEX page_ratings_created_idx;
ALTER TABLE appointments DROP COLUMN booked_on, DROP COLUMN starts_on, DROP COLUMN cancelled_by;
DROP TABLE reports;
