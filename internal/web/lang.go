package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/templates"
)

// The public side is offered in every language of the catalogue: Italian
// at today's paths, each other language under its tag (/en/…), with the
// same routes (publicRoutes). The language travels in the request's
// context; handlers translate with s.loc(r) and build links with
// s.link(r, path). Staff pages stay Italian.

type langKey struct{}

// inLang marks the requests of a language's subtree.
func inLang(l i18n.Lang) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), langKey{}, l)))
		})
	}
}

// langOf returns the language of the request: the default one outside a
// language's subtree.
func langOf(r *http.Request) i18n.Lang {
	if l, ok := r.Context().Value(langKey{}).(i18n.Lang); ok {
		return l
	}
	return i18n.Default
}

// loc returns the translator of the request's language (the pseudo-locale
// in its tests, for the default language).
func (s *Server) loc(r *http.Request) *i18n.Localizer {
	l := langOf(r)
	if s.pseudo && l == i18n.Default {
		return s.catalog.Pseudo()
	}
	return s.catalog.Localizer(l)
}

// link returns path (a public path of the default language, "/prenota")
// in the request's language ("/en/prenota").
func (s *Server) link(r *http.Request, path string) string {
	return langOf(r).Path(path)
}

// basePath returns the request's path without its language prefix.
func basePath(r *http.Request) string {
	p := langOf(r).Prefix()
	if p == "" || !strings.HasPrefix(r.URL.Path, p) {
		return r.URL.Path
	}
	if rest := strings.TrimPrefix(r.URL.Path, p); rest != "" {
		return rest
	}
	return "/"
}

// alternates returns the page in every language (hreflang links and the
// language switcher), the default language first.
func (s *Server) alternates(r *http.Request) []templates.Alternate {
	base := basePath(r)
	langs := s.catalog.Langs()
	out := make([]templates.Alternate, 0, len(langs))
	for _, l := range langs {
		out = append(out, templates.Alternate{Lang: l, Name: s.catalog.Name(l), Href: l.Path(base), Current: l == langOf(r)})
	}
	return out
}

// mountLanguages serves the public routes (publicRoutes) at / in the
// default language and under /{tag} in every other language of the
// catalogue.
func (s *Server) mountLanguages(r chi.Router, public func(chi.Router)) {
	public(r)
	for _, l := range s.catalog.Langs() {
		if l == i18n.Default {
			continue
		}
		r.Route(l.Prefix(), func(r chi.Router) {
			r.Use(inLang(l))
			r.NotFound(s.notFound)
			public(r)
		})
	}
}
