package web

import (
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// slotQuery says which slots to offer and how to link to the other weeks.
// Step 2 of the wizard and the page that moves an appointment share it.
type slotQuery struct {
	office   store.Office
	settings store.BookingSettings
	// week is the ?settimana parameter: the week's number counted from the
	// first bookable week; "" picks the week of selected, else the first
	// week with a free slot.
	week string
	// selected is the slot currently chosen (checked on the page).
	selected time.Time
	// ownSeat is a seat already counted for this citizen (the draft's
	// unexpired hold), which must not make its own slot look full.
	ownSeat time.Time
	// exclude is a slot not to offer (the appointment being moved).
	exclude time.Time
	// link returns the URL of week n.
	link func(n int) string
}

// minuteKey identifies an instant by its minute, whatever its location.
func minuteKey(t time.Time) int64 { return t.Truncate(time.Minute).Unix() }

// slotPicker builds the week of slots to show: booking.Slots for the
// office and professional over the whole horizon, the seats taken
// (TakenSeats), booking.Availability, then the chosen week grouped by day.
// Full slots stay on the page, disabled, so the day keeps its shape.
func (s *Server) slotPicker(ctx context.Context, l *i18n.Localizer, q slotQuery) (templates.SlotPicker, error) {
	now := s.now()
	set := q.settings.Settings
	sched := q.office.Schedule()
	first := hours.DateOf(booking.EarliestStart(now, set, sched))
	last := booking.LastDate(now, set)
	all := booking.Slots(set, sched, now, first, last)
	if !q.exclude.IsZero() {
		all = slices.DeleteFunc(all, func(sl booking.Slot) bool { return sl.Start.Equal(q.exclude) })
	}
	count := booking.WeekCount(first, last)
	if len(all) == 0 || count == 0 {
		return templates.SlotPicker{None: true}, nil
	}
	taken, err := s.store.TakenSeats(ctx, q.office.ID, q.settings.Professional, first.At(0), last.AddDays(1).At(0))
	if err != nil {
		return templates.SlotPicker{}, err
	}
	byMinute := map[int64]int{}
	for t, n := range taken {
		byMinute[minuteKey(t)] += n
	}
	byKey := map[string]int{}
	for _, sl := range all {
		n := byMinute[minuteKey(sl.Start)]
		if !q.ownSeat.IsZero() && sl.Start.Equal(q.ownSeat) {
			n--
		}
		byKey[sl.Key()] = n
	}
	avail := booking.Availability(all, byKey, max(q.settings.Capacity, 1))

	weekOf := func(d hours.Date) int { return booking.Week(first, 0).Start.DaysUntil(booking.Week(d, 0).Start) / 7 }
	offset, err := strconv.Atoi(q.week)
	switch {
	case err == nil:
	case !q.selected.IsZero():
		offset = weekOf(hours.DateOf(q.selected))
	default:
		offset = 0
		for _, a := range avail {
			if !a.Full {
				offset = weekOf(a.Date())
				break
			}
		}
	}
	offset = min(max(offset, 0), count-1)
	week := booking.Week(first, offset)
	var shown []booking.SlotAvail
	for _, a := range avail {
		if week.Contains(a.Date()) {
			shown = append(shown, a)
		}
	}
	sp := templates.SlotPicker{Week: week.LabelIn(l), Offset: offset}
	if offset > 0 {
		sp.PrevHref = q.link(offset - 1)
	}
	if offset < count-1 {
		sp.NextHref = q.link(offset + 1)
	}
	for _, day := range booking.GroupByDay(shown) {
		sd := templates.SlotDay{ID: "giorno-" + day.Date.String(), Label: booking.DayLabelIn(l, day.Date)}
		for _, a := range day.Slots {
			sd.Slots = append(sd.Slots, templates.SlotOption{
				ID:   "orario-" + a.Start.In(hours.Rome()).Format("20060102-1504"),
				Key:  a.Key(),
				Time: a.TimeLabelIn(l),
				Full: a.Full,
				// A full slot is never shown checked, not even the
				// citizen's previous choice once it is gone.
				Checked: !a.Full && !q.selected.IsZero() && a.Start.Equal(q.selected),
			})
		}
		sp.Days = append(sp.Days, sd)
	}
	return sp, nil
}

// offeredSlot returns the slot with the posted key if it is one the query
// offers now (right professional, within notice and horizon, inside the
// office's hours); seats are checked by the store.
func (s *Server) offeredSlot(q slotQuery, key string) (booking.Slot, bool) {
	p, d, _, err := booking.ParseKey(key)
	if err != nil || p != q.settings.Professional {
		return booking.Slot{}, false
	}
	sl, ok := booking.Find(booking.Slots(q.settings.Settings, q.office.Schedule(), s.now(), d, d), key)
	if !ok || (!q.exclude.IsZero() && sl.Start.Equal(q.exclude)) {
		return booking.Slot{}, false
	}
	return sl, true
}

// slotChoiceQuery is the slotQuery of step 2 for the wizard's draft.
func (s *Server) slotChoiceQuery(r *http.Request, wz *wizard, bs store.BookingSettings, week string) slotQuery {
	d := wz.draft
	q := slotQuery{office: wz.office, settings: bs, week: week,
		link: func(n int) string {
			return withFrom(s.link(r, "/prenota/data")+"?settimana="+strconv.Itoa(n), wz.fromSummary)
		}}
	if d.Data.Professional == bs.Professional && !d.Data.SlotStart.IsZero() {
		q.selected = d.Data.SlotStart
		if h := d.HoldExpiresAt; h != nil && s.now().Before(*h) {
			q.ownSeat = d.Data.SlotStart
		}
	}
	return q
}

// chosenProfessional returns the settings of the draft's professional,
// or of the only one the office offers.
func chosenProfessional(wz *wizard) (store.BookingSettings, bool) {
	if bs, ok := wz.settingFor(wz.draft.Data.Professional); ok {
		return bs, true
	}
	if len(wz.settings) == 1 {
		return wz.settings[0], true
	}
	return store.BookingSettings{}, false
}

// bookingSlot renders step 2: the professional (?cambia=figura asks
// again), then the free times of one week (?settimana=N).
func (s *Server) bookingSlot(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepSlot)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := templates.BookingSlots{Frame: s.frame(r, wz, stepSlot), Office: bookingOffice(s.loc(r), wz.office), OfficePhone: wz.office.Phone}
	bs, chosen := chosenProfessional(wz)
	if !chosen || (q.Get("cambia") == "figura" && len(wz.settings) > 1) {
		s.renderProfessionals(w, r, wz, v, http.StatusOK, "")
		return
	}
	if err := s.fillSlots(r, wz, &v, bs, q.Get("settimana")); err != nil {
		s.serverError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, templates.BookingSlotsPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepSlot, false)), v))
}

// renderProfessionals shows the question "Con chi vuoi parlare?".
func (s *Server) renderProfessionals(w http.ResponseWriter, r *http.Request, wz *wizard, v templates.BookingSlots, status int, msg string) {
	v.ChooseProfessional = true
	for _, bs := range wz.settings {
		v.Professionals = append(v.Professionals, templates.Choice{
			Value: string(bs.Professional), Label: bs.Professional.LabelIn(s.loc(r)), Selected: bs.Professional == wz.draft.Data.Professional})
	}
	title := s.bookingStepTitle(r, stepSlot, msg != "")
	if msg != "" {
		v.ProfessionalError = msg
		v.Frame.Errors = []templates.FieldError{{ID: "figura-" + string(wz.settings[0].Professional), Message: msg}}
	}
	s.render(w, r, status, templates.BookingSlotsPage(s.bookingPage(w, r, title), v))
}

// fillSlots puts the professional and the week's slots into v.
func (s *Server) fillSlots(r *http.Request, wz *wizard, v *templates.BookingSlots, bs store.BookingSettings, week string) error {
	return s.fillSlotsChoosing(r, wz, v, bs, week, time.Time{})
}

// fillSlotsChoosing is fillSlots with the slot at chosen checked instead
// of the draft's (when chosen is not zero).
func (s *Server) fillSlotsChoosing(r *http.Request, wz *wizard, v *templates.BookingSlots, bs store.BookingSettings, week string,
	chosen time.Time) error {
	v.Professional = bs.Professional.LabelIn(s.loc(r))
	if len(wz.settings) > 1 {
		v.ChangeHref = withFrom(s.link(r, "/prenota/data")+"?cambia=figura", wz.fromSummary)
	}
	q := s.slotChoiceQuery(r, wz, bs, week)
	if !chosen.IsZero() {
		q.selected = chosen
	}
	sp, err := s.slotPicker(r.Context(), s.loc(r), q)
	if err != nil {
		return err
	}
	v.Picker = sp
	return nil
}

// holdClient is who asks for a hold: the client address and the browser,
// known by the SHA-256 of its CSRF cookie (every form sent carries it,
// whatever the draft).
func (s *Server) holdClient(r *http.Request) store.HoldClient {
	hc := store.HoldClient{Address: s.clientIP(r)}
	if c, err := r.Cookie(csrfCookie); err == nil && c.Value != "" {
		h := sha256.Sum256([]byte(c.Value))
		hc.Browser = h[:]
	}
	return hc
}

// bookingSlotSave handles step 2. A form with "figura" chooses the
// professional and shows the times; a form with "orario" holds the chosen
// slot for booking.HoldDuration and goes on.
func (s *Server) bookingSlotSave(w http.ResponseWriter, r *http.Request) {
	wz, ok := s.openWizard(w, r, stepSlot)
	if !ok {
		return
	}
	ctx := r.Context()
	l := s.loc(r)
	d := &wz.draft
	v := templates.BookingSlots{Frame: s.frame(r, wz, stepSlot), Office: bookingOffice(l, wz.office), OfficePhone: wz.office.Phone}
	if _, asked := r.PostForm["figura"]; asked || (r.PostFormValue("orario") == "" && r.PostFormValue("settimana") == "") {
		bs, found := wz.settingFor(booking.Professional(r.PostFormValue("figura")))
		if !found {
			s.renderProfessionals(w, r, wz, v, http.StatusUnprocessableEntity, l.T("booking.slots.professional_missing"))
			return
		}
		if d.Data.Professional != bs.Professional {
			d.Data.Professional = bs.Professional
			d.Data.SlotStart, d.Data.SlotEnd = time.Time{}, time.Time{}
			d.Data.Details.Reason = ""
			setCompleted(&d.Data, "data", false)
			setCompleted(&d.Data, "dettagli", false)
			if !s.saveDraft(w, r, *d) {
				return
			}
		}
		http.Redirect(w, r, withFrom(s.link(r, "/prenota/data"), wz.fromSummary), http.StatusSeeOther)
		return
	}

	bs, chosen := chosenProfessional(wz)
	if !chosen {
		http.Redirect(w, r, withFrom(s.link(r, "/prenota/data"), wz.fromSummary), http.StatusSeeOther)
		return
	}
	week := r.PostFormValue("settimana")
	q := s.slotChoiceQuery(r, wz, bs, week)
	// fail shows the week again with msg; chosen, when set, is the time
	// the citizen sent, kept checked.
	fail := func(status int, msg string, chosen time.Time) {
		if err := s.fillSlotsChoosing(r, wz, &v, bs, week, chosen); err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Picker.Error = msg
		v.Frame.Errors = []templates.FieldError{{ID: v.Picker.FirstSlotID(), Message: msg}}
		s.render(w, r, status, templates.BookingSlotsPage(s.bookingPage(w, r, s.bookingStepTitle(r, stepSlot, true)), v))
	}
	sl, offered := s.offeredSlot(q, r.PostFormValue("orario"))
	if !offered {
		fail(http.StatusUnprocessableEntity, l.T("booking.slots.time_missing"), time.Time{})
		return
	}
	err := s.store.HoldSlot(ctx, d.ID, wz.office.ID, bs.Professional, sl.Start, sl.End, max(bs.Capacity, 1), s.holdClient(r), s.now())
	switch {
	case errors.Is(err, store.ErrSlotFull):
		fail(http.StatusConflict, l.T("booking.slots.taken"), time.Time{})
		return
	case errors.Is(err, store.ErrTooManyHolds):
		// The choice stays checked: the citizen can send it again once
		// an older reservation has ended.
		fail(http.StatusTooManyRequests, l.T("booking.slots.too_many_holds"), sl.Start)
		return
	case errors.Is(err, store.ErrHoldSpanOver):
		// The seat is free but no longer reserved for this draft (see
		// booking.HoldMaxSpan): the choice is saved and checked again at
		// submission.
	case errors.Is(err, store.ErrDraftSubmitted):
		http.Redirect(w, r, s.link(r, bookingDonePath), http.StatusSeeOther)
		return
	case errors.Is(err, store.ErrNotFound):
		http.Redirect(w, r, s.link(r, "/prenota"), http.StatusSeeOther)
		return
	case err != nil:
		s.serverError(w, r, err)
		return
	}
	d.Data.Professional = bs.Professional
	d.Data.SlotStart, d.Data.SlotEnd = sl.Start, sl.End
	setCompleted(&d.Data, "data", true)
	if !s.saveDraft(w, r, *d) {
		return
	}
	s.nextStep(w, r, wz, bookingStepPaths[stepDetails-1])
}
