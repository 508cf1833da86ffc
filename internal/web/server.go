// Package web is the HTTP layer: routes, middleware, forms and handlers.
// Handlers are methods on Server and get every dependency from it.
package web

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/static"
)

// Server holds the dependencies of every handler.
type Server struct {
	cfg    config.Config
	store  Store
	log    *slog.Logger
	assets *static.Assets
	csrf   *csrfGuard
	now    func() time.Time
	// sessions holds the staff sessions (PostgreSQL, shared by instances).
	sessions *scs.SessionManager
	// offices caches the office data (see officecache.go).
	offices *officeCache
	// mailer queues e-mail inside a transaction; nil skips mail (see
	// booking_mail.go).
	mailer        Mailer
	mailerWarning sync.Once
}

// Options are the inputs to New.
type Options struct {
	Config config.Config
	Store  Store
	Logger *slog.Logger
	Assets *static.Assets
	// Now overrides the clock (tests); nil means time.Now.
	Now func() time.Time
	// Sessions stores the staff sessions; nil means the store's PostgreSQL
	// table through scs's pgxstore.
	Sessions scs.Store
	// StaffIdleTimeout and StaffLifetime override the staff session
	// timeouts (30 minutes idle, 8 hours in all) when not zero.
	StaffIdleTimeout, StaffLifetime time.Duration
	// OfficeCacheTTL bounds how long office data is cached without a
	// change notification: 0 means 60 seconds, a negative value disables
	// the cache.
	OfficeCacheTTL time.Duration
	// Mailer queues the booking e-mails in the booking's transaction (the
	// job queue, *jobs.Queue); nil sends no mail and logs a warning once.
	Mailer Mailer
}

// New builds a Server. It loads the shared CSRF secret from the store.
func New(ctx context.Context, o Options) (*Server, error) {
	key, err := o.Store.Secret(ctx, "csrf")
	if err != nil {
		return nil, err
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	sessStore := o.Sessions
	if sessStore == nil {
		// No cleanup goroutine: expired sessions are purged at each login.
		sessStore = pgxstore.NewWithCleanupInterval(o.Store.Pool(), 0)
	}
	s := &Server{
		cfg:    o.Config,
		store:  o.Store,
		log:    o.Logger,
		assets: o.Assets,
		csrf:   newCSRFGuard(key, o.Config.SecureCookies()),
		now:    now,
		sessions: newSessionManager(sessStore, o.Config.SecureCookies(),
			cmp.Or(o.StaffIdleTimeout, defaultStaffIdleTimeout), cmp.Or(o.StaffLifetime, defaultStaffLifetime)),
	}
	s.sessions.ErrorFunc = s.serverError
	s.mailer = o.Mailer
	s.offices = newOfficeCache(o.Store, cmp.Or(o.OfficeCacheTTL, defaultOfficeCacheTTL), o.Logger)
	return s, nil
}

// Run does the server's background work until ctx is done: it listens
// for office changes to keep the office cache correct across instances.
func (s *Server) Run(ctx context.Context) {
	s.offices.watch(ctx)
}

// HTTPServer wraps h in an http.Server with the portal's timeouts.
func HTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
