package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The FAQ editor lives under staffFAQPath; each question under
// staffFAQItemPath(id).
const staffFAQPath = staffBase + "/faq"

func staffFAQItemPath(id int64) string { return staffFAQPath + "/" + strconv.FormatInt(id, 10) }

var staffFAQCrumb = templates.Crumb{Label: "Domande frequenti", Href: staffFAQPath}

// faqCtxKey carries the question loaded by loadStaffFAQ.
type faqCtxKey struct{}

// loadStaffFAQ guards /area-riservata/faq/{faqID}/...: it loads the
// question, published or not, or answers 404.
func (s *Server) loadStaffFAQ(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := officeSubID(r, "faqID")
		if !ok {
			s.staffNotFound(w, r)
			return
		}
		it, err := s.store.FAQItemByID(r.Context(), id)
		if s.staffStoreFailed(w, r, err) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), faqCtxKey{}, it)))
	})
}

// staffFAQFrom returns the question loaded by loadStaffFAQ.
func staffFAQFrom(ctx context.Context) store.FAQItem {
	it, _ := ctx.Value(faqCtxKey{}).(store.FAQItem)
	return it
}

// staffFAQ lists every question in page order, unpublished ones included.
func (s *Server) staffFAQ(w http.ResponseWriter, r *http.Request) {
	items, err := s.store.ListStaffFAQ(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v templates.StaffFAQView
	for i, it := range items {
		row := templates.StaffFAQRow{
			Position: i + 1, Question: it.Question, EditHref: staffFAQItemPath(it.ID),
			DeleteAction: staffFAQItemPath(it.ID) + "/elimina", Published: it.Published, Modified: staffTime(it.UpdatedAt),
		}
		if i > 0 {
			row.UpAction = staffFAQItemPath(it.ID) + "/su"
		}
		if i < len(items)-1 {
			row.DownAction = staffFAQItemPath(it.ID) + "/giu"
		}
		v.Items = append(v.Items, row)
	}
	sp := s.staffPage(r, "Domande frequenti", "faq", staffHome, templates.Crumb{Label: "Domande frequenti"})
	s.render(w, r, http.StatusOK, templates.StaffFAQPage(sp, v))
}

// staffFAQMoveUp moves a question one place up the page.
func (s *Server) staffFAQMoveUp(w http.ResponseWriter, r *http.Request) { s.staffFAQMove(w, r, true) }

// staffFAQMoveDown moves a question one place down the page.
func (s *Server) staffFAQMoveDown(w http.ResponseWriter, r *http.Request) {
	s.staffFAQMove(w, r, false)
}

func (s *Server) staffFAQMove(w http.ResponseWriter, r *http.Request, up bool) {
	it := staffFAQFrom(r.Context())
	me, _ := staffFrom(r.Context())
	moved, err := s.store.MoveFAQItem(r.Context(), me.ID, it.ID, up)
	if s.staffStoreFailed(w, r, err) {
		return
	}
	switch {
	case !moved && up:
		s.flash(r, "La domanda è già la prima.")
	case !moved:
		s.flash(r, "La domanda è già l'ultima.")
	default:
		s.flash(r, "Domanda spostata: «"+it.Question+"».")
	}
	http.Redirect(w, r, staffFAQPath, http.StatusSeeOther)
}

// staffFAQDelete removes a question; the audit log keeps its text.
func (s *Server) staffFAQDelete(w http.ResponseWriter, r *http.Request) {
	it := staffFAQFrom(r.Context())
	me, _ := staffFrom(r.Context())
	_, err := s.store.DeleteFAQItem(r.Context(), me.ID, it.ID)
	if s.staffStoreFailed(w, r, err) {
		return
	}
	s.flash(r, "Domanda eliminata: «"+it.Question+"».")
	http.Redirect(w, r, staffFAQPath, http.StatusSeeOther)
}
