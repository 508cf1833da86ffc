package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

// rawGet sends one request as a browser without a cookie would, and
// returns the answer with its body as sent (not decompressed).
func rawGet(t testing.TB, method, url string, header http.Header) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func gunzip(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// publicDocuments are the cached public pages of a fresh install with one
// office (realOffice); each must be a document.
var publicDocuments = []string{
	"/", "/servizi", "/servizi/ufficio-della-cittadinanza", "/servizi?argomento=assistenza-sociale", "/privacy", "/note-legali",
	"/dichiarazione-di-accessibilita", "/domande-frequenti", "/segnala-disservizio", "/comuni", "/comuni/torgiano",
	"/uffici/torgiano-test", "/opendata", "/opendata/uffici.json", "/opendata/uffici.csv",
}

// TestDocuments_CompressedETag304NoCookie is what `curl -sI` must show of
// every public page: ETag, Cache-Control public, Vary, gzip when accepted
// (brotli when preferred), no Set-Cookie, the same bytes for everyone, and
// 304 for a client that has them.
func TestDocuments_CompressedETag304NoCookie(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon))
	saveOffices(t, e, realOffice())
	for _, path := range publicDocuments {
		url := e.Server.URL + path
		// HEAD, as curl -sI sends.
		head, _ := rawGet(t, http.MethodHead, url, http.Header{"Accept-Encoding": {"gzip"}})
		if head.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s: %d", path, head.StatusCode)
			continue
		}
		gz, gzBody := rawGet(t, http.MethodGet, url, http.Header{"Accept-Encoding": {"gzip, deflate"}})
		for _, r := range []*http.Response{head, gz} {
			h := r.Header
			if h.Get("Content-Encoding") != "gzip" || !strings.HasPrefix(h.Get("Cache-Control"), "public, ") ||
				h.Get("Vary") != "Accept-Encoding" || !strings.HasSuffix(h.Get("Etag"), `-gz"`) {
				t.Errorf("%s %s: encoding %q, cache %q, vary %q, etag %q", r.Request.Method, path, h.Get("Content-Encoding"),
					h.Get("Cache-Control"), h.Get("Vary"), h.Get("Etag"))
			}
			if c := h.Values("Set-Cookie"); len(c) > 0 {
				t.Errorf("%s %s sets a cookie: %q", r.Request.Method, path, c)
			}
			if strings.Contains(h.Get("Content-Security-Policy"), "nonce") {
				t.Errorf("%s %s: per-request nonce in the CSP", r.Request.Method, path)
			}
		}
		plain := gunzip(t, gzBody)
		if strings.Contains(plain, "csrf_token") || strings.Contains(plain, "nonce=") {
			t.Errorf("%s: per-visitor token or nonce in the page", path)
		}
		if head.Header.Get("Etag") != gz.Header.Get("Etag") {
			t.Errorf("%s: HEAD and GET differ: %q %q", path, head.Header.Get("Etag"), gz.Header.Get("Etag"))
		}
		// Brotli when the client prefers it, and the identity for a client
		// that accepts no compression: the same page.
		br, brBody := rawGet(t, http.MethodGet, url, http.Header{"Accept-Encoding": {"gzip, deflate, br, zstd"}})
		if br.Header.Get("Content-Encoding") != "br" {
			t.Errorf("%s: encoding %q, want br", path, br.Header.Get("Content-Encoding"))
		} else if b, err := io.ReadAll(brotli.NewReader(bytes.NewReader(brBody))); err != nil || string(b) != plain {
			t.Errorf("%s: the brotli copy differs from the gzip one (%v)", path, err)
		}
		id, idBody := rawGet(t, http.MethodGet, url, nil)
		if id.Header.Get("Content-Encoding") != "" || string(idBody) != plain {
			t.Errorf("%s: without Accept-Encoding: encoding %q, %d bytes, want the %d of the page", path,
				id.Header.Get("Content-Encoding"), len(idBody), len(plain))
		}
		// 304 for any encoding's ETag of the same page.
		for _, etag := range []string{gz.Header.Get("Etag"), br.Header.Get("Etag"), "W/" + id.Header.Get("Etag")} {
			nm, nmBody := rawGet(t, http.MethodGet, url, http.Header{"Accept-Encoding": {"gzip"}, "If-None-Match": {etag}})
			if nm.StatusCode != http.StatusNotModified || len(nmBody) != 0 || nm.Header.Get("Etag") == "" {
				t.Errorf("%s with If-None-Match %s: %d, %d bytes", path, etag, nm.StatusCode, len(nmBody))
			}
		}
		if nm, _ := rawGet(t, http.MethodGet, url, http.Header{"If-None-Match": {`"another-page"`}}); nm.StatusCode != http.StatusOK {
			t.Errorf("%s with another ETag: %d", path, nm.StatusCode)
		}
	}
}

// TestDocuments_DynamicPagesCompressedAndUncached: the pages that are not
// documents (booking, staff, errors) keep their cookie and no-store, and
// are gzipped too.
func TestDocuments_DynamicPagesCompressedAndUncached(t *testing.T) {
	e := newTestEnv(t)
	for _, path := range []string{"/prenota", "/area-riservata/login", "/pagina-che-non-esiste"} {
		resp, body := rawGet(t, http.MethodGet, e.Server.URL+path, http.Header{"Accept-Encoding": {"gzip"}})
		if resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(gunzip(t, body), "</html>") {
			t.Errorf("%s: encoding %q", path, resp.Header.Get("Content-Encoding"))
		}
		if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("Etag") != "" {
			t.Errorf("%s: Cache-Control %q, ETag %q", path, resp.Header.Get("Cache-Control"), resp.Header.Get("Etag"))
		}
	}
	if resp, _ := rawGet(t, http.MethodGet, e.Server.URL+"/prenota", nil); len(resp.Header.Values("Set-Cookie")) == 0 {
		t.Error("the booking page lost its CSRF cookie")
	}
}

// TestDocuments_QueryParametersKeptOnlyWhenDeclared: parameters a page
// does not read share the page's copy (and never reach the handler);
// declared ones are variants; a value too long is served but not kept.
func TestDocuments_QueryParametersKeptOnlyWhenDeclared(t *testing.T) {
	e := newTestEnv(t)
	etag := func(path string) string {
		t.Helper()
		resp, body := rawGet(t, http.MethodGet, e.Server.URL+path, http.Header{"Accept-Encoding": {"gzip"}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", path, resp.StatusCode)
		}
		if strings.Contains(gunzip(t, body), "fbclid") {
			t.Errorf("%s: a parameter the page does not read reached it", path)
		}
		return resp.Header.Get("Etag")
	}
	if a, b := etag("/servizi"), etag("/servizi?fbclid=abc&utm_source=tv"); a != b {
		t.Errorf("/servizi with tracking parameters is another page: %s, %s", a, b)
	}
	if a, b := etag("/servizi"), etag("/servizi?argomento=assistenza-sociale&fbclid=x"); a == b {
		t.Error("the topic filter of /servizi is ignored")
	}
	if a, b := etag("/comuni?q=Torgi"), etag("/comuni?q=Torgi&fbclid=1"); a != b {
		t.Errorf("/comuni?q= with a tracking parameter is another page: %s, %s", a, b)
	}
	long := "/comuni?q=" + strings.Repeat("x", 101)
	resp, body := rawGet(t, http.MethodGet, e.Server.URL+long, http.Header{"Accept-Encoding": {"gzip"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(gunzip(t, body), "</html>") || resp.Header.Get("Etag") != "" {
		t.Errorf("a long query: %d, ETag %q (served, never kept)", resp.StatusCode, resp.Header.Get("Etag"))
	}
}

// TestDocuments_TimeDependentPages_NewCopyWhenTheMinuteChanges: an office
// page keeps its copy within a minute and is rendered again when the
// minute changes, so its "aperto ora" is never a minute old.
func TestDocuments_TimeDependentPages_NewCopyWhenTheMinuteChanges(t *testing.T) {
	e := newTestEnv(t, atTime(rome(2026, time.December, 1, 12, 59)))
	saveOffices(t, e, realOffice())
	get := func() (etag, body string) {
		resp, b := rawGet(t, http.MethodGet, e.Server.URL+"/uffici/torgiano-test", http.Header{"Accept-Encoding": {"gzip"}})
		return resp.Header.Get("Etag"), gunzip(t, b)
	}
	first, body := get()
	if st := statuses(body); len(st) != 1 || !strings.HasPrefix(st[0], "Aperto ora") {
		t.Fatalf("status at 12:59: %q", st)
	}
	e.clock.Add(40 * time.Second)
	if again, _ := get(); again != first {
		t.Errorf("a new copy within the minute: %s, then %s", first, again)
	}
	e.clock.Add(20 * time.Second) // 13:00
	next, body := get()
	if st := statuses(body); next == first || len(st) != 1 || !strings.HasPrefix(st[0], "Chiuso · riapre") {
		t.Errorf("status at 13:00: %q (etag %s, then %s)", st, first, next)
	}
}

// TestDocuments_TwoInstances_NeverStaleAfterACommit: two instances on one
// database serve cached pages; after a change commits, through the portal
// or behind its back (psql), neither serves the old page once the
// notification has arrived — within a second here, a few milliseconds in
// practice — and never again after showing the new one.
func TestDocuments_TwoInstances_NeverStaleAfterACommit(t *testing.T) {
	one := newTestEnv(t, atTime(tuesdayBeforeNoon), withOptions(func(o *web.Options) {
		o.OfficeCacheTTL, o.PageCacheTTL = time.Hour, time.Hour
	}))
	saveOffices(t, one, realOffice())
	two := newTestEnv(t, sharingStore(one.Store), atTime(tuesdayBeforeNoon), withOptions(func(o *web.Options) {
		o.OfficeCacheTTL, o.PageCacheTTL = time.Hour, time.Hour
	}))
	waitForListeners(t, one.Store, 2)
	ctx := context.Background()
	pool := one.Store.Pool()

	cases := []struct {
		name, path, want string
		change           string
	}{
		{"sheet", "/servizi/ufficio-della-cittadinanza", "Titolo cambiato con psql",
			`UPDATE service_sheets SET title = 'Titolo cambiato con psql'`},
		{"FAQ", "/domande-frequenti", "Domanda cambiata con psql",
			`UPDATE faq_items SET question = 'Domanda cambiata con psql' WHERE position = 1`},
		{"office hours", "/uffici/torgiano-test", "7:30–13:00",
			`UPDATE office_hours SET start_min = 450 WHERE weekday = 4`},
		{"closure on the Comune page", "/comuni/torgiano", "Chiuso per sciopero",
			`INSERT INTO office_closures (office_id, from_date, to_date, reason) SELECT id, '2026-12-01', '2026-12-01', 'Chiuso per sciopero' FROM offices`},
		{"list of services", "/servizi", "Titolo cambiato di nuovo",
			`UPDATE service_sheets SET title = 'Titolo cambiato di nuovo'`},
	}
	for _, c := range cases {
		// Both instances hold the page in memory before the change.
		for _, e := range []*testEnv{one, two} {
			for range 2 {
				if status, body := e.get(c.path); status != 200 || strings.Contains(body, c.want) {
					t.Fatalf("%s: %s before the change: %d", c.name, c.path, status)
				}
			}
		}
		if _, err := pool.Exec(ctx, c.change); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		committed := time.Now()
		for _, e := range []*testEnv{one, two} {
			seen := false
			for !seen {
				_, body := e.get(c.path)
				seen = strings.Contains(body, c.want)
				if !seen && time.Since(committed) > time.Second {
					t.Fatalf("%s: an instance still serves the old %s %v after the commit", c.name, c.path, time.Since(committed))
				}
			}
			for range 5 {
				if _, body := e.get(c.path); !strings.Contains(body, c.want) {
					t.Fatalf("%s: the old %s came back", c.name, c.path)
				}
			}
		}
	}
}

// TestDocuments_NothingCachedWhileNobodyListens: while an instance's
// change listener is away its pages are rendered for every request, so a
// change it cannot hear of shows at once; they are cached again when it
// is back.
func TestDocuments_NothingCachedWhileNobodyListens(t *testing.T) {
	e := newTestEnv(t, withOptions(func(o *web.Options) { o.PageCacheTTL = time.Hour }))
	waitForListeners(t, e.Store, 1)
	ctx := context.Background()
	pool := e.Store.Pool()
	silentTitle := func(title string) {
		t.Helper()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		// No triggers: nobody is told.
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE service_sheets SET title = $1`, title); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	shows := func(title string) bool {
		_, body := e.get("/servizi/ufficio-della-cittadinanza")
		return strings.Contains(body, title)
	}
	if !shows("Ufficio della Cittadinanza") {
		t.Fatal("sheet not shown")
	}
	silentTitle("Titolo che nessuno annuncia")
	if shows("Titolo che nessuno annuncia") {
		t.Fatal("the page is not cached")
	}
	// Cut the listener: from then on every request renders.
	var pid int
	if err := pool.QueryRow(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
		store.ListenQuery).Scan(&pid); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for !shows("Titolo che nessuno annuncia") {
		if time.Now().After(deadline) {
			t.Fatal("the cached page outlived the listener")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Reconnected (a second later), the instance caches again.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		var n int
		_ = pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query = $1`,
			store.ListenQuery).Scan(&n)
		if n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the listener never came back")
		}
	}
	time.Sleep(100 * time.Millisecond)
	shows("Titolo che nessuno annuncia")
	silentTitle("Secondo titolo che nessuno annuncia")
	if shows("Secondo titolo") {
		t.Error("pages are not cached again once the listener is back")
	}
}
