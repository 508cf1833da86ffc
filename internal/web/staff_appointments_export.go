package web

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// appointmentCSVHeader names the columns of the CSV export.
var appointmentCSVHeader = []string{"Codice", "Data", "Inizio", "Fine", "Figura professionale", "Stato", "Motivo",
	"Nome", "Cognome", "E-mail", "Telefono", "Canale di contatto", "Interprete", "Accessibilità"}

// staffAppointmentsExport downloads the office's appointments starting
// in a period (?da=YYYY-MM-DD&a=YYYY-MM-DD, both days included) as CSV
// for Italian spreadsheets: UTF-8 with a byte order mark (Excel reads the
// accents right only then), ";" between fields, CRLF line ends. The
// export is audited (the office and the period, not the data). A bad
// period shows the list page again with the export form's errors (422).
func (s *Server) staffAppointmentsExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	me, _ := staffFrom(ctx)
	q := r.URL.Query()
	ex := exportInput{From: strings.TrimSpace(q.Get("da")), To: strings.TrimSpace(q.Get("a")), Errors: map[string]string{}}
	from, fromOK := parseFormDate(ex.From)
	to, toOK := parseFormDate(ex.To)
	switch {
	case ex.From == "":
		ex.Errors["esporta-da"] = "Indica il primo giorno del periodo da esportare."
	case !fromOK:
		ex.Errors["esporta-da"] = msgAppointmentDate
	}
	switch {
	case ex.To == "":
		ex.Errors["esporta-a"] = "Indica l'ultimo giorno del periodo da esportare."
	case !toOK:
		ex.Errors["esporta-a"] = msgAppointmentDate
	case fromOK && to.Before(from):
		ex.Errors["esporta-a"] = msgAppointmentOrder
	case fromOK && from.DaysUntil(to) >= maxExportDays:
		ex.Errors["esporta-a"] = "Si può esportare al massimo un anno alla volta."
	}
	if len(ex.Errors) > 0 {
		// The list below the form shows its default view: the export's
		// da and a are not the list's filter.
		s.renderAppointments(w, r, url.Values{}, ex)
		return
	}
	list, err := s.store.ExportOfficeAppointments(ctx, me.ID, store.AppointmentFilter{OfficeID: o.ID,
		From: from.At(0), To: to.AddDays(1).At(0)})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var buf bytes.Buffer
	buf.WriteString("\uFEFF")
	cw := csv.NewWriter(&buf)
	cw.Comma, cw.UseCRLF = ';', true
	_ = cw.Write(appointmentCSVHeader)
	for _, a := range list {
		_ = cw.Write(appointmentCSVRecord(a))
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.serverError(w, r, err)
		return
	}
	name := "appuntamenti-" + o.Slug + "-" + from.String() + "-" + to.String() + ".csv"
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	_, _ = buf.WriteTo(w)
}

// appointmentCSVRecord is one row of the export. Every text typed by a
// citizen goes through spreadsheetSafe.
func appointmentCSVRecord(a store.Appointment) []string {
	start, end := a.Start.In(hours.Rome()), a.End.In(hours.Rome())
	interpreter, accessibility := "No", "No"
	if a.InterpreterLanguage != nil {
		interpreter = "Sì: " + *a.InterpreterLanguage
	}
	if a.AccessibilityNote != nil {
		accessibility = "Sì: " + *a.AccessibilityNote
	}
	channel := ""
	if a.Channel != "" {
		channel = booking.ChannelLabel(a.Channel)
	}
	rec := []string{a.Code, start.Format("02/01/2006"), start.Format("15:04"), end.Format("15:04"), a.Professional.Label(),
		a.Status.Label(), a.Reason, a.FirstName, a.LastName, a.Email, a.Phone, channel, interpreter, accessibility}
	for i := range rec {
		rec[i] = spreadsheetSafe(rec[i])
	}
	return rec
}

// spreadsheetSafe keeps a cell from being read as a formula by a
// spreadsheet (CSV injection: a name typed as "=HYPERLINK(…)"): a value
// starting with one of = + - @, a tab or a carriage return gets a leading
// apostrophe, which spreadsheets show as text.
func spreadsheetSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// staffAppointmentsDay shows the agenda of one day (?data=YYYY-MM-DD,
// today by default) in order of time, made to be printed: appointments
// requested, confirmed, done or missed, with what the office needs to
// know at a glance.
func (s *Server) staffAppointmentsDay(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	o := staffOfficeFrom(ctx)
	base := staffAppointmentsPath(o.ID) + "/giorno"
	v := templates.StaffAgendaView{Office: o.Name, Action: base, ListHref: staffAppointmentsPath(o.ID), Errors: map[string]string{}}
	day := hours.DateOf(s.now())
	status := http.StatusOK
	if raw, given := r.URL.Query()["data"]; given {
		v.Date = strings.TrimSpace(raw[0])
		d, ok := parseFormDate(v.Date)
		if ok {
			day = d
		} else {
			v.Errors["data"] = msgAppointmentDate
			status = http.StatusUnprocessableEntity
		}
	}
	title := "Agenda del giorno"
	if status == http.StatusOK {
		v.Date = day.String()
		v.Title = "Agenda di " + day.Italian()
		title = v.Title
		v.PrevHref = base + "?data=" + day.AddDays(-1).String()
		v.NextHref = base + "?data=" + day.AddDays(1).String()
		list, err := s.store.OfficeAppointments(ctx, store.AppointmentFilter{OfficeID: o.ID, From: day.At(0), To: day.AddDays(1).At(0),
			Statuses: agendaStatuses})
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Rows = appointmentRows(list)
	} else {
		v.Title = "Agenda del giorno"
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffAgendaPage(s.appointmentsPage(r, o, title, templates.Crumb{Label: "Agenda del giorno"}), v))
}
