package web

import (
	"context"
	"net/http"
	"time"
)

// watchChanges listens for content and office changes (store.WatchChanges)
// until ctx is done, reconnecting with a growing pause when the connection
// fails. Every notification makes the office data and the cached pages
// stale. Notifications sent while nobody listens are lost, so both caches
// are dropped on every (re)connection and on every loss, and keep nothing
// while the listener is away: every request then reads the database (or,
// if it is down too, gets the last good copy of a public page).
func (s *Server) watchChanges(ctx context.Context) {
	const maxPause = 30 * time.Second
	pause := time.Second
	for {
		err := s.store.WatchChanges(ctx, func() {
			s.offices.setListening(true)
			s.pages.setListening(true)
			pause = time.Second
		}, func(string, string) { s.contentChanged() })
		s.offices.setListening(false)
		s.pages.setListening(false)
		if ctx.Err() != nil {
			return
		}
		s.log.Warn("change listener stopped; cached pages and office data are not trusted until it reconnects",
			"err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, maxPause)
	}
}

// contentChanged makes the office data and every cached page stale. The
// office data goes first: a page rendered after this reads fresh data.
func (s *Server) contentChanged() {
	s.offices.invalidate()
	s.pages.invalidate()
}

// staffWrites drops this instance's caches as soon as a staff change
// succeeds (any unsafe request answered below 400), so that the page the
// browser is sent to next shows it: the notification of the change
// reaches every instance, this one too, but may come after that request.
func (s *Server) staffWrites(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		sw := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if sw.status < http.StatusBadRequest {
			s.contentChanged()
		}
	})
}

// statusRecorder remembers the status a handler answered.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (w *statusRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }
