package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// AuditEntry is one line of the audit log: who did what to which record.
type AuditEntry struct {
	// UserID is the staff account acting; 0 for the command line.
	UserID int64
	// Action is a lower-case verb such as "invite", "update", "login".
	Action string
	// Entity is the kind of record, such as "staff_user" or "office".
	Entity string
	// EntityID is the record's id; 0 when there is none.
	EntityID int64
	// Before and After are the record's relevant fields before and after
	// the change, encoded as JSON; nil stores NULL. Never put secrets here.
	Before, After any
}

// Audit appends e to the audit log inside tx, so the entry is written if
// and only if the change it describes is. The table refuses updates and
// deletes.
func Audit(ctx context.Context, tx pgx.Tx, e AuditEntry) error {
	before, err := auditJSON(e.Before)
	if err != nil {
		return err
	}
	after, err := auditJSON(e.After)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (user_id, action, entity, entity_id, before, after)
		VALUES (nullif($1::bigint, 0), $2, $3, nullif($4::bigint, 0), $5, $6)`, e.UserID, e.Action, e.Entity, e.EntityID, before, after)
	if err != nil {
		return fmt.Errorf("store: audit %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}

func auditJSON(v any) ([]byte, error) {
	if v == nil {
		return nil, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fmt.Errorf("store: audit: encode: %w", err)
	}
	return b, nil
}

// AuditRecord is a stored audit entry with the acting account's names.
type AuditRecord struct {
	ID        int64     `db:"id"`
	At        time.Time `db:"at"`
	UserID    int64     `db:"user_id"` // 0 for the command line
	UserName  string    `db:"user_name"`
	UserEmail string    `db:"user_email"`
	Action    string    `db:"action"`
	Entity    string    `db:"entity"`
	EntityID  int64     `db:"entity_id"` // 0 when there is none
	Before    string    `db:"before"`
	After     string    `db:"after"`
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	UserID int64
	Action string
	// From and To are instants bounding the entries, To excluded.
	From, To time.Time
	// Offset and Limit page through the newest-first list.
	Offset, Limit int
}

// ListAudit returns the entries matching f, newest first, and how many
// match in all.
func (s *Store) ListAudit(ctx context.Context, f AuditFilter) ([]AuditRecord, int, error) {
	var where []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.UserID != 0 {
		add("a.user_id = ?", f.UserID)
	}
	if f.Action != "" {
		add("a.action = ?", f.Action)
	}
	if !f.From.IsZero() {
		add("a.at >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("a.at < ?", f.To)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count audit log: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	args = append(args, limit, max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.at, coalesce(a.user_id, 0) AS user_id, coalesce(u.name, '') AS user_name,
		coalesce(u.email, '') AS user_email, a.action, a.entity, coalesce(a.entity_id, 0) AS entity_id,
		coalesce(a.before::text, '') AS before, coalesce(a.after::text, '') AS after
		FROM audit_log a LEFT JOIN staff_users u ON u.id = a.user_id`+cond+`
		ORDER BY a.at DESC, a.id DESC LIMIT $`+strconv.Itoa(len(args)-1)+` OFFSET $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list audit log: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[AuditRecord])
	if err != nil {
		return nil, 0, fmt.Errorf("store: list audit log: %w", err)
	}
	return out, total, nil
}

// AuditActions lists the actions present in the audit log, for the filter.
func (s *Store) AuditActions(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT action FROM audit_log ORDER BY action`)
	if err != nil {
		return nil, fmt.Errorf("store: audit actions: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("store: audit actions: %w", err)
	}
	return out, nil
}
