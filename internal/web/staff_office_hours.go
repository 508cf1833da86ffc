package web

import (
	"net/http"
	"strings"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// staffOfficeHours shows the weekly opening hours of the office as a
// form: the stored intervals, each with "Rimuovi", and empty rows to add
// new ones.
func (s *Server) staffOfficeHours(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	tt, err := s.store.OfficeTimetable(r.Context(), o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := hoursForm(o, storedTimeRows(tt.Hours, true))
	s.render(w, r, http.StatusOK, templates.StaffHoursPage(s.staffOfficePage(r, o, "Orari settimanali"), f))
}

// staffOfficeHoursSave replaces the office's weekly hours with the rows
// of the form. Every row is checked, then the set (no two intervals of the
// same kind may overlap on a day); the database checks again in the
// transaction that replaces them all, so either every row is stored or
// none is. Hours that leave booked appointments outside the opening first
// show them and ask what to do (see staff_office_displaced.go); the
// confirmation posts here again.
func (s *Server) staffOfficeHoursSave(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	rows := parseTimeRows(r, true)
	// Overlaps among the rows that are right on their own; the message
	// names both intervals and sits on the later row.
	valid, idx := validIntervals(rows)
	for _, ov := range hours.FindOverlaps(valid) {
		if i := idx[ov.Second]; rows[i].Errors["inizio"] == "" {
			rows[i].Errors["inizio"] = ov.Message
		}
	}
	var problem string
	if !hasRowErrors(rows) {
		weekly, _ := validIntervals(rows)
		dec := parseDecision(r)
		base := staffOfficePath(o.ID) + officeHoursPath
		out, err := s.store.SetOfficeHours(r.Context(), s.timetableChange(r, o.ID, dec), weekly)
		if s.displacedFailed(w, r, err, dec, displacedChange{title: "Nuovi orari con appuntamenti prenotati",
			change: "Nuovi orari settimanali: " + weeklySummary(weekly, true) + ".", action: base, back: base,
			hidden: hiddenCopy(r), submit: "Salva gli orari"}) {
			return
		}
		msg, isRule := constraintMessage(err)
		switch {
		case isRule:
			problem = msg
		case err != nil:
			s.serverError(w, r, err)
			return
		case !out.Changed:
			s.flash(r, "Nessuna modifica: gli orari settimanali erano già questi.")
			http.Redirect(w, r, base, http.StatusSeeOther)
			return
		default:
			s.displacedSaved(w, r, o, base, "Orari settimanali salvati. La pagina pubblica dell'ufficio li mostra già.", out)
			return
		}
	}
	f := hoursForm(o, timeRowsView(rows))
	f.Summary, f.Problem = timeRowErrors(rows, true), problem
	s.render(w, r, http.StatusUnprocessableEntity, templates.StaffHoursPage(s.staffOfficePage(r, o, "Orari settimanali"), f))
}

// weeklySummary lists weekly intervals in words: "lunedì 9:00–13:00
// (Accoglienza), …" (the kind only withKind), or says there are none.
func weeklySummary(weekly []hours.Interval, withKind bool) string {
	if len(weekly) == 0 {
		return "nessuna fascia di apertura"
	}
	parts := make([]string, 0, len(weekly))
	for _, iv := range weekly {
		part := hours.WeekdayName(iv.Weekday) + " " + iv.Span()
		if withKind {
			part += " (" + iv.Kind.Label() + ")"
		}
		parts = append(parts, part)
	}
	return strings.Join(parts, ", ")
}

// hoursForm is the form view of the office's weekly hours.
func hoursForm(o store.OfficeOverview, rows []templates.StaffTimeRow) templates.StaffHoursForm {
	return templates.StaffHoursForm{
		StaffOfficeHeader: staffOfficeHeader(o, officeHoursPath),
		Action:            staffOfficePath(o.ID) + officeHoursPath,
		Rows:              rows, Days: dayChoices(), Kinds: kindChoices(),
	}
}
