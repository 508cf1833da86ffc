package web_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/browsertest"
)

func TestScratch(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	tab := b.NewTab(t)
	b.Run(t, tab, browsertest.SetViewport(360))
	staffBrowserLogin(t, b, tab, e.Server.URL, "ad@example.org", pw)
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+"/area-riservata/schede"), chromedp.WaitVisible(chromedp.CSS("h1")))
	v, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(() => {
		const out = [];
		const cw = document.documentElement.clientWidth;
		out.push("cw " + cw + " sw " + document.documentElement.scrollWidth + " body " + document.body.scrollWidth);
		for (const e of document.querySelectorAll("*")) {
			const r = e.getBoundingClientRect();
			if (r.right > cw + 1) out.push(e.tagName + "." + e.className + " " + Math.round(r.left) + "-" + Math.round(r.right) + " ox=" + getComputedStyle(e).overflowX + " pos=" + getComputedStyle(e).position);
		}
		return out.slice(0, 40);
	})()`))
	t.Log(err)
	for _, l := range v {
		t.Log(l)
	}
}
