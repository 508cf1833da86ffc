package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/i18n"
)

// DefaultLang is the language of the content kept in the main tables
// (service_sheets, faq_items, offices): Italian. Other languages live in
// the *_texts tables (migrations/00014_content_languages.sql).
const DefaultLang = string(i18n.Default)

// The prose of a sheet in another language is a Sheet with only Title,
// Summary, the *HTML sections, their Markdown, UpdatedOn and Version set:
// publication, status, category, topics and sources are the Italian
// sheet's, whatever the language.

const sheetTextCols = `title, summary, addressed_html, description_html, how_to_html, needed_html, achieved_html,
	calendar_html, cost_html, access_html, other_info_html, version, updated_on`

func scanSheetText(row pgx.Row, sh *Sheet) error {
	return row.Scan(&sh.Title, &sh.Summary, &sh.AddressedHTML, &sh.DescriptionHTML, &sh.HowToHTML, &sh.NeededHTML,
		&sh.AchievedHTML, &sh.CalendarHTML, &sh.CostHTML, &sh.AccessHTML, &sh.OtherInfoHTML, &sh.Version, &sh.UpdatedOn)
}

// SheetText returns the prose of sheet sheetID in lang (not Italian),
// with the Markdown of its current version. ErrNotFound when the sheet
// has no text in lang.
func (s *Store) SheetText(ctx context.Context, sheetID int64, lang string) (Sheet, error) {
	return loadSheetText(ctx, s.pool, sheetID, lang)
}

func loadSheetText(ctx context.Context, q dbtx, sheetID int64, lang string) (Sheet, error) {
	sh := Sheet{ID: sheetID}
	err := scanSheetText(q.QueryRow(ctx, `SELECT `+sheetTextCols+` FROM service_sheet_texts WHERE sheet_id = $1 AND lang = $2`,
		sheetID, lang), &sh)
	if err != nil {
		return Sheet{}, fmt.Errorf("store: load %s text of sheet %d: %w", lang, sheetID, notFound(err))
	}
	var md []byte
	err = q.QueryRow(ctx, `SELECT content->'markdown' FROM service_sheet_versions WHERE sheet_id = $1 AND lang = $2 AND version = $3`,
		sheetID, lang, sh.Version).Scan(&md)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return Sheet{}, fmt.Errorf("store: load %s source of sheet %d: %w", lang, sheetID, err)
	}
	if len(md) > 0 && string(md) != "null" {
		sh.Markdown = new(SheetMarkdown)
		if err := json.Unmarshal(md, sh.Markdown); err != nil {
			return Sheet{}, fmt.Errorf("store: load %s source of sheet %d: %w", lang, sheetID, err)
		}
	}
	return sh, nil
}

// WithText returns the sheet with its prose replaced by t's (a text in
// another language, see SheetText); everything else stays.
func (s Sheet) WithText(t Sheet) Sheet {
	out := s
	out.Title, out.Summary = t.Title, t.Summary
	out.AddressedHTML, out.DescriptionHTML, out.HowToHTML = t.AddressedHTML, t.DescriptionHTML, t.HowToHTML
	out.NeededHTML, out.AchievedHTML, out.CalendarHTML = t.NeededHTML, t.AchievedHTML, t.CalendarHTML
	out.CostHTML, out.AccessHTML, out.OtherInfoHTML = t.CostHTML, t.AccessHTML, t.OtherInfoHTML
	out.Markdown, out.UpdatedOn = t.Markdown, t.UpdatedOn
	return out
}

// Language is the language of the sheet's prose: "it" unless set.
func (s Sheet) Language() string {
	if s.Lang == "" {
		return DefaultLang
	}
	return s.Lang
}

// textOnly keeps of sh what a text in another language holds.
func textOnly(sh Sheet) Sheet {
	return Sheet{ID: sh.ID, Version: sh.Version}.WithText(sh)
}

// SheetTextEdit is a change of a sheet's prose in a language other than
// Italian, made by a member of staff.
type SheetTextEdit struct {
	SheetID int64
	Lang    string
	// Text holds the new prose: Title, Summary, the *HTML sections
	// (sanitised by the caller, as for Italian) and their Markdown.
	Text Sheet
	// BaseVersion is the version of the text the editor started from, 0
	// when there was none: if the text was saved since, nothing is
	// written and ErrSheetConflict returned.
	BaseVersion int
	ActorID     int64
	ChangedBy   string
	Note        string
	Today       time.Time
}

// SaveSheetText writes the prose of a sheet in e.Lang as a new version of
// that language, in one transaction with the version row and an audit
// entry (sheet_text_update, with the language). Unchanged prose writes
// nothing; a change that citizens see sets updated_on to e.Today. Errors:
// ErrNotFound (no such sheet), ErrSheetConflict.
func (s *Store) SaveSheetText(ctx context.Context, e SheetTextEdit) (SheetEditResult, error) {
	if e.Lang == DefaultLang || e.Lang == "" {
		return SheetEditResult{}, fmt.Errorf("store: save sheet text: %q is not another language", e.Lang)
	}
	var res SheetEditResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		slug, cur, exists, err := lockSheetText(ctx, tx, e.SheetID, e.Lang)
		if err != nil {
			return err
		}
		if cur.Version != e.BaseVersion {
			return ErrSheetConflict
		}
		res, err = applySheetText(ctx, tx, slug, cur, exists, e.Text, e, "sheet_text_update", 0)
		return err
	})
	return res, err
}

// lockSheetText locks the sheet's row (serialising every change of the
// sheet, whatever the language) and loads its text in lang: exists is
// false, and cur's Version 0, when there is none yet.
func lockSheetText(ctx context.Context, tx pgx.Tx, sheetID int64, lang string) (slug string, cur Sheet, exists bool, err error) {
	if err = tx.QueryRow(ctx, `SELECT slug FROM service_sheets WHERE id = $1 FOR UPDATE`, sheetID).Scan(&slug); err != nil {
		return "", Sheet{}, false, fmt.Errorf("store: lock sheet %d: %w", sheetID, notFound(err))
	}
	cur, err = loadSheetText(ctx, tx, sheetID, lang)
	switch {
	case errors.Is(err, ErrNotFound):
		return slug, Sheet{ID: sheetID}, false, nil
	case err != nil:
		return "", Sheet{}, false, err
	}
	return slug, cur, true, nil
}

// sheetTextAuditState is what the audit log keeps of a change of a text
// in another language; the content itself is in the versions.
type sheetTextAuditState struct {
	Slug         string   `json:"slug"`
	Lang         string   `json:"lang"`
	Title        string   `json:"title"`
	Version      int      `json:"version"`
	Changed      []string `json:"changed,omitempty"`
	RestoredFrom int      `json:"restored_from,omitempty"`
}

// applySheetText writes next over cur (the sheet locked by the caller's
// transaction), unless nothing changed, and audits it.
func applySheetText(ctx context.Context, tx pgx.Tx, slug string, cur Sheet, exists bool, next Sheet, e SheetTextEdit,
	action string, restoredFrom int) (SheetEditResult, error) {
	cur, next = textOnly(cur), textOnly(next)
	next.ID = e.SheetID
	res := SheetEditResult{SheetID: e.SheetID, Slug: slug, Version: cur.Version, Action: action}
	sameVisible := exists && next.visibleHash() == cur.visibleHash()
	if sameVisible && reflect.DeepEqual(next.Markdown, cur.Markdown) {
		return res, nil
	}
	next.UpdatedOn = e.Today
	if sameVisible {
		next.UpdatedOn = cur.UpdatedOn
	}
	version := cur.Version + 1
	_, err := tx.Exec(ctx, `INSERT INTO service_sheet_texts (sheet_id, lang, title, summary, addressed_html, description_html,
		how_to_html, needed_html, achieved_html, calendar_html, cost_html, access_html, other_info_html, version, updated_on)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)
		ON CONFLICT (sheet_id, lang) DO UPDATE SET title = EXCLUDED.title, summary = EXCLUDED.summary,
		addressed_html = EXCLUDED.addressed_html, description_html = EXCLUDED.description_html, how_to_html = EXCLUDED.how_to_html,
		needed_html = EXCLUDED.needed_html, achieved_html = EXCLUDED.achieved_html, calendar_html = EXCLUDED.calendar_html,
		cost_html = EXCLUDED.cost_html, access_html = EXCLUDED.access_html, other_info_html = EXCLUDED.other_info_html,
		version = EXCLUDED.version, updated_on = EXCLUDED.updated_on, modified_at = now()`,
		e.SheetID, e.Lang, next.Title, next.Summary, next.AddressedHTML, next.DescriptionHTML, next.HowToHTML, next.NeededHTML,
		next.AchievedHTML, next.CalendarHTML, next.CostHTML, next.AccessHTML, next.OtherInfoHTML, version, next.UpdatedOn)
	if err != nil {
		return SheetEditResult{}, fmt.Errorf("store: save %s text of sheet %d: %w", e.Lang, e.SheetID, err)
	}
	content, _ := json.Marshal(next)
	if _, err := tx.Exec(ctx, `INSERT INTO service_sheet_versions (sheet_id, lang, version, content, changed_by, note)
		VALUES ($1, $2, $3, $4, $5, $6)`, e.SheetID, e.Lang, version, content, e.ChangedBy, e.Note); err != nil {
		return SheetEditResult{}, fmt.Errorf("store: record %s version of sheet %d: %w", e.Lang, e.SheetID, err)
	}
	res.Version, res.Changed = version, true
	var before any
	if exists {
		before = sheetTextAuditState{Slug: slug, Lang: e.Lang, Title: cur.Title, Version: cur.Version}
	}
	return res, Audit(ctx, tx, AuditEntry{UserID: e.ActorID, Action: action, Entity: "service_sheet", EntityID: e.SheetID,
		Before: before, After: sheetTextAuditState{Slug: slug, Lang: e.Lang, Title: next.Title, Version: version,
			Changed: changedFields(cur, next), RestoredFrom: restoredFrom}})
}

// restoreSheetText is RestoreSheetVersion for a language other than
// Italian (sheet_text_restore).
func (s *Store) restoreSheetText(ctx context.Context, r SheetRestore) (SheetEditResult, error) {
	var res SheetEditResult
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM service_sheets WHERE slug = $1`, r.Slug).Scan(&id); err != nil {
			return fmt.Errorf("store: load sheet %q: %w", r.Slug, notFound(err))
		}
		slug, cur, exists, err := lockSheetText(ctx, tx, id, r.Lang)
		if err != nil {
			return err
		}
		old, _, err := sheetAtVersion(ctx, tx, id, r.Lang, r.Version)
		if err != nil {
			return err
		}
		e := SheetTextEdit{SheetID: id, Lang: r.Lang, ActorID: r.ActorID, ChangedBy: r.ChangedBy, Today: r.Today,
			Note: fmt.Sprintf("Ripristino della versione %d", r.Version)}
		res, err = applySheetText(ctx, tx, slug, cur, exists, old, e, "sheet_text_restore", r.Version)
		return err
	})
	return res, err
}

// SheetTexts returns the title and summary in lang (not Italian) of every
// sheet that has a text in it, by sheet id: what the lists of services
// show.
func (s *Store) SheetTexts(ctx context.Context, lang string) (map[int64]Sheet, error) {
	rows, err := s.pool.Query(ctx, `SELECT sheet_id, title, summary FROM service_sheet_texts WHERE lang = $1`, lang)
	if err != nil {
		return nil, fmt.Errorf("store: list %s sheet texts: %w", lang, err)
	}
	defer rows.Close()
	out := map[int64]Sheet{}
	for rows.Next() {
		var sh Sheet
		if err := rows.Scan(&sh.ID, &sh.Title, &sh.Summary); err != nil {
			return nil, fmt.Errorf("store: list %s sheet texts: %w", lang, err)
		}
		out[sh.ID] = sh
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list %s sheet texts: %w", lang, err)
	}
	return out, nil
}
