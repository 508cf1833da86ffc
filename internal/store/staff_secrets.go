package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/seal"
)

// ErrNoKeys is returned when a secret must be sealed or opened by a Store
// built without keys (WithKeys).
var ErrNoKeys = errors.New("store: no secret key configured (SECRET_KEY)")

// WithKeys returns a Store over the same pool that seals the TOTP secrets
// of staff accounts with k (the first key seals, every key opens). A
// Store without keys cannot enable a second factor nor read a sealed one
// (ErrNoKeys).
func (s *Store) WithKeys(k *seal.Keyring) *Store {
	c := *s
	c.keys = k
	return &c
}

// totpContext is where the TOTP secret of account id is sealed: a value
// copied to another account's row does not open there.
func totpContext(id int64) string { return "staff_users.totp_secret:" + strconv.FormatInt(id, 10) }

// openStaff opens the TOTP secret of an account loaded with err: callers
// of the Store always see it in clear. A secret still stored in clear (by
// a version before sealing; SealStaffSecrets seals it at start-up) is
// taken as it is.
func (s *Store) openStaff(u StaffUser, err error) (StaffUser, error) {
	if err != nil || !seal.IsSealed(u.TOTPSecret) {
		return u, err
	}
	if s.keys == nil {
		return StaffUser{}, fmt.Errorf("store: TOTP secret of staff %d: %w", u.ID, ErrNoKeys)
	}
	secret, err := s.keys.OpenString(u.TOTPSecret, totpContext(u.ID))
	if err != nil {
		return StaffUser{}, fmt.Errorf("store: TOTP secret of staff %d (is the key that sealed it in SECRET_KEY?): %w", u.ID, err)
	}
	u.TOTPSecret = secret
	return u, nil
}

// sealTOTP seals the TOTP secret of account id.
func (s *Store) sealTOTP(id int64, secret string) (string, error) {
	if s.keys == nil {
		return "", ErrNoKeys
	}
	return s.keys.SealString(secret, totpContext(id)), nil
}

// SealStaffSecrets seals every TOTP secret stored in clear (by a version
// before sealing) and seals again with the first key every one sealed
// with an older key (after a rotation), and returns how many it changed.
// It runs at every start-up: idempotent, row by row under a lock, so
// several instances starting together do no harm. Afterwards an older key
// is needed only by queued e-mails (README, «Chiavi segrete»).
func (s *Store) SealStaffSecrets(ctx context.Context) (int, error) {
	if s.keys == nil {
		return 0, fmt.Errorf("store: seal staff secrets: %w", ErrNoKeys)
	}
	rows, err := s.pool.Query(ctx, `SELECT id, totp_secret FROM staff_users WHERE totp_secret IS NOT NULL`)
	if err != nil {
		return 0, fmt.Errorf("store: seal staff secrets: %w", err)
	}
	type stored struct {
		id     int64
		secret string
	}
	var todo []int64
	var st stored
	_, err = pgx.ForEachRow(rows, []any{&st.id, &st.secret}, func() error {
		if !s.keys.Current(st.secret) {
			todo = append(todo, st.id)
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: seal staff secrets: %w", err)
	}
	n := 0
	for _, id := range todo {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			var secret *string
			if err := tx.QueryRow(ctx, `SELECT totp_secret FROM staff_users WHERE id = $1 FOR UPDATE`, id).Scan(&secret); err != nil {
				return notFound(err)
			}
			if secret == nil || s.keys.Current(*secret) {
				return nil // changed meanwhile (another instance, a reset)
			}
			plain := *secret
			if seal.IsSealed(plain) {
				var err error
				if plain, err = s.keys.OpenString(plain, totpContext(id)); err != nil {
					return fmt.Errorf("open (is the key that sealed it in SECRET_KEY?): %w", err)
				}
			}
			if _, err := tx.Exec(ctx, `UPDATE staff_users SET totp_secret = $2 WHERE id = $1`, id,
				s.keys.SealString(plain, totpContext(id))); err != nil {
				return err
			}
			n++
			return nil
		})
		if err != nil && !errors.Is(err, ErrNotFound) {
			return n, fmt.Errorf("store: seal TOTP secret of staff %d: %w", id, err)
		}
	}
	return n, nil
}
