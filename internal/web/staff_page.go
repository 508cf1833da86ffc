package web

import (
	"errors"
	"net/http"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// staffHome is the first breadcrumb of the staff pages.
var staffHome = templates.Crumb{Label: "Area riservata", Href: staffBase}

// publicStaffPage builds the layout of the staff pages reached without a
// session (login, second factor, set password). Their forms carry the
// public double-submit token, since there is no session token yet.
func (s *Server) publicStaffPage(w http.ResponseWriter, r *http.Request, title string) templates.StaffPage {
	return templates.StaffPage{Page: templates.Page{
		Title: title,
		Path:  r.URL.Path,
		Nonce: nonceFrom(r.Context()),
		CSRF:  s.csrf.token(w, r),
		Asset: s.assets.URL,
		Site:  s.site(),
		// The public footer they share reads the (Italian) catalogue.
		L: s.catalog.Localizer(i18n.Default),
	}}
}

// staffPage builds the layout of a page for the logged-in account: its
// name and role, the session's CSRF token for the forms, and the flash
// message left by the previous request, if any.
func (s *Server) staffPage(r *http.Request, title, section string, crumbs ...templates.Crumb) templates.StaffPage {
	ctx := r.Context()
	sp := templates.StaffPage{Page: templates.Page{
		Title:       title,
		Path:        r.URL.Path,
		Nonce:       nonceFrom(ctx),
		CSRF:        s.sessions.GetString(ctx, sessCSRF),
		Asset:       s.assets.URL,
		Site:        s.site(),
		Breadcrumbs: crumbs,
		Flash:       s.sessions.PopString(ctx, sessFlash),
		Section:     section,
		L:           s.catalog.Localizer(i18n.Default),
	}}
	if u, ok := staffFrom(ctx); ok {
		sp.User = &templates.StaffUser{Name: u.DisplayName(), RoleLabel: u.Role.Label(), IsAdmin: u.Role == auth.RoleAdmin,
			CanEditContent: u.Role == auth.RoleAdmin || u.Role == auth.RoleEditor}
		sp.Locked = s.mustEnrolTOTP(u.Role, u.TOTPEnabled)
	}
	return sp
}

// mustEnrolTOTP reports whether an account must enrol the second factor
// before doing anything else.
func (s *Server) mustEnrolTOTP(role auth.Role, enabled bool) bool {
	return s.cfg.RequireAdminTOTP && role == auth.RoleAdmin && !enabled
}

// flash leaves a message for the next page the account sees.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), sessFlash, msg)
}

// staffError shows a message page with status inside the staff layout
// when someone is logged in, and the public error page otherwise.
func (s *Server) staffError(w http.ResponseWriter, r *http.Request, status int, title, msg string) {
	if _, ok := staffFrom(r.Context()); !ok {
		s.errorPage(w, r, status, title, msg)
		return
	}
	sp := s.staffPage(r, title, "", staffHome, templates.Crumb{Label: title})
	s.render(w, r, status, templates.StaffMessagePage(sp, templates.StaffMessage{Title: title, Message: msg,
		Links: []templates.Crumb{{Label: "Torna alla bacheca dell'area riservata", Href: staffBase}}}))
}

// staffNotFound is the 404 of the staff area. It is also the answer to an
// office the account may not manage: the page does not confirm that the
// office exists.
func (s *Server) staffNotFound(w http.ResponseWriter, r *http.Request) {
	s.staffError(w, r, http.StatusNotFound, "Pagina non trovata",
		"La pagina che cerchi non esiste oppure non rientra tra quelle che puoi gestire.")
}

// staffStoreFailed answers a failed store call of a staff page: a missing
// row (store.ErrNotFound) is the staff 404, any other error a 500. It
// reports whether it answered, i.e. whether err was not nil.
func (s *Server) staffStoreFailed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		s.staffNotFound(w, r)
	default:
		s.serverError(w, r, err)
	}
	return true
}
