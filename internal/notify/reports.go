package notify

import (
	"strings"

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/mail"
)

// Report is what the messages say about a citizen's report of a problem
// ("segnalazione di disservizio"), as the event left it.
type Report struct {
	// Code is the report's code, "SEG-7K3M-9QX2".
	Code string
	// Category and Status are in words: "Ufficio chiuso negli orari
	// indicati", "In lavorazione".
	Category string
	Status   string
	// Name is for the greeting; "" gives one without a name.
	Name string
	// Email is the recipient.
	Email string
	// Description is what the citizen wrote, repeated in the receipt.
	Description string
	// PagePath is the page of the portal concerned ("/uffici/norcia"), "" for none.
	PagePath string
	// ReplyConsent says the citizen asked for the answer by e-mail.
	ReplyConsent bool
	// Answer is the office's answer (ReportAnswered).
	Answer string
}

// reportMessage writes the e-mail of a report event: the receipt with the
// code, or the office's answer. Subjects carry the code only.
func (n *Notifier) reportMessage(e Event) (mail.Message, error) {
	r := e.Report
	// Reports are in Italian: their pages are not translated.
	v := &view{L: n.italian, Greeting: greeting(n.italian, r.Name), Office: officeView{Name: "Uffici della Cittadinanza dell'Umbria"}}
	if e.Office.Name != "" {
		v.Office = officeView{Name: e.Office.Name, Phone: e.Office.Phone, Email: e.Office.Email}
	}
	details := []detail{{"Codice della segnalazione", r.Code}, {"Tipo di disservizio", r.Category}}
	if e.Office.Name != "" {
		details = append(details, detail{"Ufficio", e.Office.Name})
	}
	if r.PagePath != "" {
		details = append(details, detail{"Pagina", n.baseURL + r.PagePath})
	}
	var subject string
	switch e.Kind {
	case ReportReceived:
		v.Title = "Segnalazione ricevuta"
		v.Intro = []string{"abbiamo ricevuto la tua segnalazione di disservizio: grazie, ci aiuta a migliorare il servizio.",
			"Il codice della segnalazione è " + r.Code + ": citalo se contatti l'ufficio."}
		if r.ReplyConsent {
			v.Intro = append(v.Intro, "Ti scriveremo a questo indirizzo quando l'ufficio avrà preso in carico la segnalazione.")
		} else {
			v.Intro = append(v.Intro, "Non hai chiesto una risposta per e-mail: questo è l'unico messaggio che ti invieremo.")
		}
		v.Details = append(details, detail{"Descrizione", r.Description})
		subject = "Segnalazione ricevuta: " + r.Code
	case ReportAnswered:
		v.Title = "Risposta alla tua segnalazione"
		v.Intro = []string{"l'ufficio ha risposto alla tua segnalazione " + r.Code + "."}
		v.Details = append(details, detail{"Stato", r.Status})
		v.Answer = paragraphs(r.Answer)
		subject = "Risposta alla segnalazione " + r.Code
	}
	c := v.message(subject)
	return mail.Message{To: r.Email, Subject: c.Subject, Text: c.Text, HTML: c.HTML}, nil
}

// greeting opens a message: "Gentile Maria," or "Buongiorno,".
func greeting(l *i18n.Localizer, name string) string {
	if n := strings.TrimSpace(name); n != "" {
		return l.T("email.greeting.name", "Name", n)
	}
	return l.T("email.greeting.plain")
}

// paragraphs splits a text typed by staff into its non-empty lines.
func paragraphs(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
