package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// OfficeNotes are the free-text notes of an office page that staff write:
// the note shown with the timetable and the accessibility notes.
type OfficeNotes struct {
	HoursNote          string `json:"hours_note"`
	AccessibilityNotes string `json:"accessibility_notes"`
}

// MaxOfficeNote is the longest note, in characters (the column checks of
// office_texts).
const MaxOfficeNote = 500

// OfficeNotesIn returns office id's notes in lang: for Italian the
// office's own, for another language its translation. ok is false when
// there is no translation in lang. Errors: ErrNotFound for no office.
func (s *Store) OfficeNotesIn(ctx context.Context, id int64, lang string) (OfficeNotes, bool, error) {
	return officeNotesIn(ctx, s.pool, id, lang, false)
}

func officeNotesIn(ctx context.Context, q dbtx, id int64, lang string, lock bool) (OfficeNotes, bool, error) {
	var n OfficeNotes
	sql := `SELECT hours_note, accessibility_notes FROM offices WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	if err := q.QueryRow(ctx, sql, id).Scan(&n.HoursNote, &n.AccessibilityNotes); err != nil {
		return OfficeNotes{}, false, fmt.Errorf("store: load notes of office %d: %w", id, notFound(err))
	}
	if lang == DefaultLang {
		return n, true, nil
	}
	n = OfficeNotes{}
	err := q.QueryRow(ctx, `SELECT hours_note, accessibility_notes FROM office_texts WHERE office_id = $1 AND lang = $2`, id, lang).
		Scan(&n.HoursNote, &n.AccessibilityNotes)
	if errors.Is(err, pgx.ErrNoRows) {
		return OfficeNotes{}, false, nil
	}
	if err != nil {
		return OfficeNotes{}, false, fmt.Errorf("store: load %s notes of office %d: %w", lang, id, err)
	}
	return n, true, nil
}

// officeNotesAuditState is what the audit log keeps of a change of notes.
type officeNotesAuditState struct {
	Lang string `json:"lang"`
	OfficeNotes
}

// SaveOfficeNotes writes office id's notes in lang, audited (office_notes,
// with the language) in the same transaction: Italian goes to the office
// itself, another language to its translation, removed when both notes
// are empty (the page then shows the Italian ones). It reports false,
// writing nothing, when nothing changes. Errors: ErrNotFound.
func (s *Store) SaveOfficeNotes(ctx context.Context, actorID, id int64, lang string, n OfficeNotes) (bool, error) {
	changed := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, exists, err := officeNotesIn(ctx, tx, id, lang, true)
		if err != nil {
			return err
		}
		empty := n == OfficeNotes{}
		if cur == n && (exists || empty) {
			return nil
		}
		var before any
		if exists {
			before = officeNotesAuditState{Lang: lang, OfficeNotes: cur}
		}
		switch {
		case lang == DefaultLang:
			_, err = tx.Exec(ctx, `UPDATE offices SET hours_note = $2, accessibility_notes = $3, updated_at = now() WHERE id = $1`,
				id, n.HoursNote, n.AccessibilityNotes)
		case empty:
			_, err = tx.Exec(ctx, `DELETE FROM office_texts WHERE office_id = $1 AND lang = $2`, id, lang)
		default:
			_, err = tx.Exec(ctx, `INSERT INTO office_texts (office_id, lang, hours_note, accessibility_notes, updated_by)
				VALUES ($1, $2, $3, $4, nullif($5::bigint, 0))
				ON CONFLICT (office_id, lang) DO UPDATE SET hours_note = EXCLUDED.hours_note,
				accessibility_notes = EXCLUDED.accessibility_notes, updated_by = EXCLUDED.updated_by, updated_at = now()`,
				id, lang, n.HoursNote, n.AccessibilityNotes, actorID)
		}
		if err != nil {
			return fmt.Errorf("store: save %s notes of office %d: %w", lang, id, err)
		}
		changed = true
		var after any
		if lang == DefaultLang || !empty {
			after = officeNotesAuditState{Lang: lang, OfficeNotes: n}
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "office_notes", Entity: "office", EntityID: id, Before: before, After: after})
	})
	return changed, err
}
