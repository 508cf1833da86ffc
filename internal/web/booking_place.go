package web

import (
	"context"
	"net/http"
	"time"

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// draftWindow and draftMax limit the drafts started per client address
// (rate_limits, shared by every instance). Every booking needs a draft, so
// draftMax matches the submissions allowed per address and hour
// (submitMax): an office PC or a library helping citizens one after the
// other books up to one every three minutes.
const (
	draftWindow = time.Hour
	draftMax    = submitMax
)

// placeChoice is what step 1 shows: the Comune picker and the offices to
// choose from.
type placeChoice struct {
	view templates.BookingPlace
	// bookable are the offices shown, by slug.
	bookable map[string]store.Office
	// demo is set when a demo office is listed.
	demo bool
}

// placeChoices builds step 1 for the Comune with slug comuneSlug (or
// istat, from the draft, or else the preselected office's) and the
// preselected office slug: the offices serving the Comune that take
// bookings online or, without any Comune, the preselected office alone.
func (s *Server) placeChoices(ctx context.Context, l *i18n.Localizer, comuneSlug, istat, officeSlug string) (placeChoice, error) {
	data, err := s.offices.get(ctx)
	if err != nil {
		return placeChoice{}, err
	}
	pc := placeChoice{bookable: map[string]store.Office{}}
	v := &pc.view
	for _, c := range data.comuni {
		v.Comuni = append(v.Comuni, templates.ComuneOption{Slug: c.Slug, Name: c.Name})
	}
	sortOptions(v.Comuni)
	i, ok := data.comuneBySlug[comuneSlug]
	if !ok && comuneSlug == "" && istat != "" {
		i, ok = data.comuneByISTAT[istat]
	}
	if oi, found := data.officeBySlug[officeSlug]; found && !ok && comuneSlug == "" {
		// An office chosen from its page (?ufficio=slug) comes with its
		// Comune: the one it sits in, if it serves it, else the first it
		// serves, so the picker shows a Comune and the office is listed
		// with the others serving it.
		o := data.offices[oi]
		served := o.SeatISTAT
		if _, serves := o.Serves(served); !serves && len(o.Comuni) > 0 {
			served = o.Comuni[0].ISTAT
		}
		i, ok = data.comuneByISTAT[served]
	}
	// add lists the office if it takes bookings online.
	add := func(o store.Office) error {
		if _, seen := pc.bookable[o.Slug]; seen {
			return nil
		}
		settings, err := s.enabledSettings(ctx, o.ID)
		if err != nil || len(settings) == 0 {
			return err
		}
		pc.bookable[o.Slug] = o
		v.Offices = append(v.Offices, bookingOffice(l, o))
		pc.demo = pc.demo || o.IsDemo
		return nil
	}
	if ok {
		c := data.comuni[i]
		v.Comune = templates.ComuneOption{Slug: c.Slug, Name: c.Name}
		for _, oi := range data.serving[c.ISTAT] {
			if err := add(data.offices[oi]); err != nil {
				return placeChoice{}, err
			}
		}
		v.NoOffices = len(v.Offices) == 0
	}
	// The preselected office is listed alone when no Comune is chosen;
	// with a Comune it is only checked if it serves it.
	if oi, found := data.officeBySlug[officeSlug]; found && !ok {
		if err := add(data.offices[oi]); err != nil {
			return placeChoice{}, err
		}
	}
	if _, bookable := pc.bookable[officeSlug]; bookable {
		v.Selected = officeSlug
	}
	return pc, nil
}

// officeSlugByID returns the slug of the office with id, "" if unknown.
func (s *Server) officeSlugByID(ctx context.Context, id int64) (string, error) {
	data, err := s.offices.get(ctx)
	if err != nil {
		return "", err
	}
	for _, o := range data.offices {
		if o.ID == id {
			return o.Slug, nil
		}
	}
	return "", nil
}

// bookingPlace renders step 1, /prenota[?comune=slug][&ufficio=slug].
// The Comune is chosen with a plain GET form, which works without
// JavaScript; the offices that serve it are then listed as radio cards.
// A draft is created only when the step is sent, so visits that go no
// further store nothing.
func (s *Server) bookingPlace(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	d, ok, err := s.loadDraft(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if ok && d.AppointmentID != nil {
		// The previous booking is done: this is a new one.
		ok, d = false, store.Draft{}
	}
	officeSlug := q.Get("ufficio")
	istat := ""
	if ok {
		istat = d.Data.ComuneISTAT
		if officeSlug == "" && d.Data.OfficeID != 0 {
			if officeSlug, err = s.officeSlugByID(ctx, d.Data.OfficeID); err != nil {
				s.serverError(w, r, err)
				return
			}
		}
	}
	pc, err := s.placeChoices(ctx, s.loc(r), q.Get("comune"), istat, officeSlug)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	var wz *wizard
	if ok {
		wz = &wizard{draft: d, fromSummary: q.Get("da") == fromSummary}
	}
	pc.view.Frame = s.frame(r, wz, stepPlace)
	pc.view.Frame.Demo = pc.view.Frame.Demo || pc.demo
	s.render(w, r, http.StatusOK, templates.BookingPlacePage(s.bookingPage(w, r, s.bookingStepTitle(r, stepPlace, false)), pc.view))
}

// bookingPlaceSave handles step 1: the office. Changing office clears the
// later choices that depend on it (professional, time, reason).
func (s *Server) bookingPlaceSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	slug := r.PostFormValue("ufficio")
	l := s.loc(r)
	pc, err := s.placeChoices(ctx, l, r.PostFormValue("comune"), "", slug)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	fromSum := r.PostFormValue("da") == fromSummary
	d, ok, err := s.loadDraft(r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	// fail shows step 1 again, with the citizen's choices, and msg next to
	// target (the first office, or the Comune field).
	fail := func(status int, msg string) {
		var wz *wizard
		if ok && d.AppointmentID == nil {
			wz = &wizard{draft: d, fromSummary: fromSum}
		}
		pc.view.Frame = s.frame(r, wz, stepPlace)
		pc.view.Frame.Demo = pc.view.Frame.Demo || pc.demo
		pc.view.Error = msg
		target := "comune"
		if len(pc.view.Offices) > 0 {
			target = "ufficio-" + pc.view.Offices[0].Slug
		}
		pc.view.Frame.Errors = []templates.FieldError{{ID: target, Message: pc.view.Error}}
		s.render(w, r, status, templates.BookingPlacePage(s.bookingPage(w, r, s.bookingStepTitle(r, stepPlace, true)), pc.view))
	}
	o, found := pc.bookable[slug]
	if !found {
		fail(http.StatusUnprocessableEntity, l.T("booking.place.office_missing"))
		return
	}
	if !ok || d.AppointmentID != nil {
		// Drafts per client address are limited (draftMax): a script
		// cannot open a draft per seat to hold the calendar.
		allowed, err := s.store.AllowSubmission(ctx, "draft:"+s.clientIP(r), s.now(), draftWindow, draftMax)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		if !allowed {
			fail(http.StatusTooManyRequests, l.T("booking.place.too_many")+" "+callOffice(l, o.Phone))
			return
		}
		if d, err = s.startDraft(w, r); err != nil {
			s.serverError(w, r, err)
			return
		}
	}
	if d.Data.OfficeID != o.ID {
		d.Data.OfficeID = o.ID
		d.Data.Professional = ""
		d.Data.SlotStart, d.Data.SlotEnd = time.Time{}, time.Time{}
		d.Data.Details.Reason = ""
		setCompleted(&d.Data, "data", false)
		setCompleted(&d.Data, "dettagli", false)
	}
	if pc.view.Comune.Slug != "" {
		data, err := s.offices.get(ctx)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		d.Data.ComuneISTAT = data.comuni[data.comuneBySlug[pc.view.Comune.Slug]].ISTAT
	}
	setCompleted(&d.Data, "luogo", true)
	if !s.saveDraft(w, r, d) {
		return
	}
	s.nextStep(w, r, &wizard{draft: d, fromSummary: fromSum}, bookingStepPaths[stepSlot-1])
}
