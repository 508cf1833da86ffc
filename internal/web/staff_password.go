package web

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// setPasswordPath is the path of the one-time link handed to staff to
// choose a password.
func setPasswordPath(token string) string { return staffBase + "/imposta-password/" + token }

// SetPasswordLink is the absolute one-time link for token, as printed by
// `portal user add` and shown to administrators.
func SetPasswordLink(baseURL, token string) string { return baseURL + setPasswordPath(token) }

// setPasswordTarget loads the account of the link in the URL, or shows
// why the link cannot be used and reports false.
func (s *Server) setPasswordTarget(w http.ResponseWriter, r *http.Request) (store.StaffUser, bool) {
	u, err := s.store.StaffByToken(r.Context(), chi.URLParam(r, "token"), s.now())
	if err == nil {
		return u, true
	}
	m := templates.StaffMessage{Links: []templates.Crumb{{Label: "Vai al modulo di accesso", Href: staffBase + "/login"}}}
	status := http.StatusGone
	switch {
	case errors.Is(err, store.ErrTokenExpired):
		m.Title = "Il link è scaduto"
		m.Message = "I link per scegliere la password valgono 72 ore. Chiedi a un amministratore di reimpostare il tuo accesso: riceverai un nuovo link."
	case errors.Is(err, store.ErrTokenUsed):
		m.Title = "Il link è già stato usato"
		m.Message = "Ogni link per scegliere la password vale una sola volta, e un link nuovo annulla quelli precedenti. Se hai già scelto la password, accedi; altrimenti chiedi un nuovo link a un amministratore."
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
		m.Title = "Link non valido"
		m.Message = "Il link non corrisponde a nessun account attivo. Controlla di averlo copiato per intero, oppure chiedi un nuovo link a un amministratore."
	default:
		s.serverError(w, r, err)
		return store.StaffUser{}, false
	}
	s.render(w, r, status, templates.StaffMessagePage(s.publicStaffPage(w, r, m.Title), m))
	return store.StaffUser{}, false
}

// setPasswordForm shows the form of a one-time link.
func (s *Server) setPasswordForm(w http.ResponseWriter, r *http.Request) {
	u, ok := s.setPasswordTarget(w, r)
	if !ok {
		return
	}
	s.render(w, r, http.StatusOK, templates.SetPasswordPage(s.publicStaffPage(w, r, "Scegli la password"),
		templates.SetPasswordForm{Action: r.URL.Path, Email: u.Email, Name: u.Name, First: !u.HasPassword(), Errors: map[string]string{}}))
}

// setPassword applies the password policy, stores the argon2id hash and
// consumes the link; every open session of the account ends.
func (s *Server) setPassword(w http.ResponseWriter, r *http.Request) {
	u, ok := s.setPasswordTarget(w, r)
	if !ok {
		return
	}
	password, confirm := r.PostFormValue("password"), r.PostFormValue("confirm")
	f := templates.SetPasswordForm{Action: r.URL.Path, Email: u.Email, Name: u.Name, First: !u.HasPassword(), Errors: map[string]string{}}
	if msg := auth.CheckPassword(password, u.Email); msg != "" {
		f.Errors["password"] = msg
	} else if confirm == "" {
		f.Errors["confirm"] = "Ripeti la password per conferma."
	} else if confirm != password {
		f.Errors["confirm"] = "Le due password non coincidono: scrivile di nuovo."
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, templates.SetPasswordPage(s.publicStaffPage(w, r, "Scegli la password"), f))
		return
	}
	hash, err := s.passwords.Hash(r.Context(), password)
	if errors.Is(err, auth.ErrBusy) {
		f.Errors["password"] = msgBusy
		w.Header().Set("Retry-After", retryAfterBusy)
		s.render(w, r, http.StatusTooManyRequests, templates.SetPasswordPage(s.publicStaffPage(w, r, "Scegli la password"), f))
		return
	}
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if _, err := s.store.SetPasswordWithToken(r.Context(), chi.URLParam(r, "token"), hash, s.now()); err != nil {
		// The link was used or expired between the check and now.
		if errors.Is(err, store.ErrTokenUsed) || errors.Is(err, store.ErrTokenExpired) || errors.Is(err, store.ErrNotFound) {
			s.setPasswordTarget(w, r)
			return
		}
		s.serverError(w, r, err)
		return
	}
	// Someone logged in on this browser is now out of date.
	if _, ok := staffFrom(r.Context()); ok {
		if err := s.sessions.Destroy(r.Context()); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	http.Redirect(w, r, staffBase+"/login?esito=password", http.StatusSeeOther)
}
