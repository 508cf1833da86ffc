package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
)

// TestReminder_TomorrowsAppointment_QueuedOnceWithDetailsAndNoLink books
// an appointment for tomorrow, runs the reminder task the way the periodic
// job does, and reads the queued message.
func TestReminder_TomorrowsAppointment_QueuedOnceWithDetailsAndNoLink(t *testing.T) {
	e := newBookingEnv(t, 1)
	e.book("", "mario.rossi@example.org")
	ctx := context.Background()
	// Move the appointment to tomorrow at 10:00, Rome time.
	tomorrow := hours.DateOf(time.Now()).AddDays(1)
	start := tomorrow.At(hours.NewClock(10, 0))
	if _, err := e.Store.Pool().Exec(ctx, `UPDATE appointments SET starts_at = $1, ends_at = $2, status = 'confermato'`,
		start, start.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	before := len(e.mailer.messages())
	for i := 0; i < 2; i++ { // the second run must find nothing left to send
		if _, err := e.Store.QueueReminders(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	msgs := e.mailer.messages()[before:]
	if len(msgs) != 1 {
		t.Fatalf("queued %d reminders, want 1", len(msgs))
	}
	m := msgs[0]
	if !strings.HasPrefix(m.Subject, "Promemoria") || m.To != "mario.rossi@example.org" {
		t.Errorf("subject %q to %q", m.Subject, m.To)
	}
	for _, want := range []string{"domani", "10:00", "Codice di prenotazione", "e-mail di conferma"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("reminder text lacks %q", want)
		}
	}
	if strings.Contains(m.Text, "/appuntamento/") {
		t.Error("the reminder cannot contain the personal link: only its hash is stored")
	}
	if len(m.Attachments) != 1 || !strings.Contains(string(m.Attachments[0].Data), "BEGIN:VEVENT") {
		t.Error("reminder lacks the calendar file")
	}
}
