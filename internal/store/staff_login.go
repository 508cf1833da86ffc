package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/auth"
)

// loginLockClass namespaces the advisory locks BeginLoginAttempt takes
// per account address and per client (hashed), so that the count and the
// insert of concurrent attempts happen one at a time.
const loginLockClass = 7274402

// BeginLoginAttempt decides on an attempt to check a credential of the
// account address email from the client ip (auth's throttling rules) and,
// when it is allowed, records it as a failure before the credential is
// checked: the caller then marks it with LoginAttemptSucceeded or
// ForgetLoginAttempt. The decision and the record are one transaction
// under advisory locks on the address and the client, so parallel
// attempts are counted one by one: of N at once, exactly those under the
// limits are allowed. An attempt that takes the address to its ceiling
// (auth.MaxAddressFailures over all clients) writes an audit event.
//
// It returns the attempt's id (0 when refused) and the verdict.
func (s *Store) BeginLoginAttempt(ctx context.Context, email, ip string, now time.Time) (int64, auth.Throttle, error) {
	var (
		id      int64
		verdict auth.Throttle
	)
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// Address first, then client: no transaction waits for an address
		// while holding a client, so the locks cannot deadlock.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext('e:' || $2)), pg_advisory_xact_lock($1, hashtext('c:' || $3))`,
			loginLockClass, email, ip); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		c, err := loginFailures(ctx, tx, email, ip, now.Add(-auth.ThrottleWindow))
		if err != nil {
			return err
		}
		if verdict = c.Check(); verdict != auth.Allowed {
			return nil
		}
		if err := tx.QueryRow(ctx, `INSERT INTO login_attempts (email, ip, at, success) VALUES ($1, $2, $3, false) RETURNING id`,
			email, ip, now).Scan(&id); err != nil {
			return fmt.Errorf("record: %w", err)
		}
		if c.ReachesCeiling() {
			return auditLoginCeiling(ctx, tx, email, now)
		}
		return nil
	})
	if err != nil {
		return 0, auth.Allowed, fmt.Errorf("store: begin login attempt: %w", err)
	}
	return id, verdict, nil
}

// loginFailures counts the failures (attempts not marked successful,
// those being checked included) since since: of the pair and of the
// address, only those after the last success of the pair or of the
// address; of the client, all of them (a success on one account must not
// reset the count of a client trying many). Ids order the attempts, so
// attempts of the same instant are told apart.
func loginFailures(ctx context.Context, tx pgx.Tx, email, ip string, since time.Time) (auth.FailureCounts, error) {
	var c auth.FailureCounts
	err := tx.QueryRow(ctx, `
		WITH last AS (
		  SELECT coalesce(max(id) FILTER (WHERE ip = $2), 0) AS pair, coalesce(max(id), 0) AS address
		  FROM login_attempts WHERE email = $1 AND success AND at > $3)
		SELECT
		  (SELECT count(*) FROM login_attempts a, last WHERE a.email = $1 AND a.ip = $2 AND NOT a.success AND a.at > $3 AND a.id > last.pair),
		  (SELECT count(*) FROM login_attempts WHERE ip = $2 AND NOT success AND at > $3),
		  (SELECT count(*) FROM login_attempts a, last WHERE a.email = $1 AND NOT a.success AND a.at > $3 AND a.id > last.address)`,
		email, ip, since).Scan(&c.Pair, &c.Client, &c.Address)
	if err != nil {
		return c, fmt.Errorf("count failures: %w", err)
	}
	return c, nil
}

// auditLoginCeiling tells the administrators that the address reached
// the ceiling of failures over all clients: the account (when it exists)
// is being guessed from many clients and is blocked for everyone until
// the window passes. No client address is written.
func auditLoginCeiling(ctx context.Context, tx pgx.Tx, email string, now time.Time) error {
	var userID int64
	err := tx.QueryRow(ctx, `SELECT coalesce((SELECT id FROM staff_users WHERE lower(email) = lower($1)), 0)`, email).Scan(&userID)
	if err != nil {
		return fmt.Errorf("find account: %w", err)
	}
	var clients int
	if err := tx.QueryRow(ctx, `SELECT count(DISTINCT ip) FROM login_attempts WHERE email = $1 AND NOT success AND at > $2`,
		email, now.Add(-auth.ThrottleWindow)).Scan(&clients); err != nil {
		return fmt.Errorf("count clients: %w", err)
	}
	after := map[string]any{"email": email, "tentativi_falliti": auth.MaxAddressFailures, "client_diversi": clients,
		"finestra_minuti": int(auth.ThrottleWindow / time.Minute)}
	return Audit(ctx, tx, AuditEntry{Action: "login_ceiling", Entity: "staff_user", EntityID: userID, After: after})
}

// LoginAttemptSucceeded marks a recorded attempt as successful: it
// resets the count of its address and client.
func (s *Store) LoginAttemptSucceeded(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE login_attempts SET success = true WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: mark login attempt %d: %w", id, err)
	}
	return nil
}

// ForgetLoginAttempt deletes a recorded attempt whose credential was not
// judged: the password was right but the second factor is still to come
// (its code is an attempt of its own), or the check could not run.
func (s *Store) ForgetLoginAttempt(ctx context.Context, id int64) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: forget login attempt %d: %w", id, err)
	}
	return nil
}

// loginAttemptsRetention is how long login attempts are kept: long enough
// for every throttling window, short because they hold addresses.
const loginAttemptsRetention = 24 * time.Hour

// PurgeAuthData deletes expired sessions and old login attempts. It is
// cheap (both tables are indexed by time) and runs at every login, so no
// instance needs a background job for it. Session expiry is compared with
// the database clock, as the session store does.
func (s *Store) PurgeAuthData(ctx context.Context, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE expiry < current_timestamp`); err != nil {
		return fmt.Errorf("store: purge sessions: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM login_attempts WHERE at < $1`, now.Add(-loginAttemptsRetention)); err != nil {
		return fmt.Errorf("store: purge login attempts: %w", err)
	}
	return nil
}
