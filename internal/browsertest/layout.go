package browsertest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// layoutRun finds what axe-core cannot see: labels, legends and headings
// drawn over one another (a floating label over the heading before it, a
// field's label over a checkbox), and a page wider than the viewport
// (content a phone user must scroll sideways to read). Hidden and
// visually hidden elements (1 px boxes) are skipped, and so are an
// element and its own descendants. Overlaps of a pixel or less are
// rounding.
const layoutRun = `(() => {
	const shown = (el) => {
		const r = el.getBoundingClientRect();
		if (r.width <= 2 || r.height <= 2) return false;
		for (let e = el; e; e = e.parentElement) {
			const cs = getComputedStyle(e);
			if (cs.display === "none" || cs.visibility === "hidden" || e.hidden) return false;
			// Inside a visually hidden box (.visually-hidden: 1px, overflow
			// hidden, clipped): read by screen readers, never seen.
			if (e !== el && cs.overflow === "hidden" && e.getBoundingClientRect().width <= 2) return false;
		}
		return true;
	};
	const name = (el) => {
		let s = el.tagName.toLowerCase();
		if (el.id) s += "#" + el.id;
		if (el.htmlFor) s += "[for=" + el.htmlFor + "]";
		return s + " «" + el.textContent.replace(/\s+/g, " ").trim().slice(0, 60) + "»";
	};
	const els = [...document.querySelectorAll("label, legend, h1, h2, h3, h4, h5, h6")].filter(shown);
	const overlaps = [];
	for (let i = 0; i < els.length; i++) {
		for (let j = i + 1; j < els.length; j++) {
			const a = els[i], b = els[j];
			if (a.contains(b) || b.contains(a)) continue;
			const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
			const w = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
			const h = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
			if (w > 1 && h > 1) overlaps.push(name(a) + " and " + name(b) + " overlap by " + Math.round(w) + "×" + Math.round(h) + " px");
		}
	}
	const doc = document.documentElement;
	const overflow = Math.max(0, doc.scrollWidth - doc.clientWidth);
	// What sticks out, for the message: the outermost elements past the
	// right edge (their parent is not).
	const wide = [];
	if (overflow > 0) {
		const out = (e) => e && e.getBoundingClientRect().right > doc.clientWidth + 1;
		for (const e of document.body.querySelectorAll("*")) {
			if (wide.length < 3 && out(e) && !out(e.parentElement)) {
				const cls = typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : "";
				wide.push(e.tagName.toLowerCase() + cls + " (" + Math.round(e.getBoundingClientRect().width) + " px)");
			}
		}
	}
	return {overlaps: overlaps, overflow: overflow, wide: wide};
})()`

// Layout is what the layout check found on a page.
type Layout struct {
	// Overlaps names the pairs of labels, legends and headings whose
	// boxes intersect.
	Overlaps []string `json:"overlaps"`
	// Overflow is how many CSS pixels the page is wider than the
	// viewport: a phone user would scroll sideways. Wide names the
	// outermost elements that stick out.
	Overflow int      `json:"overflow"`
	Wide     []string `json:"wide"`
}

// CheckLayout runs the layout check on the page loaded in the tab of ctx.
func CheckLayout(ctx context.Context) (Layout, error) {
	l, err := chromedp.Run(ctx, chromedp.Evaluate[Layout](layoutRun))
	if err != nil {
		return Layout{}, fmt.Errorf("browsertest: check layout: %w", err)
	}
	return l, nil
}

// Layout reports as test errors every overlap of labels, legends and
// headings and any sideways overflow of the page loaded in the tab of
// ctx; label names the step.
func (b *Browser) Layout(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	l, err := CheckLayout(ctx)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	for _, o := range l.Overlaps {
		t.Errorf("%s: layout: %s", label, o)
	}
	if l.Overflow > 0 {
		t.Errorf("%s: layout: the page is %d px wider than the viewport: %s", label, l.Overflow, strings.Join(l.Wide, ", "))
	}
}

// scriptsOff holds the tabs (*chromedp.Target) WithoutJavaScript turned
// scripts off in: axe-core, which needs timers and promises, runs there
// with scripts on for the time of its audit.
var scriptsOff sync.Map

// WithoutJavaScript turns script execution off in the tab of ctx, for the
// pages it loads next, as for a visitor who disabled JavaScript:
// <noscript> content is used. The harness itself can still evaluate
// expressions in the page, and RunAxe audits it as it is.
func WithoutJavaScript() chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if err := setScriptsDisabled(ctx, t, true); err != nil {
			return err
		}
		scriptsOff.Store(t, true)
		return nil
	})
}

func setScriptsDisabled(ctx context.Context, t *chromedp.Target, off bool) error {
	_, err := cdp.Call(ctx, t, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: off})
	if err != nil {
		return fmt.Errorf("browsertest: turn scripts off=%v: %w", off, err)
	}
	return nil
}

// withScriptsFor runs f with scripts on in a tab WithoutJavaScript turned
// them off in, and turns them off again. Turning them on runs none of the
// page's scripts: those run only while the page loads.
func withScriptsFor(ctx context.Context, f func() error) error {
	c := chromedp.FromContext(ctx)
	if c == nil || c.Target == nil {
		return f()
	}
	if _, off := scriptsOff.Load(c.Target); !off {
		return f()
	}
	toggle := func(off bool) error {
		return chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error { return setScriptsDisabled(ctx, t, off) }))
	}
	if err := toggle(false); err != nil {
		return err
	}
	err := f()
	if err2 := toggle(true); err == nil {
		err = err2
	}
	return err
}
