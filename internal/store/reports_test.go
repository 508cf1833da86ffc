package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/report"
	"github.com/udc-umbria/portal/internal/store"
)

// reportFixture is the booking fixture's database (one office) with a
// second office and a staff account to act.
type reportFixture struct {
	bookingFixture
	other int64
	actor int64
}

func newReportFixture(t *testing.T) reportFixture {
	t.Helper()
	f := newBookingFixture(t, 4)
	res, err := f.st.SaveOffices(context.Background(), []store.Office{{Slug: "altro-ufficio", Name: "Altro ufficio", SeatISTAT: "054018",
		Comuni: []store.OfficeComune{{ISTAT: "054018"}}}})
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := f.st.CreateStaff(context.Background(), 0, store.NewStaff{Email: "admin@example.org", Role: auth.RoleAdmin}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return reportFixture{bookingFixture: f, other: res[0].ID, actor: u.ID}
}

func (f reportFixture) create(t *testing.T, nr store.NewReport) store.Report {
	t.Helper()
	if nr.Category == "" {
		nr.Category = report.CategoryClosed
	}
	if nr.Description == "" {
		nr.Description = "Martedì alle 10 l'ufficio era chiuso."
	}
	r, err := f.st.CreateReport(context.Background(), nr)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestCreateReport_StoredWithCode_ReceiptOnlyWithAnAddress(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	withMail := f.create(t, store.NewReport{OfficeID: f.office, PagePath: "/uffici/prenotazioni-test", Name: "Maria",
		Email: "maria@example.org", ReplyConsent: true})
	anonymous := f.create(t, store.NewReport{Category: report.CategoryInformation, PagePath: "/servizi"})
	if !report.ValidCode(withMail.Code) || withMail.Code == anonymous.Code {
		t.Fatalf("codes %q %q", withMail.Code, anonymous.Code)
	}
	if withMail.Status != report.StatusReceived || withMail.OfficeName != "Ufficio di prova per le prenotazioni" || withMail.Erased {
		t.Fatalf("%+v", withMail)
	}
	if anonymous.OfficeID != 0 || anonymous.OfficeName != "" {
		t.Fatalf("%+v", anonymous)
	}
	ev := f.outbox.events(t)
	if len(ev) != 1 || ev[0].Kind != notify.ReportReceived || ev[0].Report.Code != withMail.Code || ev[0].Report.Email != "maria@example.org" ||
		ev[0].Office.Name != "Ufficio di prova per le prenotazioni" || !ev[0].Report.ReplyConsent {
		t.Fatalf("events %+v", ev)
	}
	if ok, err := f.st.ReportExists(ctx, withMail.Code); err != nil || !ok {
		t.Fatalf("exists: %v %v", ok, err)
	}
	if ok, err := f.st.ReportExists(ctx, "SEG-2222-2222"); err != nil || ok {
		t.Fatalf("unknown code exists: %v %v", ok, err)
	}
}

func TestCreateReport_OutboxFails_NothingStored(t *testing.T) {
	f := newReportFixture(t)
	f.outbox.fail(errors.New("queue down"))
	if _, err := f.st.CreateReport(context.Background(), store.NewReport{Category: report.CategoryOther, Description: "x",
		Email: "maria@example.org"}); err == nil {
		t.Fatal("no error")
	}
	f.outbox.fail(nil)
	var n int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM reports`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d reports stored (%v)", n, err)
	}
	if ev := f.outbox.events(t); len(ev) != 0 {
		t.Fatalf("events %+v", ev)
	}
}

func TestCreateReport_CodeClash_DrawsAnother(t *testing.T) {
	f := newReportFixture(t)
	first := f.create(t, store.NewReport{})
	codes := []string{first.Code, "SEG-2345-6789"}
	restore := store.SetNewReportCode(func() (string, error) {
		c := codes[0]
		codes = codes[1:]
		return c, nil
	})
	defer restore()
	second := f.create(t, store.NewReport{})
	if second.Code != "SEG-2345-6789" {
		t.Fatalf("code %q", second.Code)
	}
}

func TestReports_Scope_OperatorSeesOwnOfficesOnly(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	mine := f.create(t, store.NewReport{OfficeID: f.office})
	theirs := f.create(t, store.NewReport{OfficeID: f.other})
	page := f.create(t, store.NewReport{PagePath: "/servizi"})

	operator := store.ReportScope{OfficeIDs: []int64{f.office}}
	editor := store.ReportScope{WithoutOffice: true}
	for _, tc := range []struct {
		name  string
		scope store.ReportScope
		want  []int64
	}{
		{"administrator", store.ReportScope{All: true}, []int64{page.ID, theirs.ID, mine.ID}},
		{"operatore", operator, []int64{mine.ID}},
		{"redattore", editor, []int64{page.ID}},
		{"nobody", store.ReportScope{}, nil},
	} {
		list, total, err := f.st.ListReports(ctx, store.ReportFilter{Scope: tc.scope})
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, r := range list {
			got = append(got, r.ID)
		}
		if len(got) != len(tc.want) || total != len(tc.want) {
			t.Fatalf("%s: %v (total %d), want %v", tc.name, got, total, tc.want)
		}
		for i := range got {
			if got[i] != tc.want[i] {
				t.Fatalf("%s: %v, want %v (newest first)", tc.name, got, tc.want)
			}
		}
	}
	if _, err := f.st.ReportByID(ctx, theirs.ID, operator); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("another office's report: %v", err)
	}
	if _, err := f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: theirs.ID, Scope: operator,
		Status: report.StatusClosed}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update of another office's report: %v", err)
	}
	if r, err := f.st.ReportByID(ctx, theirs.ID, store.ReportScope{All: true}); err != nil || r.Status != report.StatusReceived {
		t.Fatalf("the other office's report changed: %+v %v", r, err)
	}
	if n, err := f.st.CountOpenReports(ctx, operator); err != nil || n != 1 {
		t.Fatalf("open: %d %v", n, err)
	}
	list, total, err := f.st.ListReports(ctx, store.ReportFilter{Scope: store.ReportScope{All: true}, OfficeID: f.other})
	if err != nil || total != 1 || list[0].ID != theirs.ID {
		t.Fatalf("by office: %v %d %v", list, total, err)
	}
}

func TestUpdateReport_AnswerMailedOnlyWithConsent_Audited(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	all := store.ReportScope{All: true}
	consent := f.create(t, store.NewReport{OfficeID: f.office, Email: "si@example.org", ReplyConsent: true})
	noConsent := f.create(t, store.NewReport{Email: "no@example.org"})
	receipts := len(f.outbox.events(t))

	res, err := f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: consent.ID, Scope: all,
		Status: report.StatusInProgress, Answer: "Stiamo verificando."})
	if err != nil || !res.Changed || !res.Emailed || res.Report.Status != report.StatusInProgress ||
		res.Report.Answer != "Stiamo verificando." || res.Report.AnsweredAt == nil {
		t.Fatalf("%+v %v", res, err)
	}
	res, err = f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: noConsent.ID, Scope: all,
		Status: report.StatusClosed, Answer: "Risolto."})
	if err != nil || !res.Changed || res.Emailed {
		t.Fatalf("%+v %v", res, err)
	}
	// A status change without an answer keeps the answer and sends nothing.
	res, err = f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: consent.ID, Scope: all, Status: report.StatusClosed})
	if err != nil || !res.Changed || res.Emailed || res.Report.Answer != "Stiamo verificando." {
		t.Fatalf("%+v %v", res, err)
	}
	// The same status again and no answer: nothing written.
	res, err = f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: consent.ID, Scope: all, Status: report.StatusClosed})
	if err != nil || res.Changed {
		t.Fatalf("%+v %v", res, err)
	}
	ev := f.outbox.events(t)[receipts:]
	if len(ev) != 1 || ev[0].Kind != notify.ReportAnswered || ev[0].Report.Email != "si@example.org" ||
		ev[0].Report.Answer != "Stiamo verificando." || ev[0].Report.Status != "In lavorazione" {
		t.Fatalf("events %+v", ev)
	}
	rows, total, err := f.st.ListAudit(ctx, store.AuditFilter{Action: "report_update"})
	if err != nil || total != 3 {
		t.Fatalf("audit: %d %v", total, err)
	}
	for _, r := range rows {
		if r.EntityID != consent.ID && r.EntityID != noConsent.ID {
			t.Errorf("audit entity %d", r.EntityID)
		}
		for _, text := range []string{"Stiamo verificando", "Risolto", "example.org"} {
			if strings.Contains(string(r.After), text) || strings.Contains(string(r.Before), text) {
				t.Errorf("audit entry holds %q: %s", text, r.After)
			}
		}
	}
	if _, err := f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: consent.ID, Scope: all, Status: "aperta"}); !errors.Is(err, store.ErrReportStatus) {
		t.Fatalf("bad status: %v", err)
	}
}

func TestErasePersonalData_ReportsUnchangedForTheRetentionPeriod(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	old := f.create(t, store.NewReport{OfficeID: f.office, PagePath: "/uffici/prenotazioni-test", Name: "Maria",
		Email: "maria@example.org", ReplyConsent: true})
	if _, err := f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: old.ID, Scope: store.ReportScope{All: true},
		Status: report.StatusClosed, Answer: "Risolto."}); err != nil {
		t.Fatal(err)
	}
	recent := f.create(t, store.NewReport{Name: "Luca", Email: "luca@example.org"})
	if _, err := f.pool.Exec(ctx, `UPDATE reports SET created_at = $2, updated_at = $2 WHERE id = $1`,
		old.ID, time.Now().AddDate(-2, 0, 0)); err != nil {
		t.Fatal(err)
	}
	cutoff := time.Now().AddDate(-1, 0, 0)
	if n, err := f.st.ErasePersonalData(ctx, cutoff); err != nil || n != 1 {
		t.Fatalf("erased %d %v", n, err)
	}
	got, err := f.st.ReportByID(ctx, old.ID, store.ReportScope{All: true})
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "" || got.Email != "" || got.Description != "" || got.Answer != "" || !got.Erased {
		t.Fatalf("personal data left: %+v", got)
	}
	if got.Code != old.Code || got.Category != report.CategoryClosed || got.OfficeID != f.office || got.PagePath != "/uffici/prenotazioni-test" ||
		got.Status != report.StatusClosed {
		t.Fatalf("statistics lost: %+v", got)
	}
	if got, err := f.st.ReportByID(ctx, recent.ID, store.ReportScope{All: true}); err != nil || got.Name != "Luca" || got.Erased {
		t.Fatalf("recent: %+v %v", got, err)
	}
	// An erased report can still be closed; nothing is e-mailed.
	before := len(f.outbox.events(t))
	if res, err := f.st.UpdateReport(ctx, store.ReportUpdate{ActorID: f.actor, ID: old.ID, Scope: store.ReportScope{All: true},
		Status: report.StatusInProgress, Answer: "Riapriamo."}); err != nil || res.Emailed {
		t.Fatalf("%+v %v", res, err)
	}
	if len(f.outbox.events(t)) != before {
		t.Fatal("mail queued for an erased report")
	}
	if n, err := f.st.ErasePersonalData(ctx, cutoff); err != nil || n != 0 {
		t.Fatalf("second run erased %d %v", n, err)
	}
}
