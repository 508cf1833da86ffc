package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// staffTime shows an instant to staff as "02/03/2026 alle 10:15", in
// Europe/Rome.
func staffTime(t time.Time) string {
	t = t.In(hours.Rome())
	return t.Format("02/01/2006") + " alle " + t.Format("15:04")
}

// staffOfficePath is the staff page of office id.
func staffOfficePath(id int64) string { return staffBase + "/uffici/" + strconv.FormatInt(id, 10) }

// staffDashboard is the home of the staff area: who is logged in, their
// role and the offices they manage.
func (s *Server) staffDashboard(w http.ResponseWriter, r *http.Request) {
	u, _ := staffFrom(r.Context())
	d := templates.StaffDashboard{
		Name:            u.DisplayName(),
		RoleLabel:       u.Role.Label(),
		RoleDescription: u.Role.Description(),
		IsAdmin:         u.Role == auth.RoleAdmin,
		IsEditor:        u.Role == auth.RoleEditor || u.Role == auth.RoleAdmin,
		TOTPEnabled:     u.TOTPEnabled,
	}
	offices := u.Offices
	switch u.Role {
	case auth.RoleAdmin:
		d.ShowOffices, d.AllOffices = true, true
		all, err := s.store.ListOfficeRefs(r.Context())
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		offices = all
	case auth.RoleOperator:
		d.ShowOffices = true
	}
	for _, o := range offices {
		d.Offices = append(d.Offices, templates.StaffOfficeLink{Name: o.Name, Href: staffOfficePath(o.ID)})
	}
	open, err := s.store.CountOpenReports(r.Context(), reportScope(u))
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	d.OpenReports = open
	sp := s.staffPage(r, "Bacheca", "bacheca", staffHome)
	sp.Breadcrumbs = nil
	s.render(w, r, http.StatusOK, templates.StaffDashboardPage(sp, d))
}

// staffOffice shows the office loaded by loadStaffOffice, read-only.
func (s *Server) staffOffice(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	sp := s.staffPage(r, o.Name, "bacheca", staffHome, templates.Crumb{Label: o.Name})
	s.render(w, r, http.StatusOK, templates.StaffOfficePage(sp, staffOfficeView(o)))
}

func staffOfficeView(o store.OfficeOverview) templates.StaffOfficeView {
	v := templates.StaffOfficeView{
		Name: o.Name, Seat: o.SeatName, Phone: o.Phone, Email: o.Email, PEC: o.PEC,
		AccessibilityNotes: o.AccessibilityNotes, HoursNote: o.HoursNote, Comuni: o.Comuni, IsDemo: o.IsDemo,
		Updated: staffTime(o.UpdatedAt), Manage: staffOfficeLinks(o.ID),
	}
	if href := staffAppointmentsPath(o.ID); !slices.ContainsFunc(v.Manage, func(l templates.StaffOfficeLink) bool { return l.Href == href }) {
		v.Manage = append(v.Manage, templates.StaffOfficeLink{Name: "Appuntamenti: richieste, agenda, esportazione", Href: href})
	}
	v.Manage = append(v.Manage, templates.StaffOfficeLink{Name: "Note della pagina pubblica (orari, accessibilità), in italiano e in altre lingue",
		Href: officeNotesPath(o.ID, store.DefaultLang)})
	if o.Address != "" {
		v.Address = o.Address + ", " + strings.TrimSpace(o.CAP+" "+o.SeatName)
	}
	var team []string
	if o.TeamSocialWorkers > 0 {
		team = append(team, staffPlural(o.TeamSocialWorkers, "assistente sociale", "assistenti sociali"))
	}
	if o.TeamEducators > 0 {
		team = append(team, staffPlural(o.TeamEducators, "educatore", "educatori"))
	}
	if o.TeamOther != "" {
		team = append(team, o.TeamOther)
	}
	v.Team = strings.Join(team, ", ")
	return v
}

func staffPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
