package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
)

// sessionRows is everything the sessions table holds, as text.
func sessionRows(t *testing.T, e *testEnv) string {
	t.Helper()
	var s string
	if err := e.Store.Pool().QueryRow(context.Background(),
		`SELECT coalesce(string_agg(token || ' ' || encode(data, 'escape'), ' '), '') FROM sessions`).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestStaffSecrets_NotReadableInTheDatabase: a set-password link waiting
// to be shown, a TOTP secret being enrolled and then enabled, and the
// session cookie itself are nowhere in the database in a usable form.
func TestStaffSecrets_NotReadableInTheDatabase(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	_, pw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	e.mustLogin("ad@example.org", pw)
	cookie := e.staffCookie().Value

	tok := e.csrf("/area-riservata/utenti/nuovo")
	resp, _ := e.post("/area-riservata/utenti/nuovo", url.Values{"email": {"nuova@example.org"}, "name": {"Nuova"}, "role": {"operatore"},
		"offices": {fmt.Sprint(a)}, "csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("invite: %d", resp.StatusCode)
	}
	// The link waits in the session for the next page.
	stored := sessionRows(t, e)
	_, body := e.get(resp.Header.Get("Location"))
	m := linkRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the one-time link is not shown")
	}
	if strings.Contains(stored, m[1]) {
		t.Error("the set-password link is readable in the sessions table")
	}
	if strings.Contains(stored, cookie) {
		t.Error("the session cookie is readable in the sessions table: anyone reading it could take the session over")
	}

	// TOTP: the secret being enrolled sits in the session, then in
	// staff_users; neither shows it.
	status, body := e.get("/area-riservata/sicurezza")
	secret := secretRE.FindStringSubmatch(body)
	if status != 200 || secret == nil {
		t.Fatalf("security page: %d", status)
	}
	if strings.Contains(sessionRows(t, e), secret[1]) {
		t.Error("the TOTP secret being enrolled is readable in the sessions table")
	}
	code, _ := auth.TOTPCode(secret[1], time.Now())
	resp, _ = e.post("/area-riservata/sicurezza/totp", url.Values{"code": {code}, "csrf_token": {csrfRE.FindStringSubmatch(body)[1]}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("enrolment: %d", resp.StatusCode)
	}
	if n := countRows(t, e, `SELECT count(*) FROM staff_users WHERE totp_secret LIKE '%' || $1 || '%'`, secret[1]); n != 0 {
		t.Error("the TOTP secret is readable in staff_users")
	}
	if n := countRows(t, e, `SELECT count(*) FROM staff_users WHERE totp_enabled AND totp_secret LIKE 'enc1:%'`); n != 1 {
		t.Errorf("%d sealed TOTP secrets, want 1", n)
	}
}

func countRows(t *testing.T, e *testEnv, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.Store.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
