package notify_test

import (
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
)

// english is event in an appointment booked in English.
func english(kind notify.Kind, status booking.Status, tok string) notify.Event {
	e := event(kind, status, tok)
	e.Appointment.Lang = i18n.English
	return e
}

// attachedCalendar returns the .ics attached to m, "" for none.
func attachedCalendar(m mail.Message) string {
	for _, a := range m.Attachments {
		if strings.HasSuffix(a.Name, ".ics") {
			return string(a.Data)
		}
	}
	return ""
}

func mustHave(t *testing.T, what, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, s)
		}
	}
}

func mustNotHave(t *testing.T, what, s string, nots ...string) {
	t.Helper()
	for _, w := range nots {
		if strings.Contains(s, w) {
			t.Errorf("%s has %q:\n%s", what, w, s)
		}
	}
}

// italianWords are words of the Italian messages that an English one must
// not contain (names, addresses and the reason are data and stay).
var italianWords = []string{"Gentile", "Appuntamento confermato", "Codice di prenotazione", "Quando", "Dove", "Cosa portare",
	"Telefono", "Orari settimanali", "Gestisci", "giovedì", "dicembre", "dalle", "accoglienza senza appuntamento", "Promemoria"}

// TestMessage_EnglishConfirmation_SubjectBodyAndCalendarInEnglish: an
// appointment booked in English gets its confirmation in English, dates
// written the English way, the personal link to the English pages and
// an English calendar entry.
func TestMessage_EnglishConfirmation_SubjectBodyAndCalendarInEnglish(t *testing.T) {
	m, err := notify.New(base, nil).Message(english(notify.Booked, booking.StatusConfirmed, token))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Appointment confirmed for Thursday 10 December at 10:00" {
		t.Errorf("subject %q", m.Subject)
	}
	enLink := base + "/en/appuntamento/" + token
	mustHave(t, "text", m.Text, "Appointment confirmed", "Dear Maria,", "your appointment with a professional educator is confirmed.",
		"When: Thursday 10 December 2026, 10:00 to 10:45", "Where: Ufficio della Cittadinanza di Foligno", "With: Professional educator",
		"Booking code: UDC-7K3M-9QX2", "What to bring:", "- la tessera sanitaria", "If you cannot come, cancel or move the appointment",
		enLink, "Phone: 0742 123456", "Weekly opening hours:", "Monday: 9:00–13:00 drop-in, no appointment needed",
		"Thursday: 9:00–12:00 drop-in, no appointment needed, 15:00–17:00 by appointment", base+"/en/uffici/foligno",
		"The attached file adds the appointment to your calendar.", "sent automatically")
	mustNotHave(t, "text", m.Text, append(italianWords, base+"/appuntamento/")...)
	mustHave(t, "HTML", m.HTML, `<html lang="en">`, "If the link does not work, copy this address into your browser:", enLink)
	mustNotHave(t, "HTML", m.HTML, "Se il link non funziona", `lang="it"`)
	ics := unfold([]byte(attachedCalendar(m)))
	mustHave(t, ".ics", ics, "SUMMARY:Appointment with a professional educator – Ufficio della Cittadinanza di Foligno",
		`DESCRIPTION:Booking code: UDC-7K3M-9QX2\nWhat to bring: la tessera sanitaria.\nOffice phone: 0742 123456\nIf you cannot come`, enLink)
	mustNotHave(t, ".ics", ics, "Appuntamento con", "Codice di prenotazione")
}

// TestMessage_EnglishReminder: the reminder of an English appointment is
// English, without the link it cannot repeat.
func TestMessage_EnglishReminder(t *testing.T) {
	m, err := notify.New(base, nil).Message(english(notify.Reminder, booking.StatusConfirmed, ""))
	if err != nil {
		t.Fatal(err)
	}
	if m.Subject != "Reminder: you have an appointment tomorrow at 10:00" {
		t.Errorf("subject %q", m.Subject)
	}
	mustHave(t, "text", m.Text, "Appointment reminder", "this is a reminder that you have an appointment with a professional educator tomorrow.",
		"with the personal link in your confirmation e-mail", "When: Thursday 10 December 2026, 10:00 to 10:45")
	mustNotHave(t, "text", m.Text, italianWords...)
	mustHave(t, ".ics", unfold([]byte(attachedCalendar(m))), "SUMMARY:Appointment with a professional educator")
}

// TestMessage_EnglishChangesAndOfficeAnswers: every other message about an
// English appointment is English too, and links to the English pages.
func TestMessage_EnglishChangesAndOfficeAnswers(t *testing.T) {
	n := notify.New(base, nil)
	tests := []struct {
		kind    notify.Kind
		status  booking.Status
		subject string
		has     []string
	}{
		{notify.Cancelled, booking.StatusCancelled, "Appointment cancelled: Thursday 10 December at 10:00",
			[]string{"has been cancelled", "Reason given by the office: Operatore assente", base + "/en/prenota"}},
		{notify.Moved, booking.StatusConfirmed, "Appointment moved to Thursday 10 December at 10:00",
			[]string{"New time: Thursday 10 December 2026", "Previous time: Tuesday 8 December 2026", "/en/appuntamento/"}},
		{notify.Confirmed, booking.StatusConfirmed, "Appointment confirmed for Thursday 10 December at 10:00",
			[]string{"the office has accepted your request", "This link replaces the one we sent you before"}},
		{notify.Declined, booking.StatusDeclined, "Appointment request not accepted",
			[]string{"could not accept your request", "Message from the office: Operatore assente", base + "/en/prenota"}},
		{notify.Proposed, booking.StatusConfirmed, "A new time proposed for your appointment",
			[]string{"Proposed time: Thursday 10 December 2026", "If the proposed time does not suit you"}},
		{notify.BookedByOffice, booking.StatusConfirmed, "Appointment confirmed for Thursday 10 December at 10:00",
			[]string{"as agreed with the office"}},
		{notify.MoveRequested, booking.StatusConfirmed, "Please choose another time for your appointment on Thursday 10 December at 10:00",
			[]string{"will not be able to see you", "Choose the new time:", base + "/en/appuntamento/" + token + "/sposta"}},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			m, err := n.Message(english(tt.kind, tt.status, token))
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject {
				t.Errorf("subject %q, want %q", m.Subject, tt.subject)
			}
			mustHave(t, "text", m.Text, tt.has...)
			mustNotHave(t, "text", m.Text, italianWords...)
		})
	}
}

// TestMessage_ItalianUnchangedByLanguage: an appointment without a
// language, or in Italian, gets the same Italian message.
func TestMessage_ItalianUnchangedByLanguage(t *testing.T) {
	n := notify.New(base, nil)
	plain, err := n.Message(event(notify.Booked, booking.StatusConfirmed, token))
	if err != nil {
		t.Fatal(err)
	}
	e := event(notify.Booked, booking.StatusConfirmed, token)
	e.Appointment.Lang = i18n.Italian
	it, err := n.Message(e)
	if err != nil {
		t.Fatal(err)
	}
	if plain.Subject != it.Subject || plain.Text != it.Text || plain.HTML != it.HTML {
		t.Error(`Lang "" and "it" give different messages`)
	}
	if plain.Subject != "Appuntamento confermato per giovedì 10 dicembre alle 10:00" {
		t.Errorf("subject %q", plain.Subject)
	}
	mustHave(t, "Italian text", plain.Text, "Gentile Maria,", "Quando: giovedì 10 dicembre 2026, dalle 10:00 alle 10:45", link)
	mustHave(t, "Italian HTML", plain.HTML, `<html lang="it">`)
	mustHave(t, "Italian .ics", unfold([]byte(attachedCalendar(plain))), "SUMMARY:Appuntamento con l'educatore professionale")
}
