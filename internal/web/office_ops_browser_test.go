package web_test

import (
	"context"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/browsertest"
)

// pdfPageRE finds the page objects of a PDF (not the /Pages tree).
var pdfPageRE = regexp.MustCompile(`/Type\s*/Page[^s]`)

// textOf returns the text of the element sel in the tab of ctx.
func textOf(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return txt
}

// printedPages prints the tab's page to PDF on A4 paper, honouring the
// page's CSS page size, and returns how many pages it takes.
func printedPages(t *testing.T, ctx context.Context) int {
	t.Helper()
	var pdf []byte
	prefer := true
	_, err := chromedp.Run(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		res, err := cdp.Call(ctx, tg, page.PrintToPDF, page.PrintToPDFParams{PaperWidth: 8.27, PaperHeight: 11.69, PreferCSSPageSize: &prefer})
		pdf = res.Data
		return err
	}))
	if err != nil {
		t.Fatalf("print to PDF: %v", err)
	}
	if len(pdf) == 0 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("not a PDF: %d bytes", len(pdf))
	}
	return len(pdfPageRE.FindAll(pdf, -1))
}

// TestBrowser_OfficeOperations walks, in headless Chromium with the
// operatore logged in, the closure over two booked appointments (the
// confirmation page, its error state, the choice, the list of people to
// call) and a booking taken by phone up to its printed confirmation,
// which must fit one A4 page holding the confirmation only; every page
// passes axe at 360 and 1280 px.
func TestBrowser_OfficeOperations(t *testing.T) {
	b := browsertest.New(t)
	e := &apptEnv{bookingEnv: newBookingEnv(t, 1)}
	e.base = officePath(e.officeID, "/appuntamenti")
	const email = "op.browser@example.org"
	_, pw := addStaff(t, e.Store, email, auth.RoleOperator, e.officeID)
	if _, err := e.Store.Pool().Exec(context.Background(),
		`UPDATE service_sheets SET needed_html = '<ul><li>Un documento d''identità</li><li>La tessera sanitaria</li></ul>'`); err != nil {
		t.Fatal(err)
	}
	_, keys := e.sameDaySlots(2)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	byPhone := e.bookKey(keys[1], "due@example.org", url.Values{"canale": {"telefono"}, "telefono": {"333 1234567"}})
	day := keyDate(keys[0])

	// No b.Watch on this tab: the confirmation with errors answers 422 on
	// purpose, which the browser logs as a failed load.
	tab := b.NewTab(t)
	b.Run(t, tab, browsertest.SetViewport(360))
	staffBrowserLogin(t, b, tab, e.Server.URL, email, pw)
	closures := officePath(e.officeID, "/chiusure")
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+closures), chromedp.WaitVisible(chromedp.CSS("#dal")),
		setValues("dal", day, "motivo", "Assemblea del personale"))
	submitStep(t, b, tab, closures, "#decisione")
	text := textOf(t, tab, "main")
	if !strings.Contains(text, a.code) || !strings.Contains(text, byPhone.code) || !strings.Contains(text, "333 1234567") {
		t.Fatalf("the confirmation page does not list the appointments:\n%s", text)
	}
	b.Axe(t, tab, "closure confirmation")
	submitStep(t, b, tab, closures, "#error-summary")
	b.Axe(t, tab, "closure confirmation without a choice")
	b.Run(t, tab, check("decisione"), setValues("messaggio", "L'ufficio è chiuso per un'assemblea: scegli un altro orario."))
	submitStep(t, b, tab, closures, ".staff-agenda-table")
	text = textOf(t, tab, "main")
	if !strings.Contains(text, "Persone da chiamare") || !strings.Contains(text, "333 1234567") || !strings.Contains(text, "assemblea") {
		t.Fatalf("after confirming, the people to call:\n%s", text)
	}
	b.Axe(t, tab, "people to call")
	if got := e.stored(a); got.MoveRequestedAt == nil || got.Status != booking.StatusConfirmed {
		t.Errorf("appointment after the closure: %s %v", got.Status, got.MoveRequestedAt)
	}

	// A booking by phone, in the browser, then its printed confirmation;
	// in a new tab (same cookies), since each tab has its own time limit.
	tab = b.NewTab(t)
	b.Run(t, tab, browsertest.SetViewport(360))
	newPath := e.base + "/nuovo"
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+newPath+"?figura=assistente-sociale"), chromedp.WaitVisible(chromedp.CSS("#nome")))
	submitStep(t, b, tab, newPath, "#error-summary")
	b.Axe(t, tab, "booking by phone with errors")
	b.Run(t, tab, chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="orario"]:not([disabled])').checked = true`),
		setValues("nome", "Anna", "cognome", "Verdi", "telefono", "075 654321", "motivo", "Prima informazione",
			"accessibilita_nota", "Accesso senza gradini"),
		check("canale-telefono"), check("accessibilita"), check("privacy"))
	submitStep(t, b, tab, newPath, ".staff-print")
	b.Axe(t, tab, "printable confirmation")
	var code string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT code FROM appointments WHERE booked_by_staff_id IS NOT NULL`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	b.Run(t, tab, emulateMedia("print"))
	printed, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
		const shown = (sel) => { const el = document.querySelector(sel); return el !== null && getComputedStyle(el).display !== "none"; };
		return !shown(".it-header-wrapper") && !shown(".breadcrumb-container") && !shown(".it-footer") && !shown(".alert") &&
			!shown(".staff-print-controls") && shown(".staff-print");
	})()`))
	if err != nil || !printed {
		t.Errorf("print view: only the confirmation must show (%v, %v)", printed, err)
	}
	printedText := textOf(t, tab, ".staff-print")
	for _, want := range []string{code, "Via di Prova 1", "Un documento d'identità", "Anna Verdi", "075 111 2222"} {
		if !strings.Contains(printedText, want) {
			t.Errorf("the printed confirmation lacks %q", want)
		}
	}
	if n := printedPages(t, tab); n != 1 {
		t.Errorf("the confirmation prints on %d A4 pages, want 1", n)
	}
	b.Run(t, tab, emulateMedia(""))

	// The other new pages, at both widths.
	var apptID string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT id::text FROM appointments WHERE code = $1`, code).Scan(&apptID); err != nil {
		t.Fatal(err)
	}
	b.CheckPages(t, e.Server.URL, []string{
		newPath, newPath + "?figura=assistente-sociale", newPath + "?figura=educatore",
		e.base + "/da-chiamare", e.base + "/fuori-orario", e.base + "/" + apptID + "/stampa", e.base + "/" + apptID,
		e.path(a, ""), e.base,
	})
	// The citizen's personal page asks to choose another time.
	token := e.tokenFor("uno@example.org")
	b.CheckPages(t, e.Server.URL, []string{"/appuntamento/" + token, "/appuntamento/" + token + "/sposta"})
}
