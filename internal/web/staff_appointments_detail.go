package web

import (
	"errors"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// maxStaffReasonLength bounds the reason of a refusal or a cancellation,
// which goes into the e-mail to the citizen.
const maxStaffReasonLength = 500

// Errors of the checks made on the locked appointment (store.StatusChange
// Check): the time decides what can still be done.
var (
	errNotStarted = errors.New("appointment has not started")
	errStarted    = errors.New("appointment has started")
)

// appointmentActions are the actions staff may take on a now.
type appointmentActions struct {
	confirm, propose, decline, cancel, close bool
	// none explains why there is no action, "" when there is one.
	none string
}

// actionsFor returns what staff may do with a at now. Confirming and
// cancelling need an appointment still to come; marking it done or
// absent one that has started; every action that writes to the citizen
// needs their address, gone once the personal data is erased.
func actionsFor(a store.Appointment, now time.Time) appointmentActions {
	started := !now.Before(a.Start)
	mail := !erased(a)
	act := appointmentActions{
		confirm: a.Status.CanTransition(booking.StatusConfirmed) && !started && mail,
		propose: a.Status.Active() && mail,
		decline: a.Status.CanTransition(booking.StatusDeclined) && mail,
		cancel:  a.Status == booking.StatusConfirmed && a.Status.CanTransition(booking.StatusCancelled) && !started && mail,
		close:   a.Status.CanTransition(booking.StatusDone) && started,
	}
	switch {
	case act.confirm || act.propose || act.decline || act.cancel || act.close:
	case a.Status.Terminal():
		act.none = "Nessuna azione possibile: l'appuntamento è nello stato «" + a.Status.Label() + "»."
	case !mail:
		act.none = "Nessuna azione possibile: i dati personali sono stati cancellati."
	default:
		act.none = "Nessuna azione possibile in questo momento."
	}
	return act
}

// staffAppointmentModel is the view model of the appointment's page.
func (s *Server) staffAppointmentModel(o store.OfficeOverview, a store.Appointment) templates.StaffAppointmentView {
	act := actionsFor(a, s.now())
	v := templates.StaffAppointmentView{
		StaffOfficeHeader: appointmentsHeader(o, false),
		Base:              staffAppointmentPath(o.ID, a.ID), ListHref: staffAppointmentsPath(o.ID),
		Code: a.Code, StatusLabel: statusLabel(a), Pending: a.Status == booking.StatusRequested,
		When: capitalize(booking.LongSpan(a.Start, a.End)), Professional: a.Professional.Label(), Mode: a.Mode.Label(),
		Reason: a.Reason, Note: a.Note, Booked: staffTime(a.CreatedAt), CancelReason: a.CancelReason,
		Erased: erased(a), FirstName: a.FirstName, LastName: a.LastName, Email: a.Email, Phone: a.Phone,
		PhoneHref: telDigits(a.Phone), FiscalCode: a.FiscalCode, Channel: booking.ChannelLabel(a.Channel),
		CanConfirm: act.confirm, CanPropose: act.propose, CanDecline: act.decline, CanCancel: act.cancel, CanClose: act.close,
		NoActionWhy: act.none, Errors: map[string]string{},
		ByStaff: a.BookedByStaffID != 0, MoveRequested: a.MoveRequestedAt != nil && a.Status.Active(), OfficeMessage: a.OfficeMessage,
	}
	if v.ByStaff {
		v.PrintHref = v.Base + "/stampa"
	}
	switch a.Status {
	case booking.StatusDeclined:
		v.CancelReasonLabel = "Motivo del rifiuto"
	default:
		v.CancelReasonLabel = "Motivo dell'annullamento"
	}
	v.Language = languageName(a.Lang)
	if a.InterpreterLanguage != nil {
		v.NeedsInterpreter, v.Interpreter = true, *a.InterpreterLanguage
	}
	if a.AccessibilityNote != nil {
		v.NeedsAccessibility, v.Accessibility = true, *a.AccessibilityNote
	}
	return v
}

// telDigits returns the phone number as the body of a tel: URI, digits
// and a leading "+" only; "" when there are no digits.
func telDigits(phone string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(phone) {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	if strings.Trim(b.String(), "+") == "" {
		return ""
	}
	return b.String()
}

// staffAppointment shows the appointment loaded by loadStaffAppointment.
func (s *Server) staffAppointment(w http.ResponseWriter, r *http.Request) {
	s.renderAppointment(w, r, http.StatusOK, staffAppointmentFrom(r.Context()), "", nil, "")
}

// renderAppointment shows appointment a with the reason typed, its
// errors and a problem about the whole attempt.
func (s *Server) renderAppointment(w http.ResponseWriter, r *http.Request, status int, a store.Appointment,
	reason string, errs map[string]string, problem string) {
	o := staffOfficeFrom(r.Context())
	v := s.staffAppointmentModel(o, a)
	v.ReasonValue, v.Problem = reason, problem
	if errs != nil {
		v.Errors = errs
	}
	title := "Appuntamento " + a.Code
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffAppointmentPage(s.appointmentsPage(r, o, title, templates.Crumb{Label: a.Code}), v))
}

// statusAction is one of the status changes staff make from the
// appointment's page.
type statusAction struct {
	to booking.Status
	// verb completes "Non è possibile …": "confermare", "rifiutare".
	verb string
	// withReason asks for the reason (input "motivo"), told to the
	// citizen.
	withReason bool
	// check is run on the locked appointment (store.StatusChange.Check).
	check func(a store.Appointment, now time.Time) error
	// done is the flash after the change; it may name the code.
	done func(a store.Appointment) string
}

// mustNotHaveStarted is the check of the actions on appointments still
// to come.
func mustNotHaveStarted(a store.Appointment, now time.Time) error {
	if !now.Before(a.Start) {
		return errStarted
	}
	return nil
}

// mustHaveStarted is the check of the actions on appointments that have
// begun.
func mustHaveStarted(a store.Appointment, now time.Time) error {
	if now.Before(a.Start) {
		return errNotStarted
	}
	return nil
}

var (
	confirmAction = statusAction{to: booking.StatusConfirmed, verb: "confermare", check: mustNotHaveStarted,
		done: func(a store.Appointment) string {
			return "Richiesta " + a.Code + " confermata. La persona riceve un'e-mail con la conferma e un nuovo link personale."
		}}
	declineAction = statusAction{to: booking.StatusDeclined, verb: "rifiutare", withReason: true,
		done: func(a store.Appointment) string {
			return "Richiesta " + a.Code + " rifiutata. La persona riceve un'e-mail con il motivo."
		}}
	cancelAction = statusAction{to: booking.StatusCancelled, verb: "annullare", withReason: true, check: mustNotHaveStarted,
		done: func(a store.Appointment) string {
			return "Appuntamento " + a.Code + " annullato. La persona riceve un'e-mail con il motivo."
		}}
	doneAction = statusAction{to: booking.StatusDone, verb: "segnare come svolto", check: mustHaveStarted,
		done: func(a store.Appointment) string { return "Appuntamento " + a.Code + " segnato come svolto." }}
	noShowAction = statusAction{to: booking.StatusNoShow, verb: "segnare come assente", check: mustHaveStarted,
		done: func(a store.Appointment) string { return "Appuntamento " + a.Code + " segnato come assente." }}
)

// staffAppointmentConfirm confirms a request (richiesta → confermato); the
// store sends the citizen the confirmation with a new personal link.
func (s *Server) staffAppointmentConfirm(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, confirmAction)
}

// staffAppointmentDecline declines a request with a reason (richiesta →
// rifiutato); the store sends the citizen the refusal with the reason.
func (s *Server) staffAppointmentDecline(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, declineAction)
}

// staffAppointmentCancel cancels a confirmed appointment with a reason
// (confermato → annullato); the store sends the citizen the cancellation
// with the reason and the calendar cancellation.
func (s *Server) staffAppointmentCancel(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, cancelAction)
}

// staffAppointmentDone records that an appointment took place.
func (s *Server) staffAppointmentDone(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, doneAction)
}

// staffAppointmentNoShow records that the citizen did not come.
func (s *Server) staffAppointmentNoShow(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, noShowAction)
}

// changeStatus does act on the request's appointment: the reason is
// checked (422 with the page again), the status rule and the time are
// checked on the locked row (409 with the page again, nothing changed),
// the store writes the change, its audit entry and the citizen's e-mail in
// one transaction, then 303 to the appointment with a flash.
func (s *Server) changeStatus(w http.ResponseWriter, r *http.Request, act statusAction) {
	ctx := r.Context()
	a := staffAppointmentFrom(ctx)
	me, _ := staffFrom(ctx)
	reason := ""
	if act.withReason {
		reason = strings.TrimSpace(strings.ReplaceAll(r.PostFormValue("motivo"), "\r\n", "\n"))
		if msg := checkStaffReason(reason); msg != "" {
			s.renderAppointment(w, r, http.StatusUnprocessableEntity, a, reason, map[string]string{"motivo": msg}, "")
			return
		}
	}
	if !a.Status.CanTransition(act.to) || (act.to == booking.StatusCancelled && a.Status != booking.StatusConfirmed) {
		s.transitionRefused(w, r, a, act, reason)
		return
	}
	if store.Notifies(act.to) && erased(a) {
		s.renderAppointment(w, r, http.StatusConflict, a, reason, nil,
			"Non è possibile "+act.verb+" questo appuntamento: i dati personali sono stati cancellati e la persona non si può avvisare.")
		return
	}
	now := s.now()
	change := store.StatusChange{ActorID: me.ID, OfficeID: a.OfficeID, AppointmentID: a.ID, To: act.to, Reason: reason, Now: now}
	if act.check != nil {
		change.Check = func(locked store.Appointment) error {
			if act.to == booking.StatusCancelled && locked.Status != booking.StatusConfirmed {
				return store.ErrTransition
			}
			return act.check(locked, now)
		}
	}
	changed, err := s.store.ChangeAppointmentStatus(ctx, change)
	switch {
	case errors.Is(err, store.ErrTransition):
		// Someone else changed the appointment meanwhile: show it as it is.
		if cur, lerr := s.store.OfficeAppointment(ctx, a.OfficeID, a.ID); lerr == nil {
			a = cur
		}
		s.transitionRefused(w, r, a, act, reason)
		return
	case errors.Is(err, errStarted):
		s.renderAppointment(w, r, http.StatusConflict, a, reason, nil,
			"Non è possibile "+act.verb+" questo appuntamento: il suo orario è già passato. Puoi segnarlo come svolto o come assente.")
		return
	case errors.Is(err, errNotStarted):
		s.renderAppointment(w, r, http.StatusConflict, a, reason, nil,
			"Non è possibile "+act.verb+" questo appuntamento: non è ancora iniziato. Si può fare solo dopo l'orario di inizio.")
		return
	case errors.Is(err, store.ErrNotFound):
		s.staffNotFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// No personal data in the log: the appointment's id and the change.
	s.log.Info("appointment status changed by staff", "request_id", middleware.GetReqID(ctx), "appointment_id", a.ID,
		"from", string(a.Status), "to", string(changed.Status))
	if changed.Status == booking.StatusCancelled {
		s.metrics.Cancelled("staff")
	}
	msg := act.done(changed)
	if store.Notifies(act.to) && changed.Email == "" {
		// Booked by the staff without an address: nobody is e-mailed.
		first, _, _ := strings.Cut(msg, " La persona riceve")
		msg = first + " La persona non ha un indirizzo e-mail: avvisala per telefono" + phoneSuffix(changed.Phone) + "."
	}
	s.flash(r, msg)
	http.Redirect(w, r, staffAppointmentPath(a.OfficeID, a.ID), http.StatusSeeOther)
}

// transitionRefused answers 409 with the page of a and why act cannot be
// done from its status.
func (s *Server) transitionRefused(w http.ResponseWriter, r *http.Request, a store.Appointment, act statusAction, reason string) {
	msg := "Non è possibile " + act.verb + " questo appuntamento: il suo stato è «" + a.Status.Label() + "»."
	if act.to == booking.StatusCancelled && a.Status == booking.StatusRequested {
		msg += " Per una richiesta non ancora confermata usa «Rifiuta la richiesta»."
	}
	s.renderAppointment(w, r, http.StatusConflict, a, reason, nil, msg)
}

// checkStaffReason returns the error message of a refusal or
// cancellation reason, "" when it is fine.
func checkStaffReason(reason string) string {
	switch {
	case reason == "":
		return "Scrivi il motivo: la persona lo riceve nell'e-mail."
	case utf8.RuneCountInString(reason) > maxStaffReasonLength:
		return "Il motivo può avere al massimo 500 caratteri."
	case strings.ContainsFunc(reason, func(r rune) bool { return unicode.IsControl(r) && r != '\n' && r != '\t' }):
		return "Il motivo contiene caratteri non validi."
	}
	return ""
}
