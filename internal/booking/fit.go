package booking

import (
	"time"

	"github.com/udc-umbria/portal/internal/hours"
)

// Opening is what decides whether an office can receive an appointment at
// its time: the office's schedule (weekly hours, closures, holidays) and
// the bookable windows of each professional.
type Opening struct {
	Schedule hours.Schedule
	// Windows are the bookable windows of each professional that has
	// booking settings. A professional without an entry is not limited by
	// windows (only by the schedule); one with an empty list has none left.
	Windows map[Professional][]hours.Interval
}

// Misfit says why an appointment no longer fits an Opening; "" means it
// fits. The values are Italian sentences for the staff.
type Misfit string

// Why an appointment does not fit.
const (
	// MisfitClosed: the weekly hours do not apply that day (a closure, a
	// national holiday or the patron day).
	MisfitClosed Misfit = "L'ufficio è chiuso in quel giorno."
	// MisfitHours: the time is not inside the weekly opening hours.
	MisfitHours Misfit = "L'orario è fuori dall'orario di apertura."
	// MisfitWindow: the time is not inside a bookable window of the
	// professional.
	MisfitWindow Misfit = "L'orario è fuori dalle fasce prenotabili."
)

// Check returns why an appointment with professional p from start to end
// would not take place under o, or "" when it fits. It applies the rules
// by which Slots offers a slot, except those about the moment of booking
// (notice, horizon) and the grid of the slot length, which do not concern
// an appointment already made: the weekly hours apply that day (no
// closure, no holiday), the time lies inside that day's weekly openings of
// any kind (back-to-back intervals count as one; special openings do not
// count) and inside one of p's windows for that weekday. An appointment
// across midnight never fits.
func (o Opening) Check(p Professional, start, end time.Time) Misfit {
	d, sc := wall(start)
	ed, ec := endWall(d, end)
	if ed != d || ec <= sc {
		return MisfitHours
	}
	plan := o.Schedule.Day(d)
	if plan.Reason != "" {
		return MisfitClosed
	}
	if !covered(openSpans(plan), sc, ec) {
		return MisfitHours
	}
	windows, limited := o.Windows[p]
	if !limited {
		return ""
	}
	var spans []clockSpan
	for _, w := range windows {
		if w.Weekday == d.Weekday() && w.Start < w.End {
			spans = append(spans, clockSpan{w.Start, w.End})
		}
	}
	if !covered(merge(spans), sc, ec) {
		return MisfitWindow
	}
	return ""
}
