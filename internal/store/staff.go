package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/code"
)

// ErrEmailTaken is returned when another staff account already has the
// e-mail address (in any case): the unique index on lower(email) said so.
var ErrEmailTaken = errors.New("store: e-mail already used by another staff account")

// ErrUnknownOffice is returned when an office assigned to an account does
// not exist.
var ErrUnknownOffice = errors.New("store: unknown office")

// SetPasswordTTL is how long a one-time set-password link stays valid.
const SetPasswordTTL = 72 * time.Hour

// StaffUser is a back-office account.
type StaffUser struct {
	ID    int64
	Email string
	// Name may be empty for accounts created from the command line.
	Name string
	Role auth.Role
	// PasswordHash is the argon2id hash, "" until the password is set.
	PasswordHash string
	// TOTPSecret is set once the second factor is enabled. It is stored
	// sealed (WithKeys); the Store's functions return it in clear.
	TOTPSecret   string
	TOTPEnabled  bool
	TOTPLastStep int64
	Active       bool
	// SessionVersion changes whenever every session of the account must
	// end; a session carrying another value is refused.
	SessionVersion int
	CreatedAt      time.Time
	LastLoginAt    *time.Time
	// Offices are the offices assigned to the account, by name.
	Offices []OfficeRef
}

// DisplayName is the name, or the e-mail address when no name is set.
func (u StaffUser) DisplayName() string {
	if u.Name != "" {
		return u.Name
	}
	return u.Email
}

// HasPassword reports whether the person has set a password.
func (u StaffUser) HasPassword() bool { return u.PasswordHash != "" }

// OfficeIDs returns the ids of the assigned offices.
func (u StaffUser) OfficeIDs() []int64 {
	ids := make([]int64, len(u.Offices))
	for i, o := range u.Offices {
		ids[i] = o.ID
	}
	return ids
}

// OfficeRef names an office.
type OfficeRef struct {
	ID   int64  `db:"id"`
	Slug string `db:"slug"`
	Name string `db:"name"`
}

// auditView is what the audit log records of an account: never its
// password hash or TOTP secret.
func (u StaffUser) auditView() map[string]any {
	return map[string]any{"email": u.Email, "name": u.Name, "role": u.Role, "active": u.Active, "offices": u.OfficeIDs()}
}

const staffCols = `id, email, name, role, coalesce(password_hash, ''), coalesce(totp_secret, ''), totp_enabled, totp_last_step,
	active, session_version, created_at, last_login_at`

// staffQuerier is what both the pool and a transaction offer.
type staffQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func scanStaff(row pgx.Row) (StaffUser, error) {
	var u StaffUser
	var role string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.PasswordHash, &u.TOTPSecret, &u.TOTPEnabled, &u.TOTPLastStep,
		&u.Active, &u.SessionVersion, &u.CreatedAt, &u.LastLoginAt)
	u.Role = auth.Role(role)
	return u, err
}

// staffByID loads an account with its offices through q.
func staffByID(ctx context.Context, q staffQuerier, id int64, lock bool) (StaffUser, error) {
	sql := `SELECT ` + staffCols + ` FROM staff_users WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	u, err := scanStaff(q.QueryRow(ctx, sql, id))
	if err != nil {
		return u, fmt.Errorf("store: load staff %d: %w", id, notFound(err))
	}
	u.Offices, err = staffOffices(ctx, q, id)
	return u, err
}

func staffOffices(ctx context.Context, q staffQuerier, userID int64) ([]OfficeRef, error) {
	rows, err := q.Query(ctx, `SELECT o.id, o.slug, o.name FROM staff_offices so JOIN offices o ON o.id = so.office_id
		WHERE so.user_id = $1 ORDER BY o.name, o.id`, userID)
	if err != nil {
		return nil, fmt.Errorf("store: offices of staff %d: %w", userID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[OfficeRef])
	if err != nil {
		return nil, fmt.Errorf("store: offices of staff %d: %w", userID, err)
	}
	return out, nil
}

// StaffByID returns the account with the given id and its offices.
func (s *Store) StaffByID(ctx context.Context, id int64) (StaffUser, error) {
	return s.openStaff(staffByID(ctx, s.pool, id, false))
}

// StaffByEmail returns the account with the given address (any case).
func (s *Store) StaffByEmail(ctx context.Context, email string) (StaffUser, error) {
	u, err := scanStaff(s.pool.QueryRow(ctx, `SELECT `+staffCols+` FROM staff_users WHERE lower(email) = lower($1)`, email))
	if err != nil {
		return u, fmt.Errorf("store: load staff by e-mail: %w", notFound(err))
	}
	u.Offices, err = staffOffices(ctx, s.pool, u.ID)
	return s.openStaff(u, err)
}

// ListStaff returns every account, by name, with its offices.
func (s *Store) ListStaff(ctx context.Context) ([]StaffUser, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+staffCols+` FROM staff_users ORDER BY active DESC, lower(name), email`)
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (StaffUser, error) { return scanStaff(r) })
	if err != nil {
		return nil, fmt.Errorf("store: list staff: %w", err)
	}
	rows, err = s.pool.Query(ctx, `SELECT so.user_id, o.id, o.slug, o.name FROM staff_offices so JOIN offices o ON o.id = so.office_id
		ORDER BY o.name, o.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list staff offices: %w", err)
	}
	byUser := map[int64][]OfficeRef{}
	var uid int64
	var o OfficeRef
	_, err = pgx.ForEachRow(rows, []any{&uid, &o.ID, &o.Slug, &o.Name}, func() error {
		byUser[uid] = append(byUser[uid], o)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: list staff offices: %w", err)
	}
	for i := range users {
		users[i].Offices = byUser[users[i].ID]
		if users[i], err = s.openStaff(users[i], nil); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// ListOfficeRefs returns every office by name, for the office choices of
// the staff forms.
func (s *Store) ListOfficeRefs(ctx context.Context) ([]OfficeRef, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, slug, name FROM offices ORDER BY name, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list offices: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[OfficeRef])
	if err != nil {
		return nil, fmt.Errorf("store: list offices: %w", err)
	}
	return out, nil
}

// OfficeIDsBySlug resolves office slugs, failing with ErrUnknownOffice
// naming the first slug that does not exist.
func (s *Store) OfficeIDsBySlug(ctx context.Context, slugs []string) ([]int64, error) {
	ids := make([]int64, 0, len(slugs))
	for _, slug := range slugs {
		var id int64
		if err := s.pool.QueryRow(ctx, `SELECT id FROM offices WHERE slug = $1`, slug).Scan(&id); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, fmt.Errorf("%w: %q", ErrUnknownOffice, slug)
			}
			return nil, fmt.Errorf("store: office %q: %w", slug, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// NewStaff is an account to create.
type NewStaff struct {
	Email     string
	Name      string
	Role      auth.Role
	OfficeIDs []int64
}

// CreateStaff creates an account without a password and returns it with a
// one-time token for the set-password link, valid SetPasswordTTL from now.
// actorID is the administrator who invited the person (0 from the command
// line). The creation is audited. A duplicate address gives ErrEmailTaken,
// an unknown office ErrUnknownOffice.
func (s *Store) CreateStaff(ctx context.Context, actorID int64, in NewStaff, now time.Time) (StaffUser, string, error) {
	var u StaffUser
	var token string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO staff_users (email, name, role) VALUES ($1, $2, $3) RETURNING id`,
			auth.NormalizeEmail(in.Email), in.Name, string(in.Role)).Scan(&id)
		if err != nil {
			return staffWriteError(err)
		}
		if err := setStaffOffices(ctx, tx, id, in.OfficeIDs); err != nil {
			return err
		}
		if token, err = newStaffToken(ctx, tx, id, now); err != nil {
			return err
		}
		if u, err = staffByID(ctx, tx, id, false); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "invite", Entity: "staff_user", EntityID: id, After: u.auditView()})
	})
	if err != nil {
		return StaffUser{}, "", fmt.Errorf("store: create staff: %w", err)
	}
	return u, token, nil
}

func staffWriteError(err error) error {
	switch c, constraint := pgCode(err); {
	case c == "23505" && constraint == "staff_users_email_key":
		return ErrEmailTaken
	case c == "23503" && constraint == "staff_offices_office_id_fkey":
		return ErrUnknownOffice
	}
	return err
}

func setStaffOffices(ctx context.Context, tx pgx.Tx, userID int64, officeIDs []int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM staff_offices WHERE user_id = $1`, userID); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO staff_offices (user_id, office_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`,
		userID, officeIDs); err != nil {
		return staffWriteError(err)
	}
	return nil
}

// newStaffToken voids the account's unused set-password links and makes a
// new one.
func newStaffToken(ctx context.Context, tx pgx.Tx, userID int64, now time.Time) (string, error) {
	token, hash, err := code.NewToken()
	if err != nil {
		return "", err
	}
	if _, err := tx.Exec(ctx, `UPDATE staff_tokens SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, userID, now); err != nil {
		return "", err
	}
	_, err = tx.Exec(ctx, `INSERT INTO staff_tokens (user_id, purpose, token_hash, created_at, expires_at) VALUES ($1, 'set_password', $2, $3, $4)`,
		userID, hash, now, now.Add(SetPasswordTTL))
	return token, err
}

// StaffChanges are the editable properties of an account.
type StaffChanges struct {
	Name      string
	Role      auth.Role
	Active    bool
	OfficeIDs []int64
}

// UpdateStaff changes an account and audits the change with its before
// and after. Deactivating an account ends its sessions.
func (s *Store) UpdateStaff(ctx context.Context, actorID, id int64, c StaffChanges) (StaffUser, error) {
	var after StaffUser
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := staffByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET name = $2, role = $3, active = $4,
			session_version = session_version + CASE WHEN active AND NOT $4 THEN 1 ELSE 0 END WHERE id = $1`,
			id, c.Name, string(c.Role), c.Active); err != nil {
			return err
		}
		if err := setStaffOffices(ctx, tx, id, c.OfficeIDs); err != nil {
			return err
		}
		if after, err = staffByID(ctx, tx, id, false); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "update", Entity: "staff_user", EntityID: id,
			Before: before.auditView(), After: after.auditView()})
	})
	if err != nil {
		return StaffUser{}, fmt.Errorf("store: update staff %d: %w", id, err)
	}
	return s.openStaff(after, nil)
}

// ResetStaffAccess clears the account's password and second factor, ends
// every session of it, voids its earlier links and returns a new one-time
// set-password token. The reset is audited.
func (s *Store) ResetStaffAccess(ctx context.Context, actorID, id int64, now time.Time) (string, error) {
	var token string
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		before, err := staffByID(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET password_hash = NULL, totp_secret = NULL, totp_enabled = false,
			totp_last_step = 0, session_version = session_version + 1 WHERE id = $1`, id); err != nil {
			return err
		}
		if token, err = newStaffToken(ctx, tx, id, now); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "reset_access", Entity: "staff_user", EntityID: id,
			Before: map[string]any{"password_set": before.HasPassword(), "totp_enabled": before.TOTPEnabled},
			After:  map[string]any{"password_set": false, "totp_enabled": false}})
	})
	if err != nil {
		return "", fmt.Errorf("store: reset access of staff %d: %w", id, err)
	}
	return token, nil
}

// Errors of a set-password link that exists but can no longer be used.
var (
	ErrTokenExpired = errors.New("store: link expired")
	ErrTokenUsed    = errors.New("store: link already used")
)

// StaffByToken returns the account a set-password token belongs to. It
// fails with ErrNotFound for an unknown token, ErrTokenUsed for a used or
// replaced one and ErrTokenExpired past its expiry, in that order, and
// with ErrNotFound for a deactivated account.
func (s *Store) StaffByToken(ctx context.Context, token string, now time.Time) (StaffUser, error) {
	u, _, err := staffByToken(ctx, s.pool, token, now, false)
	return s.openStaff(u, err)
}

func staffByToken(ctx context.Context, q staffQuerier, token string, now time.Time, lock bool) (StaffUser, int64, error) {
	sql := `SELECT id, user_id, expires_at, used_at IS NOT NULL FROM staff_tokens WHERE token_hash = $1 AND purpose = 'set_password'`
	if lock {
		sql += ` FOR UPDATE`
	}
	var tokenID, userID int64
	var expires time.Time
	var used bool
	if err := q.QueryRow(ctx, sql, code.HashToken(token)).Scan(&tokenID, &userID, &expires, &used); err != nil {
		return StaffUser{}, 0, fmt.Errorf("store: set-password link: %w", notFound(err))
	}
	switch {
	case used:
		return StaffUser{}, 0, ErrTokenUsed
	case !now.Before(expires):
		return StaffUser{}, 0, ErrTokenExpired
	}
	u, err := staffByID(ctx, q, userID, lock)
	if err != nil {
		return StaffUser{}, 0, err
	}
	if !u.Active {
		return StaffUser{}, 0, fmt.Errorf("store: set-password link of a deactivated account: %w", ErrNotFound)
	}
	return u, tokenID, nil
}

// SetPasswordWithToken sets the password hash of the token's account,
// consumes the token and ends the account's other sessions, all at once;
// it fails like StaffByToken. The change is audited.
func (s *Store) SetPasswordWithToken(ctx context.Context, token, passwordHash string, now time.Time) (StaffUser, error) {
	var u StaffUser
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var tokenID int64
		var err error
		if u, tokenID, err = staffByToken(ctx, tx, token, now, true); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE staff_tokens SET used_at = $2 WHERE id = $1`, tokenID, now); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET password_hash = $2, session_version = session_version + 1 WHERE id = $1`,
			u.ID, passwordHash); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: u.ID, Action: "set_password", Entity: "staff_user", EntityID: u.ID})
	})
	if err != nil {
		return StaffUser{}, fmt.Errorf("store: set password: %w", err)
	}
	return s.openStaff(u, nil)
}

// RecordLogin notes a completed login (password and, when enabled, second
// factor) and audits it.
func (s *Store) RecordLogin(ctx context.Context, userID int64, now time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET last_login_at = $2 WHERE id = $1`, userID, now); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: userID, Action: "login", Entity: "staff_user", EntityID: userID})
	})
	if err != nil {
		return fmt.Errorf("store: record login of staff %d: %w", userID, err)
	}
	return nil
}

// RecordLogout audits a logout.
func (s *Store) RecordLogout(ctx context.Context, userID int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return Audit(ctx, tx, AuditEntry{UserID: userID, Action: "logout", Entity: "staff_user", EntityID: userID})
	})
	if err != nil {
		return fmt.Errorf("store: record logout of staff %d: %w", userID, err)
	}
	return nil
}

// UseTOTPStep records step as the last TOTP step accepted for the account.
// It reports false when that step or a later one was already used: the
// code is a replay, possibly on another instance.
func (s *Store) UseTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE staff_users SET totp_last_step = $2 WHERE id = $1 AND totp_enabled AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: use TOTP step of staff %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// EnableTOTP turns on the second factor with secret, whose code of step
// was just verified, and audits it. The secret is stored sealed
// (WithKeys; ErrNoKeys without keys).
func (s *Store) EnableTOTP(ctx context.Context, userID int64, secret string, step int64) error {
	sealed, err := s.sealTOTP(userID, secret)
	if err != nil {
		return fmt.Errorf("store: enable TOTP of staff %d: %w", userID, err)
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET totp_secret = $2, totp_enabled = true, totp_last_step = $3 WHERE id = $1`,
			userID, sealed, step); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: userID, Action: "totp_enable", Entity: "staff_user", EntityID: userID})
	})
	if err != nil {
		return fmt.Errorf("store: enable TOTP of staff %d: %w", userID, err)
	}
	return nil
}

// DisableTOTP turns off the second factor and audits it.
func (s *Store) DisableTOTP(ctx context.Context, userID int64) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE staff_users SET totp_secret = NULL, totp_enabled = false, totp_last_step = 0 WHERE id = $1`,
			userID); err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: userID, Action: "totp_disable", Entity: "staff_user", EntityID: userID})
	})
	if err != nil {
		return fmt.Errorf("store: disable TOTP of staff %d: %w", userID, err)
	}
	return nil
}

// OfficeOverview is the read-only summary of an office shown in the staff
// area.
type OfficeOverview struct {
	ID                 int64
	Slug               string
	Name               string
	SeatName           string
	Address            string
	CAP                string
	Phone              string
	Email              string
	PEC                string
	AccessibilityNotes string
	TeamSocialWorkers  int
	TeamEducators      int
	TeamOther          string
	HoursNote          string
	IsDemo             bool
	// Comuni are the names of the Comuni served, with their area note
	// ("Perugia (Centro storico)").
	Comuni    []string
	UpdatedAt time.Time
}

// OfficeOverview returns the summary of office id.
func (s *Store) OfficeOverview(ctx context.Context, id int64) (OfficeOverview, error) {
	var o OfficeOverview
	err := s.pool.QueryRow(ctx, `SELECT o.id, o.slug, o.name, c.name, o.address, o.cap, o.phone, o.email, o.pec,
		o.accessibility_notes, o.team_social_workers, o.team_educators, o.team_other, o.hours_note, o.is_demo, o.updated_at
		FROM offices o JOIN comuni c ON c.istat = o.seat_istat WHERE o.id = $1`, id).Scan(
		&o.ID, &o.Slug, &o.Name, &o.SeatName, &o.Address, &o.CAP, &o.Phone, &o.Email, &o.PEC, &o.AccessibilityNotes,
		&o.TeamSocialWorkers, &o.TeamEducators, &o.TeamOther, &o.HoursNote, &o.IsDemo, &o.UpdatedAt)
	if err != nil {
		return o, fmt.Errorf("store: load office %d: %w", id, notFound(err))
	}
	rows, err := s.pool.Query(ctx, `SELECT c.name || CASE WHEN oc.area_note <> '' THEN ' (' || oc.area_note || ')' ELSE '' END
		FROM office_comuni oc JOIN comuni c ON c.istat = oc.istat WHERE oc.office_id = $1 ORDER BY c.name`, id)
	if err != nil {
		return o, fmt.Errorf("store: Comuni of office %d: %w", id, err)
	}
	if o.Comuni, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil {
		return o, fmt.Errorf("store: Comuni of office %d: %w", id, err)
	}
	return o, nil
}
