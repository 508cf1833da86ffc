package web

import (
	"net/http"
	"strconv"

	"github.com/udc-umbria/portal/templates"
)

func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "Informativa privacy", home, templates.Crumb{Label: "Informativa privacy"})
	s.render(w, r, http.StatusOK, templates.PrivacyPage(p))
}

func (s *Server) legalNotesPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "Note legali", home, templates.Crumb{Label: "Note legali"})
	s.render(w, r, http.StatusOK, templates.LegalNotesPage(p))
}

func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "Dichiarazione di accessibilità", home, templates.Crumb{Label: "Dichiarazione di accessibilità"})
	s.render(w, r, http.StatusOK, templates.AccessibilityPage(p))
}

// faqPage shows the published questions, as staff edited them.
func (s *Server) faqPage(w http.ResponseWriter, r *http.Request) {
	items, err := s.store.ListFAQ(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	items, shown, err := s.faqInLang(r, items)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	entries := make([]templates.FAQEntry, 0, len(items))
	for i, it := range items {
		entries = append(entries, templates.FAQEntry{Anchor: strconv.FormatInt(it.ID, 10), Question: it.Question, AnswerHTML: it.AnswerHTML,
			Content: shown[i]})
	}
	p := s.page(w, r, "Domande frequenti", home, templates.Crumb{Label: "Domande frequenti"})
	p.Section = "faq"
	p.Rating = s.ratingFor(r, "Quanto sono chiare le informazioni su questa pagina?")
	s.render(w, r, http.StatusOK, templates.FAQPage(p, entries))
}
