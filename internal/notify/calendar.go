package notify

import (
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/ics"
)

// calendarEvent returns the calendar entry to attach to a message about a:
// its UID is made from the booking code and host (the portal's domain),
// sequence is the number of times it has been moved or cancelled, and stamp
// is now. A cancelled appointment gives a cancellation, a request not yet
// confirmed a tentative entry.
func calendarEvent(a letter, host string, sequence int, stamp time.Time) ics.Event {
	var desc []string
	desc = append(desc, a.T("email.detail.code")+": "+a.Code)
	cancelled := a.Status == booking.StatusCancelled || a.Status == booking.StatusDeclined
	// A cancellation only takes the entry away: nothing to bring.
	if b := a.WhatToBring.inline(); b != "" && !cancelled {
		desc = append(desc, a.T("email.bring.title")+": "+strings.TrimSuffix(b, ".")+".")
	}
	if a.OfficePhone != "" {
		desc = append(desc, a.T("ics.office_phone")+": "+a.OfficePhone)
	}
	if a.ManageURL != "" && a.Status != booking.StatusCancelled {
		desc = append(desc, a.T("email.manage_lead")+"\n"+a.ManageURL)
	}
	location := a.OfficeName
	if a.OfficeAddress != "" {
		location += ", " + a.OfficeAddress
	}
	e := ics.Event{
		UID:            ics.UID(a.Code, host),
		Sequence:       sequence,
		Start:          a.Start,
		End:            a.End,
		Summary:        a.T("ics.summary", "With", a.with(), "Office", a.OfficeName),
		Location:       location,
		Description:    strings.Join(desc, "\n"),
		Cancelled:      cancelled,
		Tentative:      a.Status == booking.StatusRequested,
		OrganizerName:  a.OfficeName,
		OrganizerEmail: a.Organizer,
		Stamp:          stamp,
	}
	if !e.Cancelled {
		e.URL = a.ManageURL
	}
	return e
}
