package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/report"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The public report of a problem (/segnala-disservizio). The form carries
// no per-visitor token: the page may be served to everyone from a cache,
// and the POST is guarded by http.CrossOriginProtection (every request), a
// honeypot and a limit per client address, like the booking's final step.

// Limits of the report form per client address.
const (
	reportWindow = time.Hour
	reportMax    = 10
)

// reportDonePath is the confirmation page; the code travels in its query
// (it is not personal data, and the page shows only codes that exist).
const reportDonePath = "/segnala-disservizio/inviata"

// reportFormView is the empty form, with its options.
func (s *Server) reportFormView(r *http.Request) (templates.ReportForm, error) {
	v := templates.ReportForm{DescriptionMax: report.MaxDescription, DescriptionHint: report.DescriptionHint,
		FieldOrder: report.Fields(), Errors: map[string]string{}}
	for _, c := range report.Categories() {
		v.Categories = append(v.Categories, templates.Choice{Value: string(c), Label: c.Label()})
	}
	d, err := s.offices.get(r.Context())
	if err != nil {
		return v, err
	}
	for _, o := range d.offices {
		v.Offices = append(v.Offices, templates.Choice{Value: o.Slug, Label: o.Name})
	}
	return v, nil
}

// reportForm shows the form. ?pagina names the page the citizen comes
// from: a path of this site fills in the page (and the office, for an
// office's page); anything else is ignored.
func (s *Server) reportForm(w http.ResponseWriter, r *http.Request) {
	v, err := s.reportFormView(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if pg, ok := report.LocalPath(r.URL.Query().Get("pagina")); ok {
		v.PagePath = pg
		if slug := report.OfficeSlugOf(pg); slug != "" && hasChoice(v.Offices, slug) {
			v.Office = slug
		}
	}
	s.render(w, r, http.StatusOK, templates.ReportFormPage(s.reportPage(w, r, "Segnalazione disservizio"), v))
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, title string) templates.Page {
	p := s.page(w, r, title, home, templates.Crumb{Label: "Segnalazione disservizio"})
	p.Description = "Segnala un problema con un Ufficio della Cittadinanza o con il portale, senza account."
	return p
}

func hasChoice(cs []templates.Choice, v string) bool {
	for _, c := range cs {
		if c.Value == v {
			return true
		}
	}
	return false
}

// reportSubmit stores a report (store.CreateReport, which queues the
// receipt) and sends the citizen to the confirmation. Bad input shows the
// form again with the messages and everything typed (422).
func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, http.StatusBadRequest, "Richiesta non valida", "Il modulo inviato non è leggibile: torna alla pagina precedente e riprova.")
		return
	}
	f := report.Form{
		Category: r.PostFormValue(report.FieldCategory), Description: r.PostFormValue(report.FieldDescription),
		PagePath: r.PostFormValue(report.FieldPage), OfficeSlug: r.PostFormValue(report.FieldOffice),
		Name: r.PostFormValue(report.FieldName), Email: r.PostFormValue(report.FieldEmail),
		ReplyConsent: r.PostFormValue(report.FieldConsent) != "", PrivacyAccepted: r.PostFormValue(report.FieldPrivacy) != "",
	}
	f.Normalize()
	v, err := s.reportFormView(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v.Category, v.Description, v.PagePath, v.Office, v.Name, v.Email = f.Category, f.Description, f.PagePath, f.OfficeSlug, f.Name, f.Email
	v.ReplyConsent, v.PrivacyAccepted = f.ReplyConsent, f.PrivacyAccepted
	again := func(status int, title string) {
		s.render(w, r, status, templates.ReportFormPage(s.reportPage(w, r, title), v))
	}
	if r.PostFormValue(honeypotField) != "" {
		v.Problem = "La segnalazione contiene dati non validi e non è stata registrata."
		again(http.StatusUnprocessableEntity, "Errore – Segnalazione disservizio")
		return
	}
	v.Errors = f.Validate()
	d, err := s.offices.get(ctx)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var officeID int64
	if f.OfficeSlug != "" {
		if i, ok := d.officeBySlug[f.OfficeSlug]; ok {
			officeID = d.offices[i].ID
		} else {
			v.Errors[report.FieldOffice] = "Scegli un ufficio dall'elenco, oppure «Nessun ufficio in particolare»."
		}
	}
	if len(v.Errors) > 0 {
		again(http.StatusUnprocessableEntity, "Errore – Segnalazione disservizio")
		return
	}
	page, _ := report.LocalPath(f.PagePath)
	if officeID == 0 {
		// A report about an office's page is about that office.
		if i, ok := d.officeBySlug[report.OfficeSlugOf(page)]; ok {
			officeID = d.offices[i].ID
		}
	}
	allowed, err := s.store.AllowSubmission(ctx, "report-ip:"+s.clientIP(r), s.now(), reportWindow, reportMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		v.Problem = "Da questa connessione sono state inviate molte segnalazioni in poco tempo: per sicurezza le accettiamo di nuovo tra un'ora. " +
			"Quello che hai scritto è ancora qui sotto."
		again(http.StatusTooManyRequests, "Troppe segnalazioni – Segnalazione disservizio")
		return
	}
	rep, err := s.store.CreateReport(ctx, store.NewReport{Category: report.Category(f.Category), Description: f.Description,
		PagePath: page, OfficeID: officeID, Name: f.Name, Email: f.Email, ReplyConsent: f.ReplyConsent})
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// No personal data: only that a report arrived, of which kind.
	s.log.Info("report received", "request_id", middleware.GetReqID(ctx), "category", f.Category, "office_id", officeID)
	http.Redirect(w, r, reportDonePath+"?codice="+url.QueryEscape(rep.Code), http.StatusSeeOther)
}

// reportDone is «Segnalazione inviata» for an existing code; any other
// code is 404, so the page cannot be made to show an invented one.
func (s *Server) reportDone(w http.ResponseWriter, r *http.Request) {
	c := r.URL.Query().Get("codice")
	if !report.ValidCode(c) {
		s.notFound(w, r)
		return
	}
	ok, err := s.store.ReportExists(r.Context(), c)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	p := s.page(w, r, "Segnalazione inviata", home, templates.Crumb{Label: "Segnalazione disservizio", Href: "/segnala-disservizio"},
		templates.Crumb{Label: "Segnalazione inviata"})
	s.render(w, r, http.StatusOK, templates.ReportDonePage(p, templates.ReportDone{Code: c}))
}
