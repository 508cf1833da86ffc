package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// ratingFor builds the rating component for the current page.
func (s *Server) ratingFor(r *http.Request, question string) *templates.RatingForm {
	return &templates.RatingForm{Question: question, Page: r.URL.Path}
}

// ratingForm is the submitted page-rating form.
type ratingForm struct {
	Page    string
	Stars   int
	Answer  string
	Comment string
	Ref     string
	Errors  map[string]string
}

func parseRatingForm(r *http.Request) ratingForm {
	f := ratingForm{
		Page:   strings.TrimSpace(r.PostFormValue("page")),
		Answer: strings.TrimSpace(r.PostFormValue("answer")),
		Ref:    r.PostFormValue("ref"),
		Errors: map[string]string{},
	}
	// Two comment inputs exist when JavaScript shows the follow-up in place;
	// take the one that was filled in.
	for _, c := range r.PostForm["comment"] {
		if c = strings.TrimSpace(c); c != "" {
			f.Comment = c
			break
		}
	}
	f.Stars, _ = strconv.Atoi(r.PostFormValue("stars"))
	return f
}

// Validate fills f.Errors.
func (f *ratingForm) Validate() {
	if f.Stars < 1 || f.Stars > 5 {
		f.Errors["stars"] = "Scegli un valore da 1 a 5 stelle."
	}
	if f.Answer != "" && !contains(templates.RatingAnswers(f.Stars), f.Answer) {
		f.Errors["answer"] = "Scegli una delle risposte proposte."
	}
	if utf8.RuneCountInString(f.Comment) > 200 {
		f.Errors["comment"] = "Il commento può avere al massimo 200 caratteri."
	}
}

// sitePage returns p when it is a page of this site, else "/": the
// rating's thank-you page links back to it, so it must never lead to
// another host. p must be a plain path (no scheme, host, query or
// fragment) starting with a single "/" (not "//" nor "/\", which
// browsers read as another host), without backslashes or control
// characters (browsers drop TAB and newlines, turning "/\t/x" into
// "//x"), at most 200 bytes, and a GET route of the router serving r.
func sitePage(r *http.Request, p string) string {
	const home = "/"
	if p == "" || len(p) > 200 || p[0] != '/' || strings.HasPrefix(p, "//") || strings.ContainsAny(p, `\?#`) {
		return home
	}
	for _, c := range p {
		if c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == utf8.RuneError {
			return home
		}
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" {
		return home
	}
	rctx := chi.RouteContext(r.Context())
	if rctx == nil || rctx.Routes == nil || !rctx.Routes.Match(chi.NewRouteContext(), http.MethodGet, u.EscapedPath()) {
		return home
	}
	return p
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// ratingRef signs the stars of a first-step rating so the no-JavaScript
// follow-up cannot be replayed with a different value.
func (s *Server) ratingRef(page string, stars int) string {
	m := hmac.New(sha256.New, s.csrf.key)
	m.Write([]byte("rating|" + page + "|" + strconv.Itoa(stars)))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// The rating form has no per-visitor token (the pages carrying it are
// cached documents): http.CrossOriginProtection refuses cross-site posts,
// a honeypot field catches robots and each client may store ratingMax
// ratings per ratingWindow.
const (
	ratingWindow = time.Hour
	ratingMax    = 30
)

// ratingLimitKey is the rate-limit key of the client: a keyed hash of its
// address, so that no address is stored with the ratings' counters.
func (s *Server) ratingLimitKey(r *http.Request) string {
	m := hmac.New(sha256.New, s.csrf.key)
	m.Write([]byte("rating-limit|" + s.clientIP(r)))
	return "rating:" + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// ratingSubmit stores a page rating. With JavaScript the stars and the
// follow-up arrive together and are stored at once. Without it the stars
// come first and the follow-up is asked on its own page, carrying the
// stars signed; the rating is stored once, when that page is sent, with or
// without details.
func (s *Server) ratingSubmit(w http.ResponseWriter, r *http.Request) {
	f := parseRatingForm(r)
	f.Validate()
	f.Page = sitePage(r, f.Page)
	p := s.page(w, r, "Valuta questa pagina", home, templates.Crumb{Label: "Valuta questa pagina"})
	rf := templates.RatingForm{Question: "Quanto sono chiare le informazioni su questa pagina?", Page: f.Page,
		Stars: f.Stars, Answer: f.Answer, Comment: f.Comment, Errors: f.Errors}
	if len(f.Errors) > 0 {
		if f.Ref != "" {
			rf.Step2, rf.RatingRef = true, f.Ref
		}
		p.Rating = &rf
		s.render(w, r, http.StatusUnprocessableEntity, templates.RatingPage(p, f.Page))
		return
	}
	detailed := f.Answer != "" || f.Comment != ""
	if !detailed && f.Ref == "" {
		// First step without JavaScript: ask the follow-up on its own page.
		rf.Step2, rf.RatingRef = true, s.ratingRef(f.Page, f.Stars)
		p.Rating = &rf
		s.render(w, r, http.StatusOK, templates.RatingPage(p, f.Page))
		return
	}
	if f.Ref != "" && !hmac.Equal([]byte(f.Ref), []byte(s.ratingRef(f.Page, f.Stars))) {
		s.forbidden(w, r)
		return
	}
	if r.PostFormValue(honeypotField) != "" {
		s.errorPage(w, r, http.StatusUnprocessableEntity, "Valutazione non registrata",
			"La valutazione contiene dati non validi e non è stata registrata.")
		return
	}
	allowed, err := s.store.AllowSubmission(r.Context(), s.ratingLimitKey(r), s.now(), ratingWindow, ratingMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		s.errorPage(w, r, http.StatusTooManyRequests, "Troppe valutazioni",
			"Da questa connessione sono arrivate molte valutazioni in poco tempo: questa non è stata registrata. Riprova più tardi.")
		return
	}
	if err := s.store.AddRating(r.Context(), store.Rating{PagePath: f.Page, Stars: f.Stars, Answer: f.Answer, Comment: f.Comment}); err != nil {
		s.serverError(w, r, err)
		return
	}
	rf.Done = true
	p.Rating = &rf
	s.render(w, r, http.StatusOK, templates.RatingPage(p, f.Page))
}
