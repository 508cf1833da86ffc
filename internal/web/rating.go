package web

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// ratingQuestion is the question of the rating component on the
// information pages (the booking confirmation asks about the service).
const ratingQuestion = "Quanto sono chiare le informazioni su questa pagina?"

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
	if !strings.HasPrefix(f.Page, "/") || len(f.Page) > 200 {
		f.Page = "/"
	}
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

// ratingSubmit stores a page rating. With JavaScript the stars and the
// follow-up arrive together and are stored at once. Without it the stars
// come first and the follow-up is asked on its own page, carrying the
// stars signed; the rating is stored once, when that page is sent, with or
// without details.
func (s *Server) ratingSubmit(w http.ResponseWriter, r *http.Request) {
	f := parseRatingForm(r)
	f.Validate()
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
	if err := s.store.AddRating(r.Context(), store.Rating{PagePath: f.Page, Stars: f.Stars, Answer: f.Answer, Comment: f.Comment}); err != nil {
		s.serverError(w, r, err)
		return
	}
	rf.Done = true
	p.Rating = &rf
	s.render(w, r, http.StatusOK, templates.RatingPage(p, f.Page))
}
