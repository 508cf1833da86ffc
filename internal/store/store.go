// Package store is the only place that speaks SQL. Every function takes a
// context first, returns ErrNotFound (wrapping pgx.ErrNoRows) when a row is
// missing, and wraps other errors with what it was doing.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/seal"
)

// ErrNotFound is returned when the requested row does not exist.
var ErrNotFound = fmt.Errorf("store: not found: %w", pgx.ErrNoRows)

// Store wraps the connection pool, the outbox that receives the e-mails
// of its changes (see WithOutbox) and the keys that seal the secrets it
// keeps (see WithKeys).
type Store struct {
	pool   *pgxpool.Pool
	outbox Outbox
	keys   *seal.Keyring
}

// New returns a Store over pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool exposes the pool for components that manage their own SQL, such as
// the job queue and the session store.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// SessionStore keeps the staff sessions in the sessions table, through
// scs's pgxstore. It starts no cleanup goroutine: expired sessions are
// purged at each login (PurgeAuthData).
func (s *Store) SessionStore() *pgxstore.PostgresStore {
	return pgxstore.NewWithCleanupInterval(s.pool, 0)
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.pool.Ping(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// notFound maps pgx.ErrNoRows to ErrNotFound.
func notFound(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// pgCode returns the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) (code, constraint string) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code, pe.ConstraintName
	}
	return "", ""
}
