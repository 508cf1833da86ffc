package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// deliveryRecordAge is how long a delivery record is kept: long after
// River stops retrying a mail (about a week) and keeping its job (a week
// more for a discarded one), so a job can never outlive its record.
const deliveryRecordAge = 30 * 24 * time.Hour

// The e-mail delivery record (table email_deliveries) lets the job queue
// send each e-mail once as far as SMTP allows, and keeps the personal
// link of a queued e-mail sealed (internal/seal) outside the job. The job
// queue (jobs.Queue) is its only user; the store only runs its SQL.

// AddDelivery records, in tx, an e-mail about to be queued under key with
// its sealed secret ("" for none). A key already recorded and not yet
// delivered gets the new secret; a delivered one is left alone, so that a
// second job for the same appointment and event sends nothing.
func (s *Store) AddDelivery(ctx context.Context, tx pgx.Tx, key, sealedSecret string) error {
	var secret *string
	if sealedSecret != "" {
		secret = &sealedSecret
	}
	_, err := tx.Exec(ctx, `INSERT INTO email_deliveries (key, secret) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET secret = EXCLUDED.secret WHERE email_deliveries.delivered_at IS NULL`, key, secret)
	if err != nil {
		return fmt.Errorf("store: record e-mail delivery: %w", err)
	}
	return nil
}

// ClaimDelivery lets one attempt send the e-mail of key until until (a
// lease longer than the attempt may last): claimed is true, with the
// sealed secret, when the e-mail is not delivered and no other attempt
// holds an unexpired claim. delivered is true when the SMTP server has
// already accepted it. Neither means another attempt is sending it now.
// An unknown key is ErrNotFound.
func (s *Store) ClaimDelivery(ctx context.Context, key string, now, until time.Time) (delivered, claimed bool, sealedSecret string, err error) {
	err = s.pool.QueryRow(ctx, `UPDATE email_deliveries SET claimed_until = $3
		WHERE key = $1 AND delivered_at IS NULL AND (claimed_until IS NULL OR claimed_until <= $2)
		RETURNING coalesce(secret, '')`, key, now, until).Scan(&sealedSecret)
	if err == nil {
		return false, true, sealedSecret, nil
	}
	if !errors.Is(err, pgx.ErrNoRows) {
		return false, false, "", fmt.Errorf("store: claim e-mail delivery: %w", err)
	}
	err = s.pool.QueryRow(ctx, `SELECT delivered_at IS NOT NULL FROM email_deliveries WHERE key = $1`, key).Scan(&delivered)
	if err != nil {
		return false, false, "", fmt.Errorf("store: claim e-mail delivery: %w", notFound(err))
	}
	return delivered, false, "", nil
}

// RecordDelivery notes that the SMTP server accepted the e-mail of key at
// at, and forgets its secret: nothing usable is left of it.
func (s *Store) RecordDelivery(ctx context.Context, key string, at time.Time) error {
	if _, err := s.pool.Exec(ctx, `UPDATE email_deliveries SET delivered_at = $2, secret = NULL, claimed_until = NULL
		WHERE key = $1`, key, at); err != nil {
		return fmt.Errorf("store: record e-mail delivered: %w", err)
	}
	return nil
}

// ReleaseDelivery ends an attempt's claim on the e-mail of key that was
// not delivered, so the next attempt may claim it at once; forget also
// drops its secret, for an e-mail given up for good.
func (s *Store) ReleaseDelivery(ctx context.Context, key string, forget bool) error {
	if _, err := s.pool.Exec(ctx, `UPDATE email_deliveries SET claimed_until = NULL,
			secret = CASE WHEN $2 THEN NULL ELSE secret END
		WHERE key = $1 AND delivered_at IS NULL`, key, forget); err != nil {
		return fmt.Errorf("store: release e-mail delivery: %w", err)
	}
	return nil
}
