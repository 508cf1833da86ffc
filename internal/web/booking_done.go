package web

import (
	"context"
	"errors"
	"net/http"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/ics"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// officeByID returns any office (bookable or not) from the cache.
func (s *Server) officeByID(ctx context.Context, id int64) (store.Office, bool, error) {
	data, err := s.offices.get(ctx)
	if err != nil {
		return store.Office{}, false, err
	}
	for _, o := range data.offices {
		if o.ID == id {
			return o, true, nil
		}
	}
	return store.Office{}, false, nil
}

// submittedAppointment returns the appointment the request's draft
// became. When it returns false it has already answered (a redirect to
// the start of the wizard, or an error page).
func (s *Server) submittedAppointment(w http.ResponseWriter, r *http.Request) (store.Appointment, store.Office, bool) {
	d, ok, err := s.loadDraft(r)
	if err != nil {
		s.serverError(w, r, err)
		return store.Appointment{}, store.Office{}, false
	}
	if !ok || d.AppointmentID == nil {
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return store.Appointment{}, store.Office{}, false
	}
	a, err := s.store.AppointmentByID(r.Context(), *d.AppointmentID)
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return store.Appointment{}, store.Office{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return store.Appointment{}, store.Office{}, false
	}
	o, _, err := s.officeByID(r.Context(), a.OfficeID)
	if err != nil {
		s.serverError(w, r, err)
		return store.Appointment{}, store.Office{}, false
	}
	return a, o, true
}

// bookingDone renders the confirmation page. It reads the appointment
// through the draft cookie: the personal link's token is only ever sent by
// e-mail, never put in this page or its URL.
func (s *Server) bookingDone(w http.ResponseWriter, r *http.Request) {
	a, o, ok := s.submittedAppointment(w, r)
	if !ok {
		return
	}
	l := s.loc(r)
	requested := a.Status == booking.StatusRequested
	title := l.T("booking.done.confirmed_title")
	if requested {
		title = l.T("booking.done.requested_title")
	}
	bring, err := s.store.WhatToBring(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	p := s.bookingPage(w, r, title)
	p.Rating = &templates.RatingForm{Question: l.T("booking.done.rating"), Page: r.URL.Path}
	s.render(w, r, http.StatusOK, templates.BookingDonePage(p, templates.BookingDone{
		Requested: requested, Code: a.Code, When: booking.SpanIn(l, a.Start, a.End),
		Professional: a.Professional.LabelIn(l), With: a.Professional.WithArticleIn(l), Reason: a.Reason,
		Office: bookingOffice(l, o), Bring: bringView(bring), ICSHref: s.link(r, bookingDonePath) + "/" + ics.Filename, Email: a.Email,
	}))
}

// bookingDoneCalendar downloads the appointment of the confirmation page
// as an .ics file.
func (s *Server) bookingDoneCalendar(w http.ResponseWriter, r *http.Request) {
	a, o, ok := s.submittedAppointment(w, r)
	if !ok {
		return
	}
	cal, err := s.calendarFile(r.Context(), a, o, "")
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.writeCalendar(w, cal)
}

// calendarFile is the .ics of appointment a at office o, saying what to
// bring as the e-mails do; token is the personal link's secret, "" when
// not known (the confirmation page: the token is only ever sent by
// e-mail).
func (s *Server) calendarFile(ctx context.Context, a store.Appointment, o store.Office, token string) ([]byte, error) {
	bring, err := s.store.WhatToBring(ctx)
	if err != nil {
		return nil, err
	}
	n := a.Notice()
	n.WhatToBring = bring.Notice()
	return s.notifier.Calendar(n, o.Contact(), token, s.now()), nil
}

// bringView is «Cosa portare» of the pages: the sheet's «Cosa serve».
func bringView(w store.WhatToBring) templates.WhatToBring {
	return templates.WhatToBring{HTML: w.HTML, SheetTitle: w.SheetTitle, SheetHref: w.SheetPath}
}

// writeCalendar sends an .ics file as a download.
func (s *Server) writeCalendar(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+ics.Filename+`"`)
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(body)
}
