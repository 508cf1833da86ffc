package web_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/auth"
)

var routeParamRE = regexp.MustCompile(`\{[^}]+\}`)

// TestStaffIsolation_EveryOfficeRoute_404ForAnotherOffice walks the router
// and requests every route under /area-riservata/uffici/{officeID}, with
// every method it answers, as the operatore of office A using office B's
// id: each must answer 404, whatever other ids are in the URL. New routes
// are covered without editing this test.
func TestStaffIsolation_EveryOfficeRoute_404ForAnotherOffice(t *testing.T) {
	e := newTestEnv(t)
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	b := addOffice(t, e.Store, "udc-b", "UdC di Beta")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	op := e.fresh()
	op.mustLogin("op@example.org", pw)
	_, dash := op.get("/area-riservata/")
	m := csrfRE.FindStringSubmatch(dash)
	if m == nil {
		t.Fatal("no CSRF token on the dashboard")
	}
	token := m[1]

	routes, ok := e.Web.Handler().(chi.Routes)
	if !ok {
		t.Fatal("the handler is not a chi router")
	}
	type route struct{ method, path string }
	var found []route
	err := chi.Walk(routes, func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(pattern, "/area-riservata/uffici/{officeID}") {
			return nil
		}
		path := strings.Replace(pattern, "{officeID}", fmt.Sprint(b), 1)
		path = routeParamRE.ReplaceAllString(path, "1")
		path = strings.TrimSuffix(strings.ReplaceAll(path, "/*", "/"), "*")
		found = append(found, route{method, path})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(found) < 3 {
		t.Fatalf("only %d office routes found: the walk is broken", len(found))
	}
	for _, rt := range found {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			var status int
			var body string
			switch rt.method {
			case http.MethodGet:
				status, body = op.get(rt.path)
			case http.MethodPost:
				resp, b := op.post(rt.path, url.Values{"csrf_token": {token}})
				status, body = resp.StatusCode, b
			default:
				t.Skipf("method %s not exercised", rt.method)
			}
			if status != http.StatusNotFound {
				t.Fatalf("status %d, want 404", status)
			}
			if strings.Contains(body, "UdC di Beta") {
				t.Error("the 404 page reveals the other office")
			}
		})
	}
	// Sanity: the same routes of the own office are not all 404.
	if status, _ := op.get(fmt.Sprintf("/area-riservata/uffici/%d", a)); status != http.StatusOK {
		t.Fatalf("own office: %d", status)
	}
}
