package web

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The booking wizard (issue 4) keeps its state on the server: a draft in
// PostgreSQL (store.Draft) identified by the SHA-256 of a random value in
// the draftCookie cookie. Forms carry only what the current step asks.
// Every step validates on the server, re-renders with status 422 and the
// citizen's input on error, and redirects with 303 to the next step on
// success; a step reached before the previous ones are done redirects to
// the first one still to do.

// draftCookie holds the random value that identifies the citizen's draft.
const draftCookie = "udc_prenotazione"

// Steps of the wizard: the keys of store.DraftData.Completed, in order,
// and the pages of the five steps (the fifth is the summary).
var (
	bookingStepKeys  = []string{"luogo", "data", "dettagli", "richiedente"}
	bookingStepPaths = []string{"/prenota", "/prenota/data", "/prenota/dettagli", "/prenota/richiedente", "/prenota/riepilogo"}
)

// Step numbers, 1-based as in the stepper.
const (
	stepPlace = iota + 1
	stepSlot
	stepDetails
	stepApplicant
	stepSummary
)

// bookingDonePath is the confirmation page, read through the draft.
const bookingDonePath = "/prenota/fatto"

// fromSummary is the value of the "da" parameter of a step opened with
// "Modifica" from the summary.
const fromSummary = "riepilogo"

// firstIncomplete returns the index in bookingStepPaths of the first step
// not done yet; len(bookingStepKeys) when only the summary is left.
func firstIncomplete(d store.DraftData) int {
	for i, k := range bookingStepKeys {
		if !d.Completed[k] {
			return i
		}
	}
	return len(bookingStepKeys)
}

// setCompleted marks a step done or to be done again.
func setCompleted(d *store.DraftData, step string, done bool) {
	if d.Completed == nil {
		d.Completed = map[string]bool{}
	}
	if done {
		d.Completed[step] = true
	} else {
		delete(d.Completed, step)
	}
}

// loadDraft returns the draft of the request's cookie; ok is false when
// there is none or it expired.
func (s *Server) loadDraft(r *http.Request) (d store.Draft, ok bool, err error) {
	c, err := r.Cookie(draftCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return store.Draft{}, false, nil
	}
	d, err = s.store.DraftByToken(r.Context(), code.HashToken(c.Value), s.now())
	if errors.Is(err, store.ErrNotFound) {
		return store.Draft{}, false, nil
	}
	if err != nil {
		return store.Draft{}, false, err
	}
	return d, true, nil
}

// startDraft creates a draft and gives the browser its cookie.
func (s *Server) startDraft(w http.ResponseWriter, r *http.Request) (store.Draft, error) {
	token, hash, err := code.NewToken()
	if err != nil {
		return store.Draft{}, err
	}
	d, err := s.store.CreateDraft(r.Context(), hash, s.now())
	if err != nil {
		return store.Draft{}, err
	}
	http.SetCookie(w, &http.Cookie{Name: draftCookie, Value: token, Path: "/", MaxAge: int(store.DraftLifetime / time.Second),
		HttpOnly: true, Secure: s.cfg.SecureCookies(), SameSite: http.SameSiteLaxMode})
	return d, nil
}

// wizard is the state of one request inside the booking wizard.
type wizard struct {
	draft store.Draft
	// office is the chosen office and settings its enabled professionals
	// (loaded from step 2 on).
	office   store.Office
	settings []store.BookingSettings
	// fromSummary is set when the step was opened from the summary.
	fromSummary bool
}

// settingFor returns the settings of the enabled professional p.
func (wz *wizard) settingFor(p booking.Professional) (store.BookingSettings, bool) {
	for _, bs := range wz.settings {
		if bs.Professional == p {
			return bs, true
		}
	}
	return store.BookingSettings{}, false
}

// openWizard loads the draft for a page of step (2 to 5) and checks that
// the previous steps are done. When it returns false it has already
// answered: a redirect (no draft, steps out of order, booking already
// sent) or an error page.
func (s *Server) openWizard(w http.ResponseWriter, r *http.Request, step int) (*wizard, bool) {
	d, ok, err := s.loadDraft(r)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	if !ok {
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return nil, false
	}
	if d.AppointmentID != nil {
		http.Redirect(w, r, s.link(r, bookingDonePath), http.StatusSeeOther)
		return nil, false
	}
	if i := firstIncomplete(d.Data); i < step-1 {
		http.Redirect(w, r, s.link(r, bookingStepPaths[i]), http.StatusSeeOther)
		return nil, false
	}
	wz := &wizard{draft: d, fromSummary: r.FormValue("da") == fromSummary}
	office, settings, found, err := s.bookableOffice(r.Context(), d.Data.OfficeID)
	if err != nil {
		s.serverError(w, r, err)
		return nil, false
	}
	if !found {
		// The office stopped taking bookings online: choose again.
		setCompleted(&d.Data, "luogo", false)
		if err := s.store.SaveDraft(r.Context(), d.ID, d.Data, s.now()); err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serverError(w, r, err)
			return nil, false
		}
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return nil, false
	}
	wz.office, wz.settings = office, settings
	return wz, true
}

// saveDraft stores the wizard's draft; a draft that expired meanwhile
// sends the citizen back to the start.
func (s *Server) saveDraft(w http.ResponseWriter, r *http.Request, d store.Draft) bool {
	err := s.store.SaveDraft(r.Context(), d.ID, d.Data, s.now())
	if errors.Is(err, store.ErrNotFound) {
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return false
	}
	if err != nil {
		s.serverError(w, r, err)
		return false
	}
	return true
}

// nextStep redirects after a step was saved: to next, or back to the
// summary when the step was opened from there and nothing else is left.
func (s *Server) nextStep(w http.ResponseWriter, r *http.Request, wz *wizard, next string) {
	if wz.fromSummary && firstIncomplete(wz.draft.Data) == len(bookingStepKeys) {
		next = bookingStepPaths[stepSummary-1]
	}
	http.Redirect(w, r, s.link(r, next), http.StatusSeeOther)
}

// bookingPage builds the layout of a wizard page; the title names the
// step so that each page has its own.
func (s *Server) bookingPage(w http.ResponseWriter, r *http.Request, title string) templates.Page {
	l := s.loc(r)
	t := l.T("booking.title")
	if title != "" {
		t = title + " – " + t
	}
	p := s.page(w, r, t, s.homeCrumb(r), templates.Crumb{Label: l.T("booking.title")})
	p.Section = "prenota"
	p.Description = l.T("booking.meta_description")
	return p
}

// bookingStepTitle is the page title of a wizard step: its name, after
// "Errore – " when the page shows errors.
func (s *Server) bookingStepTitle(r *http.Request, step int, failed bool) string {
	l := s.loc(r)
	t := l.T(templates.BookingSteps[step-1])
	if failed {
		t = l.T("booking.error_title", "Title", t)
	}
	return t
}

// homeCrumb is the first breadcrumb of the booking pages, in the
// request's language.
func (s *Server) homeCrumb(r *http.Request) templates.Crumb {
	return templates.Crumb{Label: s.loc(r).T("booking.breadcrumb_home"), Href: s.link(r, home.Href)}
}

// frame builds what every step page shows: stepper, back link and how
// long the chosen slot stays held.
func (s *Server) frame(r *http.Request, wz *wizard, step int) templates.BookingFrame {
	f := templates.BookingFrame{Step: step}
	if step > stepPlace {
		f.Back = s.link(r, bookingStepPaths[step-2])
	}
	if wz == nil {
		return f
	}
	f.Demo = wz.office.IsDemo
	f.FromSummary = wz.fromSummary && step < stepSummary
	if f.FromSummary {
		f.Back = s.link(r, bookingStepPaths[stepSummary-1])
	}
	if step > stepSlot && wz.draft.Data.Completed["data"] {
		now := s.now()
		if h := wz.draft.HoldExpiresAt; h != nil && now.Before(*h) {
			f.Hold = booking.HoldRemainingIn(s.loc(r), *h, now)
		} else {
			f.Hold = s.loc(r).T("booking.hold.over")
			f.HoldExpired = true
		}
	}
	return f
}

// withFrom adds "?da=riepilogo" to path when the step was opened from the
// summary.
func withFrom(path string, fromSum bool) string {
	if !fromSum {
		return path
	}
	if strings.Contains(path, "?") {
		return path + "&da=" + fromSummary
	}
	return path + "?da=" + fromSummary
}

// bookableOffice returns the office with its enabled professionals; found
// is false when it does not exist or takes no bookings online.
func (s *Server) bookableOffice(ctx context.Context, id int64) (store.Office, []store.BookingSettings, bool, error) {
	data, err := s.offices.get(ctx)
	if err != nil {
		return store.Office{}, nil, false, err
	}
	for _, o := range data.offices {
		if o.ID == id {
			settings, err := s.enabledSettings(ctx, o.ID)
			if err != nil {
				return store.Office{}, nil, false, err
			}
			return o, settings, len(settings) > 0, nil
		}
	}
	return store.Office{}, nil, false, nil
}

// enabledSettings returns the settings of the professionals the office
// offers online, in booking.Professionals order, from the office data in
// memory (officecache.go).
func (s *Server) enabledSettings(ctx context.Context, officeID int64) ([]store.BookingSettings, error) {
	data, err := s.offices.get(ctx)
	if err != nil {
		return nil, err
	}
	var out []store.BookingSettings
	for _, bs := range data.settings[officeID] {
		if bs.Enabled && bs.Professional.Valid() && len(bs.Windows) > 0 {
			out = append(out, bs)
		}
	}
	return out, nil
}

// bookingOffice is the office card of the booking pages, in l's language.
func bookingOffice(l *i18n.Localizer, o store.Office) templates.BookingOffice {
	return templates.BookingOffice{
		Slug: o.Slug, Name: o.Name, Address: o.Address, Town: o.Town(), Phone: o.Phone, Email: o.Email,
		OpenDays: openDays(l, o.Hours), Accessibility: o.AccessibilityNotes, Demo: o.IsDemo,
	}
}

// openDays says on which weekdays the office opens: "Aperto lunedì,
// mercoledì e venerdì"; "" without weekly hours.
func openDays(l *i18n.Localizer, weekly []hours.Interval) string {
	var days []time.Weekday
	for _, wd := range hours.Weekdays() {
		for _, iv := range weekly {
			if iv.Weekday == wd {
				days = append(days, wd)
				break
			}
		}
	}
	return booking.OpenDaysIn(l, days)
}
