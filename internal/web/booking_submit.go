package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5/middleware"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
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
	d := wz.draft
	if r.PostFormValue(honeypotField) != "" {
		s.bookingNotice(w, r, http.StatusUnprocessableEntity, "Errore", templates.BookingNotice{
			Title:      "Non è stato possibile inviare la richiesta",
			Paragraphs: []string{"La richiesta contiene dati non validi e non è stata registrata. Se hai bisogno di un appuntamento, chiama l'ufficio."},
			Links:      []templates.BookingLink{{Label: "Torna al riepilogo", Href: "/prenota/riepilogo"}, {Label: "Trova il tuo ufficio", Href: "/comuni"}},
			Danger:     true,
		})
		return
	}
	now := s.now()
	if now.Sub(d.StartedAt) < minFormTime {
		v := s.summaryView(wz)
		v.Error = "La richiesta è stata inviata troppo in fretta. Controlla i dati e premi di nuovo «Conferma e invia»."
		s.render(w, r, http.StatusUnprocessableEntity, templates.BookingSummaryPage(s.bookingPage(w, r, "Errore – Riepilogo"), v))
		return
	}
	allowed, err := s.store.AllowSubmission(ctx, "ip:"+s.clientIP(r), now, submitWindow, submitMax)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !allowed {
		s.bookingNotice(w, r, http.StatusTooManyRequests, "Troppe richieste", templates.BookingNotice{
			Title: "Troppe richieste da questa connessione",
			Paragraphs: []string{"Da questa connessione sono state inviate molte prenotazioni in poco tempo. Per sicurezza le accettiamo di nuovo tra un'ora.",
				"I dati che hai inserito restano salvati. Se hai urgenza, chiama l'ufficio" + phoneSuffix(wz.office.Phone) + "."},
			Links: []templates.BookingLink{{Label: "Torna al riepilogo", Href: "/prenota/riepilogo"}},
		})
		return
	}
	bs, ok := wz.settingFor(d.Data.Professional)
	if !ok {
		http.Redirect(w, r, bookingStepPaths[stepSlot-1], http.StatusSeeOther)
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
		Status: bs.Mode.InitialStatus(), Mode: bs.Mode}
	office := wz.office
	_, created, err := s.store.SubmitDraft(ctx, d.ID, na, max(bs.Capacity, 1), bs.MaxActivePerEmail, now)
	switch {
	case errors.Is(err, store.ErrSlotFull):
		s.slotGone(w, r)
		return
	case errors.Is(err, store.ErrTooManyActive):
		s.bookingNotice(w, r, http.StatusUnprocessableEntity, "Limite di prenotazioni raggiunto", templates.BookingNotice{
			Title: "Hai già raggiunto il numero massimo di appuntamenti",
			Paragraphs: []string{booking.MaxActiveMessage(bs.MaxActivePerEmail),
				"Se hai bisogno di un appuntamento in più, chiama l'ufficio" + phoneSuffix(office.Phone) + "."},
			Links: []templates.BookingLink{{Label: "Torna al riepilogo", Href: "/prenota/riepilogo"}},
		})
		return
	case errors.Is(err, store.ErrDraftIncomplete):
		http.Redirect(w, r, bookingStepPaths[firstIncomplete(d.Data)], http.StatusSeeOther)
		return
	case errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, "/prenota", http.StatusSeeOther)
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
	http.Redirect(w, r, bookingDonePath, http.StatusSeeOther)
}

// phoneSuffix is " al numero 075 123456", or "" without a number.
func phoneSuffix(phone string) string {
	if phone == "" {
		return ""
	}
	return " al numero " + phone
}

// slotGone tells the citizen that the last seat of the chosen slot went to
// someone else (409): nothing was booked, the answers are kept and the
// link leads to the choice of another time.
func (s *Server) slotGone(w http.ResponseWriter, r *http.Request) {
	s.bookingNotice(w, r, http.StatusConflict, "Errore: posto non più disponibile", templates.BookingNotice{
		Title: "Il posto che avevi scelto non è più disponibile",
		Paragraphs: []string{"Mentre completavi la prenotazione un'altra persona ha preso l'ultimo posto per quell'orario, e la tua prenotazione non è stata registrata.",
			"I dati che hai inserito sono ancora salvati: scegli un altro orario e conferma di nuovo."},
		Links:  []templates.BookingLink{{Label: "Scegli un altro orario", Href: "/prenota/data?da=riepilogo"}},
		Danger: true,
	})
}

// bookingNotice renders a notice page of the booking flow.
func (s *Server) bookingNotice(w http.ResponseWriter, r *http.Request, status int, title string, v templates.BookingNotice) {
	if v.Heading == "" {
		v.Heading = "Prenotazione appuntamento"
	}
	s.render(w, r, status, templates.BookingNoticePage(s.bookingPage(w, r, title), v))
}
