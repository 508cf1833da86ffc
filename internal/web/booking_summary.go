package web

import (
	"context"
	"net/http"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/templates"
)

// summaryView lists every answer of the draft with its "Modifica" link.
func (s *Server) summaryView(r *http.Request, wz *wizard) templates.BookingSummary {
	l := s.loc(r)
	d := wz.draft.Data
	a := d.Applicant
	edit := func(step int) string { return withFrom(s.link(r, bookingStepPaths[step-1]), true) }
	// data is a row holding what is not text to translate; orNone says
	// so when it is empty.
	data := func(label, v string) templates.SummaryRow {
		return templates.SummaryRow{Label: label, Value: v, Data: true}
	}
	orNone := func(label, v, none string) templates.SummaryRow {
		if v == "" {
			return templates.SummaryRow{Label: label, Value: none}
		}
		return data(label, v)
	}
	interpreter := templates.SummaryRow{Label: l.T("booking.summary.interpreter"), Value: l.T("booking.summary.no")}
	support := templates.SummaryRow{Label: l.T("booking.summary.accessibility"), Value: l.T("booking.summary.no")}
	if a.NeedsInterpreter {
		interpreter.Value, interpreter.Data = l.T("booking.summary.interpreter_yes", "Language", a.InterpreterLanguage), true
	}
	if a.NeedsAccessibility {
		support.Value, support.Data = l.T("booking.summary.accessibility_yes", "Note", a.AccessibilityNote), true
	}
	step := func(n int) string { return l.T(templates.BookingSteps[n-1]) }
	v := templates.BookingSummary{Frame: s.frame(r, wz, stepSummary)}
	v.Sections = []templates.SummarySection{
		{ID: "riepilogo-luogo", Title: step(stepPlace), EditHref: edit(stepPlace), Rows: []templates.SummaryRow{
			data(l.T("booking.summary.office"), wz.office.Name),
			data(l.T("booking.summary.address"), wz.office.FullAddress()),
		}},
		{ID: "riepilogo-data", Title: step(stepSlot), EditHref: edit(stepSlot), Rows: []templates.SummaryRow{
			{Label: l.T("booking.field.with"), Value: d.Professional.LabelIn(l)},
			data(l.T("booking.field.when"), booking.SpanIn(l, d.SlotStart, d.SlotEnd)),
		}},
		{ID: "riepilogo-dettagli", Title: step(stepDetails), EditHref: edit(stepDetails), Rows: []templates.SummaryRow{
			data(l.T("booking.field.reason"), d.Details.Reason),
			orNone(l.T("booking.summary.note"), d.Details.Note, l.T("booking.summary.no_note")),
		}},
		{ID: "riepilogo-richiedente", Title: step(stepApplicant), EditHref: edit(stepApplicant), Rows: []templates.SummaryRow{
			data(l.T("booking.summary.name"), a.FirstName+" "+a.LastName),
			data(l.T("booking.applicant.email"), a.Email),
			orNone(l.T("booking.summary.phone"), a.Phone, l.T("booking.summary.not_given")),
			orNone(l.T("booking.summary.fiscal_code"), a.FiscalCode, l.T("booking.summary.not_given")),
			{Label: l.T("booking.summary.channel"), Value: booking.ChannelLabelIn(l, a.Channel)},
			interpreter,
			support,
			{Label: l.T("booking.summary.privacy"), Value: l.T("booking.summary.privacy_read")},
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
	v := s.summaryView(r, wz)
	v.SlotGone = !free
	if v.SlotGone {
		v.Frame.Hold, v.Frame.HoldExpired = "", false
	}
	s.render(w, r, http.StatusOK, templates.BookingSummaryPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepSummary, false)), v))
}
