package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
)

type ctxKey int

const (
	nonceKey ctxKey = iota
	requestStateKey
	// documentKey marks a request rendered as a document (pagecache.go):
	// page() then adds no per-visitor token and no nonce.
	documentKey
)

// requestState is what handlers tell the access log about a request.
type requestState struct {
	// cancelled: the client went away before the answer was complete.
	cancelled atomic.Bool
}

// statusClientClosed is the access log's status of a request the client
// abandoned (nginx's 499): it never goes on the wire.
const statusClientClosed = 499

// maxBodyBytes bounds every request body; forms are small.
const maxBodyBytes = 64 << 10

// nonceFrom returns the CSP nonce of the request.
func nonceFrom(ctx context.Context) string {
	n, _ := ctx.Value(nonceKey).(string)
	return n
}

// securityHeaders sets a strict nonce-based Content-Security-Policy and the
// other protective headers on every response.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 18)
		_, _ = rand.Read(b)
		nonce := base64.RawStdEncoding.EncodeToString(b)
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self' 'nonce-"+nonce+"'; "+
			"style-src 'self'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; "+
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
		setStaticSecurityHeaders(h)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), nonceKey, nonce)))
	})
}

// staticSecurityHeaders are the protective headers that are the same on
// every response (all but the CSP), keys in canonical form; the values
// are shared, never modified.
var staticSecurityHeaders = http.Header{
	"X-Content-Type-Options":     {"nosniff"},
	"Referrer-Policy":            {"strict-origin-when-cross-origin"},
	"X-Frame-Options":            {"DENY"},
	"Permissions-Policy":         {"camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	"Cross-Origin-Opener-Policy": {"same-origin"},
}

// setStaticSecurityHeaders sets staticSecurityHeaders on h.
func setStaticSecurityHeaders(h http.Header) {
	for k, v := range staticSecurityHeaders {
		h[k] = v
	}
}

// limitBody caps the size of every request body.
func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
		}
		next.ServeHTTP(w, r)
	})
}

// requestLogger logs one line per request: request id, method, route
// pattern (never the raw URL, which could carry data), status, duration.
// A request the client abandoned before its answer was complete is
// logged at info level with status 499, not as a server error.
func (s *Server) requestLogger(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		st := &requestState{}
		r = r.WithContext(context.WithValue(r.Context(), requestStateKey, st))
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		route := "unmatched"
		if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
			route = rc.RoutePattern()
		}
		status := ww.Status()
		if st.cancelled.Load() || (r.Context().Err() != nil && (status == 0 || status >= 500)) {
			status = statusClientClosed
		} else if status == 0 {
			status = http.StatusOK
		}
		level := slog.LevelInfo
		if status >= 500 && status != statusClientClosed {
			level = slog.LevelError
		}
		s.log.LogAttrs(r.Context(), level, "request",
			slog.String("request_id", middleware.GetReqID(r.Context())),
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int("bytes", ww.BytesWritten()),
			slog.Duration("duration", time.Since(start)),
		)
		s.metrics.Request(route, r.Method, status, time.Since(start))
	})
}

// clientGone reports whether the client abandoned the request (its
// context is cancelled: the connection closed or the request ended). It
// then logs the error at info level and marks the request for the access
// log; nothing is worth writing to a client that is not there.
func (s *Server) clientGone(r *http.Request, err error) bool {
	if r.Context().Err() == nil {
		return false
	}
	if st, ok := r.Context().Value(requestStateKey).(*requestState); ok {
		st.cancelled.Store(true)
	}
	s.log.Info("request cancelled by the client", "request_id", middleware.GetReqID(r.Context()), "method", r.Method,
		"path", routePattern(r), "err", err)
	return true
}

// recoverer turns a panic into a logged 500 page.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.log.Error("panic", "request_id", middleware.GetReqID(r.Context()), "method", r.Method, "panic", v)
				s.serverError(w, r, nil)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// crossOrigin rejects cross-origin unsafe requests (Go's
// CrossOriginProtection, based on Sec-Fetch-Site and Origin) with a 403.
func crossOrigin(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Richiesta rifiutata: proviene da un altro sito.", http.StatusForbidden)
	}))
	return cop.Handler(next)
}
