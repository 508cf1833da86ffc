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

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// ratingQuestion is the catalogue ID of the question of the rating
// component on the information pages (the booking confirmation asks about
// the service).
const ratingQuestion = "rating.question.page"

// ratingFor builds the rating component for the current page; question is
// a catalogue ID. The page is the request's path, language prefix
// included, so that the thank-you page stays in that language.
func (s *Server) ratingFor(r *http.Request, question string) *templates.RatingForm {
	return &templates.RatingForm{Question: s.loc(r).T(question), Page: r.URL.Path}
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

// Validate fills f.Errors with messages of l's language.
func (f *ratingForm) Validate(l *i18n.Localizer) {
	if f.Stars < 1 || f.Stars > 5 {
		f.Errors["stars"] = l.T("rating.error.stars")
	}
	if f.Answer != "" && !contains(templates.RatingAnswers(f.Stars), f.Answer) {
		f.Errors["answer"] = l.T("rating.error.answer")
	}
	if utf8.RuneCountInString(f.Comment) > 200 {
		f.Errors["comment"] = l.T("rating.error.comment")
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
	l := s.loc(r)
	f := parseRatingForm(r)
	f.Validate(l)
	f.Page = sitePage(r, f.Page)
	p := s.page(w, r, l.T("rating.title"), home, templates.Crumb{Label: l.T("rating.title")})
	rf := templates.RatingForm{Question: l.T(ratingQuestion), Page: f.Page,
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
		s.errorPage(w, r, http.StatusUnprocessableEntity, l.T("rating.error.invalid_title"), l.T("rating.error.invalid"))
		return
	}
	allowed, err := s.store.AllowSubmission(r.Context(), s.ratingLimitKey(r), s.now(), ratingWindow, ratingMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		s.errorPage(w, r, http.StatusTooManyRequests, l.T("rating.error.too_many_title"), l.T("rating.error.too_many"))
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
