package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// widths are the viewport widths CheckPages renders every page at: a small
// phone and a laptop.
var widths = []int{360, 1280}

// viewportHeight is the height of every emulated viewport.
const viewportHeight = 800

// mobileWidth is the widest viewport emulated as a mobile device.
const mobileWidth = 480

// Report is what Inspect found on one page at one width.
type Report struct {
	// Status is the HTTP status of the page's document.
	Status int64
	// Violations are the WCAG 2.1 A and AA rules the page breaks.
	Violations []Violation
	// ForeignRequests are requests to any origin other than the page's own,
	// as "METHOD URL (type)".
	ForeignRequests []string
	// ConsoleErrors are console.error calls, uncaught exceptions and
	// browser log errors, which include CSP violations and failed loads.
	ConsoleErrors []string
	// Layout is what the layout check found: overlapping labels, legends
	// and headings, sideways overflow (see CheckLayout).
	Layout Layout
}

// Inspect loads pageURL in the tab of ctx with a viewport width wide and
// reports what it finds. Only a failure to drive the browser is an error;
// findings are in the Report, so a caller can assert on them.
func (b *Browser) Inspect(ctx context.Context, pageURL string, width int) (Report, error) {
	origin, err := originOf(pageURL)
	if err != nil {
		return Report{}, err
	}
	rec := &recorder{origin: origin}
	// The listener lives only for this page; tabs are reused across calls.
	lctx, stopListening := context.WithCancel(ctx)
	defer stopListening()
	if err := chromedp.Listen(lctx, rec.handle); err != nil {
		return Report{}, fmt.Errorf("browsertest: listen: %w", err)
	}

	if err := chromedp.Do(ctx, SetViewport(width)); err != nil {
		return Report{}, err
	}
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(pageURL))
	if err != nil {
		return Report{}, fmt.Errorf("browsertest: load %s: %w", pageURL, err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`document.readyState === "complete"`)); err != nil {
		return Report{}, fmt.Errorf("browsertest: wait for %s: %w", pageURL, err)
	}
	vs, err := RunAxe(ctx)
	if err != nil {
		return Report{}, err
	}
	layout, err := CheckLayout(ctx)
	if err != nil {
		return Report{}, err
	}

	r := rec.report()
	r.Violations = vs
	r.Layout = layout
	if resp != nil {
		r.Status = resp.Status
	}
	return r, nil
}

// CheckPages loads every path under baseURL at widths 360 (as a phone) and
// 1280, each in a subtest named "path@width" with a fresh tab, and fails on
// any WCAG violation, overlapping labels, legends or headings, sideways
// overflow, request to another origin, console error, uncaught exception,
// CSP violation or HTTP error status. Zero findings is the bar.
func (b *Browser) CheckPages(t *testing.T, baseURL string, paths []string) {
	t.Helper()
	b.checkPages(t, baseURL, paths, widths, true)
}

// CheckPagesWithoutJavaScript is CheckPages for a visitor with JavaScript
// off, at 360 px only: above Bootstrap Italia's lg breakpoint the pages
// look the same with or without it. Subtests are named "path@360-nojs".
func (b *Browser) CheckPagesWithoutJavaScript(t *testing.T, baseURL string, paths []string) {
	t.Helper()
	b.checkPages(t, baseURL, paths, []int{360}, false)
}

func (b *Browser) checkPages(t *testing.T, baseURL string, paths []string, widths []int, js bool) {
	t.Helper()
	base := strings.TrimSuffix(baseURL, "/")
	suffix := ""
	if !js {
		suffix = "-nojs"
	}
	for _, path := range paths {
		for _, width := range widths {
			t.Run(fmt.Sprintf("%s@%d%s", path, width, suffix), func(t *testing.T) {
				ctx := b.NewTab(t)
				if !js {
					if err := chromedp.Do(ctx, WithoutJavaScript()); err != nil {
						t.Fatal(err)
					}
				}
				r, err := b.Inspect(ctx, base+path, width)
				if err != nil {
					t.Fatal(err)
				}
				if r.Status >= 400 {
					t.Errorf("%s@%d: HTTP %d (CheckPages expects pages that load; use Inspect to audit an error page)", path, width, r.Status)
				}
				for _, v := range r.Violations {
					t.Errorf("%s@%d: accessibility: %s", path, width, v)
				}
				for _, o := range r.Layout.Overlaps {
					t.Errorf("%s@%d: layout: %s", path, width, o)
				}
				if r.Layout.Overflow > 0 {
					t.Errorf("%s@%d: layout: the page is %d px wider than the viewport: %s", path, width, r.Layout.Overflow, strings.Join(r.Layout.Wide, ", "))
				}
				for _, req := range r.ForeignRequests {
					t.Errorf("%s@%d: request to another origin: %s", path, width, req)
				}
				for _, msg := range r.ConsoleErrors {
					t.Errorf("%s@%d: console: %s", path, width, msg)
				}
			})
		}
	}
}

// Watch records, from now until the test ends, every request the tab of ctx
// makes outside the origin of baseURL and every console error, and reports
// them as test errors when the test ends. It covers the steps of a flow that
// Inspect does not, such as scripts reacting to clicks.
func (b *Browser) Watch(t testing.TB, ctx context.Context, baseURL string) {
	t.Helper()
	origin, err := originOf(baseURL)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{origin: origin}
	if err := chromedp.Listen(ctx, rec.handle); err != nil {
		t.Fatalf("browsertest: listen: %v", err)
	}
	// Cleanups run last-in first-out, so this runs before NewTab closes
	// the tab.
	t.Cleanup(func() {
		r := rec.report()
		for _, req := range r.ForeignRequests {
			t.Errorf("request to another origin: %s", req)
		}
		for _, msg := range r.ConsoleErrors {
			t.Errorf("console: %s", msg)
		}
	})
}

// SetViewport emulates a viewport width pixels wide and 800 high; widths up
// to 480 are emulated as a mobile device, so the page's viewport meta tag
// and touch layout apply.
func SetViewport(width int) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width:             int64(width),
			Height:            viewportHeight,
			DeviceScaleFactor: 1,
			Mobile:            width <= mobileWidth,
		})
		if err != nil {
			return fmt.Errorf("browsertest: set viewport %d: %w", width, err)
		}
		return nil
	})
}

// recorder collects foreign requests and console errors from tab events.
// Its handle method runs in chromedp's read loop, so it only appends.
type recorder struct {
	origin string

	mu      sync.Mutex
	foreign []string
	console []string
}

func (r *recorder) handle(ev any) {
	var foreign, console string
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil && !r.allowed(ev.Request.URL) {
			foreign = fmt.Sprintf("%s %s (%s)", ev.Request.Method, ev.Request.URL, ev.Type)
		}
	case *runtime.EventExceptionThrown:
		console = "uncaught exception: " + exceptionText(ev.ExceptionDetails)
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			console = "console." + string(ev.Type) + ": " + argsText(ev.Args)
		}
	case *log.EventEntryAdded:
		// CSP violations and failed subresource loads arrive here, from
		// the browser rather than from page script. Chromium fetches /favicon.ico on its own for the first page of
		// an origin; its 404 says nothing about the page and would fail
		// only whichever check happened to run first.
		if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && !isImplicitFavicon(e) {
			console = fmt.Sprintf("%s: %s", e.Source, e.Text)
			if e.URL != "" {
				console += " (" + e.URL + ")"
			}
		}
	}
	if foreign == "" && console == "" {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if foreign != "" {
		r.foreign = append(r.foreign, foreign)
	}
	if console != "" {
		r.console = append(r.console, console)
	}
}

// isImplicitFavicon reports whether e is the failed load of the favicon
// that Chromium requests without being asked.
func isImplicitFavicon(e *log.Entry) bool {
	u, err := url.Parse(e.URL)
	return err == nil && e.Source == log.EntrySourceNetwork && u.Path == "/favicon.ico"
}

// report returns a copy of what was recorded so far.
func (r *recorder) report() Report {
	r.mu.Lock()
	defer r.mu.Unlock()
	return Report{
		ForeignRequests: append([]string(nil), r.foreign...),
		ConsoleErrors:   append([]string(nil), r.console...),
	}
}

// allowed reports whether a request to rawURL stays on the page's origin or
// needs no network at all.
func (r *recorder) allowed(rawURL string) bool {
	scheme, _, _ := strings.Cut(rawURL, ":")
	switch strings.ToLower(scheme) {
	case "data", "blob", "about":
		return true
	}
	origin, err := originOf(rawURL)
	return err == nil && origin == r.origin
}

// originOf returns scheme://host:port of an http(s) URL, with default ports
// dropped the way Chromium reports them.
func originOf(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", fmt.Errorf("browsertest: parse %q: %w", rawURL, err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("browsertest: %q has no host", rawURL)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(host, port)
	} else if strings.Contains(host, ":") {
		host = "[" + host + "]" // IPv6 literal
	}
	return scheme + "://" + host, nil
}

// exceptionText is the message of an uncaught exception with its location.
func exceptionText(d *runtime.ExceptionDetails) string {
	if d == nil {
		return "(no details)"
	}
	msg := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		// The description carries the stack; its first line is the
		// error itself.
		first, _, _ := strings.Cut(d.Exception.Description, "\n")
		msg += " " + first
	}
	if d.URL != "" {
		msg += fmt.Sprintf(" (%s:%d)", d.URL, d.LineNumber+1)
	}
	return msg
}

// argsText renders console arguments roughly as DevTools shows them.
func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case a == nil:
		case a.Type == runtime.RemoteObjectTypeString && len(a.Value) > 0:
			var s string
			if err := json.Unmarshal(a.Value, &s); err != nil {
				s = string(a.Value)
			}
			parts = append(parts, s)
		case a.Description != "":
			parts = append(parts, a.Description)
		case len(a.Value) > 0:
			parts = append(parts, string(a.Value))
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}
