package web

import (
	"errors"
	"net/http"

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Content edited in the back office (sheets, FAQ, office notes) is
// written in Italian and, optionally, in each other language of the
// catalogue. A page in another language shows that language's version
// when there is one, else the Italian text marked lang="it" under a
// notice (templates/content_lang.templ).

// contentLang describes content shown on a page of the request's
// language: translated says whether that language has its own version.
func contentLang(r *http.Request, translated bool) templates.ContentLang {
	l := langOf(r)
	if l == i18n.Default || translated {
		return templates.ContentLang{Lang: string(l)}
	}
	return templates.ContentLang{Lang: store.DefaultLang, Fallback: true}
}

// sheetInLang puts into sh the prose of its version in the request's
// language, when there is one, and says what is shown.
func (s *Server) sheetInLang(r *http.Request, sh *store.Sheet) (templates.ContentLang, error) {
	l := langOf(r)
	if l == i18n.Default {
		return contentLang(r, false), nil
	}
	t, err := s.store.SheetText(r.Context(), sh.ID, string(l))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return contentLang(r, false), nil
	case err != nil:
		return templates.ContentLang{}, err
	}
	*sh = sh.WithText(t)
	sh.Lang = string(l)
	return contentLang(r, true), nil
}

// listSheets returns the published sheets, with their titles and
// summaries in the request's language (sheetsInLang).
func (s *Server) listSheets(r *http.Request) ([]store.Sheet, error) {
	sheets, err := s.store.ListSheets(r.Context())
	if err != nil {
		return nil, err
	}
	return s.sheetsInLang(r, sheets)
}

// sheetsInLang gives each sheet of a list (services, topics, categories,
// home) its title and summary in the request's language where it has a
// text in it; the others stay Italian.
func (s *Server) sheetsInLang(r *http.Request, sheets []store.Sheet) ([]store.Sheet, error) {
	l := langOf(r)
	if l == i18n.Default {
		return sheets, nil
	}
	texts, err := s.store.SheetTexts(r.Context(), string(l))
	if err != nil {
		return nil, err
	}
	out := make([]store.Sheet, len(sheets))
	for i, sh := range sheets {
		if t, ok := texts[sh.ID]; ok {
			sh.Title, sh.Summary, sh.Lang = t.Title, t.Summary, string(l)
		}
		out[i] = sh
	}
	return out, nil
}

// faqInLang returns the questions with the text of the request's language
// where they have one, and what each shows.
func (s *Server) faqInLang(r *http.Request, items []store.FAQItem) ([]store.FAQItem, []templates.ContentLang, error) {
	l := langOf(r)
	shown := make([]templates.ContentLang, len(items))
	var texts map[int64]store.FAQText
	if l != i18n.Default {
		var err error
		if texts, err = s.store.FAQTexts(r.Context(), string(l)); err != nil {
			return nil, nil, err
		}
	}
	out := make([]store.FAQItem, len(items))
	for i, it := range items {
		t, ok := texts[it.ID]
		if ok {
			it.Question, it.AnswerMD, it.AnswerHTML = t.Question, t.AnswerMD, t.AnswerHTML
		}
		out[i], shown[i] = it, contentLang(r, ok)
	}
	return out, shown, nil
}

// officeInLang puts into o the notes of the request's language, when it
// has them, and says what the notes show.
func officeInLang(r *http.Request, o *store.Office) templates.ContentLang {
	l := langOf(r)
	if l == i18n.Default {
		return contentLang(r, false)
	}
	n, ok := o.Notes[string(l)]
	if ok {
		o.HoursNote, o.AccessibilityNotes = n.HoursNote, n.AccessibilityNotes
	}
	return contentLang(r, ok)
}

// withContent marks the sections of a sheet view that hold the sheet's
// own HTML (every one but the fixed conditions and contacts) with what
// they show.
func withContent(v templates.SheetView, c templates.ContentLang) templates.SheetView {
	v.Content = c
	for i, sec := range v.Sections {
		if sec.HTML != "" && sec.Kind != "file" && sec.Kind != "contacts" {
			v.Sections[i].Content = c
		}
	}
	return v
}
