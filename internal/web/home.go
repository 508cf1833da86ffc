package web

import (
	"net/http"

	"github.com/udc-umbria/portal/templates"
)

// homePage renders "/".
func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	comuni, err := s.store.ListComuni(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	opts := make([]templates.ComuneOption, 0, len(comuni))
	for _, c := range comuni {
		opts = append(opts, templates.ComuneOption{Slug: c.Slug, Name: c.Name})
	}
	sortOptions(opts)
	sheets, err := s.listSheets(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := s.loc(r)
	p := s.page(w, r, "")
	p.Description = l.T("page.home.meta")
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.HomePage(p, templates.HomeView{Comuni: opts, Topics: usedTopics(l, sheets)}))
}
