package notify_test

import (
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/notify"
)

func reportEvent(kind notify.Kind, consent bool) notify.Event {
	return notify.Event{Kind: kind,
		Report: notify.Report{Code: "SEG-7K3M-9QX2", Category: "Ufficio chiuso negli orari indicati", Status: "Chiusa",
			Name: "Maria", Email: "maria.rossi@example.org", Description: "Martedì alle 10 era chiuso.",
			PagePath: "/uffici/foligno", ReplyConsent: consent, Answer: "Ci scusiamo.\nAbbiamo corretto gli orari."},
		Office: notify.Office{Name: "Ufficio della Cittadinanza di Foligno", Phone: "0742 123456"},
	}
}

func TestMessage_ReportReceived_CodeAndNoAttachment(t *testing.T) {
	n := notify.New(base, nil)
	for _, consent := range []bool{true, false} {
		m, err := n.Message(reportEvent(notify.ReportReceived, consent))
		if err != nil {
			t.Fatal(err)
		}
		if m.To != "maria.rossi@example.org" || m.Subject != "Segnalazione ricevuta: SEG-7K3M-9QX2" || len(m.Attachments) != 0 {
			t.Fatalf("to %q subject %q attachments %d", m.To, m.Subject, len(m.Attachments))
		}
		for _, part := range []string{m.Text, m.HTML} {
			for _, want := range []string{"SEG-7K3M-9QX2", "Gentile Maria", "Martedì alle 10 era chiuso.", base + "/uffici/foligno",
				"Ufficio della Cittadinanza di Foligno", "0742 123456"} {
				if !strings.Contains(part, want) {
					t.Errorf("consent %v: %q missing from\n%s", consent, want, part)
				}
			}
		}
		promise := strings.Contains(m.Text, "Ti scriveremo")
		if promise != consent {
			t.Errorf("consent %v: promise of a reply %v", consent, promise)
		}
		if err := m.Validate(); err != nil {
			t.Error(err)
		}
	}
}

func TestMessage_ReportAnswered_AnswerAndStatus(t *testing.T) {
	m, err := notify.New(base, nil).Message(reportEvent(notify.ReportAnswered, true))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Risposta alla segnalazione SEG-7K3M-9QX2" {
		t.Fatalf("subject %q", m.Subject)
	}
	for _, want := range []string{"Ci scusiamo.", "Abbiamo corretto gli orari.", "Stato: Chiusa", "Risposta dell'ufficio"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "<p>Abbiamo corretto gli orari.</p>") {
		t.Errorf("HTML:\n%s", m.HTML)
	}
	if strings.Contains(m.Text, "Martedì alle 10") {
		t.Error("the answer repeats the citizen's description")
	}
}

func TestMessage_ReportWithoutOffice_SignedByThePortal(t *testing.T) {
	e := reportEvent(notify.ReportReceived, false)
	e.Office = notify.Office{}
	e.Report.Name = ""
	m, err := notify.New(base, nil).Message(e)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(m.Text, "Buongiorno,") || !strings.Contains(m.Text, "Uffici della Cittadinanza dell'Umbria") ||
		strings.Contains(m.Text, "contatta l'ufficio") {
		t.Fatalf("text:\n%s", m.Text)
	}
}
