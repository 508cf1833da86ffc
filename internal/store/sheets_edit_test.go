package store_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

// seededSheets returns a store with the imported default sheet and an
// editor account.
func seededSheets(t *testing.T) (*store.Store, store.StaffUser) {
	t.Helper()
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "import"); err != nil {
		t.Fatal(err)
	}
	u, _, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: "red@example.org", Name: "Rita Redattrice", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return st, u
}

const seedSlug = "ufficio-della-cittadinanza"

var today = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)

func auditActions(t *testing.T, st *store.Store) []string {
	t.Helper()
	recs, _, err := st.ListAudit(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, r := range recs {
		if r.Entity == "service_sheet" {
			out = append(out, r.Action)
		}
	}
	return out
}

func TestSaveSheetEdit_ChangeKeepsVersionWithAuthorAndAudit(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	cur, err := st.SheetForEditing(ctx, seedSlug)
	if err != nil {
		t.Fatal(err)
	}
	if cur.Markdown != nil || cur.Version != 1 {
		t.Fatalf("imported sheet: markdown %v version %d", cur.Markdown, cur.Version)
	}
	next := cur
	next.HowToHTML = "<p>Nuova procedura.</p>"
	next.Markdown = &store.SheetMarkdown{HowTo: "Nuova procedura."}
	res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Note: "procedura", Today: today})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Changed || res.Version != 2 || res.Action != "sheet_update" {
		t.Fatalf("result %+v", res)
	}
	got, _ := st.SheetForEditing(ctx, seedSlug)
	if got.HowToHTML != "<p>Nuova procedura.</p>" || got.Markdown == nil || got.Markdown.HowTo != "Nuova procedura." ||
		!got.UpdatedOn.Equal(today) || got.Version != 2 || len(got.Topics) != 3 {
		t.Fatalf("saved %+v", got)
	}
	vs, err := st.ListSheetVersions(ctx, got.ID)
	if err != nil || len(vs) != 2 {
		t.Fatalf("versions %v %v", vs, err)
	}
	if vs[0].Version != 2 || vs[0].ChangedBy != "red@example.org" || vs[0].ChangedByName != "Rita Redattrice" || vs[0].Note != "procedura" {
		t.Errorf("newest version %+v", vs[0])
	}
	if vs[1].Version != 1 || vs[1].ChangedBy != "import" || vs[1].ChangedByName != "" {
		t.Errorf("first version %+v", vs[1])
	}
	recs, _, _ := st.ListAudit(ctx, store.AuditFilter{Action: "sheet_update"})
	if len(recs) != 1 || recs[0].UserID != u.ID || recs[0].EntityID != got.ID ||
		!strings.Contains(recs[0].Before, `"version": 1`) || !strings.Contains(recs[0].After, `"version": 2`) ||
		!strings.Contains(recs[0].After, `"how_to_html"`) {
		t.Errorf("audit %+v", recs)
	}
}

func TestSaveSheetEdit_SameContent_NothingWritten(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	cur, _ := st.SheetForEditing(ctx, seedSlug)
	res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: cur, BaseVersion: cur.Version, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || res.Changed || res.Version != 1 {
		t.Fatalf("%+v %v", res, err)
	}
	// The imported sections without <p> compare equal to the same text
	// in a paragraph, as the page shows them both.
	cur.AddressedHTML = "<p>" + cur.AddressedHTML + "</p>"
	if res, _ := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: cur, ActorID: u.ID, ChangedBy: u.Email, Today: today}); res.Changed {
		t.Fatal("wrapping in a paragraph is not a change")
	}
	if acts := auditActions(t, st); len(acts) != 0 {
		t.Errorf("audited %v", acts)
	}
}

func TestSaveSheetEdit_SourceOnly(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	cur, _ := st.SheetForEditing(ctx, seedSlug)
	// The imported sheet has no source: the same HTML with a source is
	// no change.
	next := cur
	next.Markdown = &store.SheetMarkdown{Cost: "Il servizio è gratuito."}
	if res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil || res.Changed {
		t.Fatalf("%+v %v", res, err)
	}
	// Once a source exists, changing only the source is a new version
	// that keeps the date citizens see.
	next.CostHTML = "<p>Il servizio è <strong>gratuito</strong>.</p>"
	next.Markdown = &store.SheetMarkdown{Cost: "Il servizio è **gratuito**."}
	if _, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil {
		t.Fatal(err)
	}
	next.Markdown = &store.SheetMarkdown{Cost: "Il servizio è __gratuito__."}
	res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, ActorID: u.ID, ChangedBy: u.Email, Today: today.AddDate(0, 0, 5)})
	if err != nil || !res.Changed || res.Version != 3 {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := st.SheetForEditing(ctx, seedSlug)
	if !got.UpdatedOn.Equal(today) || got.Markdown.Cost != "Il servizio è __gratuito__." {
		t.Errorf("updated_on %v, markdown %+v", got.UpdatedOn, got.Markdown)
	}
}

func TestSaveSheetEdit_StaleVersion_Conflict(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	cur, _ := st.SheetForEditing(ctx, seedSlug)
	a := cur
	a.Title = "Primo"
	if _, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: a, BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil {
		t.Fatal(err)
	}
	b := cur
	b.Title = "Secondo"
	_, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: b, BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if !errors.Is(err, store.ErrSheetConflict) {
		t.Fatalf("err = %v, want ErrSheetConflict", err)
	}
	if got, _ := st.SheetForEditing(ctx, seedSlug); got.Title != "Primo" {
		t.Errorf("title %q", got.Title)
	}
}

func TestSaveSheetEdit_NewSheets_UniqueSlugsDraftNotPublic(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	sh := store.Sheet{Slug: seedSlug, Title: "Ufficio della Cittadinanza", Summary: "Altro", Publication: "draft",
		Topics: []store.Topic{{Slug: "assistenza-sociale", Name: "Assistenza sociale"}}}
	res, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: sh, New: true, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || res.Slug != seedSlug+"-2" || res.Version != 1 || res.Action != "sheet_create" {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: sh, New: true, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || res.Slug != seedSlug+"-3" {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := st.SheetBySlug(ctx, seedSlug+"-2"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("draft public: %v", err)
	}
	all, err := st.ListStaffSheets(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("staff list %v %v", all, err)
	}
	if all[1].Publication != "draft" || all[1].ChangedByName != "Rita Redattrice" {
		t.Errorf("staff list row %+v", all[1])
	}
	// Publishing is its own audited action.
	d, _ := st.SheetForEditing(ctx, seedSlug+"-2")
	d.Publication = "published"
	res, err = st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: d, BaseVersion: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || res.Action != "sheet_publish" {
		t.Fatalf("%+v %v", res, err)
	}
	if _, err := st.SheetBySlug(ctx, seedSlug+"-2"); err != nil {
		t.Errorf("published sheet: %v", err)
	}
	if got := auditActions(t, st); strings.Join(got, ",") != "sheet_publish,sheet_create,sheet_create" {
		t.Errorf("audit %v", got)
	}
	// Topics outside the vocabulary are refused.
	d.Topics = []store.Topic{{Slug: "inventato", Name: "Inventato"}}
	d.Title = "Altro titolo"
	if _, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: d, ActorID: u.ID, ChangedBy: u.Email, Today: today}); !errors.Is(err, store.ErrUnknownTopic) {
		t.Errorf("err = %v, want ErrUnknownTopic", err)
	}
}

func TestRestoreSheetVersion_OldContentAsNewVersion_PublicationKept(t *testing.T) {
	st, u := seededSheets(t)
	ctx := context.Background()
	v1, _ := st.SheetForEditing(ctx, seedSlug)
	next := v1
	next.DescriptionHTML = "<p>Cambiata.</p>"
	next.Publication = "draft"
	next.Markdown = &store.SheetMarkdown{Description: "Cambiata."}
	if _, err := st.SaveSheetEdit(ctx, store.SheetEdit{Sheet: next, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil {
		t.Fatal(err)
	}
	res, err := st.RestoreSheetVersion(ctx, store.SheetRestore{Slug: seedSlug, Version: 1, ActorID: u.ID, ChangedBy: u.Email, Today: today})
	if err != nil || !res.Changed || res.Version != 3 || res.Action != "sheet_restore" {
		t.Fatalf("%+v %v", res, err)
	}
	got, _ := st.SheetForEditing(ctx, seedSlug)
	if got.DescriptionHTML != v1.DescriptionHTML || got.Markdown != nil || got.Publication != "draft" || got.Version != 3 {
		t.Errorf("restored %+v", got)
	}
	old, info, err := st.SheetAtVersion(ctx, got.ID, 3)
	if err != nil || old.DescriptionHTML != v1.DescriptionHTML || info.Note != "Ripristino della versione 1" || info.ChangedBy != u.Email {
		t.Errorf("version 3: %+v %+v %v", old, info, err)
	}
	// Restoring the same content again writes nothing.
	if res, err := st.RestoreSheetVersion(ctx, store.SheetRestore{Slug: seedSlug, Version: 3, ActorID: u.ID, ChangedBy: u.Email, Today: today}); err != nil || res.Changed {
		t.Errorf("second restore %+v %v", res, err)
	}
	if _, err := st.RestoreSheetVersion(ctx, store.SheetRestore{Slug: seedSlug, Version: 9, ActorID: u.ID, Today: today}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("missing version: %v", err)
	}
	recs, _, _ := st.ListAudit(ctx, store.AuditFilter{Action: "sheet_restore"})
	if len(recs) != 1 || !strings.Contains(recs[0].After, `"restored_from": 1`) {
		t.Errorf("audit %+v", recs)
	}
}

// The Markdown field is left out of an imported sheet's JSON, so the
// content hash of existing sheets did not change with it.
func TestImportScheda_SameFileAgain_StillNoChange(t *testing.T) {
	st, _ := seededSheets(t)
	ctx := context.Background()
	res, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "import")
	if err != nil || res.Changed {
		t.Fatalf("re-import changed the sheet: %+v %v", res, err)
	}
}
