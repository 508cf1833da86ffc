package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/store"
)

// badPayloads are bytes that are not text: refused in every path
// parameter, query parameter and form field.
var badPayloads = map[string]string{
	"NUL":             "nul\x00byte",
	"invalid UTF-8":   "\xff",
	"overlong %C0%AF": "\xc0\xaf",
	"surrogate":       "\xed\xa0\x80",
	"escape":          "esc\x1b[31m",
	"DEL":             "del\x7f",
	"C1 control":      "c1\u0085",
}

// lineBreaks are refused in paths and query parameters, allowed in form
// values (multi-line fields).
var lineBreaks = map[string]string{
	"tab":       "tab\tinside",
	"line feed": "riga\nnuova",
}

// multiLine is a form value with the allowed control characters.
const multiLine = "riga uno\r\nriga due\tcolonna"

var fieldNameRE = regexp.MustCompile(`name="([a-z_]+)"`)

// TestBadInput_EveryRoute_NULInvalidUTF8AndControls_400Or422NeverServerError
// walks the route table and sends bytes that are not text in each path
// parameter, in the query and in the form fields of every route, as an
// administrator for the staff area and as a citizen with a booking draft
// elsewhere. Every answer is 400 (address) or 422 (form), never 5xx; a
// form with tabs and line breaks reaches the handlers and is no 5xx
// either. New routes are covered without editing this test.
func TestBadInput_EveryRoute_NULInvalidUTF8AndControls_400Or422NeverServerError(t *testing.T) {
	e := newBookingEnv(t, 2)
	ctx := context.Background()

	// A citizen with an appointment (its personal link) and a draft.
	owner := e.browser()
	owner.book("", "cittadina@example.org")
	token := owner.manageToken()
	citizen := e.browser()
	citizen.toSlots()

	// An administrator, another account and its set-password link.
	_, pw := addStaff(t, e.Store, "admin@example.org", auth.RoleAdmin)
	other, invite, err := e.Store.CreateStaff(ctx, 0, store.NewStaff{Email: "altro@example.org", Name: "Altra Persona", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	admin := e.browser()
	admin.mustLogin("admin@example.org", pw)
	_, dash := admin.get("/area-riservata/")
	staffToken := csrfRE.FindStringSubmatch(dash)[1]
	publicToken := citizen.csrf("/prenota?comune=perugia")

	var appointmentID, faqID int64
	if err := e.Store.Pool().QueryRow(ctx, `SELECT (SELECT min(id) FROM appointments), (SELECT min(id) FROM faq_items)`).Scan(&appointmentID, &faqID); err != nil {
		t.Fatal(err)
	}
	benign := func(pattern, param string) string {
		switch param {
		case "officeID":
			return strconv.FormatInt(e.officeID, 10)
		case "appointmentID":
			return strconv.FormatInt(appointmentID, 10)
		case "faqID":
			return strconv.FormatInt(faqID, 10)
		case "userID":
			return strconv.FormatInt(other.ID, 10)
		case "professional":
			return string(booking.AssistenteSociale)
		case "comune":
			return "perugia"
		case "slug":
			if strings.HasPrefix(pattern, "/uffici/") {
				return bookingOfficeSlug
			}
			return "ufficio-della-cittadinanza"
		case "token":
			if strings.HasPrefix(pattern, "/appuntamento/") {
				return token
			}
			return invite
		}
		return "1"
	}

	routes, ok := e.Web.Handler().(chi.Routes)
	if !ok {
		t.Fatal("the handler is not a chi router")
	}
	type route struct{ method, pattern string }
	var all []route
	if err := chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet || method == http.MethodPost {
			all = append(all, route{method, strings.TrimSuffix(pattern, "/*") + strings.Repeat("/{*}", strings.Count(pattern, "/*"))})
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(all) < 80 {
		t.Fatalf("only %d routes found: the walk is broken", len(all))
	}
	// Logging out ends the administrator's session: last.
	slices.SortStableFunc(all, func(a, b route) int {
		return boolInt(strings.HasSuffix(a.pattern, "/esci")) - boolInt(strings.HasSuffix(b.pattern, "/esci"))
	})
	paramRE := regexp.MustCompile(`\{([^}]+)\}`)
	pathWith := func(pattern, param, value string) string {
		return paramRE.ReplaceAllStringFunc(pattern, func(m string) string {
			name := strings.Trim(m, "{}")
			if name == param {
				return url.PathEscape(value)
			}
			return url.PathEscape(benign(pattern, name))
		})
	}
	clientFor := func(pattern string) (*testEnv, string) {
		if strings.HasPrefix(pattern, "/area-riservata") {
			return admin.testEnv, staffToken
		}
		return citizen.testEnv, publicToken
	}
	send := func(method, pattern, path string, form url.Values) int {
		c, tok := clientFor(pattern)
		if method == http.MethodGet {
			status, _ := c.get(path)
			return status
		}
		if form == nil {
			form = url.Values{}
		}
		form.Set("csrf_token", tok)
		resp, _ := c.post(path, form)
		return resp.StatusCode
	}

	// Every GET page with plain values: no 5xx; the field names of its
	// forms are the names the payloads go into.
	names := map[string]bool{"q": true, "next": true}
	for _, rt := range all {
		if rt.method != http.MethodGet {
			continue
		}
		c, _ := clientFor(rt.pattern)
		status, body := c.get(pathWith(rt.pattern, "", ""))
		if status >= 500 {
			t.Errorf("GET %s with plain values: %d", rt.pattern, status)
		}
		for _, m := range fieldNameRE.FindAllStringSubmatch(body, -1) {
			names[m[1]] = true
		}
	}
	delete(names, "csrf_token")
	if len(names) < 20 {
		t.Fatalf("only %d field names found on the pages: %v", len(names), names)
	}
	formOf := func(value string) url.Values {
		v := url.Values{}
		for n := range names {
			v.Set(n, value)
		}
		return v
	}

	for _, rt := range all {
		t.Run(rt.method+" "+rt.pattern, func(t *testing.T) {
			check := func(what string, status, want int) {
				t.Helper()
				if status >= 500 || (want != 0 && status != want) {
					t.Errorf("%s: status %d, want %d", what, status, want)
				}
			}
			strict := map[string]string{}
			for k, v := range badPayloads {
				strict[k] = v
			}
			for k, v := range lineBreaks {
				strict[k] = v
			}
			for name, payload := range strict {
				for _, m := range paramRE.FindAllStringSubmatch(rt.pattern, -1) {
					check("path {"+m[1]+"} "+name, send(rt.method, rt.pattern, pathWith(rt.pattern, m[1], payload), nil), http.StatusBadRequest)
				}
				q := formOf(payload).Encode()
				check("query "+name, send(rt.method, rt.pattern, pathWith(rt.pattern, "", "")+"?"+q, nil), http.StatusBadRequest)
			}
			if rt.method != http.MethodPost {
				return
			}
			for name, payload := range badPayloads {
				check("form "+name, send(rt.method, rt.pattern, pathWith(rt.pattern, "", ""), formOf(payload)), http.StatusUnprocessableEntity)
			}
			// Tabs and line breaks in form values reach the handler.
			check("form with tabs and line breaks", send(rt.method, rt.pattern, pathWith(rt.pattern, "", ""), formOf(multiLine)), 0)
		})
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestBadInput_ClearItalianMessage_NoEcho(t *testing.T) {
	e := newTestEnv(t)
	status, body := e.get("/servizi/%00%C0%AF")
	if status != http.StatusBadRequest || !strings.Contains(body, "Indirizzo non valido") || !strings.Contains(body, "caratteri non ammessi") {
		t.Fatalf("path: %d", status)
	}
	if strings.Contains(body, "\x00") || strings.Contains(body, "\xc0\xaf") {
		t.Error("the page echoes the refused bytes")
	}
	resp, body := e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"4"}, "comment": {"ciao\x00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Testo non valido") || !strings.Contains(body, "Non abbiamo salvato nulla") {
		t.Fatalf("form: %d", resp.StatusCode)
	}
	if n := countRatings(t, e); n != 0 {
		t.Fatalf("%d ratings stored", n)
	}
	// Tabs and line breaks in a form value are text.
	resp, _ = e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"4"}, "comment": {"riga uno\r\n\triga due"}})
	if resp.StatusCode != http.StatusOK || countRatings(t, e) != 1 {
		t.Fatalf("multi-line comment: %d", resp.StatusCode)
	}
	// A body over 64 KiB is refused whole.
	resp, _ = e.post("/valutazione", url.Values{"page": {"/"}, "stars": {"4"}, "comment": {strings.Repeat("a", 70<<10)}})
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("large body: %d", resp.StatusCode)
	}
}
