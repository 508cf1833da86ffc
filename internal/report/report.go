// Package report is the citizens' reports of a problem ("segnalazione di
// disservizio", Modello Comuni): the categories, the statuses staff move
// a report through, and the checks of the public form. It is plain Go: no
// HTTP, no SQL.
package report

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/booking"
)

// Category is what a report is about. The values are stable identifiers
// (stored in reports.category), not text shown to anyone.
type Category string

// The categories offered on the form, in the order shown.
const (
	CategoryInformation   Category = "informazioni"
	CategoryClosed        Category = "ufficio-chiuso"
	CategoryBooking       Category = "prenotazione"
	CategoryAccessibility Category = "accessibilita"
	CategoryStaff         Category = "personale"
	CategoryOther         Category = "altro"
)

// Categories returns every category in the order of the form.
func Categories() []Category {
	return []Category{CategoryInformation, CategoryClosed, CategoryBooking, CategoryAccessibility, CategoryStaff, CategoryOther}
}

// Valid reports whether c is one of Categories.
func (c Category) Valid() bool {
	for _, x := range Categories() {
		if c == x {
			return true
		}
	}
	return false
}

// Label is the category in Italian, as the form and staff see it.
func (c Category) Label() string {
	switch c {
	case CategoryInformation:
		return "Informazioni non corrette o mancanti"
	case CategoryClosed:
		return "Ufficio chiuso negli orari indicati"
	case CategoryBooking:
		return "Problema con la prenotazione"
	case CategoryAccessibility:
		return "Accessibilità"
	case CategoryStaff:
		return "Comportamento del personale"
	case CategoryOther:
		return "Altro"
	}
	return string(c)
}

// Status is where a report stands. The values are stored.
type Status string

// The statuses, in the order a report goes through them. Staff may set any
// of them at any time (a closed report can be opened again).
const (
	StatusReceived   Status = "ricevuta"
	StatusInProgress Status = "in-lavorazione"
	StatusClosed     Status = "chiusa"
)

// Statuses returns every status in order.
func Statuses() []Status { return []Status{StatusReceived, StatusInProgress, StatusClosed} }

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	return s == StatusReceived || s == StatusInProgress || s == StatusClosed
}

// Label is the status in Italian: "Ricevuta", "In lavorazione", "Chiusa".
func (s Status) Label() string {
	switch s {
	case StatusReceived:
		return "Ricevuta"
	case StatusInProgress:
		return "In lavorazione"
	case StatusClosed:
		return "Chiusa"
	}
	return string(s)
}

// Input names of the public form, the keys of Form.Validate's errors.
const (
	FieldCategory    = "categoria"
	FieldDescription = "descrizione"
	FieldPage        = "pagina"
	FieldOffice      = "ufficio"
	FieldName        = "nome"
	FieldEmail       = "email"
	FieldConsent     = "risposta"
	FieldPrivacy     = "privacy"
)

// Fields returns the inputs of the form in page order, for the error
// summary.
func Fields() []string {
	return []string{FieldCategory, FieldDescription, FieldPage, FieldOffice, FieldName, FieldEmail, FieldConsent, FieldPrivacy}
}

// Length limits, in characters.
const (
	MaxDescription = 1000
	MaxPagePath    = 200
	MaxName        = 100
	MaxEmail       = 254
	// MaxAnswer bounds the answer staff write.
	MaxAnswer = 2000
)

// DescriptionHint is shown under the description.
const DescriptionHint = "Al massimo 1000 caratteri. Racconta cosa è successo, quando e dove. " +
	"Non scrivere informazioni sulla salute o sulla situazione personale, tue o di altre persone: non servono per risolvere il problema."

// Form is the public report form. Field comments give the input names.
type Form struct {
	Category    string // "categoria", required
	Description string // "descrizione", required
	// PagePath is the page of the portal concerned ("pagina"), optional: a
	// path on this site, prefilled when the citizen follows the link of a
	// page.
	PagePath string
	// OfficeSlug is the office concerned ("ufficio"), optional; the
	// caller checks it is an office.
	OfficeSlug string
	Name       string // "nome", optional
	Email      string // "email", optional; required with ReplyConsent
	// ReplyConsent ("risposta") asks for the answer by e-mail.
	ReplyConsent    bool
	PrivacyAccepted bool // "privacy", required
}

// Normalize tidies what the citizen typed: trimmed fields, collapsed
// spaces in the name, a lower-case address, "\n" line breaks in the
// description.
func (f *Form) Normalize() {
	f.Category = strings.TrimSpace(f.Category)
	f.Description = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(f.Description, "\r\n", "\n"), "\r", "\n"))
	f.PagePath = strings.TrimSpace(f.PagePath)
	f.OfficeSlug = strings.TrimSpace(f.OfficeSlug)
	f.Name = strings.Join(strings.Fields(f.Name), " ")
	f.Email = strings.ToLower(strings.TrimSpace(f.Email))
}

// Validate checks a normalised form and returns the problems in Italian
// keyed by input name; the map is empty when the form is valid. The
// office is checked by the caller, who knows the offices.
func (f Form) Validate() map[string]string {
	errs := map[string]string{}
	if !Category(f.Category).Valid() {
		errs[FieldCategory] = "Scegli il tipo di disservizio."
	}
	switch n := utf8.RuneCountInString(f.Description); {
	case n == 0:
		errs[FieldDescription] = "Descrivi il disservizio."
	case n > MaxDescription:
		errs[FieldDescription] = fmt.Sprintf("La descrizione può contenere al massimo %d caratteri: ora ne contiene %d.", MaxDescription, n)
	case hasControl(f.Description, true):
		errs[FieldDescription] = "La descrizione contiene caratteri non ammessi."
	}
	if f.PagePath != "" {
		if _, ok := LocalPath(f.PagePath); !ok {
			errs[FieldPage] = "Indica l'indirizzo di una pagina di questo portale, ad esempio /uffici/perugia-centro, oppure lascia vuoto."
		}
	}
	switch {
	case utf8.RuneCountInString(f.Name) > MaxName:
		errs[FieldName] = fmt.Sprintf("Il nome può contenere al massimo %d caratteri.", MaxName)
	case hasControl(f.Name, false):
		errs[FieldName] = "Il nome contiene caratteri non ammessi."
	}
	switch {
	case f.Email == "" && f.ReplyConsent:
		errs[FieldEmail] = "Hai chiesto una risposta via e-mail: inserisci il tuo indirizzo e-mail."
	case f.Email == "":
	case len(f.Email) > MaxEmail:
		errs[FieldEmail] = fmt.Sprintf("L'indirizzo e-mail può contenere al massimo %d caratteri.", MaxEmail)
	case !booking.ValidEmail(f.Email):
		errs[FieldEmail] = "Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it."
	}
	if !f.PrivacyAccepted {
		errs[FieldPrivacy] = "Per inviare la segnalazione devi dichiarare di aver letto l'informativa sulla privacy."
	}
	return errs
}

// LocalPath returns the clean form of p when it is the path of a page of
// this site: it starts with a single "/", has no scheme, host, query,
// fragment, backslash or control character, is at most MaxPagePath
// characters and is not in the staff area. It reports false otherwise, so
// that a link such as ?pagina=https://elsewhere or ?pagina=//elsewhere is
// never echoed as a page of the portal.
func LocalPath(p string) (string, bool) {
	if p == "" || len(p) > MaxPagePath || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") ||
		strings.ContainsAny(p, `\?#`) || hasControl(p, false) {
		return "", false
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" {
		return "", false
	}
	clean := path.Clean(u.Path)
	if clean == "/area-riservata" || strings.HasPrefix(clean, "/area-riservata/") {
		return "", false
	}
	return clean, true
}

// officePageRE matches the public page of an office.
var officePageRE = regexp.MustCompile(`^/uffici/([a-z0-9]+(?:-[a-z0-9]+)*)$`)

// OfficeSlugOf returns the slug of the office whose public page is p
// ("/uffici/perugia-centro" → "perugia-centro"), or "".
func OfficeSlugOf(p string) string {
	if m := officePageRE.FindStringSubmatch(p); m != nil {
		return m[1]
	}
	return ""
}

// codeRE matches a report code as code.NewReportCode makes it.
var codeRE = regexp.MustCompile(`^SEG-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTWXYZ]{4}$`)

// ValidCode reports whether s has the form of a report code.
func ValidCode(s string) bool { return codeRE.MatchString(s) }

// CheckAnswer checks the answer staff write to a report: at most
// MaxAnswer characters, no control characters but line breaks and tabs.
// It returns "" when the answer is fine.
func CheckAnswer(s string) string {
	switch n := utf8.RuneCountInString(s); {
	case n > MaxAnswer:
		return fmt.Sprintf("La risposta può contenere al massimo %d caratteri: ora ne contiene %d.", MaxAnswer, n)
	case hasControl(s, true):
		return "La risposta contiene caratteri non ammessi."
	}
	return ""
}

// hasControl reports whether s holds control or invisible format
// characters; multiline allows line breaks and tabs.
func hasControl(s string, multiline bool) bool {
	for _, r := range s {
		if multiline && (r == '\n' || r == '\t') {
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) && r != '\u200d' {
			return true
		}
	}
	return false
}
