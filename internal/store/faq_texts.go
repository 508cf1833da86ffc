package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// FAQText is a question and its answer in a language other than Italian.
type FAQText struct {
	FAQID    int64  `db:"faq_id"`
	Lang     string `db:"lang"`
	Question string `db:"question"`
	// AnswerMD is what staff wrote; AnswerHTML its sanitised rendering
	// (content.Render), as for FAQItem.
	AnswerMD   string    `db:"answer_md"`
	AnswerHTML string    `db:"answer_html"`
	UpdatedAt  time.Time `db:"updated_at"`
}

const faqTextCols = `faq_id, lang, question, answer_md, answer_html, updated_at`

// FAQTexts returns the texts in lang of every question that has one, by
// question id.
func (s *Store) FAQTexts(ctx context.Context, lang string) (map[int64]FAQText, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+faqTextCols+` FROM faq_item_texts WHERE lang = $1`, lang)
	if err != nil {
		return nil, fmt.Errorf("store: list %s faq texts: %w", lang, err)
	}
	ts, err := pgx.CollectRows(rows, pgx.RowToStructByName[FAQText])
	if err != nil {
		return nil, fmt.Errorf("store: list %s faq texts: %w", lang, err)
	}
	out := make(map[int64]FAQText, len(ts))
	for _, t := range ts {
		out[t.FAQID] = t
	}
	return out, nil
}

// FAQTextOf returns question id's text in lang; ErrNotFound when it has
// none.
func (s *Store) FAQTextOf(ctx context.Context, id int64, lang string) (FAQText, error) {
	return loadFAQText(ctx, s.pool, id, lang)
}

func loadFAQText(ctx context.Context, q dbtx, id int64, lang string) (FAQText, error) {
	rows, err := q.Query(ctx, `SELECT `+faqTextCols+` FROM faq_item_texts WHERE faq_id = $1 AND lang = $2`, id, lang)
	if err != nil {
		return FAQText{}, fmt.Errorf("store: load %s text of faq item %d: %w", lang, id, err)
	}
	t, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[FAQText])
	if err != nil {
		return FAQText{}, fmt.Errorf("store: load %s text of faq item %d: %w", lang, id, notFound(err))
	}
	return t, nil
}

// faqTextAuditState is what the audit log keeps of a translated question.
type faqTextAuditState struct {
	Lang     string `json:"lang"`
	Question string `json:"question"`
	AnswerMD string `json:"answer_md"`
}

// SaveFAQText replaces question id's text in lang (not Italian), audited
// (faq_text_update, with the language) in the same transaction. An empty
// question and answer remove the text (faq_text_delete): the page then
// shows the Italian one. It reports false, writing nothing, when nothing
// changes. Only Question, AnswerMD and AnswerHTML of e are used. Errors:
// ErrNotFound when the question does not exist.
func (s *Store) SaveFAQText(ctx context.Context, actorID, id int64, lang string, e FAQEdit) (bool, error) {
	if lang == DefaultLang || lang == "" {
		return false, fmt.Errorf("store: save faq text: %q is not another language", lang)
	}
	changed := false
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := loadFAQItem(ctx, tx, id, true); err != nil {
			return err
		}
		cur, err := loadFAQText(ctx, tx, id, lang)
		exists := err == nil
		if err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		var before any
		if exists {
			before = faqTextAuditState{Lang: lang, Question: cur.Question, AnswerMD: cur.AnswerMD}
		}
		if e.Question == "" && e.AnswerMD == "" {
			if !exists {
				return nil
			}
			if _, err := tx.Exec(ctx, `DELETE FROM faq_item_texts WHERE faq_id = $1 AND lang = $2`, id, lang); err != nil {
				return fmt.Errorf("store: delete %s text of faq item %d: %w", lang, id, err)
			}
			changed = true
			return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_text_delete", Entity: "faq_item", EntityID: id, Before: before})
		}
		if exists && cur.Question == e.Question && cur.AnswerMD == e.AnswerMD && cur.AnswerHTML == e.AnswerHTML {
			return nil
		}
		if _, err := tx.Exec(ctx, `INSERT INTO faq_item_texts (faq_id, lang, question, answer_md, answer_html, updated_by)
			VALUES ($1, $2, $3, $4, $5, nullif($6::bigint, 0))
			ON CONFLICT (faq_id, lang) DO UPDATE SET question = EXCLUDED.question, answer_md = EXCLUDED.answer_md,
			answer_html = EXCLUDED.answer_html, updated_by = EXCLUDED.updated_by, updated_at = now()`,
			id, lang, e.Question, e.AnswerMD, e.AnswerHTML, actorID); err != nil {
			return fmt.Errorf("store: save %s text of faq item %d: %w", lang, id, err)
		}
		changed = true
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "faq_text_update", Entity: "faq_item", EntityID: id,
			Before: before, After: faqTextAuditState{Lang: lang, Question: e.Question, AnswerMD: e.AnswerMD}})
	})
	return changed, err
}
