package web_test

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/demo"
)

// mainMenu reads, for each link of the main navigation, whether a person
// sees it on screen (a box inside the viewport, not hidden), and whether
// the hamburger button is shown.
const mainMenu = `(() => {
	const seen = (el) => {
		const r = el.getBoundingClientRect();
		if (r.width < 1 || r.height < 1 || r.left < 0 || r.right > document.documentElement.clientWidth) return false;
		for (let e = el; e; e = e.parentElement) {
			const cs = getComputedStyle(e);
			if (cs.display === "none" || cs.visibility === "hidden") return false;
		}
		return true;
	};
	const links = [...document.querySelectorAll('[data-element="main-navigation"] a')];
	return {
		links: links.map((a) => a.textContent.trim()),
		seen: links.filter(seen).length,
		toggler: seen(document.querySelector(".custom-navbar-toggler")),
	};
})()`

// menuState is what mainMenu reads.
type menuState struct {
	Links   []string `json:"links"`
	Seen    int      `json:"seen"`
	Toggler bool     `json:"toggler"`
}

// TestBrowser_WithoutJavaScript_MenuReachableAndPagesPass: on a phone
// without JavaScript Bootstrap Italia's off-canvas menu cannot open, so
// the main navigation is shown in place (static/css/nojs.css, loaded
// from <noscript>) and its links work; with JavaScript the menu stays
// behind the hamburger button. Every public page also passes axe-core and
// the layout check without JavaScript at 360 px.
func TestBrowser_WithoutJavaScript_MenuReachableAndPagesPass(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	if err := demo.Seed(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedBooking(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}

	noJS := b.NewTab(t)
	b.Run(t, noJS, browsertest.WithoutJavaScript(), browsertest.SetViewport(360), chromedp.Navigate(e.Server.URL+"/"))
	m, err := chromedp.Run(noJS, chromedp.Evaluate[menuState](mainMenu))
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Links) != 4 || m.Seen != len(m.Links) || m.Toggler {
		t.Errorf("without JavaScript at 360 px: %d of the links %q on screen, hamburger shown %v; want every link and no button", m.Seen, m.Links, m.Toggler)
	}
	b.Run(t, noJS, chromedp.Click(chromedp.CSS(`[data-element="main-navigation"] a[data-element="all-services"]`)),
		chromedp.WaitVisible(`//h1[normalize-space()="Servizi"]`))
	if path, err := chromedp.Run(noJS, chromedp.Evaluate[string](`location.pathname`)); err != nil || path != "/servizi" {
		t.Errorf("the menu's «Servizi» led to %q (%v)", path, err)
	}

	withJS := b.NewTab(t)
	b.Run(t, withJS, browsertest.SetViewport(360), chromedp.Navigate(e.Server.URL+"/"), chromedp.WaitVisible(chromedp.CSS(".custom-navbar-toggler")))
	if m, err = chromedp.Run(withJS, chromedp.Evaluate[menuState](mainMenu)); err != nil || m.Seen != 0 || !m.Toggler {
		t.Errorf("with JavaScript at 360 px the menu waits behind its button: %+v %v", m, err)
	}
	b.Run(t, withJS, chromedp.Click(chromedp.CSS(".custom-navbar-toggler")),
		chromedp.WaitVisible(chromedp.CSS(`[data-element="main-navigation"] a[data-element="all-services"]`)))

	b.CheckPagesWithoutJavaScript(t, e.Server.URL, publicPages)
}
