package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/auth"
)

// The demo staff accounts made by EnsureDemoStaff. example.org is reserved
// (RFC 2606), so no mail can ever reach a real person.
const (
	DemoAdminEmail    = "amministratore@example.org"
	DemoEditorEmail   = "redattore@example.org"
	DemoOperatorEmail = "operatore@example.org"
)

// EnsureDemoStaff creates or refreshes the demo accounts — an
// amministratore, a redattore and an operatore assigned to officeIDs — all
// active, without second factor and with password (hashed here). It is
// idempotent and never audited: it runs at every `make run` and is not
// something staff did. Never call it in production.
func (s *Store) EnsureDemoStaff(ctx context.Context, password string, officeIDs ...int64) error {
	if msg := auth.CheckPassword(password, ""); msg != "" {
		return fmt.Errorf("store: demo staff password: %s", msg)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return err
	}
	accounts := []struct {
		email, name string
		role        auth.Role
		offices     []int64
	}{
		{DemoAdminEmail, "Amministratore dimostrativo", auth.RoleAdmin, nil},
		{DemoEditorEmail, "Redattore dimostrativo", auth.RoleEditor, nil},
		{DemoOperatorEmail, "Operatore dimostrativo", auth.RoleOperator, officeIDs},
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		for _, a := range accounts {
			var id int64
			err := tx.QueryRow(ctx, `INSERT INTO staff_users (email, name, role, password_hash) VALUES ($1, $2, $3, $4)
				ON CONFLICT ((lower(email))) DO UPDATE SET name = EXCLUDED.name, role = EXCLUDED.role,
				  password_hash = EXCLUDED.password_hash, active = true, totp_enabled = false, totp_secret = NULL
				RETURNING id`, a.email, a.name, string(a.role), hash).Scan(&id)
			if err != nil {
				return err
			}
			if err := setStaffOffices(ctx, tx, id, a.offices); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: demo staff: %w", err)
	}
	return nil
}
