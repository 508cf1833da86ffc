package web

import (
	"context"
	"net/http"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/templates"
)

// summaryView lists every answer of the draft with its "Modifica" link.
func (s *Server) summaryView(wz *wizard) templates.BookingSummary {
	d := wz.draft.Data
	a := d.Applicant
	edit := func(step int) string { return withFrom(bookingStepPaths[step-1], true) }
	orNone := func(v, none string) string {
		if v == "" {
			return none
		}
		return v
	}
	interpreter, support := "No", "No"
	if a.NeedsInterpreter {
		interpreter = "Sì, lingua: " + a.InterpreterLanguage
	}
	if a.NeedsAccessibility {
		support = "Sì: " + a.AccessibilityNote
	}
	v := templates.BookingSummary{Frame: s.frame(wz, stepSummary)}
	v.Sections = []templates.SummarySection{
		{ID: "riepilogo-luogo", Title: "Luogo", EditHref: edit(stepPlace), Rows: []templates.SummaryRow{
			{Label: "Ufficio", Value: wz.office.Name},
			{Label: "Indirizzo", Value: wz.office.FullAddress()},
		}},
		{ID: "riepilogo-data", Title: "Data e orario", EditHref: edit(stepSlot), Rows: []templates.SummaryRow{
			{Label: "Con", Value: d.Professional.Label()},
			{Label: "Quando", Value: booking.LongSpan(d.SlotStart, d.SlotEnd)},
		}},
		{ID: "riepilogo-dettagli", Title: "Dettagli appuntamento", EditHref: edit(stepDetails), Rows: []templates.SummaryRow{
			{Label: "Motivo", Value: d.Details.Reason},
			{Label: "Nota", Value: orNone(d.Details.Note, "Nessuna")},
		}},
		{ID: "riepilogo-richiedente", Title: "Richiedente", EditHref: edit(stepApplicant), Rows: []templates.SummaryRow{
			{Label: "Nome e cognome", Value: a.FirstName + " " + a.LastName},
			{Label: "E-mail", Value: a.Email},
			{Label: "Telefono", Value: orNone(a.Phone, "Non indicato")},
			{Label: "Codice fiscale", Value: orNone(a.FiscalCode, "Non indicato")},
			{Label: "Contatto preferito", Value: booking.ChannelLabel(a.Channel)},
			{Label: "Interprete", Value: interpreter},
			{Label: "Supporto per l'accessibilità", Value: support},
			{Label: "Informativa sulla privacy", Value: "Letta"},
		}},
	}
	if bs, ok := wz.settingFor(d.Professional); ok {
		v.Requested = bs.Mode == booking.ModeRequest
	}
	return v
}

// slotStillFree reports whether the draft's slot can still be booked: it
// is still offered and, when the hold is over, a seat is free.
func (s *Server) slotStillFree(ctx context.Context, wz *wizard) (bool, error) {
	d := wz.draft
	bs, ok := wz.settingFor(d.Data.Professional)
	if !ok {
		return false, nil
	}
	sl := booking.Slot{Start: d.Data.SlotStart, End: d.Data.SlotEnd, Professional: d.Data.Professional}
	if _, offered := s.offeredSlot(slotQuery{office: wz.office, settings: bs}, sl.Key()); !offered {
		return false, nil
	}
	if h := d.HoldExpiresAt; h != nil && s.now().Before(*h) {
		return true, nil
	}
	taken, err := s.store.TakenSeats(ctx, wz.office.ID, sl.Professional, sl.Start, sl.Start.Add(time.Minute))
	if err != nil {
		return false, err
	}
	n := 0
	for _, c := range taken {
		n += c
	}
	return n < max(bs.Capacity, 1), nil
}

// bookingSummary renders step 5. When the hold is over and the seat was
// taken meanwhile, it says so and asks for another time instead of
// offering the submit button.
func (s *Server) bookingSummary(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepSummary)
	if !ok {
		return
	}
	free, err := s.slotStillFree(r.Context(), wz)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	v := s.summaryView(wz)
	v.SlotGone = !free
	if v.SlotGone {
		v.Frame.Hold, v.Frame.HoldExpired = "", false
	}
	s.render(w, r, http.StatusOK, templates.BookingSummaryPage(s.bookingPage(w, r, "Riepilogo"), v))
}
