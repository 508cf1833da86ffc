package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/content"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// The Modello Comuni's second-level pages: the topics of the controlled
// vocabulary that published sheets use (/argomenti and a page per topic)
// and the service categories (/servizi/categoria/{slug}). They read only
// published sheets, the same for every visitor.

// vocab translates a name of a controlled vocabulary (a topic, a service
// category) by catalogue ID id; a name the catalogue lacks stays as
// stored (name).
func vocab(l *i18n.Localizer, id, name string) string {
	t := l.T(id)
	if strings.Contains(t, "["+id+"]") {
		return name
	}
	return t
}

// topicName is the name of the topic with slug t in l's language.
func topicName(l *i18n.Localizer, t store.Topic) string {
	return vocab(l, "page.topic."+t.Slug, t.Name)
}

// categoryName is service category c (an Italian name of the Modello) in
// l's language.
func categoryName(l *i18n.Localizer, c string) string {
	if c == "" {
		return ""
	}
	return vocab(l, "page.category."+content.CategorySlug(c), c)
}

// topicPath is the page of the topic with slug t.
func topicPath(t string) string { return "/argomenti/" + t }

// categoryPath is the page of service category c.
func categoryPath(c string) string { return "/servizi/categoria/" + content.CategorySlug(c) }

// categoryCrumb is the breadcrumb of category c, named in l's language:
// its page when c is one of the Modello's categories, else the list of
// services.
func categoryCrumb(l *i18n.Localizer, c string) templates.Crumb {
	if !content.IsCategory(c) {
		return templates.Crumb{Label: c, Href: "/servizi"}
	}
	return templates.Crumb{Label: categoryName(l, c), Href: categoryPath(c)}
}

// serviceCards are the cards of sheets, in their order, with the category
// named in l's language.
func serviceCards(l *i18n.Localizer, sheets []store.Sheet) []templates.ServiceCard {
	out := make([]templates.ServiceCard, 0, len(sheets))
	for _, sh := range sheets {
		out = append(out, templates.ServiceCard{
			Title: sh.Title, Summary: sh.Summary, Href: "/servizi/" + sh.Slug, Category: categoryName(l, sh.Category), Active: sh.Active(),
		})
	}
	return out
}

// categoryLinks lists the Modello categories the sheets belong to, in the
// Modello's order, with how many services each has, named in l's
// language.
func categoryLinks(l *i18n.Localizer, sheets []store.Sheet) []templates.CategoryLink {
	var out []templates.CategoryLink
	for _, c := range content.Categories() {
		n := 0
		for _, sh := range sheets {
			if sh.Category == c {
				n++
			}
		}
		if n > 0 {
			out = append(out, templates.CategoryLink{Name: categoryName(l, c), Href: categoryPath(c), Count: n})
		}
	}
	return out
}

// usedTopics lists the topics the sheets carry, named in l's language and
// in its alphabetical order, with how many sheets carry each.
func usedTopics(l *i18n.Localizer, sheets []store.Sheet) []templates.TopicLink {
	index := map[string]int{}
	var out []templates.TopicLink
	for _, sh := range sheets {
		for _, t := range sh.Topics {
			i, seen := index[t.Slug]
			if !seen {
				i = len(out)
				index[t.Slug] = i
				out = append(out, templates.TopicLink{Name: topicName(l, t), Href: topicPath(t.Slug)})
			}
			out[i].Count++
		}
	}
	c := collate.New(language.Make(string(l.Lang())), collate.IgnoreCase)
	slices.SortStableFunc(out, func(a, b templates.TopicLink) int { return c.CompareString(a.Name, b.Name) })
	return out
}

// topicsList renders /argomenti: every topic a published sheet uses.
func (s *Server) topicsList(w http.ResponseWriter, r *http.Request) {
	sheets, err := s.listSheets(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	l := s.loc(r)
	p := s.page(w, r, l.T("page.topics.title"), home, templates.Crumb{Label: l.T("page.topics.title")})
	p.Description = l.T("page.topics.meta")
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.TopicsPage(p, usedTopics(l, sheets)))
}

// topicPage renders /argomenti/{slug}: the published services on the
// topic. A topic of the vocabulary that no published sheet uses has a
// page saying so; a slug outside the vocabulary is 404.
func (s *Server) topicPage(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	l := s.loc(r)
	want := chi.URLParam(r, "slug")
	sheets, err := s.listSheets(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var name string
	var on []store.Sheet
	for _, sh := range sheets {
		for _, t := range sh.Topics {
			if t.Slug == want {
				name = topicName(l, t)
				on = append(on, sh)
			}
		}
	}
	if name == "" {
		topics, err := s.store.ListTopics(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		i := slices.IndexFunc(topics, func(t store.Topic) bool { return t.Slug == want })
		if i < 0 {
			s.notFound(w, r)
			return
		}
		name = topicName(l, topics[i])
	}
	p := s.page(w, r, name, home, templates.Crumb{Label: l.T("page.topics.title"), Href: "/argomenti"}, templates.Crumb{Label: name})
	p.Description = l.T("page.topic.meta", "Name", name)
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.TopicPage(p, templates.ServiceGroup{Name: name, Services: serviceCards(l, on)}))
}

// serviceCategory renders /servizi/categoria/{slug}: the published
// services of one Modello Comuni category.
func (s *Server) serviceCategory(w http.ResponseWriter, r *http.Request) {
	c, ok := content.CategoryBySlug(chi.URLParam(r, "slug"))
	if !ok {
		s.notFound(w, r)
		return
	}
	sheets, err := s.listSheets(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sheets = slices.DeleteFunc(sheets, func(sh store.Sheet) bool { return sh.Category != c })
	l := s.loc(r)
	name := categoryName(l, c)
	p := s.page(w, r, name, home, servicesCrumbOf(l), templates.Crumb{Label: name})
	p.Section = "servizi"
	p.Description = l.T("page.category.meta", "Name", name)
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.ServiceCategoryPage(p, templates.ServiceGroup{Name: name, Services: serviceCards(l, sheets)}))
}
