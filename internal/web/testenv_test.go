package web_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
	"github.com/udc-umbria/portal/static"
)

// testEnv is a running portal on a fresh database, reached through real
// HTTP.
type testEnv struct {
	t      testing.TB
	Store  *store.Store
	Server *httptest.Server
	// Web is the portal behind Server, for calls that are not HTTP
	// requests (the periodic jobs).
	Web    *web.Server
	Client *http.Client
	Now    time.Time
	// clock is what the server reads as the current time (see setNow);
	// a pointer, so that copies of the environment share it.
	clock *atomic.Pointer[time.Time]
}

// newTestEnv starts a portal on its own database with the default sheet.
// now fixes the clock (setNow moves it); zero means the real clock. opts
// adjust the server's options.
func newTestEnv(t testing.TB, now time.Time, opts ...func(*web.Options)) *testEnv {
	t.Helper()
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test"); err != nil {
		t.Fatal(err)
	}
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Config{DatabaseURL: "unused", Addr: "127.0.0.1:0", BaseURL: "http://127.0.0.1", OwnerName: "Regione Umbria",
		OwnerURL: "https://www.regione.umbria.it/", PortalName: "Uffici della Cittadinanza", LogFormat: "text"}
	e := &testEnv{t: t, Store: st, Now: now, clock: new(atomic.Pointer[time.Time])}
	var clock func() time.Time
	if !now.IsZero() {
		e.clock.Store(&now)
		clock = func() time.Time { return *e.clock.Load() }
	}
	o := web.Options{Config: cfg, Store: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Assets: assets, Now: clock}
	for _, f := range opts {
		f(&o)
	}
	srv, err := web.New(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { srv.Run(runCtx); close(stopped) }()
	t.Cleanup(func() { stop(); <-stopped })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	e.Server, e.Client, e.Web = ts, client, srv
	return e
}

// setNow moves the fixed clock of an environment made with a non-zero now.
func (e *testEnv) setNow(now time.Time) {
	e.t.Helper()
	if e.clock.Load() == nil {
		e.t.Fatal("setNow needs an environment with a fixed clock")
	}
	e.Now = now
	e.clock.Store(&now)
}

// get fetches path and returns status and body.
func (e *testEnv) get(path string) (int, string) {
	e.t.Helper()
	resp, err := e.Client.Get(e.Server.URL + path)
	if err != nil {
		e.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post submits a form as a browser on this site would (same-origin).
func (e *testEnv) post(path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := e.Client.Do(req)
	if err != nil {
		e.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

// csrf loads path and returns the form token it carries.
func (e *testEnv) csrf(path string) string {
	e.t.Helper()
	_, body := e.get(path)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		e.t.Fatalf("no csrf token on %s", path)
	}
	return m[1]
}
