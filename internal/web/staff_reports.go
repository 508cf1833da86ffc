package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/report"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Staff handle the reports of a problem at /area-riservata/segnalazioni.
// Who sees which (reportScope): administrators every report; operatori
// those about their offices; redattori those about no office (a page, a
// service sheet, the portal), which are theirs to fix. A report outside
// the account's scope is 404, like an office it does not manage.

const staffReportsPath = staffBase + "/segnalazioni"

func staffReportPath(id int64) string { return staffReportsPath + "/" + strconv.FormatInt(id, 10) }

// reportScope is what the account may see and change.
func reportScope(u store.StaffUser) store.ReportScope {
	switch u.Role {
	case auth.RoleAdmin:
		return store.ReportScope{All: true}
	case auth.RoleOperator:
		return store.ReportScope{OfficeIDs: u.OfficeIDs()}
	case auth.RoleEditor:
		return store.ReportScope{WithoutOffice: true}
	}
	return store.ReportScope{}
}

// reportScopeText describes the scope on the list page.
func reportScopeText(u store.StaffUser) string {
	switch u.Role {
	case auth.RoleAdmin:
		return "Come amministratore vedi tutte le segnalazioni."
	case auth.RoleOperator:
		return "Vedi le segnalazioni che riguardano i tuoi uffici."
	case auth.RoleEditor:
		return "Come redattore vedi le segnalazioni che non riguardano un ufficio: pagine del portale, schede dei servizi, informazioni generali."
	}
	return ""
}

type reportCtxKey struct{}

// loadStaffReport guards /area-riservata/segnalazioni/{reportID}: 404 for
// a report outside the account's scope.
func (s *Server) loadStaffReport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := officeSubID(r, "reportID")
		if !ok {
			s.staffNotFound(w, r)
			return
		}
		u, _ := staffFrom(r.Context())
		rep, err := s.store.ReportByID(r.Context(), id, reportScope(u))
		if s.staffStoreFailed(w, r, err) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), reportCtxKey{}, rep)))
	})
}

func staffReportFrom(ctx context.Context) store.Report {
	rep, _ := ctx.Value(reportCtxKey{}).(store.Report)
	return rep
}

// staffReports lists the reports of the account's scope, newest first,
// filtered by status and office.
func (s *Server) staffReports(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, _ := staffFrom(ctx)
	scope := reportScope(u)
	q := r.URL.Query()
	v := templates.StaffReportsView{Scope: reportScopeText(u), Status: q.Get("stato"), Office: q.Get("ufficio"), Errors: map[string]string{}}
	for _, st := range report.Statuses() {
		v.Statuses = append(v.Statuses, templates.Choice{Value: string(st), Label: st.Label()})
	}
	var offices []store.OfficeRef
	switch u.Role {
	case auth.RoleAdmin:
		all, err := s.store.ListOfficeRefs(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		offices = all
	case auth.RoleOperator:
		if len(u.Offices) > 1 {
			offices = u.Offices
		}
	}
	for _, o := range offices {
		v.Offices = append(v.Offices, templates.Choice{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
	}
	f := store.ReportFilter{Scope: scope, Limit: 200}
	if v.Status != "" {
		if st := report.Status(v.Status); st.Valid() {
			f.Status = st
		} else {
			v.Errors["stato"] = "Scegli uno stato dell'elenco."
		}
	}
	if v.Office != "" {
		id, err := strconv.ParseInt(v.Office, 10, 64)
		if err != nil || !hasChoice(v.Offices, v.Office) {
			v.Errors["ufficio"] = "Scegli un ufficio dell'elenco."
		} else {
			f.OfficeID = id
		}
	}
	status := http.StatusOK
	if len(v.Errors) > 0 {
		status = http.StatusUnprocessableEntity
		f.Status, f.OfficeID = "", 0
	}
	list, total, err := s.store.ListReports(ctx, f)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if v.Open, err = s.store.CountOpenReports(ctx, scope); err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Total = total
	for _, rep := range list {
		v.Rows = append(v.Rows, templates.StaffReportRow{Href: staffReportPath(rep.ID), Code: rep.Code,
			Received: staffTime(rep.CreatedAt), ReceivedISO: rep.CreatedAt.In(hours.Rome()).Format("2006-01-02"),
			Category: rep.Category.Label(), About: reportAbout(rep), StatusLabel: rep.Status.Label(), Open: rep.Status != report.StatusClosed})
	}
	title := "Segnalazioni"
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	s.render(w, r, status, templates.StaffReportsPage(s.staffPage(r, title, "segnalazioni", staffHome, templates.Crumb{Label: "Segnalazioni"}), v))
}

// reportAbout names what a report is about in the list.
func reportAbout(rep store.Report) string {
	var parts []string
	if rep.OfficeName != "" {
		parts = append(parts, rep.OfficeName)
	}
	if rep.PagePath != "" && (rep.OfficeName == "" || report.OfficeSlugOf(rep.PagePath) == "") {
		parts = append(parts, rep.PagePath)
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, ", ")
}

// staffReport shows a report with its answer form.
func (s *Server) staffReport(w http.ResponseWriter, r *http.Request) {
	rep := staffReportFrom(r.Context())
	s.renderStaffReport(w, r, http.StatusOK, rep, string(rep.Status), "", nil)
}

func (s *Server) renderStaffReport(w http.ResponseWriter, r *http.Request, status int, rep store.Report, chosen, answer string, errs map[string]string) {
	v := templates.StaffReportView{
		Code: rep.Code, Received: staffTime(rep.CreatedAt), Category: rep.Category.Label(), Office: rep.OfficeName, Page: rep.PagePath,
		StatusLabel: rep.Status.Label(), Description: rep.Description, Erased: rep.Erased, Name: rep.Name, Email: rep.Email,
		ReplyConsent: rep.ReplyConsent && rep.Email != "", LastAnswer: rep.Answer,
		Action: staffReportPath(rep.ID), Answer: answer, Errors: errs, ListHref: staffReportsPath,
	}
	if rep.AnsweredAt != nil {
		v.AnsweredAt = staffTime(*rep.AnsweredAt)
	}
	for _, st := range report.Statuses() {
		v.Statuses = append(v.Statuses, templates.Choice{ID: "stato-" + string(st), Value: string(st), Label: st.Label(), Selected: string(st) == chosen})
	}
	// The first option carries the group's id, the error summary's target.
	v.Statuses[0].ID = "stato"
	title := "Segnalazione " + rep.Code
	if status != http.StatusOK {
		title = "Errore – " + title
	}
	sp := s.staffPage(r, title, "segnalazioni", staffHome, templates.Crumb{Label: "Segnalazioni", Href: staffReportsPath},
		templates.Crumb{Label: rep.Code})
	s.render(w, r, status, templates.StaffReportPage(sp, v))
}

// staffReportUpdate saves the status and the answer (store.UpdateReport,
// which e-mails the answer to a citizen who asked for one and audits the
// change).
func (s *Server) staffReportUpdate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	rep := staffReportFrom(ctx)
	u, _ := staffFrom(ctx)
	chosen := r.PostFormValue("stato")
	answer := multiLine(r.PostFormValue("risposta"))
	errs := map[string]string{}
	if !report.Status(chosen).Valid() {
		errs["stato"] = "Scegli lo stato della segnalazione."
	}
	if msg := report.CheckAnswer(answer); msg != "" {
		errs["risposta"] = msg
	}
	if len(errs) > 0 {
		s.renderStaffReport(w, r, http.StatusUnprocessableEntity, rep, chosen, answer, errs)
		return
	}
	res, err := s.store.UpdateReport(ctx, store.ReportUpdate{ActorID: u.ID, ID: rep.ID, Scope: reportScope(u),
		Status: report.Status(chosen), Answer: answer})
	if errors.Is(err, store.ErrNotFound) {
		s.staffNotFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	switch {
	case !res.Changed:
		s.flash(r, "Nessuna modifica da salvare.")
	case res.Emailed:
		s.flash(r, "Segnalazione aggiornata: la risposta è stata inviata via e-mail alla persona.")
	default:
		s.flash(r, "Segnalazione aggiornata.")
	}
	http.Redirect(w, r, staffReportPath(rep.ID), http.StatusSeeOther)
}
