package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SheetVersion describes one saved state of a sheet.
type SheetVersion struct {
	Version int `db:"version"`
	// ChangedBy is the author: the staff e-mail, or what the import
	// recorded; ChangedByName the staff account's name, when there is one.
	ChangedBy     string    `db:"changed_by"`
	ChangedByName string    `db:"changed_by_name"`
	Note          string    `db:"note"`
	CreatedAt     time.Time `db:"created_at"`
}

const versionCols = `v.version, v.changed_by, coalesce(u.name, '') AS changed_by_name, v.note, v.created_at`

// ListSheetVersions returns the versions of a sheet, newest first.
func (s *Store) ListSheetVersions(ctx context.Context, sheetID int64) ([]SheetVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+versionCols+` FROM service_sheet_versions v
		LEFT JOIN staff_users u ON u.email = v.changed_by
		WHERE v.sheet_id = $1 ORDER BY v.version DESC`, sheetID)
	if err != nil {
		return nil, fmt.Errorf("store: list versions of sheet %d: %w", sheetID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[SheetVersion])
	if err != nil {
		return nil, fmt.Errorf("store: list versions of sheet %d: %w", sheetID, err)
	}
	return out, nil
}

// SheetAtVersion returns the content of a sheet as saved in a version,
// with the version's facts.
func (s *Store) SheetAtVersion(ctx context.Context, sheetID int64, version int) (Sheet, SheetVersion, error) {
	return sheetAtVersion(ctx, s.pool, sheetID, version)
}

func sheetAtVersion(ctx context.Context, q dbtx, sheetID int64, version int) (Sheet, SheetVersion, error) {
	var v SheetVersion
	var content []byte
	err := q.QueryRow(ctx, `SELECT `+versionCols+`, v.content FROM service_sheet_versions v
		LEFT JOIN staff_users u ON u.email = v.changed_by
		WHERE v.sheet_id = $1 AND v.version = $2`, sheetID, version).
		Scan(&v.Version, &v.ChangedBy, &v.ChangedByName, &v.Note, &v.CreatedAt, &content)
	if err != nil {
		return Sheet{}, SheetVersion{}, fmt.Errorf("store: load version %d of sheet %d: %w", version, sheetID, notFound(err))
	}
	var sh Sheet
	if err := json.Unmarshal(content, &sh); err != nil {
		return Sheet{}, SheetVersion{}, fmt.Errorf("store: decode version %d of sheet %d: %w", version, sheetID, err)
	}
	sh.ID, sh.Version = sheetID, version
	return sh, v, nil
}

// SheetRestore asks to bring back an earlier version of a sheet.
type SheetRestore struct {
	Slug    string
	Version int
	ActorID int64
	// ChangedBy is the author of the new version: the account's e-mail.
	ChangedBy string
	Today     time.Time
}

// RestoreSheetVersion makes the content of an earlier version the
// current one, as a new version noted "Ripristino della versione N", and
// audits it (sheet_restore). The publication state stays the current one:
// restoring the text of a sheet never publishes or withdraws it. A version
// equal to the current content writes nothing. Errors: ErrNotFound for
// the sheet or the version, ErrUnknownTopic.
func (s *Store) RestoreSheetVersion(ctx context.Context, r SheetRestore) (SheetEditResult, error) {
	var res SheetEditResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.loadSheet(ctx, tx, r.Slug, true)
		if err != nil {
			return err
		}
		old, _, err := sheetAtVersion(ctx, tx, cur.ID, r.Version)
		if err != nil {
			return err
		}
		old.Publication = cur.Publication
		e := SheetEdit{ActorID: r.ActorID, ChangedBy: r.ChangedBy, Today: r.Today,
			Note: fmt.Sprintf("Ripristino della versione %d", r.Version)}
		res, err = applySheetChange(ctx, tx, cur, old, e, "sheet_restore", r.Version)
		return err
	})
	return res, err
}
