package web

import (
	"context"
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
	// msgBusy answers a password check that found no free slot in time.
	msgBusy = "Troppe richieste in questo momento: riprova tra poco."
)

// Retry-After of the two kinds of 429, in seconds.
const (
	retryAfterThrottled = "900"
	retryAfterBusy      = "5"
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

// staffLogin checks e-mail and password. Every attempt is recorded before
// the check, atomically with the limits per address typed and client, per
// client and per address (auth's throttling rules, in the database); the
// argon2id comparison runs inside the password gate, and an unknown
// address costs the same comparison as a known one.
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
	refuse := func(status int, problem string) {
		s.metrics.LoginFailed()
		f.Problem = problem
		s.render(w, r, status, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), f))
	}
	attempt, ok := s.beginAttempt(w, r, email, ip, refuse)
	if !ok {
		return
	}
	u, err := s.store.StaffByEmail(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.serverError(w, r, err)
		return
	}
	// An unknown address costs the same argon2id comparison as a known
	// one, inside the same bound.
	match, ok := s.checkPassword(w, r, attempt, password, u.PasswordHash, refuse)
	if !ok {
		return
	}
	if !match || u.ID == 0 || !u.Active {
		// The attempt stays recorded as a failure.
		refuse(http.StatusUnprocessableEntity, msgBadCredentials)
		return
	}
	// A new token at every privilege change defeats session fixation.
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.serverError(w, r, err)
		return
	}
	if u.TOTPEnabled {
		// The password alone neither fails nor succeeds: the code is the
		// attempt that counts, so a right password never buys more codes.
		if err := s.store.ForgetLoginAttempt(ctx, attempt); err != nil {
			s.serverError(w, r, err)
			return
		}
		s.sessions.Put(ctx, sessPendingUser, u.ID)
		s.sessions.Put(ctx, sessPendingVersion, u.SessionVersion)
		s.sessions.Put(ctx, sessPendingAt, now.Unix())
		s.sessions.Put(ctx, sessNext, next)
		http.Redirect(w, r, staffBase+"/login/codice", http.StatusSeeOther)
		return
	}
	s.completeLogin(w, r, u, attempt, next)
}

// beginAttempt records an attempt to check a credential of the account
// address email from the client ip, before the check and atomically with
// the limits (store.BeginLoginAttempt). When the attempt is refused it
// answers 429 through refuse and reports false.
func (s *Server) beginAttempt(w http.ResponseWriter, r *http.Request, email, ip string, refuse func(status int, problem string)) (int64, bool) {
	id, verdict, err := s.store.BeginLoginAttempt(r.Context(), email, ip, s.now())
	if err != nil {
		s.serverError(w, r, err)
		return 0, false
	}
	if verdict != auth.Allowed {
		w.Header().Set("Retry-After", retryAfterThrottled)
		refuse(http.StatusTooManyRequests, msgThrottled)
		return 0, false
	}
	return id, true
}

// checkPassword compares password with hash inside the password gate.
// When no check could run (the gate was full, the client went away) it
// forgets the attempt, answers (429 "riprova tra poco" through refuse)
// and reports false; otherwise it reports whether the password matched.
func (s *Server) checkPassword(w http.ResponseWriter, r *http.Request, attempt int64, password, hash string,
	refuse func(status int, problem string)) (match, ok bool) {
	match, err := s.passwords.Verify(r.Context(), password, hash)
	if err == nil {
		return match, true
	}
	// Nothing was judged: the attempt must not count against the person.
	if ferr := s.store.ForgetLoginAttempt(context.WithoutCancel(r.Context()), attempt); ferr != nil {
		s.serverError(w, r, ferr)
		return false, false
	}
	if errors.Is(err, auth.ErrBusy) {
		w.Header().Set("Retry-After", retryAfterBusy)
		refuse(http.StatusTooManyRequests, msgBusy)
		return false, false
	}
	s.serverError(w, r, err)
	return false, false
}

// completeLogin starts the authenticated session: new token, the account
// and its session version, a fresh CSRF token for the staff forms.
func (s *Server) completeLogin(w http.ResponseWriter, r *http.Request, u store.StaffUser, attempt int64, next string) {
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
	if err := s.store.LoginAttemptSucceeded(ctx, attempt); err != nil {
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

// staffCode checks the second-factor code. Each code is an attempt of the
// account recorded before the check, like a password: wrong codes count as
// failed logins, so the code cannot be guessed faster than a password; a
// code already used (here or on another instance) is refused.
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
	attempt, ok := s.beginAttempt(w, r, auth.NormalizeEmail(u.Email), s.clientIP(r), func(status int, problem string) {
		s.metrics.LoginFailed()
		s.sessions.Remove(ctx, sessPendingUser)
		lf := templates.StaffLoginForm{Email: u.Email, Problem: problem, Errors: map[string]string{}}
		s.render(w, r, status, templates.StaffLoginPage(s.publicStaffPage(w, r, "Accedi"), lf))
	})
	if !ok {
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
		// The attempt stays recorded as a failure.
		f.Errors["code"] = msgBadCode
		s.render(w, r, http.StatusUnprocessableEntity, templates.StaffCodePage(page, f))
		return
	}
	s.completeLogin(w, r, u, attempt, safeNext(s.sessions.GetString(ctx, sessNext)))
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
