package templates

import (
	"slices"
	"strconv"
	"strings"

	"github.com/a-h/templ"
)

// BookingSteps are the message IDs of the names of the booking wizard's
// steps, in order; the stepper shows them and the page title uses the
// current one.
var BookingSteps = []string{"booking.step.place", "booking.step.slot", "booking.step.details", "booking.step.applicant", "booking.step.summary"}

// BookingFrame is what every step page of the booking wizard shares.
type BookingFrame struct {
	// Step is the current step, 1 to len(BookingSteps).
	Step int
	// Back is where "Indietro" leads; "" hides it.
	Back string
	// Hold tells how long the chosen slot stays reserved; HoldExpired
	// shows it as a warning instead of an information.
	Hold        string
	HoldExpired bool
	// Errors fill the error summary at the top of the form, in page order.
	Errors []FieldError
	// FromSummary is set when the step was opened with "Modifica" from the
	// summary: saving returns there.
	FromSummary bool
	// Demo is set when the page shows a demo office: the layout then
	// carries the "Dati dimostrativi" notice.
	Demo bool
}

// withDemo turns on the layout's demo notice when the frame asks for it.
func withDemo(p Page, demo bool) Page {
	p.Demo = p.Demo || demo
	return p
}

// bookingField marks a required field of the booking wizard with the
// asterisk its forms explain at the top, and turns spell checking off
// (names, addresses and codes are not words).
func bookingField(f Field) Field {
	f.MarkRequired = true
	f.Attrs = templ.Attributes{"spellcheck": "false"}
	return f
}

// comuneChoices are the options of the Comune picker.
func comuneChoices(comuni []ComuneOption) []Choice {
	out := make([]Choice, len(comuni))
	for i, c := range comuni {
		out[i] = Choice{Value: c.Slug, Label: c.Name}
	}
	return out
}

// withIDs gives each option the id prefix + value ("figura-educatore").
func withIDs(prefix string, options []Choice) []Choice {
	out := slices.Clone(options)
	for i := range out {
		out[i].ID = prefix + out[i].Value
	}
	return out
}

// reasonChoices are the reasons of step 3 as radios "motivo-0",
// "motivo-1" …
func reasonChoices(reasons []string) []Choice {
	out := make([]Choice, len(reasons))
	for i, r := range reasons {
		out[i] = Choice{ID: "motivo-" + strconv.Itoa(i), Value: r, Label: r}
	}
	return out
}

// contactChannels are the ways a citizen can ask to be contacted.
func contactChannels(p Page) []Choice {
	return []Choice{
		{ID: "canale-email", Value: "email", Label: p.T("booking.channel.email")},
		{ID: "canale-telefono", Value: "telefono", Label: p.T("booking.channel.telefono")},
	}
}

// BookingOffice is an office as shown in the booking pages: radio card,
// confirmation, personal appointment page.
type BookingOffice struct {
	Slug    string
	Name    string
	Address string
	// Town is "06121 Perugia (PG)".
	Town  string
	Phone string
	Email string
	// OpenDays is "Aperto lunedì, mercoledì e venerdì"; "" if unknown.
	OpenDays string
	// Accessibility describes how to reach the office, "" if not stated.
	Accessibility string
	Demo          bool
}

// BookingPlace is step 1: where the citizen wants the appointment.
type BookingPlace struct {
	Frame BookingFrame
	// Comuni fill the Comune picker; Comune is the chosen one ("" none).
	Comuni []ComuneOption
	Comune ComuneOption
	// Offices are the offices to choose from; Selected is the chosen slug.
	Offices  []BookingOffice
	Selected string
	// NoOffices is set when a Comune was chosen but no office serving it
	// takes bookings online.
	NoOffices bool
	// Error is the message next to the offices, "" if none.
	Error string
}

// SlotPicker is the list of free times of one week, grouped by day.
type SlotPicker struct {
	// Week is "Settimana dal 7 al 13 dicembre"; Offset its number.
	Week   string
	Offset int
	// PrevHref and NextHref lead to the other weeks; "" at the ends.
	PrevHref, NextHref string
	Days               []SlotDay
	// None is set when no slot at all is bookable (not only this week).
	None bool
	// Error is the message next to the list, "" if none.
	Error string
}

// SlotDay is one day of a SlotPicker.
type SlotDay struct {
	// ID is the id of the day's heading.
	ID string
	// Label is "Giovedì 10 dicembre".
	Label string
	Slots []SlotOption
}

// SlotOption is one time: a radio, disabled when full.
type SlotOption struct {
	ID  string
	Key string
	// Time is "ore 10:00–10:45".
	Time    string
	Full    bool
	Checked bool
}

// FirstSlotID returns the id of the first choosable slot of the picker,
// the target of the error summary link.
func (sp SlotPicker) FirstSlotID() string {
	for _, d := range sp.Days {
		for _, s := range d.Slots {
			if !s.Full {
				return s.ID
			}
		}
	}
	return "orari"
}

// BookingSlots is step 2: first the kind of professional, then the time.
type BookingSlots struct {
	Frame  BookingFrame
	Office BookingOffice
	// ChooseProfessional shows the professional question instead of the
	// times.
	ChooseProfessional bool
	Professionals      []Choice
	ProfessionalError  string
	// Professional is the chosen one's label; ChangeHref, when set, leads
	// back to the question.
	Professional string
	ChangeHref   string
	Picker       SlotPicker
	// OfficePhone is offered when there are no free times.
	OfficePhone string
}

// BookingDetails is step 3: the reason and an optional note.
type BookingDetails struct {
	Frame       BookingFrame
	Reasons     []string
	Reason      string
	Note        string
	ReasonError string
	NoteError   string
	NoteHint    string
	NoteMax     int
}

// BookingApplicant is step 4: who the citizen is and how to reach them.
type BookingApplicant struct {
	Frame               BookingFrame
	FirstName           string
	LastName            string
	Email               string
	Phone               string
	FiscalCode          string
	Channel             string
	NeedsInterpreter    bool
	InterpreterLanguage string
	NeedsAccessibility  bool
	AccessibilityNote   string
	AccessibilityHint   string
	PrivacyAccepted     bool
	// Errors are keyed by input name.
	Errors map[string]string
}

// SummarySection is one block of the summary with its "Modifica" link.
type SummarySection struct {
	ID       string
	Title    string
	EditHref string
	Rows     []SummaryRow
}

// SummaryRow is one answer of the summary.
type SummaryRow struct {
	Label string
	Value string
	// Data marks a value that is not text to translate (a name, an
	// address, what the citizen typed).
	Data bool
}

// BookingSummary is step 5: every answer, and the final submit.
type BookingSummary struct {
	Frame    BookingFrame
	Sections []SummarySection
	// SlotGone is set when the hold expired and the seat was taken in the
	// meantime: the citizen must choose another time.
	SlotGone bool
	// Requested says the office confirms bookings itself.
	Requested bool
	// Error is a problem with the submission, shown at the top.
	Error string
}

// BookingDone is the confirmation page.
type BookingDone struct {
	// Requested is set when the office still has to confirm.
	Requested    bool
	Code         string
	When         string
	Professional string
	// With is the professional with the article, for sentences:
	// "l'assistente sociale".
	With    string
	Reason  string
	Office  BookingOffice
	Bring   WhatToBring
	ICSHref string
	Email   string
}

// WhatToBring is the «Cosa serve» section of the service sheet, shown as
// «Cosa portare»: the one source for the pages and the e-mails.
type WhatToBring struct {
	// HTML is the section, sanitised HTML; "" when the sheet lists nothing.
	HTML string
	// SheetTitle and SheetHref name the sheet; "" when none is published,
	// and then nothing is said.
	SheetTitle, SheetHref string
}

// BookingLink is a labelled link.
type BookingLink struct {
	Label string
	Href  string
}

// BookingNotice is a page that explains why something could not be done
// (slot taken, too many bookings, too many attempts, invalid link).
type BookingNotice struct {
	// Heading is the page's h1; Title is the alert's title.
	Heading string
	Title   string
	// Paragraphs explain what happened and what to do.
	Paragraphs []string
	Links      []BookingLink
	// Danger shows the alert as an error instead of a warning.
	Danger bool
}

// AppointmentPage is the citizen's personal page of one appointment.
type AppointmentPage struct {
	Code         string
	Status       string
	StatusLabel  string
	Requested    bool
	Active       bool
	When         string
	Professional string
	Reason       string
	Office       BookingOffice
	// Bring is shown on the appointment's own page only.
	Bring WhatToBring
	// Base is the page's own path, "/appuntamento/{token}".
	Base string
	// Notice is a one-time message after an action ("" none).
	Notice string
	// CanChange is set when the appointment can still be moved or
	// cancelled online.
	CanChange bool
	// MoveRequested says the office can no longer receive the citizen at
	// this time and asks them to choose another one.
	MoveRequested bool
	// OfficeMessage is the office's message: why it cancelled, declined or
	// asks to move the appointment; "" none.
	OfficeMessage string
}

// AppointmentMove is the page to move an appointment to another time.
type AppointmentMove struct {
	Appointment AppointmentPage
	Picker      SlotPicker
	Errors      []FieldError
	// Unavailable explains why the appointment cannot be moved online.
	Unavailable string
}

// telHref returns the phone number as a tel: URI body: digits and a
// leading "+" only.
func telHref(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if r >= '0' && r <= '9' || r == '+' && i == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Where is the address with the town, "Via Solferino, 22, 06046 Norcia
// (PG)", leaving out whichever part is unknown.
func (o BookingOffice) Where() string {
	switch {
	case o.Address == "":
		return o.Town
	case o.Town == "":
		return o.Address
	}
	return o.Address + ", " + o.Town
}
