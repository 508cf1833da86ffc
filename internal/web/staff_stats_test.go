package web_test

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// statsEnv is the booking office (Perugia, Zona sociale 2) and an office
// of another zone, each with past appointments and a rating of its page,
// and a logged-in browser per role; the operatore manages the booking
// office only.
type statsEnv struct {
	*bookingEnv
	other                     int64
	admin, operator, redactor *testEnv
}

// addPastAppointment writes an appointment straight into the table, as a
// year of bookings would have left it.
func addPastAppointment(t *testing.T, st *store.Store, office int64, start time.Time, bookedDaysBefore int, status booking.Status, name string) {
	t.Helper()
	_, err := st.Pool().Exec(context.Background(), `INSERT INTO appointments (code, office_id, professional, starts_at, ends_at, status, mode,
			first_name, last_name, email, token_expires_at, created_at)
		VALUES ('UDC-' || substr(md5(random()::text), 1, 4) || '-' || substr(md5(random()::text), 1, 4), $1, 'assistente-sociale',
			$2::timestamptz, $2::timestamptz + interval '1 hour', $3, 'immediata', $4, 'Cognomeprivato', 'privato@example.org',
			$2::timestamptz + interval '30 days', $5)`,
		office, start, string(status), name, start.AddDate(0, 0, -bookedDaysBefore))
	if err != nil {
		t.Fatal(err)
	}
}

func newStatsEnv(t *testing.T) *statsEnv {
	t.Helper()
	e := newBookingEnv(t, 1)
	ctx := context.Background()
	res, err := e.Store.SaveOffices(ctx, []store.Office{{Slug: "udc-orvieto", Name: "UdC di Orvieto", SeatISTAT: "055023",
		Comuni: []store.OfficeComune{{ISTAT: "055023"}}, SourceNote: "Test"}})
	if err != nil {
		t.Fatal(err)
	}
	se := &statsEnv{bookingEnv: e, other: res[0].ID}
	monday := booking.Week(hours.DateOf(e.now()), -2).Start.At(hours.NewClock(10, 0))
	addPastAppointment(t, e.Store, e.officeID, monday, 3, booking.StatusDone, "Mariaprivata")
	addPastAppointment(t, e.Store, e.officeID, monday.Add(24*time.Hour), 5, booking.StatusNoShow, "Lucaprivato")
	addPastAppointment(t, e.Store, se.other, monday, 9, booking.StatusDone, "Annaprivata")
	for _, r := range []store.Rating{
		{PagePath: "/uffici/" + bookingOfficeSlug, Stars: 2, Answer: "Ho avuto problemi tecnici", Comment: "Commento privato"},
		{PagePath: "/uffici/udc-orvieto", Stars: 5, Answer: "Le indicazioni erano chiare"},
		{PagePath: "/comuni", Stars: 4},
	} {
		if err := e.Store.AddRating(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	login := func(email string, role auth.Role, offices ...int64) *testEnv {
		_, pw := addStaff(t, e.Store, email, role, offices...)
		c := e.testEnv.fresh()
		c.mustLogin(email, pw)
		return c
	}
	se.admin = login("ad@example.org", auth.RoleAdmin)
	se.operator = login("op@example.org", auth.RoleOperator, e.officeID)
	se.redactor = login("red@example.org", auth.RoleEditor)
	return se
}

func TestStaffStats_Administrator_EveryOfficeChartsTablesNoPersonalData(t *testing.T) {
	e := newStatsEnv(t)
	status, body := e.admin.get("/area-riservata/statistiche")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	text := html.UnescapeString(body)
	mustContain(t, "statistics", text,
		`role="img" aria-labelledby="grafico-settimane-title grafico-settimane-desc"`, `<title id="grafico-settimane-title">`,
		`<desc id="grafico-attesa-desc">`, "<caption>Appuntamenti per settimana ed esito</caption>",
		"Ufficio della Cittadinanza di prova", "UdC di Orvieto", "Zona sociale 2", "Zona sociale 12",
		"/uffici/udc-orvieto", "Le indicazioni erano chiare", "/area-riservata/statistiche/settimane.csv?")
	// The booking office takes bookings online: its first free slot is
	// shown, in words.
	if !strings.Contains(text, "Prenotazione online non attiva") || !strings.Contains(text, ", dalle ") {
		t.Error("first free slots missing")
	}
	for _, private := range []string{"Mariaprivata", "Cognomeprivato", "privato@example.org", "Commento privato"} {
		if strings.Contains(body, private) {
			t.Errorf("personal data on the page: %q", private)
		}
	}
	// Totals: three appointments, two done, one no-show.
	if !strings.Contains(tight(body), "<th scope=\"row\">Totale</th><td class=\"text-end\">3</td><td class=\"text-end\">0</td><td class=\"text-end\">2</td><td class=\"text-end\">1</td>") {
		t.Error("totals row wrong")
	}
}

func TestStaffStats_ZoneFilter_CountsOnlyItsOffices(t *testing.T) {
	e := newStatsEnv(t)
	status, body := e.admin.get("/area-riservata/statistiche?zona=12")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	mustContain(t, "zone 12", html.UnescapeString(body), "UdC di Orvieto", "Zona sociale 12.")
	if strings.Contains(body, "<th scope=\"row\">Ufficio della Cittadinanza di prova</th>") {
		t.Error("an office of another zone is counted")
	}
	if strings.Contains(body, "/uffici/"+bookingOfficeSlug+"</th>") {
		t.Error("a rating of another zone's office is shown")
	}
	if status, _ := e.admin.get("/area-riservata/statistiche?zona=99"); status != http.StatusUnprocessableEntity {
		t.Errorf("unknown zone: %d", status)
	}
}

func TestStaffStats_Operator_OwnOfficesOnly_AnotherOffice404(t *testing.T) {
	e := newStatsEnv(t)
	status, body := e.operator.get("/area-riservata/statistiche")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if strings.Contains(body, "Orvieto") || strings.Contains(body, "/comuni</th>") {
		t.Error("the operatore sees another office or the other pages' ratings")
	}
	if strings.Contains(body, `id="zona"`) {
		t.Error("the operatore can choose a Zona sociale")
	}
	mustContain(t, "operatore", body, "Ufficio della Cittadinanza di prova", "/uffici/"+bookingOfficeSlug)
	for _, path := range []string{
		fmt.Sprintf("/area-riservata/statistiche?ufficio=%d", e.other),
		fmt.Sprintf("/area-riservata/statistiche/uffici.csv?ufficio=%d", e.other),
		"/area-riservata/statistiche?ufficio=abc",
	} {
		status, body := e.operator.get(path)
		if status != http.StatusNotFound || strings.Contains(body, "Orvieto") {
			t.Errorf("%s: status %d, want 404", path, status)
		}
	}
	if status, _ := e.operator.get(fmt.Sprintf("/area-riservata/statistiche?ufficio=%d", e.officeID)); status != http.StatusOK {
		t.Errorf("own office: %d", status)
	}
}

func TestStaffStats_Redactor_RatingsOnly(t *testing.T) {
	e := newStatsEnv(t)
	status, body := e.redactor.get("/area-riservata/statistiche")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if strings.Contains(body, "Appuntamenti per settimana") || strings.Contains(body, "Orvieto</th>") {
		t.Error("a redattore sees appointment figures")
	}
	mustContain(t, "ratings", body, "/comuni", "/uffici/udc-orvieto")
	if status, _ := e.redactor.get("/area-riservata/statistiche/settimane.csv"); status != http.StatusNotFound {
		t.Errorf("weeks CSV for a redattore: %d", status)
	}
	if status, _ := e.redactor.get("/area-riservata/statistiche/valutazioni.csv"); status != http.StatusOK {
		t.Errorf("ratings CSV for a redattore: %d", status)
	}
}

func TestStaffStats_CSV_ItalianSpreadsheetFormat(t *testing.T) {
	e := newStatsEnv(t)
	for _, name := range []string{"settimane", "attesa", "uffici", "richieste", "valutazioni", "risposte"} {
		resp, err := e.admin.Client.Get(e.Server.URL + "/area-riservata/statistiche/" + name + ".csv")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			!strings.HasPrefix(resp.Header.Get("Content-Disposition"), `attachment; filename="statistiche-`+name+"-") {
			t.Fatalf("%s: %d %q %q", name, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Disposition"))
		}
		s := string(b)
		if !strings.HasPrefix(s, "\uFEFF") || !strings.Contains(s, ";") || !strings.Contains(s, "\r\n") {
			t.Errorf("%s: not a ;-separated UTF-8 CSV with BOM:\n%s", name, s)
		}
		if strings.Contains(s, "privat") {
			t.Errorf("%s: personal data in the CSV", name)
		}
		if name == "uffici" && !strings.Contains(s, "UdC di Orvieto;Assistente sociale;1;0;1;0;0;0;0;0;9;9;Prenotazione online non attiva") {
			t.Errorf("uffici:\n%s", s)
		}
	}
	if status, _ := e.admin.get("/area-riservata/statistiche/nulla.csv"); status != http.StatusNotFound {
		t.Errorf("unknown table: %d", status)
	}
}

func TestStaffStats_BadPeriod_422WithMessages(t *testing.T) {
	e := newStatsEnv(t)
	for q, want := range map[string]string{
		"?dal=ieri":                     "dal",
		"?dal=2026-05-01&al=2026-04-01": "al",
		"?dal=2024-01-01&al=2026-01-01": "al",
		"?figura=psicologo":             "figura",
	} {
		status, body := e.admin.get("/area-riservata/statistiche" + q)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#`+want+`"`) {
			t.Errorf("%s: status %d, no error on %s", q, status, want)
		}
	}
}
