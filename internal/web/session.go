package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/clientip"
	"github.com/udc-umbria/portal/internal/store"
)

// The staff area lives under staffBase; its session cookie is scoped to
// it, so public pages never receive it.
const (
	staffBase   = "/area-riservata"
	staffCookie = "udc_staff"
	// Defaults of the session timeouts: a session ends after 30 minutes
	// without requests, and 8 hours after login in any case.
	defaultStaffIdleTimeout = 30 * time.Minute
	defaultStaffLifetime    = 8 * time.Hour
	// pendingLoginTTL is how long the second-factor step may follow the
	// password step.
	pendingLoginTTL = 5 * time.Minute
)

// Session keys. Values are plain types, which gob encodes without
// registration.
const (
	sessUserID         = "uid"          // int64: the logged-in account
	sessVersion        = "ver"          // int: its session_version at login
	sessCSRF           = "csrf"         // string: the staff forms' token
	sessPendingUser    = "pending_uid"  // int64: password ok, code awaited
	sessPendingVersion = "pending_ver"  // int
	sessPendingAt      = "pending_at"   // int64: Unix time of the password step
	sessNext           = "next"         // string: where to go after the second factor
	sessFlash          = "flash"        // string: one-time message
	sessOneTimeLink    = "link"         // string: set-password link to show once
	sessTOTPSetup      = "totp_setup"   // string: secret being enrolled
	sessLinkUser       = "link_user_id" // int64: the account the link is for
)

// newSessionManager configures scs for the staff area: sessions in st
// (PostgreSQL, shared by every instance), HttpOnly SameSite=Lax cookie
// restricted to the staff area, Secure over TLS, idle and absolute
// timeouts.
func newSessionManager(st scs.Store, secure bool, idle, lifetime time.Duration) *scs.SessionManager {
	sm := scs.New()
	sm.Store = st
	sm.IdleTimeout = idle
	sm.Lifetime = lifetime
	sm.Cookie.Name = staffCookie
	sm.Cookie.Path = staffBase
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	// A session cookie: closing the browser ends the session too.
	sm.Cookie.Persist = false
	return sm
}

type staffCtxKey int

const (
	staffUserKey staffCtxKey = iota
	staffOfficeKey
)

// staffFrom returns the logged-in account of the request.
func staffFrom(ctx context.Context) (store.StaffUser, bool) {
	u, ok := ctx.Value(staffUserKey).(store.StaffUser)
	return u, ok
}

// loadStaff puts the logged-in account in the request context. A session
// whose account is gone, deactivated or reset (session_version changed)
// is destroyed: that is how an administrator ends someone's sessions on
// every instance at once.
func (s *Server) loadStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id := s.sessions.GetInt64(ctx, sessUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.store.StaffByID(ctx, id)
		switch {
		case errors.Is(err, store.ErrNotFound):
		case err != nil:
			s.serverError(w, r, err)
			return
		case u.Active && u.SessionVersion == s.sessions.GetInt(ctx, sessVersion):
			next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, staffUserKey, u)))
			return
		}
		if err := s.sessions.Destroy(ctx); err != nil {
			s.serverError(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireStaff lets only logged-in staff through; others are sent to the
// login form, which brings them back afterwards.
func (s *Server) requireStaff(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := staffFrom(r.Context()); !ok {
			// The destination travels in the URL, not in a session: an
			// anonymous visit must not create a session row.
			q := url.Values{}
			if r.Method == http.MethodGet && r.URL.Path != staffBase {
				q.Set("next", r.URL.RequestURI())
			}
			if _, err := r.Cookie(staffCookie); err == nil {
				// A session cookie without a valid session: it expired or
				// was ended.
				q.Set("esito", "scaduta")
			}
			to := staffBase + "/login"
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			http.Redirect(w, r, to, http.StatusSeeOther)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireTOTPEnrolment sends an administrator without a second factor to
// the enrolment page when REQUIRE_ADMIN_TOTP is set: until enrolled they
// can do nothing else (the enrolment page and logout sit outside this
// middleware).
func (s *Server) requireTOTPEnrolment(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, _ := staffFrom(r.Context())
		if s.mustEnrolTOTP(u.Role, u.TOTPEnabled) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, staffBase+"/sicurezza", http.StatusSeeOther)
				return
			}
			s.staffError(w, r, http.StatusForbidden, "Verifica in due passaggi richiesta",
				"Attiva la verifica in due passaggi dalla pagina Sicurezza dell'account prima di continuare.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// requireRole lets through only staff with one of roles; the others get
// 403.
func (s *Server) requireRole(roles ...auth.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, ok := staffFrom(r.Context())
			if !ok || !slices.Contains(roles, u.Role) {
				s.staffError(w, r, http.StatusForbidden, "Accesso non consentito",
					"Il tuo ruolo non permette di aprire questa pagina. Se ti serve, chiedi a un amministratore.")
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// canAccessOffice reports whether the logged-in account may manage office
// officeID: administrators every office, operatori only those assigned to
// them, redattori none.
func (s *Server) canAccessOffice(r *http.Request, officeID int64) bool {
	u, ok := staffFrom(r.Context())
	if !ok {
		return false
	}
	switch u.Role {
	case auth.RoleAdmin:
		return true
	case auth.RoleOperator:
		return slices.Contains(u.OfficeIDs(), officeID)
	}
	return false
}

// loadStaffOffice guards /area-riservata/uffici/{officeID}/...: it answers
// 404 — not 403, which would confirm the office exists — when the account
// may not manage the office, and otherwise puts the office in the context.
func (s *Server) loadStaffOffice(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.ParseInt(chi.URLParam(r, "officeID"), 10, 64)
		if err != nil || id <= 0 || !s.canAccessOffice(r, id) {
			s.staffNotFound(w, r)
			return
		}
		o, err := s.store.OfficeOverview(r.Context(), id)
		if s.staffStoreFailed(w, r, err) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), staffOfficeKey, o)))
	})
}

// staffOfficeFrom returns the office loaded by loadStaffOffice.
func staffOfficeFrom(ctx context.Context) store.OfficeOverview {
	o, _ := ctx.Value(staffOfficeKey).(store.OfficeOverview)
	return o
}

// staffCSRF checks the per-session token on every unsafe staff request:
// 403 without it. The token is made at login and kept in the session, so
// a form is valid exactly as long as the session that rendered it.
func (s *Server) staffCSRF(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			want := s.sessions.GetString(r.Context(), sessCSRF)
			got := r.PostFormValue(csrfField)
			if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
				s.staffError(w, r, http.StatusForbidden, "Richiesta non valida",
					"Il modulo è scaduto o non proviene da questo sito. Torna alla pagina precedente, ricaricala e invia di nuovo il modulo.")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// randomToken returns 32 random bytes in base64url.
func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// clientIP is the address the per-client limits count: the right-most
// X-Forwarded-For address that is not a trusted proxy when the peer is
// one (TRUSTED_PROXIES), otherwise the peer address (internal/clientip).
func (s *Server) clientIP(r *http.Request) string {
	return clientip.From(r.RemoteAddr, r.Header.Values("X-Forwarded-For"), s.cfg.Proxies())
}

// safeNext returns next when it is a path inside the staff area, else
// the dashboard: the login form never redirects elsewhere.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return staffBase
	}
	if clean := path.Clean(u.Path); clean != staffBase && !strings.HasPrefix(clean, staffBase+"/") {
		return staffBase
	}
	return next
}
