package web

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// moveQuery is the slotQuery of the move page: the same office and
// professional, without the appointment's own slot. ok is false when the
// office no longer offers the professional online.
func (s *Server) moveQuery(r *http.Request, la linkedAppointment, week string) (slotQuery, bool, error) {
	settings, err := s.enabledSettings(r.Context(), la.office.ID)
	if err != nil {
		return slotQuery{}, false, err
	}
	for _, bs := range settings {
		if bs.Professional == la.appt.Professional {
			return slotQuery{office: la.office, settings: bs, week: week, exclude: la.appt.Start,
				link: func(n int) string { return la.base + "/sposta?settimana=" + strconv.Itoa(n) }}, true, nil
		}
	}
	return slotQuery{}, false, nil
}

// renderMove shows the move page with msg as the error ("" none).
func (s *Server) renderMove(w http.ResponseWriter, r *http.Request, la linkedAppointment, week string, status int, msg string) {
	l := s.loc(r)
	v := templates.AppointmentMove{Appointment: s.appointmentPage(r, la)}
	q, ok, err := s.moveQuery(r, la, week)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		v.Unavailable = l.T("appointment.move_unavailable") + " " + callOffice(l, la.office.Phone)
	} else {
		if v.Picker, err = s.slotPicker(r.Context(), l, q); err != nil {
			s.serverError(w, r, err)
			return
		}
		if msg != "" {
			v.Picker.Error = msg
			v.Errors = []templates.FieldError{{ID: v.Picker.FirstSlotID(), Message: msg}}
		}
	}
	title := l.T("appointment.move")
	if msg != "" {
		title = l.T("booking.error_title", "Title", title)
	}
	s.render(w, r, status, templates.AppointmentMovePage(s.appointmentPageMeta(w, r, la, title), v))
}

// appointmentMoveForm shows the free times of the same office and
// professional (?settimana=N pages by week).
func (s *Server) appointmentMoveForm(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openChangeableAppointment(w, r)
	if !ok {
		return
	}
	s.renderMove(w, r, la, r.URL.Query().Get("settimana"), http.StatusOK, "")
}

// appointmentMove moves the appointment to the chosen slot: the store
// secures the new seat before freeing the old one, and queues the e-mail
// (with the personal link and the updated calendar entry) in the same
// transaction.
func (s *Server) appointmentMove(w http.ResponseWriter, r *http.Request) {
	la, ok := s.openChangeableAppointment(w, r)
	if !ok {
		return
	}
	week := r.PostFormValue("settimana")
	q, ok, err := s.moveQuery(r, la, week)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.renderMove(w, r, la, week, http.StatusUnprocessableEntity, "")
		return
	}
	sl, offered := s.offeredSlot(q, r.PostFormValue("orario"))
	if !offered {
		s.renderMove(w, r, la, week, http.StatusUnprocessableEntity, s.loc(r).T("booking.slots.time_missing"))
		return
	}
	_, err = s.store.MoveAppointment(r.Context(), la.appt.ID, sl.Start, sl.End, max(q.settings.Capacity, 1), s.now(), la.token)
	switch {
	case errors.Is(err, store.ErrSlotFull), errors.Is(err, store.ErrSlotClosed):
		s.renderMove(w, r, la, week, http.StatusConflict, s.loc(r).T("appointment.move_taken"))
		return
	case errors.Is(err, store.ErrNotActive), errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, la.base, http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, la.base+"?esito=spostato", http.StatusSeeOther)
}
