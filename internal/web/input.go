package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// cleanInput is the one gate for bytes that are not text in what reaches
// the handlers: the path (and so every path parameter), every query
// parameter and every form field of a URL-encoded body. NUL bytes, invalid
// UTF-8 (overlong encodings such as %C0%AF and surrogates such as
// %ED%A0%80 included) and control characters never reach a handler, a
// template or SQL (PostgreSQL refuses them with SQLSTATE 22021/22P05):
//
//   - in the path or the query: 400, with every control character refused
//     (a URL has no line breaks);
//   - in a form field: 422, with tab, line feed and carriage return
//     allowed in values (multi-line fields such as notes and sheets need
//     them) and refused in names.
//
// The body is parsed here, once, within limitBody's 64 KiB: a larger one
// answers 413. Multipart bodies are never parsed (no form of the portal
// sends one), so their fields never reach a handler.
func (s *Server) cleanInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// This runs before the router gives the request its language:
		// the refusals below take it from the path.
		r = s.pathLang(r)
		if !isText(r.URL.Path, false) {
			s.badInput(w, r, http.StatusBadRequest)
			return
		}
		query, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil || !valuesAreText(query, false) {
			s.badInput(w, r, http.StatusBadRequest)
			return
		}
		if err := r.ParseForm(); err != nil {
			if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
				l := s.loc(r)
				s.errorPage(w, sanitisedURL(r), http.StatusRequestEntityTooLarge, l.T("error.too_large.title"), l.T("error.too_large.text"))
				return
			}
			s.badInput(w, r, http.StatusUnprocessableEntity)
			return
		}
		if !valuesAreText(r.PostForm, true) {
			s.badInput(w, r, http.StatusUnprocessableEntity)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// badInput answers a request carrying bytes that are not text: 400 for
// the address, 422 for a form.
func (s *Server) badInput(w http.ResponseWriter, r *http.Request, status int) {
	r = sanitisedURL(r)
	l := s.loc(r)
	if status == http.StatusBadRequest {
		s.errorPage(w, r, status, l.T("error.bad_address.title"), l.T("error.bad_address.text"))
		return
	}
	s.errorPage(w, r, status, l.T("error.bad_text.title"), l.T("error.bad_text.text"))
}

// pathLang gives r the language its path starts with (/en/…), for the
// pages answered before the router does it (inLang).
func (s *Server) pathLang(r *http.Request) *http.Request {
	for _, l := range s.catalog.Langs() {
		p := l.Prefix()
		if p != "" && (r.URL.Path == p || strings.HasPrefix(r.URL.Path, p+"/")) {
			return r.WithContext(context.WithValue(r.Context(), langKey{}, l))
		}
	}
	return r
}

// sanitisedURL returns r with the path of the home page and no query, so
// that the error page never echoes the bytes it refused.
func sanitisedURL(r *http.Request) *http.Request {
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery = langOf(r).Path("/"), "", ""
	r2 := r.WithContext(r.Context())
	r2.URL = &u
	return r2
}

// valuesAreText reports whether every name and value of v is text; values
// may hold tab and line breaks when multiline.
func valuesAreText(v url.Values, multiline bool) bool {
	for k, vs := range v {
		if !isText(k, false) {
			return false
		}
		for _, x := range vs {
			if !isText(x, multiline) {
				return false
			}
		}
	}
	return true
}

// isText reports whether s is valid UTF-8 (no overlong encodings, no
// surrogates) without control characters (C0, DEL, C1); with multiline,
// tab, line feed and carriage return are allowed.
func isText(s string, multiline bool) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		switch {
		case c == '\t' || c == '\n' || c == '\r':
			if !multiline {
				return false
			}
		case c < 0x20, c == 0x7f, c >= 0x80 && c < 0xa0:
			return false
		}
	}
	return true
}
