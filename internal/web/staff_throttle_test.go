package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/web"
)

// behindProxy makes the test server's own address (127.0.0.1) a trusted
// proxy, so each request's X-Forwarded-For names its client.
func behindProxy() envOption {
	return withConfig(func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}
	})
}

// withPasswordGate gives the portal its own password gate, for tests that
// read its peak or need a longer wait than a loaded machine allows.
func withPasswordGate(g *auth.PasswordGate) envOption {
	return withOptions(func(o *web.Options) { o.PasswordGate = g })
}

// postFrom submits a form as a browser on this site would, from the
// client address client (sent as X-Forwarded-For through the trusted
// proxy), and returns the status and body.
func (e *testEnv) postFrom(client, path string, form url.Values) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	req.Header.Set("X-Forwarded-For", client)
	resp, err := e.Client.Do(req)
	if err != nil {
		e.t.Errorf("POST %s: %v", path, err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// burst sends n requests at the same moment and counts their statuses.
func burst(n int, send func(i int) int) map[int]int {
	var (
		mu     sync.Mutex
		counts = map[int]int{}
		start  = make(chan struct{})
		wg     sync.WaitGroup
	)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status := send(i)
			mu.Lock()
			counts[status]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return counts
}

func TestStaffLogin_FortyParallelWrongPasswords_FiveChecked_OwnerOnAnotherClientStillLogsIn(t *testing.T) {
	e := newTestEnv(t, behindProxy(), withPasswordGate(auth.NewPasswordGate(2, time.Minute)))
	_, pw := addStaff(t, e.Store, "vittima@example.org", auth.RoleAdmin)
	stranger := e.fresh()
	tok := stranger.csrf("/area-riservata/login")
	owner := e.fresh()
	ownerTok := owner.csrf("/area-riservata/login")

	var ownerStatus int
	var ownerDone sync.WaitGroup
	ownerDone.Add(1)
	counts := burst(40, func(i int) int {
		if i == 20 {
			// The owner logs in from another client in the middle of the burst.
			go func() {
				defer ownerDone.Done()
				ownerStatus, _ = owner.postFrom("198.51.100.10", "/area-riservata/login",
					url.Values{"email": {"vittima@example.org"}, "password": {pw}, "csrf_token": {ownerTok}})
			}()
		}
		status, _ := stranger.postFrom("203.0.113.66", "/area-riservata/login",
			url.Values{"email": {"vittima@example.org"}, "password": {fmt.Sprintf("sbagliata numero %d", i)}, "csrf_token": {tok}})
		return status
	})
	ownerDone.Wait()
	if counts[http.StatusUnprocessableEntity] != auth.MaxAccountFailures || counts[http.StatusTooManyRequests] != 40-auth.MaxAccountFailures {
		t.Errorf("40 wrong passwords at once: %v, want exactly %d checked (422) and the rest refused (429)", counts, auth.MaxAccountFailures)
	}
	if ownerStatus != http.StatusSeeOther {
		t.Errorf("the owner on another client got %d during the burst, want 303 (logged in)", ownerStatus)
	}
	var failures int
	if err := e.Store.Pool().QueryRow(context.Background(),
		`SELECT count(*) FROM login_attempts WHERE ip = '203.0.113.66' AND NOT success`).Scan(&failures); err != nil {
		t.Fatal(err)
	}
	if failures != auth.MaxAccountFailures {
		t.Errorf("%d failures recorded for the stranger, want %d", failures, auth.MaxAccountFailures)
	}
	// Still locked for the stranger, even with the right password; the
	// owner's success did not reset the stranger's count.
	if status, body := stranger.postFrom("203.0.113.66", "/area-riservata/login",
		url.Values{"email": {"vittima@example.org"}, "password": {pw}, "csrf_token": {tok}}); status != http.StatusTooManyRequests ||
		!strings.Contains(body, "Troppi tentativi. Riprova tra 15 minuti.") {
		t.Errorf("stranger with the right password: %d", status)
	}
}

func TestStaffLogin_AddressCeilingOverManyClients_AuditedForAdministrators(t *testing.T) {
	e := newTestEnv(t, behindProxy())
	ctx := context.Background()
	victim, pw := addStaff(t, e.Store, "vittima@example.org", auth.RoleOperator)
	_, adminPw := addStaff(t, e.Store, "admin@example.org", auth.RoleAdmin)
	// Failures spread over many clients, each under its own lock, up to
	// one short of the ceiling.
	for i := range auth.MaxAddressFailures - 1 {
		if _, v, err := e.Store.BeginLoginAttempt(ctx, "vittima@example.org", fmt.Sprintf("10.20.%d.%d", i/4, i%4), time.Now()); err != nil || v != auth.Allowed {
			t.Fatalf("seeding failure %d: %v %v", i+1, v, err)
		}
	}
	c := e.fresh()
	tok := c.csrf("/area-riservata/login")
	login := func(client, password string) int {
		status, _ := c.postFrom(client, "/area-riservata/login", url.Values{"email": {"vittima@example.org"}, "password": {password}, "csrf_token": {tok}})
		return status
	}
	if status := login("192.0.2.100", "ancora sbagliata"); status != http.StatusUnprocessableEntity {
		t.Fatalf("the failure reaching the ceiling: %d, want 422", status)
	}
	// Over the ceiling the address is blocked for every client.
	if status := login("192.0.2.101", pw); status != http.StatusTooManyRequests {
		t.Fatalf("over the ceiling: %d, want 429", status)
	}
	admin := e.fresh()
	admin.mustLogin("admin@example.org", adminPw)
	status, body := admin.get("/area-riservata/registro?azione=login_ceiling")
	if status != http.StatusOK || !strings.Contains(body, "Troppi accessi falliti su un account da più client") ||
		!strings.Contains(body, fmt.Sprintf("Account n. %d", victim.ID)) || !strings.Contains(body, "Il portale (controllo degli accessi)") {
		t.Fatalf("audit page: %d, no ceiling event for the account", status)
	}
	if strings.Contains(body, "10.20.") || strings.Contains(body, "192.0.2.") {
		t.Error("the audit event shows client addresses")
	}
}

func TestStaffLogin_TwoHundredParallel_PasswordChecksNeverExceedTheGate(t *testing.T) {
	gate := auth.NewPasswordGate(2, 300*time.Millisecond)
	e := newTestEnv(t, behindProxy(), withPasswordGate(gate))
	c := e.fresh()
	tok := c.csrf("/area-riservata/login")
	counts := burst(200, func(i int) int {
		status, body := c.postFrom(fmt.Sprintf("198.51.%d.%d", i/200, i%200+1), "/area-riservata/login",
			url.Values{"email": {fmt.Sprintf("persona%d@example.org", i)}, "password": {"una password sbagliata"}, "csrf_token": {tok}})
		if status == http.StatusTooManyRequests && !strings.Contains(body, "Troppe richieste in questo momento: riprova tra poco.") {
			t.Errorf("429 without the busy message")
		}
		return status
	})
	if peak := gate.Peak(); peak < 1 || peak > gate.Size() {
		t.Errorf("peak of concurrent argon2id computations %d, want 1..%d", peak, gate.Size())
	}
	if counts[http.StatusUnprocessableEntity] == 0 || counts[http.StatusUnprocessableEntity]+counts[http.StatusTooManyRequests] != 200 {
		t.Errorf("statuses %v: want only 422 (checked) and 429 (no free check in time), some checked", counts)
	}
	// The refused ones were not counted against anyone.
	var recorded int
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM login_attempts`).Scan(&recorded); err != nil {
		t.Fatal(err)
	}
	if recorded != counts[http.StatusUnprocessableEntity] {
		t.Errorf("%d attempts recorded, want the %d checked", recorded, counts[http.StatusUnprocessableEntity])
	}
}

func TestStaffTOTPDisable_AsksPasswordAndCode(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock))
	u, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	e.mustLogin("a@example.org", pw)
	const secret = "JBSWY3DPEHPK3PXP"
	if err := e.Store.EnableTOTP(context.Background(), u.ID, secret, 0); err != nil {
		t.Fatal(err)
	}
	status, body := e.get("/area-riservata/sicurezza")
	if status != http.StatusOK || !strings.Contains(body, `autocomplete="current-password"`) || !strings.Contains(body, `name="code"`) {
		t.Fatalf("security page: %d, the form must ask password and code", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	code, _ := auth.TOTPCode(secret, clock.Now())
	for name, form := range map[string]url.Values{
		"no password":    {"code": {code}},
		"wrong password": {"code": {code}, "password": {"non è la mia password"}},
	} {
		form.Set("csrf_token", tok)
		resp, body := e.post("/area-riservata/sicurezza/totp/disattiva", form)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, resp.StatusCode)
		}
		if name == "wrong password" && !strings.Contains(body, "La password o il codice non sono corretti") {
			t.Errorf("%s: no message", name)
		}
	}
	if after, _ := e.Store.StaffByID(context.Background(), u.ID); !after.TOTPEnabled {
		t.Fatal("second factor turned off without the password")
	}
	clock.Add(30 * time.Second)
	code, _ = auth.TOTPCode(secret, clock.Now())
	resp, _ := e.post("/area-riservata/sicurezza/totp/disattiva", url.Values{"code": {code}, "password": {pw}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("password and code: %d, want 303", resp.StatusCode)
	}
	if after, _ := e.Store.StaffByID(context.Background(), u.ID); after.TOTPEnabled {
		t.Fatal("second factor still on")
	}
}

func TestStaffTOTPDisable_SixtyWrongCodesAtOnce_OnlyTheLimitChecked_ThenValidCodeRefused(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock), withPasswordGate(auth.NewPasswordGate(2, time.Minute)))
	u, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	e.mustLogin("a@example.org", pw)
	const secret = "JBSWY3DPEHPK3PXP"
	if err := e.Store.EnableTOTP(context.Background(), u.ID, secret, 0); err != nil {
		t.Fatal(err)
	}
	_, body := e.get("/area-riservata/sicurezza")
	tok := csrfRE.FindStringSubmatch(body)[1]
	counts := burst(60, func(i int) int {
		resp, _ := e.post("/area-riservata/sicurezza/totp/disattiva",
			url.Values{"code": {fmt.Sprintf("%06d", i)}, "password": {pw}, "csrf_token": {tok}})
		return resp.StatusCode
	})
	if counts[http.StatusUnprocessableEntity] > auth.MaxAccountFailures ||
		counts[http.StatusUnprocessableEntity]+counts[http.StatusTooManyRequests] != 60 {
		t.Fatalf("60 codes at once: %v, want at most %d checked (422), the rest refused (429)", counts, auth.MaxAccountFailures)
	}
	// Within the lock window, the right code is refused too.
	clock.Add(time.Minute)
	code, _ := auth.TOTPCode(secret, clock.Now())
	resp, body := e.post("/area-riservata/sicurezza/totp/disattiva", url.Values{"code": {code}, "password": {pw}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Troppi tentativi") {
		t.Fatalf("valid code in the lock window: %d, want 429", resp.StatusCode)
	}
	if after, _ := e.Store.StaffByID(context.Background(), u.ID); !after.TOTPEnabled {
		t.Fatal("second factor turned off during the lock")
	}
	// After the window it works.
	clock.Add(auth.ThrottleWindow)
	code, _ = auth.TOTPCode(secret, clock.Now())
	if resp, _ := e.post("/area-riservata/sicurezza/totp/disattiva", url.Values{"code": {code}, "password": {pw}, "csrf_token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("after the window: %d, want 303", resp.StatusCode)
	}
}
