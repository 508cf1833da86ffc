package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
)

// ErrSheetConflict is returned when a sheet was saved by someone else
// after the editor opened it (its version moved on).
var ErrSheetConflict = errors.New("store: sheet changed since it was opened")

// ErrUnknownTopic is returned when a topic is not in the controlled
// vocabulary.
var ErrUnknownTopic = errors.New("store: topic not in the controlled vocabulary")

// SheetMarkdown is the Markdown source of a sheet's *HTML sections, as
// staff wrote it. It travels inside the version content (jsonb), so no
// column is needed: the source of the current version is the one the
// editor shows.
type SheetMarkdown struct {
	Addressed   string `json:"addressed"`
	Description string `json:"description"`
	HowTo       string `json:"how_to"`
	Needed      string `json:"needed"`
	Achieved    string `json:"achieved"`
	Calendar    string `json:"calendar"`
	Cost        string `json:"cost"`
	Access      string `json:"access"`
	OtherInfo   string `json:"other_info"`
}

// dbtx is what both the pool and a transaction offer.
type dbtx interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// SheetForEditing loads a sheet whatever its publication, with its topics
// and the Markdown source of its current version (nil when the sheet has
// only HTML).
func (s *Store) SheetForEditing(ctx context.Context, slug string) (Sheet, error) {
	return s.loadSheet(ctx, s.pool, slug, false)
}

// loadSheet is SheetForEditing on q; lock takes the row lock of an
// update.
func (s *Store) loadSheet(ctx context.Context, q dbtx, slug string, lock bool) (Sheet, error) {
	sql := `SELECT ` + sheetCols + ` FROM service_sheets WHERE slug = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	sh, err := scanSheet(q.QueryRow(ctx, sql, slug))
	if err != nil {
		return Sheet{}, fmt.Errorf("store: load sheet %q for editing: %w", slug, notFound(err))
	}
	if sh.Topics, err = s.sheetTopics(ctx, q, sh.ID); err != nil {
		return Sheet{}, err
	}
	var md []byte
	err = q.QueryRow(ctx, `SELECT content->'markdown' FROM service_sheet_versions WHERE sheet_id = $1 AND lang = 'it' AND version = $2`,
		sh.ID, sh.Version).Scan(&md)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Sheet{}, fmt.Errorf("store: load sheet %q source: %w", slug, err)
	}
	if len(md) > 0 && string(md) != "null" {
		sh.Markdown = new(SheetMarkdown)
		if err := json.Unmarshal(md, sh.Markdown); err != nil {
			return Sheet{}, fmt.Errorf("store: load sheet %q source: %w", slug, err)
		}
	}
	return sh, nil
}

// SheetSummary is a sheet as the staff list shows it.
type SheetSummary struct {
	ID            int64     `db:"id"`
	Slug          string    `db:"slug"`
	Title         string    `db:"title"`
	Publication   string    `db:"publication"`
	ServiceStatus string    `db:"service_status"`
	Version       int       `db:"version"`
	UpdatedOn     time.Time `db:"updated_on"`
	ModifiedAt    time.Time `db:"modified_at"`
	// ChangedBy and ChangedByName are the author of the current version:
	// the staff e-mail (or what the import recorded) and, when it is a
	// staff account, its name.
	ChangedBy     string `db:"changed_by"`
	ChangedByName string `db:"changed_by_name"`
}

// ListStaffSheets returns every sheet, drafts included, by title.
func (s *Store) ListStaffSheets(ctx context.Context) ([]SheetSummary, error) {
	rows, err := s.pool.Query(ctx, `SELECT s.id, s.slug, s.title, s.publication, s.service_status, s.version, s.updated_on,
		s.modified_at, coalesce(v.changed_by, '') AS changed_by, coalesce(u.name, '') AS changed_by_name
		FROM service_sheets s
		LEFT JOIN service_sheet_versions v ON v.sheet_id = s.id AND v.lang = 'it' AND v.version = s.version
		LEFT JOIN staff_users u ON u.email = v.changed_by
		ORDER BY lower(s.title), s.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list sheets for staff: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[SheetSummary])
	if err != nil {
		return nil, fmt.Errorf("store: list sheets for staff: %w", err)
	}
	return out, nil
}

// ListTopics returns the controlled vocabulary of topics by name.
func (s *Store) ListTopics(ctx context.Context) ([]Topic, error) {
	rows, err := s.pool.Query(ctx, `SELECT slug, name FROM topics ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("store: list topics: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[Topic])
	if err != nil {
		return nil, fmt.Errorf("store: list topics: %w", err)
	}
	return out, nil
}

// SheetEdit is a change of a sheet made by a member of staff.
type SheetEdit struct {
	// Sheet is the whole new content. For a new sheet Slug is the wanted
	// slug, made unique with "-2", "-3"…; otherwise it names the sheet.
	Sheet Sheet
	// New asks to create a sheet.
	New bool
	// BaseVersion is the version the editor started from: if the sheet
	// was saved since, nothing is written and ErrSheetConflict returned.
	// 0 skips the check.
	BaseVersion int
	// ActorID is the staff account, for the audit log.
	ActorID int64
	// ChangedBy names the author in the version history: the account's
	// e-mail.
	ChangedBy string
	Note      string
	// Today is the civil date (Europe/Rome) that becomes updated_on when
	// what citizens see changes.
	Today time.Time
}

// SheetEditResult tells what SaveSheetEdit or RestoreSheetVersion did.
type SheetEditResult struct {
	SheetID int64
	Slug    string
	// Version is the sheet's version after the call.
	Version int
	// Changed is false when the content was the same: nothing written.
	Changed bool
	// Action is the audited action: sheet_create, sheet_update,
	// sheet_publish, sheet_unpublish or sheet_restore.
	Action string
}

// SaveSheetEdit creates or updates a sheet as staff edit it, in one
// transaction with its version row and an audit entry (before/after:
// version, title, publication, status and the names of the changed
// fields). Content that citizens would see unchanged writes nothing,
// unless the Markdown source of a sheet that has one changed: that is a
// new version keeping updated_on. Any visible change sets updated_on to
// e.Today. Errors:
// ErrNotFound, ErrSheetConflict, ErrUnknownTopic.
func (s *Store) SaveSheetEdit(ctx context.Context, e SheetEdit) (SheetEditResult, error) {
	if e.New {
		return s.createSheet(ctx, e)
	}
	var res SheetEditResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := s.loadSheet(ctx, tx, e.Sheet.Slug, true)
		if err != nil {
			return err
		}
		if e.BaseVersion != 0 && cur.Version != e.BaseVersion {
			return ErrSheetConflict
		}
		action := "sheet_update"
		switch {
		case cur.Publication != "published" && e.Sheet.Publication == "published":
			action = "sheet_publish"
		case cur.Publication == "published" && e.Sheet.Publication != "published":
			action = "sheet_unpublish"
		}
		res, err = applySheetChange(ctx, tx, cur, e.Sheet, e, action, 0)
		return err
	})
	return res, err
}

// maxSlugTries bounds the "-2", "-3"… suffixes tried for a new sheet.
const maxSlugTries = 100

func (s *Store) createSheet(ctx context.Context, e SheetEdit) (SheetEditResult, error) {
	var res SheetEditResult
	// A concurrent creation may take the slug between the check and the
	// insert: try again with the next free one.
	for range 3 {
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			sh := e.Sheet
			slug, err := freeSlug(ctx, tx, sh.Slug)
			if err != nil {
				return err
			}
			sh.Slug = slug
			sh.UpdatedOn = e.Today
			normaliseSheet(&sh)
			saved, err := saveSheetTx(ctx, tx, sh, e.ChangedBy, e.Note)
			if err != nil {
				return err
			}
			res = SheetEditResult{SheetID: saved.SheetID, Slug: slug, Version: saved.Version, Changed: true, Action: "sheet_create"}
			return Audit(ctx, tx, AuditEntry{UserID: e.ActorID, Action: res.Action, Entity: "service_sheet", EntityID: saved.SheetID,
				After: sheetAudit(sh, saved.Version, nil, 0)})
		})
		if code, _ := pgCode(err); code == "23505" {
			continue
		}
		return res, err
	}
	return SheetEditResult{}, fmt.Errorf("store: create sheet %q: slug taken concurrently", e.Sheet.Slug)
}

// freeSlug returns base, or base-2, base-3… whichever is not taken.
func freeSlug(ctx context.Context, tx pgx.Tx, base string) (string, error) {
	for i := 1; i <= maxSlugTries; i++ {
		slug := base
		if i > 1 {
			slug = base + "-" + strconv.Itoa(i)
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM service_sheets WHERE slug = $1)`, slug).Scan(&taken); err != nil {
			return "", fmt.Errorf("store: check slug: %w", err)
		}
		if !taken {
			return slug, nil
		}
	}
	return "", fmt.Errorf("store: no free slug for %q", base)
}

// applySheetChange writes next over cur (locked by the caller's
// transaction), unless nothing changed, and audits it.
func applySheetChange(ctx context.Context, tx pgx.Tx, cur, next Sheet, e SheetEdit, action string, restoredFrom int) (SheetEditResult, error) {
	next.ID, next.Slug = cur.ID, cur.Slug
	normaliseSheet(&next)
	res := SheetEditResult{SheetID: cur.ID, Slug: cur.Slug, Version: cur.Version, Action: action}
	visible := next
	visible.UpdatedOn = cur.UpdatedOn
	sameVisible := visible.visibleHash() == cur.visibleHash()
	// A sheet without a source (imported HTML) is edited through the
	// Markdown written from its HTML: saving that back unchanged is no
	// change.
	if sameVisible && (cur.Markdown == nil || reflect.DeepEqual(next.Markdown, cur.Markdown)) {
		return res, nil
	}
	next.UpdatedOn = e.Today
	if sameVisible {
		next.UpdatedOn = cur.UpdatedOn
	}
	saved, err := saveSheetTx(ctx, tx, next, e.ChangedBy, e.Note)
	if err != nil {
		return SheetEditResult{}, err
	}
	res.Version, res.Changed = saved.Version, true
	err = Audit(ctx, tx, AuditEntry{UserID: e.ActorID, Action: action, Entity: "service_sheet", EntityID: cur.ID,
		Before: sheetAudit(cur, cur.Version, nil, 0), After: sheetAudit(next, saved.Version, changedFields(cur, next), restoredFrom)})
	return res, err
}

// normaliseSheet gives a sheet the defaults SaveSheet applies, so that
// comparisons see what will be stored.
func normaliseSheet(sh *Sheet) {
	if sh.ServiceStatus == "" {
		sh.ServiceStatus = "active"
	}
	if sh.Publication == "" {
		sh.Publication = "published"
	}
	if sh.LegalSources == nil {
		sh.LegalSources = []Link{}
	}
	if sh.OfficialSources == nil {
		sh.OfficialSources = []Link{}
	}
	if sh.Topics == nil {
		sh.Topics = []Topic{}
	}
}

// visibleHash identifies what citizens see of a sheet: the content
// without the Markdown source and the date, sections compared as the
// page shows them (inline text is shown as a paragraph).
func (s Sheet) visibleHash() string {
	c := s
	normaliseSheet(&c)
	c.Markdown, c.UpdatedOn = nil, time.Time{}
	for _, f := range []*string{&c.AddressedHTML, &c.DescriptionHTML, &c.HowToHTML, &c.NeededHTML, &c.AchievedHTML,
		&c.CalendarHTML, &c.CostHTML, &c.AccessHTML, &c.OtherInfoHTML} {
		*f = asParagraph(*f)
	}
	return c.contentHash()
}

func asParagraph(h string) string {
	t := strings.TrimSpace(h)
	if t == "" || strings.HasPrefix(t, "<p") || strings.HasPrefix(t, "<ul") || strings.HasPrefix(t, "<ol") {
		return t
	}
	return "<p>" + t + "</p>"
}

// sheetAuditState is what the audit log keeps of a sheet change; the
// content itself is in the versions.
type sheetAuditState struct {
	Slug          string   `json:"slug"`
	Title         string   `json:"title"`
	Version       int      `json:"version"`
	Publication   string   `json:"publication"`
	ServiceStatus string   `json:"service_status"`
	Changed       []string `json:"changed,omitempty"`
	RestoredFrom  int      `json:"restored_from,omitempty"`
}

func sheetAudit(sh Sheet, version int, changed []string, restoredFrom int) sheetAuditState {
	return sheetAuditState{Slug: sh.Slug, Title: sh.Title, Version: version, Publication: sh.Publication,
		ServiceStatus: sh.ServiceStatus, Changed: changed, RestoredFrom: restoredFrom}
}

// changedFields names (as in the version content) the fields that differ
// between two states, updated_on aside.
func changedFields(a, b Sheet) []string {
	am, bm := jsonFields(a), jsonFields(b)
	var out []string
	for _, k := range slices.Sorted(maps.Keys(bm)) {
		if k != "updated_on" && string(am[k]) != string(bm[k]) {
			out = append(out, k)
		}
	}
	for k := range am {
		if _, ok := bm[k]; !ok {
			out = append(out, k)
		}
	}
	return out
}

func jsonFields(sh Sheet) map[string]json.RawMessage {
	normaliseSheet(&sh)
	b, _ := json.Marshal(sh)
	var m map[string]json.RawMessage
	_ = json.Unmarshal(b, &m)
	return m
}
