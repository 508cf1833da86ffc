package web

import (
	"cmp"
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// Anti-abuse limits of the final submit (docs/booking-api.md).
const (
	// minFormTime is the least time between the start of a draft and its
	// submission: people need longer to fill five steps, scripts do not.
	minFormTime = 5 * time.Second
	// submitWindow and submitMax limit submissions per client address.
	submitWindow = time.Hour
	submitMax    = 20
)

// honeypotField is an input hidden from people and assistive technology;
// only robots fill it in.
const honeypotField = "sito_web"

// bookingSubmit handles "Conferma e invia": it turns the draft into an
// appointment (store.SubmitDraft, which queues the confirmation e-mail in
// the same transaction). Submitting again (double click, reload, back
// button) finds the appointment already made and shows it again.
func (s *Server) bookingSubmit(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepSummary)
	if !ok {
		return
	}
	ctx := r.Context()
	l := s.loc(r)
	d := wz.draft
	backToSummary := templates.BookingLink{Label: l.T("booking.notice.back_to_summary"), Href: s.link(r, "/prenota/riepilogo")}
	if r.PostFormValue(honeypotField) != "" {
		s.bookingNotice(w, r, http.StatusUnprocessableEntity, l.T("booking.notice.error"), templates.BookingNotice{
			Title:      l.T("booking.notice.invalid_title"),
			Paragraphs: []string{l.T("booking.notice.invalid_text")},
			Links:      []templates.BookingLink{backToSummary, {Label: l.T("booking.notice.find_office"), Href: s.link(r, "/comuni")}},
			Danger:     true,
		})
		return
	}
	now := s.now()
	if now.Sub(d.StartedAt) < minFormTime {
		v := s.summaryView(r, wz)
		v.Error = l.T("booking.summary.too_fast")
		s.render(w, r, http.StatusUnprocessableEntity, templates.BookingSummaryPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepSummary, true)), v))
		return
	}
	allowed, err := s.store.AllowSubmission(ctx, "ip:"+s.clientIP(r), now, submitWindow, submitMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		s.bookingNotice(w, r, http.StatusTooManyRequests, l.T("booking.notice.too_many"), templates.BookingNotice{
			Title: l.T("booking.notice.too_many_title"),
			Paragraphs: []string{l.T("booking.notice.too_many_text"),
				l.T("booking.notice.data_kept") + " " + callOffice(l, wz.office.Phone)},
			Links: []templates.BookingLink{backToSummary},
		})
		return
	}
	bs, ok := wz.settingFor(d.Data.Professional)
	if !ok {
		http.Redirect(w, r, s.link(r, bookingStepPaths[stepSlot-1]), http.StatusSeeOther)
		return
	}
	sl := booking.Slot{Start: d.Data.SlotStart, End: d.Data.SlotEnd, Professional: d.Data.Professional}
	if _, offered := s.offeredSlot(slotQuery{office: wz.office, settings: bs}, sl.Key()); !offered {
		s.slotGone(w, r)
		return
	}
	bookingCode, err := code.NewBookingCode()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	token, _, err := code.NewToken()
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	na := store.NewAppointment{Code: bookingCode, Token: token, TokenExpiresAt: d.Data.SlotEnd.Add(booking.LinkGrace),
		Status: bs.Mode.InitialStatus(), Mode: bs.Mode, Lang: langOf(r)}
	office := wz.office
	_, created, err := s.store.SubmitDraft(ctx, d.ID, na, max(bs.Capacity, 1), bs.MaxActivePerEmail, now)
	switch {
	case errors.Is(err, store.ErrSlotFull), errors.Is(err, store.ErrSlotClosed):
		// Taken by someone else, or closed by the office meanwhile.
		s.slotGone(w, r)
		return
	case errors.Is(err, store.ErrTooManyActive):
		s.bookingNotice(w, r, http.StatusUnprocessableEntity, l.T("booking.notice.limit"), templates.BookingNotice{
			Title: l.T("booking.notice.limit_title"),
			Paragraphs: []string{l.N("booking.notice.limit_text", cmp.Or(max(bs.MaxActivePerEmail, 0), booking.DefaultMaxActivePerEmail)),
				l.T("booking.notice.limit_call") + " " + callOffice(l, office.Phone)},
			Links: []templates.BookingLink{backToSummary},
		})
		return
	case errors.Is(err, store.ErrDraftIncomplete):
		http.Redirect(w, r, s.link(r, bookingStepPaths[firstIncomplete(d.Data)]), http.StatusSeeOther)
		return
	case errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	if created {
		s.metrics.Booked()
		// No personal data: only that a booking happened, and where.
		s.log.Info("appointment booked", "request_id", middleware.GetReqID(ctx), "office_id", office.ID,
			"professional", string(bs.Professional), "mode", string(bs.Mode))
	}
	http.Redirect(w, r, s.link(r, bookingDonePath), http.StatusSeeOther)
}

// phoneSuffix is " al numero 075 123456", or "" without a number.
func phoneSuffix(phone string) string {
	if phone == "" {
		return ""
	}
	return " al numero " + phone
}

// callOffice asks to phone the office, "chiama l'ufficio al numero 075
// 123456.", in l's language.
func callOffice(l *i18n.Localizer, phone string) string {
	if phone == "" {
		return l.T("booking.notice.call")
	}
	return l.T("booking.notice.call_number", "Phone", phone)
}

// slotGone tells the citizen that the last seat of the chosen slot went to
// someone else (409): nothing was booked, the answers are kept and the
// link leads to the choice of another time.
func (s *Server) slotGone(w http.ResponseWriter, r *http.Request) {
	l := s.loc(r)
	s.bookingNotice(w, r, http.StatusConflict, l.T("booking.notice.gone"), templates.BookingNotice{
		Title:      l.T("booking.summary.gone_title"),
		Paragraphs: []string{l.T("booking.notice.gone_text"), l.T("booking.notice.gone_kept")},
		Links:      []templates.BookingLink{{Label: l.T("booking.choose_another_time"), Href: s.link(r, "/prenota/data") + "?da=riepilogo"}},
		Danger:     true,
	})
}

// bookingNotice renders a notice page of the booking flow.
func (s *Server) bookingNotice(w http.ResponseWriter, r *http.Request, status int, title string, v templates.BookingNotice) {
	if v.Heading == "" {
		v.Heading = s.loc(r).T("booking.title")
	}
	s.render(w, r, status, templates.BookingNoticePage(s.bookingPage(w, r, title), v))
}
