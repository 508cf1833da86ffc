package web

import (
	"net/http"

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

func (s *Server) faqPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "Domande frequenti", home, templates.Crumb{Label: "Domande frequenti"})
	p.Section = "faq"
	p.Rating = s.ratingFor(r, "Quanto sono chiare le informazioni su questa pagina?")
	s.render(w, r, http.StatusOK, templates.FAQPage(p))
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	p := s.page(w, r, "Segnala un disservizio", home, templates.Crumb{Label: "Segnala un disservizio"})
	s.render(w, r, http.StatusOK, templates.ReportPage(p))
}
