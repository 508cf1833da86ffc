package demo

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// Demo booking settings per professional: the social worker receives one
// citizen at a time for 45 minutes, the educator up to two for an hour.
var demoBooking = map[booking.Professional]struct{ length, capacity int }{
	booking.AssistenteSociale: {45, 1},
	booking.Educatore:         {60, 2},
}

// SeedBooking configures booking for every demo office (Office.IsDemo):
// both professionals, enabled, with windows equal to the office's weekly
// appointment hours — or, for an office that has none, its walk-in hours —
// so that every slot lies inside the opening hours, default notice,
// horizon and reasons. Offices without weekly hours (open on request) get
// no settings: booking.Slots offers slots only inside opening hours. Of
// the offices configured, the one whose slug sorts last takes requests
// ("richiesta") when there are several; the others confirm at once. It is
// idempotent: running it again saves the same settings.
func SeedBooking(ctx context.Context, st *store.Store) error {
	offices, err := st.ListOffices(ctx)
	if err != nil {
		return err
	}
	var configured []store.BookingSettings
	var slugs []string
	for _, o := range offices {
		if !o.IsDemo {
			continue
		}
		for _, p := range booking.Professionals() {
			windows := demoWindows(o.Hours, demoBooking[p].length)
			if len(windows) == 0 {
				continue
			}
			s := booking.DefaultSettings(p)
			s.LengthMinutes, s.Capacity, s.Windows = demoBooking[p].length, demoBooking[p].capacity, windows
			configured = append(configured, store.BookingSettings{OfficeID: o.ID, Professional: p, Enabled: true, Settings: s,
				MaxActivePerEmail: booking.DefaultMaxActivePerEmail})
			slugs = append(slugs, o.Slug)
		}
	}
	requestSlug := ""
	if distinct := slices.Compact(slices.Sorted(slices.Values(slugs))); len(distinct) > 1 {
		requestSlug = distinct[len(distinct)-1]
	}
	for i, bs := range configured {
		if slugs[i] == requestSlug {
			bs.Mode = booking.ModeRequest
		}
		if errs := bs.Validate(); len(errs) > 0 {
			return fmt.Errorf("demo: booking settings of %s (%s): %v", slugs[i], bs.Professional, errs)
		}
		if err := st.SaveBookingSettings(ctx, bs); err != nil {
			return fmt.Errorf("demo: booking settings of %s (%s): %w", slugs[i], bs.Professional, err)
		}
	}
	return nil
}

// demoWindows returns booking windows covering the weekly appointment
// hours, or the walk-in hours when there are no appointment hours at all:
// each interval of that kind, touching ones merged, at least one
// appointment long.
func demoWindows(weekly []hours.Interval, length int) []hours.Interval {
	kind := hours.KindAppointment
	if !slices.ContainsFunc(weekly, func(iv hours.Interval) bool { return iv.Kind == kind }) {
		kind = hours.KindWalkIn
	}
	var out []hours.Interval
	for _, wd := range hours.Weekdays() {
		var day []hours.Interval
		for _, iv := range weekly {
			if iv.Kind == kind && iv.Weekday == wd && iv.Validate() == nil {
				day = append(day, hours.Interval{Weekday: wd, Start: iv.Start, End: iv.End})
			}
		}
		slices.SortFunc(day, func(a, b hours.Interval) int { return cmp.Compare(a.Start, b.Start) })
		var merged []hours.Interval
		for _, iv := range day {
			if n := len(merged); n > 0 && iv.Start <= merged[n-1].End {
				merged[n-1].End = max(merged[n-1].End, iv.End)
				continue
			}
			merged = append(merged, iv)
		}
		for _, iv := range merged {
			if int(iv.End-iv.Start) >= length {
				out = append(out, iv)
			}
		}
	}
	return out
}
