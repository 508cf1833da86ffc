package web

import (
	"bytes"
	"net/http"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/templates"
)

// page builds the layout view model for a request.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string, crumbs ...templates.Crumb) templates.Page {
	return templates.Page{
		Title:       title,
		Path:        r.URL.Path,
		Nonce:       nonceFrom(r.Context()),
		CSRF:        s.csrf.token(w, r),
		Asset:       s.assets.URL,
		Site:        s.site(),
		Breadcrumbs: crumbs,
	}
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

// home is the first breadcrumb of every page.
var home = templates.Crumb{Label: "Home", Href: "/"}

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

// serverError logs err (never request data) and shows a safe page.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	if err != nil {
		s.log.Error("server error", "request_id", middleware.GetReqID(r.Context()), "method", r.Method, "path", routePattern(r), "err", err)
	}
	s.errorPage(w, r, http.StatusInternalServerError, "Si è verificato un errore",
		"Non siamo riusciti a completare la richiesta per un problema tecnico. Nessun dato che hai inviato è andato perso: riprova tra qualche minuto.")
}

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, "Pagina non trovata",
		"La pagina che cerchi non esiste o è stata spostata. Controlla l'indirizzo oppure usa i collegamenti qui sotto.")
}

func (s *Server) forbidden(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusForbidden, "Richiesta non valida",
		"Il modulo è scaduto o non proviene da questo sito. Torna alla pagina precedente, ricaricala e invia di nuovo il modulo.")
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	p := s.page(w, r, title, home, templates.Crumb{Label: title})
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
