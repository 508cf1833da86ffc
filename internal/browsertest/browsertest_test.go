package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// page wraps body in a document that passes axe: language, title and a main
// landmark.
func page(body string) string {
	return `<!doctype html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prova</title>
</head>
<body>
<main>
<h1>Ufficio di prova</h1>
` + body + `
</main>
</body>
</html>`
}

// testServer serves the fixture pages of the self-tests.
func testServer(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	serve := func(path, html string, headers ...string) {
		mux.HandleFunc(path, func(w http.ResponseWriter, r *http.Request) {
			for i := 0; i+1 < len(headers); i += 2 {
				w.Header().Set(headers[i], headers[i+1])
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, html)
		})
	}
	serve("/{$}", page(`<p>Orari di apertura: lunedì–venerdì, 9–13.</p><a href="/ok">Servizi</a>`))
	serve("/ok", page(`<p>Tutto in regola.</p><img src="/logo.png" alt="Logo">`))
	serve("/bad", page(`<img src="/logo.png"><form><input type="text" name="q"></form>`))
	serve("/foreign", page(`<img src="http://example.invalid/x.png" alt="Mappa">`))
	serve("/scripts", page(`<script nonce="n0nce">console.error("boom-console"); throw new Error("boom-exception");</script>
<script>window.inline = true;</script>`),
		"Content-Security-Policy", "default-src 'self'; script-src 'nonce-n0nce'")
	// A label floated over the heading before it (as Bootstrap Italia's
	// floating labels do), a visually hidden label on the same spot, and a
	// table wider than a phone.
	serve("/overlap", page(`<h2 style="margin:0;line-height:20px">I tuoi dati</h2>
<div style="position:relative;padding-top:4px"><label for="n" style="position:absolute;top:-14px;left:0">Nome</label>
<label for="n" style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);top:-14px">Nome</label><input id="n"></div>`))
	serve("/wide", page(`<table><tr><td style="min-width:600px">Agenda del giorno</td></tr></table>`))
	serve("/reveal", page(`<button type="button" id="more">Mostra</button><div id="extra"></div>
<script src="/reveal.js"></script>`))
	mux.HandleFunc("/reveal.js", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript")
		fmt.Fprint(w, `document.getElementById("more").addEventListener("click", () => {
	document.getElementById("extra").innerHTML = '<img src="/logo.png">';
});`)
	})
	mux.HandleFunc("/logo.png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		w.Write(onePixelPNG)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

// onePixelPNG is a transparent 1×1 PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\x00\x01\x00\x00\x05\x00\x01\r\n-\xb4\x00\x00\x00\x00IEND\xaeB`\x82")

func TestInspect_AccessiblePage_NoFindings(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	for _, width := range widths {
		r, err := b.Inspect(b.NewTab(t), ts.URL+"/ok", width)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != http.StatusOK || len(r.Violations) != 0 || len(r.ForeignRequests) != 0 || len(r.ConsoleErrors) != 0 {
			t.Errorf("width %d: want a clean 200, got %+v", width, r)
		}
	}
}

func TestInspect_ImageWithoutAltAndUnlabelledInput_ReportsBoth(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	r, err := b.Inspect(b.NewTab(t), ts.URL+"/bad", 360)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, v := range r.Violations {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || len(v.Nodes[0].Target) == 0 || v.Nodes[0].HTML == "" {
			t.Errorf("%s: want offending nodes with selector and markup, got %+v", v.ID, v.Nodes)
		}
	}
	for _, want := range []string{"image-alt", "label"} {
		if !slices.Contains(ids, want) {
			t.Errorf("want violation %q, got %v", want, ids)
		}
	}
}

func TestInspect_ImageFromOtherHost_ReportsForeignRequest(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	r, err := b.Inspect(b.NewTab(t), ts.URL+"/foreign", 1280)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.ForeignRequests) != 1 || !strings.Contains(r.ForeignRequests[0], "http://example.invalid/x.png") {
		t.Errorf("want one request to example.invalid, got %q", r.ForeignRequests)
	}
	if len(r.Violations) != 0 {
		t.Errorf("want no violations, got %v", r.Violations)
	}
}

func TestInspect_ScriptErrorsAndBlockedInlineScript_ReportConsoleErrors(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	r, err := b.Inspect(b.NewTab(t), ts.URL+"/scripts", 1280)
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(r.ConsoleErrors, "\n")
	for _, want := range []string{"boom-console", "boom-exception", "Content Security Policy"} {
		if !strings.Contains(all, want) {
			t.Errorf("want a console error containing %q, got:\n%s", want, all)
		}
	}
}

func TestCheckPages_AccessiblePages_PassAtBothWidths(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	b.CheckPages(t, ts.URL, []string{"/", "/ok"})
}

// errorRecorder is a testing.TB that keeps Errorf messages instead of failing,
// so a test can check that the harness reports a finding.
type errorRecorder struct {
	testing.TB
	errors []string
}

func (r *errorRecorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func TestAxe_ImageAddedByClick_ReportedForThatStep(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	ctx := b.NewTab(t)
	b.Run(t, ctx, chromedp.Navigate(ts.URL+"/reveal"))

	before := &errorRecorder{TB: t}
	b.Axe(before, ctx, "before click")
	if len(before.errors) != 0 {
		t.Errorf("before the click: want no findings, got %q", before.errors)
	}

	b.Run(t, ctx, chromedp.Click(chromedp.ID("more")), chromedp.WaitReady(chromedp.CSS("#extra img")))
	after := &errorRecorder{TB: t}
	b.Axe(after, ctx, "after click")
	if len(after.errors) != 1 || !strings.Contains(after.errors[0], "after click: accessibility: image-alt") ||
		!strings.Contains(after.errors[0], `<img src="/logo.png">`) {
		t.Errorf("after the click: want one image-alt finding for the added image, got %q", after.errors)
	}
}

func TestWatch_FlowThatLoadsForeignImage_ReportsItWhenTestEnds(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	var rec *errorRecorder
	t.Run("flow", func(t *testing.T) {
		rec = &errorRecorder{TB: t}
		ctx := b.NewTab(t)
		b.Watch(rec, ctx, ts.URL)
		b.Run(t, ctx, chromedp.Navigate(ts.URL+"/ok"), chromedp.Navigate(ts.URL+"/foreign"))
	})
	all := strings.Join(rec.errors, "\n")
	if !strings.Contains(all, "request to another origin: GET http://example.invalid/x.png") {
		t.Errorf("want the request to example.invalid reported, got:\n%s", all)
	}
}

func TestCheckLayout_LabelOverHeading_AndPageWiderThanAPhone(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	r, err := b.Inspect(b.NewTab(t), ts.URL+"/overlap", 360)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Layout.Overlaps) != 1 || !strings.Contains(r.Layout.Overlaps[0], "h2 «I tuoi dati» and label[for=n] «Nome» overlap") {
		t.Errorf("want the label over the heading, once (the visually hidden one is skipped), got %q", r.Layout.Overlaps)
	}
	if r, err = b.Inspect(b.NewTab(t), ts.URL+"/ok", 360); err != nil || len(r.Layout.Overlaps) != 0 || r.Layout.Overflow != 0 {
		t.Errorf("a plain page: %+v %v", r.Layout, err)
	}
	r, err = b.Inspect(b.NewTab(t), ts.URL+"/wide", 360)
	if err != nil {
		t.Fatal(err)
	}
	if r.Layout.Overflow < 200 {
		t.Errorf("want the table to overflow a 360 px phone, got %d px", r.Layout.Overflow)
	}
	if r, _ = b.Inspect(b.NewTab(t), ts.URL+"/wide", 1280); r.Layout.Overflow != 0 {
		t.Errorf("at 1280 px the table fits, got %d px", r.Layout.Overflow)
	}
}

func TestWithoutJavaScript_PageScriptsDoNotRun(t *testing.T) {
	b := New(t)
	ts := testServer(t)
	ctx := b.NewTab(t)
	b.Run(t, ctx, WithoutJavaScript(), chromedp.Navigate(ts.URL+"/reveal"), chromedp.Click(chromedp.ID("more")))
	if n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#extra img").length`)); err != nil || n != 0 {
		t.Errorf("the page's script reacted to the click: %d %v", n, err)
	}
}

func TestNew_NoChromium_SkipsUnlessRequired(t *testing.T) {
	// Spend the once-per-run stderr notice, so that this deliberate skip
	// does not announce missing browser tests in a run that has them.
	skipNotice.Do(func() {})
	var inner *testing.T
	t.Run("no chromium", func(t *testing.T) {
		inner = t
		t.Setenv("CHROMIUM_PATH", "/nonexistent/chromium")
		t.Setenv("REQUIRE_BROWSER", "")
		New(t)
		t.Error("New returned without a browser")
	})
	if !inner.Skipped() {
		t.Error("want the test skipped when chromium is missing")
	}
}

func TestAvailable_MissingChromiumPath_NotFound(t *testing.T) {
	t.Setenv("CHROMIUM_PATH", "/nonexistent/chromium")
	if path, ok := Available(); ok {
		t.Errorf("Available() = %q, true; want false for a CHROMIUM_PATH that does not exist", path)
	}
}
