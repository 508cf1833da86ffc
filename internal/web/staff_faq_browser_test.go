package web_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/browsertest"
)

// TestBrowser_EditorChangesAnFAQAnswer: a redattore logs in, reaches the
// FAQ editor from the navigation, changes an answer and sees it on the
// public page. The list, the editors and the form with errors pass axe.
func TestBrowser_EditorChangesAnFAQAnswer(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "red@example.org", auth.RoleEditor)
	items, err := e.Store.ListStaffFAQ(context.Background())
	if err != nil || len(items) == 0 {
		t.Fatalf("seeded questions: %d %v", len(items), err)
	}
	edit := faqItemPath(items[0])
	const changed = "Un servizio gratuito dei Comuni: leggi [come trovarlo](/comuni)."
	base := e.Server.URL

	// No b.Watch on this tab: the form with errors answers 422 on purpose.
	tab := b.NewTab(t)
	b.Run(t, tab,
		browsertest.SetViewport(1280),
		chromedp.Navigate(base+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "red@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Submit(chromedp.CSS(`form[action="/area-riservata/login"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Benvenuto")]`),
		chromedp.Click(chromedp.CSS(`#staff-nav a[href="/area-riservata/faq"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Domande frequenti")]`),
		chromedp.Click(chromedp.CSS(`a[href="`+edit+`"]`)),
		chromedp.WaitVisible(chromedp.CSS("#risposta")),
		chromedp.SetValue(chromedp.CSS("#risposta"), changed),
		chromedp.Click(chromedp.CSS(`form[action="`+edit+`"] button[type="submit"]`)),
		chromedp.WaitVisible(`//div[contains(@class, "alert-success") and contains(., "Domanda salvata")]`),
	)
	b.Axe(t, tab, "FAQ editor after saving")

	b.Run(t, tab, chromedp.Navigate(base+"/domande-frequenti"), chromedp.WaitVisible(chromedp.CSS("h1")))
	answer, err := chromedp.Run(tab, chromedp.InnerHTML(chromedp.CSS("#faq-"+strings.TrimPrefix(edit, staffFAQ+"/")+" .accordion-body")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(answer, `<a href="/comuni" rel="noopener">come trovarlo</a>`) {
		t.Errorf("public answer: %q", answer)
	}

	b.CheckPages(t, base, []string{"/area-riservata/faq", "/area-riservata/faq/nuova", edit, "/domande-frequenti"})

	// A form with errors, at 360 px.
	b.Run(t, tab,
		browsertest.SetViewport(360),
		chromedp.Navigate(base+"/area-riservata/faq/nuova"),
		chromedp.WaitVisible(chromedp.CSS("#domanda")),
		chromedp.Click(chromedp.CSS(`form[action="/area-riservata/faq/nuova"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "new FAQ question with errors")
}
