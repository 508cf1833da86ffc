package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Limits of the number of future active appointments per e-mail address,
// as the database checks them (booking_settings_max_active).
const (
	minActivePerEmail = 1
	maxActivePerEmail = 20
)

// bookingSettingsPath is the settings form of professional p of office
// officeID.
func bookingSettingsPath(officeID int64, p booking.Professional) string {
	return staffOfficePath(officeID) + officeBookingPath + "/" + string(p)
}

// staffOfficeBooking shows, for each professional, whether and how the
// office takes bookings, with the warnings about windows outside the
// opening hours.
func (s *Server) staffOfficeBooking(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	all, err := s.store.BookingSettings(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	tt, err := s.store.OfficeTimetable(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := templates.StaffBookingOverview{StaffOfficeHeader: staffOfficeHeader(o, officeBookingPath)}
	for _, p := range booking.Professionals() {
		sum := templates.StaffBookingSummary{Label: p.Label(), Status: "Non ancora configurato: i cittadini non possono prenotare.",
			Href: bookingSettingsPath(o.ID, p), LinkLabel: "Imposta le prenotazioni con " + p.WithArticle()}
		for _, bs := range all {
			if bs.Professional != p {
				continue
			}
			sum.Enabled = bs.Enabled
			sum.Status = "Prenotazioni non attive: i cittadini non possono prenotare."
			if bs.Enabled {
				sum.Status = "Prenotazioni attive."
			}
			sum.Details = bookingDetails(bs)
			sum.Warnings = bs.OutsideHours(tt.Hours)
			sum.LinkLabel = "Modifica le prenotazioni con " + p.WithArticle()
		}
		v.Professionals = append(v.Professionals, sum)
	}
	s.render(w, r, http.StatusOK, templates.StaffBookingOverviewPage(s.staffOfficePage(r, o, "Prenotazioni"), v))
}

// bookingDetails describes stored settings in a few lines.
func bookingDetails(bs store.BookingSettings) []string {
	people := "una persona alla volta"
	if bs.Capacity > 1 {
		people = fmt.Sprintf("fino a %d persone insieme", bs.Capacity)
	}
	var windows []string
	for _, w := range bs.Windows {
		windows = append(windows, hours.WeekdayName(w.Weekday)+" "+w.Span())
	}
	fasce := "nessuna fascia prenotabile"
	if len(windows) > 0 {
		fasce = "Fasce prenotabili: " + strings.Join(windows, ", ")
	}
	maxActive := bs.MaxActivePerEmail
	if maxActive == 0 {
		maxActive = booking.DefaultMaxActivePerEmail
	}
	return []string{
		fmt.Sprintf("Appuntamenti di %d minuti, %s.", bs.LengthMinutes, people),
		capitalize(fasce) + ".",
		fmt.Sprintf("Preavviso minimo: %s; si prenota fino a %d giorni da oggi.",
			staffPlural(bs.MinNoticeWorkingDays, "giorno lavorativo", "giorni lavorativi"), bs.HorizonDays),
		"Conferma: " + bs.Mode.Label() + ".",
		fmt.Sprintf("Al massimo %s futuri per indirizzo e-mail; %s tra cui scegliere.",
			staffPlural(maxActive, "appuntamento", "appuntamenti"), staffPlural(len(bs.Reasons), "motivo", "motivi")),
	}
}

// bookingSettingsInput is the submitted settings form.
type bookingSettingsInput struct {
	Enabled                                                 bool
	Length, Capacity, Notice, Horizon, MaxActive, Mode, Raw string
	Rows                                                    []timeRow
	Settings                                                booking.Settings
	MaxActivePerEmail                                       int
	Errors                                                  map[string]string
}

// formInt reads a whole number typed in a form; -1, outside every
// allowed range, when it is not one.
func formInt(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return -1
	}
	return n
}

// formReasons splits the reasons textarea into one reason a line, spaces
// collapsed, blank lines dropped.
func formReasons(raw string) []string {
	var out []string
	for line := range strings.Lines(raw) {
		if r := strings.Join(strings.Fields(line), " "); r != "" {
			out = append(out, r)
		}
	}
	return out
}

func parseBookingSettingsInput(r *http.Request, p booking.Professional) bookingSettingsInput {
	in := bookingSettingsInput{
		Enabled:   r.PostFormValue("abilitata") == "1",
		Length:    strings.TrimSpace(r.PostFormValue("durata")),
		Capacity:  strings.TrimSpace(r.PostFormValue("capienza")),
		Notice:    strings.TrimSpace(r.PostFormValue("preavviso")),
		Horizon:   strings.TrimSpace(r.PostFormValue("orizzonte")),
		MaxActive: strings.TrimSpace(r.PostFormValue("max_attivi")),
		Mode:      r.PostFormValue("modalita"),
		Raw:       r.PostFormValue("motivi"),
		Rows:      parseTimeRows(r, false),
		Errors:    map[string]string{},
	}
	windows, _ := validIntervals(in.Rows)
	in.Settings = booking.Settings{Professional: p, LengthMinutes: formInt(in.Length), Capacity: formInt(in.Capacity),
		Windows: windows, MinNoticeWorkingDays: formInt(in.Notice), HorizonDays: formInt(in.Horizon),
		Mode: booking.Mode(in.Mode), Reasons: formReasons(in.Raw)}
	in.MaxActivePerEmail = formInt(in.MaxActive)
	return in
}

// Validate fills in.Errors (and the rows' errors) with the problems found
// by booking.Settings.Validate and the limit per e-mail address. A
// professional that is turned off needs no window.
func (in *bookingSettingsInput) Validate() {
	// The windows checked are those of the rows right on their own.
	_, idx := validIntervals(in.Rows)
	for key, msg := range in.Settings.Validate() {
		if n, ok := strings.CutPrefix(key, "fasce."); ok {
			i, err := strconv.Atoi(n)
			if err != nil || i >= len(idx) {
				continue
			}
			in.Rows[idx[i]].Errors["inizio"] = msg
			continue
		}
		// No window is fine for a professional turned off; and when rows
		// have errors, those say what is wrong.
		if key == "fasce" && (!in.Enabled || hasRowErrors(in.Rows)) {
			continue
		}
		in.Errors[key] = msg
	}
	if in.MaxActivePerEmail < minActivePerEmail || in.MaxActivePerEmail > maxActivePerEmail {
		in.Errors["max_attivi"] = fmt.Sprintf("Indicare quanti appuntamenti futuri può avere una stessa persona: da %d a %d.",
			minActivePerEmail, maxActivePerEmail)
	}
}

// valid reports whether the form has no error.
func (in *bookingSettingsInput) valid() bool { return len(in.Errors) == 0 && !hasRowErrors(in.Rows) }

// staffOfficeBookingForm shows the settings of one professional; a
// professional never configured starts from booking.DefaultSettings,
// turned off.
func (s *Server) staffOfficeBookingForm(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	p, ok := professionalParam(r)
	if !ok {
		s.staffNotFound(w, r)
		return
	}
	all, err := s.store.BookingSettings(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	bs := store.BookingSettings{OfficeID: o.ID, Professional: p, Settings: booking.DefaultSettings(p),
		MaxActivePerEmail: booking.DefaultMaxActivePerEmail}
	for _, stored := range all {
		if stored.Professional == p {
			bs = stored
		}
	}
	in := bookingSettingsInput{
		Enabled: bs.Enabled, Length: strconv.Itoa(bs.LengthMinutes), Capacity: strconv.Itoa(bs.Capacity),
		Notice: strconv.Itoa(bs.MinNoticeWorkingDays), Horizon: strconv.Itoa(bs.HorizonDays),
		MaxActive: strconv.Itoa(bs.MaxActivePerEmail), Mode: string(bs.Mode), Raw: strings.Join(bs.Reasons, "\n"),
		Settings: bs.Settings, Errors: map[string]string{},
	}
	s.renderBookingForm(w, r, http.StatusOK, p, in, storedTimeRows(bs.Windows, false), "")
}

// staffOfficeBookingSave saves the settings of one professional. Windows
// outside the opening hours are allowed — the office may be about to
// change its hours — but the page warns about them. Windows that leave
// booked appointments out first show them and ask what to do (see
// staff_office_displaced.go); the confirmation posts here again.
func (s *Server) staffOfficeBookingSave(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	p, ok := professionalParam(r)
	if !ok {
		s.staffNotFound(w, r)
		return
	}
	in := parseBookingSettingsInput(r, p)
	in.Validate()
	var problem string
	if in.valid() {
		dec := parseDecision(r)
		base := bookingSettingsPath(o.ID, p)
		out, err := s.store.SetBookingSettings(r.Context(), s.timetableChange(r, o.ID, dec), store.BookingSettings{OfficeID: o.ID,
			Professional: p, Enabled: in.Enabled, Settings: in.Settings, MaxActivePerEmail: in.MaxActivePerEmail})
		if s.displacedFailed(w, r, err, dec, displacedChange{title: "Fasce prenotabili con appuntamenti prenotati",
			change: "Nuove fasce prenotabili con " + p.WithArticle() + ": " + weeklySummary(in.Settings.Windows, false) + ".",
			action: base, back: base, hidden: hiddenCopy(r), submit: "Salva le impostazioni"}) {
			return
		}
		msg, isRule := constraintMessage(err)
		switch {
		case isRule:
			problem = msg
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.displacedSaved(w, r, o, base, "Impostazioni delle prenotazioni con "+p.WithArticle()+" salvate.", out)
			return
		}
	}
	s.renderBookingForm(w, r, http.StatusUnprocessableEntity, p, in, timeRowsView(in.Rows), problem)
}

// renderBookingForm shows the settings form of professional p in the
// state of in, with the warnings about its windows.
func (s *Server) renderBookingForm(w http.ResponseWriter, r *http.Request, status int, p booking.Professional,
	in bookingSettingsInput, rows []templates.StaffTimeRow, problem string) {
	o := staffOfficeFrom(r.Context())
	tt, err := s.store.OfficeTimetable(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := templates.StaffBookingForm{
		StaffOfficeHeader: staffOfficeHeader(o, officeBookingPath), Professional: p.Label(), Action: bookingSettingsPath(o.ID, p),
		Enabled: in.Enabled, Length: in.Length, Capacity: in.Capacity, Notice: in.Notice, Horizon: in.Horizon,
		MaxActive: in.MaxActive, Mode: in.Mode, Reasons: in.Raw, Windows: rows, Days: dayChoices(),
		Errors: in.Errors, Problem: problem, Warnings: in.Settings.OutsideHours(tt.Hours),
	}
	// The current section is the overview: the form is one level below.
	for i := range f.Sections {
		f.Sections[i].Current = false
	}
	for _, m := range booking.Modes() {
		f.Modes = append(f.Modes, templates.Choice{Value: string(m), Label: m.Label()})
	}
	f.Summary = append(templates.ErrorList(in.Errors, "durata", "capienza", "preavviso", "orizzonte", "max_attivi", "modalita",
		"motivi", "fasce"), timeRowErrors(in.Rows, false)...)
	sp := s.staffPage(r, "Prenotazioni: "+p.Label()+" – "+o.Name, "bacheca", staffHome,
		templates.Crumb{Label: o.Name, Href: staffOfficePath(o.ID)},
		templates.Crumb{Label: "Prenotazioni", Href: staffOfficePath(o.ID) + officeBookingPath},
		templates.Crumb{Label: p.Label()})
	s.render(w, r, status, templates.StaffBookingFormPage(sp, f))
}
