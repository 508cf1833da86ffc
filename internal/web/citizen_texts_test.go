package web_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/demo"
)

// What citizens tripped over, page by page: small wording and markup
// mistakes, texts meant for the people who manage the data, and «Cosa
// portare» contradicting the service sheet.

func TestRating_StarLabels_SingularForOneStar(t *testing.T) {
	e := newTestEnv(t)
	_, body := e.get("/servizi/ufficio-della-cittadinanza")
	mustContain(t, "sheet", body, ">1 stella su 5<", ">2 stelle su 5<", ">5 stelle su 5<")
	if strings.Contains(body, "1 stelle") {
		t.Error("«1 stelle su 5»")
	}
}

func TestOfficePage_ComuneServedInPart_NoSpaceBeforeTheColon(t *testing.T) {
	e := newTestEnv(t)
	if err := demo.Seed(context.Background(), e.Store); err != nil {
		t.Fatal(err)
	}
	_, body := e.get("/uffici/perugia-ponte-san-giovanni")
	mustContain(t, "office", body, `>Perugia</a>: Ponte San Giovanni e quartieri est</li>`)
	if regexp.MustCompile(`\s:\s`).MatchString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, "")) {
		t.Error("a space before a colon")
	}
}

func TestServiceSheet_SourceWithoutAddress_NoNoteForEditors(t *testing.T) {
	e := newTestEnv(t)
	_, body := e.get("/servizi/ufficio-della-cittadinanza")
	mustContain(t, "sheet", body, "Fonti ufficiali", "Uffici della cittadinanza - Regione Umbria")
	for _, internal := range []string{"indirizzo non indicato", "scheda originale"} {
		if strings.Contains(body, internal) {
			t.Errorf("the sheet tells citizens %q", internal)
		}
	}
}

func TestOpenData_NoCommandLineForCitizens(t *testing.T) {
	e := newTestEnv(t)
	_, body := e.get("/opendata")
	if strings.Contains(body, "import-uffici") || strings.Contains(body, "comando") {
		t.Error("/opendata names a command of the portal's program")
	}
}

func TestBookingPlace_OfficeChosenFromItsPage_ItsComuneIsChosenToo(t *testing.T) {
	e := newBookingEnv(t, 1)
	_, body := e.get("/prenota?ufficio=" + bookingOfficeSlug)
	mustContain(t, "step 1", body, `<option value="perugia" selected>Perugia</option>`,
		`id="ufficio-`+bookingOfficeSlug+`" value="`+bookingOfficeSlug+`" checked`, `<input type="hidden" name="comune" value="perugia">`)
	if strings.Contains(body, `<option value="" selected`) {
		t.Error("the Comune picker still says «Scegli un Comune»")
	}
}

func TestBookingSlots_OfficeWithoutStreetAddress_NoStrayComma(t *testing.T) {
	e := newBookingEnv(t, 1)
	body := e.toSlots()
	mustContain(t, "slots", body, `Ufficio: <strong translate="no">Ufficio della Cittadinanza di prova</strong> <br><span translate="no">Via di Prova 1, 06121 Perugia (PG)</span></p>`)
	if _, err := e.Store.Pool().Exec(context.Background(), `UPDATE offices SET address = '' WHERE slug = $1`, bookingOfficeSlug); err != nil {
		t.Fatal(err)
	}
	// The office cache drops the office when the database announces the
	// change.
	for i := 0; ; i++ {
		_, body = e.get("/prenota/data")
		if !strings.Contains(body, "Via di Prova 1") {
			break
		}
		if i == 100 {
			t.Fatal("the change never showed")
		}
		time.Sleep(50 * time.Millisecond)
	}
	mustContain(t, "slots without address", body, `Ufficio: <strong translate="no">Ufficio della Cittadinanza di prova</strong> <br><span translate="no">06121 Perugia (PG)</span></p>`)
	if strings.Contains(body, "</strong>,") {
		t.Error("a stray comma after the office's name")
	}
}

func TestBookingApplicant_PrivacyLabelIsAllText_EMailSpelledOneWay(t *testing.T) {
	e := newBookingEnv(t, 1)
	slots := e.toSlots()
	resp, _ := e.send("/prenota/data", "/prenota/data", url.Values{"orario": {freeSlots(slots)[0]}, "settimana": {"0"}})
	location(t, resp)
	resp, _ = e.send("/prenota/dettagli", "/prenota/dettagli", url.Values{"motivo": {"Prima informazione"}})
	location(t, resp)
	_, body := e.get("/prenota/richiedente")
	label := regexp.MustCompile(`(?s)<label class="form-check-label" for="privacy">(.*?)</label>`).FindStringSubmatch(body)
	if label == nil || strings.Contains(label[1], "<a") || !strings.Contains(label[1], "Ho letto l&#39;informativa sulla privacy") {
		t.Errorf("privacy label: %q", label)
	}
	mustContain(t, "step 4", body, `<a href="/privacy#prenotazioni" target="_blank" rel="noopener">Leggi l&#39;informativa sulla privacy (si apre in una nuova finestra)</a>`,
		`<label for="email">E-mail`)
	resp, _ = e.send("/prenota/richiedente", "/prenota/richiedente", validApplicant("maria.rossi@example.org"))
	location(t, resp)
	_, summary := e.get("/prenota/riepilogo")
	mustContain(t, "summary", summary, "<dt class=\"col-sm-4\">E-mail</dt>")
	for _, page := range []string{body, summary} {
		if strings.Contains(page, ">Email<") || strings.Contains(page, ">Email ") {
			t.Error("«Email» beside «e-mail»")
		}
	}
}

// TestBooking_WhatToBring_TheSheetsCosaServe: the confirmation page, the
// e-mail and the calendar file say what the service sheet's «Cosa serve»
// says: nothing to bring in the seed sheet, its list once an editor
// writes one. None keeps a list of its own.
func TestBooking_WhatToBring_TheSheetsCosaServe(t *testing.T) {
	e := newBookingEnv(t, 1)
	e.book("", "maria.rossi@example.org")
	_, page := e.get("/prenota/fatto")
	mail := e.mailer.messages()[0]
	mustContain(t, "confirmation", page, "Cosa portare", "La scheda del servizio non indica documenti da portare",
		`href="/servizi/ufficio-della-cittadinanza#cosa-serve"`)
	mustContain(t, "e-mail", mail.Text, "Cosa portare:\nLa scheda del servizio non indica documenti da portare")
	for _, part := range []string{page, mail.Text, mail.HTML, string(mail.Attachments[0].Data)} {
		for _, invented := range []string{"documento d'identità", "tessera sanitaria", "ISEE"} {
			if strings.Contains(part, invented) {
				t.Errorf("«Cosa portare» says %q, which the sheet does not", invented)
			}
		}
	}

	if _, err := e.Store.Pool().Exec(context.Background(),
		`UPDATE service_sheets SET needed_html = '<ul><li>la tessera sanitaria</li><li>l&#39;ultima attestazione ISEE, se l&#39;hai</li></ul>'`); err != nil {
		t.Fatal(err)
	}
	_, page = e.get("/prenota/fatto")
	mustContain(t, "confirmation", page, "<li>la tessera sanitaria</li>", "<li>l&#39;ultima attestazione ISEE, se l&#39;hai</li>")
	resp, err := e.Client.Get(e.Server.URL + "/prenota/fatto/appuntamento.ics")
	if err != nil {
		t.Fatal(err)
	}
	ics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if unfolded := strings.ReplaceAll(string(ics), "\r\n ", ""); !strings.Contains(unfolded, `Cosa portare: la tessera sanitaria\; l'ultima attestazione ISEE\, se l'hai.`) {
		t.Errorf("calendar file:\n%s", unfolded)
	}
	e.book("", "mario.bianchi@example.org")
	msgs := e.mailer.messages()
	mustContain(t, "e-mail", msgs[len(msgs)-1].Text, "Cosa portare:\n- la tessera sanitaria\n- l'ultima attestazione ISEE, se l'hai\n")
}

// TestBooking_EMail_OfficePhoneHoursAndPage: the e-mails tell how to reach
// the office: phone, e-mail, weekly hours and the office's page.
func TestBooking_EMail_OfficePhoneHoursAndPage(t *testing.T) {
	e := newBookingEnv(t, 1)
	e.book("", "maria.rossi@example.org")
	m := e.mailer.messages()[0]
	for _, part := range []string{m.Text, m.HTML} {
		mustContain(t, "e-mail", part, "075 111 2222", "udc.prova@example.org", "lunedì: 8:00–20:00 accoglienza senza appuntamento",
			testBaseURL+"/uffici/"+bookingOfficeSlug)
	}
	if status, _ := e.get("/uffici/" + bookingOfficeSlug); status != http.StatusOK {
		t.Errorf("the office page linked from the e-mail: %d", status)
	}
}
