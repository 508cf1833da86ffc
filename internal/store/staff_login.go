package store

import (
	"context"
	"fmt"
	"time"
)

// LoginFailures counts the failed login attempts since since: for the
// account address email, only those after its last successful login; for
// the client address ip, all of them (a success on one account must not
// reset the counter of an address trying many).
func (s *Store) LoginFailures(ctx context.Context, email, ip string, since time.Time) (byEmail, byIP int, err error) {
	err = s.pool.QueryRow(ctx, `
		SELECT
		  (SELECT count(*) FROM login_attempts a WHERE a.email = $1 AND NOT a.success AND a.at > $3
		     AND a.at > coalesce((SELECT max(at) FROM login_attempts b WHERE b.email = $1 AND b.success), '-infinity')),
		  (SELECT count(*) FROM login_attempts WHERE ip = $2 AND NOT success AND at > $3)`,
		email, ip, since).Scan(&byEmail, &byIP)
	if err != nil {
		return 0, 0, fmt.Errorf("store: count login failures: %w", err)
	}
	return byEmail, byIP, nil
}

// RecordLoginAttempt stores one attempt (email as typed, normalised).
func (s *Store) RecordLoginAttempt(ctx context.Context, email, ip string, success bool, now time.Time) error {
	if _, err := s.pool.Exec(ctx, `INSERT INTO login_attempts (email, ip, at, success) VALUES ($1, $2, $3, $4)`,
		email, ip, now, success); err != nil {
		return fmt.Errorf("store: record login attempt: %w", err)
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
