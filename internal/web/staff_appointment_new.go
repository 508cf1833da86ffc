package web

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Bookings taken by phone or at the desk: the staff of an office book on
// a citizen's behalf at …/appuntamenti/nuovo, choosing among the slots a
// citizen would see online (the same slotPicker), and the store takes the
// seat under the same slot lock and capacity count as a citizen's booking
// (store.BookForCitizen). The result is a one-page confirmation to print
// (…/appuntamenti/{id}/stampa).

// newAppointmentPath is the booking form of office officeID.
func newAppointmentPath(officeID int64) string {
	return staffAppointmentsPath(officeID) + "/nuovo"
}

// staffBookable returns the professionals the office can book, by
// phone or online: those with bookable windows, enabled for citizens or
// not (an office may take bookings by phone only).
func (s *Server) staffBookable(ctx context.Context, officeID int64) ([]store.BookingSettings, error) {
	all, err := s.store.BookingSettings(ctx, officeID)
	if err != nil {
		return nil, err
	}
	var out []store.BookingSettings
	for _, bs := range all {
		if len(bs.Windows) > 0 {
			out = append(out, bs)
		}
	}
	return out, nil
}

// newAppointmentInput is the booking form as posted (or the choice of
// professional as asked in the URL).
type newAppointmentInput struct {
	Professional string
	Week         string
	Slot         string
	Form         booking.StaffForm
	Errors       map[string]string
}

func parseNewAppointment(r *http.Request) newAppointmentInput {
	in := newAppointmentInput{Professional: r.PostFormValue("figura"), Week: r.PostFormValue("settimana"),
		Slot: r.PostFormValue("orario"), Errors: map[string]string{},
		Form: booking.StaffForm{
			FirstName: r.PostFormValue(booking.FieldFirstName), LastName: r.PostFormValue(booking.FieldLastName),
			Phone: r.PostFormValue(booking.FieldPhone), Email: r.PostFormValue(booking.FieldEmail),
			Channel: r.PostFormValue(booking.FieldChannel), Reason: r.PostFormValue(booking.FieldReason),
			Note:             r.PostFormValue(booking.FieldNote),
			NeedsInterpreter: r.PostFormValue(booking.FieldInterpreter) != "", InterpreterLanguage: r.PostFormValue(booking.FieldInterpreterLanguage),
			NeedsAccessibility: r.PostFormValue(booking.FieldAccessibility) != "", AccessibilityNote: r.PostFormValue(booking.FieldAccessibilityNote),
			Language:    i18n.Lang(r.PostFormValue(booking.FieldLanguage)),
			PrivacyTold: r.PostFormValue(booking.FieldPrivacy) != "",
		}}
	in.Form.Normalize()
	return in
}

// staffAppointmentNew shows the booking form: the professional
// (?figura=…) and the free times of a week (?settimana=N).
func (s *Server) staffAppointmentNew(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := newAppointmentInput{Professional: q.Get("figura"), Week: q.Get("settimana"), Errors: map[string]string{},
		Form: booking.StaffForm{Channel: booking.ChannelPhone}}
	if _, asked := q["figura"]; asked && !booking.Professional(in.Professional).Valid() {
		in.Errors["figura"] = "Scegli con chi è l'appuntamento."
		s.renderNewAppointment(w, r, http.StatusUnprocessableEntity, in, time.Time{}, "")
		return
	}
	s.renderNewAppointment(w, r, http.StatusOK, in, time.Time{}, "")
}

// renderNewAppointment shows the booking form in the state of in, with
// the slot selected checked and problem at the top.
func (s *Server) renderNewAppointment(w http.ResponseWriter, r *http.Request, status int, in newAppointmentInput,
	selected time.Time, problem string) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	base := newAppointmentPath(o.ID)
	f := in.Form
	v := templates.StaffNewAppointmentView{StaffOfficeHeader: appointmentsHeader(o, false), Action: base, ChooseHref: base,
		FirstName: f.FirstName, LastName: f.LastName, Phone: f.Phone, Email: f.Email, Channel: f.Channel, Reason: f.Reason,
		Note: f.Note, NeedsInterpreter: f.NeedsInterpreter, InterpreterLanguage: f.InterpreterLanguage,
		NeedsAccessibility: f.NeedsAccessibility, AccessibilityNote: f.AccessibilityNote, PrivacyTold: f.PrivacyTold,
		Language: string(cmp.Or(f.Language, i18n.Default)), Languages: s.languageChoices(), Errors: in.Errors, Problem: problem}
	bookable, err := s.staffBookable(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	office, found, err := s.officeByID(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var chosen *store.BookingSettings
	for i, bs := range bookable {
		v.Professionals = append(v.Professionals, templates.Choice{ID: "figura-" + string(bs.Professional), Value: string(bs.Professional),
			Label: bs.Professional.Label(), Selected: string(bs.Professional) == in.Professional})
		if string(bs.Professional) == in.Professional || len(bookable) == 1 {
			chosen = &bookable[i]
		}
	}
	switch {
	case !found || len(bookable) == 0:
		v.Unavailable = "Questo ufficio non ha fasce prenotabili: impostale nella sezione Prenotazioni."
		if status == http.StatusOK {
			status = http.StatusConflict
		}
	case chosen != nil:
		p := chosen.Professional
		v.Professional, v.ProfessionalLabel = string(p), p.Label()
		if len(bookable) > 1 {
			v.ChangeHref = base
		}
		for _, reason := range chosen.Reasons {
			v.Reasons = append(v.Reasons, templates.Choice{Value: reason, Label: reason})
		}
		q := slotQuery{office: office, settings: *chosen, week: in.Week, selected: selected,
			link: func(n int) string {
				return base + "?" + url.Values{"figura": {string(p)}, "settimana": {strconv.Itoa(n)}}.Encode()
			}}
		if v.Picker, err = s.slotPicker(ctx, s.catalog.Localizer(i18n.Italian), q); err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Picker.Error = in.Errors["orario"]
	}
	v.Summary = templates.ErrorList(in.Errors, append([]string{"figura", "orario"}, booking.StaffFormFields()...)...)
	for i, e := range v.Summary {
		switch e.ID {
		case "orario":
			v.Summary[i].ID = v.Picker.FirstSlotID()
		case "figura":
			if len(v.Professionals) > 0 {
				v.Summary[i].ID = v.Professionals[0].ID
			}
		}
	}
	title := "Nuovo appuntamento"
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffNewAppointmentPage(s.appointmentsPage(r, o, title, templates.Crumb{Label: "Nuovo appuntamento"}), v))
}

// staffAppointmentCreate books the appointment: the form is checked
// (422, everything kept), the slot must be one the office offers now, and
// the store takes the seat (409 when someone took it meanwhile, or a
// closure closed it). Then 303 to the confirmation to print.
func (s *Server) staffAppointmentCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	me, _ := staffFrom(ctx)
	in := parseNewAppointment(r)
	bookable, err := s.staffBookable(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	office, found, err := s.officeByID(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var bs store.BookingSettings
	ok := false
	for _, b := range bookable {
		if string(b.Professional) == in.Professional {
			bs, ok = b, true
		}
	}
	if !found || !ok {
		in.Errors["figura"] = "Scegli con chi è l'appuntamento."
		in.Professional = ""
		s.renderNewAppointment(w, r, http.StatusUnprocessableEntity, in, time.Time{}, "")
		return
	}
	in.Errors = in.Form.Validate(bs.Reasons, s.catalog.Localizer(i18n.Italian), s.catalog.Langs())
	q := slotQuery{office: office, settings: bs}
	sl, offered := s.offeredSlot(q, in.Slot)
	if !offered {
		in.Errors["orario"] = "Scegli uno degli orari liberi."
	}
	if len(in.Errors) > 0 {
		s.renderNewAppointment(w, r, http.StatusUnprocessableEntity, in, sl.Start, "")
		return
	}
	bookingCode, err := code.NewBookingCode()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	token := ""
	if in.Form.Email != "" {
		if token, _, err = code.NewToken(); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	a, err := s.store.BookForCitizen(ctx, store.StaffBooking{ActorID: me.ID, OfficeID: o.ID, Professional: bs.Professional,
		Start: sl.Start, End: sl.End, Capacity: max(bs.Capacity, 1), Form: in.Form, Code: bookingCode, Token: token,
		TokenExpiresAt: sl.End.Add(booking.LinkGrace), Now: s.now()})
	switch {
	case errors.Is(err, store.ErrSlotFull), errors.Is(err, store.ErrSlotClosed):
		in.Errors["orario"] = "L'orario scelto non è più libero: un'altra persona lo ha appena prenotato, o l'ufficio è stato chiuso. Scegli un altro orario; i dati scritti sono rimasti."
		s.renderNewAppointment(w, r, http.StatusConflict, in, time.Time{}, "")
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	// No personal data in the log: where and by whom, not for whom.
	s.log.Info("appointment booked by staff", "request_id", middleware.GetReqID(ctx), "office_id", o.ID, "appointment_id", a.ID,
		"professional", string(a.Professional), "staff_id", me.ID)
	msg := "Appuntamento " + a.Code + " prenotato per " + booking.LongSpan(a.Start, a.End) + "."
	if a.Email != "" {
		msg += " La persona riceve un'e-mail con la conferma e il link personale."
	}
	s.flash(r, msg+" Stampa la conferma da consegnare.")
	http.Redirect(w, r, staffAppointmentPath(o.ID, a.ID)+"/stampa", http.StatusSeeOther)
}

// staffAppointmentPrint shows the one-page confirmation of the
// appointment to print: code, office, date and time, and what to bring
// from the service sheet's «Cosa serve».
func (s *Server) staffAppointmentPrint(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	a := staffAppointmentFrom(ctx)
	office, _, err := s.officeByID(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	bring, err := s.store.WhatToBring(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := templates.StaffPrintView{Office: o.Name, OfficeAddress: office.FullAddress(), OfficePhone: office.Phone,
		OfficeEmail: office.Email, Code: a.Code, When: capitalize(booking.LongSpan(a.Start, a.End)),
		Professional: a.Professional.Label(), Name: citizenName(a), Reason: a.Reason, Needs: appointmentNeeds(a),
		BringHTML: bring.HTML, BringEmpty: "La scheda del servizio non indica documenti da portare. Se per la tua situazione servono documenti, te lo dirà l'ufficio.",
		Emailed: a.Email != "", BackHref: staffAppointmentPath(o.ID, a.ID)}
	if office.Address == "" {
		v.OfficeAddress = office.Town()
	}
	s.render(w, r, http.StatusOK, templates.StaffPrintPage(s.appointmentsPage(r, o, "Conferma da stampare",
		templates.Crumb{Label: a.Code, Href: staffAppointmentPath(o.ID, a.ID)}, templates.Crumb{Label: "Conferma da stampare"}), v))
}

// languageChoices are the languages of the public side, each named in
// Italian for the staff ("inglese"), the default first.
func (s *Server) languageChoices() []templates.Choice {
	var out []templates.Choice
	for _, l := range s.catalog.Langs() {
		out = append(out, templates.Choice{ID: "lingua-" + string(l), Value: string(l), Label: languageName(l)})
	}
	return out
}
