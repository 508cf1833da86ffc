package booking

import (
	"errors"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/cf"
	"github.com/udc-umbria/portal/internal/i18n"
)

// Input names of the booking forms. They are the keys of the errors
// returned by DetailsForm.Validate and ApplicantForm.Validate.
const (
	FieldReason              = "motivo"
	FieldNote                = "nota"
	FieldFirstName           = "nome"
	FieldLastName            = "cognome"
	FieldEmail               = "email"
	FieldPhone               = "telefono"
	FieldFiscalCode          = "codice_fiscale"
	FieldChannel             = "canale"
	FieldInterpreter         = "interprete" // checkbox, never has an error
	FieldInterpreterLanguage = "interprete_lingua"
	FieldAccessibility       = "accessibilita" // checkbox, never has an error
	FieldAccessibilityNote   = "accessibilita_nota"
	FieldPrivacy             = "privacy"
)

// DetailsFields returns the inputs of the first step in page order, to list
// errors in the summary at the top of the form.
func DetailsFields() []string { return []string{FieldReason, FieldNote} }

// ApplicantFields returns the inputs of the applicant step in page order,
// to list errors in the summary at the top of the form.
func ApplicantFields() []string {
	return []string{FieldFirstName, FieldLastName, FieldEmail, FieldPhone, FieldFiscalCode, FieldChannel,
		FieldInterpreter, FieldInterpreterLanguage, FieldAccessibility, FieldAccessibilityNote, FieldPrivacy}
}

// Contact channels, the values of the FieldChannel input.
const (
	ChannelEmail = "email"
	ChannelPhone = "telefono"
)

// ChannelLabel returns the Italian label of a contact channel: "E-mail",
// "Telefono".
func ChannelLabel(ch string) string {
	switch ch {
	case ChannelEmail:
		return "E-mail"
	case ChannelPhone:
		return "Telefono"
	}
	return ch
}

// Length limits of the form fields, in characters.
const (
	MaxNameLength          = 100
	MaxEmailLength         = 254
	MaxNoteLength          = 200
	MaxLanguageLength      = 100
	MaxAccessibilityLength = 200
	MinPhoneDigits         = 6
	MaxPhoneDigits         = 20
)

// NoteHint is shown under the note field. The note is free text that staff
// read before the appointment; health details do not belong there (they are
// special-category data and the note is not protected as such).
const NoteHint = "Facoltativa, al massimo 200 caratteri. Non scrivere informazioni sulla salute, tue o di altre persone: ne parlerai di persona all'appuntamento."

// AccessibilityHint is shown under the accessibility support field.
const AccessibilityHint = "Ad esempio: accesso senza gradini, interprete della lingua dei segni (LIS), documenti in caratteri grandi. Non servono informazioni sulla salute."

// DetailsForm is the first step of a booking: why the citizen wants the
// appointment.
type DetailsForm struct {
	// Reason is one of the office's reasons (input "motivo").
	Reason string
	// Note is an optional free text (input "nota").
	Note string
}

// Normalize trims the reason and the note and turns the note's line breaks
// into "\n".
func (f *DetailsForm) Normalize() {
	f.Reason = collapseSpaces(f.Reason)
	f.Note = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(f.Note, "\r\n", "\n"), "\r", "\n"))
}

// Validate checks a normalised form against the office's reasons and
// returns the problems in l's language (the catalogue's booking.error.*)
// keyed by input name; the map is empty when the form is valid.
func (f DetailsForm) Validate(reasons []string, l *i18n.Localizer) map[string]string {
	errs := map[string]string{}
	if f.Reason == "" || !slices.Contains(reasons, f.Reason) {
		errs[FieldReason] = l.T("booking.error.reason_missing")
	}
	switch n := utf8.RuneCountInString(f.Note); {
	case n > MaxNoteLength:
		errs[FieldNote] = l.T("booking.error.note_too_long", "Max", MaxNoteLength, "Count", n)
	case hasControl(f.Note, true):
		errs[FieldNote] = l.T("booking.error.note_control")
	}
	return errs
}

// ApplicantForm is the step where citizens say who they are and how to
// reach them. Field comments give the input names.
type ApplicantForm struct {
	FirstName  string // "nome", required
	LastName   string // "cognome", required
	Email      string // "email", required
	Phone      string // "telefono", required when Channel is ChannelPhone
	FiscalCode string // "codice_fiscale", optional
	Channel    string // "canale": ChannelEmail or ChannelPhone

	NeedsInterpreter    bool   // "interprete"
	InterpreterLanguage string // "interprete_lingua", required with NeedsInterpreter
	NeedsAccessibility  bool   // "accessibilita"
	AccessibilityNote   string // "accessibilita_nota", required with NeedsAccessibility

	PrivacyAccepted bool // "privacy", required
}

// Normalize tidies what the citizen typed: it trims every field and
// collapses runs of spaces, lower-cases the e-mail address, turns the
// separators people put in phone numbers ("075-123456", "075/12.34.56",
// "(075) 123456") into spaces, and normalises the codice fiscale (upper
// case, no spaces). The language and the support note are cleared when
// their box is not ticked, so that nothing is stored that the citizen
// did not mean to send.
func (f *ApplicantForm) Normalize() {
	f.FirstName = collapseSpaces(f.FirstName)
	f.LastName = collapseSpaces(f.LastName)
	f.Email = strings.ToLower(strings.TrimSpace(f.Email))
	f.Phone = collapseSpaces(strings.Map(func(r rune) rune {
		if strings.ContainsRune("-./()", r) {
			return ' '
		}
		return r
	}, f.Phone))
	f.FiscalCode = cf.Normalize(f.FiscalCode)
	f.Channel = strings.ToLower(strings.TrimSpace(f.Channel))
	f.InterpreterLanguage = collapseSpaces(f.InterpreterLanguage)
	f.AccessibilityNote = collapseSpaces(f.AccessibilityNote)
	if !f.NeedsInterpreter {
		f.InterpreterLanguage = ""
	}
	if !f.NeedsAccessibility {
		f.AccessibilityNote = ""
	}
}

// Validate checks a normalised form and returns the problems in l's
// language keyed by input name; the map is empty when the form is valid.
func (f ApplicantForm) Validate(l *i18n.Localizer) map[string]string {
	errs := map[string]string{}
	setIf(errs, FieldFirstName, checkName(l, f.FirstName, "first_name"))
	setIf(errs, FieldLastName, checkName(l, f.LastName, "last_name"))
	setIf(errs, FieldEmail, checkEmail(l, f.Email))
	setIf(errs, FieldPhone, checkPhone(l, f.Phone))
	if f.FiscalCode != "" {
		if _, err := cf.Validate(f.FiscalCode); err != nil {
			errs[FieldFiscalCode] = fiscalCodeProblem(l, err)
		}
	}
	switch f.Channel {
	case ChannelEmail:
	case ChannelPhone:
		if f.Phone == "" {
			errs[FieldPhone] = l.T("booking.error.phone_for_channel")
		}
	default:
		errs[FieldChannel] = l.T("booking.error.channel_missing")
	}
	if f.NeedsInterpreter {
		setIf(errs, FieldInterpreterLanguage, checkText(l, f.InterpreterLanguage, MaxLanguageLength,
			l.T("booking.error.interpreter_language.missing"), "interpreter_language"))
	}
	if f.NeedsAccessibility {
		setIf(errs, FieldAccessibilityNote, checkText(l, f.AccessibilityNote, MaxAccessibilityLength,
			l.T("booking.error.accessibility_note.missing"), "accessibility_note"))
	}
	if !f.PrivacyAccepted {
		errs[FieldPrivacy] = l.T("booking.error.privacy_missing")
	}
	return errs
}

// fiscalCodeProblem is the message for a rejected codice fiscale: the cf
// package's own Italian text, which details a format error, or its
// translation.
func fiscalCodeProblem(l *i18n.Localizer, err error) string {
	if l.Lang() == i18n.Italian {
		// The pseudo-locale is Italian too: mark the text as a message.
		return l.T("booking.error.fiscal_code", "Message", err.Error())
	}
	id := "booking.error.fiscal_code_format"
	switch {
	case errors.Is(err, cf.ErrLength):
		id = "booking.error.fiscal_code_length"
	case errors.Is(err, cf.ErrMonth):
		id = "booking.error.fiscal_code_month"
	case errors.Is(err, cf.ErrDay):
		id = "booking.error.fiscal_code_day"
	case errors.Is(err, cf.ErrCheckChar):
		id = "booking.error.fiscal_code_check"
	}
	return l.T(id)
}

func setIf(errs map[string]string, key, msg string) {
	if msg != "" {
		errs[key] = msg
	}
}

// checkName checks a first or last name (field "first_name" or
// "last_name" of the catalogue's booking.error.*). Names are not
// restricted to Latin letters (citizens come from everywhere) but need at
// least one letter.
func checkName(l *i18n.Localizer, s, field string) string {
	id := "booking.error." + field
	switch {
	case s == "":
		return l.T(id + ".missing")
	case utf8.RuneCountInString(s) > MaxNameLength:
		return l.T(id+".too_long", "Max", MaxNameLength)
	case hasControl(s, false):
		return l.T(id + ".control")
	case strings.IndexFunc(s, unicode.IsLetter) < 0:
		return l.T(id + ".no_letter")
	}
	return ""
}

// checkText checks an optional short text that is required once its box is
// ticked; field names its messages (booking.error.{field}.*).
func checkText(l *i18n.Localizer, s string, maxLen int, missing, field string) string {
	id := "booking.error." + field
	switch {
	case s == "":
		return missing
	case utf8.RuneCountInString(s) > maxLen:
		return l.T(id+".too_long", "Max", maxLen)
	case hasControl(s, false):
		return l.T(id + ".control")
	}
	return ""
}

func checkEmail(l *i18n.Localizer, s string) string {
	switch {
	case s == "":
		return l.T("booking.error.email_missing")
	case len(s) > MaxEmailLength:
		return l.T("booking.error.email_too_long", "Max", MaxEmailLength)
	case !ValidEmail(s):
		return l.T("booking.error.email_invalid")
	}
	return ""
}

// ValidEmail reports whether s is a plain e-mail address that can be
// written to and typed back: local@domain, with an ASCII local part of the
// usual characters (no quoting, no leading, trailing or double dots) and a
// domain of at least two labels of letters, digits and hyphens, the last
// one at least two letters long. Internationalised addresses are not
// accepted: they are rare and not every mail server on the way takes them.
func ValidEmail(s string) bool {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || len(local) == 0 || len(local) > 64 || len(domain) > 253 {
		return false
	}
	for i := 0; i < len(local); i++ {
		c := local[i]
		if !isAlnum(c) && !strings.ContainsRune("!#$%&'*+/=?^_`{|}~.-", rune(c)) {
			return false
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return false
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			if !isAlnum(l[i]) && l[i] != '-' {
				return false
			}
		}
	}
	tld := labels[len(labels)-1]
	if len(tld) < 2 {
		return false
	}
	for i := 0; i < len(tld); i++ {
		if !isAlpha(tld[i]) {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isAlnum(c byte) bool { return isAlpha(c) || c >= '0' && c <= '9' }

// checkPhone checks an optional phone number: digits and spaces, with an
// optional leading "+" for the international prefix.
func checkPhone(l *i18n.Localizer, s string) string {
	if s == "" {
		return ""
	}
	digits := 0
	for i, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ':
		case r == '+' && i == 0:
		default:
			return l.T("booking.error.phone_characters")
		}
	}
	if digits < MinPhoneDigits || digits > MaxPhoneDigits {
		return l.T("booking.error.phone_digits", "Min", MinPhoneDigits, "Max", MaxPhoneDigits)
	}
	return ""
}

// collapseSpaces trims s and turns every run of white space (line breaks
// and non-breaking spaces included) into one space.
func collapseSpaces(s string) string { return strings.Join(strings.Fields(s), " ") }

// hasControl reports whether s is not valid UTF-8 or holds control
// characters, or the bidirectional overrides that can make text display in
// another order than it is stored. Line breaks and tabs are allowed when
// multiline is set.
func hasControl(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return true
	}
	for _, r := range s {
		switch {
		case multiline && (r == '\n' || r == '\t'):
		case unicode.Is(unicode.Cc, r), r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return true
		}
	}
	return false
}
