package web_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

// newOfficeEnv starts a portal instance whose office cache lives an hour:
// only a change notification (see Server.Run) can refresh it. st shares
// the database of another instance; nil makes a new one.
func newOfficeEnv(t testing.TB, st *store.Store) *testEnv {
	t.Helper()
	return newTestEnv(t, sharingStore(st), withOptions(func(o *web.Options) { o.OfficeCacheTTL = time.Hour }))
}

// waitForListeners waits until n instances listen for office changes.
func waitForListeners(t testing.TB, st *store.Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		var got int
		_ = st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND query = $1`, store.ListenQuery).Scan(&got)
		if got >= n {
			// Let each listener drop the cache it found when it connected.
			time.Sleep(100 * time.Millisecond)
			return
		}
	}
	t.Fatalf("fewer than %d instances listen for office changes", n)
}

// staffOfficeSlug is the office the staff tests edit; it serves Perugia
// and opens on Monday morning and Wednesday afternoon.
const staffOfficeSlug = "udc-orari-prova"

func addTimetableOffice(t testing.TB, st *store.Store, slug, name string) int64 {
	t.Helper()
	res, err := st.SaveOffices(context.Background(), []store.Office{{
		Slug: slug, Name: name, SeatISTAT: "054039", Address: "Via della Prova 1", CAP: "06121",
		Comuni: []store.OfficeComune{{ISTAT: "054039"}}, SourceNote: "Test",
		Hours: []hours.Interval{
			{Weekday: time.Monday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindWalkIn},
			{Weekday: time.Wednesday, Start: hours.NewClock(15, 0), End: hours.NewClock(17, 0), Kind: hours.KindAppointment},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ID
}

// officePath is the staff page of an office, plus sub.
func officePath(id int64, sub string) string {
	return "/area-riservata/uffici/" + strconv.FormatInt(id, 10) + sub
}

// hoursRows builds the form of the weekly hours: each row is day number,
// start, end, kind and, for stored rows, "esistente" or "rimuovi".
func hoursRows(tok string, rows ...[]string) url.Values {
	f := url.Values{"csrf_token": {tok}, "fasce": {strconv.Itoa(len(rows))}}
	for i, r := range rows {
		p := fmt.Sprintf("fascia-%d-", i)
		f.Set(p+"giorno", r[0])
		f.Set(p+"inizio", r[1])
		f.Set(p+"fine", r[2])
		if len(r) > 3 {
			f.Set(p+"tipo", r[3])
		}
		for _, flag := range r[min(len(r), 4):] {
			switch flag {
			case "esistente":
				f.Set(p+"esistente", "1")
			case "rimuovi":
				f.Set(p+"esistente", "1")
				f.Set(p+"rimuovi", "1")
			}
		}
	}
	return f
}

// storedHours returns the weekly hours of an office as "1 09:00-13:00 accoglienza".
func storedHours(t testing.TB, st *store.Store, id int64) []string {
	t.Helper()
	tt, err := st.OfficeTimetable(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, iv := range tt.Hours {
		out = append(out, fmt.Sprintf("%d %s-%s %s", iv.Weekday, iv.Start, iv.End, iv.Kind))
	}
	return out
}

// auditCount counts the audit entries of action on an office.
func auditCount(t testing.TB, st *store.Store, officeID int64, action string) int {
	t.Helper()
	var n int
	if err := st.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity = 'office' AND entity_id = $1 AND action = $2`,
		officeID, action).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// fieldError returns the message shown next to input id, "" if none.
func fieldError(body, id string) string {
	_, rest, ok := strings.Cut(body, `id="`+id+`-error"><span class="visually-hidden">Errore: </span>`)
	if !ok {
		return ""
	}
	msg, _, _ := strings.Cut(rest, "<")
	return html.UnescapeString(msg)
}

func TestStaffOfficeHours_EditSaves_AuditedAndShownAtOnceOnEveryInstance(t *testing.T) {
	one := newOfficeEnv(t, nil)
	two := newOfficeEnv(t, one.Store)
	id := addTimetableOffice(t, one.Store, staffOfficeSlug, "UdC Orari di prova")
	_, pw := addStaff(t, one.Store, "op@example.org", auth.RoleOperator, id)
	waitForListeners(t, one.Store, 2)
	// Both instances have the office in their cache.
	for _, e := range []*testEnv{one, two} {
		if _, body := e.get("/uffici/" + staffOfficeSlug); !strings.Contains(body, "9:00–13:00") || strings.Contains(body, "14:30–18:00") {
			t.Fatal("public page before the change")
		}
	}
	one.mustLogin("op@example.org", pw)
	status, body := one.get(officePath(id, "/orari"))
	if status != 200 {
		t.Fatalf("hours page: %d", status)
	}
	for _, want := range []string{`name="fascia-0-giorno"`, `value="09:00"`, `value="13:00"`, "Rimuovi questa fascia", "Nuova fascia 1", `name="fascia-5-inizio"`} {
		if !strings.Contains(body, want) {
			t.Errorf("hours page lacks %q", want)
		}
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	// Monday becomes 8:30–13:00, Wednesday's row is removed, Thursday
	// afternoon is added; an empty row is ignored.
	resp, _ := one.post(officePath(id, "/orari"), hoursRows(tok,
		[]string{"1", "08:30", "13:00", "accoglienza", "esistente"},
		[]string{"3", "15:00", "17:00", "appuntamento", "rimuovi"},
		[]string{"4", "14:30", "18:00", "accoglienza"},
		[]string{"", "", "", ""}))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != officePath(id, "/orari") {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if got := storedHours(t, one.Store, id); strings.Join(got, ";") != "1 08:30-13:00 accoglienza;4 14:30-18:00 accoglienza" {
		t.Fatalf("stored %q", got)
	}
	if _, body := one.get(officePath(id, "/orari")); !strings.Contains(body, "Orari settimanali salvati") {
		t.Error("no flash after saving")
	}
	// The same instance shows the change at once, without waiting.
	if _, body := one.get("/uffici/" + staffOfficeSlug); !strings.Contains(body, "8:30–13:00") || !strings.Contains(body, "14:30–18:00") {
		t.Error("the instance that saved still shows the old hours")
	}
	// The other one as soon as the notification arrives.
	shows := func() bool {
		_, body := two.get("/uffici/" + staffOfficeSlug)
		return strings.Contains(body, "14:30–18:00")
	}
	for deadline := time.Now().Add(5 * time.Second); !shows(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the other instance never showed the change")
		}
	}
	if n := auditCount(t, one.Store, id, "office_hours"); n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	// Saving the same hours again changes nothing and audits nothing.
	resp, _ = one.post(officePath(id, "/orari"), hoursRows(tok,
		[]string{"4", "14:30", "18:00", "accoglienza", "esistente"},
		[]string{"1", "8.30", "13:00", "accoglienza", "esistente"}))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("same hours: %d", resp.StatusCode)
	}
	if _, body := one.get(officePath(id, "/orari")); !strings.Contains(body, "Nessuna modifica") {
		t.Error("no 'nothing changed' flash")
	}
	if n := auditCount(t, one.Store, id, "office_hours"); n != 1 {
		t.Fatalf("%d audit entries after a save without changes", n)
	}
	// The audit log shows the change to an administrator.
	_, adPw := addStaff(t, one.Store, "ad@example.org", auth.RoleAdmin)
	ad := one.fresh()
	ad.mustLogin("ad@example.org", adPw)
	if _, body := ad.get("/area-riservata/registro?azione=office_hours"); !strings.Contains(body, "Modifica degli orari settimanali") ||
		!strings.Contains(body, "14:30") {
		t.Error("audit log lacks the change")
	}
}

func TestStaffOfficeHours_InvalidRows_422WithMessagesAndNothingStored(t *testing.T) {
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)
	e.mustLogin("op@example.org", pw)
	tok := e.csrf(officePath(id, "/orari"))
	before := storedHours(t, e.Store, id)
	cases := []struct {
		name  string
		rows  [][]string
		field string
		want  string
	}{
		{"overlap", [][]string{{"1", "09:00", "13:00", "accoglienza", "esistente"}, {"5", "09:00", "10:00", "accoglienza"}, {"1", "12:00", "14:00", "accoglienza"}},
			"fascia-2-inizio", "Le fasce 9:00–13:00 e 12:00–14:00 di lunedì (Accoglienza) si sovrappongono."},
		{"end before start", [][]string{{"2", "13:00", "09:00", "accoglienza"}},
			"fascia-0-fine", "L'orario di fine deve essere successivo a quello di inizio."},
		{"missing day", [][]string{{"", "09:00", "12:00", "accoglienza"}}, "fascia-0-giorno", string(hours.ErrWeekday)},
		{"missing kind", [][]string{{"2", "09:00", "12:00", ""}}, "fascia-0-tipo", string(hours.ErrKind)},
		{"missing end", [][]string{{"2", "09:00", "", "accoglienza"}}, "fascia-0-fine", "Indicare l'orario di fine."},
		{"bad start", [][]string{{"2", "25:00", "26:00", "accoglienza"}}, "fascia-0-inizio", string(hours.ErrStart)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			resp, body := e.post(officePath(id, "/orari"), hoursRows(tok, c.rows...))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", resp.StatusCode)
			}
			if got := fieldError(body, c.field); got != c.want {
				t.Errorf("message next to %s: %q, want %q", c.field, got, c.want)
			}
			if !strings.Contains(problemOf(body), `href="#`+c.field+`"`) {
				t.Errorf("the error summary does not link to %s", c.field)
			}
			// What was typed is kept.
			for _, r := range c.rows {
				if r[1] != "" && !strings.Contains(body, `value="`+r[1]+`"`) {
					t.Errorf("input %q lost", r[1])
				}
			}
			if got := storedHours(t, e.Store, id); strings.Join(got, ";") != strings.Join(before, ";") {
				t.Errorf("hours changed: %q", got)
			}
		})
	}
	// One submission shows every problem: a row's missing kind does not
	// hide its times in the wrong order, nor an overlap between two other
	// rows.
	_, body := e.post(officePath(id, "/orari"), hoursRows(tok,
		[]string{"2", "13:00", "09:00", ""},
		[]string{"1", "09:00", "13:00", "accoglienza"},
		[]string{"1", "12:00", "14:00", "accoglienza"}))
	for field, want := range map[string]string{
		"fascia-0-tipo":   string(hours.ErrKind),
		"fascia-0-fine":   string(hours.ErrOrder),
		"fascia-2-inizio": "Le fasce 9:00–13:00 e 12:00–14:00 di lunedì (Accoglienza) si sovrappongono.",
	} {
		if got := fieldError(body, field); got != want {
			t.Errorf("all at once, %s: %q, want %q", field, got, want)
		}
	}
	if n := auditCount(t, e.Store, id, "office_hours"); n != 0 {
		t.Errorf("%d audit entries", n)
	}
}

func TestStaffOfficeClosures_PastRejected_NewOneOnPublicPageAtOnce_Deleted(t *testing.T) {
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)
	e.mustLogin("op@example.org", pw)
	page := officePath(id, "/chiusure")
	tok := e.csrf(page)
	today := hours.DateOf(time.Now())
	e.get("/uffici/" + staffOfficeSlug) // warm the cache

	for _, c := range []struct {
		name, from, to, field, want string
	}{
		{"ended yesterday", today.AddDays(-3).String(), today.AddDays(-1).String(), "al", "La chiusura non può terminare nel passato."},
		{"one day in the past", today.AddDays(-1).String(), "", "dal", "La chiusura non può terminare nel passato."},
		{"end before start", today.AddDays(5).String(), today.AddDays(4).String(), "al", string(hours.ErrDateOrder)},
		{"no first day", "", today.AddDays(4).String(), "dal", string(hours.ErrFrom)},
		{"not a date", "31/02/2030", "", "dal", "Indicare una data valida, per esempio 8/12/2026."},
	} {
		resp, body := e.post(page, url.Values{"csrf_token": {tok}, "dal": {c.from}, "al": {c.to}, "motivo": {"Chiuso per prova"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(body, c.field) != c.want {
			t.Errorf("%s: %d, %q next to %s", c.name, resp.StatusCode, fieldError(body, c.field), c.field)
		}
		if !strings.Contains(body, `value="Chiuso per prova"`) {
			t.Errorf("%s: reason not kept", c.name)
		}
	}
	if tt, _ := e.Store.OfficeTimetable(context.Background(), id); len(tt.Closures) != 0 {
		t.Fatalf("invalid closures stored: %+v", tt.Closures)
	}

	day := today.AddDays(2)
	resp, _ := e.post(page, url.Values{"csrf_token": {tok}, "dal": {day.String()}, "motivo": {"  Chiuso per   disinfestazione "}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Fatalf("add: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body := e.get(page)
	if !strings.Contains(body, "Chiusura aggiunta: "+day.Italian()) || !strings.Contains(body, "Chiuso per disinfestazione") {
		t.Error("closures page lacks the flash or the closure")
	}
	_, public := e.get("/uffici/" + staffOfficeSlug)
	if !strings.Contains(public, "Chiuso per disinfestazione") {
		t.Fatal("the public page does not show the closure")
	}
	tt, _ := e.Store.OfficeTimetable(context.Background(), id)
	if len(tt.Closures) != 1 || tt.Closures[0].From != day || tt.Closures[0].To != day {
		t.Fatalf("stored %+v", tt.Closures)
	}
	del := fmt.Sprintf("%s/%d/elimina", page, tt.Closures[0].ID)
	if !strings.Contains(body, `action="`+del+`"`) {
		t.Fatal("no delete button")
	}
	resp, _ = e.post(del, url.Values{"csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if _, public := e.get("/uffici/" + staffOfficeSlug); strings.Contains(public, "disinfestazione") {
		t.Error("the public page still shows the deleted closure")
	}
	// Deleting it again: it is gone.
	if resp, _ := e.post(del, url.Values{"csrf_token": {tok}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("second delete: %d", resp.StatusCode)
	}
	if a, d := auditCount(t, e.Store, id, "closure_add"), auditCount(t, e.Store, id, "closure_delete"); a != 1 || d != 1 {
		t.Errorf("audit: %d additions, %d deletions", a, d)
	}
}

func TestStaffOfficeSpecials_AddOverlapPast_ShownOnPublicPage(t *testing.T) {
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)
	e.mustLogin("op@example.org", pw)
	page := officePath(id, "/aperture-straordinarie")
	tok := e.csrf(page)
	day := hours.DateOf(time.Now()).AddDays(3)
	form := func(date, start, end, kind string) url.Values {
		return url.Values{"csrf_token": {tok}, "data": {date}, "inizio": {start}, "fine": {end}, "tipo": {kind}, "nota": {"Apertura per il bando"}}
	}
	resp, _ := e.post(page, form(day.String(), "16:00", "18:30", "accoglienza"))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", resp.StatusCode)
	}
	if _, public := e.get("/uffici/" + staffOfficeSlug); !strings.Contains(public, "16:00–18:30 · Accoglienza · Apertura per il bando") {
		t.Error("the public page does not show the special opening")
	}
	for _, c := range []struct {
		name  string
		form  url.Values
		field string
		want  string
	}{
		{"overlap", form(day.String(), "18:00", "19:00", "accoglienza"), "inizio",
			"Le aperture straordinarie 16:00–18:30 e 18:00–19:00 di " + day.Italian() + " (Accoglienza) si sovrappongono."},
		{"past", form(day.AddDays(-5).String(), "09:00", "10:00", "accoglienza"), "data", "L'apertura straordinaria non può essere in una data passata."},
		{"end before start", form(day.String(), "10:00", "09:00", "appuntamento"), "fine", string(hours.ErrOrder)},
		{"no kind", form(day.String(), "09:00", "10:00", ""), "tipo", string(hours.ErrKind)},
	} {
		resp, body := e.post(page, c.form)
		if resp.StatusCode != http.StatusUnprocessableEntity || fieldError(body, c.field) != c.want {
			t.Errorf("%s: %d, %q next to %s", c.name, resp.StatusCode, fieldError(body, c.field), c.field)
		}
	}
	// Another kind at the same time is fine.
	if resp, _ := e.post(page, form(day.String(), "16:00", "17:00", "appuntamento")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("other kind: %d", resp.StatusCode)
	}
	tt, _ := e.Store.OfficeTimetable(context.Background(), id)
	if len(tt.Specials) != 2 {
		t.Fatalf("stored %+v", tt.Specials)
	}
	resp, _ = e.post(fmt.Sprintf("%s/%d/elimina", page, tt.Specials[0].ID), url.Values{"csrf_token": {tok}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", resp.StatusCode)
	}
	if n := auditCount(t, e.Store, id, "special_opening_add") + auditCount(t, e.Store, id, "special_opening_delete"); n != 3 {
		t.Errorf("%d audit entries", n)
	}
}

// bookingForm is a valid settings form with the given windows (day,
// start, end).
func bookingForm(tok string, windows ...[]string) url.Values {
	f := hoursRows(tok, windows...)
	for k, v := range map[string]string{"abilitata": "1", "durata": "30", "capienza": "2", "preavviso": "1", "orizzonte": "30",
		"max_attivi": "3", "modalita": "richiesta", "motivi": "Prima informazione\r\n\r\n  Sostegno   economico\r\n"} {
		f.Set(k, v)
	}
	return f
}

func TestStaffOfficeBooking_ValidationWarningAndSave(t *testing.T) {
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)
	e.mustLogin("op@example.org", pw)
	if status, body := e.get(officePath(id, "/prenotazioni/impostazioni")); status != 200 || !strings.Contains(body, "Non ancora configurato") ||
		!strings.Contains(body, `href="`+officePath(id, "/prenotazioni/impostazioni/assistente-sociale")+`"`) {
		t.Fatalf("overview: %d", status)
	}
	page := officePath(id, "/prenotazioni/impostazioni/assistente-sociale")
	status, body := e.get(page)
	if status != 200 || !strings.Contains(body, `value="45"`) || !strings.Contains(body, "Prima informazione\nSostegno economico") {
		t.Fatalf("form with the defaults: %d", status)
	}
	tok := csrfRE.FindStringSubmatch(body)[1]
	if status, _ := e.get(officePath(id, "/prenotazioni/impostazioni/psicologo")); status != 404 {
		t.Errorf("unknown professional: %d", status)
	}

	bad := bookingForm(tok, []string{"1", "09:00", "12:00"}, []string{"1", "11:00", "12:30"}, []string{"3", "15:00", "15:20"})
	bad.Set("durata", "5")
	bad.Set("capienza", "molti")
	bad.Set("motivi", "\n \n")
	bad.Set("max_attivi", "0")
	bad.Del("modalita")
	resp, body := e.post(page, bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("invalid settings: %d", resp.StatusCode)
	}
	for field, want := range map[string]string{
		"durata":          "Indicare una durata tra 10 e 240 minuti.",
		"capienza":        "Indicare quante persone possono essere ricevute insieme: da 1 a 20.",
		"motivi":          "Indicare almeno un motivo tra cui il cittadino può scegliere.",
		"max_attivi":      "Indicare quanti appuntamenti futuri può avere una stessa persona: da 1 a 20.",
		"modalita":        "Scegliere la modalità di conferma.",
		"fascia-1-inizio": "Le fasce 9:00–12:00 e 11:00–12:30 di lunedì si sovrappongono.",
	} {
		if got := fieldError(body, field); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
		if !strings.Contains(problemOf(body), `href="#`+field+`"`) {
			t.Errorf("summary lacks a link to %s", field)
		}
	}
	if !strings.Contains(body, `value="molti"`) || !strings.Contains(body, `value="12:30"`) {
		t.Error("input not kept")
	}
	// The window is shorter than an appointment once the length is valid.
	short := bookingForm(tok, []string{"3", "15:00", "15:20"})
	if resp, body := e.post(page, short); resp.StatusCode != http.StatusUnprocessableEntity ||
		fieldError(body, "fascia-0-inizio") != "La fascia 15:00–15:20 di mercoledì è più breve di un appuntamento (30 minuti)." {
		t.Errorf("short window: %d %q", resp.StatusCode, fieldError(body, "fascia-0-inizio"))
	}
	if all, _ := e.Store.BookingSettings(context.Background(), id); len(all) != 0 {
		t.Fatalf("invalid settings stored: %+v", all)
	}

	// Valid, with Friday outside the opening hours: saved, with a warning.
	resp, _ = e.post(page, bookingForm(tok, []string{"1", "09:00", "12:00"}, []string{"5", "10:00", "12:00"}))
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != page {
		t.Fatalf("save: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, body = e.get(page)
	for _, want := range []string{"Impostazioni delle prenotazioni con l&#39;assistente sociale salvate.",
		"La fascia 10:00–12:00 di venerdì è fuori, in tutto o in parte, dall&#39;orario di apertura dell&#39;ufficio"} {
		if !strings.Contains(body, want) {
			t.Errorf("page after saving lacks %q", want)
		}
	}
	all, err := e.Store.BookingSettings(context.Background(), id)
	if err != nil || len(all) != 1 {
		t.Fatalf("stored %+v %v", all, err)
	}
	bs := all[0]
	if !bs.Enabled || bs.LengthMinutes != 30 || bs.Capacity != 2 || bs.MinNoticeWorkingDays != 1 || bs.HorizonDays != 30 ||
		bs.Mode != booking.ModeRequest || strings.Join(bs.Reasons, "|") != "Prima informazione|Sostegno economico" ||
		bs.MaxActivePerEmail != 3 || len(bs.Windows) != 2 {
		t.Errorf("stored %+v", bs)
	}
	if n := auditCount(t, e.Store, id, "booking_settings"); n != 1 {
		t.Errorf("%d audit entries", n)
	}
	if _, body := e.get(officePath(id, "/prenotazioni/impostazioni")); !strings.Contains(body, "Prenotazioni attive.") ||
		!strings.Contains(body, "Appuntamenti di 30 minuti, fino a 2 persone insieme.") {
		t.Error("overview does not show the settings")
	}
	// Turned off, it needs no window.
	off := bookingForm(tok)
	off.Del("abilitata")
	if resp, body := e.post(page, off); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("turning off without windows: %d\n%s", resp.StatusCode, problemOf(body))
	}
}

func TestStaffOffice_OperatorOfAGets404ForEveryRouteOfB(t *testing.T) {
	e := newOfficeEnv(t, nil)
	a := addTimetableOffice(t, e.Store, "udc-alfa", "UdC di Alfa")
	b := addTimetableOffice(t, e.Store, "udc-beta", "UdC di Beta")
	ctx := context.Background()
	closureB, err := e.Store.CreateOfficeClosure(ctx, 0, b, hours.Closure{From: hours.MakeDate(2099, 1, 4), To: hours.MakeDate(2099, 1, 4), Reason: "Chiuso B"})
	if err != nil {
		t.Fatal(err)
	}
	specialB, err := e.Store.CreateSpecialOpening(ctx, 0, b, hours.SpecialOpening{Date: hours.MakeDate(2099, 1, 5),
		Start: hours.NewClock(9, 0), End: hours.NewClock(10, 0), Kind: hours.KindWalkIn})
	if err != nil {
		t.Fatal(err)
	}
	_, opPw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	_, edPw := addStaff(t, e.Store, "ed@example.org", auth.RoleEditor)
	_, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	op, ed, ad := e.fresh(), e.fresh(), e.fresh()
	op.mustLogin("op@example.org", opPw)
	ed.mustLogin("ed@example.org", edPw)
	ad.mustLogin("ad@example.org", adPw)
	opTok, edTok := op.csrf("/area-riservata"), ed.csrf("/area-riservata")

	gets := []string{"/orari", "/chiusure", "/aperture-straordinarie", "/prenotazioni/impostazioni",
		"/prenotazioni/impostazioni/assistente-sociale", "/prenotazioni/impostazioni/educatore"}
	posts := map[string]url.Values{
		"/orari":                               hoursRows("", []string{"2", "09:00", "10:00", "accoglienza"}),
		"/chiusure":                            {"dal": {"2099-02-01"}, "motivo": {"Intrusione"}},
		"/aperture-straordinarie":              {"data": {"2099-02-01"}, "inizio": {"09:00"}, "fine": {"10:00"}, "tipo": {"accoglienza"}},
		"/prenotazioni/impostazioni/educatore": bookingForm("", []string{"1", "09:00", "12:00"}),
		fmt.Sprintf("/chiusure/%d/elimina", closureB):               {},
		fmt.Sprintf("/aperture-straordinarie/%d/elimina", specialB): {},
	}
	send := func(env *testEnv, tok, path string, form url.Values) int {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf_token", tok)
		resp, body := env.post(path, f)
		if strings.Contains(body, "UdC di Beta") {
			t.Errorf("POST %s reveals office B", path)
		}
		return resp.StatusCode
	}
	for _, who := range []struct {
		name   string
		env    *testEnv
		tok    string
		office int64
	}{{"operatore of A on B", op, opTok, b}, {"redattore on A", ed, edTok, a}, {"redattore on B", ed, edTok, b}} {
		for _, sub := range gets {
			if status, body := who.env.get(officePath(who.office, sub)); status != 404 || strings.Contains(body, "UdC di") {
				t.Errorf("%s: GET %s: %d, want 404", who.name, sub, status)
			}
		}
		for sub, form := range posts {
			if status := send(who.env, who.tok, officePath(who.office, sub), form); status != 404 {
				t.Errorf("%s: POST %s: %d, want 404", who.name, sub, status)
			}
		}
	}
	// Office B's closure and opening under office A's URL: 404, and they
	// survive; so do ids that are not numbers.
	for _, sub := range []string{fmt.Sprintf("/chiusure/%d/elimina", closureB), fmt.Sprintf("/aperture-straordinarie/%d/elimina", specialB),
		"/chiusure/abc/elimina", "/chiusure/-1/elimina", "/aperture-straordinarie/0/elimina"} {
		if status := send(op, opTok, officePath(a, sub), url.Values{}); status != 404 {
			t.Errorf("operatore of A: POST %s under A: %d, want 404", sub, status)
		}
	}
	tt, _ := e.Store.OfficeTimetable(ctx, b)
	if len(tt.Closures) != 1 || len(tt.Specials) != 1 || len(tt.Hours) != 2 {
		t.Fatalf("office B changed: %+v", tt)
	}
	if all, _ := e.Store.BookingSettings(ctx, b); len(all) != 0 {
		t.Fatal("office B got booking settings")
	}
	// The operatore reaches every page of A; the administrator those of B.
	for _, sub := range gets {
		if status, _ := op.get(officePath(a, sub)); status != 200 {
			t.Errorf("operatore of A: GET %s on A: %d", sub, status)
		}
		if status, _ := ad.get(officePath(b, sub)); status != 200 {
			t.Errorf("amministratore: GET %s on B: %d", sub, status)
		}
	}
	if resp, _ := ad.post(officePath(b, fmt.Sprintf("/chiusure/%d/elimina", closureB)), url.Values{"csrf_token": {ad.csrf("/area-riservata")}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("amministratore deleting B's closure: %d", resp.StatusCode)
	}
	// The office page links to every section.
	_, body := op.get(officePath(a, ""))
	for _, sub := range []string{"/orari", "/chiusure", "/aperture-straordinarie", "/prenotazioni/impostazioni"} {
		if !strings.Contains(body, `href="`+officePath(a, sub)+`"`) {
			t.Errorf("office page lacks a link to %s", sub)
		}
	}
}

func TestStaffOffice_PostWithoutSessionToken_403AndNothingStored(t *testing.T) {
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	closure, err := e.Store.CreateOfficeClosure(context.Background(), 0, id, hours.Closure{From: hours.MakeDate(2099, 1, 4), To: hours.MakeDate(2099, 1, 4)})
	if err != nil {
		t.Fatal(err)
	}
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)
	e.mustLogin("op@example.org", pw)
	public := e.fresh().csrf("/area-riservata/login")
	forms := map[string]url.Values{
		"/orari":    hoursRows("", []string{"2", "09:00", "10:00", "accoglienza"}),
		"/chiusure": {"dal": {"2099-02-01"}},
		fmt.Sprintf("/chiusure/%d/elimina", closure): {},
		"/aperture-straordinarie":                    {"data": {"2099-02-01"}, "inizio": {"09:00"}, "fine": {"10:00"}, "tipo": {"accoglienza"}},
		"/prenotazioni/impostazioni/educatore":       bookingForm("", []string{"1", "09:00", "12:00"}),
	}
	for sub, form := range forms {
		for _, tok := range []string{"", "falso", public} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set("csrf_token", tok)
			if resp, _ := e.post(officePath(id, sub), f); resp.StatusCode != http.StatusForbidden {
				t.Errorf("POST %s with token %q: %d, want 403", sub, tok, resp.StatusCode)
			}
		}
	}
	tt, _ := e.Store.OfficeTimetable(context.Background(), id)
	if len(tt.Hours) != 2 || len(tt.Closures) != 1 || len(tt.Specials) != 0 {
		t.Errorf("stored without a token: %+v", tt)
	}
	if all, _ := e.Store.BookingSettings(context.Background(), id); len(all) != 0 {
		t.Error("booking settings stored without a token")
	}
}
