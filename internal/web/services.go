package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

var servicesCrumb = templates.Crumb{Label: "Servizi", Href: "/servizi"}

// servicesList renders /servizi: the categories of the published sheets,
// each leading to its page, then every service. The old topic filter
// (?argomento=slug) moved to the topic's own page.
func (s *Server) servicesList(w http.ResponseWriter, r *http.Request) {
	if topic := r.URL.Query().Get("argomento"); topic != "" {
		http.Redirect(w, r, topicPath(topic), http.StatusMovedPermanently)
		return
	}
	sheets, err := s.store.ListSheets(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	list := templates.ServiceList{Categories: categoryLinks(sheets), Services: serviceCards(sheets)}
	p := s.page(w, r, "Servizi", home, templates.Crumb{Label: "Servizi"})
	p.Section = "servizi"
	p.Description = "I servizi offerti ai cittadini attraverso gli Uffici della Cittadinanza dell'Umbria, per categoria."
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
	p := s.page(w, r, sh.Title, home, servicesCrumb, categoryCrumb(sh.Category), templates.Crumb{Label: sh.Title})
	p.Section = "servizi"
	p.Description = sh.Summary
	p.JSONLD = s.serviceJSONLD(sh)
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.SheetPage(p, withContent(sheetView(sh), shown)))
}

// sheetView maps a stored sheet to the Modello Comuni sections, in the
// model's order. Sections the model requires but the source leaves empty
// carry an honest sentence instead of invented content.
func sheetView(sh store.Sheet) templates.SheetView {
	v := templates.SheetView{
		Slug: sh.Slug, Title: sh.Title, Summary: sh.Summary, Active: sh.Active(), StatusReason: sh.StatusReason,
		Updated: sh.UpdatedOn.Format("02/01/2006"), Author: sh.Author,
	}
	for _, t := range sh.Topics {
		v.Topics = append(v.Topics, templates.TopicChip{Name: t.Name, Href: topicPath(t.Slug)})
	}
	add := func(sec templates.SheetSection) {
		sec.HTML = paragraph(sec.HTML)
		v.Sections = append(v.Sections, sec)
	}
	add(templates.SheetSection{ID: "a-chi-e-rivolto", Title: "A chi è rivolto", Element: "service-addressed", HTML: sh.AddressedHTML,
		Empty: "La scheda non indica a chi è rivolto il servizio: chiedi all'ufficio del tuo Comune."})
	if sh.DescriptionHTML != "" {
		add(templates.SheetSection{ID: "descrizione", Title: "Descrizione", Element: "service-extended-description", HTML: sh.DescriptionHTML})
	}
	add(templates.SheetSection{ID: "come-fare", Title: "Come fare", Element: "service-how-to", HTML: sh.HowToHTML,
		Empty: "La scheda non descrive la procedura: chiedi all'ufficio del tuo Comune."})
	add(templates.SheetSection{ID: "cosa-serve", Title: "Cosa serve", Element: "service-needed", HTML: sh.NeededHTML,
		Empty: "La scheda del servizio non indica documenti da presentare. Se per la tua situazione servono documenti, te lo dirà l'ufficio al primo contatto."})
	add(templates.SheetSection{ID: "cosa-si-ottiene", Title: "Cosa si ottiene", Element: "service-achieved", HTML: sh.AchievedHTML,
		Empty: "La scheda non indica cosa si ottiene: chiedi all'ufficio del tuo Comune."})
	add(templates.SheetSection{ID: "tempi-e-scadenze", Title: "Tempi e scadenze", Element: "service-calendar-text", HTML: sh.CalendarHTML,
		Empty: "Il servizio non ha scadenze. Puoi rivolgerti all'ufficio negli orari di accoglienza; le date disponibili per un appuntamento ti vengono mostrate quando prenoti."})
	if sh.CostHTML != "" {
		add(templates.SheetSection{ID: "quanto-costa", Title: "Quanto costa", Element: "service-cost", HTML: sh.CostHTML})
	}
	add(templates.SheetSection{ID: "accedi-al-servizio", Title: "Accedi al servizio", Element: "service-generic-access", HTML: sh.AccessHTML, Kind: "access"})
	more := templates.SheetSection{ID: "ulteriori-informazioni", Title: "Ulteriori informazioni", Element: "service-more-info", HTML: sh.OtherInfoHTML, Kind: "legal"}
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
	add(templates.SheetSection{ID: "condizioni-di-servizio", Title: "Condizioni di servizio", Element: "service-file", Kind: "file",
		HTML: "<p>Per conoscere i termini e le condizioni di servizio, leggi i documenti qui sotto.</p>",
		Links: []templates.SheetLink{
			{Label: "Informativa sul trattamento dei dati personali per le prenotazioni", Href: "/privacy#prenotazioni", Note: "Come trattiamo i dati quando prenoti un appuntamento."},
			{Label: "Note legali e condizioni d'uso del portale", Href: "/note-legali", Note: "Licenza dei contenuti (CC BY 4.0) e uso del portale."},
		}})
	add(templates.SheetSection{ID: "contatti", Title: "Contatti", Element: "service-area", Kind: "contacts"})
	return v
}

// serviceJSONLD describes the service as a schema.org GovernmentService.
func (s *Server) serviceJSONLD(sh store.Sheet) string {
	audience := plainText(sh.AddressedHTML)
	if audience == "" {
		audience = "Tutti i cittadini"
	}
	doc := map[string]any{
		"@context":    "https://schema.org",
		"@type":       "GovernmentService",
		"inLanguage":  sh.Language(),
		"name":        sh.Title,
		"description": sh.Summary,
		"serviceType": sh.Category,
		"url":         s.cfg.BaseURL + "/servizi/" + sh.Slug,
		"serviceOperator": map[string]any{
			"@type": "GovernmentOrganization",
			"name":  s.cfg.OwnerName,
			"url":   s.cfg.OwnerURL,
		},
		"areaServed": map[string]any{"@type": "AdministrativeArea", "name": "Comuni dell'Umbria"},
		"audience":   map[string]any{"@type": "Audience", "audienceType": audience},
		"availableChannel": map[string]any{
			"@type":      "ServiceChannel",
			"name":       "Prenotazione online e sportello",
			"serviceUrl": s.cfg.BaseURL + "/prenota",
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
