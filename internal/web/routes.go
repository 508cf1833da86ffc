package web

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

// Handler returns the whole site. Reading this function tells every route
// and the middleware that guards it.
func (s *Server) Handler() http.Handler {
	r := chi.NewRouter()
	r.Use(middleware.RequestID)
	r.Use(s.requestLogger)
	r.Use(s.recoverer)
	r.Use(securityHeaders)
	r.Use(limitBody)
	r.Use(crossOrigin)

	r.NotFound(s.notFound)
	r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
		s.errorPage(w, r, http.StatusMethodNotAllowed, "Operazione non consentita", "Questa pagina non accetta questo tipo di richiesta.")
	})

	// Probes and static files: no CSRF, no session.
	r.Get("/healthz", s.healthz)
	r.Get("/readyz", s.readyz)
	r.Handle("/static/*", s.assets.Handler())
	r.Get("/favicon.ico", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, s.assets.URL("img/favicon.svg"), http.StatusMovedPermanently)
	})

	// Public pages.
	r.Group(func(r chi.Router) {
		r.Use(s.protect)
		r.Get("/", s.homePage)
		r.Get("/servizi", s.servicesList)
		r.Get("/servizi/{slug}", s.serviceSheet)
		r.Post("/valutazione", s.ratingSubmit)
		r.Get("/privacy", s.privacyPage)
		r.Get("/note-legali", s.legalNotesPage)
		r.Get("/dichiarazione-di-accessibilita", s.accessibilityPage)
		r.Get("/domande-frequenti", s.faqPage)
		r.Get("/segnala-disservizio", s.reportPage)
	})
	return r
}

func routePattern(r *http.Request) string {
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		return rc.RoutePattern()
	}
	return "unmatched"
}
