package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The versions of a sheet's content in lang ("it" or another language
// of the catalogue) are under staffVersionsPath(slug, lang).
func staffVersionsPath(slug, lang string) string { return staffSheetLangPath(slug, lang) + "/versioni" }

func staffComparePath(slug, lang string, from, to int) string {
	return staffVersionsPath(slug, lang) + "/confronta?" + url.Values{"da": {strconv.Itoa(from)}, "a": {strconv.Itoa(to)}}.Encode()
}

func staffRestorePath(slug, lang string, n int) string {
	return staffVersionsPath(slug, lang) + "/" + strconv.Itoa(n) + "/ripristina"
}

// versionRow describes a version for the history and the comparison.
func versionRow(slug, lang string, v store.SheetVersion, current int) templates.StaffSheetVersionRow {
	row := templates.StaffSheetVersionRow{Number: v.Version, At: staffTime(v.CreatedAt), AtISO: v.CreatedAt.Format(time.RFC3339),
		Author: authorLabel(v.ChangedBy, v.ChangedByName), Note: v.Note, Current: v.Version == current}
	if v.Version > 1 {
		row.CompareHref = staffComparePath(slug, lang, v.Version-1, v.Version)
	}
	if v.Version != current {
		row.RestoreAction = staffRestorePath(slug, lang, v.Version)
	}
	return row
}

// versionChoices are the options of a version select, newest first.
func versionChoices(vs []store.SheetVersion, selected int) []templates.Choice {
	out := make([]templates.Choice, 0, len(vs))
	for _, v := range vs {
		out = append(out, templates.Choice{Value: strconv.Itoa(v.Version), Selected: v.Version == selected,
			Label: fmt.Sprintf("Versione %d – %s", v.Version, staffTime(v.CreatedAt))})
	}
	return out
}

// staffSheetVersions lists the versions of a sheet's content in one
// language with their author.
func (s *Server) staffSheetVersions(w http.ResponseWriter, r *http.Request) {
	sh := staffSheetFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	current, err := s.sheetVersionIn(r, sh, lang)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vs, err := s.store.ListSheetVersionsIn(r.Context(), sh.ID, lang)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	title := sheetTitleIn(sh, lang)
	v := templates.StaffSheetVersionsView{Title: title, EditHref: staffSheetLangPath(sh.Slug, lang),
		CompareAction: staffVersionsPath(sh.Slug, lang) + "/confronta", Current: current,
		FromChoices: versionChoices(vs, current-1), ToChoices: versionChoices(vs, current),
		Tabs: s.langTabs(lang, func(l string) string { return staffVersionsPath(sh.Slug, l) })}
	for _, ver := range vs {
		v.Versions = append(v.Versions, versionRow(sh.Slug, lang, ver, current))
	}
	sp := s.staffPage(r, "Versioni: "+title, "schede", staffHome, staffSheetsCrumb,
		templates.Crumb{Label: title, Href: staffSheetLangPath(sh.Slug, lang)}, templates.Crumb{Label: "Versioni"})
	s.render(w, r, http.StatusOK, templates.StaffSheetVersionsPage(sp, v))
}

// staffSheetCompare shows the line diff, field by field, between the
// versions ?da= and ?a=. A version that does not exist is a 404.
func (s *Server) staffSheetCompare(w http.ResponseWriter, r *http.Request) {
	sh := staffSheetFrom(r.Context())
	from, errFrom := strconv.Atoi(r.URL.Query().Get("da"))
	to, errTo := strconv.Atoi(r.URL.Query().Get("a"))
	if errFrom != nil || errTo != nil || from < 1 || to < 1 {
		s.staffNotFound(w, r)
		return
	}
	lang := staffContentLangFrom(r.Context())
	a, va, err := s.store.SheetAtVersionIn(r.Context(), sh.ID, lang, from)
	if err == nil {
		var b store.Sheet
		var vb store.SheetVersion
		b, vb, err = s.store.SheetAtVersionIn(r.Context(), sh.ID, lang, to)
		if err == nil {
			s.renderCompare(w, r, sh, lang, a, b, va, vb)
			return
		}
	}
	if errors.Is(err, store.ErrNotFound) {
		s.staffNotFound(w, r)
		return
	}
	s.serverError(w, r, err)
}

func (s *Server) renderCompare(w http.ResponseWriter, r *http.Request, sh store.Sheet, lang string, a, b store.Sheet, va, vb store.SheetVersion) {
	current, err := s.sheetVersionIn(r, sh, lang)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	vs, err := s.store.ListSheetVersionsIn(r.Context(), sh.ID, lang)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	title := sheetTitleIn(sh, lang)
	v := templates.StaffSheetCompareView{Title: title, From: versionRow(sh.Slug, lang, va, current), To: versionRow(sh.Slug, lang, vb, current),
		VersionsHref: staffVersionsPath(sh.Slug, lang), CompareAction: staffVersionsPath(sh.Slug, lang) + "/confronta",
		FromChoices: versionChoices(vs, va.Version), ToChoices: versionChoices(vs, vb.Version)}
	if va.Version != current {
		v.RestoreAction = staffRestorePath(sh.Slug, lang, va.Version)
	}
	fa, fb := sheetFieldTextsIn(a, lang), sheetFieldTextsIn(b, lang)
	for i := range fa {
		d := content.Lines(fa[i].text, fb[i].text)
		if !content.Changed(d) {
			v.Unchanged = append(v.Unchanged, fa[i].label)
			continue
		}
		f := templates.StaffDiffField{Label: fa[i].label}
		for _, l := range d {
			kind := "same"
			switch l.Op {
			case content.Removed:
				kind = "removed"
			case content.Added:
				kind = "added"
			}
			f.Lines = append(f.Lines, templates.StaffDiffLine{Kind: kind, Text: l.Text})
		}
		v.Fields = append(v.Fields, f)
	}
	sp := s.staffPage(r, "Confronto tra versioni: "+title, "schede", staffHome, staffSheetsCrumb,
		templates.Crumb{Label: title, Href: staffSheetLangPath(sh.Slug, lang)}, templates.Crumb{Label: "Versioni", Href: staffVersionsPath(sh.Slug, lang)},
		templates.Crumb{Label: "Confronto"})
	s.render(w, r, http.StatusOK, templates.StaffSheetComparePage(sp, v))
}

type fieldText struct {
	label string
	text  string
}

// sheetFieldTexts writes each field of a version as the lines the editor
// shows (Markdown for the sections), so that a comparison reads like the
// form. Blank lines carry no meaning in the comparison and are dropped.
func sheetFieldTexts(sh store.Sheet) []fieldText {
	in := sheetInputOf(sh)
	status := "Attivo"
	if sh.ServiceStatus == "inactive" {
		status = "Non attivo: " + sh.StatusReason
	}
	publication := "Bozza"
	if sh.Publication == "published" {
		publication = "Pubblicata"
	}
	var topics []string
	for _, t := range sh.Topics {
		topics = append(topics, t.Name)
	}
	out := []fieldText{
		{"Titolo", sh.Title}, {"Descrizione breve", sh.Summary}, {"Categoria", sh.Category}, {"Stato del servizio", status},
		{"Pubblicazione", publication}, {"Argomenti", strings.Join(topics, "\n")},
	}
	for _, f := range sheetSectionFields {
		out = append(out, fieldText{f.Label, in.Sections[f.ID]})
	}
	out = append(out, fieldText{"Fonti normative", in.LegalSources}, fieldText{"Fonti ufficiali", in.OfficialSources},
		fieldText{"Pagina aggiornata il", sh.UpdatedOn.Format("02/01/2006")})
	for i := range out {
		var lines []string
		for _, l := range strings.Split(out[i].text, "\n") {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		out[i].text = strings.Join(lines, "\n")
	}
	return out
}

// staffSheetRestore makes an earlier version current again, as a new
// version; the publication state does not change.
func (s *Server) staffSheetRestore(w http.ResponseWriter, r *http.Request) {
	sh := staffSheetFrom(r.Context())
	n, err := strconv.Atoi(chi.URLParam(r, "version"))
	if err != nil || n < 1 {
		s.staffNotFound(w, r)
		return
	}
	me, _ := staffFrom(r.Context())
	lang := staffContentLangFrom(r.Context())
	res, err := s.store.RestoreSheetVersion(r.Context(), store.SheetRestore{Slug: sh.Slug, Version: n, ActorID: me.ID,
		ChangedBy: me.Email, Today: s.today(), Lang: lang})
	if s.staffStoreFailed(w, r, err) {
		return
	}
	if res.Changed {
		s.flash(r, fmt.Sprintf("Versione %d ripristinata: ora è la versione %d.", n, res.Version))
	} else {
		s.flash(r, fmt.Sprintf("La versione %d ha lo stesso contenuto di quella attuale: nulla da ripristinare.", n))
	}
	http.Redirect(w, r, staffVersionsPath(sh.Slug, lang), http.StatusSeeOther)
}
