package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/demo"
)

// publicPages are checked in headless Chromium with axe-core at 360 and
// 1280 px. Later features add their pages here.
var publicPages = []string{
	"/", "/servizi", "/servizi/ufficio-della-cittadinanza", "/privacy", "/note-legali",
	"/dichiarazione-di-accessibilita", "/domande-frequenti", "/segnala-disservizio",
	// The report form opened from an office's page (TestBrowser_ReportForm
	// checks it with errors and its confirmation).
	"/segnala-disservizio?pagina=%2Fuffici%2Fnorcia",
	"/comuni", "/comuni?q=citta", "/comuni/perugia", "/comuni/citta-di-castello", "/comuni/preci",
	"/uffici/perugia-ponte-san-giovanni", "/uffici/norcia", "/opendata",
	// Booking, step 1 (the later steps need a draft: TestBrowser_BookingWithJavaScript).
	"/prenota", "/prenota?comune=perugia", "/prenota?ufficio=perugia-ponte-san-giovanni", "/prenota?comune=preci",
}

func TestBrowser_PublicPagesPassAxe(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	// The office pages need offices: the demo ones cover every Comune.
	if err := demo.Seed(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedBooking(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	b.CheckPages(t, e.Server.URL, publicPages)
}

func TestBrowser_ErrorPagePassesAxe(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	for _, width := range []int{360, 1280} {
		rep, err := b.Inspect(b.NewTab(t), e.Server.URL+"/pagina-che-non-esiste", width)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != 404 {
			t.Errorf("status %d, want 404", rep.Status)
		}
		for _, v := range rep.Violations {
			t.Errorf("@%d: %s", width, v)
		}
		if len(rep.ForeignRequests) > 0 {
			t.Errorf("foreign requests: %v", rep.ForeignRequests)
		}
	}
}

// TestBrowser_RatingWithJavaScript chooses stars in a real browser: the
// follow-up appears in place and the whole rating is stored at once.
func TestBrowser_RatingWithJavaScript(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	ctx := b.NewTab(t)
	b.Watch(t, ctx, e.Server.URL)
	b.Run(t, ctx,
		chromedp.Navigate(e.Server.URL+"/servizi/ufficio-della-cittadinanza"),
		chromedp.Click(chromedp.CSS(`label[for="star2"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#answer-neg-3`)),
		chromedp.Click(chromedp.CSS(`label[for="answer-neg-3"]`)),
		chromedp.SendKeys(chromedp.CSS(`#comment-neg`), "Non trovavo gli orari"),
		chromedp.Submit(chromedp.CSS(`form[data-page-rating]`)),
		chromedp.WaitVisible(`//h2[contains(., "Grazie")]`),
	)
	b.Axe(t, ctx, "rating thank-you")
	var stars int
	var answer, comment string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT stars, answer, comment FROM page_ratings`).Scan(&stars, &answer, &comment); err != nil {
		t.Fatal(err)
	}
	if stars != 2 || answer != "Ho avuto problemi tecnici" || comment != "Non trovavo gli orari" {
		t.Fatalf("stored %d %q %q", stars, answer, comment)
	}
}
