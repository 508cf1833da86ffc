package web

import (
	"net/http"
	"strconv"

	"github.com/udc-umbria/portal/templates"
)

func (s *Server) privacyPage(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	p := s.page(w, r, l.T("page.privacy.crumb"), home, templates.Crumb{Label: l.T("page.privacy.crumb")})
	s.render(w, r, http.StatusOK, templates.PrivacyPage(p))
}

func (s *Server) legalNotesPage(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	p := s.page(w, r, l.T("page.legal.title"), home, templates.Crumb{Label: l.T("page.legal.title")})
	s.render(w, r, http.StatusOK, templates.LegalNotesPage(p))
}

func (s *Server) accessibilityPage(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	p := s.page(w, r, l.T("page.a11y.title"), home, templates.Crumb{Label: l.T("page.a11y.title")})
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
	l := s.loc(r)
	p := s.page(w, r, l.T("page.faq.title"), home, templates.Crumb{Label: l.T("page.faq.title")})
	p.Section = "faq"
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.FAQPage(p, entries))
}
