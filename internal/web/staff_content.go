package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/slug"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The service sheet editor lives under staffSheetsPath; each sheet under
// staffSheetPath(slug).
const staffSheetsPath = staffBase + "/schede"

func staffSheetPath(slug string) string { return staffSheetsPath + "/" + slug }

var staffSheetsCrumb = templates.Crumb{Label: "Schede dei servizi", Href: staffSheetsPath}

// sheetCtxKey carries the sheet loaded by loadStaffSheet.
type sheetCtxKey struct{}

// loadStaffSheet guards /area-riservata/schede/{slug}/...: it loads the
// sheet, draft or published, or answers 404.
func (s *Server) loadStaffSheet(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sh, err := s.store.SheetForEditing(r.Context(), chi.URLParam(r, "slug"))
		if s.staffStoreFailed(w, r, err) {
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), sheetCtxKey{}, sh)))
	})
}

// staffSheetFrom returns the sheet loaded by loadStaffSheet.
func staffSheetFrom(ctx context.Context) store.Sheet {
	sh, _ := ctx.Value(sheetCtxKey{}).(store.Sheet)
	return sh
}

// today is the current date in Rome, as the date columns store it.
func (s *Server) today() time.Time {
	d := hours.DateOf(s.now())
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// sheetSlug makes the address of a new sheet from its title. "nuova" is
// the address of the new-sheet form, so a sheet cannot have it.
func sheetSlug(title string) string {
	sl := slug.Make(title)
	if sl == "nuova" {
		return "nuova-scheda"
	}
	return sl
}

// staffSheets lists every sheet, drafts included.
func (s *Server) staffSheets(w http.ResponseWriter, r *http.Request) {
	sheets, err := s.store.ListStaffSheets(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v templates.StaffSheetsView
	for _, sh := range sheets {
		row := templates.StaffSheetRow{
			Title: sh.Title, EditHref: staffSheetPath(sh.Slug), VersionsHref: staffSheetPath(sh.Slug) + "/versioni",
			Draft: sh.Publication != "published", Inactive: sh.ServiceStatus == "inactive", Version: sh.Version,
			Modified: staffTime(sh.ModifiedAt), ModifiedBy: authorLabel(sh.ChangedBy, sh.ChangedByName),
		}
		if !row.Draft {
			row.PublicHref = "/servizi/" + sh.Slug
		}
		v.Sheets = append(v.Sheets, row)
	}
	sp := s.staffPage(r, "Schede dei servizi", "schede", staffHome, templates.Crumb{Label: "Schede dei servizi"})
	s.render(w, r, http.StatusOK, templates.StaffSheetsPage(sp, v))
}

// authorLabel names the author of a version: the person and their e-mail
// for staff, the import otherwise.
func authorLabel(changedBy, name string) string {
	switch {
	case name != "":
		return name + " (" + changedBy + ")"
	case strings.Contains(changedBy, "@"):
		return changedBy
	case changedBy == "":
		return "non indicato"
	}
	return "Importazione automatica (" + changedBy + ")"
}
