package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/demo"
)

// TestBrowser_ReportForm sends the report form in a real browser, first
// empty (the error summary, 422), then filled in: the confirmation shows
// the code. Each state passes axe at 360 and 1280 px.
func TestBrowser_ReportForm(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	if err := demo.Seed(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	// No b.Watch: the form with errors answers 422 on purpose, which the
	// browser logs as a failed load.
	for _, width := range []int{360, 1280} {
		// A tab lives a minute: one per step.
		tab := b.NewTab(t)
		b.Run(t, tab, browsertest.SetViewport(width))
		b.Run(t, tab, chromedp.Navigate(e.Server.URL+"/segnala-disservizio?pagina=%2Fuffici%2Fnorcia"))
		b.Run(t, tab, chromedp.Submit(chromedp.CSS(`form[action="/segnala-disservizio"]`)))
		b.Run(t, tab, chromedp.WaitVisible(chromedp.CSS("#error-summary")))
		b.Axe(t, tab, "report form with errors")
	}
	tab := b.NewTab(t)
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+"/segnala-disservizio?pagina=%2Fuffici%2Fnorcia"))
	b.Run(t, tab,
		chromedp.SetValue(chromedp.CSS("#categoria"), "ufficio-chiuso"),
		chromedp.SendKeys(chromedp.CSS("#descrizione"), "Martedì alle 10 l'ufficio era chiuso."),
		// The label is mostly the link to the notice: tick the box itself.
		check("privacy"),
	)
	b.Run(t, tab, chromedp.Submit(chromedp.CSS(`form[action="/segnala-disservizio"]`)))
	b.Run(t, tab, chromedp.WaitVisible(`//h1[contains(., "Segnalazione inviata")]`))
	for _, width := range []int{360, 1280} {
		b.Run(t, tab, browsertest.SetViewport(width))
		b.Axe(t, tab, "report confirmation")
	}
	var office string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT o.slug FROM reports r JOIN offices o ON o.id = r.office_id`).Scan(&office); err != nil {
		t.Fatal(err)
	}
	if office != "norcia" {
		t.Fatalf("report about %q", office)
	}
}
