package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// A closure, new weekly hours or new booking windows that would leave
// booked appointments outside the opening are not saved at once: the
// form's POST answers 200 with a confirmation page (StaffDisplacedPage)
// listing the appointments, the choice of what to do with them and the
// message for the citizens, and a hidden copy of the submitted form. Its
// POST goes to the same handler, which parses and validates the change
// again and hands it to the store with the decision: the store saves the
// change and resolves the appointments in one transaction, or — when
// appointments were booked meanwhile — writes nothing and returns the new
// list, shown again (409).

// Sections of the appointments, relative to staffAppointmentsPath.
const (
	callsPath     = "/da-chiamare"
	displacedPath = "/fuori-orario"
)

// Inputs of the confirmation form; they are left out of the hidden copy
// of the change.
const (
	fieldDecision = "decisione"
	fieldMessage  = "messaggio"
	fieldSeen     = "visti"
	fieldConfirm  = "conferma"
)

// decisionInput is the confirmation form as posted.
type decisionInput struct {
	// Confirming is set when the request comes from the confirmation
	// page.
	Confirming bool
	Action     string
	Message    string
	Seen       []int64
	Errors     map[string]string
}

// parseDecision reads the confirmation form, if the request carries one,
// and checks the choice and the message.
func parseDecision(r *http.Request) decisionInput {
	in := decisionInput{Confirming: r.PostFormValue(fieldConfirm) == "1", Errors: map[string]string{},
		Action:  r.PostFormValue(fieldDecision),
		Message: strings.TrimSpace(strings.ReplaceAll(r.PostFormValue(fieldMessage), "\r\n", "\n"))}
	for f := range strings.SplitSeq(r.PostFormValue(fieldSeen), ",") {
		if id, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64); err == nil && id > 0 {
			in.Seen = append(in.Seen, id)
		}
	}
	if !in.Confirming {
		return in
	}
	if !store.DisplaceAction(in.Action).Valid() {
		in.Errors[fieldDecision] = "Scegli se annullare gli appuntamenti o chiedere alle persone di spostarli."
	}
	switch n := utf8.RuneCountInString(in.Message); {
	case n == 0:
		in.Errors[fieldMessage] = "Scrivi il messaggio per le persone: spiega perché l'appuntamento non può restare com'è."
	case n > store.MaxOfficeMessageLength:
		in.Errors[fieldMessage] = fmt.Sprintf("Il messaggio può avere al massimo %d caratteri: ora ne ha %d.", store.MaxOfficeMessageLength, n)
	case strings.ContainsFunc(in.Message, func(r rune) bool { return r < ' ' && r != '\n' && r != '\t' }):
		in.Errors[fieldMessage] = "Il messaggio contiene caratteri non validi."
	}
	return in
}

// timetableChange is the change the staff member of the request makes to
// office officeID now, with the decision of the confirmation form when it
// is valid. Without one the store saves the change only if it displaces
// no appointment: a confirmation with errors is saved when the list has
// emptied meanwhile, and shown again with its errors otherwise.
func (s *Server) timetableChange(r *http.Request, officeID int64, in decisionInput) store.TimetableChange {
	me, _ := staffFrom(r.Context())
	ch := store.TimetableChange{ActorID: me.ID, OfficeID: officeID, Now: s.now()}
	if in.Confirming && len(in.Errors) == 0 {
		ch.Decision = &store.Decision{Seen: in.Seen, Action: store.DisplaceAction(in.Action), Message: in.Message}
	}
	return ch
}

// displacedChange describes, for the confirmation page, a change that
// displaces appointments.
type displacedChange struct {
	// title is the page's heading, change what is being saved.
	title, change string
	// action is the form the change came from (its POST handler), back
	// its page.
	action, back string
	// hidden copies the submitted change; nil for none (no change but the
	// appointments).
	hidden []templates.HiddenInput
	submit string
	// resolveOnly says there is no change to save, only appointments to
	// resolve.
	resolveOnly bool
}

// hiddenCopy returns the submitted form but for the CSRF token and the
// confirmation's own inputs, in a stable order, to post the change again.
func hiddenCopy(r *http.Request) []templates.HiddenInput {
	var keys []string
	for k := range r.PostForm {
		switch k {
		case "csrf_token", fieldDecision, fieldMessage, fieldSeen, fieldConfirm:
		default:
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var out []templates.HiddenInput
	for _, k := range keys {
		for _, v := range r.PostForm[k] {
			out = append(out, templates.HiddenInput{Name: k, Value: v})
		}
	}
	return out
}

// displacedFailed answers a store error of a change that may displace
// appointments: a *store.DisplacedError shows the confirmation page (200
// on the first submission, 422 when the decision had errors, 409 when
// the list changed since it was shown). It reports whether it answered.
func (s *Server) displacedFailed(w http.ResponseWriter, r *http.Request, err error, in decisionInput, c displacedChange) bool {
	var de *store.DisplacedError
	if !errors.As(err, &de) {
		return false
	}
	status, problem := http.StatusOK, ""
	switch {
	case in.Confirming && len(in.Errors) > 0:
		status = http.StatusUnprocessableEntity
	case in.Confirming:
		status = http.StatusConflict
		problem = "Nel frattempo l'elenco degli appuntamenti interessati è cambiato: nulla è stato salvato. Controlla l'elenco aggiornato e conferma di nuovo."
	}
	s.renderDisplaced(w, r, status, de.Appointments, in, c, problem)
	return true
}

// renderDisplaced shows the confirmation page of change c for the
// displaced appointments list.
func (s *Server) renderDisplaced(w http.ResponseWriter, r *http.Request, status int, list []store.Displaced, in decisionInput,
	c displacedChange, problem string) {
	o := staffOfficeFrom(r.Context())
	v := templates.StaffDisplacedView{
		StaffOfficeHeader: appointmentsHeader(o, false), Title: c.title, Change: c.change, Unsaved: !c.resolveOnly, Action: c.action,
		Hidden: c.hidden, Decision: in.Action, Message: in.Message, Errors: in.Errors, Problem: problem,
		BackHref: c.back, BackLabel: "Torna indietro senza salvare", Submit: c.submit,
		Actions: []templates.Choice{
			{Value: string(store.DisplaceMove), Label: "Chiedi alle persone di scegliere un altro orario",
				Hint: "Ricevono il messaggio e un link personale per scegliere un nuovo orario senza riscrivere i dati. L'appuntamento resta «da spostare» finché non lo fanno."},
			{Value: string(store.DisplaceCancel), Label: "Annulla gli appuntamenti",
				Hint: "Ricevono il messaggio e l'avviso di annullamento, con il link per prenotare di nuovo."},
		},
	}
	if !in.Confirming {
		v.Errors = map[string]string{}
	}
	if c.resolveOnly {
		v.BackLabel = "Torna agli appuntamenti"
	}
	var seen []string
	for _, d := range list {
		seen = append(seen, strconv.FormatInt(d.ID, 10))
		row := templates.StaffDisplacedRow{Href: staffAppointmentPath(o.ID, d.ID), Code: d.Code, Day: staffDay(d.Start),
			DayISO: hours.DateOf(d.Start).String(), Time: staffSpan(d.Appointment), Professional: d.Professional.Label(),
			Name: citizenName(d.Appointment), StatusLabel: d.Status.Label(), Why: string(d.Why), ByPhone: store.NeedsCall(d.Appointment)}
		switch {
		case row.ByPhone:
			row.Contact = "Telefono: " + d.Phone
		case d.Email != "":
			row.Contact = "E-mail"
		default:
			row.Contact = "—"
		}
		if row.ByPhone {
			v.Calls++
		}
		v.Rows = append(v.Rows, row)
	}
	v.Seen = strings.Join(seen, ",")
	title := c.title
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffDisplacedPage(s.appointmentsPage(r, o, title, templates.Crumb{Label: c.title}), v))
}

// citizenName is the citizen's full name, or a note that it was erased.
func citizenName(a store.Appointment) string {
	if a.Erased {
		return "Dati personali cancellati"
	}
	return strings.TrimSpace(a.FirstName + " " + a.LastName)
}

// displacedSaved ends a successful change that may have displaced
// appointments: the office's cached data is dropped, the flash says what
// was done (msg, then the appointments), and the browser goes to the
// list of the people to call when there are any, else to path (303).
func (s *Server) displacedSaved(w http.ResponseWriter, r *http.Request, o store.OfficeOverview, path, msg string, out store.ChangeOutcome) {
	s.offices.invalidate()
	if n := len(out.Cancelled); n > 0 {
		msg += " " + staffPlural(n, "appuntamento annullato", "appuntamenti annullati") + ": le persone con un indirizzo e-mail ricevono il messaggio."
	}
	if n := len(out.MoveRequested); n > 0 {
		msg += " " + staffPlural(n, "appuntamento", "appuntamenti") + " da spostare: le persone con un indirizzo e-mail ricevono il messaggio e il link per scegliere un altro orario."
	}
	if out.Calls > 0 {
		msg += " " + staffPlural(out.Calls, "persona", "persone") + " da chiamare: l'elenco è qui sotto."
		path = staffAppointmentsPath(o.ID) + callsPath
	}
	if len(out.Cancelled)+len(out.MoveRequested) > 0 {
		s.log.Info("appointments displaced by a timetable change", "request_id", middleware.GetReqID(r.Context()), "office_id", o.ID,
			"cancelled", len(out.Cancelled), "move_requested", len(out.MoveRequested), "calls", out.Calls)
	}
	s.flash(r, msg)
	http.Redirect(w, r, path, http.StatusSeeOther)
}

// staffDisplaced shows the office's appointments that no longer fit its
// opening (store.DisplacedAppointments) and the form to resolve them.
func (s *Server) staffDisplaced(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	list, err := s.store.DisplacedAppointments(r.Context(), o.ID, s.now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.renderDisplaced(w, r, http.StatusOK, list, decisionInput{Errors: map[string]string{}}, displacedResolution(o), "")
}

// displacedResolution is the confirmation page of the appointments out of
// the opening without any change of the timetable.
func displacedResolution(o store.OfficeOverview) displacedChange {
	base := staffAppointmentsPath(o.ID)
	return displacedChange{title: "Appuntamenti fuori orario", action: base + displacedPath, back: base,
		change: "Questi appuntamenti sono fuori dall'orario attuale dell'ufficio (per esempio dopo un'importazione degli orari, o prenotati nello stesso istante di una chiusura).",
		submit: "Conferma", resolveOnly: true}
}

// staffDisplacedResolve applies the decision to the appointments out of
// the opening.
func (s *Server) staffDisplacedResolve(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	in := parseDecision(r)
	in.Confirming = true
	if !store.DisplaceAction(in.Action).Valid() && in.Errors[fieldDecision] == "" {
		in.Errors[fieldDecision] = "Scegli se annullare gli appuntamenti o chiedere alle persone di spostarli."
	}
	out, err := s.store.ResolveDisplaced(r.Context(), s.timetableChange(r, o.ID, in))
	if s.displacedFailed(w, r, err, in, displacedResolution(o)) || s.staffStoreFailed(w, r, err) {
		return
	}
	msg := "Non ci sono appuntamenti fuori orario."
	if len(out.Cancelled)+len(out.MoveRequested) > 0 {
		msg = "Appuntamenti fuori orario sistemati."
	}
	s.displacedSaved(w, r, o, staffAppointmentsPath(o.ID), msg, out)
}

// staffCalls lists the citizens the staff must phone.
func (s *Server) staffCalls(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	list, err := s.store.CallsDue(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := templates.StaffCallsView{Office: o.Name, ListHref: staffAppointmentsPath(o.ID)}
	for _, a := range list {
		what := "Annullato"
		if a.Status.Active() {
			what = "Da spostare: la persona deve scegliere un altro orario"
		}
		v.Rows = append(v.Rows, templates.StaffCallRow{Href: staffAppointmentPath(o.ID, a.ID), Code: a.Code, Name: citizenName(a),
			Phone: a.Phone, PhoneHref: telDigits(a.Phone), When: staffDay(a.Start) + " " + staffSpan(a), Professional: a.Professional.Label(),
			What: what, Message: a.OfficeMessage, DoneAction: staffAppointmentPath(o.ID, a.ID) + "/chiamata"})
	}
	s.render(w, r, http.StatusOK, templates.StaffCallsPage(s.appointmentsPage(r, o, "Persone da chiamare",
		templates.Crumb{Label: "Persone da chiamare"}), v))
}

// staffCallDone records that the citizen of the appointment was called.
func (s *Server) staffCallDone(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	a := staffAppointmentFrom(r.Context())
	me, _ := staffFrom(r.Context())
	if _, err := s.store.MarkCalled(r.Context(), me.ID, o.ID, a.ID); s.staffStoreFailed(w, r, err) {
		return
	}
	s.flash(r, "Chiamata per l'appuntamento "+a.Code+" segnata come fatta.")
	http.Redirect(w, r, staffAppointmentsPath(o.ID)+callsPath, http.StatusSeeOther)
}
