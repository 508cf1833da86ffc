package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

var servicesCrumb = templates.Crumb{Label: "Servizi", Href: "/servizi"}

// servicesCrumbOf is servicesCrumb in l's language.
func servicesCrumbOf(l *i18n.Localizer) templates.Crumb {
	return templates.Crumb{Label: l.T("page.services.title"), Href: "/servizi"}
}

// servicesList renders /servizi: the categories of the published sheets,
// each leading to its page, then every service. The old topic filter
// (?argomento=slug) moved to the topic's own page.
func (s *Server) servicesList(w http.ResponseWriter, r *http.Request) {
	if topic := r.URL.Query().Get("argomento"); topic != "" {
		http.Redirect(w, r, s.link(r, topicPath(topic)), http.StatusMovedPermanently)
		return
	}
	sheets, err := s.listSheets(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := s.loc(r)
	list := templates.ServiceList{Categories: categoryLinks(l, sheets), Services: serviceCards(l, sheets)}
	p := s.page(w, r, l.T("page.services.title"), home, templates.Crumb{Label: l.T("page.services.title")})
	p.Section = "servizi"
	p.Description = l.T("page.services.meta")
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.ServicesPage(p, list))
}

// serviceSheet renders /servizi/{slug}.
func (s *Server) serviceSheet(w http.ResponseWriter, r *http.Request) {
	sh, err := s.store.SheetBySlug(r.Context(), chi.URLParam(r, "slug"))
	if errors.Is(err, store.ErrNotFound) {
		s.notFound(w, r)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	shown, err := s.sheetInLang(r, &sh)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := s.loc(r)
	p := s.page(w, r, sh.Title, home, servicesCrumbOf(l), categoryCrumb(l, sh.Category), templates.Crumb{Label: sh.Title, Data: true})
	p.Section = "servizi"
	p.Description = sh.Summary
	p.JSONLD = s.serviceJSONLD(sh, langOf(r))
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.SheetPage(p, withContent(sheetView(l, sh), shown)))
}

// sheetView maps a stored sheet to the Modello Comuni sections, in the
// model's order, with the page's own texts in l's language. Sections the
// model requires but the source leaves empty carry an honest sentence
// instead of invented content.
func sheetView(l *i18n.Localizer, sh store.Sheet) templates.SheetView {
	v := templates.SheetView{
		Slug: sh.Slug, Title: sh.Title, Summary: sh.Summary, Active: sh.Active(), StatusReason: sh.StatusReason,
		Updated: sh.UpdatedOn.Format("02/01/2006"), Author: sh.Author,
	}
	for _, t := range sh.Topics {
		v.Topics = append(v.Topics, templates.TopicChip{Name: topicName(l, t), Href: topicPath(t.Slug)})
	}
	add := func(sec templates.SheetSection) {
		sec.HTML = paragraph(sec.HTML)
		v.Sections = append(v.Sections, sec)
	}
	add(templates.SheetSection{ID: "a-chi-e-rivolto", Title: l.T("page.sheet.section.addressed"), Element: "service-addressed", HTML: sh.AddressedHTML,
		Empty: l.T("page.sheet.empty.addressed")})
	if sh.DescriptionHTML != "" {
		add(templates.SheetSection{ID: "descrizione", Title: l.T("page.sheet.section.extended"), Element: "service-extended-description", HTML: sh.DescriptionHTML})
	}
	add(templates.SheetSection{ID: "come-fare", Title: l.T("page.sheet.section.how_to"), Element: "service-how-to", HTML: sh.HowToHTML,
		Empty: l.T("page.sheet.empty.how_to")})
	add(templates.SheetSection{ID: "cosa-serve", Title: l.T("page.sheet.section.needed"), Element: "service-needed", HTML: sh.NeededHTML,
		Empty: l.T("page.sheet.empty.needed")})
	add(templates.SheetSection{ID: "cosa-si-ottiene", Title: l.T("page.sheet.section.achieved"), Element: "service-achieved", HTML: sh.AchievedHTML,
		Empty: l.T("page.sheet.empty.achieved")})
	add(templates.SheetSection{ID: "tempi-e-scadenze", Title: l.T("page.sheet.section.calendar"), Element: "service-calendar-text", HTML: sh.CalendarHTML,
		Empty: l.T("page.sheet.empty.calendar")})
	if sh.CostHTML != "" {
		add(templates.SheetSection{ID: "quanto-costa", Title: l.T("page.sheet.section.cost"), Element: "service-cost", HTML: sh.CostHTML})
	}
	add(templates.SheetSection{ID: "accedi-al-servizio", Title: l.T("page.sheet.section.access"), Element: "service-generic-access", HTML: sh.AccessHTML, Kind: "access"})
	more := templates.SheetSection{ID: "ulteriori-informazioni", Title: l.T("page.sheet.section.more"), Element: "service-more-info", HTML: sh.OtherInfoHTML, Kind: "legal"}
	for _, l := range sh.LegalSources {
		more.Links = append(more.Links, templates.SheetLink{Label: l.Title, Href: l.URL})
	}
	for _, l := range sh.OfficialSources {
		// A source without a known address is named as plain text: that the
		// old sheet lacked it is the editors' business, not the citizen's.
		more.Extra = append(more.Extra, templates.SheetLink{Label: l.Title, Href: l.URL})
	}
	if more.HTML != "" || len(more.Links) > 0 || len(more.Extra) > 0 {
		add(more)
	}
	add(templates.SheetSection{ID: "condizioni-di-servizio", Title: l.T("page.sheet.section.conditions"), Element: "service-file", Kind: "file",
		Intro: l.T("page.sheet.conditions.intro"),
		Links: []templates.SheetLink{
			{Label: l.T("page.sheet.conditions.privacy"), Href: l.Lang().Path("/privacy#prenotazioni"), Note: l.T("page.sheet.conditions.privacy_note")},
			{Label: l.T("page.sheet.conditions.legal"), Href: l.Lang().Path("/note-legali"), Note: l.T("page.sheet.conditions.legal_note")},
		}})
	add(templates.SheetSection{ID: "contatti", Title: l.T("page.sheet.section.contacts"), Element: "service-area", Kind: "contacts"})
	return v
}

// serviceJSONLD describes the service as a schema.org GovernmentService,
// on the page of language page (its url, and the booking's).
func (s *Server) serviceJSONLD(sh store.Sheet, page i18n.Lang) string {
	// Its prose is in the language of the content it describes.
	l := s.catalog.Localizer(i18n.Lang(sh.Language()))
	audience := plainText(sh.AddressedHTML)
	if audience == "" {
		audience = l.T("page.sheet.jsonld.audience")
	}
	doc := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "GovernmentService",
		"inLanguage":  sh.Language(),
		"name":        sh.Title,
		"description": sh.Summary,
		"serviceType": categoryName(l, sh.Category),
		"url":         s.cfg.BaseURL + page.Path("/servizi/"+sh.Slug),
		"serviceOperator": map[string]any{
			"@type": "GovernmentOrganization",
			"name":  s.cfg.OwnerName,
			"url":   s.cfg.OwnerURL,
		},
		"areaServed": map[string]any{"@type": "AdministrativeArea", "name": l.T("page.sheet.jsonld.area")},
		"audience":   map[string]any{"@type": "Audience", "audienceType": audience},
		"availableChannel": map[string]any{
			"@type":      "ServiceChannel",
			"name":       l.T("page.sheet.jsonld.channel"),
			"serviceUrl": s.cfg.BaseURL + page.Path("/prenota"),
			"serviceLocation": map[string]any{
				"@type": "Place",
				"name":  "Ufficio della Cittadinanza di Ponte San Giovanni (Centro civico Euliste)",
				"address": map[string]any{
					"@type":           "PostalAddress",
					"streetAddress":   "Via Cestellini",
					"postalCode":      "06135",
					"addressLocality": "Perugia",
					"addressRegion":   "PG",
					"addressCountry":  "IT",
				},
			},
		},
	}
	if !sh.Active() {
		doc["serviceStatus"] = "inactive"
	}
	b, _ := json.Marshal(doc)
	// Keep "</script>" impossible inside the script element.
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(string(b))
}

// paragraph wraps inline-only sanitised HTML in a <p>, so plain-text
// sections get the same typography as those with paragraphs.
func paragraph(h string) string {
	t := strings.TrimSpace(h)
	if t == "" || strings.HasPrefix(t, "<p") || strings.HasPrefix(t, "<ul") || strings.HasPrefix(t, "<ol") {
		return t
	}
	return "<p>" + t + "</p>"
}
