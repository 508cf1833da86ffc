package notify_test

import (
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/notify"
)

// TestMessage_BookedByOffice: the citizen booked by phone gets the
// confirmation with the personal link and the calendar entry.
func TestMessage_BookedByOffice(t *testing.T) {
	m, err := notify.New(base, nil).Message(event(notify.BookedByOffice, booking.StatusConfirmed, token))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"come concordato con l'ufficio", link, "UDC-7K3M-9QX2", "Ufficio della Cittadinanza di Foligno"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("text lacks %q:\n%s", s, m.Text)
		}
	}
	if !strings.HasPrefix(m.Subject, "Appuntamento confermato per") || strings.Contains(m.Subject, "Maria") {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.Attachments) != 1 || !strings.Contains(string(m.Attachments[0].Data), "METHOD:PUBLISH") {
		t.Errorf("attachments %v", m.Attachments)
	}
}

// TestMessage_MoveRequested: the citizen is told why, gets the new
// personal link straight to the move page, and no calendar file (the
// entry stays until they move or cancel it).
func TestMessage_MoveRequested(t *testing.T) {
	m, err := notify.New(base, nil).Message(event(notify.MoveRequested, booking.StatusConfirmed, token))
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Messaggio dell'ufficio: Operatore assente", link + "/sposta", "non devi inserire di nuovo i tuoi dati",
		"sostituisce quello che ti abbiamo inviato", "giovedì 10 dicembre 2026"} {
		if !strings.Contains(m.Text, s) {
			t.Errorf("text lacks %q:\n%s", s, m.Text)
		}
	}
	if !strings.Contains(m.HTML, `href="`+link+`/sposta"`) {
		t.Error("HTML lacks the link to the move page")
	}
	if !strings.HasPrefix(m.Subject, "Scegli un altro orario") || strings.Contains(m.Subject, "Maria") {
		t.Errorf("subject %q", m.Subject)
	}
	if len(m.Attachments) != 0 || strings.Contains(m.Text, "In allegato") {
		t.Errorf("a move request carries no calendar file: %d attachments", len(m.Attachments))
	}
}
