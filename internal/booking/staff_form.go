package booking

import (
	"slices"

	"github.com/udc-umbria/portal/internal/i18n"
)

// FieldLanguage is the staff form's choice of the language of the
// citizen's e-mails.
const FieldLanguage = "lingua"

// StaffForm is what the staff fill in when they book an appointment on a
// citizen's behalf, by phone or at the desk. Unlike ApplicantForm the
// e-mail address is optional, but the citizen must be reachable: a phone
// number or an e-mail address is required. Field comments give the input
// names, the same as the citizen's forms.
type StaffForm struct {
	FirstName string // "nome", required
	LastName  string // "cognome", required
	Phone     string // "telefono"
	Email     string // "email"
	// Channel ("canale") is how the citizen wants to be contacted:
	// ChannelEmail needs an address, ChannelPhone a number.
	Channel string

	Reason string // "motivo": one of the office's reasons
	Note   string // "nota", optional

	NeedsInterpreter    bool   // "interprete"
	InterpreterLanguage string // "interprete_lingua", required with NeedsInterpreter
	NeedsAccessibility  bool   // "accessibilita"
	AccessibilityNote   string // "accessibilita_nota", required with NeedsAccessibility

	// Language ("lingua") is the language of the citizen's e-mails and
	// calendar file, one of the public side's languages (Italian by
	// default); the printed confirmation stays Italian.
	Language i18n.Lang

	// PrivacyTold ("privacy") records that the citizen was told how their
	// data is processed (the privacy notice), as the online form asks.
	PrivacyTold bool
}

// StaffFormFields returns the inputs of the staff booking form in page
// order (the slot list "orario" comes first), for the error summary.
func StaffFormFields() []string {
	return []string{FieldFirstName, FieldLastName, FieldPhone, FieldEmail, FieldChannel, FieldReason, FieldNote,
		FieldInterpreter, FieldInterpreterLanguage, FieldAccessibility, FieldAccessibilityNote, FieldLanguage, FieldPrivacy}
}

// Normalize tidies the form as ApplicantForm.Normalize and
// DetailsForm.Normalize do.
func (f *StaffForm) Normalize() {
	a := ApplicantForm{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone, Channel: f.Channel,
		NeedsInterpreter: f.NeedsInterpreter, InterpreterLanguage: f.InterpreterLanguage,
		NeedsAccessibility: f.NeedsAccessibility, AccessibilityNote: f.AccessibilityNote}
	a.Normalize()
	d := DetailsForm{Reason: f.Reason, Note: f.Note}
	d.Normalize()
	f.FirstName, f.LastName, f.Email, f.Phone, f.Channel = a.FirstName, a.LastName, a.Email, a.Phone, a.Channel
	f.InterpreterLanguage, f.AccessibilityNote = a.InterpreterLanguage, a.AccessibilityNote
	f.Reason, f.Note = d.Reason, d.Note
}

// Validate checks a normalised form against the office's reasons and
// returns the problems keyed by input name; the map is empty when the
// form is valid. Staff pages are Italian: l is the Italian localizer,
// for the checks the citizens' form shares.
func (f StaffForm) Validate(reasons []string, l *i18n.Localizer, languages []i18n.Lang) map[string]string {
	errs := DetailsForm{Reason: f.Reason, Note: f.Note}.Validate(reasons, l)
	if errs[FieldReason] != "" {
		errs[FieldReason] = "Scegli il motivo dell'appuntamento."
	}
	setIf(errs, FieldFirstName, checkName(l, f.FirstName, "first_name"))
	setIf(errs, FieldLastName, checkName(l, f.LastName, "last_name"))
	setIf(errs, FieldPhone, checkPhone(l, f.Phone))
	if f.Email != "" {
		setIf(errs, FieldEmail, checkEmail(l, f.Email))
	}
	switch {
	case f.Phone == "" && f.Email == "":
		errs[FieldPhone] = "Inserisci un numero di telefono o un indirizzo e-mail: servono per avvisare la persona se l'appuntamento cambia."
	case f.Channel == ChannelPhone:
		if f.Phone == "" {
			errs[FieldPhone] = "La persona preferisce il telefono: inserisci il numero."
		}
	case f.Channel == ChannelEmail:
		if f.Email == "" {
			errs[FieldEmail] = "La persona preferisce l'e-mail: inserisci l'indirizzo."
		}
	default:
		errs[FieldChannel] = "Scegli come la persona preferisce essere contattata."
	}
	if f.NeedsInterpreter {
		setIf(errs, FieldInterpreterLanguage, checkText(l, f.InterpreterLanguage, MaxLanguageLength,
			"Indica la lingua per cui serve un interprete.", "interpreter_language"))
	}
	if f.NeedsAccessibility {
		setIf(errs, FieldAccessibilityNote, checkText(l, f.AccessibilityNote, MaxAccessibilityLength,
			"Indica di quale supporto ha bisogno la persona.", "accessibility_note"))
	}
	if f.Language != "" && !slices.Contains(languages, f.Language) {
		errs[FieldLanguage] = "Scegli la lingua delle e-mail tra quelle proposte."
	}
	if !f.PrivacyTold {
		errs[FieldPrivacy] = "Conferma di aver informato la persona sul trattamento dei dati personali."
	}
	return errs
}
