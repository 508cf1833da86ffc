// Package web is the HTTP layer: routes, middleware, forms and handlers.
// Handlers are methods on Server and get every dependency from it.
package web

import (
	"cmp"
	"context"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/config"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/metrics"
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
	// pages caches the public pages (see pagecache.go).
	pages *pageCache
	// metrics records requests, cache results, bookings… (nil-safe).
	metrics *metrics.Metrics
	// notifier writes the calendar files the pages offer for download.
	notifier *notify.Notifier
	// passwords bounds the argon2id computations running at once.
	passwords *auth.PasswordGate
	// catalog translates the public side (lang.go); pseudo makes the
	// default language the pseudo-locale (tests).
	catalog *i18n.Catalog
	pseudo  bool
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
	// notify.New(Config.BaseURL, nil).
	Notifier *notify.Notifier
	// PasswordGate bounds the password hashes computed at once; nil
	// means one per CPU, each request waiting at most passwordWait.
	PasswordGate *auth.PasswordGate
	// Metrics records what the server does; nil means metrics.New over
	// the store (served by MetricsHandler).
	Metrics *metrics.Metrics
	// PageCacheTTL bounds how long a public page is served from memory
	// without being rendered again: 0 means pageCacheTTL (60 seconds).
	PageCacheTTL time.Duration
	// Catalog holds the languages of the public side; nil means the
	// embedded catalogues (i18n.Load). Every language but the default one
	// is served under its own path prefix (/en/…).
	Catalog *i18n.Catalog
	// PseudoLocale renders the default language through the pseudo-locale,
	// every catalogue message wrapped in ⟦ ⟧ (tests find untranslated text).
	PseudoLocale bool
}

// passwordWait is how long a login waits for a free password check
// before it is answered 429 "riprova tra poco".
const passwordWait = 2 * time.Second

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
	catalog := o.Catalog
	if catalog == nil {
		if catalog, err = i18n.Load(); err != nil {
			return nil, err
		}
	}
	notifier := o.Notifier
	if notifier == nil {
		notifier = notify.New(o.Config.BaseURL, catalog)
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
	s.catalog, s.pseudo = catalog, o.PseudoLocale
	s.passwords = o.PasswordGate
	if s.passwords == nil {
		s.passwords = auth.NewPasswordGate(runtime.NumCPU(), passwordWait)
	}
	s.offices = newOfficeCache(o.Store, cmp.Or(o.OfficeCacheTTL, defaultOfficeCacheTTL))
	s.metrics = o.Metrics
	if s.metrics == nil {
		s.metrics = metrics.New(o.Store)
	}
	s.pages = newPageCache(cmp.Or(o.PageCacheTTL, pageCacheTTL), pageCacheMaxBytes, s.metrics)
	return s, nil
}

// Run does the server's background work until ctx is done: it listens
// for content and office changes to keep the cached pages and office data
// correct across instances (changes.go).
func (s *Server) Run(ctx context.Context) {
	s.watchChanges(ctx)
}

// MetricsHandler serves the server's metrics in the Prometheus format. It
// belongs on the METRICS_ADDR listener, never on the public handler.
func (s *Server) MetricsHandler() http.Handler {
	return s.metrics.Handler()
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
