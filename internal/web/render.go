package web

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// page builds the layout view model for a request. A document (a cached
// public page, see pagecache.go) gets no CSRF token and no nonce: its
// bytes are the same for every visitor. The breadcrumbs' links are made
// links of the request's language, and the first crumb, home, gets its
// label in that language.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string, crumbs ...templates.Crumb) templates.Page {
	crumbs = s.localCrumbs(r, crumbs)
	p := templates.Page{
		Title:       title,
		Path:        r.URL.Path,
		Asset:       s.assets.URL,
		Site:        s.site(),
		Breadcrumbs: crumbs,
		L:           s.loc(r),
		Alternates:  s.alternates(r),
	}
	if !isDocument(r.Context()) {
		p.Nonce = nonceFrom(r.Context())
		p.CSRF = s.csrf.token(w, r)
	}
	return p
}

func (s *Server) site() templates.Site {
	return templates.Site{
		OwnerName:    s.cfg.OwnerName,
		OwnerURL:     s.cfg.OwnerURL,
		PortalName:   s.cfg.PortalName,
		ContactEmail: s.cfg.ContactEmail,
		BaseURL:      s.cfg.BaseURL,
		// The footer links the published statement when there is one.
		AccessibilityURL: s.cfg.AccessibilityURL,
	}
}

// home is the first breadcrumb of every page (s.page translates it).
var home = templates.Crumb{Label: "Home", Href: "/"}

// localCrumbs returns crumbs with their links in the request's language
// (a link already in it is kept) and home's label translated.
func (s *Server) localCrumbs(r *http.Request, crumbs []templates.Crumb) []templates.Crumb {
	lang := langOf(r)
	prefix := lang.Prefix()
	out := make([]templates.Crumb, len(crumbs))
	for i, c := range crumbs {
		if c == home {
			c.Label = s.loc(r).T("layout.breadcrumb.home")
		}
		inLang := prefix != "" && (c.Href == prefix || strings.HasPrefix(c.Href, prefix+"/"))
		if strings.HasPrefix(c.Href, "/") && !strings.HasPrefix(c.Href, "//") && !inLang {
			c.Href = lang.Path(c.Href)
		}
		out[i] = c
	}
	return out
}

// render writes a component with the given status. It renders into a
// buffer first, so a failing template never sends half a page with 200.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.serverError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

// serverError logs err (never request data) and shows a safe page: 503
// with Retry-After when the database is unreachable (see unavailable),
// else 500. Neither claims more than is known: a failed request may not
// have been saved, so the citizen is asked to try again.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if s.clientGone(r, err) {
		return
	}
	if store.Unavailable(err) {
		s.unavailable(w, r, err)
		return
	}
	if err != nil {
		s.log.Error("server error", "request_id", middleware.GetReqID(r.Context()), "method", r.Method, "path", routePattern(r), "err", err)
	}
	l := s.loc(r)
	msg := l.T("error.server.show")
	if !safeMethod(r.Method) {
		msg = l.T("error.server.save")
	}
	s.errorPage(w, r, http.StatusInternalServerError, l.T("error.server.title"), msg)
}

// retryAfterSeconds is the Retry-After of the 503 pages.
const retryAfterSeconds = "30"

// unavailable answers a request that needs the database while it cannot
// be reached (store.Unavailable): 503 with Retry-After and a page that
// says so. Public pages already cached are served from the cache
// instead (pagecache.go); everything resumes by itself when the database
// is back.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Warn("database unavailable", "request_id", middleware.GetReqID(r.Context()), "method", r.Method, "path", routePattern(r), "err", err)
	s.metrics.DatabaseUnavailable()
	w.Header().Set("Retry-After", retryAfterSeconds)
	l := s.loc(r)
	title := l.T("error.unavailable.title")
	msg := l.T("error.unavailable.show")
	path := basePath(r)
	booking := strings.HasPrefix(path, "/prenota") || strings.HasPrefix(path, "/appuntamento/")
	switch {
	case !safeMethod(r.Method):
		msg = l.T("error.unavailable.save")
	case booking:
		title = l.T("error.unavailable.booking_title")
		msg = l.T("error.unavailable.booking")
	}
	s.errorPage(w, r, http.StatusServiceUnavailable, title, msg)
}

// safeMethod reports whether the method only reads.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	s.errorPage(w, r, http.StatusNotFound, l.T("error.not_found.title"), l.T("error.not_found.text"))
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	s.errorPage(w, r, http.StatusForbidden, l.T("error.forbidden.title"), l.T("error.forbidden.text"))
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	p := s.page(w, r, title, templates.Crumb{Label: home.Label, Href: s.link(r, "/")}, templates.Crumb{Label: title})
	var buf bytes.Buffer
	if err := templates.ErrorPage(p, status, title, msg).Render(r.Context(), &buf); err != nil {
		http.Error(w, title, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}
