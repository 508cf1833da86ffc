package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/i18n"
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
	l := s.loc(r)
	v := templates.ReportForm{DescriptionMax: report.MaxDescription, DescriptionHint: l.T("report.form.description_hint", "Max", report.MaxDescription),
		FieldOrder: report.Fields(), Errors: map[string]string{}}
	for _, c := range report.Categories() {
		v.Categories = append(v.Categories, templates.Choice{Value: string(c), Label: l.T("report.category." + string(c))})
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
		if slug := report.OfficeSlugOf(s.withoutLang(pg)); slug != "" && hasChoice(v.Offices, slug) {
			v.Office = slug
		}
	}
	s.render(w, r, http.StatusOK, templates.ReportFormPage(s.reportPage(w, r, s.loc(r).T("report.form.title")), v))
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, title string) templates.Page {
	l := s.loc(r)
	p := s.page(w, r, title, home, templates.Crumb{Label: l.T("report.form.title")})
	p.Description = l.T("report.form.description_meta")
	return p
}

// withoutLang returns path p of this site without its language prefix
// ("/en/uffici/x" → "/uffici/x").
func (s *Server) withoutLang(p string) string {
	for _, l := range s.catalog.Langs() {
		pre := l.Prefix()
		if pre == "" {
			continue
		}
		if p == pre {
			return "/"
		}
		if strings.HasPrefix(p, pre+"/") {
			return strings.TrimPrefix(p, pre)
		}
	}
	return p
}

// reportErrorIDs are the catalogue IDs of report.Form.Validate's
// messages, which are Italian (the staff's side shares them).
var reportErrorIDs = map[string]string{
	"Scegli il tipo di disservizio.":                                                                              "report.error.category",
	"Descrivi il disservizio.":                                                                                    "report.error.description_empty",
	"La descrizione contiene caratteri non ammessi.":                                                              "report.error.description_bytes",
	"Il nome contiene caratteri non ammessi.":                                                                     "report.error.name_bytes",
	"Inserisci un indirizzo e-mail valido, ad esempio nome@esempio.it.":                                           "report.error.email",
	"Hai chiesto una risposta via e-mail: inserisci il tuo indirizzo e-mail.":                                     "report.error.email_needed",
	"Per inviare la segnalazione devi dichiarare di aver letto l'informativa sulla privacy.":                      "report.error.privacy",
	"Indica l'indirizzo di una pagina di questo portale, ad esempio /uffici/perugia-centro, oppure lascia vuoto.": "report.error.page",
}

// reportErrors translates the messages of report.Form.Validate.
func reportErrors(l *i18n.Localizer, f report.Form, errs map[string]string) map[string]string {
	out := make(map[string]string, len(errs))
	for field, msg := range errs {
		if id, ok := reportErrorIDs[msg]; ok {
			out[field] = l.T(id)
			continue
		}
		switch field {
		case report.FieldDescription:
			out[field] = l.T("report.error.description_long", "Max", report.MaxDescription, "Count", utf8.RuneCountInString(f.Description))
		case report.FieldName:
			out[field] = l.T("report.error.name_long", "Max", report.MaxName)
		case report.FieldEmail:
			out[field] = l.T("report.error.email_long", "Max", report.MaxEmail)
		default:
			out[field] = msg
		}
	}
	return out
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
		s.errorPage(w, r, http.StatusBadRequest, s.loc(r).T("error.bad_form_title"), s.loc(r).T("error.bad_form"))
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
	l := s.loc(r)
	if r.PostFormValue(honeypotField) != "" {
		v.Problem = l.T("report.error.invalid")
		again(http.StatusUnprocessableEntity, l.T("report.form.error_title"))
		return
	}
	v.Errors = reportErrors(l, f, f.Validate())
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
			v.Errors[report.FieldOffice] = l.T("report.error.office")
		}
	}
	if len(v.Errors) > 0 {
		again(http.StatusUnprocessableEntity, l.T("report.form.error_title"))
		return
	}
	page, _ := report.LocalPath(f.PagePath)
	if officeID == 0 {
		// A report about an office's page is about that office.
		if i, ok := d.officeBySlug[report.OfficeSlugOf(s.withoutLang(page))]; ok {
			officeID = d.offices[i].ID
		}
	}
	allowed, err := s.store.AllowSubmission(ctx, "report-ip:"+s.clientIP(r), s.now(), reportWindow, reportMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		v.Problem = l.T("report.error.too_many")
		again(http.StatusTooManyRequests, l.T("report.form.too_many_title"))
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
	http.Redirect(w, r, s.link(r, reportDonePath+"?codice="+url.QueryEscape(rep.Code)), http.StatusSeeOther)
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
	l := s.loc(r)
	p := s.page(w, r, l.T("report.done.title"), home, templates.Crumb{Label: l.T("report.form.title"), Href: "/segnala-disservizio"},
		templates.Crumb{Label: l.T("report.done.title")})
	s.render(w, r, http.StatusOK, templates.ReportDonePage(p, templates.ReportDone{Code: c}))
}
