package web

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Messages of the login form. The same message answers a wrong e-mail and
// a wrong password, so the form does not reveal who has an account.
const (
	msgBadCredentials = "E-mail o password non corretti."
	msgThrottled      = "Troppi tentativi. Riprova tra 15 minuti."
	msgBadCode        = "Il codice non è corretto o è scaduto. Inserisci il codice che l'app mostra ora."
)

// staffLoginForm shows the login form; a logged-in person goes straight to
// the dashboard.
func (s *Server) staffLoginForm(w http.ResponseWriter, r *http.Request) {
	if _, ok := staffFrom(r.Context()); ok {
		http.Redirect(w, r, staffBase, http.StatusSeeOther)
		return
	}
	f := templates.StaffLoginForm{Errors: map[string]string{}}
	if next := r.URL.Query().Get("next"); next != "" && safeNext(next) == next {
		f.Next = next
	}
	switch r.URL.Query().Get("esito") {
	case "uscito":
		f.Notice = "Sei uscito dall'area riservata."
	case "password":
		f.Notice = "Password salvata. Ora puoi accedere."
	case "scaduta":
		f.Notice = "La sessione è scaduta: accedi di nuovo."
	}
	s.render(w, r, http.StatusOK, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), f))
}

// staffLogin checks e-mail and password. Every attempt is throttled per
// address typed and per client, in the database; an unknown address costs
// the same argon2id comparison as a known one.
func (s *Server) staffLogin(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	now := s.now()
	email := auth.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	f := templates.StaffLoginForm{Email: email, Errors: map[string]string{}}
	if next != staffBase {
		f.Next = next
	}
	if email == "" {
		f.Errors["email"] = "Inserisci l'indirizzo e-mail."
	} else if len(email) > auth.MaxEmailLength {
		f.Errors["email"] = "L'indirizzo e-mail è troppo lungo."
	}
	if password == "" {
		f.Errors["password"] = "Inserisci la password."
	} else if len(password) > 4*auth.MaxPasswordLength {
		f.Errors["password"] = "La password è troppo lunga."
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), f))
		return
	}
	ip := s.clientIP(r)
	blocked, err := s.loginThrottled(r, email, ip)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if blocked {
		s.metrics.LoginFailed()
		f.Problem = msgThrottled
		s.render(w, r, http.StatusTooManyRequests, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), f))
		return
	}
	u, err := s.store.StaffByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	// VerifyPassword spends an argon2id comparison even without a hash.
	ok := auth.VerifyPassword(password, u.PasswordHash) && u.ID != 0 && u.Active
	if !ok {
		s.metrics.LoginFailed()
		if err := s.store.RecordLoginAttempt(ctx, email, ip, false, now); err != nil {
			s.serverError(w, r, err)
			return
		}
		f.Problem = msgBadCredentials
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), f))
		return
	}
	// A new token at every privilege change defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	if u.TOTPEnabled {
		s.sessions.Put(ctx, sessPendingUser, u.ID)
		s.sessions.Put(ctx, sessPendingVersion, u.SessionVersion)
		s.sessions.Put(ctx, sessPendingAt, now.Unix())
		s.sessions.Put(ctx, sessNext, next)
		http.Redirect(w, r, staffBase+"/login/codice", http.StatusSeeOther)
		return
	}
	s.completeLogin(w, r, u, ip, next)
}

// loginThrottled reports whether attempts for email from ip are blocked.
func (s *Server) loginThrottled(r *http.Request, email, ip string) (bool, error) {
	byEmail, byIP, err := s.store.LoginFailures(r.Context(), email, ip, s.now().Add(-auth.ThrottleWindow))
	if err != nil {
		return false, err
	}
	return auth.Throttled(byEmail, byIP), nil
}

// completeLogin starts the authenticated session: new token, the account
// and its session version, a fresh CSRF token for the staff forms.
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, u store.StaffUser, ip, next string) {
	ctx := r.Context()
	now := s.now()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	for _, k := range []string{sessPendingUser, sessPendingVersion, sessPendingAt, sessNext, sessTOTPSetup} {
		s.sessions.Remove(ctx, k)
	}
	s.sessions.Put(ctx, sessUserID, u.ID)
	s.sessions.Put(ctx, sessVersion, u.SessionVersion)
	s.sessions.Put(ctx, sessCSRF, randomToken())
	if err := s.store.RecordLoginAttempt(ctx, u.Email, ip, true, now); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.RecordLogin(ctx, u.ID, now); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.store.PurgeAuthData(ctx, now); err != nil {
		// Housekeeping only: the login itself succeeded.
		s.log.Warn("purge auth data", "err", err)
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// pendingUser returns the account whose password was just verified and
// whose second-factor code is awaited, if that happened recently.
func (s *Server) pendingUser(r *http.Request) (store.StaffUser, bool, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessPendingUser)
	at := time.Unix(s.sessions.GetInt64(ctx, sessPendingAt), 0)
	if id == 0 || s.now().Sub(at) > pendingLoginTTL {
		return store.StaffUser{}, false, nil
	}
	u, err := s.store.StaffByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return store.StaffUser{}, false, nil
	}
	if err != nil {
		return store.StaffUser{}, false, err
	}
	if !u.Active || !u.TOTPEnabled || u.SessionVersion != s.sessions.GetInt(ctx, sessPendingVersion) {
		return store.StaffUser{}, false, nil
	}
	return u, true, nil
}

// staffCodeForm asks the second-factor code.
func (s *Server) staffCodeForm(w http.ResponseWriter, r *http.Request) {
	if _, ok, err := s.pendingUser(r); err != nil {
		s.serverError(w, r, err)
		return
	} else if !ok {
		http.Redirect(w, r, staffBase+"/login", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, templates.StaffCodePage(s.publicStaffPage(w, r, "Verifica in due passaggi"),
		templates.StaffCodeForm{Errors: map[string]string{}}))
}

// staffCode checks the second-factor code. Wrong codes count as failed
// logins of the account, so the code cannot be guessed faster than a
// password; a code already used (here or on another instance) is refused.
func (s *Server) staffCode(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u, ok, err := s.pendingUser(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !ok {
		http.Redirect(w, r, staffBase+"/login", http.StatusSeeOther)
		return
	}
	page := s.publicStaffPage(w, r, "Verifica in due passaggi")
	f := templates.StaffCodeForm{Errors: map[string]string{}}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if code == "" {
		f.Errors["code"] = "Inserisci il codice di verifica."
	} else if !auth.ValidTOTPCodeFormat(code) {
		f.Errors["code"] = "Il codice è fatto di 6 cifre, ad esempio 123456."
	}
	if len(f.Errors) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffCodePage(page, f))
		return
	}
	ip := s.clientIP(r)
	blocked, err := s.loginThrottled(r, u.Email, ip)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if blocked {
		s.metrics.LoginFailed()
		s.sessions.Remove(ctx, sessPendingUser)
		lf := templates.StaffLoginForm{Email: u.Email, Problem: msgThrottled, Errors: map[string]string{}}
		s.render(w, r, http.StatusTooManyRequests, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), lf))
		return
	}
	step, valid := auth.VerifyTOTP(u.TOTPSecret, code, s.now(), u.TOTPLastStep)
	if valid {
		if valid, err = s.store.UseTOTPStep(ctx, u.ID, step); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if !valid {
		s.metrics.LoginFailed()
		if err := s.store.RecordLoginAttempt(ctx, u.Email, ip, false, s.now()); err != nil {
			s.serverError(w, r, err)
			return
		}
		f.Errors["code"] = msgBadCode
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffCodePage(page, f))
		return
	}
	s.completeLogin(w, r, u, ip, safeNext(s.sessions.GetString(ctx, sessNext)))
}

// staffLogout ends the session everywhere (it lives in the database) and
// shows the login form.
func (s *Server) staffLogout(w http.ResponseWriter, r *http.Request) {
	u, _ := staffFrom(r.Context())
	if err := s.store.RecordLogout(r.Context(), u.ID); err != nil {
		s.serverError(w, r, err)
		return
	}
	if err := s.sessions.Destroy(r.Context()); err != nil {
		s.serverError(w, r, err)
		return
	}
	http.Redirect(w, r, staffBase+"/login?esito=uscito", http.StatusSeeOther)
}
