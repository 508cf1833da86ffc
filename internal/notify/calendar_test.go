package notify

import (
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/ics"
)

func TestCalendarEvent(t *testing.T) {
	a := sample()
	stamp := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	e := calendarEvent(a, "udc.umbria.it", 1, stamp)
	want := ics.Event{
		UID: "UDC-7K3M-9QX2@udc.umbria.it", Sequence: 1, Start: a.Start, End: a.End,
		Summary:  "Appuntamento con l'assistente sociale – Ufficio della Cittadinanza di Perugia",
		Location: "Ufficio della Cittadinanza di Perugia, Via XX Settembre 1, 06121 Perugia",
		Description: "Codice di prenotazione: UDC-7K3M-9QX2\n" +
			"Cosa portare: Documento d'identità; Tessera sanitaria.\n" +
			"Telefono dell'ufficio: 075 123456\n" +
			"Se non puoi venire, annulla o sposta l'appuntamento con il link qui sotto.\n" + a.ManageURL,
		URL:           a.ManageURL,
		OrganizerName: "Ufficio della Cittadinanza di Perugia", OrganizerEmail: "udc.perugia@example.it",
		Stamp: stamp,
	}
	if e != want {
		t.Errorf("calendarEvent =\n%+v\nwant\n%+v", e, want)
	}
	if got := string(ics.Calendar(e)); !strings.Contains(got, "DTSTART;TZID=Europe/Rome:20261210T100000\r\n") {
		t.Errorf("calendar:\n%s", got)
	}

	a.Status = booking.StatusRequested
	if e := calendarEvent(a, "h", 0, stamp); !e.Tentative || e.Cancelled {
		t.Errorf("request: %+v", e)
	}
	a.Status = booking.StatusCancelled
	e = calendarEvent(a, "h", 2, stamp)
	if !e.Cancelled || e.URL != "" || strings.Contains(e.Description, a.ManageURL) {
		t.Errorf("cancelled: %+v", e)
	}
}
