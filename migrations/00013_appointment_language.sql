-- +goose Up

-- The language of an appointment (issue 13): the language the citizen
-- booked in, as a BCP 47 tag of a catalogue of internal/i18n ("it",
-- "en"). Every e-mail and calendar file about the appointment, and its
-- personal page, are written in it; the staff see it in the agenda next
-- to the interpreter request. Appointments booked before, and by the
-- office on the citizen's behalf, are Italian.
ALTER TABLE appointments
    ADD COLUMN language text NOT NULL DEFAULT 'it'
        CHECK (language ~ '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$');

-- +goose Down
ALTER TABLE appointments DROP COLUMN language;
