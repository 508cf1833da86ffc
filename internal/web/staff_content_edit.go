package web

import (
	"errors"
	"fmt"
	"github.com/udc-umbria/portal/internal/i18n"
	"net/http"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// defaultCategory is preselected for a new sheet: the services of the
// Uffici della Cittadinanza are social services.
const defaultCategory = "Salute, benessere e assistenza"

// staffSheetNew shows the empty editor of a new sheet (a draft).
func (s *Server) staffSheetNew(w http.ResponseWriter, r *http.Request) {
	vocab, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := sheetInput{Category: defaultCategory, Status: "active", Publication: "draft", Sections: map[string]string{}}
	s.renderSheetForm(w, r, http.StatusOK, nil, in, vocab)
}

// staffSheetCreate previews or creates a new sheet; its address comes
// from the title, made unique.
func (s *Server) staffSheetCreate(w http.ResponseWriter, r *http.Request) {
	vocab, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := parseSheetInput(r, vocab)
	if in.Action == "modifica" {
		s.renderSheetForm(w, r, http.StatusOK, nil, in, vocab)
		return
	}
	in.Validate(true)
	if len(in.Errors) > 0 {
		s.renderSheetForm(w, r, http.StatusUnprocessableEntity, nil, in, vocab)
		return
	}
	sh := sheetOf(store.Sheet{Slug: sheetSlug(in.Title)}, in, vocab)
	if in.Action == "anteprima" {
		s.renderSheetPreview(w, r, sh, in, staffSheetsPath+"/nuova", true)
		return
	}
	me, _ := staffFrom(r.Context())
	res, err := s.store.SaveSheetEdit(r.Context(), store.SheetEdit{Sheet: sh, New: true, ActorID: me.ID, ChangedBy: me.Email,
		Note: in.Note, Today: s.today()})
	if errors.Is(err, store.ErrUnknownTopic) {
		in.Errors["argomenti"] = "Uno degli argomenti scelti non è più nel vocabolario: scegli di nuovo."
		s.renderSheetForm(w, r, http.StatusUnprocessableEntity, nil, in, vocab)
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if sh.Publication == "published" {
		s.flash(r, "Scheda creata e pubblicata: i cittadini la vedono già.")
	} else {
		s.flash(r, "Scheda creata come bozza: solo il personale la vede.")
	}
	http.Redirect(w, r, staffSheetPath(res.Slug), http.StatusSeeOther)
}

// staffSheetEdit shows the editor of a stored sheet.
func (s *Server) staffSheetEdit(w http.ResponseWriter, r *http.Request) {
	vocab, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sh := staffSheetFrom(r.Context())
	s.renderSheetForm(w, r, http.StatusOK, &sh, sheetInputOf(sh), vocab)
}

// staffSheetSave previews or saves the edited sheet. If someone else
// saved it since the form was opened, nothing is written and the form
// comes back (409) with the typed text and a warning; sending it again
// then replaces their version.
func (s *Server) staffSheetSave(w http.ResponseWriter, r *http.Request) {
	vocab, err := s.store.ListTopics(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	cur := staffSheetFrom(r.Context())
	in := parseSheetInput(r, vocab)
	if in.Action == "modifica" {
		s.renderSheetForm(w, r, http.StatusOK, &cur, in, vocab)
		return
	}
	in.Validate(false)
	if len(in.Errors) > 0 {
		s.renderSheetForm(w, r, http.StatusUnprocessableEntity, &cur, in, vocab)
		return
	}
	sh := sheetOf(cur, in, vocab)
	if in.Action == "anteprima" {
		s.renderSheetPreview(w, r, sh, in, staffSheetPath(cur.Slug), false)
		return
	}
	me, _ := staffFrom(r.Context())
	res, err := s.store.SaveSheetEdit(r.Context(), store.SheetEdit{Sheet: sh, BaseVersion: in.BaseVersion, ActorID: me.ID,
		ChangedBy: me.Email, Note: in.Note, Today: s.today()})
	switch {
	case errors.Is(err, store.ErrSheetConflict):
		latest, err := s.store.SheetForEditing(r.Context(), cur.Slug)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		in.BaseVersion = latest.Version
		s.renderSheetFormProblem(w, r, http.StatusConflict, &latest, in, vocab, fmt.Sprintf(
			"Mentre modificavi, qualcun altro ha salvato la scheda (ora è alla versione %d). Il tuo testo è qui sotto, non salvato: "+
				"confrontalo con le versioni e, se salvi di nuovo, sostituirà quello attuale.", latest.Version))
		return
	case errors.Is(err, store.ErrUnknownTopic):
		in.Errors["argomenti"] = "Uno degli argomenti scelti non è più nel vocabolario: scegli di nuovo."
		s.renderSheetForm(w, r, http.StatusUnprocessableEntity, &cur, in, vocab)
		return
	case errors.Is(err, store.ErrNotFound):
		s.staffNotFound(w, r)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	switch {
	case !res.Changed:
		s.flash(r, "Nessuna modifica da salvare.")
	case sh.Publication == "published":
		s.flash(r, fmt.Sprintf("Scheda salvata (versione %d): la pagina pubblica è già aggiornata.", res.Version))
	default:
		s.flash(r, fmt.Sprintf("Scheda salvata (versione %d). È una bozza: i cittadini non la vedono.", res.Version))
	}
	http.Redirect(w, r, staffSheetPath(cur.Slug), http.StatusSeeOther)
}

// renderSheetForm shows the editor with in; stored is the sheet being
// edited, nil for a new one.
func (s *Server) renderSheetForm(w http.ResponseWriter, r *http.Request, status int, stored *store.Sheet, in sheetInput, vocab []store.Topic) {
	s.renderSheetFormProblem(w, r, status, stored, in, vocab, "")
}

func (s *Server) renderSheetFormProblem(w http.ResponseWriter, r *http.Request, status int, stored *store.Sheet, in sheetInput,
	vocab []store.Topic, problem string) {
	f := sheetForm(in, vocab)
	f.Problem = problem
	var sp templates.StaffPage
	if stored == nil {
		f.New, f.Action = true, staffSheetsPath+"/nuova"
		sp = s.staffPage(r, "Nuova scheda", "schede", staffHome, staffSheetsCrumb, templates.Crumb{Label: "Nuova scheda"})
	} else {
		f.Action, f.VersionsHref = staffSheetPath(stored.Slug), staffSheetPath(stored.Slug)+"/versioni"
		f.Version, f.Updated = stored.Version, stored.UpdatedOn.Format("02/01/2006")
		f.Tabs = s.langTabs(store.DefaultLang, func(l string) string { return staffSheetLangPath(stored.Slug, l) })
		if stored.Publication == "published" {
			f.PublicHref = "/servizi/" + stored.Slug
		}
		sp = s.staffPage(r, "Modifica: "+stored.Title, "schede", staffHome, staffSheetsCrumb, templates.Crumb{Label: stored.Title})
	}
	s.render(w, r, status, templates.StaffSheetFormPage(sp, f))
}

// renderSheetPreview shows unsaved content in the public layout, under a
// banner that carries the values back to the form or on to saving.
func (s *Server) renderSheetPreview(w http.ResponseWriter, r *http.Request, sh store.Sheet, in sheetInput, action string, newSheet bool) {
	sh.UpdatedOn = s.today()
	ctx := r.Context()
	// The preview is the Italian public page: its layout and sheet texts
	// come from the catalogue.
	l := s.catalog.Localizer(i18n.Default)
	p := templates.Page{
		L:           l,
		Title:       "Anteprima: " + sh.Title,
		Path:        r.URL.Path,
		Nonce:       nonceFrom(ctx),
		CSRF:        s.sessions.GetString(ctx, sessCSRF),
		Asset:       s.assets.URL,
		Site:        s.site(),
		Breadcrumbs: []templates.Crumb{home, servicesCrumb, categoryCrumb(l, sh.Category), {Label: sh.Title}},
		Section:     "servizi",
		Description: sh.Summary,
	}
	pv := templates.SheetPreview{Action: action, Fields: in.hiddenFields(), New: newSheet}
	s.render(w, r, http.StatusOK, templates.SheetPreviewPage(p, sheetView(l, sh), pv))
}
