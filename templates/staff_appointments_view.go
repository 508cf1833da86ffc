package templates

// StaffAppointmentRow is one appointment in a list or in the day agenda.
type StaffAppointmentRow struct {
	// Href is the appointment's staff page.
	Href string
	Code string
	// Day is "Gio 10/12/2026", DayISO "2026-12-10".
	Day    string
	DayISO string
	// Time is "10:00–10:45".
	Time         string
	Professional string
	// Name is the citizen's name, or a note that the personal data was
	// erased.
	Name        string
	Phone       string
	Reason      string
	StatusLabel string
	// Pending marks a request awaiting confirmation.
	Pending bool
	// Needs are the support needs the office must prepare: "Interprete:
	// arabo", "Accessibilità: accesso senza gradini".
	Needs []string
	// ByStaff marks a booking taken by the office (by phone or at the
	// desk).
	ByStaff bool
}

// StaffAppointmentsView is an office's appointments: today's agenda, the
// requests to handle and the filtered list, with the CSV export.
type StaffAppointmentsView struct {
	StaffOfficeHeader
	// Action is the list's URL, the target of the filter form.
	Action string
	// Today is "giovedì 10 dicembre 2026"; TodayRows its agenda.
	Today      string
	TodayRows  []StaffAppointmentRow
	AgendaHref string
	// Pending is how many requests from today on await confirmation;
	// PendingHref lists them.
	Pending     int
	PendingHref string
	// NewHref books an appointment by phone or at the desk.
	NewHref string
	// Calls is how many citizens the staff must phone (CallsHref lists
	// them); Displaced how many appointments are outside the opening
	// (DisplacedHref resolves them).
	Calls         int
	CallsHref     string
	Displaced     int
	DisplacedHref string
	// The filter as typed, and its options.
	From, To, Professional, Status string
	Professionals, Statuses        []Choice
	Errors                         map[string]string
	Rows                           []StaffAppointmentRow
	// Truncated says the list shows only the first Limit rows.
	Truncated bool
	Limit     int
	// The CSV export form, its period and errors (keys "esporta-da",
	// "esporta-a").
	ExportAction       string
	ExportFrom         string
	ExportTo           string
	ExportErrors       map[string]string
	ExportErrorSummary []FieldError
}

// StaffAppointmentView is one appointment with everything the citizen
// gave and the actions its status allows.
type StaffAppointmentView struct {
	StaffOfficeHeader
	// Base is the appointment's URL; the actions post to Base + "/…".
	Base     string
	ListHref string
	Code     string
	// StatusLabel is the status in words; Pending marks a request.
	StatusLabel  string
	Pending      bool
	When         string
	Professional string
	Mode         string
	Reason       string
	Note         string
	Booked       string
	// CancelReason is the reason given for a cancellation or a refusal;
	// CancelReasonLabel says which.
	CancelReason      string
	CancelReasonLabel string
	// Erased says the personal data was erased (retention period).
	Erased bool
	// ByStaff says the office booked the appointment (by phone or at the
	// desk); PrintHref is its printable confirmation.
	ByStaff   bool
	PrintHref string
	// MoveRequested says the office asked the citizen to choose another
	// time; OfficeMessage is its message.
	MoveRequested bool
	OfficeMessage string
	FirstName     string
	LastName      string
	Email         string
	Phone         string
	PhoneHref     string
	FiscalCode    string
	Channel       string
	// Language is the language the citizen booked in, the one of the
	// e-mails and the personal page ("inglese").
	Language string
	// Interpreter is the language, when an interpreter is needed;
	// Accessibility the support asked for, when needed.
	NeedsInterpreter   bool
	Interpreter        string
	NeedsAccessibility bool
	Accessibility      string
	// The actions the status and the time allow.
	CanConfirm  bool
	CanPropose  bool
	CanDecline  bool
	CanCancel   bool
	CanClose    bool
	NoActionWhy string
	// The reason typed in the refusal or cancellation form, its error, and
	// a message about the whole attempt (an action no longer possible).
	ReasonValue string
	Errors      map[string]string
	Problem     string
}

// StaffProposeView is the page on which staff choose another time for an
// appointment.
type StaffProposeView struct {
	StaffOfficeHeader
	Base         string
	Action       string
	Code         string
	When         string
	Professional string
	StatusLabel  string
	Picker       SlotPicker
	// Unavailable explains why no time can be proposed.
	Unavailable string
	Errors      []FieldError
}

// StaffAgendaView is the printable agenda of one day.
type StaffAgendaView struct {
	Office string
	// Title is "Agenda di giovedì 10 dicembre 2026".
	Title  string
	Action string
	// Date is the day as the date input shows it.
	Date     string
	Errors   map[string]string
	Rows     []StaffAppointmentRow
	PrevHref string
	NextHref string
	ListHref string
}
