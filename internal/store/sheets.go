package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Link is a titled link; URL may be empty when no real address is known.
type Link struct {
	Title string `json:"title"`
	URL   string `json:"url"`
}

// Topic is an entry of the controlled vocabulary of topics.
type Topic struct {
	Slug string `json:"slug" db:"slug"`
	Name string `json:"name" db:"name"`
}

// Sheet is a service sheet ("scheda servizio"). The *HTML fields hold
// sanitised HTML.
type Sheet struct {
	ID               int64     `json:"-"`
	Slug             string    `json:"slug"`
	Title            string    `json:"title"`
	Summary          string    `json:"summary"`
	Category         string    `json:"category"`
	SourceCategory   string    `json:"source_category"`
	ServiceStatus    string    `json:"service_status"`
	StatusReason     string    `json:"status_reason"`
	Publication      string    `json:"publication"`
	AddressedHTML    string    `json:"addressed_html"`
	DescriptionHTML  string    `json:"description_html"`
	HowToHTML        string    `json:"how_to_html"`
	NeededHTML       string    `json:"needed_html"`
	AchievedHTML     string    `json:"achieved_html"`
	CalendarHTML     string    `json:"calendar_html"`
	CostHTML         string    `json:"cost_html"`
	AccessHTML       string    `json:"access_html"`
	OtherInfoHTML    string    `json:"other_info_html"`
	TerritorialScope string    `json:"territorial_scope"`
	LegalSources     []Link    `json:"legal_sources"`
	OfficialSources  []Link    `json:"official_sources"`
	Author           string    `json:"author"`
	UpdatedOn        time.Time `json:"updated_on"`
	Topics           []Topic   `json:"topics"`
	// Markdown is the source staff wrote for the *HTML sections; nil for
	// a sheet that exists only as HTML (imported). It is kept in the
	// version content, not in columns (see sheets_edit.go).
	Markdown *SheetMarkdown `json:"markdown,omitempty"`
	Version  int            `json:"-"`
	// Lang is the language of the prose when it is not Italian (see
	// WithText); "" for Italian.
	Lang string `json:"-"`
}

// Active reports whether the service is currently provided.
func (s Sheet) Active() bool { return s.ServiceStatus != "inactive" }

// contentHash identifies the content of a sheet, to make re-imports of the
// same content a no-op.
func (s Sheet) contentHash() string {
	c := s
	c.ID, c.Version = 0, 0
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

const sheetCols = `id, slug, title, summary, category, source_category, service_status, status_reason, publication,
	addressed_html, description_html, how_to_html, needed_html, achieved_html, calendar_html, cost_html, access_html,
	other_info_html, territorial_scope, legal_sources, official_sources, author, updated_on, version`

func scanSheet(row pgx.Row) (Sheet, error) {
	var s Sheet
	err := row.Scan(&s.ID, &s.Slug, &s.Title, &s.Summary, &s.Category, &s.SourceCategory, &s.ServiceStatus, &s.StatusReason,
		&s.Publication, &s.AddressedHTML, &s.DescriptionHTML, &s.HowToHTML, &s.NeededHTML, &s.AchievedHTML, &s.CalendarHTML,
		&s.CostHTML, &s.AccessHTML, &s.OtherInfoHTML, &s.TerritorialScope, &s.LegalSources, &s.OfficialSources, &s.Author,
		&s.UpdatedOn, &s.Version)
	return s, err
}

// ListSheets returns the published sheets ordered by title, with topics.
func (s *Store) ListSheets(ctx context.Context) ([]Sheet, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+sheetCols+` FROM service_sheets WHERE publication = 'published' ORDER BY title`)
	if err != nil {
		return nil, fmt.Errorf("store: list sheets: %w", err)
	}
	var out []Sheet
	for rows.Next() {
		sh, err := scanSheet(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: list sheets: %w", err)
		}
		out = append(out, sh)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list sheets: %w", err)
	}
	for i := range out {
		if out[i].Topics, err = s.sheetTopics(ctx, s.pool, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// SheetBySlug loads a published sheet with its topics.
func (s *Store) SheetBySlug(ctx context.Context, slug string) (Sheet, error) {
	sh, err := scanSheet(s.pool.QueryRow(ctx, `SELECT `+sheetCols+` FROM service_sheets WHERE slug = $1 AND publication = 'published'`, slug))
	if err != nil {
		return Sheet{}, fmt.Errorf("store: load sheet %q: %w", slug, notFound(err))
	}
	if sh.Topics, err = s.sheetTopics(ctx, s.pool, sh.ID); err != nil {
		return Sheet{}, err
	}
	return sh, nil
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func (s *Store) sheetTopics(ctx context.Context, q querier, id int64) ([]Topic, error) {
	rows, err := q.Query(ctx, `SELECT t.slug, t.name FROM service_sheet_topics st JOIN topics t ON t.slug = st.topic_slug
		WHERE st.sheet_id = $1 ORDER BY st.position, t.name`, id)
	if err != nil {
		return nil, fmt.Errorf("store: sheet topics: %w", err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[Topic])
	if err != nil {
		return nil, fmt.Errorf("store: sheet topics: %w", err)
	}
	return ts, nil
}

// SaveResult tells what SaveSheet did.
type SaveResult struct {
	Created bool
	Changed bool
	Version int
	// SheetID is the saved sheet's id.
	SheetID int64
}

// SaveSheet creates or updates the sheet with sh.Slug in one transaction,
// with its topics (slugs of the controlled vocabulary, in order), and
// records a version. Saving the same content again changes nothing.
func (s *Store) SaveSheet(ctx context.Context, sh Sheet, changedBy, note string) (SaveResult, error) {
	var res SaveResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		res, err = saveSheetTx(ctx, tx, sh, changedBy, note)
		return err
	})
	return res, err
}

// saveSheetTx is SaveSheet inside the caller's transaction.
func saveSheetTx(ctx context.Context, tx pgx.Tx, sh Sheet, changedBy, note string) (SaveResult, error) {
	var res SaveResult
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
	hash := sh.contentHash()
	var id int64
	var oldHash string
	var version int
	err := tx.QueryRow(ctx, `SELECT id, content_hash, version FROM service_sheets WHERE slug = $1 FOR UPDATE`, sh.Slug).Scan(&id, &oldHash, &version)
	switch {
	case err == pgx.ErrNoRows:
		res.Created, res.Changed, version = true, true, 1
		err = tx.QueryRow(ctx, `INSERT INTO service_sheets (slug, title, summary, category, source_category, service_status,
			status_reason, publication, addressed_html, description_html, how_to_html, needed_html, achieved_html, calendar_html,
			cost_html, access_html, other_info_html, territorial_scope, legal_sources, official_sources, author, updated_on,
			content_hash, version)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23,1) RETURNING id`,
			sh.Slug, sh.Title, sh.Summary, sh.Category, sh.SourceCategory, sh.ServiceStatus, sh.StatusReason, sh.Publication,
			sh.AddressedHTML, sh.DescriptionHTML, sh.HowToHTML, sh.NeededHTML, sh.AchievedHTML, sh.CalendarHTML, sh.CostHTML,
			sh.AccessHTML, sh.OtherInfoHTML, sh.TerritorialScope, sh.LegalSources, sh.OfficialSources, sh.Author, sh.UpdatedOn,
			hash).Scan(&id)
		if err != nil {
			return SaveResult{}, fmt.Errorf("store: insert sheet: %w", err)
		}
	case err != nil:
		return SaveResult{}, fmt.Errorf("store: lock sheet: %w", err)
	case oldHash == hash:
		res.Version, res.SheetID = version, id
		return res, nil
	default:
		res.Changed = true
		version++
		_, err = tx.Exec(ctx, `UPDATE service_sheets SET title=$2, summary=$3, category=$4, source_category=$5,
			service_status=$6, status_reason=$7, publication=$8, addressed_html=$9, description_html=$10, how_to_html=$11,
			needed_html=$12, achieved_html=$13, calendar_html=$14, cost_html=$15, access_html=$16, other_info_html=$17,
			territorial_scope=$18, legal_sources=$19, official_sources=$20, author=$21, updated_on=$22, content_hash=$23,
			version=$24, modified_at=now() WHERE id=$1`,
			id, sh.Title, sh.Summary, sh.Category, sh.SourceCategory, sh.ServiceStatus, sh.StatusReason, sh.Publication,
			sh.AddressedHTML, sh.DescriptionHTML, sh.HowToHTML, sh.NeededHTML, sh.AchievedHTML, sh.CalendarHTML, sh.CostHTML,
			sh.AccessHTML, sh.OtherInfoHTML, sh.TerritorialScope, sh.LegalSources, sh.OfficialSources, sh.Author, sh.UpdatedOn,
			hash, version)
		if err != nil {
			return SaveResult{}, fmt.Errorf("store: update sheet: %w", err)
		}
	}
	res.Version, res.SheetID = version, id
	if _, err := tx.Exec(ctx, `DELETE FROM service_sheet_topics WHERE sheet_id = $1`, id); err != nil {
		return SaveResult{}, fmt.Errorf("store: clear topics: %w", err)
	}
	for i, t := range sh.Topics {
		if _, err := tx.Exec(ctx, `INSERT INTO service_sheet_topics (sheet_id, topic_slug, position) VALUES ($1, $2, $3)`, id, t.Slug, i); err != nil {
			if code, _ := pgCode(err); code == "23503" {
				return SaveResult{}, fmt.Errorf("store: topic %q: %w", t.Slug, ErrUnknownTopic)
			}
			return SaveResult{}, fmt.Errorf("store: add topic: %w", err)
		}
	}
	content, _ := json.Marshal(sh)
	if _, err := tx.Exec(ctx, `INSERT INTO service_sheet_versions (sheet_id, version, content, changed_by, note) VALUES ($1, $2, $3, $4, $5)`,
		id, version, content, changedBy, note); err != nil {
		return SaveResult{}, fmt.Errorf("store: record version: %w", err)
	}
	return res, nil
}

// CountSheets returns how many sheets exist, published or not.
func (s *Store) CountSheets(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM service_sheets`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count sheets: %w", err)
	}
	return n, nil
}
