package web

import (
	"net/http"
	"strings"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/templates"
)

// applicantErrorTarget is the element each applicant error links to from
// the summary: the input itself, or the first radio of a group.
var applicantErrorTarget = map[string]string{booking.FieldChannel: "canale-email"}

// applicantView builds step 4 from the form and its errors.
func (s *Server) applicantView(r *http.Request, wz *wizard, f booking.ApplicantForm, errs map[string]string) templates.BookingApplicant {
	v := templates.BookingApplicant{Frame: s.frame(r, wz, stepApplicant),
		FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone, FiscalCode: f.FiscalCode,
		Channel: f.Channel, NeedsInterpreter: f.NeedsInterpreter, InterpreterLanguage: f.InterpreterLanguage,
		NeedsAccessibility: f.NeedsAccessibility, AccessibilityNote: f.AccessibilityNote,
		AccessibilityHint: s.loc(r).T("booking.applicant.accessibility_hint"), PrivacyAccepted: f.PrivacyAccepted, Errors: errs}
	for _, field := range booking.ApplicantFields() {
		if msg := errs[field]; msg != "" {
			id := field
			if t, ok := applicantErrorTarget[field]; ok {
				id = t
			}
			v.Frame.Errors = append(v.Frame.Errors, templates.FieldError{ID: id, Message: msg})
		}
	}
	return v
}

// bookingApplicant renders step 4: who the citizen is, how to reach them,
// the support they need and the privacy notice.
func (s *Server) bookingApplicant(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepApplicant)
	if !ok {
		return
	}
	f := wz.draft.Data.Applicant
	if f.Channel == "" {
		f.Channel = booking.ChannelEmail
	}
	s.render(w, r, http.StatusOK, templates.BookingApplicantPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepApplicant, false)), s.applicantView(r, wz, f, nil)))
}

// bookingApplicantSave handles step 4.
func (s *Server) bookingApplicantSave(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepApplicant)
	if !ok {
		return
	}
	checked := func(name string) bool { return r.PostFormValue(name) != "" }
	f := booking.ApplicantForm{
		FirstName: r.PostFormValue(booking.FieldFirstName), LastName: r.PostFormValue(booking.FieldLastName),
		Email: r.PostFormValue(booking.FieldEmail), Phone: r.PostFormValue(booking.FieldPhone),
		FiscalCode: r.PostFormValue(booking.FieldFiscalCode), Channel: r.PostFormValue(booking.FieldChannel),
		NeedsInterpreter: checked(booking.FieldInterpreter), InterpreterLanguage: r.PostFormValue(booking.FieldInterpreterLanguage),
		NeedsAccessibility: checked(booking.FieldAccessibility), AccessibilityNote: r.PostFormValue(booking.FieldAccessibilityNote),
		PrivacyAccepted: checked(booking.FieldPrivacy),
	}
	// Typing a language or a need is as clear as ticking its box.
	f.NeedsInterpreter = f.NeedsInterpreter || strings.TrimSpace(f.InterpreterLanguage) != ""
	f.NeedsAccessibility = f.NeedsAccessibility || strings.TrimSpace(f.AccessibilityNote) != ""
	f.Normalize()
	if errs := f.Validate(s.loc(r)); len(errs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity,
			templates.BookingApplicantPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepApplicant, true)), s.applicantView(r, wz, f, errs)))
		return
	}
	wz.draft.Data.Applicant = f
	setCompleted(&wz.draft.Data, "richiedente", true)
	if !s.saveDraft(w, r, wz.draft) {
		return
	}
	s.nextStep(w, r, wz, bookingStepPaths[stepSummary-1])
}
