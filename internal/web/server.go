// Package web is the HTTP layer: routes, middleware, forms and handlers.
// Handlers are methods on Server and get every dependency from it.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

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
}

// Options are the inputs to New.
type Options struct {
	Config config.Config
	Store  Store
	Logger *slog.Logger
	Assets *static.Assets
	// Now overrides the clock (tests); nil means time.Now.
	Now func() time.Time
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
	return &Server{
		cfg:    o.Config,
		store:  o.Store,
		log:    o.Logger,
		assets: o.Assets,
		csrf:   newCSRFGuard(key, o.Config.SecureCookies()),
		now:    now,
	}, nil
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
