package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Staff edit the content citizens read (sheets, FAQ, office notes) in
// Italian at the usual addresses and in each other language of the
// catalogue one level down: /area-riservata/schede/{slug}/en, …/faq/{id}/en,
// …/uffici/{id}/note/en. A «Italiano | English» choice of plain links
// leads from one to the other. The staff pages themselves stay Italian.

// contentLangKey carries the language chosen by staffContentLang.
type contentLangKey struct{}

// staffContentLang guards the /{lang} subtrees of the editors: a language
// of the catalogue other than Italian, or 404.
func (s *Server) staffContentLang(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l := i18n.Lang(chi.URLParam(r, "lang"))
		if l == i18n.Default || !s.catalog.Has(l) {
			s.staffNotFound(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), contentLangKey{}, string(l))))
	})
}

// staffContentLangFrom returns the language being edited: Italian outside
// a /{lang} subtree.
func staffContentLangFrom(ctx context.Context) string {
	if l, ok := ctx.Value(contentLangKey{}).(string); ok {
		return l
	}
	return store.DefaultLang
}

// langSuffix is "" for Italian, "/en" for English.
func langSuffix(lang string) string { return i18n.Lang(lang).Prefix() }

// staffSheetLangPath is the editor of a sheet's content in lang.
func staffSheetLangPath(slug, lang string) string { return staffSheetPath(slug) + langSuffix(lang) }

// staffLangName names a content language in Italian, for the staff
// pages (languageName).
func staffLangName(lang string) string { return languageName(i18n.Lang(lang)) }

// langTabs is the choice of the language to edit: every language of the
// catalogue, each at href(lang).
func (s *Server) langTabs(current string, href func(lang string) string) []templates.StaffLangTab {
	var tabs []templates.StaffLangTab
	for _, l := range s.catalog.Langs() {
		tabs = append(tabs, templates.StaffLangTab{Lang: string(l), Label: s.catalog.Name(l), Href: href(string(l)), Current: string(l) == current})
	}
	return tabs
}

// sheetTitleIn names a sheet on the staff pages about its content in lang.
func sheetTitleIn(sh store.Sheet, lang string) string {
	if lang == store.DefaultLang {
		return sh.Title
	}
	return sh.Title + " (" + strings.ToUpper(lang) + ")"
}

// sheetVersionIn is the current version of the sheet's content in lang:
// 0 when the sheet has no text in lang yet.
func (s *Server) sheetVersionIn(r *http.Request, sh store.Sheet, lang string) (int, error) {
	if lang == store.DefaultLang {
		return sh.Version, nil
	}
	t, err := s.store.SheetText(r.Context(), sh.ID, lang)
	if errors.Is(err, store.ErrNotFound) {
		return 0, nil
	}
	return t.Version, err
}

// sheetFieldTextsIn is sheetFieldTexts for a version in lang: in another
// language only the prose is compared.
func sheetFieldTextsIn(sh store.Sheet, lang string) []fieldText {
	all := sheetFieldTexts(sh)
	if lang == store.DefaultLang {
		return all
	}
	keep := map[string]bool{"Titolo": true, "Descrizione breve": true, "Pagina aggiornata il": true}
	for _, f := range sheetSectionFields {
		keep[f.Label] = true
	}
	var out []fieldText
	for _, f := range all {
		if keep[f.label] {
			out = append(out, f)
		}
	}
	return out
}

// sheetTextInput is the submitted editor of a sheet in another language.
type sheetTextInput struct {
	Title       string
	Summary     string
	Sections    map[string]string
	Note        string
	BaseVersion int
	Errors      map[string]string
}

func parseSheetTextInput(r *http.Request) sheetTextInput {
	in := sheetTextInput{Title: oneLine(r.PostFormValue("titolo")), Summary: oneLine(r.PostFormValue("sintesi")),
		Note: oneLine(r.PostFormValue("nota")), Sections: map[string]string{}, Errors: map[string]string{}}
	in.BaseVersion, _ = strconv.Atoi(r.PostFormValue("versione"))
	for _, f := range sheetSectionFields {
		in.Sections[f.ID] = multiLine(r.PostFormValue(f.ID))
	}
	return in
}

// Validate fills in.Errors: the same limits as the Italian sheet; the
// title is needed, the rest may stay empty.
func (in *sheetTextInput) Validate() {
	tooLong := func(field, value string, n int, what string) {
		if utf8.RuneCountInString(value) > n {
			in.Errors[field] = fmt.Sprintf("%s può avere al massimo %d caratteri.", what, n)
		}
	}
	if in.Title == "" {
		in.Errors["titolo"] = "Inserisci il titolo del servizio."
	}
	tooLong("titolo", in.Title, content.MaxTitle, "Il titolo")
	tooLong("sintesi", in.Summary, content.MaxSummary, "La descrizione breve")
	for _, f := range sheetSectionFields {
		tooLong(f.ID, in.Sections[f.ID], content.MaxSection, "La sezione")
	}
	tooLong("nota", in.Note, content.MaxNote, "La nota")
}

// text is the validated input as the store saves it: the sections
// rendered from Markdown and sanitised, exactly as for Italian.
func (in sheetTextInput) text() store.Sheet {
	sh := store.Sheet{Title: in.Title, Summary: in.Summary, Markdown: &store.SheetMarkdown{}}
	for _, f := range sheetSectionFields {
		*f.md(sh.Markdown) = in.Sections[f.ID]
		*f.html(&sh) = content.Render(in.Sections[f.ID])
	}
	return sh
}

// staffSheetTextEdit shows the editor of a sheet in another language,
// empty when it has no text in that language yet.
func (s *Server) staffSheetTextEdit(w http.ResponseWriter, r *http.Request) {
	sh := staffSheetFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	t, err := s.store.SheetText(r.Context(), sh.ID, lang)
	in := sheetTextInput{Sections: map[string]string{}, Errors: map[string]string{}}
	switch {
	case errors.Is(err, store.ErrNotFound):
		t = store.Sheet{}
	case err != nil:
		s.serverError(w, r, err)
		return
	default:
		src := sheetInputOf(t)
		in.Title, in.Summary, in.Sections, in.BaseVersion = t.Title, t.Summary, src.Sections, t.Version
	}
	s.renderSheetTextForm(w, r, http.StatusOK, sh, t, in, "")
}

// staffSheetTextSave saves a sheet in another language as a new version
// of that language. If someone saved it since the form was opened,
// nothing is written and the form comes back (409) with the typed text.
func (s *Server) staffSheetTextSave(w http.ResponseWriter, r *http.Request) {
	sh := staffSheetFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	in := parseSheetTextInput(r)
	in.Validate()
	cur, err := s.store.SheetText(r.Context(), sh.ID, lang)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	if len(in.Errors) > 0 {
		s.renderSheetTextForm(w, r, http.StatusUnprocessableEntity, sh, cur, in, "")
		return
	}
	me, _ := staffFrom(r.Context())
	res, err := s.store.SaveSheetText(r.Context(), store.SheetTextEdit{SheetID: sh.ID, Lang: lang, Text: in.text(),
		BaseVersion: in.BaseVersion, ActorID: me.ID, ChangedBy: me.Email, Note: in.Note, Today: s.today()})
	switch {
	case errors.Is(err, store.ErrSheetConflict):
		latest, err := s.store.SheetText(r.Context(), sh.ID, lang)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		in.BaseVersion = latest.Version
		s.renderSheetTextForm(w, r, http.StatusConflict, sh, latest, in, fmt.Sprintf(
			"Mentre modificavi, qualcun altro ha salvato la scheda in %s (ora è alla versione %d). Il tuo testo è qui sotto, non salvato: "+
				"confrontalo con le versioni e, se salvi di nuovo, sostituirà quello attuale.", staffLangName(lang), latest.Version))
		return
	case s.staffStoreFailed(w, r, err):
		return
	}
	name := staffLangName(lang)
	switch {
	case !res.Changed:
		s.flash(r, "Nessuna modifica da salvare.")
	case sh.Publication == "published":
		s.flash(r, fmt.Sprintf("Scheda in %s salvata (versione %d): la pagina pubblica in %s è già aggiornata.", name, res.Version, name))
	default:
		s.flash(r, fmt.Sprintf("Scheda in %s salvata (versione %d). La scheda è una bozza: i cittadini non la vedono.", name, res.Version))
	}
	http.Redirect(w, r, staffSheetLangPath(sh.Slug, lang), http.StatusSeeOther)
}

// renderSheetTextForm shows the editor of sheet sh in the request's
// language, stored holding its current text (Version 0: none).
func (s *Server) renderSheetTextForm(w http.ResponseWriter, r *http.Request, status int, sh, stored store.Sheet, in sheetTextInput, problem string) {
	lang := staffContentLangFrom(r.Context())
	italian := sheetInputOf(sh)
	f := templates.StaffSheetTextForm{
		Tabs: s.langTabs(lang, func(l string) string { return staffSheetLangPath(sh.Slug, l) }), LangName: staffLangName(lang),
		Lang: lang, Action: staffSheetLangPath(sh.Slug, lang), Title: in.Title, ItalianTitle: sh.Title, Summary: in.Summary,
		ItalianSummary: sh.Summary, Note: in.Note, BaseVersion: in.BaseVersion, Errors: in.Errors, Problem: problem,
		Version: stored.Version, VersionsHref: staffVersionsPath(sh.Slug, lang),
	}
	if stored.Version > 0 {
		f.Updated = stored.UpdatedOn.Format("02/01/2006")
	}
	if sh.Publication == "published" {
		f.PublicHref = i18n.Lang(lang).Path("/servizi/" + sh.Slug)
	}
	for _, sec := range sheetSectionFields {
		f.Sections = append(f.Sections, templates.StaffSheetTextSection{Italian: italian.Sections[sec.ID],
			StaffSheetSection: templates.StaffSheetSection{ID: sec.ID, Label: sec.Label, Value: in.Sections[sec.ID], Error: in.Errors[sec.ID]}})
	}
	title := sheetTitleIn(sh, lang)
	sp := s.staffPage(r, "Modifica: "+title, "schede", staffHome, staffSheetsCrumb, templates.Crumb{Label: title})
	s.render(w, r, status, templates.StaffSheetTextFormPage(sp, f))
}

// staffFAQTextEdit shows the editor of a question in another language.
func (s *Server) staffFAQTextEdit(w http.ResponseWriter, r *http.Request) {
	it := staffFAQFrom(r.Context())
	t, err := s.store.FAQTextOf(r.Context(), it.ID, staffContentLangFrom(r.Context()))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	s.renderFAQTextForm(w, r, http.StatusOK, it, err == nil, faqInput{Question: t.Question, Answer: t.AnswerMD, Errors: map[string]string{}})
}

// staffFAQTextSave saves a question in another language; an empty
// question and answer remove the translation.
func (s *Server) staffFAQTextSave(w http.ResponseWriter, r *http.Request) {
	it := staffFAQFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	in := parseFAQInput(r)
	if in.Question != "" || in.Answer != "" {
		// A translation shows wherever the Italian question does, so it
		// needs what a published question needs.
		in.Published = true
		in.Validate()
	}
	_, err := s.store.FAQTextOf(r.Context(), it.ID, lang)
	exists := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	if len(in.Errors) > 0 {
		for k, msg := range in.Errors {
			in.Errors[k] = strings.Replace(msg, ", oppure togli la spunta da «Pubblicata»", ", oppure svuota anche la domanda", 1)
		}
		s.renderFAQTextForm(w, r, http.StatusUnprocessableEntity, it, exists, in)
		return
	}
	me, _ := staffFrom(r.Context())
	changed, err := s.store.SaveFAQText(r.Context(), me.ID, it.ID, lang, in.edit())
	if s.staffStoreFailed(w, r, err) {
		return
	}
	name := staffLangName(lang)
	switch {
	case !changed:
		s.flash(r, "Nessuna modifica da salvare.")
	case in.Question == "":
		s.flash(r, fmt.Sprintf("Testo in %s tolto: la pagina in %s mostra quello italiano con un avviso.", name, name))
	default:
		s.flash(r, fmt.Sprintf("Domanda in %s salvata.", name))
	}
	http.Redirect(w, r, staffFAQItemPath(it.ID)+langSuffix(lang), http.StatusSeeOther)
}

func (s *Server) renderFAQTextForm(w http.ResponseWriter, r *http.Request, status int, it store.FAQItem, exists bool, in faqInput) {
	lang := staffContentLangFrom(r.Context())
	f := templates.StaffFAQTextForm{
		Tabs:     s.langTabs(lang, func(l string) string { return staffFAQItemPath(it.ID) + langSuffix(l) }),
		LangName: staffLangName(lang), Action: staffFAQItemPath(it.ID) + langSuffix(lang), Exists: exists,
		Question: in.Question, Answer: in.Answer, ItalianQuestion: it.Question, ItalianAnswer: it.AnswerMD, Errors: in.Errors,
	}
	title := it.Question + " (" + strings.ToUpper(lang) + ")"
	sp := s.staffPage(r, "Modifica: "+title, "faq", staffHome, staffFAQCrumb, templates.Crumb{Label: title})
	s.render(w, r, status, templates.StaffFAQTextFormPage(sp, f))
}

// officeNotesPath is the page of an office's notes in lang.
func officeNotesPath(officeID int64, lang string) string {
	return staffOfficePath(officeID) + "/note" + langSuffix(lang)
}

// staffOfficeNotes shows the notes of the office page in one language.
func (s *Server) staffOfficeNotes(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	n, _, err := s.store.OfficeNotesIn(r.Context(), o.ID, lang)
	if s.staffStoreFailed(w, r, err) {
		return
	}
	s.renderOfficeNotes(w, r, http.StatusOK, o, n, map[string]string{})
}

// staffOfficeNotesSave saves the notes of the office page in one
// language; in another language, empty notes remove the translation.
func (s *Server) staffOfficeNotesSave(w http.ResponseWriter, r *http.Request) {
	o := staffOfficeFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	n := store.OfficeNotes{HoursNote: oneLine(r.PostFormValue("nota-orari")), AccessibilityNotes: oneLine(r.PostFormValue("accessibilita"))}
	errs := map[string]string{}
	if utf8.RuneCountInString(n.HoursNote) > store.MaxOfficeNote {
		errs["nota-orari"] = fmt.Sprintf("La nota sugli orari può avere al massimo %d caratteri.", store.MaxOfficeNote)
	}
	if utf8.RuneCountInString(n.AccessibilityNotes) > store.MaxOfficeNote {
		errs["accessibilita"] = fmt.Sprintf("La nota sull'accessibilità può avere al massimo %d caratteri.", store.MaxOfficeNote)
	}
	if len(errs) > 0 {
		s.renderOfficeNotes(w, r, http.StatusUnprocessableEntity, o, n, errs)
		return
	}
	me, _ := staffFrom(r.Context())
	changed, err := s.store.SaveOfficeNotes(r.Context(), me.ID, o.ID, lang, n)
	if s.staffStoreFailed(w, r, err) {
		return
	}
	s.offices.invalidate()
	if changed {
		s.flash(r, fmt.Sprintf("Note in %s salvate: la pagina pubblica è già aggiornata.", staffLangName(lang)))
	} else {
		s.flash(r, "Nessuna modifica da salvare.")
	}
	http.Redirect(w, r, officeNotesPath(o.ID, lang), http.StatusSeeOther)
}

func (s *Server) renderOfficeNotes(w http.ResponseWriter, r *http.Request, status int, o store.OfficeOverview, n store.OfficeNotes, errs map[string]string) {
	lang := staffContentLangFrom(r.Context())
	f := templates.StaffOfficeNotesForm{
		Tabs:     s.langTabs(lang, func(l string) string { return officeNotesPath(o.ID, l) }),
		LangName: staffLangName(lang), Translation: lang != store.DefaultLang, Action: officeNotesPath(o.ID, lang),
		HoursNote: n.HoursNote, AccessibilityNotes: n.AccessibilityNotes,
		ItalianHoursNote: o.HoursNote, ItalianAccessibilityNotes: o.AccessibilityNotes, Errors: errs,
	}
	sp := s.staffOfficePage(r, o, "Note della pagina ("+strings.ToUpper(lang)+")")
	s.render(w, r, status, templates.StaffOfficeNotesPage(sp, f))
}
