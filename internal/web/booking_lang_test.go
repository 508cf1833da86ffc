package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
)

// mustBeTranslated fails on the visible text of the booking pages' own
// content that did not go through the catalogue (see untranslated): from
// the booking container to the end of the main element, without the
// page-rating component. The header, breadcrumb, footer and rating are
// the layout's, tested with the other public pages.
func mustBeTranslated(t *testing.T, page, body string) {
	t.Helper()
	start, end := strings.Index(body, `<div class="container booking`), strings.LastIndex(body, "</main>")
	if start < 0 || end < start {
		t.Fatalf("%s: no booking content", page)
	}
	content := body[start:end]
	if i := strings.Index(content, `<section class="bg-primary" aria-labelledby="rating-title">`); i >= 0 {
		content = content[:i]
	}
	if got := untranslated(t, "<html><body>"+content+"</body></html>"); len(got) > 0 {
		t.Errorf("%s: text outside the catalogue:\n%s", page, strings.Join(got, "\n"))
	}
}

// TestBookingPseudoLocale_EveryStepAndPersonalPageGoesThroughTheCatalogue
// walks the whole wizard, a step with errors, the confirmation, the
// personal page with its cancel and move pages and the invalid-link page
// through the pseudo-locale: every visible word must come from the
// catalogue, or be data marked translate="no".
func TestBookingPseudoLocale_EveryStepAndPersonalPageGoesThroughTheCatalogue(t *testing.T) {
	e := newBookingEnv(t, 1, withPseudoLocale())
	check := func(page string, wantStatus int) string {
		t.Helper()
		status, body := e.get(page)
		if status != wantStatus {
			t.Fatalf("%s: status %d, want %d", page, status, wantStatus)
		}
		mustBeTranslated(t, page, body)
		return body
	}
	check("/prenota", http.StatusOK)
	check("/prenota?comune=perugia", http.StatusOK)
	resp, _ := e.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
	location(t, resp)
	check("/prenota/data", http.StatusOK) // the professional
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"figura": {"assistente-sociale"}})
	location(t, resp)
	slots := check("/prenota/data", http.StatusOK) // the times

	// A step with errors: no time chosen.
	resp, body := e.send("/prenota/data", "/prenota/data", url.Values{"settimana": {"0"}, "orario": {"nessuno"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no time: status %d", resp.StatusCode)
	}
	mustBeTranslated(t, "step 2 with an error", body)

	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"orario": {freeSlots(slots)[0]}, "settimana": {"0"}})
	location(t, resp)
	check("/prenota/dettagli", http.StatusOK)
	resp, body = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"nota": {strings.Repeat("x", 300)}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("details: status %d", resp.StatusCode)
	}
	mustBeTranslated(t, "step 3 with errors", body)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}})
	location(t, resp)
	check("/prenota/richiedente", http.StatusOK)

	// Every applicant error at once.
	resp, body = e.send("/prenota/richiedente", "/prenota/richiedente", url.Values{"email": {"not-an-address"}, "telefono": {"abc"},
		"codice_fiscale": {"RSSMRA80A01G478X"}, "canale": {"piccione"}, "interprete": {"si"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("applicant: status %d", resp.StatusCode)
	}
	mustBeTranslated(t, "step 4 with errors", body)
	for _, field := range []string{"nome", "cognome", "email", "telefono", "codice_fiscale", "canale-email", "interprete_lingua", "privacy"} {
		if !strings.Contains(body, `href="#`+field+`"`) {
			t.Errorf("step 4: no error for %s", field)
		}
	}
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("maria.rossi@example.org"))
	location(t, resp)
	check("/prenota/riepilogo", http.StatusOK)
	e.clock.Add(10 * time.Second)
	resp, _ = e.send("/prenota/riepilogo", "/prenota/conferma", nil)
	if got := location(t, resp); got != "/prenota/fatto" {
		t.Fatalf("after submit: %s", got)
	}
	check("/prenota/fatto", http.StatusOK)

	base := "/appuntamento/" + e.manageToken()
	check(base, http.StatusOK)
	check(base+"/annulla", http.StatusOK)
	check(base+"/sposta", http.StatusOK)
	resp, body = e.send(base+"/sposta", base+"/sposta", url.Values{"settimana": {"0"}, "orario": {"nessuno"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("move without a time: status %d", resp.StatusCode)
	}
	mustBeTranslated(t, "move with an error", body)
	resp, _ = e.send(base+"/annulla", base+"/annulla", nil)
	location(t, resp)
	check(base+"?esito=annullato", http.StatusOK)
	check("/appuntamento/"+strings.Repeat("x", 43), http.StatusNotFound)
}

// TestBookingEnglish_FlowStaysInEnglishAndTheAppointmentRemembersIt books
// under /en/prenota: every redirect and form stays under /en, the pages
// are English, the appointment is stored with language "en", its
// confirmation e-mail is English with an English .ics and a link to the
// English personal page.
func TestBookingEnglish_FlowStaysInEnglishAndTheAppointmentRemembersIt(t *testing.T) {
	e := newBookingEnv(t, 1).inLanguage("/en")
	_, body := e.get("/en/prenota?comune=perugia")
	mustContain(t, "step 1", body, `<html lang="en"`, "Book an appointment", `action="/en/prenota/luogo"`, "Choose the office")
	slots := e.toSlots()
	mustContain(t, "step 2", slots, "Choose the day and time", `action="/en/prenota/data"`, "Next week")
	if strings.Contains(slots, "Settimana") || strings.Contains(slots, "Scegli") {
		t.Error("step 2 still has Italian words")
	}

	resp, _ := e.send("/en/prenota/data", "/en/prenota/data", url.Values{"orario": {freeSlots(slots)[0]}, "settimana": {"0"}})
	if got := location(t, resp); got != "/en/prenota/dettagli" {
		t.Fatalf("after step 2: %s", got)
	}
	resp, _ = e.send("/en/prenota/dettagli", "/en/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}})
	location(t, resp)
	resp, body = e.send("/en/prenota/richiedente", "/en/prenota/richiedente", url.Values{"email": {"x"}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("applicant with errors: %d", resp.StatusCode)
	}
	mustContain(t, "step 4 with errors", body, "Enter your first name.", "Enter a valid e-mail address", "privacy notice",
		"Codice fiscale, the Italian tax code", "There are ")
	resp, _ = e.send("/en/prenota/richiedente", "/en/prenota/richiedente", validApplicant("john.smith@example.org"))
	if got := location(t, resp); got != "/en/prenota/riepilogo" {
		t.Fatalf("after step 4: %s", got)
	}
	_, body = e.get("/en/prenota/riepilogo")
	mustContain(t, "summary", body, "Confirm and send", `href="/en/prenota/data?da=riepilogo"`, "Social worker")
	e.clock.Add(10 * time.Second)
	resp, _ = e.send("/en/prenota/riepilogo", "/en/prenota/conferma", nil)
	if got := location(t, resp); got != "/en/prenota/fatto" {
		t.Fatalf("after submit: %s", got)
	}
	_, body = e.get("/en/prenota/fatto")
	mustContain(t, "done", body, "Appointment confirmed", "Your appointment with a social worker is confirmed", `href="/en/prenota/fatto/appuntamento.ics"`)
	if n := e.count(`SELECT count(*) FROM appointments WHERE language = 'en'`); n != 1 {
		t.Fatalf("%d appointments in English, want 1", n)
	}
	resp, err := e.Client.Get(e.Server.URL + "/en/prenota/fatto/appuntamento.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics := readAll(resp.Body)
	mustContain(t, "confirmation page .ics", ics, "SUMMARY:Appointment with a social worker", "Booking code:")

	msgs := e.mailer.messages()
	m := msgs[len(msgs)-1]
	if !strings.HasPrefix(m.Subject, "Appointment confirmed for ") {
		t.Errorf("subject %q", m.Subject)
	}
	mustContain(t, "e-mail", m.Text, "Dear Maria,", "your appointment with a social worker is confirmed", testBaseURL+"/en/appuntamento/")

	base := "/en/appuntamento/" + e.manageToken()
	_, body = e.get(base)
	mustContain(t, "personal page", body, "Your appointment", "Move appointment", `href="`+base+`/sposta"`, `href="`+base+`/annulla"`)
	// The personal page's .ics is in the appointment's language even
	// under the Italian path.
	resp, err = e.Client.Get(e.Server.URL + strings.TrimPrefix(base, "/en") + "/appuntamento.ics")
	if err != nil {
		t.Fatal(err)
	}
	mustContain(t, "personal .ics", readAll(resp.Body), "SUMMARY:Appointment with a social worker")
	resp, _ = e.send(base+"/annulla", base+"/annulla", nil)
	if got := location(t, resp); got != base+"?esito=annullato" {
		t.Fatalf("after cancelling: %s", got)
	}
}

// TestBookingEnglish_EMailsArriveInEnglishAtTheSMTPServer books under
// /en/prenota and lets a real job-queue worker deliver over SMTP: the
// confirmation is English, with an English .ics and the English personal
// link; cancelling from the personal page sends an English cancellation.
// An Italian booking next to it stays Italian.
func TestBookingEnglish_EMailsArriveInEnglishAtTheSMTPServer(t *testing.T) {
	base := newBookingEnv(t, 2)
	e := base.inLanguage("/en")
	ctx, sink := e.startSMTPDelivery(t)

	e.book("", "john.smith@example.org")
	got, err := sink.WaitFor(ctx, 1)
	if err != nil {
		t.Fatalf("no message reached the SMTP server: %v", err)
	}
	m := got[0]
	if !strings.HasPrefix(m.Subject(), "Appointment confirmed for ") {
		t.Errorf("subject %q, want English", m.Subject())
	}
	text := m.TextBody()
	mustContain(t, "text body", text, "Appointment confirmed", "your appointment with a social worker is confirmed", "Booking code: ",
		"If you cannot come, cancel or move the appointment", testBaseURL+"/en/appuntamento/", "What to bring")
	if strings.Contains(text, "Gentile") || strings.Contains(text, "Codice di prenotazione") {
		t.Errorf("the English e-mail has Italian words:\n%s", text)
	}
	mustContain(t, "HTML body", m.HTMLBody(), `<html lang="en">`, "Booking code")
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	var ics string
	for _, p := range parts {
		if strings.HasSuffix(p.Filename, ".ics") {
			ics = string(p.Body)
		}
	}
	mustContain(t, ".ics", ics, "SUMMARY:Appointment with a social worker", "Booking code: ",
		"Office phone: 075 111 2222", "/en/appuntamento/")

	// Cancel from the English personal page.
	token := manageRE.FindStringSubmatch(text)
	if token == nil {
		t.Fatal("no personal link")
	}
	page := "/en/appuntamento/" + token[1]
	resp, _ := e.send(page+"/annulla", page+"/annulla", nil)
	location(t, resp)
	got, err = sink.WaitFor(ctx, 2)
	if err != nil {
		t.Fatalf("no cancellation reached the SMTP server: %v", err)
	}
	c := got[1]
	if !strings.HasPrefix(c.Subject(), "Appointment cancelled: ") {
		t.Errorf("cancellation subject %q, want English", c.Subject())
	}
	mustContain(t, "cancellation", c.TextBody(), "has been cancelled", "If you still need an appointment", testBaseURL+"/en/prenota")

	// An Italian booking by another citizen stays Italian.
	base.browser().book("", "giulia.verdi@example.org")
	got, err = sink.WaitFor(ctx, 3)
	if err != nil {
		t.Fatalf("no Italian confirmation: %v", err)
	}
	if it := got[2]; !strings.HasPrefix(it.Subject(), "Appuntamento confermato per ") || strings.Contains(it.TextBody(), "/en/") {
		t.Errorf("the Italian booking's e-mail: %q\n%s", it.Subject(), it.TextBody())
	}
}

// TestStaffAppointments_LanguageNextToTheInterpreter: the staff pages,
// which stay Italian, show the language an appointment was booked in:
// the day's agenda for a language other than Italian, the detail always.
func TestStaffAppointments_LanguageNextToTheInterpreter(t *testing.T) {
	e := newApptEnv(t)
	e.bookingEnv.browser().inLanguage("/en").book("", "john.smith@example.org")
	var id int64
	var start time.Time
	if err := e.Store.Pool().QueryRow(context.Background(), `SELECT id, starts_at FROM appointments WHERE language = 'en'`).Scan(&id, &start); err != nil {
		t.Fatal(err)
	}
	it := e.bookWith(booking.AssistenteSociale, 0, "maria@example.org", nil)

	_, body := e.staff.get(e.base + "/giorno?data=" + hours.DateOf(start).String())
	mustContain(t, "agenda", body, "Lingua: inglese")
	_, body = e.staff.get(fmt.Sprintf("%s/%d", e.base, id))
	mustContain(t, "detail", body, "<dt>Lingua delle comunicazioni</dt>", "<dd>inglese</dd>", "<dt>Interprete</dt>")
	_, body = e.staff.get(e.path(it, ""))
	mustContain(t, "Italian detail", body, "<dd>italiano</dd>")
}
