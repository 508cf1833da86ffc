package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// FAQItem is one question of the frequently asked questions page.
type FAQItem struct {
	ID       int64  `db:"id"`
	Position int    `db:"position"`
	Question string `db:"question"`
	// AnswerMD is the answer as staff wrote it, in Markdown; AnswerHTML
	// is its sanitised rendering, the only form citizens see (templates
	// output it unescaped, so it is scanned by column name, never by
	// position).
	AnswerMD   string    `db:"answer_md"`
	AnswerHTML string    `db:"answer_html"`
	Published  bool      `db:"published"`
	UpdatedAt  time.Time `db:"updated_at"`
	// UpdatedBy is the staff account that last changed the item; 0 for
	// the migration that created it (or a deleted account).
	UpdatedBy int64 `db:"updated_by"`
}

// FAQEdit is the content of a question as staff save it. AnswerHTML must
// be AnswerMD rendered and sanitised by the caller (content.Render).
type FAQEdit struct {
	Question   string
	AnswerMD   string
	AnswerHTML string
	Published  bool
}

const faqCols = `id, position, question, answer_md, answer_html, published, updated_at, coalesce(updated_by, 0) AS updated_by`

// ListFAQ returns the published questions in page order.
func (s *Store) ListFAQ(ctx context.Context) ([]FAQItem, error) {
	return s.listFAQ(ctx, `WHERE published`)
}

// ListStaffFAQ returns every question, unpublished ones included, in page
// order.
func (s *Store) ListStaffFAQ(ctx context.Context) ([]FAQItem, error) {
	return s.listFAQ(ctx, ``)
}

func (s *Store) listFAQ(ctx context.Context, where string) ([]FAQItem, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+faqCols+` FROM faq_items `+where+` ORDER BY position, id`)
	if err != nil {
		return nil, fmt.Errorf("store: list faq: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[FAQItem])
	if err != nil {
		return nil, fmt.Errorf("store: list faq: %w", err)
	}
	return out, nil
}

// FAQItemByID loads one question, published or not; ErrNotFound when
// there is none.
func (s *Store) FAQItemByID(ctx context.Context, id int64) (FAQItem, error) {
	return loadFAQItem(ctx, s.pool, id, false)
}

func loadFAQItem(ctx context.Context, q dbtx, id int64, lock bool) (FAQItem, error) {
	sql := `SELECT ` + faqCols + ` FROM faq_items WHERE id = $1`
	if lock {
		sql += ` FOR UPDATE`
	}
	rows, err := q.Query(ctx, sql, id)
	if err != nil {
		return FAQItem{}, fmt.Errorf("store: load faq item %d: %w", id, err)
	}
	it, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[FAQItem])
	if err != nil {
		return FAQItem{}, fmt.Errorf("store: load faq item %d: %w", id, notFound(err))
	}
	return it, nil
}

// faqAuditState is what the audit log keeps of a question.
type faqAuditState struct {
	Position  int    `json:"position"`
	Question  string `json:"question"`
	AnswerMD  string `json:"answer_md"`
	Published bool   `json:"published"`
}

func faqAudit(it FAQItem) faqAuditState {
	return faqAuditState{Position: it.Position, Question: it.Question, AnswerMD: it.AnswerMD, Published: it.Published}
}

// lockFAQOrder serialises the writes that choose or swap positions, so
// two of them never pick the same place.
func lockFAQOrder(ctx context.Context, tx pgx.Tx) error {
	if _, err := tx.Exec(ctx, `LOCK TABLE faq_items IN SHARE ROW EXCLUSIVE MODE`); err != nil {
		return fmt.Errorf("store: lock faq order: %w", err)
	}
	return nil
}

// CreateFAQItem adds a question at the end of the list, audited
// (faq_create) in the same transaction.
func (s *Store) CreateFAQItem(ctx context.Context, actorID int64, e FAQEdit) (FAQItem, error) {
	var it FAQItem
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockFAQOrder(ctx, tx); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, `INSERT INTO faq_items (position, question, answer_md, answer_html, published, updated_by)
			VALUES ((SELECT coalesce(max(position), 0) + 1 FROM faq_items), $1, $2, $3, $4, nullif($5::bigint, 0))
			RETURNING `+faqCols, e.Question, e.AnswerMD, e.AnswerHTML, e.Published, actorID)
		if err != nil {
			return fmt.Errorf("store: create faq item: %w", err)
		}
		if it, err = pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[FAQItem]); err != nil {
			return fmt.Errorf("store: create faq item: %w", err)
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_create", Entity: "faq_item", EntityID: it.ID, After: faqAudit(it)})
	})
	if err != nil {
		return FAQItem{}, err
	}
	return it, nil
}

// UpdateFAQItem replaces the content of a question, audited (faq_update,
// before and after) in the same transaction. It reports false, writing
// nothing, when the content is unchanged. Errors: ErrNotFound.
func (s *Store) UpdateFAQItem(ctx context.Context, actorID, id int64, e FAQEdit) (bool, error) {
	changed := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		cur, err := loadFAQItem(ctx, tx, id, true)
		if err != nil {
			return err
		}
		if cur.Question == e.Question && cur.AnswerMD == e.AnswerMD && cur.AnswerHTML == e.AnswerHTML && cur.Published == e.Published {
			return nil
		}
		rows, err := tx.Query(ctx, `UPDATE faq_items SET question = $2, answer_md = $3, answer_html = $4, published = $5,
			updated_at = now(), updated_by = nullif($6::bigint, 0) WHERE id = $1 RETURNING `+faqCols,
			id, e.Question, e.AnswerMD, e.AnswerHTML, e.Published, actorID)
		if err != nil {
			return fmt.Errorf("store: update faq item %d: %w", id, err)
		}
		next, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[FAQItem])
		if err != nil {
			return fmt.Errorf("store: update faq item %d: %w", id, err)
		}
		changed = true
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_update", Entity: "faq_item", EntityID: id,
			Before: faqAudit(cur), After: faqAudit(next)})
	})
	return changed, err
}

// DeleteFAQItem removes a question, audited (faq_delete, with what it
// said) in the same transaction, and returns it. Errors: ErrNotFound.
func (s *Store) DeleteFAQItem(ctx context.Context, actorID, id int64) (FAQItem, error) {
	var cur FAQItem
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if cur, err = loadFAQItem(ctx, tx, id, true); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM faq_items WHERE id = $1`, id); err != nil {
			return fmt.Errorf("store: delete faq item %d: %w", id, err)
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_delete", Entity: "faq_item", EntityID: id, Before: faqAudit(cur)})
	})
	if err != nil {
		return FAQItem{}, err
	}
	return cur, nil
}

// MoveFAQItem swaps a question with the one before it (up) or after it,
// audited (faq_move) in the same transaction. It reports false, writing
// nothing, when the question is already first (or last). Errors:
// ErrNotFound.
func (s *Store) MoveFAQItem(ctx context.Context, actorID, id int64, up bool) (bool, error) {
	moved := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := lockFAQOrder(ctx, tx); err != nil {
			return err
		}
		cur, err := loadFAQItem(ctx, tx, id, true)
		if err != nil {
			return err
		}
		sql := `SELECT id, position FROM faq_items WHERE position > $1 ORDER BY position LIMIT 1`
		if up {
			sql = `SELECT id, position FROM faq_items WHERE position < $1 ORDER BY position DESC LIMIT 1`
		}
		var otherID int64
		var otherPos int
		err = tx.QueryRow(ctx, sql, cur.Position).Scan(&otherID, &otherPos)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: move faq item %d: %w", id, err)
		}
		// The unique position is checked at commit, so the swap may pass
		// through a duplicate.
		if _, err := tx.Exec(ctx, `UPDATE faq_items SET position = CASE id WHEN $1 THEN $2::integer ELSE $3::integer END
			WHERE id IN ($1, $4)`, id, otherPos, cur.Position, otherID); err != nil {
			return fmt.Errorf("store: move faq item %d: %w", id, err)
		}
		moved = true
		next := cur
		next.Position = otherPos
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_move", Entity: "faq_item", EntityID: id,
			Before: faqAudit(cur), After: faqAudit(next)})
	})
	return moved, err
}
