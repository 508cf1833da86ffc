package web

import (
	"net/http"
	"strings"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/templates"
)

// securityView builds the account security page. While the second factor
// is off, a secret is generated once per session and kept there until it
// is confirmed with a code: reloading the page does not change it.
func (s *Server) securityView(r *http.Request) (templates.StaffSecurityView, error) {
	u, _ := staffFrom(r.Context())
	v := templates.StaffSecurityView{Email: u.Email, TOTPEnabled: u.TOTPEnabled,
		Required: s.cfg.RequireAdminTOTP && u.Role == auth.RoleAdmin, Errors: map[string]string{}}
	if u.TOTPEnabled {
		return v, nil
	}
	uri := s.sessions.GetString(r.Context(), sessTOTPSetup)
	if uri == "" {
		k, err := auth.NewTOTPKey(s.cfg.PortalName, u.Email)
		if err != nil {
			return v, err
		}
		uri = k.URI
		s.sessions.Put(r.Context(), sessTOTPSetup, uri)
	}
	secret, err := auth.TOTPSecretFromURI(uri)
	if err != nil {
		return v, err
	}
	qr, err := auth.TOTPQRCode(uri)
	if err != nil {
		return v, err
	}
	v.Secret, v.URI, v.QRCode = auth.FormatTOTPSecret(secret), uri, qr
	return v, nil
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.securityView(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	sp := s.staffPage(r, "Sicurezza dell'account", "sicurezza", staffHome, templates.Crumb{Label: "Sicurezza dell'account"})
	s.render(w, r, http.StatusOK, templates.StaffSecurityPage(sp, v))
}

// totpEnable confirms the enrolment with a code from the app.
func (s *Server) totpEnable(w http.ResponseWriter, r *http.Request) {
	u, _ := staffFrom(r.Context())
	if u.TOTPEnabled {
		http.Redirect(w, r, staffBase+"/sicurezza", http.StatusSeeOther)
		return
	}
	uri := s.sessions.GetString(r.Context(), sessTOTPSetup)
	secret, err := auth.TOTPSecretFromURI(uri)
	if err != nil {
		// The enrolment page was not shown in this session.
		http.Redirect(w, r, staffBase+"/sicurezza", http.StatusSeeOther)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	step, ok := auth.VerifyTOTP(secret, code, s.now(), 0)
	if !ok {
		v, err := s.securityView(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Errors["code"] = codeError(code)
		sp := s.staffPage(r, "Sicurezza dell'account", "sicurezza", staffHome, templates.Crumb{Label: "Sicurezza dell'account"})
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffSecurityPage(sp, v))
		return
	}
	if err := s.store.EnableTOTP(r.Context(), u.ID, secret, step); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.sessions.Remove(r.Context(), sessTOTPSetup)
	s.flash(r, "Verifica in due passaggi attivata: dal prossimo accesso ti chiederemo il codice dell'app.")
	http.Redirect(w, r, staffBase, http.StatusSeeOther)
}

// totpDisable turns the second factor off, after the password and a
// current code; not allowed where it is mandatory. Like a login, each
// try is an attempt of the account recorded before the check (wrong
// passwords and codes count together with failed logins), so a stolen
// session cannot guess its way to turning the second factor off.
func (s *Server) totpDisable(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, _ := staffFrom(ctx)
	if !u.TOTPEnabled {
		http.Redirect(w, r, staffBase+"/sicurezza", http.StatusSeeOther)
		return
	}
	if s.cfg.RequireAdminTOTP && u.Role == auth.RoleAdmin {
		s.staffError(w, r, http.StatusForbidden, "Operazione non consentita",
			"Per gli amministratori la verifica in due passaggi è obbligatoria e non si può disattivare.")
		return
	}
	password := r.PostFormValue("password")
	code := strings.TrimSpace(r.PostFormValue("code"))
	show := func(status int, errs map[string]string, problem string) {
		v, err := s.securityView(r)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Errors, v.Problems = errs, problem
		sp := s.staffPage(r, "Sicurezza dell'account", "sicurezza", staffHome, templates.Crumb{Label: "Sicurezza dell'account"})
		s.render(w, r, status, templates.StaffSecurityPage(sp, v))
	}
	errs := map[string]string{}
	if password == "" {
		errs["password"] = "Inserisci la tua password."
	} else if len(password) > 4*auth.MaxPasswordLength {
		errs["password"] = "La password è troppo lunga."
	}
	if code == "" || !auth.ValidTOTPCodeFormat(code) {
		errs["code"] = codeError(code)
	}
	if len(errs) > 0 {
		show(http.StatusUnprocessableEntity, errs, "")
		return
	}
	refuse := func(status int, problem string) { show(status, map[string]string{}, problem) }
	attempt, ok := s.beginAttempt(w, r, auth.NormalizeEmail(u.Email), s.clientIP(r), refuse)
	if !ok {
		return
	}
	match, ok := s.checkPassword(w, r, attempt, password, u.PasswordHash, refuse)
	if !ok {
		return
	}
	step, valid := auth.VerifyTOTP(u.TOTPSecret, code, s.now(), u.TOTPLastStep)
	if match && valid {
		var err error
		if valid, err = s.store.UseTOTPStep(ctx, u.ID, step); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if !match || !valid {
		// The attempt stays recorded as a failure. One message for both:
		// it does not tell which of the two was wrong.
		show(http.StatusUnprocessableEntity, map[string]string{}, msgBadPasswordOrCode)
		return
	}
	if err := s.store.LoginAttemptSucceeded(ctx, attempt); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.DisableTOTP(ctx, u.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.flash(r, "Verifica in due passaggi disattivata.")
	http.Redirect(w, r, staffBase+"/sicurezza", http.StatusSeeOther)
}

// msgBadPasswordOrCode answers a wrong password or code when turning the
// second factor off.
const msgBadPasswordOrCode = "La password o il codice non sono corretti. Inserisci la tua password e il codice che l'app mostra ora."

func codeError(code string) string {
	switch {
	case code == "":
		return "Inserisci il codice di verifica."
	case !auth.ValidTOTPCodeFormat(code):
		return "Il codice è fatto di 6 cifre, ad esempio 123456."
	}
	return msgBadCode
}
