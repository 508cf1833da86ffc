package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/store"
)

func englishText(how string) store.Sheet {
	return store.Sheet{Title: "Citizens' Office", Summary: "A free public social service.",
		HowToHTML: "<p>" + how + "</p>", Markdown: &store.SheetMarkdown{HowTo: how}}
}

func TestSheetText_EnglishVersionsCountOnTheirOwn_ItalianUntouched(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	it, _ := st.SheetForEditing(ctx, seedSlug)
	if _, err := st.SheetText(ctx, it.ID, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("no English yet: %v", err)
	}
	res, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText("Call the office."),
		ActorID: u.ID, ChangedBy: u.Email, Note: "first English", Today: today})
	if err != nil || !res.Changed || res.Version != 1 || res.Action != "sheet_text_update" {
		t.Fatalf("%+v %v", res, err)
	}
	// The same text again is no change; a stale base version is a conflict.
	if res, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText("Call the office."),
		BaseVersion: 1, ActorID: u.ID, Today: today}); err != nil || res.Changed {
		t.Fatalf("same text: %+v %v", res, err)
	}
	if _, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText("x"), BaseVersion: 0,
		ActorID: u.ID, Today: today}); !errors.Is(err, store.ErrSheetConflict) {
		t.Fatalf("stale: %v", err)
	}
	if _, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText("Book online."),
		BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil {
		t.Fatal(err)
	}
	en, err := st.SheetText(ctx, it.ID, "en")
	if err != nil || en.Version != 2 || en.HowToHTML != "<p>Book online.</p>" || en.Markdown == nil || en.Markdown.HowTo != "Book online." ||
		!en.UpdatedOn.Equal(today) {
		t.Fatalf("English %+v %v", en, err)
	}
	after, _ := st.SheetForEditing(ctx, seedSlug)
	if after.Version != it.Version || after.HowToHTML != it.HowToHTML || after.Title != it.Title {
		t.Errorf("Italian changed: %+v", after)
	}
	itVs, _ := st.ListSheetVersions(ctx, it.ID)
	enVs, _ := st.ListSheetVersionsIn(ctx, it.ID, "en")
	if len(itVs) != 1 || len(enVs) != 2 || enVs[0].Version != 2 || enVs[1].Note != "first English" {
		t.Errorf("versions it %+v en %+v", itVs, enVs)
	}
	sheets, _ := st.ListStaffSheets(ctx)
	if len(sheets) != 1 || sheets[0].Version != 1 || sheets[0].ChangedBy != "import" {
		t.Errorf("staff list %+v", sheets)
	}
	recs, _, _ := st.ListAudit(ctx, store.AuditFilter{Action: "sheet_text_update"})
	if len(recs) != 2 || !strings.Contains(recs[0].After, `"lang": "en"`) {
		t.Errorf("audit %+v", recs)
	}
}

func TestSheetText_RestoreEnglishVersion_NewEnglishVersionOnly(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	it, _ := st.SheetForEditing(ctx, seedSlug)
	for i, how := range []string{"Call the office.", "Book online."} {
		if _, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText(how), BaseVersion: i,
			ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := st.RestoreSheetVersion(ctx, store.SheetRestore{Slug: seedSlug, Lang: "en", Version: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || !res.Changed || res.Version != 3 || res.Action != "sheet_text_restore" {
		t.Fatalf("%+v %v", res, err)
	}
	en, _ := st.SheetText(ctx, it.ID, "en")
	if en.HowToHTML != "<p>Call the office.</p>" || en.Version != 3 {
		t.Errorf("restored %+v", en)
	}
	old, info, err := st.SheetAtVersionIn(ctx, it.ID, "en", 3)
	if err != nil || old.HowToHTML != "<p>Call the office.</p>" || info.Note != "Ripristino della versione 1" {
		t.Errorf("version 3: %+v %+v %v", old, info, err)
	}
	if _, _, err := st.SheetAtVersionIn(ctx, it.ID, "en", 4); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing English version: %v", err)
	}
	// Italian version 1 is the import, not the English version 1.
	itOld, _, _ := st.SheetAtVersion(ctx, it.ID, 1)
	if itOld.Title != it.Title {
		t.Errorf("Italian version 1 %q", itOld.Title)
	}
	if got, _ := st.SheetForEditing(ctx, seedSlug); got.Version != 1 {
		t.Errorf("Italian version moved to %d", got.Version)
	}
	recs, _, _ := st.ListAudit(ctx, store.AuditFilter{Action: "sheet_text_restore"})
	if len(recs) != 1 || !strings.Contains(recs[0].After, `"restored_from": 1`) || !strings.Contains(recs[0].After, `"lang": "en"`) {
		t.Errorf("audit %+v", recs)
	}
	// Italian changes go on counting from the Italian versions.
	next := it
	next.Summary = "Nuova sintesi."
	if res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil || res.Version != 2 {
		t.Fatalf("Italian save %+v %v", res, err)
	}
}

func TestFAQText_SaveReplaceRemove_Audited(t *testing.T) {
	st, u := faqStore(t)
	ctx := context.Background()
	items, _ := st.ListFAQ(ctx)
	id := items[0].ID
	e := store.FAQEdit{Question: "What is it?", AnswerMD: "A **free** service.", AnswerHTML: "<p>A <strong>free</strong> service.</p>"}
	if ok, err := st.SaveFAQText(ctx, u.ID, id, "en", e); !ok || err != nil {
		t.Fatalf("save %v %v", ok, err)
	}
	if ok, err := st.SaveFAQText(ctx, u.ID, id, "en", e); ok || err != nil {
		t.Fatalf("same again %v %v", ok, err)
	}
	texts, _ := st.FAQTexts(ctx, "en")
	if len(texts) != 1 || texts[id].AnswerHTML != e.AnswerHTML {
		t.Fatalf("texts %+v", texts)
	}
	if it, _ := st.FAQItemByID(ctx, id); it.Question != items[0].Question {
		t.Errorf("Italian changed: %q", it.Question)
	}
	if ok, err := st.SaveFAQText(ctx, u.ID, id, "en", store.FAQEdit{}); !ok || err != nil {
		t.Fatalf("remove %v %v", ok, err)
	}
	if _, err := st.FAQTextOf(ctx, id, "en"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("after removal: %v", err)
	}
	if _, err := st.SaveFAQText(ctx, u.ID, 999999, "en", e); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing question: %v", err)
	}
	if recs := faqAudit(t, st, "faq_text_update"); len(recs) != 1 || !strings.Contains(recs[0].After, `"lang": "en"`) {
		t.Errorf("audit %+v", recs)
	}
	if recs := faqAudit(t, st, "faq_text_delete"); len(recs) != 1 {
		t.Errorf("delete audit %+v", recs)
	}
}

func TestOfficeNotes_PerLanguage_LoadedWithTheOffice(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	id := staffOffice(t, pool, "ufficio-a")
	if ok, err := st.SaveOfficeNotes(ctx, 0, id, "it", store.OfficeNotes{HoursNote: "Solo su appuntamento il venerdì."}); !ok || err != nil {
		t.Fatalf("Italian %v %v", ok, err)
	}
	en := store.OfficeNotes{HoursNote: "Fridays by appointment only.", AccessibilityNotes: "Step-free entrance."}
	if ok, err := st.SaveOfficeNotes(ctx, 0, id, "en", en); !ok || err != nil {
		t.Fatalf("English %v %v", ok, err)
	}
	if ok, err := st.SaveOfficeNotes(ctx, 0, id, "en", en); ok || err != nil {
		t.Fatalf("same again %v %v", ok, err)
	}
	got, ok, err := st.OfficeNotesIn(ctx, id, "en")
	if err != nil || !ok || got != en {
		t.Fatalf("English %+v %v %v", got, ok, err)
	}
	offices, err := st.ListOffices(ctx)
	if err != nil || len(offices) != 1 || offices[0].HoursNote != "Solo su appuntamento il venerdì." || offices[0].Notes["en"] != en {
		t.Fatalf("offices %+v %v", offices, err)
	}
	if ok, err := st.SaveOfficeNotes(ctx, 0, id, "en", store.OfficeNotes{}); !ok || err != nil {
		t.Fatalf("remove %v %v", ok, err)
	}
	if _, ok, _ := st.OfficeNotesIn(ctx, id, "en"); ok {
		t.Error("English notes still there")
	}
	rows := auditRows(t, st, id)
	if len(rows) != 3 || rows[1][0] != "office_notes" || !strings.Contains(rows[1][2], `"lang": "en"`) {
		t.Errorf("audit %v", rows)
	}
}

// Saving content in another language announces it as the Italian content
// is announced, so cached pages are dropped (and, for the office notes,
// the office data too).
func TestContentLang_ChangesAnnounced(t *testing.T) {
	st, u := seededSheets(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	office := staffOffice(t, st.Pool(), "ufficio-a")
	it, _ := st.SheetForEditing(ctx, seedSlug)
	faq, _ := st.ListFAQ(ctx)
	ready := make(chan struct{})
	got := make(chan string, 20)
	go func() {
		_ = st.WatchChanges(ctx, func() { close(ready) }, func(channel, payload string) { got <- channel + " " + payload })
	}()
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatal("never ready")
	}
	expect := func(what string, want ...string) {
		t.Helper()
		seen := map[string]bool{}
		deadline := time.After(5 * time.Second)
		for len(seen) < len(want) {
			select {
			case g := <-got:
				seen[g] = true
			case <-deadline:
				t.Fatalf("%s: announced %v, want %v", what, seen, want)
			}
		}
		for _, w := range want {
			if !seen[w] {
				t.Errorf("%s: announced %v, want %q", what, seen, w)
			}
		}
	}
	if _, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: it.ID, Lang: "en", Text: englishText("Call."), ActorID: u.ID, Today: today}); err != nil {
		t.Fatal(err)
	}
	expect("sheet", store.ContentChangedChannel+" service_sheet_texts", store.ContentChangedChannel+" service_sheet_versions")
	if _, err := st.SaveFAQText(ctx, u.ID, faq[0].ID, "en", store.FAQEdit{Question: "Why?", AnswerMD: "Because.", AnswerHTML: "<p>Because.</p>"}); err != nil {
		t.Fatal(err)
	}
	expect("faq", store.ContentChangedChannel+" faq_item_texts")
	if _, err := st.SaveOfficeNotes(ctx, u.ID, office, "en", store.OfficeNotes{HoursNote: "Mornings only."}); err != nil {
		t.Fatal(err)
	}
	expect("office", store.ContentChangedChannel+" office_texts", store.OfficeChangedChannel+" "+strconv.FormatInt(office, 10))
}
