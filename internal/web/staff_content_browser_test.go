package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/browsertest"
)

// TestBrowser_AdminChangesThenRestoresTheSheet: an amministratore logs in,
// changes "Come fare" of the service sheet, sees the change on the public
// page, then restores the imported version from the list of versions; the
// public page shows the restored text. Every staff page of the editor,
// the preview and the forms with errors pass axe.
func TestBrowser_AdminChangesThenRestoresTheSheet(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t, sheetImportedBy("import-scheda"))
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	// editorField is the "Come fare" textarea of the editor; the public
	// page and the preview show a section with the same id instead.
	const editorField = "textarea#come-fare"
	const original = "Il cittadino può ottenere un contatto diretto"
	const changed = "Telefona all'ufficio del tuo Comune e chiedi un appuntamento."
	base := e.Server.URL

	// No b.Watch on this tab: the form with errors answers 422 on purpose,
	// which the browser logs as a failed load.
	tab := b.NewTab(t)
	publicText := func(tab context.Context) string {
		t.Helper()
		b.Run(t, tab, chromedp.Navigate(base+seedSheet), chromedp.WaitVisible(chromedp.CSS("#come-fare")))
		txt, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("#come-fare")))
		if err != nil {
			t.Fatal(err)
		}
		return txt
	}
	b.Run(t, tab,
		browsertest.SetViewport(1280),
		chromedp.Navigate(base+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ad@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Submit(chromedp.CSS(`form[action="/area-riservata/login"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Benvenuto")]`),
		// From the navigation to the list, then to the sheet.
		chromedp.Click(chromedp.CSS(`#staff-nav a[href="/area-riservata/schede"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Schede dei servizi")]`),
		chromedp.Click(chromedp.CSS(`a[href="`+seedSheetStaff+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(editorField)),
	)
	if txt := publicText(tab); !strings.Contains(txt, original) {
		t.Fatalf("public page before the change: %q", txt)
	}

	// Preview, back to the form, save.
	b.Run(t, tab,
		chromedp.Navigate(base+seedSheetStaff),
		chromedp.WaitVisible(chromedp.CSS(editorField)),
		chromedp.SetValue(chromedp.CSS(editorField), changed),
		chromedp.SetValue(chromedp.CSS("#nota"), "Procedura più semplice"),
		chromedp.Click(chromedp.CSS(`button[value="anteprima"]`)),
		chromedp.WaitVisible(`//p[contains(., "Anteprima – non pubblicata")]`),
	)
	b.Axe(t, tab, "preview of the sheet")
	b.Run(t, tab,
		chromedp.Click(chromedp.CSS(`button[value="modifica"]`)),
		// Not just "#come-fare": the preview has a section with that id
		// (and a save button of its own), so only the textarea proves the
		// form is back.
		chromedp.WaitVisible(chromedp.CSS(editorField)),
		chromedp.Click(chromedp.CSS(`button[value="salva"]`)),
		chromedp.WaitVisible(`//div[contains(@class, "alert-success") and contains(., "versione 2")]`),
	)
	b.Axe(t, tab, "editor after saving")
	if txt := publicText(tab); !strings.Contains(txt, changed) || strings.Contains(txt, original) {
		t.Fatalf("public page after the change: %q", txt)
	}

	// The versions, the comparison, every staff page through the checker.
	b.CheckPages(t, base, []string{
		"/area-riservata",
		"/area-riservata/schede",
		"/area-riservata/schede/nuova",
		seedSheetStaff,
		seedSheetStaff + "/versioni",
		seedSheetStaff + "/versioni/confronta?da=1&a=2",
	})

	// Restore the imported version through the list of versions, in a
	// new tab (same browser, same session): each tab has a minute.
	tab = b.NewTab(t)
	b.Run(t, tab,
		browsertest.SetViewport(1280),
		chromedp.Navigate(base+seedSheetStaff),
		chromedp.Click(chromedp.CSS(`a[href="`+seedSheetStaff+`/versioni"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Versioni della scheda")]`),
		chromedp.Click(chromedp.CSS(`form[action="`+seedSheetStaff+`/versioni/1/ripristina"] button`)),
		chromedp.WaitVisible(`//div[contains(@class, "alert-success") and contains(., "Versione 1 ripristinata")]`),
	)
	b.Axe(t, tab, "versions after the restore")
	if txt := publicText(tab); !strings.Contains(txt, original) || strings.Contains(txt, changed) {
		t.Fatalf("public page after the restore: %q", txt)
	}

	// A form with errors, at 360 px.
	b.Run(t, tab,
		browsertest.SetViewport(360),
		chromedp.Navigate(base+seedSheetStaff),
		chromedp.WaitVisible(chromedp.CSS("#titolo")),
		chromedp.Clear(chromedp.CSS("#titolo")),
		chromedp.Clear(chromedp.CSS(editorField)),
		chromedp.SetValue(chromedp.CSS("#fonti-normative"), "Legge | non-un-indirizzo"),
		chromedp.Click(chromedp.CSS(`button[value="salva"]`)),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "editor with errors")
	b.Run(t, tab,
		chromedp.Navigate(base+"/area-riservata/schede/nuova"),
		chromedp.WaitVisible(chromedp.CSS("#titolo")),
		chromedp.Click(chromedp.CSS(`button[value="salva"]`)),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "new sheet with errors")
}
