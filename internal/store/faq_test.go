package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/store"
)

// faqStore returns a store holding the migration's questions and an
// editor account.
func faqStore(t *testing.T) (*store.Store, store.StaffUser) {
	t.Helper()
	st := store.New(dbtest.NewPool(t))
	u, _, err := st.CreateStaff(context.Background(), 0, store.NewStaff{Email: "red@example.org", Name: "Rita", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return st, u
}

func faqQuestions(t *testing.T, items []store.FAQItem) []string {
	t.Helper()
	var out []string
	for _, it := range items {
		out = append(out, it.Question)
	}
	return out
}

func faqAudit(t *testing.T, st *store.Store, action string) []store.AuditRecord {
	t.Helper()
	recs, _, err := st.ListAudit(context.Background(), store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestFAQ_MigrationSeedsTheQuestionsWithSiteLinks(t *testing.T) {
	st, _ := faqStore(t)
	items, err := st.ListFAQ(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 12 || items[0].Question != "Che cos'è l'Ufficio della Cittadinanza?" {
		t.Fatalf("seeded questions: %q", faqQuestions(t, items))
	}
	if !strings.Contains(items[4].AnswerHTML, `<a href="/comuni" rel="noopener">Trova il tuo ufficio</a>`) {
		t.Errorf("relative link lost: %s", items[4].AnswerHTML)
	}
}

func TestFAQ_CreateUpdateDelete_AuditedWithBeforeAndAfter(t *testing.T) {
	st, u := faqStore(t)
	ctx := context.Background()
	it, err := st.CreateFAQItem(ctx, u.ID, store.FAQEdit{Question: "Nuova domanda?", AnswerMD: "Sì.", AnswerHTML: "<p>Sì.</p>", Published: false})
	if err != nil {
		t.Fatal(err)
	}
	if it.Position != 13 || it.UpdatedBy != u.ID {
		t.Errorf("created %+v", it)
	}
	if pub, _ := st.ListFAQ(ctx); len(pub) != 12 {
		t.Errorf("unpublished item listed publicly: %d items", len(pub))
	}
	if all, _ := st.ListStaffFAQ(ctx); len(all) != 13 || all[12].ID != it.ID {
		t.Errorf("staff list: %q", faqQuestions(t, all))
	}
	if recs := faqAudit(t, st, "faq_create"); len(recs) != 1 || recs[0].EntityID != it.ID || !strings.Contains(recs[0].After, "Nuova domanda?") {
		t.Errorf("create audit %+v", recs)
	}

	changed, err := st.UpdateFAQItem(ctx, u.ID, it.ID, store.FAQEdit{Question: "Domanda cambiata?", AnswerMD: "No.", AnswerHTML: "<p>No.</p>", Published: true})
	if err != nil || !changed {
		t.Fatalf("update: %v %v", changed, err)
	}
	got, err := st.FAQItemByID(ctx, it.ID)
	if err != nil || got.Question != "Domanda cambiata?" || got.AnswerHTML != "<p>No.</p>" || !got.Published {
		t.Errorf("after update %+v %v", got, err)
	}
	recs := faqAudit(t, st, "faq_update")
	if len(recs) != 1 || !strings.Contains(recs[0].Before, "Nuova domanda?") || !strings.Contains(recs[0].After, "Domanda cambiata?") {
		t.Errorf("update audit %+v", recs)
	}
	// The same content again writes nothing.
	changed, err = st.UpdateFAQItem(ctx, u.ID, it.ID, store.FAQEdit{Question: "Domanda cambiata?", AnswerMD: "No.", AnswerHTML: "<p>No.</p>", Published: true})
	if err != nil || changed || len(faqAudit(t, st, "faq_update")) != 1 {
		t.Errorf("unchanged update: %v %v", changed, err)
	}

	if _, err := st.DeleteFAQItem(ctx, u.ID, it.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.FAQItemByID(ctx, it.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if recs := faqAudit(t, st, "faq_delete"); len(recs) != 1 || !strings.Contains(recs[0].Before, "Domanda cambiata?") {
		t.Errorf("delete audit %+v", recs)
	}
	if _, err := st.DeleteFAQItem(ctx, u.ID, it.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
	if _, err := st.UpdateFAQItem(ctx, u.ID, it.ID, store.FAQEdit{Question: "x"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("update of a deleted item: %v", err)
	}
}

func TestFAQ_QuestionTooLongOrEmpty_RefusedByTheDatabase(t *testing.T) {
	st, u := faqStore(t)
	for _, q := range []string{"", strings.Repeat("a", 301)} {
		if _, err := st.CreateFAQItem(context.Background(), u.ID, store.FAQEdit{Question: q}); err == nil {
			t.Errorf("question of %d characters accepted", len(q))
		}
	}
}

func TestFAQ_MoveUpAndDown_SwapsWithNeighbourAcrossGaps(t *testing.T) {
	st, u := faqStore(t)
	ctx := context.Background()
	all, _ := st.ListStaffFAQ(ctx)
	first, second, third := all[0], all[1], all[2]
	// A gap left by a deletion does not stop a move.
	if _, err := st.DeleteFAQItem(ctx, u.ID, second.ID); err != nil {
		t.Fatal(err)
	}
	moved, err := st.MoveFAQItem(ctx, u.ID, third.ID, true)
	if err != nil || !moved {
		t.Fatalf("move up: %v %v", moved, err)
	}
	all, _ = st.ListStaffFAQ(ctx)
	if all[0].ID != third.ID || all[1].ID != first.ID {
		t.Errorf("after moving up: %q", faqQuestions(t, all[:3]))
	}
	// The first cannot go up, the last cannot go down.
	if moved, err := st.MoveFAQItem(ctx, u.ID, third.ID, true); err != nil || moved {
		t.Errorf("first moved up: %v %v", moved, err)
	}
	last := all[len(all)-1]
	if moved, err := st.MoveFAQItem(ctx, u.ID, last.ID, false); err != nil || moved {
		t.Errorf("last moved down: %v %v", moved, err)
	}
	if moved, err := st.MoveFAQItem(ctx, u.ID, third.ID, false); err != nil || !moved {
		t.Fatalf("move down: %v %v", moved, err)
	}
	all, _ = st.ListStaffFAQ(ctx)
	if all[0].ID != first.ID || all[1].ID != third.ID {
		t.Errorf("after moving down: %q", faqQuestions(t, all[:3]))
	}
	if recs := faqAudit(t, st, "faq_move"); len(recs) != 2 {
		t.Errorf("move audit: %d entries", len(recs))
	}
	if _, err := st.MoveFAQItem(ctx, u.ID, second.ID, true); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("move of a deleted item: %v", err)
	}
}

// The two answer columns are both text: scanned by position, a reordered
// SELECT would put the unsanitised Markdown where templates output HTML
// unescaped. Every read path must keep each column in its own field.
func TestFAQ_EveryReadPath_MarkdownAndHTMLStayInTheirFields(t *testing.T) {
	st, u := faqStore(t)
	ctx := context.Background()
	const md, html = "<script>alert(1)</script> *md*", "<p><em>html</em></p>"
	check := func(path string, it store.FAQItem) {
		t.Helper()
		if it.Question != "Campi al loro posto?" || it.AnswerMD != md || it.AnswerHTML != html || !it.Published ||
			it.UpdatedBy != u.ID || it.Position != 13 || it.ID == 0 || it.UpdatedAt.IsZero() {
			t.Errorf("%s: %+v", path, it)
		}
	}
	created, err := st.CreateFAQItem(ctx, u.ID, store.FAQEdit{Question: "Campi al loro posto?", AnswerMD: md, AnswerHTML: html, Published: true})
	if err != nil {
		t.Fatal(err)
	}
	check("create", created)
	got, err := st.FAQItemByID(ctx, created.ID)
	if err != nil {
		t.Fatal(err)
	}
	check("by id", got)
	for name, list := range map[string]func(context.Context) ([]store.FAQItem, error){"public list": st.ListFAQ, "staff list": st.ListStaffFAQ} {
		items, err := list(ctx)
		if err != nil || len(items) != 13 {
			t.Fatalf("%s: %d items, %v", name, len(items), err)
		}
		check(name, items[12])
	}
}
