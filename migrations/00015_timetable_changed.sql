-- When an office's timetable last changed, and a lock that orders those
-- changes with the citizens' bookings.
--
-- Every write to what decides whether a time can be booked — weekly
-- hours, closures, special openings, booking settings and windows —
-- stamps offices.timetable_changed_at in the writer's transaction, which
-- takes the office row's lock until it commits. A citizen's final submit
-- share-locks the same row (internal/store/booking_appointment.go): it
-- waits for a change in flight, and when the timetable changed in the
-- last minutes (longer than the web's office cache can lag behind) it
-- checks the time against the opening read inside its own transaction.
-- So no appointment commits into a closure committed before it, whoever
-- writes the timetable (staff, an import, SQL by hand).

-- +goose Up
ALTER TABLE offices ADD COLUMN timetable_changed_at timestamptz NOT NULL DEFAULT '-infinity';

-- +goose StatementBegin
CREATE FUNCTION office_timetable_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE offices SET timetable_changed_at = now()
         WHERE id = OLD.office_id AND timetable_changed_at IS DISTINCT FROM now();
    END IF;
    IF TG_OP <> 'DELETE' THEN
        UPDATE offices SET timetable_changed_at = now()
         WHERE id = NEW.office_id AND timetable_changed_at IS DISTINCT FROM now();
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER office_hours_timetable AFTER INSERT OR UPDATE OR DELETE ON office_hours
    FOR EACH ROW EXECUTE FUNCTION office_timetable_changed();
CREATE TRIGGER office_closures_timetable AFTER INSERT OR UPDATE OR DELETE ON office_closures
    FOR EACH ROW EXECUTE FUNCTION office_timetable_changed();
CREATE TRIGGER office_special_openings_timetable AFTER INSERT OR UPDATE OR DELETE ON office_special_openings
    FOR EACH ROW EXECUTE FUNCTION office_timetable_changed();
CREATE TRIGGER booking_settings_timetable AFTER INSERT OR UPDATE OR DELETE ON booking_settings
    FOR EACH ROW EXECUTE FUNCTION office_timetable_changed();
CREATE TRIGGER booking_windows_timetable AFTER INSERT OR UPDATE OR DELETE ON booking_windows
    FOR EACH ROW EXECUTE FUNCTION office_timetable_changed();

-- +goose Down
DROP TRIGGER booking_windows_timetable ON booking_windows;
DROP TRIGGER booking_settings_timetable ON booking_settings;
DROP TRIGGER office_special_openings_timetable ON office_special_openings;
DROP TRIGGER office_closures_timetable ON office_closures;
DROP TRIGGER office_hours_timetable ON office_hours;
DROP FUNCTION office_timetable_changed();
ALTER TABLE offices DROP COLUMN timetable_changed_at;
