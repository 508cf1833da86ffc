package notify

import (
	"html"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
)

func rt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, hours.Rome())
}

func sample() letter {
	return letter{
		Code: "UDC-7K3M-9QX2", Professional: booking.AssistenteSociale, FirstName: "Maria",
		OfficeName: "Ufficio della Cittadinanza di Perugia", OfficeAddress: "Via XX Settembre 1, 06121 Perugia",
		OfficePhone: "075 123456", OfficeEmail: "udc.perugia@example.it",
		Start: rt(2026, 12, 10, 10, 0).UTC(), End: rt(2026, 12, 10, 10, 45).UTC(),
		Reason: "Prima informazione", Status: booking.StatusConfirmed,
		ManageURL:        "https://udc.umbria.it/appuntamento/abc_DEF-123",
		BookURL:          "https://udc.umbria.it/uffici/perugia/prenota",
		WhatToBring:      []string{"Documento d'identità", "Tessera sanitaria"},
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
	office := []string{"Ufficio della Cittadinanza di Perugia", "Via XX Settembre 1, 06121 Perugia", "075 123456", "udc.perugia@example.it"}
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
	a.Reason, a.OfficePhone, a.OfficeEmail = "", "", ""
	m := confirmation(a)
	if strings.Contains(m.Text, "Motivo") || strings.Contains(m.Text, "Per informazioni") {
		t.Errorf("Text:\n%s", m.Text)
	}
}

func TestMessages_HTMLEscapesOfficeAndReasonData(t *testing.T) {
	a := sample()
	a.OfficeName = `<script>alert("x")</script> & Co`
	a.OfficeAddress = `Via <b>Roma</b>`
	a.Reason = `<img src=x onerror=alert(1)>`
	a.FirstName = `<i>Eve</i>`
	a.WhatToBring = []string{`<a href="http://evil">premi</a>`}
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
