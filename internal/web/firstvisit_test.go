package web_test

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/firstvisit"
)

// firstVisitBudget is the most a first visit to a public page may
// transfer, HTML and everything it references, compressed (issue 11).
const firstVisitBudget = 150 * 1024

// pageFamilies are the public page families whose first visit is budgeted
// and measured by Lighthouse (make lighthouse), one representative each.
var pageFamilies = []struct{ name, path string }{
	{"home", "/"},
	{"scheda", "/servizi/ufficio-della-cittadinanza"},
	{"comuni", "/comuni"},
	{"ufficio", "/uffici/perugia-ponte-san-giovanni"},
	{"prenota", "/prenota"},
}

// newDemoEnv is a portal with the demo offices, so that every family has a
// page to show.
func newDemoEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	ctx := context.Background()
	if err := demo.Seed(ctx, e.Store); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedBooking(ctx, e.Store); err != nil {
		t.Fatal(err)
	}
	return e
}

func TestFirstVisit_EachPageFamilyWithinBudget(t *testing.T) {
	e := newDemoEnv(t)
	for _, f := range pageFamilies {
		res, err := firstvisit.Measure(context.Background(), e.Client, e.Server.URL+f.path)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		t.Logf("%s (%s): %d bytes compressed, %d raw\n%s", f.name, f.path, res.Compressed, res.Raw, describe(res, e.Server.URL))
		if res.Compressed > firstVisitBudget {
			t.Errorf("%s (%s): first visit transfers %d bytes, budget %d", f.name, f.path, res.Compressed, firstVisitBudget)
		}
	}
}

// TestPageFamilies_DescribedForSearchEngines checks what Lighthouse's SEO
// audit reads on each family: the language and a meta description.
func TestPageFamilies_DescribedForSearchEngines(t *testing.T) {
	e := newDemoEnv(t)
	desc := regexp.MustCompile(`<meta name="description" content="[^"]{50,}"`)
	for _, f := range pageFamilies {
		_, body := e.get(f.path)
		if !strings.Contains(body, `<html lang="it">`) {
			t.Errorf("%s: no <html lang=\"it\">", f.path)
		}
		if !desc.MatchString(body) {
			t.Errorf("%s: no meta description of at least 50 characters", f.path)
		}
	}
}

// describe lists the resources of a measured visit, one a line.
func describe(res firstvisit.Result, base string) string {
	var sb strings.Builder
	for _, r := range res.Resources {
		fmt.Fprintf(&sb, "  %-10s %7d %8d  %s\n", r.Kind, r.Compressed, r.Raw, strings.TrimPrefix(r.URL, base))
	}
	return sb.String()
}

// TestBrowser_FirstVisitDownloadsNothingUnbudgeted loads each family in
// Chromium with the cache disabled, at both test widths, and checks that
// every resource the browser downloads is one that firstvisit.Measure
// counts: the budget above cannot miss a font or a script the static
// model overlooks.
func TestBrowser_FirstVisitDownloadsNothingUnbudgeted(t *testing.T) {
	b := browsertest.New(t)
	e := newDemoEnv(t)
	for _, f := range pageFamilies {
		res, err := firstvisit.Measure(context.Background(), e.Client, e.Server.URL+f.path)
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		counted := make(map[string]bool)
		for _, r := range res.Resources {
			counted[r.URL] = true
		}
		for _, width := range []int{360, 1280} {
			tab := b.NewTab(t)
			b.Run(t, tab,
				chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
					_, err := cdp.Call(ctx, tg, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
					return err
				}),
				browsertest.SetViewport(width),
				chromedp.Navigate(e.Server.URL+f.path),
			)
			loaded, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(async () => {
				await document.fonts.ready;
				await new Promise(r => setTimeout(r, 200));
				return performance.getEntriesByType("resource").map(e => e.name);
			})()`, chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatal(err)
			}
			for _, u := range loaded {
				u, _, _ = strings.Cut(u, "#")
				if !counted[u] {
					t.Errorf("%s@%d: the browser downloads %s, which the budget does not count", f.path, width, strings.TrimPrefix(u, e.Server.URL))
				}
			}
		}
	}
}
