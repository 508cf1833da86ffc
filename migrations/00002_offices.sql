-- +goose Up

-- btree_gist lets one exclusion constraint combine equality on plain
-- columns (office, weekday, kind) with overlap on a range of minutes.
CREATE EXTENSION IF NOT EXISTS btree_gist;

-- Uffici della Cittadinanza. One office may serve several Comuni
-- (office_comuni) and a large Comune may have several offices.
-- is_demo marks invented or unverified example offices: they are loaded
-- only by `portal seed-demo` and every page showing one says so.
CREATE TABLE offices (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug                text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    name                text NOT NULL CHECK (name <> '' AND length(name) <= 200),
    seat_istat          char(6) NOT NULL REFERENCES comuni (istat),
    address             text NOT NULL DEFAULT '',
    cap                 text NOT NULL DEFAULT '' CHECK (cap = '' OR cap ~ '^[0-9]{5}$'),
    phone               text NOT NULL DEFAULT '',
    email               text NOT NULL DEFAULT '',
    pec                 text NOT NULL DEFAULT '',
    accessibility_notes text NOT NULL DEFAULT '',
    latitude            numeric(9, 6) CHECK (latitude BETWEEN -90 AND 90),
    longitude           numeric(9, 6) CHECK (longitude BETWEEN -180 AND 180),
    team_social_workers smallint NOT NULL DEFAULT 0 CHECK (team_social_workers >= 0),
    team_educators      smallint NOT NULL DEFAULT 0 CHECK (team_educators >= 0),
    team_other          text NOT NULL DEFAULT '',
    -- Shown next to the timetable, e.g. "Su richiesta all'Ufficio Servizi
    -- Sociali del Comune" for offices without fixed hours.
    hours_note          text NOT NULL DEFAULT '',
    -- Where the data comes from and how reliable it is, shown to citizens.
    source_note         text NOT NULL DEFAULT '',
    is_demo             boolean NOT NULL DEFAULT false,
    -- Hash of everything a save writes, so that saving the same data again
    -- (a re-import) changes nothing and notifies nobody.
    content_hash        text NOT NULL DEFAULT '',
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT offices_coordinates_pair CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX offices_seat_idx ON offices (seat_istat);

-- The Comuni an office serves; area_note says which part of a large
-- Comune ("Centro storico").
CREATE TABLE office_comuni (
    office_id bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    istat     char(6) NOT NULL REFERENCES comuni (istat),
    area_note text NOT NULL DEFAULT '' CHECK (length(area_note) <= 200),
    PRIMARY KEY (office_id, istat)
);
CREATE INDEX office_comuni_istat_idx ON office_comuni (istat);

-- Weekly hours: weekday is Go's time.Weekday (0 = Sunday), times are
-- minutes since midnight in Europe/Rome, the end excluded (1440 = 24:00).
CREATE TABLE office_hours (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office_id bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    weekday   smallint NOT NULL,
    start_min integer NOT NULL,
    end_min   integer NOT NULL,
    kind      text NOT NULL,
    CONSTRAINT office_hours_weekday CHECK (weekday BETWEEN 0 AND 6),
    CONSTRAINT office_hours_range CHECK (start_min BETWEEN 0 AND 1439 AND end_min BETWEEN 1 AND 1440),
    CONSTRAINT office_hours_order CHECK (start_min < end_min),
    CONSTRAINT office_hours_kind CHECK (kind IN ('accoglienza', 'appuntamento')),
    CONSTRAINT office_hours_no_overlap EXCLUDE USING gist (
        office_id WITH =, weekday WITH =, kind WITH =, int4range(start_min, end_min) WITH &&)
);

-- Closures, both days included. They cancel the weekly hours.
CREATE TABLE office_closures (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office_id bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    from_date date NOT NULL,
    to_date   date NOT NULL,
    reason    text NOT NULL DEFAULT '' CHECK (length(reason) <= 200),
    CONSTRAINT office_closures_order CHECK (from_date <= to_date)
);
CREATE INDEX office_closures_office_idx ON office_closures (office_id, to_date);

-- Special openings add hours on one date, also on holidays and closures.
CREATE TABLE office_special_openings (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    office_id bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    on_date   date NOT NULL,
    start_min integer NOT NULL,
    end_min   integer NOT NULL,
    kind      text NOT NULL,
    note      text NOT NULL DEFAULT '' CHECK (length(note) <= 200),
    CONSTRAINT office_special_range CHECK (start_min BETWEEN 0 AND 1439 AND end_min BETWEEN 1 AND 1440),
    CONSTRAINT office_special_order CHECK (start_min < end_min),
    CONSTRAINT office_special_kind CHECK (kind IN ('accoglienza', 'appuntamento')),
    CONSTRAINT office_special_no_overlap EXCLUDE USING gist (
        office_id WITH =, on_date WITH =, kind WITH =, int4range(start_min, end_min) WITH &&)
);

-- Every change to an office or its hours notifies channel office_changed
-- with the office id, whoever makes it (the portal, an import, a staff
-- member with psql). Each instance LISTENs and drops its cached copy.
-- PostgreSQL delivers notifications at commit and folds identical ones in
-- a transaction into one.
-- +goose StatementBegin
CREATE FUNCTION notify_office_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    row_ record;
BEGIN
    IF TG_OP = 'DELETE' THEN
        row_ := OLD;
    ELSE
        row_ := NEW;
    END IF;
    IF TG_TABLE_NAME = 'offices' THEN
        PERFORM pg_notify('office_changed', row_.id::text);
    ELSE
        PERFORM pg_notify('office_changed', row_.office_id::text);
    END IF;
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER offices_notify AFTER INSERT OR UPDATE OR DELETE ON offices
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();
CREATE TRIGGER office_comuni_notify AFTER INSERT OR UPDATE OR DELETE ON office_comuni
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();
CREATE TRIGGER office_hours_notify AFTER INSERT OR UPDATE OR DELETE ON office_hours
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();
CREATE TRIGGER office_closures_notify AFTER INSERT OR UPDATE OR DELETE ON office_closures
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();
CREATE TRIGGER office_special_openings_notify AFTER INSERT OR UPDATE OR DELETE ON office_special_openings
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();

-- +goose Down
DROP TABLE office_special_openings, office_closures, office_hours, office_comuni, offices;
DROP FUNCTION notify_office_changed();
