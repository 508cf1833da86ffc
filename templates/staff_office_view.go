package templates

import "strconv"

// StaffOfficeHeader is the top of every page that edits an office: its
// name, the link to its public page and the navigation between its
// sections.
type StaffOfficeHeader struct {
	Office     string
	PublicHref string
	Sections   []StaffOfficeSection
}

// StaffOfficeSection is one entry of an office's navigation.
type StaffOfficeSection struct {
	Label   string
	Href    string
	Current bool
}

// StaffTimeRow is one editable row of a weekly timetable (opening hours
// or bookable windows): day, start, end and, for opening hours, kind.
// Its inputs are named Prefix + "-giorno", "-inizio", "-fine", "-tipo"
// and "-rimuovi".
type StaffTimeRow struct {
	// Legend names the row: "Fascia 2", "Nuova fascia 1".
	Legend string
	Prefix string
	// Existing rows were stored already: they offer "Rimuovi".
	Existing bool
	Day      string
	Start    string
	End      string
	Kind     string
	Remove   bool
	// Errors maps "giorno", "inizio", "fine", "tipo" to messages.
	Errors map[string]string
}

// ID returns the id of the row's input for field ("giorno", "inizio" …).
func (r StaffTimeRow) ID(field string) string { return r.Prefix + "-" + field }

// StaffHoursForm is the weekly opening hours of an office as a form.
type StaffHoursForm struct {
	StaffOfficeHeader
	Action string
	Rows   []StaffTimeRow
	Days   []Choice
	Kinds  []Choice
	// Summary lists every error, linking to its input.
	Summary []FieldError
	// Problem is an error about the whole save (a rule the database
	// enforced).
	Problem string
}

// StaffClosuresView lists an office's closures and the form to add one.
type StaffClosuresView struct {
	StaffOfficeHeader
	Closures []StaffRemovableRow
	Action   string
	From     string
	To       string
	Reason   string
	Errors   map[string]string
	Problem  string
}

// StaffRemovableRow is a stored closure or special opening with its
// delete button.
type StaffRemovableRow struct {
	// When is the date or date range in words.
	When string
	// Hours is the time span of a special opening ("9:00–12:00").
	Hours string
	Kind  string
	// Text is the reason of a closure or the note of an opening.
	Text         string
	DeleteAction string
	// DeleteLabel completes the button's accessible name: "Elimina" +
	// DeleteLabel.
	DeleteLabel string
}

// StaffSpecialsView lists an office's special openings and the form to
// add one.
type StaffSpecialsView struct {
	StaffOfficeHeader
	Openings []StaffRemovableRow
	Action   string
	Date     string
	Start    string
	End      string
	Kind     string
	Note     string
	Kinds    []Choice
	Errors   map[string]string
	Problem  string
}

// StaffBookingOverview shows, for each kind of professional, whether and
// how the office takes bookings.
type StaffBookingOverview struct {
	StaffOfficeHeader
	Professionals []StaffBookingSummary
}

// StaffBookingSummary is one professional on the overview.
type StaffBookingSummary struct {
	Label string
	// Status is "Prenotazioni attive", "Prenotazioni non attive" or "Non
	// ancora configurato".
	Status  string
	Enabled bool
	Details []string
	Href    string
	// LinkLabel is the edit link's text, naming the professional.
	LinkLabel string
	Warnings  []string
}

// StaffBookingForm is the booking settings of one professional of an
// office.
type StaffBookingForm struct {
	StaffOfficeHeader
	Professional string
	Action       string
	Enabled      bool
	Length       string
	Capacity     string
	Notice       string
	Horizon      string
	MaxActive    string
	Mode         string
	Modes        []Choice
	Reasons      string
	Windows      []StaffTimeRow
	Days         []Choice
	Errors       map[string]string
	Summary      []FieldError
	Problem      string
	// Warnings are not errors: windows outside the opening hours.
	Warnings []string
}

// officeRowsCount is the value of the hidden input that tells how many rows
// a timetable form has.
func officeRowsCount(rows []StaffTimeRow) string { return strconv.Itoa(len(rows)) }
