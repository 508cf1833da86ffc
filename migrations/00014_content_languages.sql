-- +goose Up

-- Content in languages other than Italian (issue 13). Italian stays where
-- it always was (service_sheets, faq_items, offices); each other language
-- gets its own row beside it. A missing row means "not translated": the
-- page then shows the Italian text with a notice.

-- Versions are kept per language: the Italian ones keep their numbers
-- ('it'), the English ones count 1, 2, 3… on their own.
ALTER TABLE service_sheet_versions ADD COLUMN lang text NOT NULL DEFAULT 'it' CHECK (lang ~ '^[a-z]{2}$');
ALTER TABLE service_sheet_versions DROP CONSTRAINT service_sheet_versions_pkey;
ALTER TABLE service_sheet_versions ADD PRIMARY KEY (sheet_id, lang, version);

-- The current translated text of a sheet: the prose only. Publication,
-- status, category, topics and sources are the Italian sheet's.
CREATE TABLE service_sheet_texts (
    sheet_id         bigint NOT NULL REFERENCES service_sheets (id) ON DELETE CASCADE,
    lang             text NOT NULL CHECK (lang ~ '^[a-z]{2}$' AND lang <> 'it'),
    title            text NOT NULL CHECK (title <> ''),
    summary          text NOT NULL DEFAULT '',
    addressed_html   text NOT NULL DEFAULT '',
    description_html text NOT NULL DEFAULT '',
    how_to_html      text NOT NULL DEFAULT '',
    needed_html      text NOT NULL DEFAULT '',
    achieved_html    text NOT NULL DEFAULT '',
    calendar_html    text NOT NULL DEFAULT '',
    cost_html        text NOT NULL DEFAULT '',
    access_html      text NOT NULL DEFAULT '',
    other_info_html  text NOT NULL DEFAULT '',
    version          integer NOT NULL,
    updated_on       date NOT NULL,
    modified_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sheet_id, lang)
);

-- A translated question and answer (answer_html is answer_md sanitised,
-- as in faq_items).
CREATE TABLE faq_item_texts (
    faq_id      bigint NOT NULL REFERENCES faq_items (id) ON DELETE CASCADE,
    lang        text NOT NULL CHECK (lang ~ '^[a-z]{2}$' AND lang <> 'it'),
    question    text NOT NULL CHECK (char_length(question) BETWEEN 1 AND 300 AND question = btrim(question)),
    answer_md   text NOT NULL DEFAULT '' CHECK (char_length(answer_md) <= 12000),
    answer_html text NOT NULL DEFAULT '',
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  bigint REFERENCES staff_users (id) ON DELETE SET NULL,
    PRIMARY KEY (faq_id, lang)
);

-- The translated free-text notes of an office page.
CREATE TABLE office_texts (
    office_id           bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    lang                text NOT NULL CHECK (lang ~ '^[a-z]{2}$' AND lang <> 'it'),
    hours_note          text NOT NULL DEFAULT '' CHECK (char_length(hours_note) <= 500),
    accessibility_notes text NOT NULL DEFAULT '' CHECK (char_length(accessibility_notes) <= 500),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    updated_by          bigint REFERENCES staff_users (id) ON DELETE SET NULL,
    PRIMARY KEY (office_id, lang)
);

-- Same announcements as the Italian content (00008, 00002).
CREATE TRIGGER service_sheet_texts_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON service_sheet_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER faq_item_texts_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON faq_item_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER office_texts_content_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON office_texts
    FOR EACH STATEMENT EXECUTE FUNCTION notify_content_changed();
CREATE TRIGGER office_texts_notify AFTER INSERT OR UPDATE OR DELETE ON office_texts
    FOR EACH ROW EXECUTE FUNCTION notify_office_changed();

-- +goose Down
DROP TABLE office_texts, faq_item_texts, service_sheet_texts;
DELETE FROM service_sheet_versions WHERE lang <> 'it';
ALTER TABLE service_sheet_versions DROP CONSTRAINT service_sheet_versions_pkey;
ALTER TABLE service_sheet_versions ADD PRIMARY KEY (sheet_id, version);
ALTER TABLE service_sheet_versions DROP COLUMN lang;
