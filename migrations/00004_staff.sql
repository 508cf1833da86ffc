-- +goose Up

-- Staff accounts of the back office (/area-riservata). One account per
-- e-mail address, whatever its case: the unique index on lower(email)
-- enforces it. password_hash is argon2id, NULL until the person sets it
-- through a one-time link. session_version is bumped to end every session
-- of the account at once (access reset, deactivation, password change).
-- totp_last_step is the last accepted TOTP step, so a code cannot be used
-- twice.
CREATE TABLE staff_users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text NOT NULL CHECK (email = lower(btrim(email)) AND email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    name            text NOT NULL DEFAULT '' CHECK (length(name) <= 100),
    role            text NOT NULL CHECK (role IN ('amministratore', 'redattore', 'operatore')),
    password_hash   text,
    totp_secret     text,
    totp_enabled    boolean NOT NULL DEFAULT false,
    totp_last_step  bigint NOT NULL DEFAULT 0,
    active          boolean NOT NULL DEFAULT true,
    session_version integer NOT NULL DEFAULT 1,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_login_at   timestamptz,
    CHECK (NOT totp_enabled OR totp_secret IS NOT NULL)
);
CREATE UNIQUE INDEX staff_users_email_key ON staff_users (lower(email));

-- Offices an account works on. Only operatori are limited to these;
-- administrators see every office.
CREATE TABLE staff_offices (
    user_id   bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    office_id bigint NOT NULL REFERENCES offices (id) ON DELETE CASCADE,
    PRIMARY KEY (user_id, office_id)
);
CREATE INDEX staff_offices_office_idx ON staff_offices (office_id);

-- One-time links. Only the SHA-256 of the token is stored, so a copy of
-- the database does not hand out working links.
CREATE TABLE staff_tokens (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    purpose    text NOT NULL CHECK (purpose IN ('set_password')),
    token_hash bytea NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX staff_tokens_user_idx ON staff_tokens (user_id);

-- Login attempts, for throttling per account and per address across every
-- instance. email is what was typed (normalised), whether or not an account
-- has it. Rows older than a day are deleted.
CREATE TABLE login_attempts (
    id      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email   text NOT NULL,
    ip      text NOT NULL,
    at      timestamptz NOT NULL,
    success boolean NOT NULL
);
CREATE INDEX login_attempts_email_idx ON login_attempts (email, at);
CREATE INDEX login_attempts_ip_idx ON login_attempts (ip, at);

-- Staff sessions, in the table github.com/alexedwards/scs/pgxstore
-- expects, so every instance sees every session.
CREATE TABLE sessions (
    token  text PRIMARY KEY,
    data   bytea NOT NULL,
    expiry timestamptz NOT NULL
);
CREATE INDEX sessions_expiry_idx ON sessions (expiry);

-- What staff changed, and when. Append-only: the owner cannot be denied
-- UPDATE and DELETE by REVOKE, so triggers refuse them. user_id is NULL for
-- actions from the command line.
CREATE TABLE audit_log (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        timestamptz NOT NULL DEFAULT now(),
    user_id   bigint REFERENCES staff_users (id),
    action    text NOT NULL CHECK (action ~ '^[a-z_]+$'),
    entity    text NOT NULL CHECK (entity ~ '^[a-z_]+$'),
    entity_id bigint,
    before    jsonb,
    after     jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_user_idx ON audit_log (user_id, at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log, sessions, login_attempts, staff_tokens, staff_offices, staff_users;
DROP FUNCTION audit_log_append_only();
