package browsertest

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// axeSource is axe-core, injected into each page under test. Evaluating it
// over the DevTools protocol bypasses the page's CSP, so the portal never
// has to allow it.
//
//go:embed axe/axe.min.js
var axeSource string

// axeRun runs the WCAG 2.0/2.1 A and AA rules and flattens the result to
// what a failure message needs. A target is an array of selectors, nested
// once more for shadow DOM; the nested form is joined so Go sees strings.
const axeRun = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
		resultTypes: ["violations"],
	});
	return r.violations.map(v => ({
		id: v.id,
		impact: v.impact || "",
		help: v.help,
		helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({
			target: n.target.map(s => Array.isArray(s) ? s.join(" >>> ") : String(s)),
			html: n.html,
		})),
	}));
})()`

// Violation is one axe-core rule that a page breaks.
type Violation struct {
	ID      string `json:"id"`      // rule id, e.g. "image-alt"
	Impact  string `json:"impact"`  // minor, moderate, serious or critical
	Help    string `json:"help"`    // one-line description of the rule
	HelpURL string `json:"helpUrl"` // Deque University page for the rule
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	Target []string `json:"target"` // CSS selectors that locate the element
	HTML   string   `json:"html"`   // the element's opening markup
}

// String formats the violation for a test failure: rule, impact, help and
// every offending element.
func (v Violation) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s (%s): %s <%s>", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&sb, "\n\t%s  %s", strings.Join(n.Target, ", "), snippet(n.HTML))
	}
	return sb.String()
}

// RunAxe injects axe-core into the page loaded in the tab of ctx, unless it
// is there already, and returns the page's WCAG violations. In a tab
// without JavaScript (WithoutJavaScript) scripts are on only while axe
// runs.
func RunAxe(ctx context.Context) ([]Violation, error) {
	var vs []Violation
	err := withScriptsFor(ctx, func() error {
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
		if err != nil {
			return fmt.Errorf("browsertest: look for axe: %w", err)
		}
		if !loaded {
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](axeSource)); err != nil {
				return fmt.Errorf("browsertest: inject axe: %w", err)
			}
		}
		if vs, err = chromedp.Run(ctx, chromedp.Evaluate[[]Violation](axeRun, chromedp.EvalAwaitPromise)); err != nil {
			return fmt.Errorf("browsertest: run axe: %w", err)
		}
		return nil
	})
	return vs, err
}

// Axe runs axe-core on the page currently loaded in the tab of ctx and
// reports every violation as a test error; label names the step, e.g.
// "booking wizard, step 2". It is meant for multi-step flows, where the
// page under test exists only after some actions. Like CheckPages, it
// also runs the layout check (Browser.Layout): every audited step is
// checked for overlapping labels, legends and headings and for sideways
// overflow.
func (b *Browser) Axe(t testing.TB, ctx context.Context, label string) {
	t.Helper()
	vs, err := RunAxe(ctx)
	if err != nil {
		t.Fatalf("%s: %v", label, err)
	}
	for _, v := range vs {
		t.Errorf("%s: accessibility: %s", label, v)
	}
	b.Layout(t, ctx, label)
}

// snippet shortens markup to one readable line.
func snippet(html string) string {
	const limit = 160
	r := []rune(strings.Join(strings.Fields(html), " "))
	if len(r) > limit {
		return string(r[:limit]) + "…"
	}
	return string(r)
}
