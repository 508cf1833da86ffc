package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
)

const (
	csrfCookie = "udc_csrf"
	csrfField  = "csrf_token"
)

// csrfGuard implements signed double-submit tokens: a random value in an
// HttpOnly cookie and, in every form, its HMAC under a key shared by all
// instances. It complements http.CrossOriginProtection for browsers that
// send neither Sec-Fetch-Site nor Origin.
type csrfGuard struct {
	key    []byte
	secure bool
}

func newCSRFGuard(key []byte, secure bool) *csrfGuard { return &csrfGuard{key: key, secure: secure} }

// token returns the form token for the request, setting the cookie when
// the browser has none yet.
func (g *csrfGuard) token(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(csrfCookie)
	if err != nil || len(c.Value) < 20 {
		b := make([]byte, 24)
		_, _ = rand.Read(b)
		c = &http.Cookie{Name: csrfCookie, Value: base64.RawURLEncoding.EncodeToString(b), Path: "/",
			HttpOnly: true, Secure: g.secure, SameSite: http.SameSiteLaxMode}
		http.SetCookie(w, c)
		r.AddCookie(c)
	}
	return g.sign(c.Value)
}

func (g *csrfGuard) sign(v string) string {
	m := hmac.New(sha256.New, g.key)
	m.Write([]byte(v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// valid reports whether the submitted form token matches the cookie.
func (g *csrfGuard) valid(r *http.Request) bool {
	c, err := r.Cookie(csrfCookie)
	if err != nil {
		return false
	}
	got := r.PostFormValue(csrfField)
	return got != "" && hmac.Equal([]byte(got), []byte(g.sign(c.Value)))
}

// protect rejects unsafe requests without a valid token with 403.
func (s *Server) protect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
		default:
			if !s.csrf.valid(r) {
				s.forbidden(w, r)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
