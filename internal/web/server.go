// Package web is the HTTP layer: routes, middleware, forms and handlers.
// Handlers are methods on Server and get every dependency from it.
package web

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/static"
)

// Server holds the dependencies of every handler.
type Server struct {
	cfg config.Config
	// store is the database. Its changes to appointments queue their
	// e-mails themselves, in their own transactions (store.Outbox): no
	// handler sends or queues mail.
	store  *store.Store
	log    *slog.Logger
	assets *static.Assets
	csrf   *csrfGuard
	now    func() time.Time
	// sessions holds the staff sessions (PostgreSQL, shared by instances).
	sessions *scs.SessionManager
	// offices caches the office data (see officecache.go).
	offices *officeCache
	// notifier writes the calendar files the pages offer for download.
	notifier *notify.Notifier
}

// Options are the inputs to New.
type Options struct {
	Config config.Config
	// Store is the database; give it an outbox (store.WithOutbox) for the
	// appointments' e-mails to be queued.
	Store  *store.Store
	Logger *slog.Logger
	Assets *static.Assets
	// Now overrides the clock (tests); nil means time.Now.
	Now func() time.Time
	// Sessions stores the staff sessions, sealed with Config.SecretKeys
	// and keyed by a hash of their token; nil means the store's
	// PostgreSQL table through scs's pgxstore.
	Sessions scs.Store
	// StaffIdleTimeout and StaffLifetime override the staff session
	// timeouts (30 minutes idle, 8 hours in all) when not zero.
	StaffIdleTimeout, StaffLifetime time.Duration
	// OfficeCacheTTL bounds how long office data is cached without a
	// change notification: 0 means 60 seconds, a negative value disables
	// the cache.
	OfficeCacheTTL time.Duration
	// Notifier writes the calendar files of the pages; nil means
	// notify.New(Config.BaseURL).
	Notifier *notify.Notifier
}

// New builds a Server. It loads the shared CSRF secret from the store.
// Config.SecretKeys is required: the staff sessions are sealed with it.
func New(ctx context.Context, o Options) (*Server, error) {
	if err := o.Config.RequireSecretKeys(); err != nil {
		return nil, err
	}
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
		sessStore = o.Store.SessionStore()
	}
	sessStore = sealedSessions{inner: sessStore, keys: o.Config.SecretKeys}
	notifier := o.Notifier
	if notifier == nil {
		notifier = notify.New(o.Config.BaseURL)
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
	s.notifier = notifier
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
