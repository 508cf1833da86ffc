package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The personal link /appuntamento/{token} reaches one appointment. The
// token is random (code.NewToken), stored only as a hash and sent only by
// e-mail; it is never logged (the request log has the route pattern only)
// and these pages send no Referer. GET requests never change anything,
// because mail scanners follow links: cancelling and moving ask for
// confirmation and act on POST.

// linkedAppointment is the appointment of a personal link.
type linkedAppointment struct {
	appt   store.Appointment
	office store.Office
	token  string
	// base is the link's path, "/appuntamento/{token}".
	base string
}

// openChangeableAppointment is openAppointment for the cancel and move
// pages: an appointment that can no longer change sends the citizen back
// to its page.
func (s *Server) openChangeableAppointment(w http.ResponseWriter, r *http.Request) (linkedAppointment, bool) {
	la, ok := s.openAppointment(w, r)
	if !ok {
		return la, false
	}
	if !s.canChange(la.appt) {
		http.Redirect(w, r, la.base, http.StatusSeeOther)
		return la, false
	}
	return la, true
}

// openAppointment loads the appointment of the request's token. When it
// returns false it has already answered: "link not valid" (404) or an
// error page.
func (s *Server) openAppointment(w http.ResponseWriter, r *http.Request) (linkedAppointment, bool) {
	w.Header().Set("Referrer-Policy", "no-referrer")
	token := chi.URLParam(r, "token")
	if len(token) < 20 || len(token) > 100 {
		s.linkInvalid(w, r)
		return linkedAppointment{}, false
	}
	a, err := s.store.AppointmentByToken(r.Context(), code.HashToken(token), s.now())
	if errors.Is(err, store.ErrNotFound) {
		s.linkInvalid(w, r)
		return linkedAppointment{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return linkedAppointment{}, false
	}
	o, _, err := s.officeByID(r.Context(), a.OfficeID)
	if err != nil {
		s.serverError(w, r, err)
		return linkedAppointment{}, false
	}
	return linkedAppointment{appt: a, office: o, token: token, base: s.link(r, "/appuntamento/"+token)}, true
}

// linkInvalid answers a personal link that is unknown or expired.
func (s *Server) linkInvalid(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	s.bookingNotice(w, r, http.StatusNotFound, l.T("appointment.invalid"), templates.BookingNotice{
		Heading:    l.T("appointment.title"),
		Title:      l.T("appointment.invalid_title"),
		Paragraphs: []string{l.T("appointment.invalid_text"), l.T("appointment.invalid_contact")},
		Links: []templates.BookingLink{{Label: l.T("appointment.find_office"), Href: s.link(r, "/comuni")},
			{Label: l.T("appointment.book_new"), Href: s.link(r, "/prenota")}},
	})
}

// canChange reports whether the citizen may still move or cancel the
// appointment online: it is active and has not started.
func (s *Server) canChange(a store.Appointment) bool {
	return a.Status.Active() && s.now().Before(a.Start)
}

// appointmentPage is the view model of the personal pages, in the
// request's language.
func (s *Server) appointmentPage(r *http.Request, la linkedAppointment) templates.AppointmentPage {
	l := s.loc(r)
	a := la.appt
	p := templates.AppointmentPage{
		Code: a.Code, Status: string(a.Status), StatusLabel: a.Status.LabelIn(l), Requested: a.Status == booking.StatusRequested,
		Active: a.Status.Active(), When: booking.SpanIn(l, a.Start, a.End), Professional: a.Professional.LabelIn(l),
		Reason: a.Reason, Office: bookingOffice(l, la.office), Base: la.base, CanChange: s.canChange(a),
	}
	// The office's own words: the reason of a cancellation or a refusal
	// (a citizen cancelling gives none), or why it asks to move.
	switch {
	case a.Status == booking.StatusCancelled || a.Status == booking.StatusDeclined:
		p.OfficeMessage = a.CancelReason
	case a.MoveRequestedAt != nil && a.Status.Active():
		p.MoveRequested, p.OfficeMessage, p.StatusLabel = true, a.OfficeMessage, l.T("appointment.status_to_move")
	}
	return p
}

// appointmentView renders the personal page: details, status and the
// ways to move or cancel.
func (s *Server) appointmentView(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openAppointment(w, r)
	if !ok {
		return
	}
	l := s.loc(r)
	v := s.appointmentPage(r, la)
	bring, err := s.store.WhatToBring(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Bring = bringView(bring)
	switch r.URL.Query().Get("esito") {
	case "annullato":
		if la.appt.Status == booking.StatusCancelled {
			v.Notice = l.T("appointment.notice_cancelled")
		}
	case "spostato":
		if v.Active {
			v.Notice = l.T("appointment.notice_moved")
		}
	}
	p := s.page(w, r, l.T("appointment.title"), s.homeCrumb(r), templates.Crumb{Label: l.T("appointment.title")})
	p.Section = "prenota"
	s.render(w, r, http.StatusOK, templates.AppointmentViewPage(p, v))
}

// appointmentCalendar downloads the appointment as an .ics file.
func (s *Server) appointmentCalendar(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openAppointment(w, r)
	if !ok {
		return
	}
	cal, err := s.calendarFile(r.Context(), la.appt, la.office, la.token)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.writeCalendar(w, cal)
}

// appointmentPageMeta is the layout of the pages under the personal link.
func (s *Server) appointmentPageMeta(w http.ResponseWriter, r *http.Request, la linkedAppointment, title string) templates.Page {
	p := s.page(w, r, title, s.homeCrumb(r), templates.Crumb{Label: s.loc(r).T("appointment.title"), Href: la.base}, templates.Crumb{Label: title})
	p.Section = "prenota"
	return p
}
