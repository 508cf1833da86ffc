package templates

// HiddenInput is one value of a form submitted again unchanged: the copy
// of a change carried by its confirmation page.
type HiddenInput struct {
	Name  string
	Value string
}

// StaffDisplacedRow is an appointment a change of the timetable leaves
// outside the office's opening.
type StaffDisplacedRow struct {
	// Href is the appointment's staff page.
	Href string
	Code string
	// Day is "Gio 10/12/2026", DayISO "2026-12-10", Time "10:00–10:45".
	Day          string
	DayISO       string
	Time         string
	Professional string
	Name         string
	StatusLabel  string
	// Contact is how the citizen is reached: "E-mail" or "Telefono:
	// 075 123456"; ByPhone marks those the staff must call.
	Contact string
	ByPhone bool
	// Why says why the appointment no longer fits.
	Why string
}

// StaffDisplacedView is the confirmation page of a change of the
// timetable that leaves booked appointments outside the opening (a
// closure, new weekly hours, new booking windows): the appointments, and
// the choice of what to do with them. Without JavaScript it is a form
// that posts the change again (Hidden) with the decision.
type StaffDisplacedView struct {
	StaffOfficeHeader
	// Title is the page's heading; Change says what is being saved, and
	// Unsaved that it is not saved yet (false when nothing changes but the
	// appointments).
	Title   string
	Change  string
	Unsaved bool
	// Action is where the confirmation posts (the change's own form).
	Action string
	// Hidden is the change as submitted; Seen the ids of the rows.
	Hidden []HiddenInput
	Seen   string
	Rows   []StaffDisplacedRow
	// Calls is how many of the rows the staff will have to phone.
	Calls   int
	Actions []Choice
	// Decision and Message are the choice and the text as typed.
	Decision string
	Message  string
	Errors   map[string]string
	// Problem is a message about the whole attempt: the list changed
	// since it was shown.
	Problem string
	// BackHref leads back without saving; BackLabel names it.
	BackHref  string
	BackLabel string
	// Submit is the confirm button's label.
	Submit string
}

// StaffCallRow is a citizen the staff must phone about their appointment.
type StaffCallRow struct {
	Href         string
	Code         string
	Name         string
	Phone        string
	PhoneHref    string
	When         string
	Professional string
	// What says what happened: "Annullato", "Da spostare".
	What    string
	Message string
	// DoneAction is where "Chiamata fatta" posts.
	DoneAction string
}

// StaffCallsView is the list of the citizens to phone, made to be printed.
type StaffCallsView struct {
	Office   string
	Rows     []StaffCallRow
	ListHref string
}

// StaffNewAppointmentView is the form with which the staff book an
// appointment on a citizen's behalf, by phone or at the desk.
type StaffNewAppointmentView struct {
	StaffOfficeHeader
	Action string
	// Professionals are offered when there is a choice (ChooseHref is the
	// page's URL, the GET form's target); Professional is the chosen one.
	Professionals []Choice
	ChooseHref    string
	Professional  string
	// ProfessionalLabel names the chosen one, ChangeHref asks again.
	ProfessionalLabel string
	ChangeHref        string
	// Unavailable explains why no booking can be taken.
	Unavailable string
	Picker      SlotPicker
	Reasons     []Choice
	// The form as typed.
	FirstName           string
	LastName            string
	Phone               string
	Email               string
	Channel             string
	Reason              string
	Note                string
	NeedsInterpreter    bool
	InterpreterLanguage string
	NeedsAccessibility  bool
	AccessibilityNote   string
	PrivacyTold         bool
	// Language is the chosen language of the citizen's e-mails, among
	// Languages.
	Language  string
	Languages []Choice
	Errors    map[string]string
	Summary   []FieldError
	Problem   string
}

// StaffPrintView is the one-page confirmation of an appointment taken by
// the staff, printed and handed to the citizen.
type StaffPrintView struct {
	Office        string
	OfficeAddress string
	OfficePhone   string
	OfficeEmail   string
	Code          string
	When          string
	Professional  string
	Name          string
	Reason        string
	Needs         []string
	// BringHTML is the «Cosa serve» section of the service sheet
	// (sanitised HTML); BringEmpty is said when it lists nothing.
	BringHTML  string
	BringEmpty string
	// Emailed says the citizen received the e-mail with the personal link.
	Emailed bool
	// BackHref is the appointment's staff page.
	BackHref string
}
