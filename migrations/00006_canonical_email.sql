-- +goose Up

-- The per-address limit of active appointments counts one mailbox however
-- its address is written. email_canonical is the only definition of the
-- rule (README, «Limiti»): lower case, surrounding spaces trimmed; the
-- "+tag" of the local part removed (subaddressing: Gmail, Outlook, iCloud,
-- Fastmail, Proton and most providers deliver lim+1@ to lim@); dots of the
-- local part removed only for gmail.com and googlemail.com (the same
-- mailbox at Google), since elsewhere l.im@ and lim@ can be two people.
-- The function is immutable, so the index below can use it.
-- +goose StatementBegin
CREATE FUNCTION email_canonical(address text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
RETURN (
    SELECT CASE
        WHEN parts.domain IS NULL THEN parts.a
        WHEN parts.domain IN ('gmail.com', 'googlemail.com')
            THEN replace(regexp_replace(parts.local, '^([^+]+)\+.*$', '\1'), '.', '') || '@gmail.com'
        ELSE regexp_replace(parts.local, '^([^+]+)\+.*$', '\1') || '@' || parts.domain
    END
    FROM (SELECT lower(btrim(address)) AS a,
                 substring(lower(btrim(address)) FROM '^(.*)@[^@]*$') AS local,
                 substring(lower(btrim(address)) FROM '@([^@]*)$') AS domain) AS parts
);
-- +goose StatementEnd

DROP INDEX appointments_active_email_idx;
CREATE INDEX appointments_active_email_idx ON appointments (email_canonical(email), starts_at)
    WHERE status IN ('richiesta', 'confermato');

-- +goose Down
DROP INDEX appointments_active_email_idx;
CREATE INDEX appointments_active_email_idx ON appointments (lower(email), starts_at)
    WHERE status IN ('richiesta', 'confermato');
DROP FUNCTION email_canonical(text);
