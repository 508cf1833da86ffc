package web

import (
	"net/http"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/templates"
)

// detailsView builds step 3 from the form and its errors.
func (s *Server) detailsView(r *http.Request, wz *wizard, f booking.DetailsForm, errs map[string]string) (templates.BookingDetails, bool) {
	bs, ok := wz.settingFor(wz.draft.Data.Professional)
	if !ok {
		return templates.BookingDetails{}, false
	}
	v := templates.BookingDetails{Frame: s.frame(r, wz, stepDetails), Reasons: bs.Reasons, Reason: f.Reason, Note: f.Note,
		ReasonError: errs[booking.FieldReason], NoteError: errs[booking.FieldNote],
		NoteHint: s.loc(r).T("booking.details.note_hint", "Max", booking.MaxNoteLength), NoteMax: booking.MaxNoteLength}
	if msg := errs[booking.FieldReason]; msg != "" {
		v.Frame.Errors = append(v.Frame.Errors, templates.FieldError{ID: "motivo-0", Message: msg})
	}
	if msg := errs[booking.FieldNote]; msg != "" {
		v.Frame.Errors = append(v.Frame.Errors, templates.FieldError{ID: "nota", Message: msg})
	}
	return v, true
}

// bookingDetails renders step 3: the reason (the office's list for the
// chosen professional) and an optional short note.
func (s *Server) bookingDetails(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepDetails)
	if !ok {
		return
	}
	v, ok := s.detailsView(r, wz, wz.draft.Data.Details, nil)
	if !ok {
		http.Redirect(w, r, s.link(r, bookingStepPaths[stepSlot-1]), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, templates.BookingDetailsPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepDetails, false)), v))
}

// bookingDetailsSave handles step 3.
func (s *Server) bookingDetailsSave(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepDetails)
	if !ok {
		return
	}
	bs, ok := wz.settingFor(wz.draft.Data.Professional)
	if !ok {
		http.Redirect(w, r, s.link(r, bookingStepPaths[stepSlot-1]), http.StatusSeeOther)
		return
	}
	f := booking.DetailsForm{Reason: r.PostFormValue(booking.FieldReason), Note: r.PostFormValue(booking.FieldNote)}
	f.Normalize()
	if errs := f.Validate(bs.Reasons, s.loc(r)); len(errs) > 0 {
		v, _ := s.detailsView(r, wz, f, errs)
		s.render(w, r, http.StatusUnprocessableEntity, templates.BookingDetailsPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepDetails, true)), v))
		return
	}
	wz.draft.Data.Details = f
	setCompleted(&wz.draft.Data, "dettagli", true)
	if !s.saveDraft(w, r, wz.draft) {
		return
	}
	s.nextStep(w, r, wz, bookingStepPaths[stepApplicant-1])
}
