package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// sheetSectionField is one Markdown section of the sheet editor: the
// form's textarea and where its source and HTML live in the sheet.
type sheetSectionField struct {
	ID    string
	Label string
	Hint  string
	md    func(*store.SheetMarkdown) *string
	html  func(*store.Sheet) *string
}

// sheetSectionFields are the sections in the order of the public page.
var sheetSectionFields = []sheetSectionField{
	{"a-chi-e-rivolto", "A chi è rivolto", "Chi può rivolgersi al servizio. Necessaria per pubblicare.",
		func(m *store.SheetMarkdown) *string { return &m.Addressed }, func(s *store.Sheet) *string { return &s.AddressedHTML }},
	{"descrizione", "Descrizione", "Che cos'è il servizio, più in dettaglio della descrizione breve. Se vuota, la sezione non compare.",
		func(m *store.SheetMarkdown) *string { return &m.Description }, func(s *store.Sheet) *string { return &s.DescriptionHTML }},
	{"come-fare", "Come fare", "I passi per ottenere il servizio. Necessaria per pubblicare.",
		func(m *store.SheetMarkdown) *string { return &m.HowTo }, func(s *store.Sheet) *string { return &s.HowToHTML }},
	{"cosa-serve", "Cosa serve", "Documenti e requisiti. Se vuota, la pagina dice che la scheda non indica documenti da presentare.",
		func(m *store.SheetMarkdown) *string { return &m.Needed }, func(s *store.Sheet) *string { return &s.NeededHTML }},
	{"cosa-si-ottiene", "Cosa si ottiene", "Il risultato per chi usa il servizio.",
		func(m *store.SheetMarkdown) *string { return &m.Achieved }, func(s *store.Sheet) *string { return &s.AchievedHTML }},
	{"tempi-e-scadenze", "Tempi e scadenze", "Attese e scadenze. Se vuota, la pagina dice che il servizio non ha scadenze.",
		func(m *store.SheetMarkdown) *string { return &m.Calendar }, func(s *store.Sheet) *string { return &s.CalendarHTML }},
	{"quanto-costa", "Quanto costa", "Se vuota, la sezione non compare.",
		func(m *store.SheetMarkdown) *string { return &m.Cost }, func(s *store.Sheet) *string { return &s.CostHTML }},
	{"accedi-al-servizio", "Accedi al servizio", "Dove e come rivolgersi. Il pulsante «Prenota appuntamento» compare comunque.",
		func(m *store.SheetMarkdown) *string { return &m.Access }, func(s *store.Sheet) *string { return &s.AccessHTML }},
	{"ulteriori-informazioni", "Ulteriori informazioni", "Altre informazioni utili; le fonti si scrivono nei campi qui sotto.",
		func(m *store.SheetMarkdown) *string { return &m.OtherInfo }, func(s *store.Sheet) *string { return &s.OtherInfoHTML }},
}

// sheetInput is the submitted sheet editor, values as typed.
type sheetInput struct {
	Title           string
	Summary         string
	Category        string
	Status          string
	StatusReason    string
	Publication     string
	Topics          []string
	Sections        map[string]string
	LegalSources    string
	OfficialSources string
	Note            string
	BaseVersion     int
	// Action is the button pressed: "salva", "anteprima" or "modifica"
	// (back from the preview).
	Action string
	Errors map[string]string

	legal, official []content.Link
}

// parseSheetInput reads the editor; topics must be in the vocabulary.
func parseSheetInput(r *http.Request, vocab []store.Topic) sheetInput {
	in := sheetInput{
		Title:           oneLine(r.PostFormValue("titolo")),
		Summary:         oneLine(r.PostFormValue("sintesi")),
		Category:        r.PostFormValue("categoria"),
		Status:          r.PostFormValue("stato"),
		StatusReason:    oneLine(r.PostFormValue("motivo")),
		Publication:     r.PostFormValue("pubblicazione"),
		Sections:        map[string]string{},
		LegalSources:    multiLine(r.PostFormValue("fonti-normative")),
		OfficialSources: multiLine(r.PostFormValue("fonti-ufficiali")),
		Note:            oneLine(r.PostFormValue("nota")),
		Action:          r.PostFormValue("azione"),
		Errors:          map[string]string{},
	}
	in.BaseVersion, _ = strconv.Atoi(r.PostFormValue("versione"))
	for _, f := range sheetSectionFields {
		in.Sections[f.ID] = multiLine(r.PostFormValue(f.ID))
	}
	for _, t := range r.PostForm["argomenti"] {
		if !slices.ContainsFunc(vocab, func(v store.Topic) bool { return v.Slug == t }) {
			in.Errors["argomenti"] = "Scegli gli argomenti dall'elenco."
			continue
		}
		if !slices.Contains(in.Topics, t) {
			in.Topics = append(in.Topics, t)
		}
	}
	return in
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// multiLine keeps the lines of a textarea, with Unix line ends and no
// blank margin.
func multiLine(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// Validate fills in.Errors. A draft may be incomplete; publishing needs
// what the Modello Comuni page cannot do without. newSheet also checks
// that the title can make an address.
func (in *sheetInput) Validate(newSheet bool) {
	publish := in.Publication == "published"
	tooLong := func(field, value string, n int, what string) bool {
		if utf8.RuneCountInString(value) > n {
			in.Errors[field] = fmt.Sprintf("%s può avere al massimo %d caratteri.", what, n)
			return true
		}
		return false
	}
	switch {
	case in.Title == "":
		in.Errors["titolo"] = "Inserisci il titolo del servizio."
	case tooLong("titolo", in.Title, content.MaxTitle, "Il titolo"):
	case newSheet && sheetSlug(in.Title) == "":
		in.Errors["titolo"] = "Il titolo deve contenere almeno una lettera o una cifra."
	}
	if !tooLong("sintesi", in.Summary, content.MaxSummary, "La descrizione breve") && publish && in.Summary == "" {
		in.Errors["sintesi"] = "Per pubblicare la scheda scrivi la descrizione breve."
	}
	switch {
	case in.Category == "":
		in.Errors["categoria"] = "Scegli la categoria del servizio."
	case !content.IsCategory(in.Category):
		in.Errors["categoria"] = "Scegli una categoria dall'elenco."
	}
	switch in.Status {
	case "active":
	case "inactive":
		if in.StatusReason == "" {
			in.Errors["motivo"] = "Scrivi perché il servizio non è attivo: i cittadini lo leggono sulla pagina."
		}
	default:
		in.Errors["stato"] = "Scegli se il servizio è attivo."
	}
	tooLong("motivo", in.StatusReason, content.MaxReason, "Il motivo")
	if in.Publication != "draft" && in.Publication != "published" {
		in.Errors["pubblicazione"] = "Scegli se pubblicare la scheda o tenerla in bozza."
	}
	if publish && len(in.Topics) == 0 && in.Errors["argomenti"] == "" {
		in.Errors["argomenti"] = "Per pubblicare la scheda scegli almeno un argomento."
	}
	for _, f := range sheetSectionFields {
		tooLong(f.ID, in.Sections[f.ID], content.MaxSection, "La sezione")
	}
	if publish {
		if in.Errors["a-chi-e-rivolto"] == "" && content.Render(in.Sections["a-chi-e-rivolto"]) == "" {
			in.Errors["a-chi-e-rivolto"] = "Per pubblicare la scheda scrivi a chi è rivolto il servizio."
		}
		if in.Errors["come-fare"] == "" && content.Render(in.Sections["come-fare"]) == "" {
			in.Errors["come-fare"] = "Per pubblicare la scheda scrivi come fare per ottenere il servizio."
		}
	}
	var problems []string
	if !tooLong("fonti-normative", in.LegalSources, content.MaxSources, "L'elenco delle fonti normative") {
		in.legal, problems = content.ParseLinks(in.LegalSources)
		if len(problems) > 0 {
			in.Errors["fonti-normative"] = strings.Join(problems, " ")
		}
	}
	if !tooLong("fonti-ufficiali", in.OfficialSources, content.MaxSources, "L'elenco delle fonti ufficiali") {
		in.official, problems = content.ParseLinks(in.OfficialSources)
		if len(problems) > 0 {
			in.Errors["fonti-ufficiali"] = strings.Join(problems, " ")
		}
	}
	tooLong("nota", in.Note, content.MaxNote, "La nota")
}

// sheetInputOf is the editor filled with a stored sheet. Sections come
// from the Markdown source, or are written from the HTML when the sheet
// has none (the imported one).
func sheetInputOf(sh store.Sheet) sheetInput {
	in := sheetInput{
		Title: sh.Title, Summary: sh.Summary, Category: sh.Category, Status: sh.ServiceStatus, StatusReason: sh.StatusReason,
		Publication: sh.Publication, Sections: map[string]string{}, BaseVersion: sh.Version, Errors: map[string]string{},
	}
	for _, t := range sh.Topics {
		in.Topics = append(in.Topics, t.Slug)
	}
	for _, f := range sheetSectionFields {
		if sh.Markdown != nil {
			in.Sections[f.ID] = *f.md(sh.Markdown)
		} else {
			in.Sections[f.ID] = content.FromHTML(*f.html(&sh))
		}
	}
	in.LegalSources = content.FormatLinks(contentLinks(sh.LegalSources))
	in.OfficialSources = content.FormatLinks(contentLinks(sh.OfficialSources))
	return in
}

func contentLinks(ls []store.Link) []content.Link {
	out := make([]content.Link, 0, len(ls))
	for _, l := range ls {
		out = append(out, content.Link{Title: l.Title, URL: l.URL})
	}
	return out
}

func storeLinks(ls []content.Link) []store.Link {
	out := make([]store.Link, 0, len(ls))
	for _, l := range ls {
		out = append(out, store.Link{Title: l.Title, URL: l.URL})
	}
	return out
}

// sheetOf applies a validated input to base (the stored sheet, or a new
// one): the sections are rendered from Markdown and sanitised; what the
// editor does not show (source category, territorial scope, author) is
// kept. Topics keep their current order, new ones follow in the
// vocabulary's order.
func sheetOf(base store.Sheet, in sheetInput, vocab []store.Topic) store.Sheet {
	sh := base
	sh.Title, sh.Summary, sh.Category = in.Title, in.Summary, in.Category
	sh.ServiceStatus, sh.StatusReason, sh.Publication = in.Status, in.StatusReason, in.Publication
	if sh.ServiceStatus == "active" {
		sh.StatusReason = ""
	}
	md := &store.SheetMarkdown{}
	for _, f := range sheetSectionFields {
		*f.md(md) = in.Sections[f.ID]
		*f.html(&sh) = content.Render(in.Sections[f.ID])
	}
	sh.Markdown = md
	sh.LegalSources, sh.OfficialSources = storeLinks(in.legal), storeLinks(in.official)
	sh.Topics = []store.Topic{}
	for _, t := range base.Topics {
		if slices.Contains(in.Topics, t.Slug) {
			sh.Topics = append(sh.Topics, t)
		}
	}
	for _, t := range vocab {
		if slices.Contains(in.Topics, t.Slug) && !slices.ContainsFunc(sh.Topics, func(x store.Topic) bool { return x.Slug == t.Slug }) {
			sh.Topics = append(sh.Topics, t)
		}
	}
	return sh
}

// sheetForm builds the editor's view from input values.
func sheetForm(in sheetInput, vocab []store.Topic) templates.StaffSheetForm {
	f := templates.StaffSheetForm{
		Title: in.Title, Summary: in.Summary, Category: in.Category, Status: in.Status, StatusReason: in.StatusReason,
		Publication: in.Publication, LegalSources: in.LegalSources, OfficialSources: in.OfficialSources, Note: in.Note,
		BaseVersion: in.BaseVersion, Errors: in.Errors,
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for _, c := range content.Categories() {
		f.Categories = append(f.Categories, templates.Choice{Value: c, Label: c, Selected: c == in.Category})
	}
	for _, t := range vocab {
		f.Topics = append(f.Topics, templates.Choice{Value: t.Slug, Label: t.Name, Selected: slices.Contains(in.Topics, t.Slug)})
	}
	for _, s := range sheetSectionFields {
		f.Sections = append(f.Sections, templates.StaffSheetSection{ID: s.ID, Label: s.Label, Hint: s.Hint,
			Value: in.Sections[s.ID], Error: f.Errors[s.ID]})
	}
	return f
}

// hiddenFields carries an input through the preview.
func (in sheetInput) hiddenFields() []templates.HiddenField {
	h := []templates.HiddenField{
		{Name: "versione", Value: strconv.Itoa(in.BaseVersion)},
		{Name: "titolo", Value: in.Title}, {Name: "sintesi", Value: in.Summary}, {Name: "categoria", Value: in.Category},
		{Name: "stato", Value: in.Status}, {Name: "motivo", Value: in.StatusReason}, {Name: "pubblicazione", Value: in.Publication},
	}
	for _, t := range in.Topics {
		h = append(h, templates.HiddenField{Name: "argomenti", Value: t})
	}
	for _, f := range sheetSectionFields {
		h = append(h, templates.HiddenField{Name: f.ID, Value: in.Sections[f.ID]})
	}
	return append(h, templates.HiddenField{Name: "fonti-normative", Value: in.LegalSources},
		templates.HiddenField{Name: "fonti-ufficiali", Value: in.OfficialSources}, templates.HiddenField{Name: "nota", Value: in.Note})
}
