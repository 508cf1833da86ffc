package notify

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
)

func rt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, hours.Rome())
}

// testCatalog is the embedded message catalogue.
var testCatalog = mustCatalog()

func mustCatalog() *i18n.Catalog {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return c
}

func sample() letter {
	return letter{L: testCatalog.Localizer(i18n.Italian),
		Code: "UDC-7K3M-9QX2", Professional: booking.AssistenteSociale, FirstName: "Maria",
		OfficeName: "Ufficio della Cittadinanza di Perugia", OfficeAddress: "Via XX Settembre 1, 06121 Perugia",
		OfficePhone: "075 123456", OfficeEmail: "udc.perugia@example.it",
		Start: rt(2026, 12, 10, 10, 0).UTC(), End: rt(2026, 12, 10, 10, 45).UTC(),
		Reason: "Prima informazione", Status: booking.StatusConfirmed,
		ManageURL: "https://udc.umbria.it/appuntamento/abc_DEF-123",
		BookURL:   "https://udc.umbria.it/uffici/perugia/prenota",
		// As scheda.Sanitize leaves it: the apostrophe escaped.
		WhatToBring: WhatToBring{HTML: "<ul><li>Documento d&#39;identità</li><li>Tessera sanitaria</li></ul>",
			SheetTitle: "Ufficio della Cittadinanza", SheetURL: "https://udc.umbria.it/servizi/ufficio-della-cittadinanza"},
		OfficeHours:      []string{"lunedì: 9:00–13:00 accoglienza senza appuntamento", "giovedì: 15:00–17:00 su appuntamento"},
		OfficeURL:        "https://udc.umbria.it/uffici/perugia",
		Organizer:        "udc.perugia@example.it",
		CalendarAttached: true,
	}
}

// tm is a message under test with what its parts must (and must not) say.
type tm struct {
	name    string
	msg     content
	subject string
	has     []string // in both parts
	hasNot  []string // in neither part
}

func TestMessages(t *testing.T) {
	a := sample()
	when := "giovedì 10 dicembre 2026, dalle 10:00 alle 10:45"
	office := []string{"Ufficio della Cittadinanza di Perugia", "Via XX Settembre 1, 06121 Perugia", "075 123456", "udc.perugia@example.it",
		"Per informazioni contatta l'ufficio", "lunedì: 9:00–13:00 accoglienza senza appuntamento", "giovedì: 15:00–17:00 su appuntamento",
		"https://udc.umbria.it/uffici/perugia"}
	common := append([]string{"UDC-7K3M-9QX2", "Gentile Maria,", "Assistente sociale", "Prima informazione"}, office...)
	manage := []string{a.ManageURL, "Se non puoi venire, annulla o sposta l'appuntamento con il link qui sotto."}

	req := a
	req.Status = booking.StatusRequested
	movedReq := req
	noCal := a
	noCal.CalendarAttached = false
	noBook := a
	noBook.BookURL = ""

	newLink := a
	newLink.ReplacesLink = true

	oldStart, oldEnd := rt(2026, 12, 3, 9, 0), rt(2026, 12, 3, 9, 45)

	tests := []tm{
		{"confirmation", confirmation(a), "Appuntamento confermato per giovedì 10 dicembre alle 10:00",
			cat(common, manage, []string{when, "è confermato", "Documento d'identità", "Tessera sanitaria", "aggiungere l'appuntamento al tuo calendario"}),
			[]string{"non è ancora confermato"}},
		{"confirmation without .ics", confirmation(noCal), "Appuntamento confermato per giovedì 10 dicembre alle 10:00",
			cat(common, manage), []string{"In allegato"}},
		{"request received", confirmation(req), "Richiesta di appuntamento ricevuta per giovedì 10 dicembre alle 10:00",
			cat(common, []string{a.ManageURL, when, "Orario richiesto", "non è ancora confermato", "annulla la richiesta"}),
			[]string{"è confermato.", "In allegato", "Cosa portare"}},
		{"reminder", reminder(a), "Promemoria: domani hai un appuntamento alle 10:00",
			cat(common, manage, []string{when, "domani hai un appuntamento con l'assistente sociale", "Tessera sanitaria"}), nil},
		{"cancelled by the office", cancelled(a, "Operatore assente per malattia"), "Appuntamento annullato: giovedì 10 dicembre alle 10:00",
			cat(common, []string{when, "è stato annullato", "Motivo indicato dall'ufficio: Operatore assente per malattia", a.BookURL,
				"togliere l'appuntamento dal tuo calendario"}),
			[]string{a.ManageURL, "Se non puoi venire", "Cosa portare"}},
		{"cancelled, no reason, no booking link", cancelled(noBook, " "), "Appuntamento annullato: giovedì 10 dicembre alle 10:00",
			cat(common, []string{when}), []string{"Motivo indicato", "Prenota", a.ManageURL}},
		{"moved", moved(a, oldStart, oldEnd), "Appuntamento spostato a giovedì 10 dicembre alle 10:00",
			cat(common, manage, []string{"Nuovo orario: " + when, "Orario precedente: giovedì 3 dicembre 2026, dalle 9:00 alle 9:45",
				"aggiornare l'appuntamento nel tuo calendario"}),
			[]string{"non è ancora confermato"}},
		{"request moved", moved(movedReq, oldStart, oldEnd), "Appuntamento spostato a giovedì 10 dicembre alle 10:00",
			cat(common, manage, []string{"Il nuovo orario non è ancora confermato"}), nil},
		{"request confirmed", requestConfirmed(a), "Appuntamento confermato per giovedì 10 dicembre alle 10:00",
			cat(common, manage, []string{when, "l'ufficio ha accettato la tua richiesta"}), nil},
		{"request declined", requestDeclined(a, "In quel giorno l'ufficio è chiuso."), "Richiesta di appuntamento non accettata",
			cat(common, []string{when, "non ha potuto accettare", "Messaggio dell'ufficio: In quel giorno l'ufficio è chiuso.", a.BookURL}),
			[]string{a.ManageURL, "Se non puoi venire"}},
		{"proposal", proposal(a, oldStart, oldEnd), "Proposta di un nuovo orario per il tuo appuntamento",
			cat(common, []string{a.ManageURL, "Orario proposto: " + when, "Orario precedente: giovedì 3 dicembre 2026, dalle 9:00 alle 9:45",
				"lo ha già confermato", "Se l'orario proposto non ti va bene", "Tessera sanitaria", "aggiornare l'appuntamento nel tuo calendario"}),
			[]string{"sostituisce"}},
		{"request confirmed, new link", requestConfirmed(newLink), "Appuntamento confermato per giovedì 10 dicembre alle 10:00",
			cat(common, manage, []string{"Questo link sostituisce quello che ti abbiamo inviato in precedenza, che non funziona più."}), nil},
		{"proposal, new link", proposal(newLink, oldStart, oldEnd), "Proposta di un nuovo orario per il tuo appuntamento",
			cat(common, []string{a.ManageURL, "Questo link sostituisce quello che ti abbiamo inviato in precedenza"}), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := tt.msg
			if m.Subject != tt.subject {
				t.Errorf("Subject = %q, want %q", m.Subject, tt.subject)
			}
			// Nothing personal, nor anything hinting at the citizen's
			// situation, in the subject.
			for _, s := range []string{"Maria", "UDC-", "Prima informazione", "assistente", "Perugia", "http"} {
				if strings.Contains(m.Subject, s) {
					t.Errorf("Subject %q contains %q", m.Subject, s)
				}
			}
			for _, s := range tt.has {
				if !strings.Contains(m.Text, s) {
					t.Errorf("Text lacks %q:\n%s", s, m.Text)
				}
				if !strings.Contains(m.HTML, html.EscapeString(s)) && !strings.Contains(m.HTML, htmlLabel(s)) {
					t.Errorf("HTML lacks %q:\n%s", s, m.HTML)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(m.Text, s) || strings.Contains(m.HTML, html.EscapeString(s)) {
					t.Errorf("message contains %q", s)
				}
			}
			if !strings.HasPrefix(m.HTML, "<!DOCTYPE html>") || !strings.HasSuffix(m.HTML, "</html>\n") {
				t.Errorf("HTML is not a whole document")
			}
		})
	}
}

// htmlLabel turns "Label: value", as in the text part, into the table row
// of the HTML part.
func htmlLabel(s string) string {
	label, value, ok := strings.Cut(s, ": ")
	if !ok {
		return "\x00"
	}
	return "<th scope=\"row\" align=\"left\" valign=\"top\">" + html.EscapeString(label) + "</th><td>" + html.EscapeString(value) + "</td>"
}

func cat(lists ...[]string) []string {
	var out []string
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

func TestMessages_GreetingWithoutName(t *testing.T) {
	a := sample()
	a.FirstName = " "
	m := reminder(a)
	if !strings.Contains(m.Text, "\nBuongiorno,\n") || !strings.Contains(m.HTML, "<p>Buongiorno,</p>") {
		t.Errorf("greeting:\n%s", m.Text)
	}
}

func TestMessages_NoReason_NoContact(t *testing.T) {
	a := sample()
	a.Reason, a.OfficePhone, a.OfficeEmail, a.OfficeHours, a.OfficeURL = "", "", "", nil, ""
	m := confirmation(a)
	for _, s := range []string{"Motivo", "Telefono:", "E-mail:", "Orari settimanali", "/uffici/"} {
		if strings.Contains(m.Text, s) || strings.Contains(m.HTML, s) {
			t.Errorf("message says %q without it:\n%s", s, m.Text)
		}
	}
	if !strings.Contains(m.Text, "Per informazioni contatta l'ufficio:\nUfficio della Cittadinanza di Perugia\nVia XX Settembre 1") {
		t.Errorf("the office is named all the same:\n%s", m.Text)
	}
}

// TestMessages_WhatToBring_TheSheetsSection: «Cosa portare» is the
// sheet's «Cosa serve», as a list in the text part and as the sheet's
// HTML in the HTML part, with the sheet's address; a sheet that lists
// nothing says so instead of inventing a list.
func TestMessages_WhatToBring_TheSheetsSection(t *testing.T) {
	a := sample()
	m := confirmation(a)
	if !strings.Contains(m.Text, "Cosa portare:\n- Documento d'identità\n- Tessera sanitaria\n"+
		"Dalla scheda del servizio «Ufficio della Cittadinanza»: https://udc.umbria.it/servizi/ufficio-della-cittadinanza\n") {
		t.Errorf("text:\n%s", m.Text)
	}
	if !strings.Contains(m.HTML, "<h2>Cosa portare</h2>\n<ul><li>Documento d&#39;identità</li><li>Tessera sanitaria</li></ul>") ||
		!strings.Contains(m.HTML, `<a href="https://udc.umbria.it/servizi/ufficio-della-cittadinanza">`) {
		t.Errorf("HTML:\n%s", m.HTML)
	}
	a.WhatToBring.HTML = ""
	m = confirmation(a)
	for _, part := range []string{m.Text, m.HTML} {
		if !strings.Contains(part, "La scheda del servizio non indica documenti da portare") || strings.Contains(part, "identità") {
			t.Errorf("a sheet listing nothing:\n%s", part)
		}
	}
	a.WhatToBring = WhatToBring{}
	if m = confirmation(a); strings.Contains(m.Text, "Cosa portare") || strings.Contains(m.HTML, "Cosa portare") {
		t.Errorf("without a published sheet the section is left out:\n%s", m.Text)
	}
}

func TestHTMLLines(t *testing.T) {
	got := htmlLines("<p>Porta <strong>se li hai</strong>:</p><ul><li>la carta d&#39;identità;</li><li>l&#39;ISEE</li></ul><p>Altro<br>a capo</p>")
	want := []string{"Porta se li hai:", "- la carta d'identità;", "- l'ISEE", "Altro", "a capo"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("htmlLines = %q, want %q", got, want)
	}
	if got := htmlLines(""); len(got) != 0 {
		t.Errorf("empty: %q", got)
	}
}

func TestMessages_HTMLEscapesOfficeAndReasonData(t *testing.T) {
	a := sample()
	a.OfficeName = `<script>alert("x")</script> & Co`
	a.OfficeAddress = `Via <b>Roma</b>`
	a.Reason = `<img src=x onerror=alert(1)>`
	a.FirstName = `<i>Eve</i>`
	a.WhatToBring.SheetTitle = `<a href="http://evil">premi</a>`
	a.OfficeHours = []string{`<script>lunedì</script>`}
	a.ManageURL = `javascript:alert(1)`
	for _, m := range []content{confirmation(a), cancelled(a, `<script>x</script>`), requestDeclined(a, `"><svg onload=1>`)} {
		for _, bad := range []string{"<script", "<img", "<b>", "<i>", "<svg", `<a href="http://evil"`, `href="javascript:`} {
			if strings.Contains(m.HTML, bad) {
				t.Errorf("HTML contains %q:\n%s", bad, m.HTML)
			}
		}
		if !strings.Contains(m.HTML, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co") {
			t.Errorf("office name not escaped:\n%s", m.HTML)
		}
		// The plain-text part is text: it keeps what was written.
		if !strings.Contains(m.Text, a.OfficeName) {
			t.Errorf("Text lacks the office name")
		}
	}
}
