package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

// addStaff creates an account with a password, as if the person had used
// their link, and returns the password.
func addStaff(t testing.TB, st *store.Store, email string, role auth.Role, offices ...int64) (store.StaffUser, string) {
	t.Helper()
	ctx := context.Background()
	u, token, err := st.CreateStaff(ctx, 0, store.NewStaff{Email: email, Name: "Persona " + string(role), Role: role, OfficeIDs: offices}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	pw := auth.RandomPassword()
	hash, err := auth.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.SetPasswordWithToken(ctx, token, hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	u, _ = st.StaffByID(ctx, u.ID)
	return u, pw
}

// addOffice inserts a minimal office and returns its id.
func addOffice(t testing.TB, st *store.Store, slug, name string) int64 {
	t.Helper()
	var id int64
	err := st.Pool().QueryRow(context.Background(), `INSERT INTO offices (slug, name, seat_istat, address, cap, phone)
		VALUES ($1, $2, '054039', 'Via della Prova 1', '06121', '075 0000000') RETURNING id`, slug, name).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// login submits the login form as a browser would.
func (e *testEnv) login(email, password string) (*http.Response, string) {
	e.t.Helper()
	tok := e.csrf("/area-riservata/login")
	return e.post("/area-riservata/login", url.Values{"email": {email}, "password": {password}, "csrf_token": {tok}})
}

// mustLogin logs in and fails the test unless it lands on the dashboard.
func (e *testEnv) mustLogin(email, password string) {
	e.t.Helper()
	resp, body := e.login(email, password)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata" {
		e.t.Fatalf("login %s: status %d location %q\n%s", email, resp.StatusCode, resp.Header.Get("Location"), problemOf(body))
	}
}

// staffCookie returns the staff session cookie held by the client.
func (e *testEnv) staffCookie() *http.Cookie {
	u, _ := url.Parse(e.Server.URL + "/area-riservata/")
	for _, c := range e.Client.Jar.Cookies(u) {
		if c.Name == "udc_staff" {
			return c
		}
	}
	return nil
}

// getWithCookie fetches path with only the given cookie, as another
// browser holding a copy of it would.
func getWithCookie(t testing.TB, base, path string, c *http.Cookie) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	resp, err := newJarClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

var problemRE = regexp.MustCompile(`(?s)id="error-summary".*?</div>`)

// problemOf extracts the error summary of a page, for failure messages.
func problemOf(body string) string { return problemRE.FindString(body) }

func TestStaffLogin_RightPassword_DashboardWithNameRoleAndOffices(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	addOffice(t, e.Store, "udc-b", "UdC di Beta")
	_, pw := addStaff(t, e.Store, "Op@Example.org", auth.RoleOperator, a)
	if status, body := e.get("/area-riservata/login"); status != 200 || !strings.Contains(body, `autocomplete="current-password"`) {
		t.Fatalf("login page: %d", status)
	}
	resp, _ := e.login("  op@example.ORG ", pw)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata" {
		t.Fatalf("status %d location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "udc_staff" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/area-riservata" || cookie.Secure {
		t.Fatalf("session cookie %+v", cookie)
	}
	status, body := e.get("/area-riservata")
	if status != 200 {
		t.Fatalf("dashboard %d", status)
	}
	for _, want := range []string{"Benvenuto, Persona operatore", "Operatore", `href="/area-riservata/uffici/` + fmt.Sprint(a) + `"`, "UdC di Alfa", "Esci"} {
		if !strings.Contains(body, want) {
			t.Errorf("dashboard lacks %q", want)
		}
	}
	if strings.Contains(body, "UdC di Beta") || strings.Contains(body, "/area-riservata/utenti") {
		t.Error("operatore sees another office or the admin pages")
	}
	// Already logged in: the login form leads to the dashboard.
	if resp, err := e.Client.Get(e.Server.URL + "/area-riservata/login"); err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Errorf("login page when logged in: %v %v", resp.StatusCode, err)
	}
}

func TestStaffLogin_Secure_CookieOverTLS(t *testing.T) {
	e := newTestEnv(t, withConfig(func(c *config.Config) { c.BaseURL = "https://udc.example.org" }))
	_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	// The public CSRF cookie is Secure too, so the jar over plain HTTP
	// would not send it back: pass both cookies by hand.
	resp, err := e.Client.Get(e.Server.URL + "/area-riservata/login")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	tok := csrfRE.FindStringSubmatch(string(b))[1]
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/area-riservata/login",
		strings.NewReader(url.Values{"email": {"a@example.org"}, "password": {pw}, "csrf_token": {tok}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	for _, c := range resp.Cookies() {
		req.AddCookie(c)
	}
	resp, err = newJarClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, c := range resp.Cookies() {
		if c.Name == "udc_staff" {
			if !c.Secure || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Fatalf("cookie %+v", c)
			}
			return
		}
	}
	t.Fatalf("no session cookie (status %d)", resp.StatusCode)
}

func TestStaffLogin_WrongPasswordAndUnknownEmail_SameGenericMessage(t *testing.T) {
	e := newTestEnv(t)
	addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	wrongResp, wrong := e.login("a@example.org", "password sbagliata")
	unknownResp, unknown := e.fresh().login("nessuno@example.org", "password sbagliata")
	for name, c := range map[string]struct {
		status int
		body   string
	}{"wrong password": {wrongResp.StatusCode, wrong}, "unknown e-mail": {unknownResp.StatusCode, unknown}} {
		if c.status != http.StatusUnprocessableEntity || !strings.Contains(c.body, "E-mail o password non corretti.") {
			t.Errorf("%s: status %d\n%s", name, c.status, problemOf(c.body))
		}
		if strings.Contains(c.body, "Troppi tentativi") {
			t.Errorf("%s: throttled too early", name)
		}
	}
	if problemOf(wrong) != problemOf(unknown) {
		t.Errorf("the two messages differ:\n%s\n%s", problemOf(wrong), problemOf(unknown))
	}
	// The e-mail typed is kept, the password never.
	if !strings.Contains(wrong, `value="a@example.org"`) || strings.Contains(wrong, "password sbagliata") {
		t.Error("form must keep the e-mail and drop the password")
	}
	// Empty fields: messages next to the fields, summary linking to them.
	_, body := e.post("/area-riservata/login", url.Values{"csrf_token": {e.csrf("/area-riservata/login")}})
	for _, want := range []string{`href="#email"`, `href="#password"`, `id="email-error"`, "Inserisci la password."} {
		if !strings.Contains(body, want) {
			t.Errorf("empty form lacks %q", want)
		}
	}
}

func TestStaffLogin_SixthAttemptBlocked_AlsoFromFreshBrowser(t *testing.T) {
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	for i := 1; i <= 5; i++ {
		resp, body := e.login("a@example.org", fmt.Sprintf("tentativo sbagliato %d", i))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "E-mail o password non corretti.") {
			t.Fatalf("attempt %d: %d", i, resp.StatusCode)
		}
	}
	// Sixth attempt, right password, from another browser: still blocked.
	resp, body := e.fresh().login("a@example.org", pw)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Troppi tentativi. Riprova tra 15 minuti.") {
		t.Fatalf("sixth attempt: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if e.fresh().staffCookie() != nil {
		t.Fatal("blocked attempt logged in")
	}
	// Another account from the same address is not blocked by this one.
	_, pw2 := addStaff(t, e.Store, "b@example.org", auth.RoleEditor)
	e.fresh().mustLogin("b@example.org", pw2)
}

func TestStaffLogin_SixthAttemptAfterWindow_Allowed(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock))
	_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	for i := 0; i < 5; i++ {
		e.login("a@example.org", "sbagliata sbagliata")
	}
	if resp, _ := e.login("a@example.org", pw); resp.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", resp.StatusCode)
	}
	clock.Add(auth.ThrottleWindow + time.Second)
	e.mustLogin("a@example.org", pw)
}

func TestStaffLogin_PerIPLimit_TwentyFailuresBlockTheAddress(t *testing.T) {
	e := newTestEnv(t, behindProxy())
	_, pw := addStaff(t, e.Store, "vero@example.org", auth.RoleEditor)
	loginFrom := func(ip, email, password string) int {
		tok := e.csrf("/area-riservata/login")
		req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/area-riservata/login",
			strings.NewReader(url.Values{"email": {email}, "password": {password}, "csrf_token": {tok}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("X-Forwarded-For", "10.0.0.1, "+ip) // the left-most hop is the client's own word
		resp, err := e.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	// Ten different e-mails, two attempts each: no account limit is hit.
	for i := 0; i < 20; i++ {
		if got := loginFrom("203.0.113.7", fmt.Sprintf("utente%d@example.org", i%10), "sbagliata sbagliata"); got != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: %d", i+1, got)
		}
	}
	if got := loginFrom("203.0.113.7", "vero@example.org", pw); got != http.StatusTooManyRequests {
		t.Fatalf("21st attempt from the address: %d, want 429", got)
	}
	e.Client = newJarClient()
	if got := loginFrom("203.0.113.8", "vero@example.org", pw); got != http.StatusSeeOther {
		t.Fatalf("another address: %d, want 303", got)
	}
}

func TestStaffCSRF_PostWithoutSessionToken_403(t *testing.T) {
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleAdmin)
	e.mustLogin("a@example.org", pw)
	// The public double-submit token is not the staff token.
	public := e.publicToken()
	for _, form := range []url.Values{{}, {"csrf_token": {"falso"}}, {"csrf_token": {public}}} {
		resp, body := e.post("/area-riservata/esci", form)
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "Richiesta non valida") {
			t.Errorf("token %q: status %d", form.Get("csrf_token"), resp.StatusCode)
		}
		resp, _ = e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"redattore"},
			"csrf_token": form["csrf_token"]})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("invite with token %q: status %d", form.Get("csrf_token"), resp.StatusCode)
		}
	}
	if _, err := e.Store.StaffByEmail(context.Background(), "x@example.org"); err == nil {
		t.Error("an invite without token created an account")
	}
	if status, _ := e.get("/area-riservata"); status != 200 {
		t.Errorf("still logged in? %d", status)
	}
	// With the session's token it works.
	tok := e.csrf("/area-riservata")
	if resp, _ := e.post("/area-riservata/esci", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("logout with token: %d", resp.StatusCode)
	}
}

func TestStaffRoles_OnlyAdministratorsManageStaff(t *testing.T) {
	e := newTestEnv(t)
	office := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	_, edPw := addStaff(t, e.Store, "ed@example.org", auth.RoleEditor)
	_, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, office)
	_, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	adminOnly := []string{"/area-riservata/utenti", "/area-riservata/utenti/nuovo", "/area-riservata/registro", "/area-riservata/utenti/1"}
	for _, c := range []struct{ email, pw string }{{"ed@example.org", edPw}, {"op@example.org", opPw}} {
		b := e.fresh()
		b.mustLogin(c.email, c.pw)
		for _, p := range adminOnly {
			if status, _ := b.get(p); status != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", c.email, p, status)
			}
		}
		tok := b.csrf("/area-riservata")
		resp, _ := b.post("/area-riservata/utenti/nuovo", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"amministratore"}, "csrf_token": {tok}})
		if resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST invite: %d", c.email, resp.StatusCode)
		}
	}
	admin := e.fresh()
	admin.mustLogin("ad@example.org", adPw)
	for _, p := range adminOnly {
		if status, _ := admin.get(p); status != 200 {
			t.Errorf("admin GET %s: %d", p, status)
		}
	}
}

func TestStaffOffices_OperatorOfAGets404ForEverythingOfB(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	b := addOffice(t, e.Store, "udc-b", "UdC di Beta")
	_, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	_, edPw := addStaff(t, e.Store, "ed@example.org", auth.RoleEditor)
	_, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	op, ed, ad := e.fresh(), e.fresh(), e.fresh()
	op.mustLogin("op@example.org", opPw)
	ed.mustLogin("ed@example.org", edPw)
	ad.mustLogin("ad@example.org", adPw)

	// Every route under /area-riservata/uffici/{id}; later features add
	// their sub-routes here.
	subRoutes := []string{"", "/"}
	cases := []struct {
		name   string
		env    *testEnv
		office string
		want   int
	}{
		{"operatore, own office", op, fmt.Sprint(a), 200},
		{"operatore, other office", op, fmt.Sprint(b), 404},
		{"operatore, missing office", op, "999999", 404},
		{"operatore, not a number", op, "abc", 404},
		{"operatore, negative", op, "-1", 404},
		{"redattore, any office", ed, fmt.Sprint(a), 404},
		{"amministratore, office A", ad, fmt.Sprint(a), 200},
		{"amministratore, office B", ad, fmt.Sprint(b), 200},
		{"amministratore, missing office", ad, "999999", 404},
	}
	for _, c := range cases {
		for _, sub := range subRoutes {
			path := "/area-riservata/uffici/" + c.office + sub
			t.Run(c.name+" "+path, func(t *testing.T) {
				status, body := c.env.get(path)
				if sub == "/" && status == http.StatusMovedPermanently {
					return // a trailing slash may redirect to the canonical path
				}
				if status != c.want {
					t.Fatalf("status %d, want %d", status, c.want)
				}
				if c.want == 404 && (strings.Contains(body, "UdC di Beta") || strings.Contains(body, "UdC di Alfa")) {
					t.Error("404 page reveals an office name")
				}
			})
		}
	}
	// An unknown sub-route of someone else's office is 404 too, and one of
	// the own office as well.
	for _, p := range []string{fmt.Sprintf("/area-riservata/uffici/%d/orari", b), fmt.Sprintf("/area-riservata/uffici/%d/prenotazioni/1", b),
		fmt.Sprintf("/area-riservata/uffici/%d/non-esiste", a)} {
		if status, _ := op.get(p); status != 404 {
			t.Errorf("%s: %d", p, status)
		}
	}
	// The own office page shows its data, read-only.
	_, body := op.get(fmt.Sprintf("/area-riservata/uffici/%d", a))
	for _, want := range []string{"UdC di Alfa", "Via della Prova 1, 06121 Perugia", "075 0000000", "Comuni serviti"} {
		if !strings.Contains(body, want) {
			t.Errorf("office page lacks %q", want)
		}
	}
}

func TestStaffSession_SharedByTwoInstances(t *testing.T) {
	one := newTestEnv(t)
	two := newTestEnv(t, sharingStore(one.Store))
	_, pw := addStaff(t, one.Store, "a@example.org", auth.RoleEditor)
	one.mustLogin("a@example.org", pw)
	c := one.staffCookie()
	if c == nil {
		t.Fatal("no session cookie")
	}
	status, _, body := getWithCookie(t, two.Server.URL, "/area-riservata", c)
	if status != 200 || !strings.Contains(body, "Benvenuto, Persona redattore") {
		t.Fatalf("instance two: %d", status)
	}
}

func TestStaffLogout_EndsTheSessionEverywhere(t *testing.T) {
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	e.mustLogin("a@example.org", pw)
	stolen := *e.staffCookie()
	tok := e.csrf("/area-riservata")
	resp, _ := e.post("/area-riservata/esci", url.Values{"csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata/login?esito=uscito" {
		t.Fatalf("logout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, body := e.get("/area-riservata/login?esito=uscito"); status != 200 || !strings.Contains(body, "Sei uscito") {
		t.Errorf("after logout: %d", status)
	}
	status, loc, _ := getWithCookie(t, e.Server.URL, "/area-riservata", &stolen)
	if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/area-riservata/login") {
		t.Fatalf("old cookie after logout: %d %q", status, loc)
	}
	var n int
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d session rows left (%v)", n, err)
	}
}

var secretRE = regexp.MustCompile(`secret=([A-Z2-7]+)`)

// enrolTOTP enrols the logged-in account and returns the secret.
func enrolTOTP(t *testing.T, e *testEnv, now time.Time) string {
	t.Helper()
	status, body := e.get("/area-riservata/sicurezza")
	if status != 200 {
		t.Fatalf("security page: %d", status)
	}
	m := secretRE.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "otpauth://totp/") || !strings.Contains(body, `src="data:image/png;base64,`) {
		t.Fatal("enrolment page lacks the secret, the otpauth URI or the QR code")
	}
	// The secret is also shown as text, grouped by four.
	if !strings.Contains(body, auth.FormatTOTPSecret(m[1])) {
		t.Error("secret not shown as text")
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	resp, body := e.post("/area-riservata/sicurezza/totp", url.Values{"code": {"000000"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "non è corretto") {
		t.Fatalf("wrong enrolment code: %d", resp.StatusCode)
	}
	if !strings.Contains(body, "secret="+m[1]) {
		t.Error("a failed confirmation must keep the same secret")
	}
	code, _ := auth.TOTPCode(m[1], now)
	resp, _ = e.post("/area-riservata/sicurezza/totp", url.Values{"code": {code}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrolment: %d", resp.StatusCode)
	}
	return m[1]
}

func TestStaffTOTP_EnrolThenLoginAsksTheCode(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock))
	u, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	e.mustLogin("a@example.org", pw)
	secret := enrolTOTP(t, e, clock.Now())
	if _, body := e.get("/area-riservata"); !strings.Contains(body, "Verifica in due passaggi attivata") {
		t.Error("no flash after enrolment")
	}

	b := e.fresh()
	resp, _ := b.login("a@example.org", pw)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata/login/codice" {
		t.Fatalf("password step: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	pending := *b.staffCookie()
	// Not logged in yet.
	if status, _ := b.get("/area-riservata"); status != http.StatusSeeOther {
		t.Fatalf("dashboard before the code: %d", status)
	}
	tok := b.csrf("/area-riservata/login/codice")
	resp, body := b.post("/area-riservata/login/codice", url.Values{"code": {"12345"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "6 cifre") {
		t.Fatalf("malformed code: %d", resp.StatusCode)
	}
	// The enrolment code's step is spent: the same code is refused.
	enrolCode, _ := auth.TOTPCode(secret, clock.Now())
	resp, _ = b.post("/area-riservata/login/codice", url.Values{"code": {enrolCode}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("replayed enrolment code: %d", resp.StatusCode)
	}
	clock.Add(30 * time.Second)
	code, _ := auth.TOTPCode(secret, clock.Now())
	resp, _ = b.post("/area-riservata/login/codice", url.Values{"code": {code[:3] + " " + code[3:]}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata" {
		t.Fatalf("code step: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if status, _ := b.get("/area-riservata"); status != 200 {
		t.Fatalf("dashboard after the code: %d", status)
	}
	// The token was renewed at login: the password-step cookie is dead.
	if c := b.staffCookie(); c.Value == pending.Value {
		t.Error("session token not renewed after the second factor")
	}
	if status, _, _ := getWithCookie(t, e.Server.URL, "/area-riservata", &pending); status == 200 {
		t.Error("the pre-login token still works")
	}
	// The same code cannot be used twice, even on a new login.
	c := e.fresh()
	c.login("a@example.org", pw)
	tok = c.csrf("/area-riservata/login/codice")
	if resp, _ := c.post("/area-riservata/login/codice", url.Values{"code": {code}, "csrf_token": {tok}}); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("replayed code: %d", resp.StatusCode)
	}
	after, _ := e.Store.StaffByID(context.Background(), u.ID)
	if !after.TOTPEnabled || after.TOTPSecret != secret {
		t.Error("TOTP not stored")
	}
}

func TestStaffTOTP_WrongCodesCountAsFailedLogins(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock))
	u, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
	if err := e.Store.EnableTOTP(context.Background(), u.ID, "JBSWY3DPEHPK3PXP", 0); err != nil {
		t.Fatal(err)
	}
	e.login("a@example.org", pw)
	tok := e.csrf("/area-riservata/login/codice")
	for i := 0; i < 5; i++ {
		e.post("/area-riservata/login/codice", url.Values{"code": {"000000"}, "csrf_token": {tok}})
	}
	code, _ := auth.TOTPCode("JBSWY3DPEHPK3PXP", clock.Now())
	resp, body := e.post("/area-riservata/login/codice", url.Values{"code": {code}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Troppi tentativi") {
		t.Fatalf("sixth code: %d", resp.StatusCode)
	}
}

func TestStaffTOTP_RequiredForAdministrators(t *testing.T) {
	clock := &testClock{now: time.Now()}
	e := newTestEnv(t, withClock(clock), withConfig(func(c *config.Config) { c.RequireAdminTOTP = true }))
	_, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	_, edPw := addStaff(t, e.Store, "ed@example.org", auth.RoleEditor)
	e.mustLogin("ad@example.org", adPw)
	for _, p := range []string{"/area-riservata", "/area-riservata/utenti", "/area-riservata/registro", "/area-riservata/uffici/1"} {
		resp, err := e.Client.Get(e.Server.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata/sicurezza" {
			t.Errorf("%s: %d %q", p, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	status, body := e.get("/area-riservata/sicurezza")
	if status != 200 || !strings.Contains(body, "obbligatoria") || strings.Contains(body, `href="/area-riservata/utenti"`) {
		t.Fatalf("enrolment page: %d (navigation must be hidden)", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	resp, _ := e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"x@example.org"}, "name": {"X"}, "role": {"redattore"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("invite before enrolment: %d", resp.StatusCode)
	}
	enrolTOTP(t, e, clock.Now())
	if status, _ := e.get("/area-riservata/utenti"); status != 200 {
		t.Errorf("after enrolment: %d", status)
	}
	// Other roles are not forced.
	ed := e.fresh()
	ed.mustLogin("ed@example.org", edPw)
	if status, _ := ed.get("/area-riservata"); status != 200 {
		t.Errorf("redattore: %d", status)
	}
}

func TestSetPassword_ValidOnce_ExpiredAndReusedExplained(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	_, token, err := e.Store.CreateStaff(ctx, 0, store.NewStaff{Email: "nuovo@example.org", Name: "Nuova Persona", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	path := "/area-riservata/imposta-password/" + token
	status, body := e.get(path)
	if status != 200 || !strings.Contains(body, "nuovo@example.org") || !strings.Contains(body, `autocomplete="new-password"`) {
		t.Fatalf("form: %d", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	for _, c := range []struct{ pw, confirm, want string }{
		{"corta", "corta", "almeno 12 caratteri"},
		{"aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaa", "un solo carattere ripetuto"},
		{"una frase lunga abbastanza", "una frase lunga diversa", "non coincidono"},
	} {
		resp, body := e.post(path, url.Values{"password": {c.pw}, "confirm": {c.confirm}, "csrf_token": {tok}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, c.want) || !strings.Contains(body, `id="error-summary"`) {
			t.Errorf("%q: %d, want 422 with %q", c.pw, resp.StatusCode, c.want)
		}
	}
	resp, _ := e.post(path, url.Values{"password": {"una frase lunga abbastanza"}, "confirm": {"una frase lunga abbastanza"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata/login?esito=password" {
		t.Fatalf("set: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	e.mustLogin("nuovo@example.org", "una frase lunga abbastanza")

	// Reused, in another browser: the form is not shown, and a password
	// submitted with a valid form token (from that browser's own login
	// page, so that CSRF protection lets the request through) is refused
	// with the same explanation and changes nothing.
	other := e.fresh()
	status, body = other.get(path)
	if status != http.StatusGone || !strings.Contains(body, "Il link è già stato usato") {
		t.Errorf("reused link: %d", status)
	}
	otherTok := other.csrf("/area-riservata/login")
	resp, body = other.post(path, url.Values{"password": {"un'altra frase lunga"}, "confirm": {"un'altra frase lunga"}, "csrf_token": {otherTok}})
	if resp.StatusCode != http.StatusGone || !strings.Contains(body, "Il link è già stato usato") {
		t.Errorf("reused link POST: %d, want 410 with the explanation\n%s", resp.StatusCode, problemOf(body))
	}
	if resp, _ := other.fresh().login("nuovo@example.org", "un'altra frase lunga"); resp.StatusCode == http.StatusSeeOther {
		t.Error("the reused link changed the password")
	}
	other.fresh().mustLogin("nuovo@example.org", "una frase lunga abbastanza")
	// Expired: created 72 hours and a minute ago.
	_, old, _ := e.Store.CreateStaff(ctx, 0, store.NewStaff{Email: "vecchio@example.org", Role: auth.RoleEditor}, time.Now().Add(-72*time.Hour-time.Minute))
	if status, body := e.get("/area-riservata/imposta-password/" + old); status != http.StatusGone || !strings.Contains(body, "è scaduto") {
		t.Errorf("expired link: %d", status)
	}
	// Unknown.
	if status, body := e.get("/area-riservata/imposta-password/non-esiste"); status != http.StatusNotFound || !strings.Contains(body, "Link non valido") {
		t.Errorf("unknown link: %d", status)
	}
}

func TestStaffSession_IdleAndAbsoluteTimeouts(t *testing.T) {
	cases := []struct {
		name           string
		idle, lifetime time.Duration
		// keepAlive requests the dashboard every 300 ms before checking.
		keepAlive bool
	}{
		{"idle", 1 * time.Second, time.Hour, false},
		{"absolute, even when active", time.Hour, 2 * time.Second, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t, withOptions(func(o *web.Options) { o.StaffIdleTimeout, o.StaffLifetime = c.idle, c.lifetime }))
			_, pw := addStaff(t, e.Store, "a@example.org", auth.RoleEditor)
			e.mustLogin("a@example.org", pw)
			deadline := time.Now().Add(c.idle + 500*time.Millisecond)
			if c.keepAlive {
				deadline = time.Now().Add(c.lifetime + 500*time.Millisecond)
				for time.Now().Before(deadline) {
					if status, _ := e.get("/area-riservata"); status != 200 && time.Now().Before(deadline.Add(-time.Second)) {
						t.Fatalf("session ended early: %d", status)
					}
					time.Sleep(300 * time.Millisecond)
				}
			}
			time.Sleep(time.Until(deadline))
			resp, err := e.Client.Get(e.Server.URL + "/area-riservata")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/area-riservata/login?esito=scaduta" {
				t.Fatalf("after timeout: %d %q", resp.StatusCode, resp.Header.Get("Location"))
			}
		})
	}
}

func TestStaffLogin_ReturnsToTheRequestedPage(t *testing.T) {
	e := newTestEnv(t)
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	resp, err := e.Client.Get(e.Server.URL + "/area-riservata/registro?azione=login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/area-riservata/login?next=") {
		t.Fatalf("%d %q", resp.StatusCode, loc)
	}
	// An anonymous visit creates no session row.
	var n int
	e.Store.Pool().QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n)
	if n != 0 {
		t.Errorf("%d sessions after an anonymous visit", n)
	}
	status, body := e.get(loc)
	if status != 200 || !strings.Contains(body, `name="next" value="/area-riservata/registro?azione=login"`) {
		t.Fatalf("login form: %d", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	resp, _ = e.post("/area-riservata/login", url.Values{"email": {"ad@example.org"}, "password": {pw}, "csrf_token": {tok},
		"next": {"/area-riservata/registro?azione=login"}})
	if resp.Header.Get("Location") != "/area-riservata/registro?azione=login" {
		t.Fatalf("after login: %q", resp.Header.Get("Location"))
	}
	// Never elsewhere.
	for _, next := range []string{"https://example.com/", "//example.com/", "/servizi", `/\example.com`, "/area-riservata/../servizi"} {
		b := e.fresh()
		tok := b.csrf("/area-riservata/login")
		resp, _ := b.post("/area-riservata/login", url.Values{"email": {"ad@example.org"}, "password": {pw}, "csrf_token": {tok}, "next": {next}})
		if resp.Header.Get("Location") != "/area-riservata" {
			t.Errorf("next %q led to %q", next, resp.Header.Get("Location"))
		}
	}
}

var linkRE = regexp.MustCompile(`http://127\.0\.0\.1/area-riservata/imposta-password/([A-Za-z0-9_-]+)`)

func TestStaffUsers_InviteShowsTheLinkOnce_ThenAudited(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	e.mustLogin("ad@example.org", pw)
	status, body := e.get("/area-riservata/utenti/nuovo")
	if status != 200 || !strings.Contains(body, "UdC di Alfa") {
		t.Fatalf("invite form: %d", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]

	// Invalid: errors next to fields and in the summary, input kept.
	resp, body := e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"non-valida"}, "name": {"Gianni Verdi"}, "role": {"operatore"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid invite: %d", resp.StatusCode)
	}
	for _, want := range []string{`href="#email"`, `href="#offices"`, `id="email-error"`, `id="offices-error"`, `value="Gianni Verdi"`, `value="non-valida"`} {
		if !strings.Contains(body, want) {
			t.Errorf("invalid invite page lacks %q", want)
		}
	}
	resp, body = e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"AD@example.org"}, "name": {"Doppio"}, "role": {"redattore"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Esiste già un account") {
		t.Errorf("duplicate e-mail: %d", resp.StatusCode)
	}

	resp, _ = e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"Gianni.Verdi@Example.org"}, "name": {"Gianni Verdi"}, "role": {"operatore"},
		"offices": {fmt.Sprint(a)}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", resp.StatusCode)
	}
	userPage := resp.Header.Get("Location")
	_, body = e.get(userPage)
	m := linkRE.FindStringSubmatch(body)
	if m == nil || !strings.Contains(body, "Account creato per Gianni Verdi") {
		t.Fatalf("user page lacks the one-time link or the flash")
	}
	if _, again := e.get(userPage); linkRE.MatchString(again) {
		t.Error("the link is shown a second time")
	}
	// The link works.
	p := e.fresh()
	path := "/area-riservata/imposta-password/" + m[1]
	ptok := p.csrf(path)
	if resp, _ := p.post(path, url.Values{"password": {"la mia frase segreta"}, "confirm": {"la mia frase segreta"}, "csrf_token": {ptok}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("set password: %d", resp.StatusCode)
	}
	p.mustLogin("gianni.verdi@example.org", "la mia frase segreta")
	if status, _ := p.get(fmt.Sprintf("/area-riservata/uffici/%d", a)); status != 200 {
		t.Errorf("invited operatore on their office: %d", status)
	}

	_, body = e.get("/area-riservata/utenti")
	if !strings.Contains(body, "Gianni Verdi") || !strings.Contains(body, "gianni.verdi@example.org") {
		t.Error("list lacks the new account")
	}
	_, body = e.get("/area-riservata/registro?azione=invite")
	if !strings.Contains(body, "Invito di una persona") || !strings.Contains(body, "gianni.verdi@example.org") || strings.Contains(body, "argon2") {
		t.Error("audit log lacks the invite (or shows a hash)")
	}
}

func TestStaffUsers_RoleChangeAndResetAccess(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	ad, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	op, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	e.mustLogin("ad@example.org", adPw)
	other := e.fresh()
	other.mustLogin("op@example.org", opPw)

	userPage := fmt.Sprintf("/area-riservata/utenti/%d", op.ID)
	tok := e.csrf(userPage)
	// Role change: operatore → redattore, audited with before and after.
	resp, _ := e.post(userPage, url.Values{"name": {"Persona operatore"}, "role": {"redattore"}, "active": {"1"}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("update: %d", resp.StatusCode)
	}
	if status, _ := other.get(fmt.Sprintf("/area-riservata/uffici/%d", a)); status != 404 {
		t.Errorf("former operatore still reaches the office: %d", status)
	}
	_, body := e.get("/area-riservata/registro?azione=update")
	if !strings.Contains(body, "&#34;role&#34;: &#34;operatore&#34;") || !strings.Contains(body, "&#34;role&#34;: &#34;redattore&#34;") {
		t.Errorf("audit lacks before/after of the role change")
	}
	// Reset: their sessions end, a new link appears, the old password fails.
	resp, _ = e.post(userPage+"/reimposta-accesso", url.Values{"csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	_, body = e.get(userPage)
	if !linkRE.MatchString(body) || !strings.Contains(body, "sessioni aperte") {
		t.Error("reset page lacks the new link or the flash")
	}
	if status, _ := other.get("/area-riservata"); status != http.StatusSeeOther {
		t.Errorf("reset account still logged in: %d", status)
	}
	if resp, _ := other.fresh().login("op@example.org", opPw); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("old password after reset: %d", resp.StatusCode)
	}
	// Administrators cannot demote, deactivate or reset themselves.
	self := fmt.Sprintf("/area-riservata/utenti/%d", ad.ID)
	e.post(self, url.Values{"name": {"Capo"}, "role": {"redattore"}, "csrf_token": {tok}})
	me, _ := e.Store.StaffByID(context.Background(), ad.ID)
	if me.Role != auth.RoleAdmin || !me.Active || me.Name != "Capo" {
		t.Errorf("self edit: %+v", me)
	}
	if resp, _ := e.post(self+"/reimposta-accesso", url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("self reset: %d", resp.StatusCode)
	}
	// Deactivation ends sessions too.
	_, edPw := addStaff(t, e.Store, "ed@example.org", auth.RoleEditor)
	ed := e.fresh()
	ed.mustLogin("ed@example.org", edPw)
	edUser, _ := e.Store.StaffByEmail(context.Background(), "ed@example.org")
	e.post(fmt.Sprintf("/area-riservata/utenti/%d", edUser.ID), url.Values{"name": {"X"}, "role": {"redattore"}, "csrf_token": {tok}})
	if status, _ := ed.get("/area-riservata"); status != http.StatusSeeOther {
		t.Errorf("deactivated account still logged in: %d", status)
	}
	if resp, _ := ed.fresh().login("ed@example.org", edPw); resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("deactivated account logs in: %d", resp.StatusCode)
	}
}

func TestStaffAudit_FiltersAndPages(t *testing.T) {
	e := newTestEnv(t)
	ad, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	for i := 0; i < 55; i++ {
		if err := e.Store.RecordLogout(context.Background(), ad.ID); err != nil {
			t.Fatal(err)
		}
	}
	e.mustLogin("ad@example.org", pw)
	status, body := e.get("/area-riservata/registro?azione=logout")
	if status != 200 || !strings.Contains(body, "55 attività trovate, pagina 1 di 2") || !strings.Contains(body, "pagina=2") {
		t.Fatalf("page 1: %d", status)
	}
	_, body = e.get("/area-riservata/registro?azione=logout&pagina=2")
	if !strings.Contains(body, "pagina 2 di 2") || strings.Count(body, "<tr>") != 6 { // header + 5
		t.Errorf("page 2 has %d rows", strings.Count(body, "<tr>")-1)
	}
	today := time.Now().In(time.Local).Format("2006-01-02")
	_, body = e.get("/area-riservata/registro?dal=2000-01-01&al=2000-01-02")
	if !strings.Contains(body, "Nessuna attività trovata") {
		t.Error("date filter in the past found entries")
	}
	_, body = e.get("/area-riservata/registro?azione=login&dal=" + today)
	if !strings.Contains(body, "Una attività trovata") {
		t.Error("login of today not found")
	}
	if status, body := e.get("/area-riservata/registro?dal=ieri"); status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#dal"`) {
		t.Errorf("bad date: %d", status)
	}
}
