package web_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/store"
)

// TestBrowser_ContentLanguagePages_PassTheChecks runs the editors of the
// content in English and the English pages showing the Italian text with
// its notice through the page checker (axe at 360 and 1280 px).
func TestBrowser_ContentLanguagePages_PassTheChecks(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t, sheetImportedBy("import-scheda"))
	ctx := context.Background()
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	if _, err := e.Store.SaveOfficeNotes(ctx, 0, id, store.DefaultLang, store.OfficeNotes{HoursNote: "Il venerdì solo su appuntamento.",
		AccessibilityNotes: "Ingresso senza gradini."}); err != nil {
		t.Fatal(err)
	}
	items, err := e.Store.ListFAQ(ctx)
	if err != nil || len(items) == 0 {
		t.Fatalf("faq %v %v", items, err)
	}
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin, id)
	tab := b.NewTab(t)
	staffBrowserLogin(t, b, tab, e.Server.URL, "ad@example.org", pw)
	b.CheckPages(t, e.Server.URL, []string{
		seedSheetStaffEN,
		seedSheetStaffEN + "/versioni",
		fmt.Sprintf("/area-riservata/faq/%d/en", items[0].ID),
		officePath(id, "/note"),
		officePath(id, "/note/en"),
		seedSheetEN,
		"/en/domande-frequenti",
		"/en/uffici/" + staffOfficeSlug,
	})
}
