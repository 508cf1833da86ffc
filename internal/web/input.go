package web

import (
	"errors"
	"net/http"
	"net/url"
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
				s.errorPage(w, sanitisedURL(r), http.StatusRequestEntityTooLarge, "Modulo troppo grande",
					"Il modulo che hai inviato è troppo grande e non è stato salvato. Accorcia i testi e invialo di nuovo.")
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
	if status == http.StatusBadRequest {
		s.errorPage(w, r, status, "Indirizzo non valido",
			"L'indirizzo della pagina contiene caratteri non ammessi (caratteri di controllo o byte che non formano testo). "+
				"Controlla l'indirizzo oppure riparti dalla pagina iniziale.")
		return
	}
	s.errorPage(w, r, status, "Testo non valido",
		"Il modulo contiene caratteri non ammessi (caratteri di controllo o byte che non formano testo), "+
			"ad esempio copiati da un altro programma. Non abbiamo salvato nulla: torna alla pagina precedente, "+
			"riscrivi il testo e invia di nuovo il modulo.")
}

// sanitisedURL returns r with the path "/" and no query, so that the
// error page never echoes the bytes it refused.
func sanitisedURL(r *http.Request) *http.Request {
	u := *r.URL
	u.Path, u.RawPath, u.RawQuery = "/", "", ""
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
