package web

import (
	"net/http"

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
// none is.
func (s *Server) staffOfficeHoursSave(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	me, _ := staffFrom(r.Context())
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
		changed, err := s.store.ReplaceOfficeHours(r.Context(), me.ID, o.ID, weekly)
		msg, isRule := constraintMessage(err)
		switch {
		case isRule:
			problem = msg
		case err != nil:
			s.serverError(w, r, err)
			return
		case !changed:
			s.flash(r, "Nessuna modifica: gli orari settimanali erano già questi.")
			http.Redirect(w, r, staffOfficePath(o.ID)+officeHoursPath, http.StatusSeeOther)
			return
		default:
			s.officeSaved(w, r, o, officeHoursPath, "Orari settimanali salvati. La pagina pubblica dell'ufficio li mostra già.")
			return
		}
	}
	f := hoursForm(o, timeRowsView(rows))
	f.Summary, f.Problem = timeRowErrors(rows, true), problem
	s.render(w, r, http.StatusUnprocessableEntity, templates.StaffHoursPage(s.staffOfficePage(r, o, "Orari settimanali"), f))
}

// hoursForm is the form view of the office's weekly hours.
func hoursForm(o store.OfficeOverview, rows []templates.StaffTimeRow) templates.StaffHoursForm {
	return templates.StaffHoursForm{
		StaffOfficeHeader: staffOfficeHeader(o, officeHoursPath),
		Action:            staffOfficePath(o.ID) + officeHoursPath,
		Rows:              rows, Days: dayChoices(), Kinds: kindChoices(),
	}
}
