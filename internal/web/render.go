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
// bytes are the same for every visitor.
func (s *Server) page(w http.ResponseWriter, r *http.Request, title string, crumbs ...templates.Crumb) templates.Page {
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
	msg := "Non siamo riusciti a mostrare la pagina per un problema tecnico: riprova tra qualche minuto."
	if !safeMethod(r.Method) {
		msg = "Non abbiamo potuto salvare per un problema tecnico: riprova tra qualche minuto."
	}
	s.errorPage(w, r, http.StatusInternalServerError, "Si è verificato un errore", msg)
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
	title := "Servizio temporaneamente non disponibile"
	msg := "In questo momento non riusciamo a leggere i dati del portale, quindi non possiamo mostrarti questa pagina. " +
		"Riprova tra qualche minuto."
	booking := strings.HasPrefix(r.URL.Path, "/prenota") || strings.HasPrefix(r.URL.Path, "/appuntamento/")
	switch {
	case !safeMethod(r.Method):
		msg = "Non abbiamo potuto salvare: riprova tra qualche minuto. In questo momento non riusciamo a raggiungere " +
			"l'archivio del portale."
	case booking:
		title = "Prenotazione temporaneamente non disponibile"
		msg = "In questo momento la prenotazione online non è disponibile perché non riusciamo a raggiungere l'archivio " +
			"degli appuntamenti. Riprova tra qualche minuto; se hai urgenza, telefona al tuo ufficio: trovi il numero nella " +
			"pagina «Trova il tuo ufficio»."
	}
	s.errorPage(w, r, http.StatusServiceUnavailable, title, msg)
}

// safeMethod reports whether the method only reads.
func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
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
