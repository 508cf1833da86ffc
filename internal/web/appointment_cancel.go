package web

import (
	"errors"
	"net/http"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// appointmentCancelForm asks the citizen to confirm the cancellation.
func (s *Server) appointmentCancelForm(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openChangeableAppointment(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, templates.AppointmentCancelPage(s.appointmentPageMeta(w, r, la, s.loc(r).T("appointment.cancel")), s.appointmentPage(r, la)))
}

// appointmentCancel cancels the appointment; the store queues the e-mail
// with the calendar cancellation (METHOD:CANCEL, SEQUENCE bumped) in the
// same transaction.
func (s *Server) appointmentCancel(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openChangeableAppointment(w, r)
	if !ok {
		return
	}
	_, err := s.store.CancelAppointment(r.Context(), la.appt.ID, "", s.now())
	switch {
	case errors.Is(err, store.ErrNotActive), errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, la.base, http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.metrics.Cancelled("citizen")
	http.Redirect(w, r, la.base+"?esito=annullato", http.StatusSeeOther)
}
