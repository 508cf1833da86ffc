package web

import (
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// faqInput is the submitted FAQ editor, values as typed.
type faqInput struct {
	Question  string
	Answer    string
	Published bool
	Errors    map[string]string
}

func parseFAQInput(r *http.Request) faqInput {
	return faqInput{
		Question:  oneLine(r.PostFormValue("domanda")),
		Answer:    multiLine(r.PostFormValue("risposta")),
		Published: r.PostFormValue("pubblicata") == "1",
		Errors:    map[string]string{},
	}
}

// Validate fills in.Errors. An unpublished question may wait for its
// answer; a published one needs an answer that shows something.
func (in *faqInput) Validate() {
	switch {
	case in.Question == "":
		in.Errors["domanda"] = "Scrivi la domanda."
	case utf8.RuneCountInString(in.Question) > content.MaxFAQQuestion:
		in.Errors["domanda"] = fmt.Sprintf("La domanda può avere al massimo %d caratteri.", content.MaxFAQQuestion)
	}
	switch {
	case utf8.RuneCountInString(in.Answer) > content.MaxFAQAnswer:
		in.Errors["risposta"] = fmt.Sprintf("La risposta può avere al massimo %d caratteri.", content.MaxFAQAnswer)
	case in.Published && content.Render(in.Answer) == "":
		in.Errors["risposta"] = "Per pubblicare la domanda scrivi la risposta, oppure togli la spunta da «Pubblicata»."
	}
}

// edit is the validated input as the store saves it, the answer rendered
// and sanitised.
func (in faqInput) edit() store.FAQEdit {
	return store.FAQEdit{Question: in.Question, AnswerMD: in.Answer, AnswerHTML: content.Render(in.Answer), Published: in.Published}
}

// staffFAQNew shows the empty editor of a new question.
func (s *Server) staffFAQNew(w http.ResponseWriter, r *http.Request) {
	s.renderFAQForm(w, r, http.StatusOK, nil, faqInput{Published: true})
}

// staffFAQCreate adds a question at the end of the page.
func (s *Server) staffFAQCreate(w http.ResponseWriter, r *http.Request) {
	in := parseFAQInput(r)
	in.Validate()
	if len(in.Errors) > 0 {
		s.renderFAQForm(w, r, http.StatusUnprocessableEntity, nil, in)
		return
	}
	me, _ := staffFrom(r.Context())
	it, err := s.store.CreateFAQItem(r.Context(), me.ID, in.edit())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if it.Published {
		s.flash(r, "Domanda aggiunta e pubblicata: i cittadini la vedono già.")
	} else {
		s.flash(r, "Domanda aggiunta, non pubblicata: solo il personale la vede.")
	}
	http.Redirect(w, r, staffFAQItemPath(it.ID), http.StatusSeeOther)
}

// staffFAQEdit shows the editor of a stored question.
func (s *Server) staffFAQEdit(w http.ResponseWriter, r *http.Request) {
	it := staffFAQFrom(r.Context())
	s.renderFAQForm(w, r, http.StatusOK, &it, faqInput{Question: it.Question, Answer: it.AnswerMD, Published: it.Published})
}

// staffFAQSave saves the edited question.
func (s *Server) staffFAQSave(w http.ResponseWriter, r *http.Request) {
	cur := staffFAQFrom(r.Context())
	in := parseFAQInput(r)
	in.Validate()
	if len(in.Errors) > 0 {
		s.renderFAQForm(w, r, http.StatusUnprocessableEntity, &cur, in)
		return
	}
	me, _ := staffFrom(r.Context())
	changed, err := s.store.UpdateFAQItem(r.Context(), me.ID, cur.ID, in.edit())
	if s.staffStoreFailed(w, r, err) {
		return
	}
	switch {
	case !changed:
		s.flash(r, "Nessuna modifica da salvare.")
	case in.Published:
		s.flash(r, "Domanda salvata: la pagina pubblica è già aggiornata.")
	default:
		s.flash(r, "Domanda salvata. Non è pubblicata: i cittadini non la vedono.")
	}
	http.Redirect(w, r, staffFAQItemPath(cur.ID), http.StatusSeeOther)
}

// renderFAQForm shows the editor with in; stored is the question being
// edited, nil for a new one.
func (s *Server) renderFAQForm(w http.ResponseWriter, r *http.Request, status int, stored *store.FAQItem, in faqInput) {
	f := templates.StaffFAQForm{Question: in.Question, Answer: in.Answer, Published: in.Published, Errors: in.Errors}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	var sp templates.StaffPage
	if stored == nil {
		f.New, f.Action = true, staffFAQPath+"/nuova"
		sp = s.staffPage(r, "Nuova domanda frequente", "faq", staffHome, staffFAQCrumb, templates.Crumb{Label: "Nuova domanda"})
	} else {
		f.Action, f.DeleteAction = staffFAQItemPath(stored.ID), staffFAQItemPath(stored.ID)+"/elimina"
		f.Modified = staffTime(stored.UpdatedAt)
		f.Tabs = s.langTabs(store.DefaultLang, func(l string) string { return staffFAQItemPath(stored.ID) + langSuffix(l) })
		sp = s.staffPage(r, "Modifica: "+stored.Question, "faq", staffHome, staffFAQCrumb, templates.Crumb{Label: stored.Question})
	}
	s.render(w, r, status, templates.StaffFAQFormPage(sp, f))
}
