package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// The tests of issue 12, sections 1 and 2: a closure, new weekly hours or
// new booking windows over booked appointments (a confirmation page, then
// one transaction), and bookings taken by phone or at the desk.

// keyDate is the day of a slot key: "2026-12-10".
func keyDate(key string) string {
	_, when, _ := strings.Cut(key, "/")
	return when[:10]
}

// sameDaySlots returns the week (?settimana=N) and n free slots of the
// social worker on the first day that has that many, as a citizen sees
// them.
func (e *apptEnv) sameDaySlots(n int) (int, []string) {
	e.t.Helper()
	c := e.browser()
	c.toSlots()
	for week := range 3 {
		_, body := c.get("/prenota/data?settimana=" + strconv.Itoa(week))
		byDay := map[string][]string{}
		var days []string
		for _, k := range freeSlots(body) {
			d := keyDate(k)
			if byDay[d] == nil {
				days = append(days, d)
			}
			byDay[d] = append(byDay[d], k)
		}
		for _, d := range days {
			if len(byDay[d]) >= n {
				return week, byDay[d][:n]
			}
		}
	}
	e.t.Fatalf("no day with %d free slots in three weeks", n)
	return 0, nil
}

// bookKey walks the wizard in a new browser for the social worker's slot
// key, with the applicant's answers plus extra, and returns the booking.
func (e *apptEnv) bookKey(key, email string, extra url.Values) booked {
	e.t.Helper()
	c := e.browser()
	c.toSlots()
	resp, _ := c.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {"0"}})
	if got := location(e.t, resp); got != "/prenota/dettagli" {
		e.t.Fatalf("after step 2: %s", got)
	}
	resp, _ = c.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}})
	location(e.t, resp)
	form := validApplicant(email)
	for k, v := range extra {
		form[k] = v
	}
	resp, _ = c.send("/prenota/richiedente", "/prenota/richiedente", form)
	location(e.t, resp)
	e.clock.Add(10 * time.Second)
	resp, _ = c.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if got := location(e.t, resp); got != "/prenota/fatto" {
		e.t.Fatalf("after submit: %s", got)
	}
	b := booked{key: key, token: e.tokenFor(email)}
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT id, code, starts_at FROM appointments WHERE email = $1`,
		email).Scan(&b.id, &b.code, &b.start); err != nil {
		e.t.Fatal(err)
	}
	return b
}

var hiddenRE = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)"`)

// confirmForm returns the hidden inputs of the confirmation page (the
// copy of the change, the ids seen), without the CSRF token.
func confirmForm(t testing.TB, body string) url.Values {
	t.Helper()
	form := url.Values{}
	for _, m := range hiddenRE.FindAllStringSubmatch(body, -1) {
		if m[1] != "csrf_token" {
			form.Add(html.UnescapeString(m[1]), html.UnescapeString(m[2]))
		}
	}
	if form.Get("conferma") != "1" {
		t.Fatalf("no confirmation form in the page:\n%s", body)
	}
	return form
}

// closures returns the office's closures.
func (e *apptEnv) closures() []store.ClosureRecord {
	e.t.Helper()
	tt, err := e.Store.OfficeTimetable(context.Background(), e.officeID)
	if err != nil {
		e.t.Fatal(err)
	}
	return tt.Closures
}

// sendEmails counts the e-mails queued in River.
func (e *apptEnv) sendEmails() int {
	return e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email'`)
}

func TestClosure_OverTwoConfirmedAppointments_ConfirmedThenCancelled_CitizensToldSlotsGone(t *testing.T) {
	e := newApptEnv(t)
	week, keys := e.sameDaySlots(2)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	b := e.bookKey(keys[1], "due@example.org", nil)
	day := keyDate(keys[0])
	closures := officePath(e.officeID, "/chiusure")
	mails := e.sendEmails()

	// Saving the closure first shows the two appointments: nothing saved.
	resp, body := e.act(closures, url.Values{"dal": {day}, "motivo": {"Assemblea del personale"}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, a.code) || !strings.Contains(body, b.code) ||
		!strings.Contains(body, "La modifica non è ancora salvata") {
		t.Fatalf("confirmation page: %d", resp.StatusCode)
	}
	if len(e.closures()) != 0 || e.stored(a).Status != booking.StatusConfirmed {
		t.Fatal("the first submission saved something")
	}
	form := confirmForm(t, body)
	if form.Get("dal") != day || form.Get("motivo") != "Assemblea del personale" || len(strings.Split(form.Get("visti"), ",")) != 2 {
		t.Fatalf("the page does not carry the change: %v", form)
	}

	// Confirming without a choice: 422, still nothing saved.
	resp, body = e.act(closures, form)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "#decisione") ||
		!strings.Contains(problemOf(body), "#messaggio") || len(e.closures()) != 0 {
		t.Fatalf("confirmation without a choice: %d", resp.StatusCode)
	}

	form.Set("decisione", "annulla")
	form.Set("messaggio", "L'ufficio resta chiuso per un'assemblea del personale. Ci scusiamo.")
	resp, _ = e.act(closures, form)
	if got := location(t, resp); got != closures {
		t.Fatalf("after confirming: %s", got)
	}
	if len(e.closures()) != 1 {
		t.Fatal("closure not saved")
	}
	for _, bk := range []booked{a, b} {
		got := e.stored(bk)
		if got.Status != booking.StatusCancelled || !strings.Contains(got.CancelReason, "assemblea del personale") {
			t.Errorf("%s: %s %q", bk.code, got.Status, got.CancelReason)
		}
	}
	// Both citizens get the e-mail, through the job queue, with the reason.
	if n := e.sendEmails() - mails; n != 2 {
		t.Errorf("%d e-mails queued, want 2", n)
	}
	for _, email := range []string{"uno@example.org", "due@example.org"} {
		m, ok := e.lastMailTo(email)
		if !ok || !strings.HasPrefix(m.Subject, "Appuntamento annullato") || !strings.Contains(m.Text, "assemblea del personale") {
			t.Errorf("e-mail to %s: %q", email, m.Subject)
		}
	}
	// Their links show the cancellation with the reason.
	for _, bk := range []booked{a, b} {
		status, page := e.fresh().get("/appuntamento/" + bk.token)
		if status != http.StatusOK || !strings.Contains(page, "Annullato") || !strings.Contains(page, "assemblea del personale") ||
			!strings.Contains(page, "non presentarti") {
			t.Errorf("personal page of %s: %d", bk.code, status)
		}
	}
	// The day is no longer offered.
	c := e.browser()
	c.toSlots()
	if _, page := c.get("/prenota/data?settimana=" + strconv.Itoa(week)); strings.Contains(page, "/"+day+"T") {
		t.Error("the closed day is still offered")
	}
	// Audited as the operatore's, without personal data.
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "appointment_cancel"})
	if err != nil || len(recs) != 2 || recs[0].UserEmail != apptOperator || strings.Contains(recs[0].After, "example.org") {
		t.Errorf("audit: %+v %v", recs, err)
	}
}

// weeklyWithout is the hours form of the booking office (every day 8–20,
// walk-in) without weekday wd.
func weeklyWithout(wd time.Weekday) url.Values {
	form := url.Values{}
	i := 0
	for _, d := range hours.Weekdays() {
		if d == wd {
			continue
		}
		p := "fascia-" + strconv.Itoa(i)
		form.Set(p+"-giorno", strconv.Itoa(int(d)))
		form.Set(p+"-inizio", "08:00")
		form.Set(p+"-fine", "20:00")
		form.Set(p+"-tipo", string(hours.KindWalkIn))
		i++
	}
	form.Set("fasce", strconv.Itoa(i))
	return form
}

func TestWeeklyHours_DayRemoved_CitizensAskedToMove_PhoneOnesToCall(t *testing.T) {
	e := newApptEnv(t)
	_, keys := e.sameDaySlots(2)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	byPhone := e.bookKey(keys[1], "due@example.org", url.Values{"canale": {"telefono"}, "telefono": {"333 1234567"}})
	wd := a.start.In(hours.Rome()).Weekday()
	hoursPath := officePath(e.officeID, "/orari")

	resp, body := e.act(hoursPath, weeklyWithout(wd))
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, a.code) || !strings.Contains(body, "Telefono: 333 1234567") {
		t.Fatalf("confirmation page: %d", resp.StatusCode)
	}
	form := confirmForm(t, body)
	form.Set("decisione", "sposta")
	form.Set("messaggio", "Da questo mese l'ufficio non apre più in questo giorno.")
	resp, _ = e.act(hoursPath, form)
	calls := e.base + "/da-chiamare"
	if got := location(t, resp); got != calls {
		t.Fatalf("after confirming: %s, want the people to call", got)
	}
	for _, bk := range []booked{a, byPhone} {
		got := e.stored(bk)
		if got.Status != booking.StatusConfirmed || got.MoveRequestedAt == nil {
			t.Errorf("%s: %s, move requested %v", bk.code, got.Status, got.MoveRequestedAt)
		}
	}
	// The e-mail carries a new link, straight to the move page; the old
	// one no longer works.
	m, ok := e.lastMailTo("uno@example.org")
	if !ok || !strings.HasPrefix(m.Subject, "Scegli un altro orario") || !strings.Contains(m.Text, "non apre più") {
		t.Fatalf("e-mail: %q", m.Subject)
	}
	newTok := e.tokenFor("uno@example.org")
	if !strings.Contains(m.Text, "/appuntamento/"+newTok+"/sposta") || e.linkStatus(a.token) != http.StatusNotFound {
		t.Error("the e-mail does not lead to the move page, or the old link still works")
	}
	status, page := e.fresh().get("/appuntamento/" + newTok)
	if status != http.StatusOK || !strings.Contains(page, "Da spostare") || !strings.Contains(page, "non apre più") ||
		!strings.Contains(page, "/appuntamento/"+newTok+"/sposta") {
		t.Errorf("personal page: %d", status)
	}
	// The citizen who asked for the phone is on the list, with the message.
	_, list := e.staff.get(calls)
	if !strings.Contains(list, "333 1234567") || !strings.Contains(list, "non apre più") || strings.Contains(list, a.code) {
		t.Error("the list of people to call is wrong")
	}
	// The citizen moves the appointment: nothing to retype, the flag goes.
	citizen := e.fresh()
	_, movePage := citizen.get("/appuntamento/" + newTok + "/sposta")
	free := freeSlots(movePage)
	if len(free) == 0 {
		t.Fatal("no time offered to move to")
	}
	for _, k := range free {
		if keyDate(k) == keyDate(a.key) {
			t.Fatalf("the day without hours is offered: %s", k)
		}
	}
	form = url.Values{"orario": {free[0]}, "settimana": {weekRE.FindStringSubmatch(movePage)[1]},
		"csrf_token": {csrfRE.FindStringSubmatch(movePage)[1]}}
	resp, _ = citizen.post("/appuntamento/"+newTok+"/sposta", form)
	if got := location(t, resp); !strings.HasSuffix(got, "?esito=spostato") {
		t.Fatalf("move: %s", got)
	}
	if got := e.stored(a); got.MoveRequestedAt != nil || got.Start.Equal(a.start) {
		t.Errorf("after the move: flag %v, start %s", got.MoveRequestedAt, got.Start)
	}
	// The call is made.
	resp, _ = e.act(e.path(byPhone, "/chiamata"), nil)
	if got := location(t, resp); got != calls {
		t.Fatalf("call done: %s", got)
	}
	if _, list = e.staff.get(calls); strings.Contains(list, "333 1234567") {
		t.Error("the call is still listed")
	}
}

func TestClosure_AppointmentBookedWhileConfirming_NewListNothingSaved(t *testing.T) {
	e := newApptEnv(t)
	_, keys := e.sameDaySlots(3)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	day := keyDate(keys[0])
	closures := officePath(e.officeID, "/chiusure")
	_, body := e.act(closures, url.Values{"dal": {day}})
	form := confirmForm(t, body)
	form.Set("decisione", "annulla")
	form.Set("messaggio", "Chiuso.")
	// Someone books that day while the operatore reads the list.
	late := e.bookKey(keys[2], "tardi@example.org", nil)
	resp, body := e.act(closures, form)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, late.code) || !strings.Contains(body, "è cambiato") {
		t.Fatalf("confirmation with a stale list: %d", resp.StatusCode)
	}
	if len(e.closures()) != 0 || e.stored(a).Status != booking.StatusConfirmed || e.stored(late).Status != booking.StatusConfirmed {
		t.Fatal("something was saved although the list had changed")
	}
	// The new list, confirmed, goes through.
	form = confirmForm(t, body)
	form.Set("decisione", "annulla")
	form.Set("messaggio", "Chiuso.")
	resp, _ = e.act(closures, form)
	location(t, resp)
	if len(e.closures()) != 1 || e.stored(late).Status != booking.StatusCancelled || e.stored(a).Status != booking.StatusCancelled {
		t.Error("the confirmed change was not saved whole")
	}
}

func TestBookingWindows_Shrunk_ConfirmationThenSaved(t *testing.T) {
	e := newApptEnv(t)
	_, keys := e.sameDaySlots(1)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	wd := a.start.In(hours.Rome()).Weekday()
	settings := officePath(e.officeID, "/prenotazioni/impostazioni/assistente-sociale")
	form := url.Values{"abilitata": {"1"}, "durata": {"60"}, "capienza": {"1"}, "preavviso": {"0"}, "orizzonte": {"21"},
		"max_attivi": {"2"}, "modalita": {"immediata"}, "motivi": {"Prima informazione\nAltro"}}
	i := 0
	for _, d := range hours.Weekdays() {
		if d == wd {
			continue
		}
		p := "fascia-" + strconv.Itoa(i)
		form.Set(p+"-giorno", strconv.Itoa(int(d)))
		form.Set(p+"-inizio", "09:00")
		form.Set(p+"-fine", "17:00")
		i++
	}
	form.Set("fasce", strconv.Itoa(i))
	resp, body := e.act(settings, form)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, a.code) || !strings.Contains(body, "fuori dalle fasce prenotabili") {
		t.Fatalf("confirmation page: %d", resp.StatusCode)
	}
	if len(e.settings(booking.AssistenteSociale).Windows) != 7 {
		t.Fatal("settings saved before confirming")
	}
	form = confirmForm(t, body)
	form.Set("decisione", "sposta")
	form.Set("messaggio", "Cambiano le fasce orarie.")
	resp, _ = e.act(settings, form)
	if got := location(t, resp); got != settings {
		t.Fatalf("after confirming: %s", got)
	}
	if len(e.settings(booking.AssistenteSociale).Windows) != 6 || e.stored(a).MoveRequestedAt == nil {
		t.Error("settings and decision not saved together")
	}
}

// phoneForm is a valid booking by phone of slot key, without e-mail.
func phoneForm(key string) url.Values {
	return url.Values{"figura": {"assistente-sociale"}, "settimana": {"0"}, "orario": {key}, "nome": {"Anna"}, "cognome": {"Verdi"},
		"telefono": {"075 654321"}, "canale": {"telefono"}, "motivo": {"Prima informazione"}, "interprete": {"si"},
		"interprete_lingua": {"Ucraino"}, "privacy": {"si"}}
}

func TestStaffBooking_ByPhone_ConfirmedPrintedMarked_EmailOnlyWithAddress(t *testing.T) {
	e := newApptEnv(t)
	if _, err := e.Store.Pool().Exec(context.Background(), `UPDATE service_sheets SET needed_html = '<ul><li>La carta d''identità</li></ul>'`); err != nil {
		t.Fatal(err)
	}
	newPath := e.base + "/nuovo"
	// Two professionals: the form asks which one first.
	status, body := e.staff.get(newPath)
	if status != http.StatusOK || !strings.Contains(body, `name="figura"`) || strings.Contains(body, `name="orario"`) {
		t.Fatalf("professional choice: %d", status)
	}
	status, body = e.staff.get(newPath + "?figura=assistente-sociale")
	free := freeSlots(body)
	if status != http.StatusOK || len(free) < 3 {
		t.Fatalf("slots: %d, %d free", status, len(free))
	}
	if !strings.Contains(body, `<option value="en">inglese</option>`) {
		t.Error("the form offers no choice of the e-mails' language")
	}
	// Without the CSRF token: 403.
	if resp, _ := e.staff.post(newPath, phoneForm(free[0])); resp.StatusCode != http.StatusForbidden {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	// Errors: 422, what was typed kept.
	bad := phoneForm(free[0])
	bad.Del("telefono")
	bad.Del("privacy")
	resp, body := e.act(newPath, bad)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "#telefono") ||
		!strings.Contains(problemOf(body), "#privacy") || !strings.Contains(body, `value="Ucraino"`) {
		t.Fatalf("invalid form: %d", resp.StatusCode)
	}
	if e.count(`SELECT count(*) FROM appointments`) != 0 {
		t.Fatal("an invalid form booked")
	}
	mails := e.sendEmails()
	resp, _ = e.act(newPath, phoneForm(free[0]))
	printPath := location(t, resp)
	var id, staffID int64
	var code, channel, email string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT id, code, channel, email, booked_by_staff_id FROM appointments`).
		Scan(&id, &code, &channel, &email, &staffID); err != nil {
		t.Fatal(err)
	}
	if printPath != e.base+"/"+strconv.FormatInt(id, 10)+"/stampa" || channel != "telefono" || email != "" {
		t.Errorf("booked %s %q %q, then %s", code, channel, email, printPath)
	}
	if e.sendEmails() != mails {
		t.Error("an e-mail was queued for a booking without address")
	}
	op, err := e.Store.StaffByEmail(context.Background(), apptOperator)
	if err != nil || staffID != op.ID {
		t.Errorf("booked_by_staff_id %d, want %d (%v)", staffID, op.ID, err)
	}
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "appointment_book"})
	if err != nil || len(recs) != 1 || recs[0].UserID != op.ID || strings.Contains(recs[0].After, "Anna") {
		t.Errorf("audit %+v %v", recs, err)
	}
	// The confirmation to print: code, office, time, what to bring from the sheet.
	status, body = e.staff.get(printPath)
	for _, want := range []string{code, "Via di Prova 1", "075 111 2222", "<li>La carta d'identità</li>", "Anna Verdi", "Interprete: Ucraino"} {
		if !strings.Contains(body, want) {
			t.Errorf("printable confirmation lacks %q", want)
		}
	}
	if status != http.StatusOK {
		t.Errorf("printable: %d", status)
	}
	// The agenda marks it; the slot is taken for citizens too.
	_, list := e.staff.get(e.base + "?da=" + keyDate(free[0]))
	if !strings.Contains(list, "Presa dall'ufficio") {
		t.Error("the list does not mark the booking taken by the office")
	}
	c := e.browser()
	if slots := c.toSlots(); containsKey(freeSlots(slots), free[0]) {
		t.Error("the slot booked by phone is still offered online")
	}

	// With an e-mail address: the usual e-mail with the personal link.
	form := phoneForm(free[1])
	form.Set("email", "anna.verdi@example.org")
	resp, _ = e.act(newPath, form)
	location(t, resp)
	m, ok := e.lastMailTo("anna.verdi@example.org")
	if !ok || !strings.Contains(m.Text, "come concordato con l'ufficio") {
		t.Fatalf("e-mail: %q", m.Subject)
	}
	if status := e.linkStatus(e.tokenFor("anna.verdi@example.org")); status != http.StatusOK {
		t.Errorf("personal link: %d", status)
	}

	// E-mails in English, for a citizen who reads English: the language
	// must be one of the portal's.
	form = phoneForm(free[2])
	form.Set("email", "olena@example.org")
	form.Set("lingua", "xx")
	if resp, body := e.act(newPath, form); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "#lingua") {
		t.Fatalf("unknown language: %d", resp.StatusCode)
	}
	form.Set("lingua", "en")
	resp, _ = e.act(newPath, form)
	location(t, resp)
	m, ok = e.lastMailTo("olena@example.org")
	if !ok || strings.Contains(m.Text, "come concordato con l'ufficio") || !strings.Contains(m.Text, "/en/appuntamento/") {
		t.Fatalf("English e-mail: %q\n%s", m.Subject, m.Text)
	}
	var lang string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT language FROM appointments WHERE email = 'olena@example.org'`).Scan(&lang); err != nil || lang != "en" {
		t.Errorf("appointment language %q %v", lang, err)
	}
}

func containsKey(keys []string, key string) bool {
	for _, k := range keys {
		if k == key {
			return true
		}
	}
	return false
}

// TestStaffBooking_RacesCitizenForLastSeat: an operatore booking by phone
// and a citizen confirming online go for the last seat of a slot at the
// same instant, round after round: exactly one of them gets it.
func TestStaffBooking_RacesCitizenForLastSeat(t *testing.T) {
	e := newApptEnv(t)
	newPath := e.base + "/nuovo"
	// Next week's slots: the clock moves on in every round.
	_, body := e.staff.get(newPath + "?figura=assistente-sociale&settimana=1")
	free := freeSlots(body)
	const rounds = 6
	if len(free) < rounds {
		t.Fatalf("%d free slots", len(free))
	}
	token := e.staff.csrf("/area-riservata")
	for i := range rounds {
		key := free[i]
		// The citizen fills every step; the hold on the slot lapses, so
		// the seat is free again when both confirm.
		c := e.browser()
		c.toSlots()
		resp, _ := c.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {"0"}})
		location(t, resp)
		resp, _ = c.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}})
		location(t, resp)
		email := "citizen" + strconv.Itoa(i) + "@example.org"
		resp, _ = c.send("/prenota/richiedente", "/prenota/richiedente", validApplicant(email))
		location(t, resp)
		citizenToken := c.csrf("/prenota/riepilogo")
		e.clock.Add(booking.HoldDuration + time.Minute)
		form := phoneForm(key)
		form.Set("csrf_token", token)

		var citizenResp, staffResp *http.Response
		var wg sync.WaitGroup
		start := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-start
			citizenResp, _ = c.post("/prenota/conferma", url.Values{"csrf_token": {citizenToken}})
		}()
		go func() {
			defer wg.Done()
			<-start
			staffResp, _ = e.staff.post(newPath, form)
		}()
		close(start)
		wg.Wait()
		citizenWon := citizenResp.StatusCode == http.StatusSeeOther && citizenResp.Header.Get("Location") == "/prenota/fatto"
		staffWon := staffResp.StatusCode == http.StatusSeeOther
		if citizenWon == staffWon {
			t.Fatalf("round %d: citizen %d, staff %d: exactly one must win", i, citizenResp.StatusCode, staffResp.StatusCode)
		}
		if !citizenWon && citizenResp.StatusCode != http.StatusConflict || !staffWon && staffResp.StatusCode != http.StatusConflict {
			t.Errorf("round %d: the loser must get 409: citizen %d, staff %d", i, citizenResp.StatusCode, staffResp.StatusCode)
		}
		_, d, clk, err := booking.ParseKey(key)
		if err != nil {
			t.Fatal(err)
		}
		if n := e.count(`SELECT count(*) FROM appointments WHERE starts_at = $1 AND status IN ('richiesta', 'confermato')`, d.At(clk)); n != 1 {
			t.Fatalf("round %d: %d appointments in the slot", i, n)
		}
	}
}

func TestOfficeOperations_NewPostsNeedTheCSRFToken(t *testing.T) {
	e := newApptEnv(t)
	_, keys := e.sameDaySlots(1)
	a := e.bookKey(keys[0], "uno@example.org", url.Values{"canale": {"telefono"}})
	for _, p := range []string{e.base + "/nuovo", e.base + "/fuori-orario", e.path(a, "/chiamata"), officePath(e.officeID, "/chiusure")} {
		form := url.Values{"dal": {keyDate(keys[0])}, "conferma": {"1"}, "decisione": {"annulla"}, "messaggio": {"x"},
			"visti": {strconv.FormatInt(a.id, 10)}}
		if resp, _ := e.staff.post(p, form); resp.StatusCode != http.StatusForbidden {
			t.Errorf("%s without token: %d", p, resp.StatusCode)
		}
	}
	if len(e.closures()) != 0 || e.stored(a).Status != booking.StatusConfirmed {
		t.Error("a request without token changed something")
	}
}

func TestDisplacedAppointments_FromAnImport_ResolvedFromTheList(t *testing.T) {
	e := newApptEnv(t)
	_, keys := e.sameDaySlots(1)
	a := e.bookKey(keys[0], "uno@example.org", nil)
	// A closure written straight into the database (as an import would)
	// leaves the appointment outside the opening.
	if _, err := e.Store.Pool().Exec(context.Background(), `INSERT INTO office_closures (office_id, from_date, to_date) VALUES ($1, $2, $2)`,
		e.officeID, keyDate(keys[0])); err != nil {
		t.Fatal(err)
	}
	_, list := e.staff.get(e.base)
	if !strings.Contains(list, e.base+"/fuori-orario") {
		t.Fatal("the appointments page does not warn about the appointment out of the opening")
	}
	status, body := e.staff.get(e.base + "/fuori-orario")
	if status != http.StatusOK || !strings.Contains(body, a.code) {
		t.Fatalf("resolver: %d", status)
	}
	form := confirmForm(t, body)
	form.Set("decisione", "annulla")
	form.Set("messaggio", "Chiuso per lavori.")
	resp, _ := e.act(e.base+"/fuori-orario", form)
	location(t, resp)
	if got := e.stored(a); got.Status != booking.StatusCancelled || got.CancelReason != "Chiuso per lavori." {
		t.Errorf("after resolving: %s %q", got.Status, got.CancelReason)
	}
	if _, list = e.staff.get(e.base); strings.Contains(list, e.base+"/fuori-orario") {
		t.Error("still warned after resolving")
	}
}
