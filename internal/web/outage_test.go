package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/web"
)

// stopDatabase makes the test's database unreachable for the portal, as
// a crashed or unreachable server would be: it refuses every new
// connection (ALLOW_CONNECTIONS false — superusers included, unlike
// CONNECTION LIMIT 0) and terminates every open one, the pool's and the
// change listener's. The returned function brings it back; it also runs
// when the test ends, before the database is dropped.
func stopDatabase(t *testing.T, e *testEnv) (restart func()) {
	t.Helper()
	ctx := context.Background()
	admin, err := pgx.Connect(ctx, dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	name := pgx.Identifier{e.Store.Pool().Config().ConnConfig.Database}.Sanitize()
	if _, err := admin.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS false`); err != nil {
		t.Fatal(err)
	}
	// Wait (up to 5 s each) until the backends are gone.
	if _, err := admin.Exec(ctx, `SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
		WHERE datname = $1 AND pid <> pg_backend_pid()`, e.Store.Pool().Config().ConnConfig.Database); err != nil {
		t.Fatal(err)
	}
	stopped := true
	restart = func() {
		if !stopped {
			return
		}
		stopped = false
		if _, err := admin.Exec(ctx, `ALTER DATABASE `+name+` ALLOW_CONNECTIONS true`); err != nil {
			t.Error(err)
		}
		admin.Close(ctx)
	}
	t.Cleanup(restart)
	return restart
}

// TestOutage_CachedPagesServedBookingAnswers503ThenResumes stops the
// database under a running portal: the public pages it has cached are
// served from their last good copy (200, even when the minute changed);
// the booking entry, a page never cached and a form post answer 503 with
// Retry-After and a page that says what happened; /readyz reports it.
// When the database is back everything resumes by itself.
func TestOutage_CachedPagesServedBookingAnswers503ThenResumes(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon), withOptions(func(o *web.Options) { o.PageCacheTTL = time.Hour }))
	saveOffices(t, e, realOffice())
	waitForListeners(t, e.Store, 1)
	cached := []string{"/", "/servizi/ufficio-della-cittadinanza", "/comuni", "/uffici/torgiano-test", "/comuni/torgiano"}
	before := map[string]string{}
	for _, p := range cached {
		status, body := e.get(p)
		if status != http.StatusOK {
			t.Fatalf("%s: %d", p, status)
		}
		before[p] = body
	}
	tok := e.csrf("/area-riservata/login") // the public form token

	restart := stopDatabase(t, e)
	if status, _ := e.get("/readyz"); status != http.StatusServiceUnavailable {
		t.Errorf("/readyz with the database stopped: %d", status)
	}
	// The office data in memory is trusted until the change listener
	// finds its connection gone (at once here: the server closed it).
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		if status, _ := e.get("/comuni/perugia"); status == http.StatusServiceUnavailable {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the portal never noticed that the database is gone")
		}
	}
	for round := range 2 {
		for _, p := range cached {
			status, body := e.get(p)
			if status != http.StatusOK || body != before[p] {
				t.Errorf("round %d, %s with the database stopped: %d (same page: %v)", round, p, status, body == before[p])
			}
		}
		e.clock.Add(time.Minute) // the office pages' copies are now from another minute
	}

	unavailable := func(resp *http.Response, body, path, want string) {
		t.Helper()
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d, Retry-After %q; want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
		}
		if !strings.Contains(body, want) {
			t.Errorf("%s: the page does not say %q", path, want)
		}
		if strings.Contains(body, "andato perso") {
			t.Errorf("%s claims that nothing was lost", path)
		}
	}
	get := func(path string) (*http.Response, string) {
		t.Helper()
		resp, err := e.Client.Get(e.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp, readAll(resp.Body)
	}
	resp, body := get("/prenota")
	unavailable(resp, body, "/prenota", "la prenotazione online non è disponibile")
	resp, body = get("/prenota?ufficio=torgiano-test")
	unavailable(resp, body, "/prenota?ufficio=…", "Prenotazione temporaneamente non disponibile")
	resp, body = get("/comuni/perugia") // never cached
	unavailable(resp, body, "/comuni/perugia", "Riprova tra qualche minuto")
	resp, body = e.post("/prenota/luogo", url.Values{"csrf_token": {tok}, "ufficio": {"torgiano-test"}})
	unavailable(resp, body, "POST /prenota/luogo", "Non abbiamo potuto salvare: riprova")

	// Back: nothing to restart in the portal.
	restart()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body := e.get("/prenota?ufficio=torgiano-test")
		if status == http.StatusOK && strings.Contains(body, "Torgiano") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/prenota after the database came back: %d", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if status, _ := e.get("/readyz"); status != http.StatusOK {
		t.Errorf("/readyz after the outage: %d", status)
	}
	// Changes show again (the listener reconnects; until then nothing is
	// cached), and the pages are cached again once it has.
	if _, err := e.Store.Pool().Exec(context.Background(), `UPDATE service_sheets SET title = 'Dopo il guasto'`); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if _, body := e.get("/servizi/ufficio-della-cittadinanza"); strings.Contains(body, "Dopo il guasto") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a change after the outage never showed")
		}
	}
	waitForListeners(t, e.Store, 1)
}
