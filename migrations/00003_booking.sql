-- +goose Up

-- How an office takes appointments with one kind of professional
-- (booking.Settings). The limits mirror booking.Settings.Validate, so a
-- save that skipped the form still cannot store nonsense.
CREATE TABLE booking_settings (
    office_id            bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    professional         text NOT NULL,
    enabled              boolean NOT NULL DEFAULT false,
    length_min           integer NOT NULL,
    capacity             integer NOT NULL,
    min_notice_days      integer NOT NULL DEFAULT 1,
    horizon_days         integer NOT NULL DEFAULT 60,
    mode                 text NOT NULL DEFAULT 'immediata',
    reasons              text[] NOT NULL,
    max_active_per_email integer NOT NULL DEFAULT 2,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (office_id, professional),
    CONSTRAINT booking_settings_professional CHECK (professional IN ('assistente-sociale', 'educatore')),
    CONSTRAINT booking_settings_length CHECK (length_min BETWEEN 10 AND 240),
    CONSTRAINT booking_settings_capacity CHECK (capacity BETWEEN 1 AND 20),
    CONSTRAINT booking_settings_notice CHECK (min_notice_days BETWEEN 0 AND 30),
    CONSTRAINT booking_settings_horizon CHECK (horizon_days BETWEEN 1 AND 365),
    CONSTRAINT booking_settings_mode CHECK (mode IN ('immediata', 'richiesta')),
    CONSTRAINT booking_settings_reasons CHECK (cardinality(reasons) BETWEEN 1 AND 30 AND array_position(reasons, NULL) IS NULL),
    CONSTRAINT booking_settings_max_active CHECK (max_active_per_email BETWEEN 1 AND 20)
);

-- Weekly windows in which appointments can be booked, as minutes since
-- midnight in Europe/Rome (end excluded), weekday as Go's time.Weekday.
-- Windows of the same professional on the same day may not overlap.
CREATE TABLE booking_windows (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office_id    bigint NOT NULL,
    professional text NOT NULL,
    weekday      smallint NOT NULL,
    start_min    integer NOT NULL,
    end_min      integer NOT NULL,
    CONSTRAINT booking_windows_settings_fkey FOREIGN KEY (office_id, professional)
        REFERENCES booking_settings (office_id, professional) ON DELETE CASCADE,
    CONSTRAINT booking_windows_weekday CHECK (weekday BETWEEN 0 AND 6),
    CONSTRAINT booking_windows_range CHECK (start_min BETWEEN 0 AND 1439 AND end_min BETWEEN 1 AND 1440),
    CONSTRAINT booking_windows_order CHECK (start_min < end_min),
    CONSTRAINT booking_windows_no_overlap EXCLUDE USING gist (
        office_id WITH =, professional WITH =, weekday WITH =, int4range(start_min, end_min) WITH &&)
);

-- One row per slot ever held or booked. Every decision about a seat of the
-- slot (hold, booking, move) first takes this row FOR UPDATE, then counts
-- the seats: the row lock serialises them, so capacity cannot be exceeded
-- whatever the number of instances. Rows of long-past slots are deleted by
-- the housekeeping in Store.ReleaseExpiredHolds.
CREATE TABLE slot_locks (
    office_id    bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    professional text NOT NULL,
    starts_at    timestamptz NOT NULL,
    PRIMARY KEY (office_id, professional, starts_at)
);
CREATE INDEX slot_locks_starts_idx ON slot_locks (starts_at);

-- The booking wizard's state, keyed by the SHA-256 of the random value of
-- the udc_prenotazione cookie. It holds personal data: a draft expires 24
-- hours after its last update and is then deleted.
CREATE TABLE booking_drafts (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    token_hash     bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    data           jsonb NOT NULL DEFAULT '{}',
    started_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    appointment_id bigint UNIQUE
);
CREATE INDEX booking_drafts_expires_idx ON booking_drafts (expires_at);

-- A seat held for a draft while the citizen fills in the forms. An
-- expired hold no longer counts (every count compares expires_at with the
-- current instant), so correctness needs no job; the job only tidies up.
CREATE TABLE slot_holds (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    draft_id     bigint NOT NULL UNIQUE REFERENCES booking_drafts (id) ON DELETE CASCADE,
    office_id    bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    professional text NOT NULL CHECK (professional IN ('assistente-sociale', 'educatore')),
    starts_at    timestamptz NOT NULL,
    ends_at      timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    CHECK (starts_at < ends_at)
);
CREATE INDEX slot_holds_slot_idx ON slot_holds (office_id, professional, starts_at);
CREATE INDEX slot_holds_expires_idx ON slot_holds (expires_at);

-- Appointments. Personal columns (names, contacts, fiscal code, free
-- texts, the manage token) are blanked by Store.ErasePersonalData once the
-- retention period is over; office, professional, times, status, mode,
-- reason and channel stay, for anonymous statistics. interpreter_language
-- and accessibility_note are NULL when not needed; erasure turns a stated
-- need into '' so the statistic survives without its details.
-- draft_id is UNIQUE: one draft can never give two appointments.
CREATE TABLE appointments (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code                 text NOT NULL UNIQUE,
    office_id            bigint NOT NULL REFERENCES offices (id),
    professional         text NOT NULL CHECK (professional IN ('assistente-sociale', 'educatore')),
    starts_at            timestamptz NOT NULL,
    ends_at              timestamptz NOT NULL,
    status               text NOT NULL CHECK (status IN ('richiesta', 'confermato', 'annullato', 'rifiutato', 'svolto', 'assente')),
    mode                 text NOT NULL CHECK (mode IN ('immediata', 'richiesta')),
    reason               text NOT NULL DEFAULT '',
    note                 text NOT NULL DEFAULT '',
    first_name           text NOT NULL DEFAULT '',
    last_name            text NOT NULL DEFAULT '',
    email                text NOT NULL DEFAULT '',
    phone                text NOT NULL DEFAULT '',
    fiscal_code          text NOT NULL DEFAULT '',
    channel              text NOT NULL DEFAULT '',
    interpreter_language text,
    accessibility_note   text,
    manage_token_hash    bytea UNIQUE CHECK (length(manage_token_hash) = 32),
    token_expires_at     timestamptz NOT NULL,
    sequence             integer NOT NULL DEFAULT 0,
    draft_id             bigint UNIQUE REFERENCES booking_drafts (id) ON DELETE SET NULL,
    cancel_reason        text NOT NULL DEFAULT '',
    reminder_sent_at     timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    erased_at            timestamptz,
    CONSTRAINT appointments_order CHECK (starts_at < ends_at)
);
CREATE INDEX appointments_active_slot_idx ON appointments (office_id, professional, starts_at)
    WHERE status IN ('richiesta', 'confermato');
CREATE INDEX appointments_active_email_idx ON appointments (lower(email), starts_at)
    WHERE status IN ('richiesta', 'confermato');
CREATE INDEX appointments_reminder_idx ON appointments (starts_at)
    WHERE status = 'confermato' AND reminder_sent_at IS NULL;
CREATE INDEX appointments_erase_idx ON appointments (ends_at) WHERE erased_at IS NULL;
CREATE INDEX appointments_office_starts_idx ON appointments (office_id, starts_at);

ALTER TABLE booking_drafts ADD CONSTRAINT booking_drafts_appointment_fkey
    FOREIGN KEY (appointment_id) REFERENCES appointments (id) ON DELETE SET NULL;

-- Submission counters per key (e.g. "ip:203.0.113.7") and fixed window,
-- shared by every instance. expires_at is the end of the window; ended
-- windows are deleted by the housekeeping in Store.ReleaseExpiredHolds.
CREATE TABLE rate_limits (
    key          text NOT NULL,
    window_start timestamptz NOT NULL,
    count        integer NOT NULL DEFAULT 0,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limits_expires_idx ON rate_limits (expires_at);

-- +goose Down
ALTER TABLE booking_drafts DROP CONSTRAINT booking_drafts_appointment_fkey;
DROP TABLE rate_limits, appointments, slot_holds, booking_drafts, slot_locks, booking_windows, booking_settings;
