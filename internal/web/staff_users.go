package web

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// staffUsersPath is the list of accounts; staffUserPath one account.
const staffUsersPath = staffBase + "/utenti"

func staffUserPath(id int64) string { return staffUsersPath + "/" + strconv.FormatInt(id, 10) }

var staffUsersCrumb = templates.Crumb{Label: "Personale", Href: staffUsersPath}

// staffUsers lists every account.
func (s *Server) staffUsers(w http.ResponseWriter, r *http.Request) {
	users, err := s.store.ListStaff(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var v templates.StaffUsersView
	for _, u := range users {
		row := templates.StaffUserRow{Href: staffUserPath(u.ID), Name: u.DisplayName(), Email: u.Email,
			RoleLabel: u.Role.Label(), TOTP: u.TOTPEnabled, LastLogin: "mai"}
		for _, o := range u.Offices {
			row.Offices = append(row.Offices, o.Name)
		}
		switch {
		case !u.Active:
			row.Status = "Disattivato"
		case !u.HasPassword():
			row.Status = "In attesa della password"
		default:
			row.Status = "Attivo"
		}
		if u.LastLoginAt != nil {
			row.LastLogin = staffTime(*u.LastLoginAt)
		}
		v.Users = append(v.Users, row)
	}
	sp := s.staffPage(r, "Personale", "utenti", staffHome, templates.Crumb{Label: "Personale"})
	s.render(w, r, http.StatusOK, templates.StaffUsersPage(sp, v))
}

// staffUserInput is the submitted invite or edit form.
type staffUserInput struct {
	Email     string
	Name      string
	Role      auth.Role
	RoleRaw   string
	Active    bool
	OfficeIDs []int64
	Errors    map[string]string
}

// parseStaffUserInput reads the form; offices must be among known ones.
func parseStaffUserInput(r *http.Request, known []store.OfficeRef) staffUserInput {
	in := staffUserInput{
		Email:   auth.NormalizeEmail(r.PostFormValue("email")),
		Name:    strings.Join(strings.Fields(r.PostFormValue("name")), " "),
		RoleRaw: r.PostFormValue("role"),
		Active:  r.PostFormValue("active") == "1",
		Errors:  map[string]string{},
	}
	in.Role, _ = auth.ParseRole(in.RoleRaw)
	for _, v := range r.PostForm["offices"] {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || !slices.ContainsFunc(known, func(o store.OfficeRef) bool { return o.ID == id }) {
			in.Errors["offices"] = "Scegli gli uffici dall'elenco."
			continue
		}
		if !slices.Contains(in.OfficeIDs, id) {
			in.OfficeIDs = append(in.OfficeIDs, id)
		}
	}
	return in
}

// Validate fills in.Errors; newAccount also checks the e-mail address.
func (in *staffUserInput) Validate(newAccount bool) {
	if newAccount {
		if msg := auth.CheckEmail(in.Email); msg != "" {
			in.Errors["email"] = msg
		}
	}
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		in.Errors["name"] = "Inserisci nome e cognome."
	case n > 100:
		in.Errors["name"] = "Nome e cognome possono avere al massimo 100 caratteri."
	}
	if in.Role == "" {
		in.Errors["role"] = "Scegli il ruolo."
	}
	if in.Role == auth.RoleOperator && len(in.OfficeIDs) == 0 && in.Errors["offices"] == "" {
		in.Errors["offices"] = "Assegna almeno un ufficio: un operatore gestisce solo gli uffici assegnati."
	}
}

// userForm builds the form view from input values.
func userForm(in staffUserInput, offices []store.OfficeRef) templates.StaffUserForm {
	f := templates.StaffUserForm{Email: in.Email, Name: in.Name, Role: in.RoleRaw, Active: in.Active, Errors: in.Errors}
	for _, r := range auth.Roles() {
		f.Roles = append(f.Roles, templates.Choice{Value: string(r), Label: r.Label(), Hint: r.Description(), Selected: string(r) == in.RoleRaw})
	}
	for _, o := range offices {
		f.Offices = append(f.Offices, templates.Choice{Value: strconv.FormatInt(o.ID, 10), Label: o.Name, Selected: slices.Contains(in.OfficeIDs, o.ID)})
	}
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	return f
}

// staffUserNew shows the invite form.
func (s *Server) staffUserNew(w http.ResponseWriter, r *http.Request) {
	offices, err := s.store.ListOfficeRefs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	f := userForm(staffUserInput{Active: true}, offices)
	f.Action = staffUsersPath + "/nuovo"
	sp := s.staffPage(r, "Invita una persona", "utenti", staffHome, staffUsersCrumb, templates.Crumb{Label: "Invita una persona"})
	s.render(w, r, http.StatusOK, templates.StaffUserFormPage(sp, f))
}

// staffUserCreate creates the account and shows, once, the one-time link
// to hand over.
func (s *Server) staffUserCreate(w http.ResponseWriter, r *http.Request) {
	me, _ := staffFrom(r.Context())
	offices, err := s.store.ListOfficeRefs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := parseStaffUserInput(r, offices)
	in.Active = true
	in.Validate(true)
	if len(in.Errors) == 0 {
		u, token, err := s.store.CreateStaff(r.Context(), me.ID, store.NewStaff{Email: in.Email, Name: in.Name, Role: in.Role, OfficeIDs: in.OfficeIDs}, s.now())
		switch {
		case errors.Is(err, store.ErrEmailTaken):
			in.Errors["email"] = "Esiste già un account con questo indirizzo e-mail."
		case errors.Is(err, store.ErrUnknownOffice):
			in.Errors["offices"] = "Uno degli uffici scelti non esiste più: ricarica la pagina e scegli di nuovo."
		case err != nil:
			s.serverError(w, r, err)
			return
		default:
			s.showLinkOnce(r, u.ID, token)
			s.flash(r, "Account creato per "+u.DisplayName()+".")
			http.Redirect(w, r, staffUserPath(u.ID), http.StatusSeeOther)
			return
		}
	}
	f := userForm(in, offices)
	f.Action = staffUsersPath + "/nuovo"
	sp := s.staffPage(r, "Invita una persona", "utenti", staffHome, staffUsersCrumb, templates.Crumb{Label: "Invita una persona"})
	s.render(w, r, http.StatusUnprocessableEntity, templates.StaffUserFormPage(sp, f))
}

// showLinkOnce keeps a one-time link in the session for the next page of
// that account only: the portal stores only its hash, so this is the one
// time it can be shown.
func (s *Server) showLinkOnce(r *http.Request, userID int64, token string) {
	s.sessions.Put(r.Context(), sessOneTimeLink, token)
	s.sessions.Put(r.Context(), sessLinkUser, userID)
}

// staffUserTarget loads the account named in the URL, or answers 404.
func (s *Server) staffUserTarget(w http.ResponseWriter, r *http.Request) (store.StaffUser, bool) {
	id, err := strconv.ParseInt(chi.URLParam(r, "userID"), 10, 64)
	if err != nil || id <= 0 {
		s.staffNotFound(w, r)
		return store.StaffUser{}, false
	}
	u, err := s.store.StaffByID(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		s.staffNotFound(w, r)
		return store.StaffUser{}, false
	}
	if err != nil {
		s.serverError(w, r, err)
		return store.StaffUser{}, false
	}
	return u, true
}

// editForm is the page of an existing account.
func (s *Server) editForm(r *http.Request, u store.StaffUser, in staffUserInput, offices []store.OfficeRef) (templates.StaffPage, templates.StaffUserForm) {
	me, _ := staffFrom(r.Context())
	f := userForm(in, offices)
	f.Edit, f.Email, f.Self = true, u.Email, me.ID == u.ID
	f.Action, f.ResetAction = staffUserPath(u.ID), staffUserPath(u.ID)+"/reimposta-accesso"
	f.PasswordSet, f.TOTPEnabled, f.LastLogin = u.HasPassword(), u.TOTPEnabled, "mai"
	if u.LastLoginAt != nil {
		f.LastLogin = staffTime(*u.LastLoginAt)
	}
	if s.sessions.GetInt64(r.Context(), sessLinkUser) == u.ID {
		if token := s.sessions.PopString(r.Context(), sessOneTimeLink); token != "" {
			s.sessions.Remove(r.Context(), sessLinkUser)
			f.OneTimeLink = SetPasswordLink(s.cfg.BaseURL, token)
			f.LinkExpires = staffTime(s.now().Add(store.SetPasswordTTL))
		}
	}
	sp := s.staffPage(r, u.DisplayName(), "utenti", staffHome, staffUsersCrumb, templates.Crumb{Label: u.DisplayName()})
	return sp, f
}

// staffUser shows an account with its edit form.
func (s *Server) staffUser(w http.ResponseWriter, r *http.Request) {
	u, ok := s.staffUserTarget(w, r)
	if !ok {
		return
	}
	offices, err := s.store.ListOfficeRefs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := staffUserInput{Name: u.Name, RoleRaw: string(u.Role), Role: u.Role, Active: u.Active, OfficeIDs: u.OfficeIDs()}
	sp, f := s.editForm(r, u, in, offices)
	s.render(w, r, http.StatusOK, templates.StaffUserFormPage(sp, f))
}

// staffUserUpdate saves name, role, offices and status. Administrators
// cannot change their own role or deactivate themselves, so the portal
// never loses its last administrator by accident.
func (s *Server) staffUserUpdate(w http.ResponseWriter, r *http.Request) {
	me, _ := staffFrom(r.Context())
	u, ok := s.staffUserTarget(w, r)
	if !ok {
		return
	}
	offices, err := s.store.ListOfficeRefs(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	in := parseStaffUserInput(r, offices)
	if u.ID == me.ID {
		in.Role, in.RoleRaw, in.Active = u.Role, string(u.Role), true
	}
	in.Validate(false)
	if len(in.Errors) > 0 {
		sp, f := s.editForm(r, u, in, offices)
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffUserFormPage(sp, f))
		return
	}
	_, err = s.store.UpdateStaff(r.Context(), me.ID, u.ID, store.StaffChanges{Name: in.Name, Role: in.Role, Active: in.Active, OfficeIDs: in.OfficeIDs})
	if errors.Is(err, store.ErrUnknownOffice) {
		in.Errors["offices"] = "Uno degli uffici scelti non esiste più: ricarica la pagina e scegli di nuovo."
		sp, f := s.editForm(r, u, in, offices)
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffUserFormPage(sp, f))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r, "Modifiche salvate.")
	http.Redirect(w, r, staffUserPath(u.ID), http.StatusSeeOther)
}

// staffUserReset clears the account's password and second factor, ends
// its sessions and shows a new one-time link.
func (s *Server) staffUserReset(w http.ResponseWriter, r *http.Request) {
	me, _ := staffFrom(r.Context())
	u, ok := s.staffUserTarget(w, r)
	if !ok {
		return
	}
	if u.ID == me.ID {
		s.staffError(w, r, http.StatusForbidden, "Operazione non consentita",
			"Non puoi reimpostare il tuo accesso: chiedilo a un altro amministratore.")
		return
	}
	token, err := s.store.ResetStaffAccess(r.Context(), me.ID, u.ID, s.now())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	s.showLinkOnce(r, u.ID, token)
	s.flash(r, "Accesso reimpostato: le sessioni aperte di "+u.DisplayName()+" sono state chiuse.")
	http.Redirect(w, r, staffUserPath(u.ID), http.StatusSeeOther)
}
