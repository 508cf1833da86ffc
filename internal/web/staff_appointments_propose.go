package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// proposeQuery is the slotQuery of the propose page: the times the
// booking step would offer for the appointment's office and professional
// (notice, horizon, windows, opening hours, closures), without the
// appointment's own. The settings need not be enabled for citizens: the
// office may still propose a time. ok is false when the professional has
// no bookable windows at the office.
func (s *Server) proposeQuery(ctx context.Context, o store.Office, a store.Appointment, week string) (slotQuery, bool, error) {
	all, err := s.store.BookingSettings(ctx, o.ID)
	if err != nil {
		return slotQuery{}, false, err
	}
	base := staffAppointmentPath(o.ID, a.ID) + "/proponi"
	for _, bs := range all {
		if bs.Professional == a.Professional && len(bs.Windows) > 0 {
			return slotQuery{office: o, settings: bs, week: week, exclude: a.Start,
				link: func(n int) string { return base + "?settimana=" + strconv.Itoa(n) }}, true, nil
		}
	}
	return slotQuery{}, false, nil
}

// renderPropose shows the propose page for a, with msg as the error of
// the choice ("" none).
func (s *Server) renderPropose(w http.ResponseWriter, r *http.Request, a store.Appointment, week string, status int, msg string) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	base := staffAppointmentPath(o.ID, a.ID)
	v := templates.StaffProposeView{StaffOfficeHeader: appointmentsHeader(o, false), Base: base, Action: base + "/proponi",
		Code: a.Code, When: booking.LongSpan(a.Start, a.End), Professional: a.Professional.WithArticle(), StatusLabel: a.Status.Label()}
	switch {
	case !a.Status.Active():
		v.Unavailable = "Non si può proporre un altro orario: l'appuntamento è nello stato «" + a.Status.Label() + "»."
	case erased(a):
		v.Unavailable = "Non si può proporre un altro orario: i dati personali sono stati cancellati e la persona non si può avvisare."
	default:
		office, ok, err := s.officeByID(ctx, o.ID)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		q, found, err := s.proposeQuery(ctx, office, a, week)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !ok || !found {
			v.Unavailable = "Non ci sono fasce prenotabili per " + a.Professional.WithArticle() +
				" in questo ufficio: impostale nella sezione Prenotazioni."
			break
		}
		if v.Picker, err = s.slotPicker(ctx, s.catalog.Localizer(i18n.Italian), q); err != nil {
			s.serverError(w, r, err)
			return
		}
		if msg != "" {
			v.Picker.Error = msg
			v.Errors = []templates.FieldError{{ID: v.Picker.FirstSlotID(), Message: msg}}
		}
	}
	if v.Unavailable != "" && status == http.StatusOK {
		status = http.StatusConflict
	}
	title := "Proponi un altro orario"
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	page := s.appointmentsPage(r, o, title, templates.Crumb{Label: a.Code, Href: base}, templates.Crumb{Label: "Proponi un altro orario"})
	s.render(w, r, status, templates.StaffProposePage(page, v))
}

// staffAppointmentProposeForm offers the free times (?settimana=N pages
// by week).
func (s *Server) staffAppointmentProposeForm(w http.ResponseWriter, r *http.Request) {
	s.renderPropose(w, r, staffAppointmentFrom(r.Context()), r.URL.Query().Get("settimana"), http.StatusOK, "")
}

// staffAppointmentPropose moves the appointment to the chosen time and
// confirms it (store.ProposeAppointmentTime): in one transaction the store
// secures the new seat before freeing the old one (capacity checked under
// the slot's lock), confirms and audits the request, renews the personal
// link and queues the e-mail with the new time and link. A full slot
// changes nothing (409).
func (s *Server) staffAppointmentPropose(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	a := staffAppointmentFrom(ctx)
	me, _ := staffFrom(ctx)
	week := r.PostFormValue("settimana")
	if !a.Status.Active() || erased(a) {
		s.renderPropose(w, r, a, week, http.StatusConflict, "")
		return
	}
	office, ok, err := s.officeByID(ctx, a.OfficeID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	q, found, err := s.proposeQuery(ctx, office, a, week)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok || !found {
		s.renderPropose(w, r, a, week, http.StatusConflict, "")
		return
	}
	sl, offered := s.offeredSlot(q, r.PostFormValue("orario"))
	if !offered {
		s.renderPropose(w, r, a, week, http.StatusUnprocessableEntity, "Scegli uno degli orari liberi.")
		return
	}
	moved, err := s.store.ProposeAppointmentTime(ctx, store.Proposal{ActorID: me.ID, OfficeID: a.OfficeID, AppointmentID: a.ID,
		Start: sl.Start, End: sl.End, Capacity: max(q.settings.Capacity, 1), Now: s.now()})
	switch {
	case errors.Is(err, store.ErrSlotFull), errors.Is(err, store.ErrSlotClosed):
		s.renderPropose(w, r, a, week, http.StatusConflict,
			"L'orario scelto non è più libero: un'altra persona lo ha appena prenotato. Scegli un altro orario; l'appuntamento non è cambiato.")
		return
	case errors.Is(err, store.ErrNotActive), errors.Is(err, store.ErrTransition):
		if cur, lerr := s.store.OfficeAppointment(ctx, a.OfficeID, a.ID); lerr == nil {
			a = cur
		}
		s.renderPropose(w, r, a, week, http.StatusConflict, "")
		return
	case errors.Is(err, store.ErrNotFound):
		s.staffNotFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	s.log.Info("appointment moved by staff", "request_id", middleware.GetReqID(ctx), "appointment_id", a.ID,
		"from", string(a.Status), "to", string(booking.StatusConfirmed))
	tell := " La persona riceve un'e-mail con il nuovo orario e un nuovo link personale."
	if moved.Email == "" {
		tell = " La persona non ha un indirizzo e-mail: avvisala per telefono" + phoneSuffix(moved.Phone) + "."
	}
	s.flash(r, "Appuntamento "+moved.Code+" spostato a "+booking.LongSpan(sl.Start, sl.End)+" e confermato."+tell)
	http.Redirect(w, r, staffAppointmentPath(a.OfficeID, a.ID), http.StatusSeeOther)
}
