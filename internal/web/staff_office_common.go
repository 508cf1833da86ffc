package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The pages that edit an office's timetable and booking settings all live
// under staffOfficePath(id), behind loadStaffOffice: an office the account
// may not manage answers 404 before any of these handlers runs.

// Sections of an office in the staff area, relative to staffOfficePath.
const (
	officeHoursPath    = "/orari"
	officeClosuresPath = "/chiusure"
	officeSpecialsPath = "/aperture-straordinarie"
	officeBookingPath  = "/prenotazioni/impostazioni"
)

// blankTimeRows is how many empty rows a timetable form offers for new
// intervals; saving offers as many again.
const blankTimeRows = 4

// maxTimeRows bounds the rows read from a timetable form.
const maxTimeRows = 100

// Messages of the office forms that package hours does not have.
const (
	msgBadDate       = "Indicare una data valida, per esempio 8/12/2026."
	msgClosurePast   = "La chiusura non può terminare nel passato."
	msgSpecialPast   = "L'apertura straordinaria non può essere in una data passata."
	msgStartRequired = "Indicare l'orario di inizio."
	msgEndRequired   = "Indicare l'orario di fine."
)

// staffOfficeSections lists the sections of an office, marking current
// ("" for the office's summary page).
func staffOfficeSections(officeID int64, current string) []templates.StaffOfficeSection {
	base := staffOfficePath(officeID)
	sections := []templates.StaffOfficeSection{
		{Label: "Dati dell'ufficio", Href: base},
		{Label: "Orari settimanali", Href: base + officeHoursPath},
		{Label: "Chiusure", Href: base + officeClosuresPath},
		{Label: "Aperture straordinarie", Href: base + officeSpecialsPath},
		{Label: "Prenotazioni", Href: base + officeBookingPath},
	}
	for i := range sections {
		sections[i].Current = sections[i].Href == base+current
	}
	return sections
}

// staffOfficeLinks are the links from an office's summary page to the
// pages that edit it.
func staffOfficeLinks(officeID int64) []templates.StaffOfficeLink {
	var out []templates.StaffOfficeLink
	for _, s := range staffOfficeSections(officeID, "")[1:] {
		out = append(out, templates.StaffOfficeLink{Name: s.Label, Href: s.Href})
	}
	return out
}

// staffOfficeHeader is the top of a page editing office o.
func staffOfficeHeader(o store.OfficeOverview, current string) templates.StaffOfficeHeader {
	return templates.StaffOfficeHeader{Office: o.Name, PublicHref: "/uffici/" + o.Slug, Sections: staffOfficeSections(o.ID, current)}
}

// staffOfficePage builds the layout of a page of office o titled title.
func (s *Server) staffOfficePage(r *http.Request, o store.OfficeOverview, title string) templates.StaffPage {
	return s.staffPage(r, title+" – "+o.Name, "bacheca", staffHome,
		templates.Crumb{Label: o.Name, Href: staffOfficePath(o.ID)}, templates.Crumb{Label: title})
}

// officeSaved ends a successful change of office o's timetable: this
// instance forgets its cached office data at once (the other instances
// hear of the change through the NOTIFY triggers), the flash says what
// happened and the browser goes back to the page (303).
func (s *Server) officeSaved(w http.ResponseWriter, r *http.Request, o store.OfficeOverview, section, msg string) {
	s.offices.invalidate()
	s.flash(r, msg)
	http.Redirect(w, r, staffOfficePath(o.ID)+section, http.StatusSeeOther)
}

// officeSubID reads the id of a closure, a special opening or an FAQ
// question from the URL; false for anything that is not a positive number.
func officeSubID(r *http.Request, param string) (int64, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, param), 10, 64)
	return id, err == nil && id > 0
}

// constraintMessage returns the Italian message of a rule the database
// enforced, if err is one.
func constraintMessage(err error) (string, bool) {
	var ce *store.ConstraintError
	if errors.As(err, &ce) {
		return ce.Message, true
	}
	return "", false
}

// parseFormClock reads a time typed in a form: "9:30", "09:30", "9.30" or
// "09:30:00" (what a time input sends when it shows seconds).
func parseFormClock(s string) (hours.Clock, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ".", ":")
	if len(s) == len("15:04:05") && strings.HasSuffix(s, ":00") {
		s = s[:5]
	}
	c, err := hours.ParseClock(s)
	return c, err == nil
}

// parseFormEnd reads the end of an interval: as parseFormClock, but 00:00
// means midnight at the end of the day (24:00), which time inputs cannot
// show.
func parseFormEnd(s string) (hours.Clock, bool) {
	c, ok := parseFormClock(s)
	if ok && c == 0 {
		return hours.EndOfDay, true
	}
	return c, ok
}

// clockValue is a time as a time input shows it; the end of the day,
// 24:00, is shown as 00:00 (see parseFormEnd).
func clockValue(c hours.Clock) string {
	if c == hours.EndOfDay {
		return "00:00"
	}
	return c.String()
}

// parseFormDate reads a date from a date input ("2026-12-08") or typed by
// hand where the browser has no date picker ("8/12/2026").
func parseFormDate(s string) (hours.Date, bool) {
	s = strings.TrimSpace(s)
	if d, err := hours.ParseDate(s); err == nil {
		return d, true
	}
	for _, layout := range []string{"2/1/2006", "2-1-2006", "2.1.2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return hours.MakeDate(t.Date()), true
		}
	}
	return hours.Date{}, false
}

// dayChoices are the options of a day select, Monday first; values are
// Go's time.Weekday numbers.
func dayChoices() []templates.Choice {
	var out []templates.Choice
	for _, wd := range hours.Weekdays() {
		out = append(out, templates.Choice{Value: strconv.Itoa(int(wd)), Label: capitalize(hours.WeekdayName(wd))})
	}
	return out
}

// kindChoices are the options of a kind-of-opening select.
func kindChoices() []templates.Choice {
	var out []templates.Choice
	for _, k := range hours.Kinds() {
		out = append(out, templates.Choice{Value: string(k), Label: k.Label()})
	}
	return out
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	for i := range s {
		if i > 0 {
			return strings.ToUpper(s[:i]) + s[i:]
		}
	}
	return strings.ToUpper(s)
}

// timeRow is one row of a timetable form as submitted.
type timeRow struct {
	templates.StaffTimeRow
	// Interval is what the row says; it counts only when Errors is empty.
	Interval hours.Interval
	// Blank rows (nothing entered) and removed rows are ignored.
	Blank bool
}

// timeRowPrefix names the inputs of row i.
func timeRowPrefix(i int) string { return "fascia-" + strconv.Itoa(i) }

// storedTimeRows turns stored intervals into form rows, followed by
// blankTimeRows empty ones. withKind is false for bookable windows.
func storedTimeRows(ivs []hours.Interval, withKind bool) []templates.StaffTimeRow {
	rows := make([]templates.StaffTimeRow, 0, len(ivs)+blankTimeRows)
	for i, iv := range ivs {
		row := templates.StaffTimeRow{Legend: "Fascia " + strconv.Itoa(i+1), Prefix: timeRowPrefix(i), Existing: true,
			Day: strconv.Itoa(int(iv.Weekday)), Start: iv.Start.String(), End: clockValue(iv.End)}
		if withKind {
			row.Kind = string(iv.Kind)
		}
		rows = append(rows, row)
	}
	return appendBlankRows(rows)
}

// appendBlankRows adds blankTimeRows empty rows.
func appendBlankRows(rows []templates.StaffTimeRow) []templates.StaffTimeRow {
	stored := 0
	for _, r := range rows {
		if r.Existing {
			stored++
		}
	}
	for range blankTimeRows {
		n := len(rows)
		rows = append(rows, templates.StaffTimeRow{Legend: "Nuova fascia " + strconv.Itoa(n-stored+1), Prefix: timeRowPrefix(n)})
	}
	return rows
}

// parseTimeRows reads the rows of a timetable form and checks each on its
// own; withKind is false for bookable windows. Complete, valid rows carry
// their Interval.
func parseTimeRows(r *http.Request, withKind bool) []timeRow {
	n, _ := strconv.Atoi(r.PostFormValue("fasce"))
	n = min(max(n, 0), maxTimeRows)
	rows := make([]timeRow, 0, n)
	stored, added := 0, 0
	for i := range n {
		p := timeRowPrefix(i)
		row := timeRow{StaffTimeRow: templates.StaffTimeRow{Prefix: p, Errors: map[string]string{},
			Existing: r.PostFormValue(p+"-esistente") == "1",
			Day:      strings.TrimSpace(r.PostFormValue(p + "-giorno")),
			Start:    strings.TrimSpace(r.PostFormValue(p + "-inizio")),
			End:      strings.TrimSpace(r.PostFormValue(p + "-fine")),
			Remove:   r.PostFormValue(p+"-rimuovi") == "1",
		}}
		if withKind {
			row.Kind = strings.TrimSpace(r.PostFormValue(p + "-tipo"))
		}
		if row.Existing {
			stored++
			row.Legend = "Fascia " + strconv.Itoa(stored)
		} else {
			added++
			row.Legend = "Nuova fascia " + strconv.Itoa(added)
		}
		row.Blank = row.Remove || row.Day == "" && row.Start == "" && row.End == "" && row.Kind == ""
		if !row.Blank {
			row.Interval = checkTimeRow(&row.StaffTimeRow, withKind)
		}
		rows = append(rows, row)
	}
	return rows
}

// checkTimeRow fills row.Errors and returns the row's interval.
func checkTimeRow(row *templates.StaffTimeRow, withKind bool) hours.Interval {
	var iv hours.Interval
	wd, err := strconv.Atoi(row.Day)
	if err != nil || wd < 0 || wd > 6 {
		row.Errors["giorno"] = string(hours.ErrWeekday)
	}
	iv.Weekday = time.Weekday(wd)
	var startOK, endOK bool
	switch iv.Start, startOK = parseFormClock(row.Start); {
	case row.Start == "":
		row.Errors["inizio"] = msgStartRequired
	case !startOK || iv.Start >= hours.EndOfDay:
		row.Errors["inizio"] = string(hours.ErrStart)
	}
	switch iv.End, endOK = parseFormEnd(row.End); {
	case row.End == "":
		row.Errors["fine"] = msgEndRequired
	case !endOK:
		row.Errors["fine"] = string(hours.ErrEnd)
	}
	iv.Kind = hours.KindAppointment
	if withKind {
		iv.Kind = hours.Kind(row.Kind)
		if !iv.Kind.Valid() {
			row.Errors["tipo"] = string(hours.ErrKind)
		}
	}
	// The order of the times is checked also when another field is
	// wrong, so that one submission shows every problem.
	switch {
	case row.Errors["inizio"] != "" || row.Errors["fine"] != "":
	case iv.End <= iv.Start:
		row.Errors["fine"] = string(hours.ErrOrder)
	case len(row.Errors) == 0:
		if err := iv.Validate(); err != nil {
			row.Errors["fine"] = err.Error()
		}
	}
	return iv
}

// timeRowsView returns the submitted rows for the form again, adding
// blankTimeRows empty rows when the form ended without one.
func timeRowsView(rows []timeRow) []templates.StaffTimeRow {
	out := make([]templates.StaffTimeRow, 0, len(rows)+blankTimeRows)
	trailingBlank := 0
	for _, row := range rows {
		out = append(out, row.StaffTimeRow)
		if !row.Existing && row.Blank {
			trailingBlank++
		} else {
			trailingBlank = 0
		}
	}
	if trailingBlank == 0 {
		out = appendBlankRows(out)
	}
	return out
}

// timeRowErrors lists the errors of the rows for the error summary, each
// naming its row and linking to its input.
func timeRowErrors(rows []timeRow, withKind bool) []templates.FieldError {
	fields := []string{"giorno", "inizio", "fine"}
	if withKind {
		fields = append(fields, "tipo")
	}
	var out []templates.FieldError
	for _, row := range rows {
		for _, f := range fields {
			if msg := row.Errors[f]; msg != "" {
				out = append(out, templates.FieldError{ID: row.ID(f), Message: row.Legend + ": " + msg})
			}
		}
	}
	return out
}

// hasRowErrors reports whether any row has an error.
func hasRowErrors(rows []timeRow) bool {
	for _, row := range rows {
		if len(row.Errors) > 0 {
			return true
		}
	}
	return false
}

// validIntervals returns the intervals of the rows that are neither blank
// nor removed and have no error, and for each the index of its row. When
// no row has an error, these are all the intervals the form keeps.
func validIntervals(rows []timeRow) ([]hours.Interval, []int) {
	var ivs []hours.Interval
	var idx []int
	for i, row := range rows {
		if !row.Blank && len(row.Errors) == 0 {
			ivs = append(ivs, row.Interval)
			idx = append(idx, i)
		}
	}
	return ivs, idx
}

// closureWhen says when a closure is, in words.
func closureWhen(c hours.Closure) string {
	if c.From == c.To {
		return capitalize(c.From.Italian())
	}
	return fmt.Sprintf("Da %s a %s", c.From.Italian(), c.To.Italian())
}

// professionalParam reads the professional from the URL.
func professionalParam(r *http.Request) (booking.Professional, bool) {
	p := booking.Professional(chi.URLParam(r, "professional"))
	return p, p.Valid()
}

// deleteOfficeItem answers the POST that deletes one item (a closure, a
// special opening) of the office in the URL, identified by the route
// parameter param: an item of another office, or none, is 404; done
// redirects to path with the flash message made by done.
func deleteOfficeItem[T any](s *Server, w http.ResponseWriter, r *http.Request, param, path string,
	del func(ctx context.Context, actorID, officeID, id int64) (T, error), done func(T) string) {
	o := staffOfficeFrom(r.Context())
	me, _ := staffFrom(r.Context())
	id, ok := officeSubID(r, param)
	if !ok {
		s.staffNotFound(w, r)
		return
	}
	item, err := del(r.Context(), me.ID, o.ID, id)
	if s.staffStoreFailed(w, r, err) {
		return
	}
	s.officeSaved(w, r, o, path, done(item))
}
