-- +goose Up

-- Office operations (issue 12): bookings taken by the staff on a
-- citizen's behalf, and what happens to booked citizens when a closure or
-- a change of hours leaves their appointment outside the opening.

-- booked_by_staff_id is the account that took the booking by phone or at
-- the desk (NULL: the citizen booked online). It is not personal data of
-- the citizen and survives the retention erasure, for the statistics.
ALTER TABLE appointments ADD COLUMN booked_by_staff_id bigint REFERENCES staff_users (id);

-- move_requested_at is set when the office, after a closure or a change of
-- hours, asked the citizen to choose another time: the appointment stays
-- active (it keeps its status) until the citizen moves it with the
-- personal link, cancels it, or the staff do; moving it clears the flag.
-- office_message is the office's explanation sent with the request.
ALTER TABLE appointments ADD COLUMN move_requested_at timestamptz;
ALTER TABLE appointments ADD COLUMN office_message text NOT NULL DEFAULT '' CHECK (length(office_message) <= 1000);

-- call_due_at is set when the staff must phone the citizen about such a
-- change (the citizen asked to be contacted by phone, or gave no e-mail
-- address); the staff clear it once they have called.
ALTER TABLE appointments ADD COLUMN call_due_at timestamptz;

-- A booking taken by the staff may have no e-mail address, but some way
-- to reach the citizen it must have until the personal data is erased.
ALTER TABLE appointments ADD CONSTRAINT appointments_contact
    CHECK (email <> '' OR phone <> '' OR erased_at IS NOT NULL);

-- The staff's list of people to call, per office.
CREATE INDEX appointments_call_due_idx ON appointments (office_id, call_due_at) WHERE call_due_at IS NOT NULL;

-- +goose Down
DROP INDEX appointments_call_due_idx;
ALTER TABLE appointments DROP CONSTRAINT appointments_contact;
ALTER TABLE appointments DROP COLUMN call_due_at;
ALTER TABLE appointments DROP COLUMN office_message;
ALTER TABLE appointments DROP COLUMN move_requested_at;
ALTER TABLE appointments DROP COLUMN booked_by_staff_id;
