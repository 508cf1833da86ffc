package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/store"
)

// apptEnv is the booking office of newBookingEnv (one seat per slot; the
// social worker confirms at once, the educator takes requests) with its
// operatore logged in on staff, a browser of its own.
type apptEnv struct {
	*bookingEnv
	staff *testEnv
	// base is the office's appointments list.
	base string
}

const apptOperator = "op.appuntamenti@example.org"

func newApptEnv(t *testing.T) *apptEnv {
	t.Helper()
	e := newBookingEnv(t, 1)
	_, pw := addStaff(t, e.Store, apptOperator, auth.RoleOperator, e.officeID)
	staff := e.testEnv.fresh()
	staff.mustLogin(apptOperator, pw)
	return &apptEnv{bookingEnv: e, staff: staff, base: fmt.Sprintf("/area-riservata/uffici/%d/appuntamenti", e.officeID)}
}

// booked is an appointment made through the booking wizard.
type booked struct {
	id    int64
	code  string
	key   string
	start time.Time
	// token is the personal link's token, from the e-mail.
	token string
}

// bookWith walks the wizard in a new browser with professional p, choosing
// the free slot at index pick of the first week that has one (negative
// counts from the end), with the applicant's answers plus extra.
func (e *apptEnv) bookWith(p booking.Professional, pick int, email string, extra url.Values) booked {
	e.t.Helper()
	c := e.browser()
	resp, _ := c.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
	location(e.t, resp)
	resp, _ = c.send("/prenota/data", "/prenota/data", url.Values{"figura": {string(p)}})
	location(e.t, resp)
	_, body := c.get("/prenota/data")
	free := freeSlots(body)
	if len(free) == 0 {
		e.t.Fatal("no free slot offered")
	}
	if pick < 0 {
		pick += len(free)
	}
	key := free[pick]
	week := "0"
	if m := weekRE.FindStringSubmatch(body); m != nil {
		week = m[1]
	}
	resp, _ = c.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {week}})
	if got := location(e.t, resp); got != "/prenota/dettagli" {
		e.t.Fatalf("after step 2: %s", got)
	}
	resp, _ = c.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}, "nota": {"Vorrei sapere dei contributi."}})
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

// tokenFor returns the personal link's token in the last e-mail to email.
func (e *apptEnv) tokenFor(email string) string {
	e.t.Helper()
	msg, ok := e.lastMailTo(email)
	if !ok {
		e.t.Fatalf("no e-mail to %s", email)
	}
	m := manageRE.FindStringSubmatch(msg.Text)
	if m == nil {
		e.t.Fatalf("no personal link in the e-mail %q", msg.Subject)
	}
	return m[1]
}

// lastMailTo returns the last e-mail queued for email.
func (e *apptEnv) lastMailTo(email string) (mail.Message, bool) {
	msgs := e.mailer.messages()
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].To == email {
			return msgs[i], true
		}
	}
	return mail.Message{}, false
}

// path is the staff URL of appointment b, plus suffix.
func (e *apptEnv) path(b booked, suffix string) string {
	return e.base + "/" + strconv.FormatInt(b.id, 10) + suffix
}

// act posts a staff form with the session's CSRF token.
func (e *apptEnv) act(path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", e.staff.csrf("/area-riservata"))
	return e.staff.post(path, form)
}

// stored reads appointment b back.
func (e *apptEnv) stored(b booked) store.Appointment {
	e.t.Helper()
	a, err := e.Store.AppointmentByID(context.Background(), b.id)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// linkStatus is the status of the citizen's personal page for token.
func (e *apptEnv) linkStatus(token string) int {
	e.t.Helper()
	status, _ := e.fresh().get("/appuntamento/" + token)
	return status
}

func TestStaffAppointments_List_RequestsFirst_Filters(t *testing.T) {
	e := newApptEnv(t)
	conf := e.bookWith(booking.AssistenteSociale, 0, "conf@example.org", nil)
	req := e.bookWith(booking.Educatore, -1, "req@example.org", nil)
	if !req.start.After(conf.start) {
		t.Fatalf("the request should start later: %s, %s", req.start, conf.start)
	}

	status, body := e.staff.get(e.base)
	if status != http.StatusOK {
		t.Fatalf("list: %d", status)
	}
	list := body[strings.Index(body, `id="elenco-title"`):]
	iReq, iConf := strings.Index(list, req.code), strings.Index(list, conf.code)
	if iReq < 0 || iConf < 0 || iReq > iConf {
		t.Errorf("the request should come first: request at %d, confirmed at %d", iReq, iConf)
	}
	if !strings.Contains(body, "Una richiesta</strong> di appuntamento attende la conferma") {
		t.Error("no notice of the pending request")
	}
	if !strings.Contains(body, `href="`+e.path(req, "")+`"`) {
		t.Error("no link to the request's page")
	}

	day := hours.DateOf(conf.start)
	tests := []struct {
		name, query string
		has, hasNot []string
	}{
		{"educator", "?figura=educatore", []string{req.code}, []string{conf.code}},
		{"confirmed", "?stato=confermato", []string{conf.code}, []string{req.code}},
		{"requests", "?stato=richiesta&da=", []string{req.code}, []string{conf.code}},
		{"after the first day", "?da=" + day.AddDays(1).String(), nil, []string{conf.code}},
		{"the first day only", "?da=" + day.String() + "&a=" + day.String(), []string{conf.code}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := e.staff.get(e.base + tt.query)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			list := body[strings.Index(body, `id="elenco-title"`):]
			for _, s := range tt.has {
				if !strings.Contains(list, s) {
					t.Errorf("list lacks %s", s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(list, s) {
					t.Errorf("list has %s", s)
				}
			}
		})
	}
	status, body = e.staff.get(e.base + "?da=ieri&a=" + day.String())
	if status != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), `href="#da"`) {
		t.Errorf("bad date: %d\n%s", status, problemOf(body))
	}
	status, body = e.staff.get(e.base + "?da=" + day.String() + "&a=" + day.AddDays(-1).String())
	if status != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "successiva") {
		t.Errorf("reversed dates: %d", status)
	}
}

func TestStaffAppointments_Detail_ShowsWhatTheCitizenGave(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.Educatore, 0, "maria.rossi@example.org", url.Values{
		"interprete": {"si"}, "interprete_lingua": {"Arabo"}, "accessibilita": {"si"}, "accessibilita_nota": {"Accesso senza gradini"}})
	status, body := e.staff.get(e.path(b, ""))
	if status != http.StatusOK {
		t.Fatalf("detail: %d", status)
	}
	for _, s := range []string{b.code, "In attesa di conferma", "Maria", "Rossi", `href="mailto:maria.rossi@example.org"`,
		`href="tel:075123456"`, "Prima informazione", "Vorrei sapere dei contributi.", "Da preparare prima dell'appuntamento",
		"Serve un interprete", "Arabo", "Accesso senza gradini", "Conferma la richiesta", "Proponi un altro orario", "Rifiuta la richiesta"} {
		if !strings.Contains(body, s) {
			t.Errorf("detail lacks %q", s)
		}
	}
	if strings.Contains(body, "Segna come svolto") || strings.Contains(body, "Annulla l'appuntamento</button>") {
		t.Error("detail offers actions the status does not allow")
	}
	if status, _ := e.staff.get(e.base + "/999999"); status != http.StatusNotFound {
		t.Errorf("unknown appointment: %d", status)
	}
}

func TestStaffAppointments_ConfirmRequest_NewLinkInMail_OldLinkDead(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.Educatore, 0, "req@example.org", nil)
	if e.linkStatus(b.token) != http.StatusOK {
		t.Fatal("the booking link does not work")
	}
	resp, _ := e.act(e.path(b, "/conferma"), nil)
	if got := location(t, resp); got != e.path(b, "") {
		t.Fatalf("redirect to %s", got)
	}
	_, body := e.staff.get(e.path(b, ""))
	if !strings.Contains(body, "Richiesta "+b.code+" confermata") {
		t.Error("no flash")
	}
	if a := e.stored(b); a.Status != booking.StatusConfirmed {
		t.Fatalf("status %s", a.Status)
	}
	msg, _ := e.lastMailTo("req@example.org")
	if !strings.HasPrefix(msg.Subject, "Appuntamento confermato") || !strings.Contains(msg.Text, "l'ufficio ha accettato la tua richiesta") ||
		!strings.Contains(msg.Text, "Questo link sostituisce quello che ti abbiamo inviato in precedenza") {
		t.Errorf("mail %q:\n%s", msg.Subject, msg.Text)
	}
	if len(msg.Attachments) != 1 || !strings.Contains(string(msg.Attachments[0].Data), "STATUS:CONFIRMED") {
		t.Errorf("calendar: %+v", msg.Attachments)
	}
	newToken := e.tokenFor("req@example.org")
	if newToken == b.token {
		t.Fatal("same token")
	}
	if got := e.linkStatus(newToken); got != http.StatusOK {
		t.Errorf("new link: %d", got)
	}
	if got := e.linkStatus(b.token); got != http.StatusNotFound {
		t.Errorf("old link: %d, want 404", got)
	}
	recs, _, err := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "appointment_confirm"})
	if err != nil || len(recs) != 1 || recs[0].EntityID != b.id || strings.Contains(recs[0].After, "req@example.org") {
		t.Errorf("audit: %v %+v", err, recs)
	}

	// Confirming again is not a valid change.
	sent := len(e.mailer.messages())
	resp, body = e.act(e.path(b, "/conferma"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "Non è possibile confermare questo appuntamento: il suo stato è «Confermato»") {
		t.Errorf("second confirm: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if len(e.mailer.messages()) != sent {
		t.Error("an e-mail was sent")
	}
}

func TestStaffAppointments_ProposeFullSlot_ErrorAndNothingChanged(t *testing.T) {
	e := newApptEnv(t)
	first := e.bookWith(booking.AssistenteSociale, 0, "first@example.org", nil)
	second := e.bookWith(booking.AssistenteSociale, 0, "second@example.org", nil)
	before := e.stored(second)
	sent := len(e.mailer.messages())

	status, body := e.staff.get(e.path(second, "/proponi"))
	if status != http.StatusOK || len(freeSlots(body)) == 0 {
		t.Fatalf("propose page: %d", status)
	}
	resp, body := e.act(e.path(second, "/proponi"), url.Values{"orario": {first.key}, "settimana": {"0"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "L&#39;orario scelto non è più libero") {
		t.Fatalf("full slot: %d\n%s", resp.StatusCode, problemOf(body))
	}
	after := e.stored(second)
	if !after.Start.Equal(before.Start) || after.Status != before.Status || after.Sequence != before.Sequence {
		t.Errorf("changed: %+v", after)
	}
	if len(e.mailer.messages()) != sent || e.linkStatus(second.token) != http.StatusOK {
		t.Error("e-mail sent or link changed")
	}
	resp, _ = e.act(e.path(second, "/proponi"), url.Values{"orario": {"non-un-orario"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("bad key: %d", resp.StatusCode)
	}
}

func TestStaffAppointments_ProposeFreeSlot_MovedConfirmedAndMailed(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.Educatore, 0, "req@example.org", nil)
	_, body := e.staff.get(e.path(b, "/proponi"))
	free := freeSlots(body)
	if len(free) < 2 {
		t.Fatalf("free slots: %v", free)
	}
	key := free[1]
	if key == b.key {
		t.Fatal("the appointment's own slot is offered")
	}
	resp, _ := e.act(e.path(b, "/proponi"), url.Values{"orario": {key}, "settimana": {"0"}})
	if got := location(t, resp); got != e.path(b, "") {
		t.Fatalf("redirect to %s", got)
	}
	_, d, c, _ := booking.ParseKey(key)
	want := d.At(c)
	a := e.stored(b)
	if a.Status != booking.StatusConfirmed || !a.Start.Equal(want) {
		t.Fatalf("stored %s at %s, want confermato at %s", a.Status, a.Start, want)
	}
	msg, _ := e.lastMailTo("req@example.org")
	if msg.Subject != "Proposta di un nuovo orario per il tuo appuntamento" ||
		!strings.Contains(msg.Text, "Orario proposto: "+booking.LongSpan(a.Start, a.End)) ||
		!strings.Contains(msg.Text, "Orario precedente: "+booking.LongSpan(b.start, b.start.Add(time.Hour))) ||
		!strings.Contains(msg.Text, "sostituisce") {
		t.Errorf("mail %q:\n%s", msg.Subject, msg.Text)
	}
	if len(msg.Attachments) != 1 || !strings.Contains(string(msg.Attachments[0].Data), "DTSTART;TZID=Europe/Rome:"+a.Start.In(hours.Rome()).Format("20060102T150405")) {
		t.Errorf("calendar:\n%s", msg.Attachments[0].Data)
	}
	newToken := e.tokenFor("req@example.org")
	if e.linkStatus(newToken) != http.StatusOK || e.linkStatus(b.token) != http.StatusNotFound {
		t.Error("the new link should work and the old one not")
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "appointment_propose"})
	if len(recs) != 1 || recs[0].EntityID != b.id {
		t.Errorf("audit: %+v", recs)
	}
	// The old slot is free again, the new one taken.
	if n := e.count(`SELECT count(*) FROM appointments WHERE starts_at = $1 AND status IN ('richiesta', 'confermato')`, b.start); n != 0 {
		t.Errorf("old slot still taken by %d", n)
	}
}

func TestStaffAppointments_DeclineAndCancel_WithReason(t *testing.T) {
	e := newApptEnv(t)
	req := e.bookWith(booking.Educatore, 0, "req@example.org", nil)
	conf := e.bookWith(booking.AssistenteSociale, 0, "conf@example.org", nil)

	// Without a reason: 422, the form again, nothing changed.
	resp, body := e.act(e.path(req, "/rifiuta"), url.Values{"motivo": {"  "}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), `href="#motivo"`) {
		t.Fatalf("no reason: %d\n%s", resp.StatusCode, problemOf(body))
	}
	resp, _ = e.act(e.path(req, "/rifiuta"), url.Values{"motivo": {strings.Repeat("a", 501)}})
	if resp.StatusCode != http.StatusUnprocessableEntity || e.stored(req).Status != booking.StatusRequested {
		t.Fatalf("long reason: %d", resp.StatusCode)
	}
	// A request is declined, not cancelled.
	resp, body = e.act(e.path(req, "/annulla"), url.Values{"motivo": {"Chiuso"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "Rifiuta la richiesta") {
		t.Errorf("cancel a request: %d\n%s", resp.StatusCode, problemOf(body))
	}

	resp, _ = e.act(e.path(req, "/rifiuta"), url.Values{"motivo": {"In quel giorno l'ufficio è chiuso."}})
	location(t, resp)
	if a := e.stored(req); a.Status != booking.StatusDeclined || a.CancelReason != "In quel giorno l'ufficio è chiuso." {
		t.Errorf("declined: %s %q", a.Status, a.CancelReason)
	}
	msg, _ := e.lastMailTo("req@example.org")
	if msg.Subject != "Richiesta di appuntamento non accettata" || !strings.Contains(msg.Text, "Messaggio dell'ufficio: In quel giorno l'ufficio è chiuso.") ||
		strings.Contains(msg.Text, "/appuntamento/") {
		t.Errorf("decline mail %q:\n%s", msg.Subject, msg.Text)
	}

	resp, _ = e.act(e.path(conf, "/annulla"), url.Values{"motivo": {"Operatore assente per malattia"}})
	location(t, resp)
	if a := e.stored(conf); a.Status != booking.StatusCancelled || a.CancelReason != "Operatore assente per malattia" {
		t.Errorf("cancelled: %s %q", a.Status, a.CancelReason)
	}
	msg, _ = e.lastMailTo("conf@example.org")
	if !strings.HasPrefix(msg.Subject, "Appuntamento annullato") || !strings.Contains(msg.Text, "Motivo indicato dall'ufficio: Operatore assente per malattia") {
		t.Errorf("cancel mail %q:\n%s", msg.Subject, msg.Text)
	}
	if len(msg.Attachments) != 1 || !strings.Contains(string(msg.Attachments[0].Data), "METHOD:CANCEL") {
		t.Errorf("calendar: %+v", msg.Attachments)
	}
	// The seat is free again; the citizen's link shows the cancellation.
	if n := e.count(`SELECT count(*) FROM appointments WHERE starts_at = $1 AND status IN ('richiesta', 'confermato')`, conf.start); n != 0 {
		t.Errorf("seat still taken")
	}
	// Confirming a cancelled appointment: 409.
	resp, body = e.act(e.path(conf, "/conferma"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "«Annullato»") {
		t.Errorf("confirm cancelled: %d\n%s", resp.StatusCode, problemOf(body))
	}
	_, body = e.staff.get(e.path(conf, ""))
	if !strings.Contains(body, "Nessuna azione possibile") || !strings.Contains(body, "Operatore assente per malattia") {
		t.Error("the cancelled appointment's page")
	}
}

func TestStaffAppointments_DoneAndNoShow_OnlyAfterTheStart(t *testing.T) {
	e := newApptEnv(t)
	one := e.bookWith(booking.AssistenteSociale, 0, "one@example.org", nil)
	two := e.bookWith(booking.AssistenteSociale, 0, "two@example.org", nil)
	sent := len(e.mailer.messages())

	resp, body := e.act(e.path(one, "/svolto"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "non è ancora iniziato") {
		t.Fatalf("done before the start: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if e.stored(one).Status != booking.StatusConfirmed {
		t.Fatal("changed")
	}
	last := two.start
	if one.start.After(last) {
		last = one.start
	}
	e.clock.Add(last.Sub(e.clock.Now()) + 5*time.Minute)

	_, body = e.staff.get(e.path(one, ""))
	if !strings.Contains(body, "Segna come svolto") || strings.Contains(body, "Conferma la richiesta") ||
		strings.Contains(body, "Annulla l'appuntamento</button>") {
		t.Error("after the start the page should offer done and no-show only")
	}
	resp, _ = e.act(e.path(one, "/svolto"), nil)
	location(t, resp)
	resp, _ = e.act(e.path(two, "/assente"), nil)
	location(t, resp)
	if a, b := e.stored(one), e.stored(two); a.Status != booking.StatusDone || b.Status != booking.StatusNoShow {
		t.Errorf("statuses %s %s", a.Status, b.Status)
	}
	if len(e.mailer.messages()) != sent {
		t.Error("an e-mail was sent")
	}
	// Cancelling after the start is refused, and so is a second closing.
	resp, body = e.act(e.path(one, "/assente"), nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "«Svolto»") {
		t.Errorf("no-show after done: %d", resp.StatusCode)
	}
}

func TestStaffAppointments_CancelAfterTheStart_Refused(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.AssistenteSociale, 0, "one@example.org", nil)
	e.clock.Add(b.start.Sub(e.clock.Now()) + time.Minute)
	resp, body := e.act(e.path(b, "/annulla"), url.Values{"motivo": {"Troppo tardi"}})
	if resp.StatusCode != http.StatusConflict || !strings.Contains(problemOf(body), "è già passato") {
		t.Errorf("cancel after the start: %d\n%s", resp.StatusCode, problemOf(body))
	}
	if e.stored(b).Status != booking.StatusConfirmed {
		t.Error("changed")
	}
}

func TestStaffAppointments_ExportCSV(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.Educatore, 0, "maria@example.org", url.Values{"interprete": {"si"}, "interprete_lingua": {"Arabo"}})
	day := hours.DateOf(b.start)
	path := e.base + "/esporta.csv?da=" + day.String() + "&a=" + day.AddDays(2).String()
	resp, err := e.staff.Client.Get(e.staff.Server.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d", resp.StatusCode)
	}
	h := resp.Header
	if h.Get("Content-Type") != "text/csv; charset=utf-8" || h.Get("Cache-Control") != "no-store" ||
		!strings.HasPrefix(h.Get("Content-Disposition"), `attachment; filename="appuntamenti-`+bookingOfficeSlug+"-"+day.String()) {
		t.Errorf("headers %v", h)
	}
	if !strings.HasPrefix(body, "\uFEFFCodice;Data;Inizio;Fine;Figura professionale;Stato;Motivo;Nome;Cognome;E-mail;Telefono;Canale di contatto;Interprete;Accessibilità\r\n") {
		t.Errorf("header line:\n%q", body)
	}
	start := b.start.In(hours.Rome())
	row := strings.Join([]string{b.code, start.Format("02/01/2006"), start.Format("15:04"), start.Add(time.Hour).Format("15:04"),
		"Educatore professionale", "In attesa di conferma", "Prima informazione", "Maria", "Rossi", "maria@example.org", "075 123456",
		"E-mail", "Sì: Arabo", "No"}, ";") + "\r\n"
	if !strings.Contains(body, row) {
		t.Errorf("row %q not in\n%q", row, body)
	}
	// A cell never starts like a formula: "+39 …" would be one in a
	// spreadsheet.
	f := e.bookWith(booking.Educatore, 0, "intl@example.org", url.Values{"telefono": {"+39 075 123456"}})
	fday := hours.DateOf(f.start).String()
	resp, _ = e.staff.Client.Get(e.staff.Server.URL + e.base + "/esporta.csv?da=" + fday + "&a=" + fday)
	if body := readAll(resp.Body); !strings.Contains(body, ";intl@example.org;'+39 075 123456;") {
		t.Errorf("phone cell:\n%q", body)
	}
	recs, _, _ := e.Store.ListAudit(context.Background(), store.AuditFilter{Action: "appointment_export"})
	if len(recs) != 2 || recs[1].EntityID != e.officeID || strings.Contains(recs[1].After, "maria") || strings.Contains(recs[1].After, b.code) {
		t.Errorf("audit %+v", recs)
	}

	// A period outside the appointment: only the header.
	later := day.AddDays(5).String()
	resp, _ = e.staff.Client.Get(e.staff.Server.URL + e.base + "/esporta.csv?da=" + later + "&a=" + later)
	if body := readAll(resp.Body); strings.Count(body, "\r\n") != 1 {
		t.Errorf("empty period:\n%q", body)
	}
	for _, q := range []string{"", "?da=" + day.String(), "?da=" + later + "&a=" + day.String(), "?da=2026-01-01&a=2027-06-01", "?da=ieri&a=oggi"} {
		status, body := e.staff.get(e.base + "/esporta.csv" + q)
		if status != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "#esporta-") {
			t.Errorf("%q: %d\n%s", q, status, problemOf(body))
		}
	}
}

func TestStaffAppointments_DayAgenda(t *testing.T) {
	e := newApptEnv(t)
	b := e.bookWith(booking.AssistenteSociale, 0, "maria@example.org", url.Values{"accessibilita": {"si"}, "accessibilita_nota": {"Sedia a rotelle"}})
	gone := e.bookWith(booking.AssistenteSociale, 0, "gone@example.org", nil)
	resp, _ := e.act(e.path(gone, "/annulla"), url.Values{"motivo": {"Chiuso"}})
	location(t, resp)
	e.staff.get(e.path(gone, "")) // shows the flash, which names the code
	day := hours.DateOf(b.start)
	status, body := e.staff.get(e.base + "/giorno?data=" + day.String())
	if status != http.StatusOK {
		t.Fatalf("agenda: %d", status)
	}
	for _, s := range []string{"Agenda di " + day.Italian(), b.code, "Maria Rossi", "075 123456", "Accessibilità: Sedia a rotelle",
		b.start.In(hours.Rome()).Format("15:04") + "–", `class="staff-agenda"`} {
		if !strings.Contains(body, s) {
			t.Errorf("agenda lacks %q", s)
		}
	}
	if hours.DateOf(gone.start) == day && strings.Contains(body, gone.code) {
		t.Error("the agenda lists a cancelled appointment")
	}
	if status, _ := e.staff.get(e.base + "/giorno"); status != http.StatusOK {
		t.Errorf("today: %d", status)
	}
	if status, body := e.staff.get(e.base + "/giorno?data=domani"); status != http.StatusUnprocessableEntity || !strings.Contains(problemOf(body), "#data") {
		t.Errorf("bad date: %d", status)
	}
}

// otherOfficeAppointment creates an office with a request of its own,
// straight through the store, and returns both ids.
func otherOfficeAppointment(t *testing.T, st *store.Store, now time.Time) (int64, int64) {
	t.Helper()
	ctx := context.Background()
	officeID := addOffice(t, st, "udc-altro", "UdC di un altro ufficio")
	_, hash, err := code.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.CreateDraft(ctx, hash, now)
	if err != nil {
		t.Fatal(err)
	}
	start := hours.DateOf(now).AddDays(3).At(hours.NewClock(10, 0))
	d.Data = store.DraftData{OfficeID: officeID, ComuneISTAT: "054039", Professional: booking.AssistenteSociale,
		SlotStart: start, SlotEnd: start.Add(time.Hour), Details: booking.DetailsForm{Reason: "Altro"},
		Applicant: booking.ApplicantForm{FirstName: "Luca", LastName: "Bianchi", Email: "luca@example.org", Channel: booking.ChannelEmail}}
	if err := st.SaveDraft(ctx, d.ID, d.Data, now); err != nil {
		t.Fatal(err)
	}
	c, _ := code.NewBookingCode()
	tok, _, _ := code.NewToken()
	a, _, err := st.SubmitDraft(ctx, d.ID, store.NewAppointment{Code: c, Token: tok, TokenExpiresAt: start.Add(48 * time.Hour),
		Mode: booking.ModeRequest}, 1, 2, now)
	if err != nil {
		t.Fatal(err)
	}
	return officeID, a.ID
}

func TestStaffAppointments_OfficeIsolation_And_Roles(t *testing.T) {
	e := newApptEnv(t)
	own := e.bookWith(booking.Educatore, 0, "own@example.org", nil)
	otherOffice, otherAppt := otherOfficeAppointment(t, e.Store, e.clock.Now())
	before, _ := e.Store.AppointmentByID(context.Background(), otherAppt)
	day := hours.DateOf(e.clock.Now()).String()

	officeURL := func(office int64) string { return fmt.Sprintf("/area-riservata/uffici/%d/appuntamenti", office) }
	type route struct{ method, path string }
	routesOf := func(base string, appt int64) []route {
		id := base + "/" + strconv.FormatInt(appt, 10)
		return []route{
			{"GET", base}, {"GET", base + "/giorno"}, {"GET", base + "/esporta.csv?da=" + day + "&a=" + day},
			{"GET", id}, {"GET", id + "/proponi"},
			{"POST", id + "/conferma"}, {"POST", id + "/rifiuta"}, {"POST", id + "/annulla"},
			{"POST", id + "/svolto"}, {"POST", id + "/assente"}, {"POST", id + "/proponi"},
		}
	}
	form := url.Values{"motivo": {"Motivo"}, "orario": {own.key}, "settimana": {"0"}}
	do := func(client *testEnv, rt route) int {
		t.Helper()
		if rt.method == "GET" {
			status, _ := client.get(rt.path)
			return status
		}
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		f.Set("csrf_token", client.csrf("/area-riservata"))
		resp, _ := client.post(rt.path, f)
		return resp.StatusCode
	}

	// The operatore of this office: another office's id, and another
	// office's appointment under this office's URL, are 404.
	var cases []route
	cases = append(cases, routesOf(officeURL(otherOffice), otherAppt)...)
	for _, rt := range routesOf(officeURL(e.officeID), otherAppt) {
		if strings.Contains(rt.path, "/"+strconv.FormatInt(otherAppt, 10)) { // the routes of one appointment
			cases = append(cases, rt)
		}
	}
	for _, rt := range cases {
		t.Run("operatore "+rt.method+" "+rt.path, func(t *testing.T) {
			if got := do(e.staff, rt); got != http.StatusNotFound {
				t.Errorf("status %d, want 404", got)
			}
		})
	}
	if after, _ := e.Store.AppointmentByID(context.Background(), otherAppt); after.Status != before.Status || after.Sequence != before.Sequence {
		t.Errorf("the other office's appointment changed: %+v", after)
	}

	// A redattore manages no office: every route is 404, even for a real
	// appointment of a real office.
	_, edPw := addStaff(t, e.Store, "red@example.org", auth.RoleEditor)
	editor := e.testEnv.fresh()
	editor.mustLogin("red@example.org", edPw)
	for _, rt := range routesOf(officeURL(e.officeID), own.id) {
		if got := do(editor, rt); got != http.StatusNotFound {
			t.Errorf("redattore %s %s: %d, want 404", rt.method, rt.path, got)
		}
	}

	// An administrator manages every office.
	_, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	admin := e.testEnv.fresh()
	admin.mustLogin("ad@example.org", adPw)
	if status, body := admin.get(officeURL(otherOffice) + "/" + strconv.FormatInt(otherAppt, 10)); status != http.StatusOK || !strings.Contains(body, "Luca") {
		t.Errorf("administrator: %d", status)
	}

	// Without the CSRF token: 403, nothing changed.
	resp, _ := e.staff.post(e.path(own, "/conferma"), url.Values{})
	if resp.StatusCode != http.StatusForbidden || e.stored(own).Status != booking.StatusRequested {
		t.Errorf("no token: %d", resp.StatusCode)
	}
	resp, _ = e.staff.post(e.path(own, "/conferma"), url.Values{"csrf_token": {"falso"}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("wrong token: %d", resp.StatusCode)
	}
	// Without a session: the login form.
	status, _ := e.fresh().get(e.path(own, ""))
	if status != http.StatusSeeOther {
		t.Errorf("anonymous: %d", status)
	}
}

func TestStaffAppointments_OfficePageLinksToAppointments(t *testing.T) {
	e := newApptEnv(t)
	_, body := e.staff.get(fmt.Sprintf("/area-riservata/uffici/%d", e.officeID))
	if !strings.Contains(body, `href="`+e.base+`"`) {
		t.Error("the office page does not link to the appointments")
	}
}
