package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// mustContain fails the test for every want missing from body.
func mustContain(t testing.TB, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: missing %q", what, w)
		}
	}
}

// stepPageMarkers are on every step page of the wizard.
var stepPageMarkers = []string{
	`<h1 class="title-xxxlarge mt-3" data-element="page-name">Prenotazione appuntamento</h1>`,
	`<li class="breadcrumb-item active" aria-current="page">Prenotazione appuntamento</li>`,
	`aria-current="step"`, "Luogo", "Data e orario", "Dettagli appuntamento", "Richiedente", "Riepilogo",
}

// requiredNote explains the asterisk on the steps that have fields, not
// on the summary.
const requiredNote = "I campi contrassegnati dal simbolo asterisco (*) sono obbligatori"

var bookingCodeRE = regexp.MustCompile(`UDC-[2-9A-HJ-NP-TW-Z]{4}-[2-9A-HJ-NP-TW-Z]{4}`)

func TestBooking_WholeFlowWithoutJavaScript(t *testing.T) {
	e := newBookingEnv(t, 1)

	// Step 1: the Comune with a GET form, then the offices serving it.
	status, body := e.get("/prenota")
	if status != 200 {
		t.Fatalf("/prenota: %d", status)
	}
	mustContain(t, "step 1", body, append(stepPageMarkers, requiredNote)...)
	mustContain(t, "step 1", body, `<span class="steppers-index" aria-hidden="true">1/5</span>`,
		`<li class="active" aria-current="step">Luogo</li>`, `<form method="get" action="/prenota"`, `<option value="perugia">Perugia</option>`)
	if c := e.Client.Jar.Cookies(mustURL(t, e.Server.URL)); hasCookie(c, "udc_prenotazione") {
		t.Error("a draft was created by merely visiting /prenota")
	}
	_, body = e.get("/prenota?comune=perugia")
	mustContain(t, "step 1 with Comune", body, `id="ufficio-`+bookingOfficeSlug+`"`, "Via di Prova 1", "Aperto lunedì, martedì")

	// Nothing chosen: 422, error summary linking to the first radio.
	resp, body := e.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty step 1: %d", resp.StatusCode)
	}
	mustContain(t, "step 1 error", body, `role="alert" tabindex="-1" id="error-summary"`, "C&#39;è 1 errore",
		`href="#ufficio-`+bookingOfficeSlug+`"`, `id="ufficio-error"`, "Scegli l&#39;ufficio")

	// Steps reached out of order go to the first one still to do.
	for _, path := range []string{"/prenota/data", "/prenota/riepilogo"} {
		resp, err := e.Client.Get(e.Server.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if got := location(t, resp); got != "/prenota" {
			t.Errorf("%s without a draft → %s", path, got)
		}
	}

	resp, _ = e.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
	if got := location(t, resp); got != "/prenota/data" {
		t.Fatalf("step 1 → %s", got)
	}
	cookie := draftCookie(t, resp)
	if !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Path != "/" {
		t.Errorf("draft cookie %+v", cookie)
	}
	resp, err := e.Client.Get(e.Server.URL + "/prenota/riepilogo")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := location(t, resp); got != "/prenota/data" {
		t.Errorf("summary before step 2 → %s", got)
	}

	// Step 2: the professional, then the slots of a week.
	_, body = e.get("/prenota/data")
	mustContain(t, "step 2a", body, append(stepPageMarkers, requiredNote)...)
	mustContain(t, "step 2a", body, "2/5", "Con chi vuoi parlare?", `id="figura-assistente-sociale"`, `id="figura-educatore"`)
	resp, body = e.send("/prenota/data", "/prenota/data", url.Values{"figura": {"psicologo"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#figura-assistente-sociale"`) {
		t.Errorf("unknown professional: %d", resp.StatusCode)
	}
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"figura": {"assistente-sociale"}})
	location(t, resp)
	_, body = e.get("/prenota/data")
	mustContain(t, "step 2b", body, "Appuntamento con: <strong>Assistente sociale</strong>", "Settimana ", "Settimana successiva")
	free := freeSlots(body)
	if len(free) < 2 {
		t.Fatalf("%d free slots offered", len(free))
	}
	week := weekRE.FindStringSubmatch(body)[1]
	if _, err := fmt.Sscan(week, new(int)); err != nil {
		t.Fatal(err)
	}
	// The next week is a link with ?settimana=N that works without JavaScript.
	_, next := e.get("/prenota/data?settimana=1")
	if !strings.Contains(next, `name="settimana" value="1"`) {
		t.Error("?settimana=1 does not show week 1")
	}
	resp, body = e.send("/prenota/data", "/prenota/data", url.Values{"settimana": {week}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Scegli uno degli orari disponibili.") {
		t.Errorf("no slot chosen: %d", resp.StatusCode)
	}
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"settimana": {week}, "orario": {free[0]}})
	if got := location(t, resp); got != "/prenota/dettagli" {
		t.Fatalf("step 2 → %s", got)
	}

	// The slot is held: another citizen sees it full.
	other := e.browser()
	otherSlots := freeSlots(other.toSlots())
	for _, k := range otherSlots {
		if k == free[0] {
			t.Errorf("held slot %s still offered to others", k)
		}
	}

	// Step 3: reason and note, with errors kept.
	_, body = e.get("/prenota/dettagli")
	mustContain(t, "step 3", body, append(stepPageMarkers, requiredNote)...)
	mustContain(t, "step 3", body, "3/5", "Il posto è riservato per te fino ", `maxlength="200"`, "Non scrivere informazioni sulla salute")
	long := strings.Repeat("a", 201)
	resp, body = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"nota": {long}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad step 3: %d", resp.StatusCode)
	}
	mustContain(t, "step 3 errors", body, "Ci sono 2 errori", `href="#motivo-0"`, `href="#nota"`, ">"+long+"</textarea>",
		`aria-describedby="nota-hint nota-error"`, `aria-invalid="true"`)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Sostegno economico"}, "nota": {"Vorrei parlare del mio affitto"}})
	if got := location(t, resp); got != "/prenota/richiedente" {
		t.Fatalf("step 3 → %s", got)
	}

	// Step 4: the applicant; the codice fiscale message sits next to its field.
	_, body = e.get("/prenota/richiedente")
	mustContain(t, "step 4", body, append(stepPageMarkers, requiredNote)...)
	mustContain(t, "step 4", body, "4/5", `autocomplete="given-name"`, `autocomplete="family-name"`, `autocomplete="email"`,
		`autocomplete="tel"`, `href="/privacy#prenotazioni"`)
	bad := validApplicant("maria.rossi@example.org")
	bad.Set("nome", "")
	bad.Set("codice_fiscale", "RSSMRA80A01G478Y")
	resp, body = e.send("/prenota/richiedente", "/prenota/richiedente", bad)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad step 4: %d", resp.StatusCode)
	}
	mustContain(t, "step 4 errors", body, "Ci sono 2 errori", `href="#nome"`, `href="#codice_fiscale"`,
		`id="codice_fiscale-error"`, `aria-describedby="codice_fiscale-hint codice_fiscale-error"`,
		`value="RSSMRA80A01G478Y"`, `value="maria.rossi@example.org"`)
	cfError := regexp.MustCompile(`(?s)<label for="codice_fiscale".*?</label>.*?id="codice_fiscale-error">(.*?)</p>\s*<input[^>]*id="codice_fiscale"`).FindStringSubmatch(body)
	if cfError == nil || !strings.Contains(cfError[1], "codice fiscale") {
		t.Errorf("codice fiscale message not next to its field")
	}
	good := validApplicant("maria.rossi@example.org")
	good.Set("codice_fiscale", "RSSMRA80A01G478P")
	good.Set("interprete", "si")
	good.Set("interprete_lingua", "Arabo")
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", good)
	if got := location(t, resp); got != "/prenota/riepilogo" {
		t.Fatalf("step 4 → %s", got)
	}

	// Step 5: every answer, each with its "Modifica" link.
	_, body = e.get("/prenota/riepilogo")
	mustContain(t, "summary", body, stepPageMarkers...)
	if strings.Contains(body, requiredNote) || strings.Contains(body, "campi obbligatori") {
		t.Error("the summary has no fields: no note about required ones")
	}
	mustContain(t, "summary", body, "5/5", "Ufficio della Cittadinanza di prova", "Sostegno economico", "Vorrei parlare del mio affitto",
		"Maria Rossi", "maria.rossi@example.org", "RSSMRA80A01G478P", "Sì, lingua: Arabo",
		`href="/prenota?da=riepilogo"`, `href="/prenota/data?da=riepilogo"`, `href="/prenota/dettagli?da=riepilogo"`,
		`href="/prenota/richiedente?da=riepilogo"`, "Conferma e invia",
		`<div class="visually-hidden" aria-hidden="true"><label for="sito_web">Lascia vuoto questo campo</label>`, `tabindex="-1"`)

	// "Modifica" goes to the step and back to the summary.
	_, body = e.get("/prenota/dettagli?da=riepilogo")
	mustContain(t, "edit step 3", body, `name="da" value="riepilogo"`, `href="/prenota/riepilogo">Indietro`)
	resp, _ = e.send("/prenota/dettagli?da=riepilogo", "/prenota/dettagli",
		url.Values{"da": {"riepilogo"}, "motivo": {"Minori e famiglia"}, "nota": {""}})
	if got := location(t, resp); got != "/prenota/riepilogo" {
		t.Fatalf("edit from summary → %s", got)
	}
	_, body = e.get("/prenota/riepilogo")
	mustContain(t, "summary after edit", body, "Minori e famiglia", "Nessuna")

	// Too fast, then the honeypot: nothing is stored.
	resp, body = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "troppo in fretta") {
		t.Errorf("submit after a few seconds: %d", resp.StatusCode)
	}
	e.clock.Add(30 * time.Second)
	resp, _ = e.send("/prenota/riepilogo", "/prenota/conferma", url.Values{"sito_web": {"http://spam.example"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("honeypot: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM appointments`); n != 0 {
		t.Fatalf("%d appointments after rejected submissions", n)
	}

	// Submit twice: one appointment, both end on the confirmation.
	tok := e.csrf("/prenota/riepilogo")
	for i := range 2 {
		resp, _ := e.post("/prenota/conferma", url.Values{"csrf_token": {tok}, "sito_web": {""}})
		if got := location(t, resp); got != "/prenota/fatto" {
			t.Fatalf("submit %d → %s", i, got)
		}
	}
	if n := e.count(`SELECT count(*) FROM appointments`); n != 1 {
		t.Fatalf("%d appointments, want 1", n)
	}
	if n := e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email'`); n != 1 {
		t.Errorf("%d e-mail jobs, want 1", n)
	}
	msgs := e.mailer.messages()
	if len(msgs) != 1 || msgs[0].To != "maria.rossi@example.org" || !strings.Contains(msgs[0].Subject, "Appuntamento confermato") ||
		len(msgs[0].Attachments) != 1 || !strings.Contains(string(msgs[0].Attachments[0].Data), "BEGIN:VCALENDAR") {
		t.Fatalf("e-mails: %+v", msgs)
	}
	token := e.manageToken()

	// The confirmation page: code, calendar file, print, rating; no token.
	status, body = e.get("/prenota/fatto")
	if status != 200 {
		t.Fatalf("confirmation: %d", status)
	}
	appCode := bookingCodeRE.FindString(body)
	mustContain(t, "confirmation", body, "Appuntamento confermato", `href="/prenota/fatto/appuntamento.ics"`, "Aggiungi al calendario",
		"Stampa questa pagina", "Per stampare la pagina usa il comando Stampa del browser", "Quanto è stato facile usare questo servizio?",
		"Cosa portare", "Via di Prova 1", "075 111 2222")
	// Without JavaScript the print button stays hidden, so the text does
	// not name it.
	if strings.Contains(body, "premi «Stampa questa pagina»") {
		t.Error("the confirmation tells to press a button hidden without JavaScript")
	}
	if appCode == "" || !strings.Contains(msgs[0].Text, appCode) {
		t.Errorf("booking code %q not on the page or not in the e-mail", appCode)
	}
	if strings.Contains(body, token) {
		t.Error("the personal token is on the confirmation page")
	}
	resp, err = e.Client.Get(e.Server.URL + "/prenota/fatto/appuntamento.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics := readAll(resp.Body)
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/calendar") ||
		!strings.Contains(ics, "BEGIN:VEVENT") || !strings.Contains(ics, "UID:"+appCode+"@127.0.0.1") {
		t.Errorf("ics: %d %s\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), ics)
	}

	// The stored appointment.
	a, err := e.Store.AppointmentByToken(context.Background(), code.HashToken(token), e.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	if a.Code != appCode || a.Status != booking.StatusConfirmed || a.Reason != "Minori e famiglia" || a.FiscalCode != "RSSMRA80A01G478P" ||
		a.InterpreterLanguage == nil || *a.InterpreterLanguage != "Arabo" || a.AccessibilityNote != nil {
		t.Errorf("stored %+v", a)
	}

	// After the booking, /prenota starts a new one.
	_, body = e.get("/prenota")
	if strings.Contains(body, `checked`) {
		t.Error("a finished booking preselects the next one")
	}
}

// draftCookie returns the draft cookie set by resp.
func draftCookie(t testing.TB, resp *http.Response) *http.Cookie {
	t.Helper()
	for _, c := range resp.Cookies() {
		if c.Name == "udc_prenotazione" {
			return c
		}
	}
	t.Fatal("no udc_prenotazione cookie")
	return nil
}

func hasCookie(cs []*http.Cookie, name string) bool {
	for _, c := range cs {
		if c.Name == name {
			return true
		}
	}
	return false
}

func mustURL(t testing.TB, s string) *url.URL {
	t.Helper()
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestBooking_OfficePreselected_RequestModeSaysRequestSent(t *testing.T) {
	e := newBookingEnv(t, 1)
	_, body := e.get("/prenota?ufficio=" + bookingOfficeSlug)
	mustContain(t, "preselected", body, `value="`+bookingOfficeSlug+`" checked`)
	resp, _ := e.send("/prenota?ufficio="+bookingOfficeSlug, "/prenota/luogo", url.Values{"ufficio": {bookingOfficeSlug}})
	location(t, resp)
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"figura": {"educatore"}})
	location(t, resp)
	_, body = e.get("/prenota/data")
	free := freeSlots(body)
	if len(free) == 0 {
		t.Fatal("no slots")
	}
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"orario": {free[0]}, "settimana": {weekRE.FindStringSubmatch(body)[1]}})
	location(t, resp)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Altro"}})
	location(t, resp)
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("luca@example.org"))
	location(t, resp)
	e.clock.Add(time.Minute)
	resp, _ = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	location(t, resp)
	_, body = e.get("/prenota/fatto")
	mustContain(t, "request sent", body, "Richiesta inviata", "l&#39;educatore professionale")
	var status string
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT status FROM appointments`).Scan(&status); err != nil || status != "richiesta" {
		t.Errorf("status %q %v", status, err)
	}
}

// expireHolds ends every hold, as if more than 15 minutes had passed for
// both the portal and the database (which counts holds by its own clock).
func (e *bookingEnv) expireHolds() {
	e.t.Helper()
	if _, err := e.Store.Pool().Exec(context.Background(), `UPDATE slot_holds SET expires_at = now() - interval '10 minutes'`); err != nil {
		e.t.Fatal(err)
	}
}

func TestBooking_HoldExpiredAndSeatTaken_SummarySaysSoAndSubmitGets409(t *testing.T) {
	e := newBookingEnv(t, 1)
	first := e.browser()
	body := first.toSlots()
	key := freeSlots(body)[0]
	week := weekRE.FindStringSubmatch(body)[1]
	resp, _ := first.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {week}})
	location(t, resp)
	resp, _ = first.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Altro"}})
	location(t, resp)
	resp, _ = first.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("primo@example.org"))
	location(t, resp)

	// The hold runs out and someone else takes the seat.
	e.expireHolds()
	second := e.browser()
	second.toSlots()
	resp, _ = second.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {week}})
	if got := location(t, resp); got != "/prenota/dettagli" {
		t.Fatalf("second citizen could not take the released seat: %s", got)
	}

	_, body = first.get("/prenota/riepilogo")
	mustContain(t, "summary", body, "Il posto che avevi scelto non è più disponibile", `href="/prenota/data?da=riepilogo"`)
	if strings.Contains(body, "Conferma e invia") {
		t.Error("the summary still offers to submit a slot that is gone")
	}
	e.clock.Add(10 * time.Second)
	resp, body = first.send("/prenota/data", "/prenota/conferma", nil)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "posto non più disponibile") {
		t.Fatalf("submit: %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM appointments`); n != 0 {
		t.Fatalf("%d appointments", n)
	}

	// Choosing another time from there returns to the summary.
	body = first.getOK(t, "/prenota/data?da=riepilogo")
	other := freeSlots(body)[0]
	resp, _ = first.send("/prenota/data?da=riepilogo", "/prenota/data",
		url.Values{"orario": {other}, "settimana": {weekRE.FindStringSubmatch(body)[1]}, "da": {"riepilogo"}})
	if got := location(t, resp); got != "/prenota/riepilogo" {
		t.Fatalf("new time → %s", got)
	}
	resp, _ = first.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if got := location(t, resp); got != "/prenota/fatto" {
		t.Fatalf("submit with the new time → %s", got)
	}
}

// getOK loads path and fails the test unless it answers 200.
func (e *bookingEnv) getOK(t testing.TB, path string) string {
	t.Helper()
	status, body := e.get(path)
	if status != http.StatusOK {
		t.Fatalf("GET %s: %d", path, status)
	}
	return body
}

func TestBooking_HoldExpiredButSeatFree_SubmitStillBooks(t *testing.T) {
	e := newBookingEnv(t, 1)
	body := e.toSlots()
	key := freeSlots(body)[0]
	resp, _ := e.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}, "settimana": {weekRE.FindStringSubmatch(body)[1]}})
	location(t, resp)
	e.expireHolds()
	_, body = e.get("/prenota/dettagli")
	mustContain(t, "expired hold", body, "non è più riservato per te")
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Altro"}})
	location(t, resp)
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("tardi@example.org"))
	location(t, resp)
	_, body = e.get("/prenota/riepilogo")
	if strings.Contains(body, "non è più disponibile") || !strings.Contains(body, "Conferma e invia") {
		t.Error("a free seat is reported as taken")
	}
	e.clock.Add(10 * time.Second)
	resp, _ = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if got := location(t, resp); got != "/prenota/fatto" {
		t.Fatalf("submit → %s", got)
	}
}

// readyDraft creates, through the store, a draft that has reached the
// summary for slot sl with no hold, and returns its cookie value.
func readyDraft(t testing.TB, e *bookingEnv, sl booking.Slot, email string) string {
	t.Helper()
	ctx := context.Background()
	token, hash, err := code.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	now := e.clock.Now()
	d, err := e.Store.CreateDraft(ctx, hash, now.Add(-time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	a := booking.ApplicantForm{FirstName: "Anna", LastName: "Bianchi", Email: email, Channel: booking.ChannelEmail, PrivacyAccepted: true}
	data := store.DraftData{OfficeID: e.officeID, ComuneISTAT: "054039", Professional: sl.Professional, SlotStart: sl.Start, SlotEnd: sl.End,
		Details: booking.DetailsForm{Reason: "Altro"}, Applicant: a,
		Completed: map[string]bool{"luogo": true, "data": true, "dettagli": true, "richiedente": true}}
	if err := e.Store.SaveDraft(ctx, d.ID, data, now); err != nil {
		t.Fatal(err)
	}
	return token
}

// firstSlot is the first slot the office offers the social worker.
func firstSlot(t testing.TB, e *bookingEnv) booking.Slot {
	t.Helper()
	bs := e.settings(booking.AssistenteSociale)
	offices, err := e.Store.ListOffices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var sched hours.Schedule
	for _, o := range offices {
		if o.ID == e.officeID {
			sched = o.Schedule()
		}
	}
	now := e.clock.Now()
	slots := booking.Slots(bs.Settings, sched, now, hours.DateOf(now), hours.DateOf(now).AddDays(bs.HorizonDays))
	if len(slots) == 0 {
		t.Fatal("no slots")
	}
	return slots[0]
}

func TestBooking_LastSeatSubmittedAtOnce_ExactlyCapacityBooked(t *testing.T) {
	for _, capacity := range []int{1, 3} {
		t.Run(fmt.Sprintf("capacity %d", capacity), func(t *testing.T) {
			e := newBookingEnv(t, capacity)
			sl := firstSlot(t, e)
			const n = 100
			type citizen struct {
				client *http.Client
				csrf   string
			}
			citizens := make([]citizen, n)
			base := mustURL(t, e.Server.URL)
			for i := range citizens {
				c := e.browser()
				token := readyDraft(t, e, sl, fmt.Sprintf("cittadino%d@example.org", i))
				c.Client.Jar.SetCookies(base, []*http.Cookie{{Name: "udc_prenotazione", Value: token, Path: "/"}})
				status, body := c.get("/prenota/riepilogo")
				if status != 200 || !strings.Contains(body, "Conferma e invia") {
					t.Fatalf("citizen %d did not reach the summary: %d", i, status)
				}
				citizens[i] = citizen{client: c.Client, csrf: csrfRE.FindStringSubmatch(body)[1]}
			}
			var wg sync.WaitGroup
			statuses := make([]int, n)
			bodies := make([]string, n)
			start := make(chan struct{})
			for i, c := range citizens {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					form := url.Values{"csrf_token": {c.csrf}}
					req, _ := http.NewRequest(http.MethodPost, e.Server.URL+"/prenota/conferma", strings.NewReader(form.Encode()))
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
					req.Header.Set("Origin", e.Server.URL)
					req.Header.Set("Sec-Fetch-Site", "same-origin")
					req.Header.Set("X-Forwarded-For", fmt.Sprintf("192.0.2.%d", i+1))
					resp, err := c.client.Do(req)
					if err != nil {
						bodies[i] = err.Error()
						return
					}
					statuses[i], bodies[i] = resp.StatusCode, readAll(resp.Body)
				}()
			}
			close(start)
			wg.Wait()
			booked, full := 0, 0
			for i := range n {
				switch {
				case statuses[i] == http.StatusSeeOther:
					booked++
				case statuses[i] == http.StatusConflict && strings.Contains(bodies[i], "posto non più disponibile"):
					full++
				default:
					t.Errorf("citizen %d: status %d: %.200s", i, statuses[i], bodies[i])
				}
			}
			if booked != capacity || full != n-capacity {
				t.Errorf("%d booked, %d told the seat is gone; want %d and %d", booked, full, capacity, n-capacity)
			}
			if got := e.count(`SELECT count(*) FROM appointments WHERE starts_at = $1`, sl.Start); got != capacity {
				t.Errorf("%d appointments in the slot, want %d", got, capacity)
			}
			if got := e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email'`); got != capacity {
				t.Errorf("%d e-mails queued, want %d", got, capacity)
			}
		})
	}
}

func TestBooking_CancelAndMoveByPersonalLink(t *testing.T) {
	e := newBookingEnv(t, 1)
	first := e.book("", "giulia@example.org")
	token := e.manageToken()
	base := "/appuntamento/" + token

	status, body := e.get(base)
	if status != 200 {
		t.Fatalf("personal page: %d", status)
	}
	mustContain(t, "personal page", body, "Il tuo appuntamento", "Confermato", "Sposta appuntamento", "Annulla appuntamento",
		`href="`+base+`/sposta"`, `href="`+base+`/annulla"`)

	// GET only asks: mail scanners following links change nothing.
	_, body = e.get(base + "/annulla")
	mustContain(t, "cancel question", body, "Vuoi davvero annullare", "Sì, annulla l&#39;appuntamento")
	if n := e.count(`SELECT count(*) FROM appointments WHERE status = 'confermato'`); n != 1 {
		t.Fatal("GET changed the appointment")
	}

	// Move to another time.
	_, body = e.get(base + "/sposta")
	mustContain(t, "move page", body, "Sposta appuntamento", "Orario attuale")
	slots := freeSlots(body)
	for _, k := range slots {
		if k == first {
			t.Error("the current slot is offered as a new time")
		}
	}
	if len(slots) == 0 {
		t.Fatal("no slot to move to")
	}
	resp, body := e.send(base+"/sposta", base+"/sposta", url.Values{"orario": {"assistente-sociale/2000-01-01T10:00"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Scegli uno degli orari disponibili.") {
		t.Errorf("bad slot: %d", resp.StatusCode)
	}
	resp, _ = e.send(base+"/sposta", base+"/sposta", url.Values{"orario": {slots[0]}})
	if got := location(t, resp); got != base+"?esito=spostato" {
		t.Fatalf("move → %s", got)
	}
	_, body = e.get(base + "?esito=spostato")
	mustContain(t, "after move", body, "Hai spostato l&#39;appuntamento")
	msgs := e.mailer.messages()
	if len(msgs) != 2 || !strings.Contains(msgs[1].Subject, "spostato") || !strings.Contains(string(msgs[1].Attachments[0].Data), "SEQUENCE:1") {
		t.Fatalf("move e-mail: %+v", msgs)
	}

	// The old time is free again for others.
	other := e.browser()
	found := false
	for _, k := range freeSlots(other.toSlots()) {
		found = found || k == first
	}
	if !found {
		t.Error("the old time was not freed")
	}

	// Cancel.
	resp, _ = e.send(base+"/annulla", base+"/annulla", nil)
	if got := location(t, resp); got != base+"?esito=annullato" {
		t.Fatalf("cancel → %s", got)
	}
	_, body = e.get(base + "?esito=annullato")
	mustContain(t, "after cancel", body, "Annullato", "Hai annullato l&#39;appuntamento")
	if strings.Contains(body, "Sposta appuntamento") {
		t.Error("a cancelled appointment can still be moved")
	}
	msgs = e.mailer.messages()
	if len(msgs) != 3 || !strings.Contains(msgs[2].Subject, "annullato") {
		t.Fatalf("cancel e-mail: %d messages", len(msgs))
	}
	cal := string(msgs[2].Attachments[0].Data)
	if !strings.Contains(cal, "METHOD:CANCEL") || !strings.Contains(cal, "SEQUENCE:2") || !strings.Contains(cal, "STATUS:CANCELLED") {
		t.Errorf("cancellation calendar:\n%s", cal)
	}
	if n := e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email'`); n != 3 {
		t.Errorf("%d e-mail jobs, want 3", n)
	}

	// Wrong and expired links.
	for _, path := range []string{"/appuntamento/" + strings.Repeat("x", 43), "/appuntamento/breve"} {
		status, body := e.get(path)
		if status != http.StatusNotFound || !strings.Contains(body, "Il link non è valido o è scaduto") || !strings.Contains(body, `href="/comuni"`) {
			t.Errorf("%s: %d", path, status)
		}
	}
	e.clock.Add(30 * 24 * time.Hour)
	if status, body := e.get(base); status != http.StatusNotFound || !strings.Contains(body, "Il link non è valido o è scaduto") {
		t.Errorf("expired link: %d", status)
	}
}

func TestBooking_ThirdActiveBookingSameEmail_RefusedWithOfficePhone(t *testing.T) {
	e := newBookingEnv(t, 1)
	e.book("", "stessa@example.org")
	e.book("", "stessa@example.org")
	body := e.toSlots()
	resp, _ := e.send("/prenota/data", "/prenota/data", url.Values{"orario": {freeSlots(body)[0]}, "settimana": {weekRE.FindStringSubmatch(body)[1]}})
	location(t, resp)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Altro"}})
	location(t, resp)
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("Stessa@Example.org"))
	location(t, resp)
	e.clock.Add(10 * time.Second)
	resp, body = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("third booking: %d", resp.StatusCode)
	}
	mustContain(t, "limit", body, "hai già 2 appuntamenti prenotati", "075 111 2222")
	if n := e.count(`SELECT count(*) FROM appointments`); n != 2 {
		t.Errorf("%d appointments, want 2", n)
	}
}

func TestBooking_TooManySubmissionsFromOneAddress_429(t *testing.T) {
	e := newBookingEnv(t, 1)
	for range 20 {
		if ok, err := e.Store.AllowSubmission(context.Background(), "ip:127.0.0.1", e.clock.Now(), time.Hour, 20); err != nil || !ok {
			t.Fatalf("AllowSubmission: %v %v", ok, err)
		}
	}
	body := e.toSlots()
	resp, _ := e.send("/prenota/data", "/prenota/data", url.Values{"orario": {freeSlots(body)[0]}, "settimana": {weekRE.FindStringSubmatch(body)[1]}})
	location(t, resp)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Altro"}})
	location(t, resp)
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("tante@example.org"))
	location(t, resp)
	e.clock.Add(10 * time.Second)
	resp, body = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Troppe richieste") {
		t.Fatalf("status %d", resp.StatusCode)
	}
	if n := e.count(`SELECT count(*) FROM appointments`); n != 0 {
		t.Errorf("%d appointments", n)
	}
}
