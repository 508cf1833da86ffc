package web

import (
	"cmp"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// The staff of an office (its operatori, and administrators) handle its
// appointments under staffAppointmentsPath: loadStaffOffice answers 404
// for an office the account may not manage, and loadStaffAppointment 404
// for an appointment of another office, before any handler here runs.

// officeAppointmentsPath is the appointments section of an office,
// relative to staffOfficePath.
const officeAppointmentsPath = "/appuntamenti"

// appointmentListLimit bounds the rows of the list page; the CSV export
// has the store's own limit.
const appointmentListLimit = 500

// maxExportDays bounds the period of a CSV export.
const maxExportDays = 366

// agendaStatuses are the statuses that belong on a day's agenda: the
// appointments that take or took place, or may.
var agendaStatuses = []booking.Status{booking.StatusRequested, booking.StatusConfirmed, booking.StatusDone, booking.StatusNoShow}

// Messages of the appointment filters.
const (
	msgAppointmentDate  = "Inserisci una data valida, per esempio 10/12/2026."
	msgAppointmentOrder = "La data finale deve essere uguale o successiva a quella iniziale."
)

// staffAppointmentsPath is the appointments list of office officeID.
func staffAppointmentsPath(officeID int64) string {
	return staffOfficePath(officeID) + officeAppointmentsPath
}

// staffAppointmentPath is the staff page of appointment id of office
// officeID.
func staffAppointmentPath(officeID, id int64) string {
	return staffAppointmentsPath(officeID) + "/" + strconv.FormatInt(id, 10)
}

// appointmentsHeader is the top of the appointment pages of office o: the
// office's sections followed by "Appuntamenti", marked current on the
// list itself.
func appointmentsHeader(o store.OfficeOverview, current bool) templates.StaffOfficeHeader {
	h := staffOfficeHeader(o, officeAppointmentsPath)
	href := staffAppointmentsPath(o.ID)
	for i := range h.Sections {
		if h.Sections[i].Href == href {
			h.Sections[i].Current = current
			return h
		}
	}
	h.Sections = append(h.Sections, templates.StaffOfficeSection{Label: "Appuntamenti", Href: href, Current: current})
	return h
}

// appointmentsPage builds the layout of an appointment page of office o;
// crumbs follow "Appuntamenti" (none on the list itself).
func (s *Server) appointmentsPage(r *http.Request, o store.OfficeOverview, title string, crumbs ...templates.Crumb) templates.StaffPage {
	all := []templates.Crumb{staffHome, {Label: o.Name, Href: staffOfficePath(o.ID)}}
	if len(crumbs) == 0 {
		all = append(all, templates.Crumb{Label: "Appuntamenti"})
	} else {
		all = append(all, templates.Crumb{Label: "Appuntamenti", Href: staffAppointmentsPath(o.ID)})
		all = append(all, crumbs...)
	}
	return s.staffPage(r, title+" – "+o.Name, "bacheca", all...)
}

type staffAppointmentKey struct{}

// loadStaffAppointment guards /appuntamenti/{appointmentID}: an id that
// is not an appointment of the office loaded by loadStaffOffice answers
// 404, whether it belongs to another office or does not exist.
func (s *Server) loadStaffAppointment(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "appointmentID"), 10, 64)
		if err != nil || id <= 0 {
			s.staffNotFound(w, r)
			return
		}
		a, err := s.store.OfficeAppointment(r.Context(), staffOfficeFrom(r.Context()).ID, id)
		if s.staffStoreFailed(w, r, err) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), staffAppointmentKey{}, a)))
	})
}

// staffAppointmentFrom returns the appointment loaded by
// loadStaffAppointment.
func staffAppointmentFrom(ctx context.Context) store.Appointment {
	a, _ := ctx.Value(staffAppointmentKey{}).(store.Appointment)
	return a
}

// erased reports whether the appointment's personal data was erased at
// the end of the retention period.
func erased(a store.Appointment) bool { return a.Erased }

// staffDay shows the day of an instant as "Gio 10/12/2026", in Rome.
func staffDay(t time.Time) string {
	t = t.In(hours.Rome())
	wd := hours.WeekdayName(t.Weekday())
	if len([]rune(wd)) > 3 {
		wd = string([]rune(wd)[:3])
	}
	return capitalize(wd) + " " + t.Format("02/01/2006")
}

// staffSpan shows the times of an appointment: "10:00–10:45".
func staffSpan(a store.Appointment) string {
	return a.Start.In(hours.Rome()).Format("15:04") + "–" + a.End.In(hours.Rome()).Format("15:04")
}

// appointmentNeeds lists the support the office must prepare, after the
// language the citizen booked in when it is not Italian ("Lingua:
// inglese"), next to the interpreter request.
func appointmentNeeds(a store.Appointment) []string {
	var out []string
	if a.Lang != "" && a.Lang != i18n.Italian {
		out = append(out, "Lingua: "+languageName(a.Lang))
	}
	if a.InterpreterLanguage != nil {
		out = append(out, strings.TrimSpace("Interprete: "+*a.InterpreterLanguage))
	}
	if a.AccessibilityNote != nil {
		out = append(out, strings.TrimSpace("Accessibilità: "+*a.AccessibilityNote))
	}
	return out
}

// languageName is the Italian name of language l, for the staff pages
// (which stay Italian): "inglese", "italiano"; the tag itself when it
// has none.
func languageName(l i18n.Lang) string {
	tag, err := language.Parse(string(cmp.Or(l, i18n.Default)))
	if err != nil {
		return string(l)
	}
	if name := display.Languages(language.Italian).Name(tag); name != "" {
		return name
	}
	return string(l)
}

// appointmentRow is a in a list.
func appointmentRow(a store.Appointment) templates.StaffAppointmentRow {
	name := strings.TrimSpace(a.FirstName + " " + a.LastName)
	if erased(a) {
		name = "Dati personali cancellati"
	}
	return templates.StaffAppointmentRow{
		Href: staffAppointmentPath(a.OfficeID, a.ID), Code: a.Code,
		Day: staffDay(a.Start), DayISO: hours.DateOf(a.Start).String(), Time: staffSpan(a),
		Professional: a.Professional.Label(), Name: name, Phone: a.Phone, Reason: a.Reason,
		StatusLabel: statusLabel(a), Pending: a.Status == booking.StatusRequested, Needs: appointmentNeeds(a),
		ByStaff: a.BookedByStaffID != 0,
	}
}

// statusLabel is the appointment's status as the staff pages show it:
// an active appointment the office asked to move says so.
func statusLabel(a store.Appointment) string {
	if a.MoveRequestedAt != nil && a.Status.Active() {
		return a.Status.Label() + ", da spostare"
	}
	return a.Status.Label()
}

func appointmentRows(list []store.Appointment) []templates.StaffAppointmentRow {
	out := make([]templates.StaffAppointmentRow, 0, len(list))
	for _, a := range list {
		out = append(out, appointmentRow(a))
	}
	return out
}

// appointmentFilterInput is the filter of the list as typed (GET
// parameters da, a, figura, stato) and as understood.
type appointmentFilterInput struct {
	From, To, Professional, Status string
	Filter                         store.AppointmentFilter
	Errors                         map[string]string
}

// parseAppointmentFilter reads the list's filter. Without a da parameter
// the list starts today; an empty one means from the first appointment.
func parseAppointmentFilter(q url.Values, officeID int64, today hours.Date) appointmentFilterInput {
	in := appointmentFilterInput{
		From: strings.TrimSpace(q.Get("da")), To: strings.TrimSpace(q.Get("a")),
		Professional: q.Get("figura"), Status: q.Get("stato"), Errors: map[string]string{},
		Filter: store.AppointmentFilter{OfficeID: officeID, PendingFirst: true, Limit: appointmentListLimit + 1},
	}
	if _, ok := q["da"]; !ok {
		in.From = today.String()
	}
	var from, to hours.Date
	if in.From != "" {
		if d, ok := parseFormDate(in.From); ok {
			from, in.Filter.From = d, d.At(0)
		} else {
			in.Errors["da"] = msgAppointmentDate
		}
	}
	if in.To != "" {
		if d, ok := parseFormDate(in.To); ok {
			to, in.Filter.To = d, d.AddDays(1).At(0)
		} else {
			in.Errors["a"] = msgAppointmentDate
		}
	}
	if !from.IsZero() && !to.IsZero() && to.Before(from) {
		in.Errors["a"] = msgAppointmentOrder
	}
	if in.Professional != "" {
		if p := booking.Professional(in.Professional); p.Valid() {
			in.Filter.Professional = p
		} else {
			in.Errors["figura"] = "Scegli una delle figure professionali."
		}
	}
	if in.Status != "" {
		if st := booking.Status(in.Status); st.Valid() {
			in.Filter.Statuses = []booking.Status{st}
		} else {
			in.Errors["stato"] = "Scegli uno degli stati."
		}
	}
	return in
}

// exportInput is the period of the CSV export as typed.
type exportInput struct {
	From, To string
	Errors   map[string]string
}

// staffAppointments lists the office's appointments: the requests
// awaiting confirmation, today's agenda, and the filtered list (GET
// form, works without JavaScript), requests first.
func (s *Server) staffAppointments(w http.ResponseWriter, r *http.Request) {
	s.renderAppointments(w, r, r.URL.Query(), exportInput{})
}

// renderAppointments shows the list page for the filter in q and the
// export form in the state of ex; the status is 422 when either has
// errors.
func (s *Server) renderAppointments(w http.ResponseWriter, r *http.Request, q url.Values, ex exportInput) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	today := hours.DateOf(s.now())
	in := parseAppointmentFilter(q, o.ID, today)
	base := staffAppointmentsPath(o.ID)
	v := templates.StaffAppointmentsView{
		StaffOfficeHeader: appointmentsHeader(o, true), Action: base,
		Today: today.Italian(), AgendaHref: base + "/giorno",
		PendingHref: base + "?" + url.Values{"da": {today.String()}, "stato": {string(booking.StatusRequested)}}.Encode(),
		From:        in.From, To: in.To, Professional: in.Professional, Status: in.Status, Errors: in.Errors,
		Limit: appointmentListLimit, ExportAction: base + "/esporta.csv", ExportErrors: ex.Errors,
		ExportFrom: ex.From, ExportTo: ex.To,
	}
	if ex.Errors == nil {
		v.ExportFrom, v.ExportTo = today.String(), today.AddDays(30).String()
	}
	v.ExportErrorSummary = templates.ErrorList(ex.Errors, "esporta-da", "esporta-a")
	for _, p := range booking.Professionals() {
		v.Professionals = append(v.Professionals, templates.Choice{Value: string(p), Label: p.Label(), Selected: string(p) == in.Professional})
	}
	for _, st := range booking.Statuses() {
		v.Statuses = append(v.Statuses, templates.Choice{Value: string(st), Label: st.Label(), Selected: string(st) == in.Status})
	}

	pending, err := s.store.OfficeAppointments(ctx, store.AppointmentFilter{OfficeID: o.ID, From: today.At(0),
		Statuses: []booking.Status{booking.StatusRequested}})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Pending = len(pending)
	todays, err := s.store.OfficeAppointments(ctx, store.AppointmentFilter{OfficeID: o.ID, From: today.At(0),
		To: today.AddDays(1).At(0), Statuses: agendaStatuses})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.TodayRows = appointmentRows(todays)
	v.NewHref = newAppointmentPath(o.ID)
	calls, err := s.store.CallsDue(ctx, o.ID)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Calls, v.CallsHref = len(calls), base+callsPath
	displaced, err := s.store.DisplacedAppointments(ctx, o.ID, s.now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Displaced, v.DisplacedHref = len(displaced), base+displacedPath

	status := http.StatusOK
	if len(in.Errors) > 0 || len(ex.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	if len(in.Errors) == 0 {
		list, err := s.store.OfficeAppointments(ctx, in.Filter)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if len(list) > appointmentListLimit {
			list, v.Truncated = list[:appointmentListLimit], true
		}
		v.Rows = appointmentRows(list)
	}
	title := "Appuntamenti"
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffAppointmentsPage(s.appointmentsPage(r, o, title), v))
}
