-- +goose Up

-- Every change to what the public pages show is announced on channel
-- content_changed with the table's name, whoever makes it (the portal, an
-- import, a staff member with psql). Each instance LISTENs (with
-- office_changed, see 00002) and drops its rendered pages: web/pagecache.go.
-- The triggers fire once per statement (an import of many rows announces
-- once) and PostgreSQL delivers the notifications at commit, folding
-- identical ones of a transaction into one. A table whose rows a public
-- page shows must get its trigger here or in a later migration.
-- +goose StatementBegin
CREATE FUNCTION notify_content_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('content_changed', TG_TABLE_NAME);
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER zone_sociali_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON zone_sociali
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER comuni_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON comuni
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER topics_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON topics
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER service_sheets_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_sheets
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER service_sheet_topics_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_sheet_topics
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER service_sheet_versions_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_sheet_versions
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER faq_items_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON faq_items
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER booking_settings_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking_settings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER booking_windows_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON booking_windows
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();

-- +goose Down
DROP TRIGGER zone_sociali_content_changed ON zone_sociali;
DROP TRIGGER comuni_content_changed ON comuni;
DROP TRIGGER topics_content_changed ON topics;
DROP TRIGGER service_sheets_content_changed ON service_sheets;
DROP TRIGGER service_sheet_topics_content_changed ON service_sheet_topics;
DROP TRIGGER service_sheet_versions_content_changed ON service_sheet_versions;
DROP TRIGGER faq_items_content_changed ON faq_items;
DROP TRIGGER booking_settings_content_changed ON booking_settings;
DROP TRIGGER booking_windows_content_changed ON booking_windows;
DROP FUNCTION notify_content_changed();
