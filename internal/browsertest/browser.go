// Package browsertest drives a headless Chromium from Go tests. It checks
// rendered pages for WCAG violations with axe-core, for requests to other
// hosts and for JavaScript and Content-Security-Policy errors.
//
// A test starts one browser with [New] and checks a list of pages with
// [Browser.CheckPages]. Multi-step flows open a tab with [Browser.NewTab],
// drive it with [Browser.Run] and audit each step with [Browser.Axe].
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// tabTimeout bounds everything a single tab does, so that a page that never
// finishes loading fails the test instead of hanging it.
const tabTimeout = 60 * time.Second

// startTimeout bounds the start of the browser process.
const startTimeout = 30 * time.Second

// skipMessage is shouted when Chromium is missing, because a skipped browser
// test looks like a passing one in a summary.
const skipMessage = "SKIPPING BROWSER TESTS: chromium not found; install the Debian package chromium"

// candidates are the executables that Available tries after CHROMIUM_PATH.
var candidates = []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"}

// Available reports the Chromium executable the harness would use. The
// environment variable CHROMIUM_PATH, when set, is the only candidate, so
// that a wrong value is noticed rather than silently replaced by another
// browser; otherwise /usr/bin/chromium, chromium, chromium-browser and
// google-chrome are tried in order.
func Available() (path string, ok bool) {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		found, err := exec.LookPath(p)
		if err != nil {
			return p, false
		}
		return found, true
	}
	for _, c := range candidates {
		if found, err := exec.LookPath(c); err == nil {
			return found, true
		}
	}
	return "", false
}

// Browser is one headless Chromium process shared by the tabs of a test.
type Browser struct {
	// ctx is the chromedp context of the browser's first tab; tabs are
	// derived from it so that they share the process.
	ctx context.Context
}

var skipNotice sync.Once

// New starts a headless Chromium and stops it when the test ends. Without
// Chromium it skips the test, or fails it when REQUIRE_BROWSER=1, which CI
// sets wherever it could install the browser.
func New(t testing.TB) *Browser {
	t.Helper()
	path, ok := Available()
	if !ok {
		if os.Getenv("REQUIRE_BROWSER") == "1" {
			t.Fatalf("REQUIRE_BROWSER=1 but chromium not found (CHROMIUM_PATH=%q); install the Debian package chromium", os.Getenv("CHROMIUM_PATH"))
		}
		// t.Skip output only shows with -v; stderr at least reaches a
		// developer running go test in the package directory.
		skipNotice.Do(func() { fmt.Fprintln(os.Stderr, "!!! "+skipMessage) })
		t.Skip(skipMessage)
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		// Tests run as root in containers, where the sandbox cannot start.
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Every host name fails to resolve, so a page that refers to a
		// third-party host is reported without the test waiting on DNS or
		// the network. The test servers listen on IP literals, which skip
		// the resolver.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1, EXCLUDE [::1]"),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	stop := func() {
		cancelCtx()
		cancelAlloc()
	}

	// The first Do starts the process and binds it to ctx, so it must not
	// run under a timeout context; guard it from the outside instead.
	started := make(chan error, 1)
	go func() { started <- chromedp.Do(ctx) }()
	select {
	case err := <-started:
		if err != nil {
			stop()
			t.Fatalf("browsertest: start %s: %v", path, err)
		}
	case <-time.After(startTimeout):
		stop()
		t.Fatalf("browsertest: start %s: no answer after %s", path, startTimeout)
	}
	t.Cleanup(stop)
	return &Browser{ctx: ctx}
}

// NewTab opens a tab that closes when the test ends. The returned context
// expires after a minute, so a stuck page fails the test rather than hanging
// it.
func (b *Browser) NewTab(t testing.TB) context.Context {
	t.Helper()
	timeoutCtx, cancelTimeout := context.WithTimeout(b.ctx, tabTimeout)
	ctx, cancelTab := chromedp.NewContext(timeoutCtx)
	t.Cleanup(func() {
		cancelTab()
		cancelTimeout()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browsertest: open tab: %v", err)
	}
	return ctx
}

// Run runs the actions in the tab of ctx and fails the test at the first
// error.
func (b *Browser) Run(t testing.TB, ctx context.Context, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("browsertest: run: %v", err)
	}
}
