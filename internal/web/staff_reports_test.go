package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/report"
	"github.com/udc-umbria/portal/internal/store"
)

// reportsEnv is the booking office (with e-mail recorded) and a second
// office, one report about each and one about a page, and a logged-in
// browser per role: the operatore manages the booking office only.
type reportsEnv struct {
	*bookingEnv
	other                     int64
	mine, theirs, page        store.Report
	admin, operator, redactor *testEnv
}

func newReportsEnv(t *testing.T) *reportsEnv {
	t.Helper()
	e := newBookingEnv(t, 1)
	other := addOffice(t, e.Store, "udc-altro", "UdC di un altro ufficio")
	ctx := context.Background()
	mk := func(nr store.NewReport) store.Report {
		nr.Category, nr.Description = report.CategoryClosed, "Ufficio chiuso alle 10."
		r, err := e.Store.CreateReport(ctx, nr)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	re := &reportsEnv{bookingEnv: e, other: other,
		mine:   mk(store.NewReport{OfficeID: e.officeID, Name: "Maria", Email: "maria@example.org", ReplyConsent: true}),
		theirs: mk(store.NewReport{OfficeID: other, Name: "Luca", Email: "luca@example.org", ReplyConsent: true}),
		page:   mk(store.NewReport{PagePath: "/servizi/ufficio-della-cittadinanza"}),
	}
	login := func(email string, role auth.Role, offices ...int64) *testEnv {
		_, pw := addStaff(t, e.Store, email, role, offices...)
		c := e.testEnv.fresh()
		c.mustLogin(email, pw)
		return c
	}
	re.admin = login("ad@example.org", auth.RoleAdmin)
	re.operator = login("op@example.org", auth.RoleOperator, e.officeID)
	re.redactor = login("red@example.org", auth.RoleEditor)
	return re
}

func reportPath(r store.Report) string { return fmt.Sprintf("/area-riservata/segnalazioni/%d", r.ID) }

func TestStaffReports_EachRoleSeesItsShare(t *testing.T) {
	e := newReportsEnv(t)
	for _, tc := range []struct {
		name      string
		c         *testEnv
		see, hide []store.Report
	}{
		{"amministratore", e.admin, []store.Report{e.mine, e.theirs, e.page}, nil},
		{"operatore", e.operator, []store.Report{e.mine}, []store.Report{e.theirs, e.page}},
		{"redattore", e.redactor, []store.Report{e.page}, []store.Report{e.mine, e.theirs}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, body := tc.c.get("/area-riservata/segnalazioni")
			if status != http.StatusOK {
				t.Fatalf("list: %d", status)
			}
			for _, r := range tc.see {
				if !strings.Contains(body, r.Code) {
					t.Errorf("list lacks %s", r.Code)
				}
				if st, page := tc.c.get(reportPath(r)); st != http.StatusOK || !strings.Contains(page, r.Code) {
					t.Errorf("%s: %d", r.Code, st)
				}
			}
			for _, r := range tc.hide {
				if strings.Contains(body, r.Code) {
					t.Errorf("list shows %s", r.Code)
				}
				st, page := tc.c.get(reportPath(r))
				if st != http.StatusNotFound || strings.Contains(page, r.Code) || strings.Contains(page, "Luca") {
					t.Errorf("%s: status %d, want 404 without the report", r.Code, st)
				}
			}
		})
	}
}

func TestStaffReports_OperatorCannotUpdateAnotherOfficesReport(t *testing.T) {
	e := newReportsEnv(t)
	tok := e.operator.csrf(reportPath(e.mine))
	resp, _ := e.operator.post(reportPath(e.theirs), url.Values{"csrf_token": {tok}, "stato": {"chiusa"}, "risposta": {"Chiuso."}})
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("status %d, want 404", resp.StatusCode)
	}
	got, err := e.Store.ReportByID(context.Background(), e.theirs.ID, store.ReportScope{All: true})
	if err != nil || got.Status != report.StatusReceived || got.Answer != "" {
		t.Fatalf("the other office's report changed: %+v %v", got, err)
	}
	// Filtering the list by the other office is refused too.
	status, body := e.operator.get(fmt.Sprintf("/area-riservata/segnalazioni?ufficio=%d", e.other))
	if status != http.StatusUnprocessableEntity || strings.Contains(body, e.theirs.Code) {
		t.Fatalf("filter by another office: %d, shows it: %v", status, strings.Contains(body, e.theirs.Code))
	}
}

func TestStaffReports_AnswerMailedToTheCitizen_Audited(t *testing.T) {
	e := newReportsEnv(t)
	receipts := len(e.mailer.messages())
	tok := e.operator.csrf(reportPath(e.mine))
	resp, body := e.operator.post(reportPath(e.mine), url.Values{"csrf_token": {tok}, "stato": {"in-lavorazione"},
		"risposta": {"Grazie, verifichiamo gli orari.\r\nVi aggiorneremo."}})
	if resp.StatusCode != http.StatusSeeOther || location(t, resp) != reportPath(e.mine) {
		t.Fatalf("status %d\n%s", resp.StatusCode, problemOf(body))
	}
	_, page := e.operator.get(reportPath(e.mine))
	mustContain(t, "report page", html.UnescapeString(page), "la risposta è stata inviata via e-mail", "In lavorazione",
		"Grazie, verifichiamo gli orari.\nVi aggiorneremo.")
	msgs := e.mailer.messages()[receipts:]
	if len(msgs) != 1 || msgs[0].To != "maria@example.org" || !strings.Contains(msgs[0].Text, "Grazie, verifichiamo gli orari.") ||
		!strings.Contains(msgs[0].Subject, e.mine.Code) {
		t.Fatalf("mail %+v", msgs)
	}
	_, audit := e.admin.get("/area-riservata/registro")
	mustContain(t, "audit", html.UnescapeString(audit), "Aggiornamento di una segnalazione")
	if strings.Contains(audit, "verifichiamo") {
		t.Error("the answer's text is in the audit log")
	}
}

func TestStaffReports_Update_WithoutTokenRefused_BadInput422(t *testing.T) {
	e := newReportsEnv(t)
	resp, _ := e.admin.post(reportPath(e.page), url.Values{"stato": {"chiusa"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("without token: %d", resp.StatusCode)
	}
	tok := e.admin.csrf(reportPath(e.page))
	resp, body := e.admin.post(reportPath(e.page), url.Values{"csrf_token": {tok}, "stato": {"aperta"},
		"risposta": {strings.Repeat("a", report.MaxAnswer+1)}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad input: %d", resp.StatusCode)
	}
	mustContain(t, "errors", html.UnescapeString(body), "Ci sono 2 errori", `href="#stato"`, `id="stato"`, "al massimo 2000 caratteri")
	got, err := e.Store.ReportByID(context.Background(), e.page.ID, store.ReportScope{All: true})
	if err != nil || got.Status != report.StatusReceived {
		t.Fatalf("changed: %+v %v", got, err)
	}
	// A report without an address: closing it sends nothing.
	before := len(e.mailer.messages())
	resp, _ = e.admin.post(reportPath(e.page), url.Values{"csrf_token": {tok}, "stato": {"chiusa"}, "risposta": {"Pagina corretta."}})
	if resp.StatusCode != http.StatusSeeOther || len(e.mailer.messages()) != before {
		t.Fatalf("status %d, mails %d", resp.StatusCode, len(e.mailer.messages())-before)
	}
}

func TestStaffReports_DashboardCountsOpenReports(t *testing.T) {
	e := newReportsEnv(t)
	_, body := e.operator.get("/area-riservata")
	mustContain(t, "dashboard", body, "una non ancora chiusa", `href="/area-riservata/segnalazioni"`, `href="/area-riservata/statistiche"`)
}
