package notify_test

import (
	"cmp"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
)

const (
	base  = "https://udc.example.it"
	token = "tok3n_OF-the-personal-link_0123456789abcdef"
	link  = base + "/appuntamento/" + token
)

func event(kind notify.Kind, status booking.Status, tok string) notify.Event {
	start := time.Date(2026, 12, 10, 10, 0, 0, 0, hours.Rome())
	return notify.Event{
		Kind: kind,
		Appointment: notify.Appointment{Code: "UDC-7K3M-9QX2", Professional: booking.Educatore, Status: status,
			Start: start, End: start.Add(45 * time.Minute), Reason: "Prima informazione", FirstName: "Maria",
			Email: "maria.rossi@example.org", Sequence: 2,
			WhatToBring: notify.WhatToBring{HTML: "<ul><li>la tessera sanitaria</li></ul>", SheetTitle: "Ufficio della Cittadinanza",
				SheetURL: "/servizi/ufficio-della-cittadinanza"}},
		Office: notify.Office{Name: "Ufficio della Cittadinanza di Foligno", Address: "Piazza della Repubblica 1, 06034 Foligno (PG)",
			Phone: "0742 123456", Email: "udc.foligno@example.org", Slug: "foligno",
			Hours: []hours.Interval{
				{Weekday: time.Thursday, Start: 15 * 60, End: 17 * 60, Kind: hours.KindAppointment},
				{Weekday: time.Monday, Start: 9 * 60, End: 13 * 60, Kind: hours.KindWalkIn},
				{Weekday: time.Thursday, Start: 9 * 60, End: 12 * 60, Kind: hours.KindWalkIn},
			}},
		PreviousStart: start.Add(-48 * time.Hour), PreviousEnd: start.Add(-48*time.Hour + 45*time.Minute),
		Reason: "Operatore assente", Token: tok,
		At: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC),
	}
}

// TestMessage_EachEvent checks that every event gives its own message to
// the citizen, with the personal link only when the event carries it, the
// booking link after a cancellation or a refusal, and the calendar entry
// the calendar needs (an update, or a cancellation).
func TestMessage_EachEvent(t *testing.T) {
	n := notify.New(base, nil)
	tests := []struct {
		name    string
		e       notify.Event
		subject string
		has     []string
		hasNot  []string
		method  string
	}{
		{"booked", event(notify.Booked, booking.StatusConfirmed, token), "Appuntamento confermato per",
			[]string{link, "è confermato", "- la tessera sanitaria", base + "/servizi/ufficio-della-cittadinanza"}, []string{"sostituisce", base + "/prenota"}, "PUBLISH"},
		{"request booked", event(notify.Booked, booking.StatusRequested, token), "Richiesta di appuntamento ricevuta",
			[]string{link, "non è ancora confermato"}, nil, "PUBLISH"},
		{"reminder", event(notify.Reminder, booking.StatusConfirmed, ""), "Promemoria: domani",
			[]string{"e-mail di conferma", "Telefono: 0742 123456", base + "/uffici/foligno", "- giovedì: 9:00–12:00 accoglienza senza appuntamento, 15:00–17:00 su appuntamento",
				"- lunedì: 9:00–13:00 accoglienza senza appuntamento", "la tessera sanitaria"}, []string{"/appuntamento/"}, "PUBLISH"},
		{"cancelled by the office", event(notify.Cancelled, booking.StatusCancelled, ""), "Appuntamento annullato",
			[]string{"Motivo indicato dall'ufficio: Operatore assente", base + "/prenota", "Telefono: 0742 123456"}, []string{"/appuntamento/", "Cosa portare", "tessera"}, "CANCEL"},
		{"moved", event(notify.Moved, booking.StatusConfirmed, token), "Appuntamento spostato",
			[]string{link, "Orario precedente: martedì 8 dicembre 2026"}, []string{"sostituisce"}, "PUBLISH"},
		{"confirmed", event(notify.Confirmed, booking.StatusConfirmed, token), "Appuntamento confermato per",
			[]string{link, "ha accettato la tua richiesta", "sostituisce quello che ti abbiamo inviato"}, nil, "PUBLISH"},
		{"declined", event(notify.Declined, booking.StatusDeclined, ""), "Richiesta di appuntamento non accettata",
			[]string{"Messaggio dell'ufficio: Operatore assente", base + "/prenota"}, []string{"/appuntamento/"}, "CANCEL"},
		{"proposed", event(notify.Proposed, booking.StatusConfirmed, token), "Proposta di un nuovo orario",
			[]string{link, "Orario proposto", "sostituisce quello che ti abbiamo inviato"}, nil, "PUBLISH"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := n.Message(tt.e)
			if err != nil {
				t.Fatal(err)
			}
			if err := m.Validate(); err != nil {
				t.Fatal(err)
			}
			if m.To != "maria.rossi@example.org" || !strings.HasPrefix(m.Subject, tt.subject) {
				t.Errorf("to %q subject %q", m.To, m.Subject)
			}
			for _, s := range tt.has {
				if !strings.Contains(m.Text, s) {
					t.Errorf("text lacks %q:\n%s", s, m.Text)
				}
				if strings.HasPrefix(s, "http") && !strings.Contains(m.HTML, `href="`+s+`"`) {
					t.Errorf("HTML lacks the link %q", s)
				}
			}
			for _, s := range tt.hasNot {
				if strings.Contains(m.Text, s) || strings.Contains(m.HTML, s) {
					t.Errorf("message contains %q:\n%s", s, m.Text)
				}
			}
			if len(m.Attachments) != 1 {
				t.Fatalf("%d attachments", len(m.Attachments))
			}
			att := m.Attachments[0]
			ics := unfold(att.Data)
			if att.Name != "appuntamento.ics" || !strings.HasSuffix(att.ContentType, "method="+tt.method) ||
				!strings.Contains(ics, "METHOD:"+tt.method+"\r\n") || !strings.Contains(ics, "UID:UDC-7K3M-9QX2@udc.example.it\r\n") ||
				!strings.Contains(ics, "SEQUENCE:2\r\n") || !strings.Contains(ics, "DTSTAMP:20261201T090000Z\r\n") {
				t.Errorf("attachment %s %s:\n%s", att.Name, att.ContentType, ics)
			}
		})
	}
}

// unfold joins the folded lines of an iCalendar file.
func unfold(b []byte) string { return strings.ReplaceAll(string(b), "\r\n ", "") }

func TestMessage_UnknownEvent_Error(t *testing.T) {
	if _, err := notify.New(base, nil).Message(event("rescheduled", booking.StatusConfirmed, "")); err == nil {
		t.Fatal("unknown kind rendered")
	}
}

func TestCalendar_LinkOnlyWithToken(t *testing.T) {
	n := notify.New(base, nil)
	e := event(notify.Booked, booking.StatusConfirmed, "")
	without := unfold(n.Calendar(e.Appointment, e.Office, "", e.At))
	with := unfold(n.Calendar(e.Appointment, e.Office, token, e.At))
	if strings.Contains(without, "/appuntamento/") || !strings.Contains(with, "URL:"+link) {
		t.Errorf("without token:\n%s\nwith token:\n%s", without, with)
	}
	if !strings.Contains(without, "LOCATION:Ufficio della Cittadinanza di Foligno\\, Piazza della Repubblica 1\\, 06034 Foligno (PG)") {
		t.Errorf("location:\n%s", without)
	}
}

func TestNew_HostOfBaseURL_IsTheUIDDomain(t *testing.T) {
	e := event(notify.Booked, booking.StatusConfirmed, "")
	for baseURL, want := range map[string]string{
		"http://127.0.0.1:8080": "UID:UDC-7K3M-9QX2@127.0.0.1",
		"":                      "UID:UDC-7K3M-9QX2@uffici-cittadinanza.invalid",
	} {
		if got := string(notify.New(baseURL, nil).Calendar(e.Appointment, e.Office, "", e.At)); !strings.Contains(got, want) {
			t.Errorf("base %q: lacks %q", baseURL, want)
		}
	}
}

// TestMessage_CancelCalendar_HasOrganizerNoWhatToBring: strict calendars
// drop a cancellation without an ORGANIZER, so every calendar file names
// one (the office, or the portal when the office has no e-mail), the same
// as in the file that added the entry; a cancellation does not list what
// to bring.
func TestMessage_CancelCalendar_HasOrganizerNoWhatToBring(t *testing.T) {
	n := notify.New(base, nil)
	for _, officeEmail := range []string{"udc.foligno@example.org", ""} {
		booked := event(notify.Booked, booking.StatusConfirmed, token)
		booked.Office.Email = officeEmail
		cancel := event(notify.Cancelled, booking.StatusCancelled, "")
		cancel.Office.Email = officeEmail
		want := "ORGANIZER;CN=\"Ufficio della Cittadinanza di Foligno\":mailto:" + cmp.Or(officeEmail, "noreply@udc.example.it") + "\r\n"
		var files []string
		for _, e := range []notify.Event{booked, cancel} {
			m, err := n.Message(e)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, unfold(m.Attachments[0].Data))
		}
		for i, f := range files {
			if !strings.Contains(f, want) {
				t.Errorf("office e-mail %q, file %d lacks %q:\n%s", officeEmail, i, want, f)
			}
		}
		if !strings.Contains(files[0], "Cosa portare: la tessera sanitaria.") {
			t.Errorf("the booking's entry says what to bring:\n%s", files[0])
		}
		if !strings.Contains(files[1], "METHOD:CANCEL") || strings.Contains(files[1], "Cosa portare") {
			t.Errorf("cancellation:\n%s", files[1])
		}
	}
}

func TestDeliveryKeyAndMessageID_StablePerAppointmentAndEvent(t *testing.T) {
	n := notify.New("https://udc.example.it", nil)
	e := notify.Event{Kind: notify.Booked, Appointment: notify.Appointment{Code: "UDC-7K3M-9QX2", Sequence: 0}}
	key := notify.DeliveryKey(e)
	if key != "UDC-7K3M-9QX2.booked.0" {
		t.Fatalf("DeliveryKey = %q", key)
	}
	id := n.MessageID(key)
	if id != n.MessageID(notify.DeliveryKey(e)) || !strings.HasSuffix(id, "@udc.example.it") || strings.Contains(id, "UDC") {
		t.Fatalf("MessageID = %q", id)
	}
	if err := (mail.Message{To: "a@example.it", Subject: "s", Text: "t", MessageID: id}).Validate(); err != nil {
		t.Errorf("Message-ID %q not valid: %v", id, err)
	}
	moved := e
	moved.Kind, moved.Appointment.Sequence = notify.Moved, 1
	reminder := e
	reminder.Kind = notify.Reminder
	for _, other := range []notify.Event{moved, reminder} {
		if k := notify.DeliveryKey(other); k == key || n.MessageID(k) == id {
			t.Errorf("%s has the key or Message-ID of the booking", other.Kind)
		}
	}
	if notify.DeliveryKey(notify.Event{Kind: notify.Booked}) != "" {
		t.Error("a key without booking code")
	}
}
