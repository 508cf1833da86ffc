package web_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/config"
)

// legalNotesBody is the Modello Comuni's licence text, word for word.
const legalNotesBody = "In applicazione del principio open by default ai sensi dell’articolo 52 del decreto legislativo 7 marzo 2005, n. 82 (CAD) " +
	"e salvo dove diversamente specificato (compresi i contenuti incorporati di terzi), i dati, i documenti e le informazioni " +
	"pubblicati sul sito sono rilasciati con licenza CC-BY 4.0. Gli utenti sono quindi liberi di condividere (riprodurre, " +
	"distribuire, comunicare al pubblico, esporre in pubblico), rappresentare, eseguire e recitare questo materiale con " +
	"qualsiasi mezzo e formato e modificare (trasformare il materiale e utilizzarlo per opere derivate) per qualsiasi fine, " +
	"anche commerciale con il solo onere di attribuzione, senza apporre restrizioni aggiuntive."

// domTexts returns, for a CSS selector, the text of every match with
// white space collapsed, as the Modello's checker reads it.
func domTexts(sel string) chromedp.Action[[]string] {
	return chromedp.Evaluate[[]string](`[...document.querySelectorAll(` + "`" + sel + "`" + `)].map((e) => e.textContent.replace(/\s+/g, " ").trim())`)
}

// domAttrs returns attribute attr of every match of sel.
func domAttrs(sel, attr string) chromedp.Action[[]string] {
	return chromedp.Evaluate[[]string](`[...document.querySelectorAll(` + "`" + sel + "`" + `)].map((e) => e.getAttribute("` + attr + `"))`)
}

// TestBrowser_ModelloComuniRules checks in Chromium the rules of the
// Designers Italia Modello Comuni that the service pages follow: the
// rating component's follow-up on its right elements and on every
// first-level page, the legal notes' exact text, the report link, the
// topics (from the home page to a topic page) and the service categories
// (from /servizi and from the sheet's breadcrumb to the category page),
// and the accessibility statement link.
func TestBrowser_ModelloComuniRules(t *testing.T) {
	const agid = "https://form.agid.gov.it/view/abcd-1234"
	b := browsertest.New(t)
	e := newTestEnv(t, withConfig(func(c *config.Config) { c.AccessibilityURL = agid }))
	ctx := b.NewTab(t)
	b.Watch(t, ctx, e.Server.URL)
	b.Run(t, ctx, browsertest.SetViewport(1280))
	run := func(a chromedp.Action[[]string]) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, a)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	open := func(path string) {
		t.Helper()
		b.Run(t, ctx, chromedp.Navigate(e.Server.URL+path), chromedp.WaitVisible(chromedp.CSS("h1")))
	}
	// follow clicks the link sel and waits for the page it leads to.
	follow := func(sel, wantPath string) {
		t.Helper()
		b.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), chromedp.Click(chromedp.CSS(sel)))
		for i := 0; ; i++ {
			ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === "complete"`))
			if err == nil && ready {
				break
			}
			if i == 200 {
				t.Fatalf("after clicking %s: no new page (%v)", sel, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
		if path, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname`)); err != nil || path != wantPath {
			t.Fatalf("%s led to %q (%v), want %s", sel, path, err, wantPath)
		}
	}
	breadcrumb := func() string {
		t.Helper()
		return strings.Join(run(domTexts(`[data-element="breadcrumb"] li > a, [data-element="breadcrumb"] li[aria-current]`)), " / ")
	}
	wantPositive := []string{"Le indicazioni erano chiare", "Le indicazioni erano complete", "Capivo sempre che stavo procedendo correttamente",
		"Non ho avuto problemi tecnici", "Altro"}
	wantNegative := []string{"A volte le indicazioni non erano chiare", "A volte le indicazioni non erano complete",
		"A volte non capivo se stavo procedendo correttamente", "Ho avuto problemi tecnici", "Altro"}
	// rated checks the rating component of the page loaded, and the
	// footer's Modello links.
	rated := func(page string) {
		t.Helper()
		if n := len(run(domTexts(`[data-element="feedback"] [data-element="feedback-title"]`))); n != 1 {
			t.Errorf("%s: %d rating components", page, n)
		}
		for i, tc := range []struct {
			el, question string
			answers      []string
		}{{"feedback-rating-positive", "Quali sono stati gli aspetti che hai preferito?", wantPositive},
			{"feedback-rating-negative", "Dove hai incontrato le maggiori difficoltà?", wantNegative}} {
			fs := `fieldset[data-element="` + tc.el + `"]`
			if q := run(domTexts(fs + ` > legend[data-element="feedback-rating-question"]`)); len(q) != 1 || q[0] != tc.question {
				t.Errorf("%s: follow-up %d: legend %q, want %q", page, i, q, tc.question)
			}
			if a := run(domTexts(fs + ` label[data-element="feedback-rating-answer"]`)); !slices.Equal(a, tc.answers) {
				t.Errorf("%s: follow-up %d: answers %q, want %q", page, i, a, tc.answers)
			}
		}
		if n := len(run(domTexts(`input[data-element="feedback-rating-answer"], legend[data-element^="feedback-rating-p"], legend[data-element^="feedback-rating-n"], fieldset[data-element="feedback-rating-question"]`))); n != 0 {
			t.Errorf("%s: %d data-elements of the follow-up on the wrong elements", page, n)
		}
		if r := run(domTexts(`a[data-element="report-inefficiency"]`)); len(r) != 1 || r[0] != "Segnala disservizio" {
			t.Errorf("%s: report link %q, want «Segnala disservizio»", page, r)
		}
		if a := run(domAttrs(`footer a[data-element="accessibility-link"]`, "href")); len(a) != 1 || a[0] != agid {
			t.Errorf("%s: accessibility link %q, want the statement on AgID's platform %s", page, a, agid)
		}
	}

	// The first-level pages and the home page are rated.
	for _, page := range []string{"/", "/servizi", "/comuni", "/argomenti"} {
		open(page)
		rated(page)
	}

	// With JavaScript the follow-up matching the stars shows in place.
	open("/servizi")
	b.Run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="star5"]`)),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[data-element="feedback-rating-positive"] legend`)),
		chromedp.WaitNotVisible(chromedp.CSS(`fieldset[data-element="feedback-rating-negative"] legend`)),
		chromedp.Click(chromedp.CSS(`label[for="star1"]`)),
		chromedp.WaitVisible(chromedp.CSS(`fieldset[data-element="feedback-rating-negative"] legend`)))

	// Legal notes: the licence section and body, exactly, and nothing else
	// inside them.
	open("/note-legali")
	if s := run(domTexts(`[data-element="legal-notes-section"]`)); len(s) != 1 || s[0] != "Licenza dei contenuti" {
		t.Errorf("legal-notes-section %q", s)
	}
	if body := strings.Join(run(domTexts(`[data-element="legal-notes-body"]`)), " "); body != legalNotesBody {
		t.Errorf("legal-notes-body:\n%q\nwant\n%q", body, legalNotesBody)
	}

	// Topics: from the home page to the list, each topic a published sheet
	// uses, then to a topic page listing its services.
	sheets, err := e.Store.ListSheets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var wantTopics []string
	for _, sh := range sheets {
		for _, tp := range sh.Topics {
			if !slices.Contains(wantTopics, tp.Name) {
				wantTopics = append(wantTopics, tp.Name)
			}
		}
	}
	slices.Sort(wantTopics)
	open("/")
	follow(`a[data-element="all-topics"]`, "/argomenti")
	got := run(domTexts(`a[data-element="topic-element"]`))
	slices.Sort(got)
	if len(wantTopics) == 0 || !slices.Equal(got, wantTopics) {
		t.Errorf("topics %q, want %q", got, wantTopics)
	}
	follow(`a[data-element="topic-element"][href="/argomenti/assistenza-sociale"]`, "/argomenti/assistenza-sociale")
	if bc := breadcrumb(); bc != "Home / Argomenti / Assistenza sociale" {
		t.Errorf("topic page breadcrumb %q", bc)
	}
	if s := run(domTexts(`a[data-element="service-link"]`)); !slices.Equal(s, []string{"Ufficio della Cittadinanza"}) {
		t.Errorf("topic page services %q", s)
	}
	rated("topic page")

	// Service categories: from /servizi to the category page.
	open("/servizi")
	if c := run(domTexts(`a[data-element="service-category-link"]`)); !slices.Equal(c, []string{"Salute, benessere e assistenza"}) {
		t.Errorf("categories %q", c)
	}
	follow(`a[data-element="service-category-link"]`, "/servizi/categoria/salute-benessere-e-assistenza")
	if bc := breadcrumb(); bc != "Home / Servizi / Salute, benessere e assistenza" {
		t.Errorf("category page breadcrumb %q", bc)
	}
	if s := run(domTexts(`a[data-element="service-link"]`)); !slices.Equal(s, []string{"Ufficio della Cittadinanza"}) {
		t.Errorf("category page services %q", s)
	}
	rated("category page")

	// The sheet: its breadcrumb leads to its category, its topic chips to
	// the topic pages.
	open("/servizi/ufficio-della-cittadinanza")
	if h := run(domAttrs(`[data-element="breadcrumb"] a`, "href")); !slices.Equal(h, []string{"/", "/servizi", "/servizi/categoria/salute-benessere-e-assistenza"}) {
		t.Errorf("sheet breadcrumb links %q", h)
	}
	for _, href := range run(domAttrs(`a[data-element="service-topic"]`, "href")) {
		if !strings.HasPrefix(href, "/argomenti/") {
			t.Errorf("topic chip leads to %q", href)
		}
	}
	follow(`a[data-element="service-topic"][href="/argomenti/assistenza-sociale"]`, "/argomenti/assistenza-sociale")
	follow(`[data-element="breadcrumb"] a[href="/argomenti"]`, "/argomenti")
	open("/servizi/ufficio-della-cittadinanza")
	follow(`[data-element="breadcrumb"] a[href^="/servizi/categoria/"]`, "/servizi/categoria/salute-benessere-e-assistenza")
}
