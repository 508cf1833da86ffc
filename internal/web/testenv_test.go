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
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/seal"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
	"github.com/udc-umbria/portal/static"
)

// testEnv is a running portal on a database of its own (or shared with
// another instance), reached through real HTTP.
type testEnv struct {
	t      testing.TB
	Store  *store.Store
	Server *httptest.Server
	// Web is the portal behind Server, for calls that are not HTTP
	// requests (the periodic jobs).
	Web    *web.Server
	Client *http.Client
	// clock is what the server reads as the current time when the
	// environment has a test clock (atTime, withClock); nil means the
	// real clock. Copies of the environment share it.
	clock *testClock
}

// envSetup is what newTestEnv builds a portal from; envOptions change it.
type envSetup struct {
	// store shares the database of another instance; nil makes a new
	// database holding the default service sheet, as a fresh install has.
	store *store.Store
	// sheetAuthor is who the version of the default sheet is recorded as
	// imported by.
	sheetAuthor string
	clock       *testClock
	// outbox receives the e-mail events of the server's store (nil: no
	// e-mail is queued).
	outbox store.Outbox
	// web holds the server's options; Store and Now are filled in after
	// the options, then the withOptions functions run.
	web web.Options
	// late are the withOptions functions.
	late []func(*web.Options)
}

// envOption changes how newTestEnv builds a portal.
type envOption func(*envSetup)

// atTime fixes the server clock at now; setNow and clock.Add move it.
func atTime(now time.Time) envOption {
	return withClock(&testClock{now: now})
}

// withClock makes the server read the time from c, which the test moves.
func withClock(c *testClock) envOption {
	return func(s *envSetup) { s.clock = c }
}

// sharingStore makes the portal a second instance on the database of st
// (nil: a new database, as without the option).
func sharingStore(st *store.Store) envOption {
	return func(s *envSetup) { s.store = st }
}

// sheetImportedBy records the default sheet of a new database as
// imported by author (as the command line records "import-scheda").
func sheetImportedBy(author string) envOption {
	return func(s *envSetup) { s.sheetAuthor = author }
}

// withConfig changes the configuration the portal starts with.
func withConfig(f func(*config.Config)) envOption {
	return func(s *envSetup) { f(&s.web.Config) }
}

// withOutbox hands the e-mail events of the portal's store to o.
func withOutbox(o store.Outbox) envOption {
	return func(s *envSetup) { s.outbox = o }
}

// withOptions changes any other option of the server. f runs last, when
// Store (with its keys) and Now are set.
func withOptions(f func(*web.Options)) envOption {
	return func(s *envSetup) { s.late = append(s.late, f) }
}

// testBaseURL is the BASE_URL of every test portal.
const testBaseURL = "http://127.0.0.1"

// newTestEnv starts a portal, as in production: its background work runs
// (it listens for office changes) and it serves over real HTTP. Without
// options it has a new database holding the default service sheet and
// the real clock. This is the only place that builds web.Options for the
// tests: a new option is one more envOption.
func newTestEnv(t testing.TB, opts ...envOption) *testEnv {
	t.Helper()
	ctx := context.Background()
	assets, err := static.New()
	if err != nil {
		t.Fatal(err)
	}
	setup := envSetup{sheetAuthor: "test", web: web.Options{
		Config: config.Config{DatabaseURL: "unused", Addr: "127.0.0.1:0", BaseURL: testBaseURL, OwnerName: "Regione Umbria",
			OwnerURL: "https://www.regione.umbria.it/", PortalName: "Uffici della Cittadinanza", LogFormat: "text",
			SecretKeys: testKeys},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Assets: assets,
	}}
	for _, o := range opts {
		o(&setup)
	}
	st := setup.store
	if st == nil {
		st = store.New(dbtest.NewPool(t))
		if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), setup.sheetAuthor); err != nil {
			t.Fatal(err)
		}
	}
	st = st.WithKeys(setup.web.Config.SecretKeys)
	if setup.outbox != nil {
		st = st.WithOutbox(setup.outbox)
	}
	setup.web.Store = st
	if setup.clock != nil {
		setup.web.Now = setup.clock.Now
	}
	for _, f := range setup.late {
		f(&setup.web)
	}
	srv, err := web.New(ctx, setup.web)
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(context.Background())
	stopped := make(chan struct{})
	go func() { srv.Run(runCtx); close(stopped) }()
	t.Cleanup(func() { stop(); <-stopped })
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &testEnv{t: t, Store: st, Server: ts, Web: srv, Client: newJarClient(), clock: setup.clock}
}

// testKeys is the SECRET_KEY of the test portals (a fixed key: tests
// only).
var testKeys = seal.MustParse("d2ViIHRlc3RzIG9ubHk6IG5ldmVyIGluIHVzZSEhISE=")

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

// Now is the clock's current time.
func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Add moves the clock by d.
func (c *testClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to now.
func (c *testClock) Set(now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = now
}

// now is the time the server reads.
func (e *testEnv) now() time.Time {
	if e.clock == nil {
		return time.Now()
	}
	return e.clock.Now()
}

// setNow moves the clock of an environment made with a test clock.
func (e *testEnv) setNow(now time.Time) {
	e.t.Helper()
	if e.clock == nil {
		e.t.Fatal("setNow needs an environment with a test clock (atTime, withClock)")
	}
	e.clock.Set(now)
}

func newJarClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// fresh is the same server seen by another browser (an empty cookie jar).
func (e *testEnv) fresh() *testEnv {
	c := *e
	c.Client = newJarClient()
	return &c
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

// publicToken gives the browser a valid public form token — the
// double-submit cookie and its token, as the booking wizard's forms
// carry — even when it is logged in (the login page, which has one, then
// redirects), and returns the token.
func (e *testEnv) publicToken() string {
	e.t.Helper()
	other := e.fresh()
	tok := other.csrf("/area-riservata/login")
	u, err := url.Parse(e.Server.URL)
	if err != nil {
		e.t.Fatal(err)
	}
	e.Client.Jar.SetCookies(u, other.Client.Jar.Cookies(u))
	return tok
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
