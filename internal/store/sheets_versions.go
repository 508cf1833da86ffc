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

// ListSheetVersions returns the versions of a sheet's Italian content,
// newest first.
func (s *Store) ListSheetVersions(ctx context.Context, sheetID int64) ([]SheetVersion, error) {
	return s.ListSheetVersionsIn(ctx, sheetID, DefaultLang)
}

// ListSheetVersionsIn returns the versions of a sheet's content in lang,
// newest first; none for a language never written.
func (s *Store) ListSheetVersionsIn(ctx context.Context, sheetID int64, lang string) ([]SheetVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+versionCols+` FROM service_sheet_versions v
		LEFT JOIN staff_users u ON u.email = v.changed_by
		WHERE v.sheet_id = $1 AND v.lang = $2 ORDER BY v.version DESC`, sheetID, lang)
	if err != nil {
		return nil, fmt.Errorf("store: list versions of sheet %d: %w", sheetID, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[SheetVersion])
	if err != nil {
		return nil, fmt.Errorf("store: list versions of sheet %d: %w", sheetID, err)
	}
	return out, nil
}

// SheetAtVersion returns the Italian content of a sheet as saved in a
// version, with the version's facts.
func (s *Store) SheetAtVersion(ctx context.Context, sheetID int64, version int) (Sheet, SheetVersion, error) {
	return sheetAtVersion(ctx, s.pool, sheetID, DefaultLang, version)
}

// SheetAtVersionIn is SheetAtVersion for the content in lang: for a
// language other than Italian only the prose (title, summary, sections
// and their Markdown) is set.
func (s *Store) SheetAtVersionIn(ctx context.Context, sheetID int64, lang string, version int) (Sheet, SheetVersion, error) {
	return sheetAtVersion(ctx, s.pool, sheetID, lang, version)
}

func sheetAtVersion(ctx context.Context, q dbtx, sheetID int64, lang string, version int) (Sheet, SheetVersion, error) {
	var v SheetVersion
	var content []byte
	err := q.QueryRow(ctx, `SELECT `+versionCols+`, v.content FROM service_sheet_versions v
		LEFT JOIN staff_users u ON u.email = v.changed_by
		WHERE v.sheet_id = $1 AND v.lang = $2 AND v.version = $3`, sheetID, lang, version).
		Scan(&v.Version, &v.ChangedBy, &v.ChangedByName, &v.Note, &v.CreatedAt, &content)
	if err != nil {
		return Sheet{}, SheetVersion{}, fmt.Errorf("store: load version %d (%s) of sheet %d: %w", version, lang, sheetID, notFound(err))
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
	// Lang is the language of the content to restore; "" is Italian.
	Lang string
}

// RestoreSheetVersion makes the content of an earlier version the
// current one, as a new version noted "Ripristino della versione N", and
// audits it (sheet_restore). The publication state stays the current one:
// restoring the text of a sheet never publishes or withdraws it. A version
// equal to the current content writes nothing. Errors: ErrNotFound for
// the sheet or the version, ErrUnknownTopic. With r.Lang another
// language, it restores that language's text (sheet_text_restore).
func (s *Store) RestoreSheetVersion(ctx context.Context, r SheetRestore) (SheetEditResult, error) {
	if r.Lang != "" && r.Lang != DefaultLang {
		return s.restoreSheetText(ctx, r)
	}
	var res SheetEditResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.loadSheet(ctx, tx, r.Slug, true)
		if err != nil {
			return err
		}
		old, _, err := sheetAtVersion(ctx, tx, cur.ID, DefaultLang, r.Version)
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
