package hours

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/holidays"
)

// SearchDays is how many days ahead Status looks for the next opening, so
// that even a closure of several months still tells citizens when the office
// reopens.
const SearchDays = 400

// Schedule is everything that decides when one office is open.
type Schedule struct {
	// Weekly holds the regular hours. Intervals that fail Validate are
	// ignored.
	Weekly []Interval
	// Closures cancel the weekly hours on the days they cover.
	Closures []Closure
	// Specials add hours on a date; they apply even on holidays and during
	// closures.
	Specials []SpecialOpening
	// ISTAT is the code of the office's Comune, whose patron day closes it.
	ISTAT string
	// Holidays is the holiday calendar; nil means holidays.Default().
	Holidays *holidays.Calendar
}

// Opening is one span of hours on a given day.
type Opening struct {
	Start, End Clock
	Kind       Kind
	// Note is the note of a special opening ("" for weekly hours).
	Note string
	// Special is true for a special opening, false for weekly hours.
	Special bool
}

// Span returns the opening as "9:00–13:00".
func (o Opening) Span() string { return span(o.Start, o.End) }

// DayPlan is what an office does on one date.
type DayPlan struct {
	Date Date
	// Openings are the hours of the day, sorted by start time. Weekly hours
	// and special openings are listed separately even when they touch.
	Openings []Opening
	// Closed is true when there are no openings at all.
	Closed bool
	// Reason says in Italian why the weekly hours do not apply that day:
	// "Chiuso: Immacolata Concezione", "Chiuso per lavori". It is "" on
	// ordinary days, including days the office is never open. It stays set
	// when special openings open the office anyway.
	Reason string
}

// Day returns the plan of day d: the weekly intervals of its weekday, unless
// a closure or a holiday (national, or the patron day of the office's Comune)
// cancels them, plus the special openings of that date.
func (s Schedule) Day(d Date) DayPlan {
	p := DayPlan{Date: d, Reason: s.cancelReason(d)}
	if p.Reason == "" {
		wd := d.Weekday()
		for _, iv := range s.Weekly {
			if iv.Weekday == wd && iv.Validate() == nil {
				p.Openings = append(p.Openings, Opening{Start: iv.Start, End: iv.End, Kind: iv.Kind})
			}
		}
	}
	for _, so := range s.Specials {
		if so.Date == d && validateSpan(so.Start, so.End) == nil {
			p.Openings = append(p.Openings, Opening{Start: so.Start, End: so.End, Kind: so.Kind, Note: so.Note, Special: true})
		}
	}
	slices.SortStableFunc(p.Openings, func(a, b Opening) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(kindRank(a.Kind), kindRank(b.Kind)))
	})
	p.Closed = len(p.Openings) == 0
	return p
}

// cancelReason returns why the weekly hours do not apply on d, or "".
// A closure wins over a holiday: the office's own words are more useful
// ("Chiuso per le festività natalizie" over "Chiuso: Natale").
func (s Schedule) cancelReason(d Date) string {
	for _, c := range s.Closures {
		if c.Covers(d) {
			return closedBecause(c.Reason)
		}
	}
	cal := s.Holidays
	if cal == nil {
		cal = holidays.Default()
	}
	if name, ok := cal.Lookup(d.Year, d.Month, d.Day, s.ISTAT); ok {
		return "Chiuso: " + name
	}
	return ""
}

// closedBecause turns a closure reason into the text shown to citizens.
// Staff often write the whole sentence ("Chiuso per lavori"); that is kept
// as is rather than becoming "Chiuso: Chiuso per lavori".
func closedBecause(reason string) string {
	r := strings.TrimSpace(reason)
	switch {
	case r == "":
		return "Chiuso"
	case strings.HasPrefix(strings.ToLower(r), "chiuso"):
		return r
	}
	return "Chiuso: " + r
}

// Days returns the plans of n consecutive days starting at from.
func (s Schedule) Days(from Date, n int) []DayPlan {
	out := make([]DayPlan, 0, max(n, 0))
	for i := range n {
		out = append(out, s.Day(from.AddDays(i)))
	}
	return out
}

// Status says whether an office is open at a given instant.
type Status struct {
	// Open is true when the office is open now.
	Open bool
	// Until is when the office closes, if Open. Back-to-back intervals
	// count as one (9–13 and 13–14 close at 14:00), also across midnight.
	Until time.Time
	// NextOpen is when the office opens next, if not Open and
	// NextOpenFound.
	NextOpen time.Time
	// NextOpenFound is false when no opening is known within SearchDays.
	NextOpenFound bool
	// Reason is why the office is closed today, if a closure or a holiday
	// closes it (see DayPlan.Reason); "" when Open.
	Reason string
}

// Status reports whether the office is open at now for the given kind of
// service ("" means any kind), and until when or from when.
func (s Schedule) Status(now time.Time, kind Kind) Status {
	today := DateOf(now)
	var reason string
	for i := range SearchDays {
		d := today.AddDays(i)
		plan := s.Day(d)
		if i == 0 {
			reason = plan.Reason
		}
		for _, sp := range spansOf(plan, kind) {
			if !sp.end.After(now) {
				continue
			}
			if !sp.start.After(now) {
				return Status{Open: true, Until: s.extend(sp.end, d, kind)}
			}
			return Status{NextOpen: sp.start, NextOpenFound: true, Reason: reason}
		}
	}
	return Status{Reason: reason}
}

// extend follows a span that ends at midnight into the next days, as long
// as the next day opens at 00:00.
func (s Schedule) extend(end time.Time, d Date, kind Kind) time.Time {
	for i := 1; i < SearchDays; i++ {
		next := d.AddDays(i)
		if !end.Equal(next.At(0)) {
			break
		}
		sps := spansOf(s.Day(next), kind)
		if len(sps) == 0 || sps[0].start.After(end) {
			break
		}
		end = sps[0].end
	}
	return end
}

type instantSpan struct{ start, end time.Time }

// spansOf returns the openings of the plan of the given kind ("" = any) as
// instants, sorted, with overlapping and back-to-back spans merged. Spans
// that vanish in the spring-forward gap are dropped.
func spansOf(p DayPlan, kind Kind) []instantSpan {
	var out []instantSpan
	for _, o := range p.Openings {
		if kind != "" && o.Kind != kind {
			continue
		}
		sp := instantSpan{p.Date.At(o.Start), p.Date.At(o.End)}
		if sp.end.After(sp.start) {
			out = append(out, sp)
		}
	}
	slices.SortFunc(out, func(a, b instantSpan) int { return a.start.Compare(b.start) })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && !sp.start.After(merged[n-1].end) {
			if sp.end.After(merged[n-1].end) {
				merged[n-1].end = sp.end
			}
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// Text returns the status as one Italian line for citizens, relative to
// now: "Aperto ora · chiude alle 13:00", "Chiuso · riapre oggi alle 15:00",
// "Chiuso · riapre domani alle 9:00", "Chiuso · riapre lunedì 2 dicembre
// alle 9:00", or "Chiuso" when no opening is known. The year is added when
// the day is in a later year or more than 300 days away.
func (st Status) Text(now time.Time) string {
	today := DateOf(now)
	if st.Open {
		// A closing time of 00:00 is the end of the day before: 24:00.
		d, c := wallClock(st.Until)
		if c == 0 {
			d, c = d.AddDays(-1), EndOfDay
		}
		when := atClock(c)
		if d != today {
			when = dayName(today, d) + " " + when
		}
		return "Aperto ora · chiude " + when
	}
	if !st.NextOpenFound {
		return "Chiuso"
	}
	d, c := wallClock(st.NextOpen)
	return "Chiuso · riapre " + dayName(today, d) + " " + atClock(c)
}

// wallClock returns the date and the wall-clock time of t in Rome.
func wallClock(t time.Time) (Date, Clock) {
	t = t.In(rome)
	return DateOf(t), NewClock(t.Hour(), t.Minute())
}

func dayName(today, d Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return "oggi"
	case 1:
		return "domani"
	}
	return d.italian(d.Year != today.Year || today.DaysUntil(d) > 300)
}

// atClock returns "alle 9:00", with the elision Italian needs for one
// o'clock ("all'1:30") and "a mezzanotte" for 24:00.
func atClock(c Clock) string {
	switch {
	case c == EndOfDay:
		return "a mezzanotte"
	case c.Hour() == 1:
		return "all'" + c.Italian()
	}
	return "alle " + c.Italian()
}

// NextChange returns the next instant after now at which Status could
// change: the next start or end of an opening today, or the next midnight,
// whichever comes first. A cached status is valid until then.
func (s Schedule) NextChange(now time.Time) time.Time {
	today := DateOf(now)
	next := today.AddDays(1).At(0)
	for _, o := range s.Day(today).Openings {
		for _, c := range [2]Clock{o.Start, o.End} {
			if t := today.At(c); t.After(now) && t.Before(next) {
				next = t
			}
		}
	}
	return next
}

// WeekdayRow is one row of the weekly timetable shown to citizens.
type WeekdayRow struct {
	Weekday time.Weekday
	// Name is the Italian name of the weekday: "lunedì".
	Name string
	// ByKind has one entry for each kind the office uses on any day, in the
	// order of Kinds, so that every row has the same columns.
	ByKind []KindHours
	// Closed is true when the office has no hours of any kind that day.
	Closed bool
}

// KindHours are the weekly hours of one kind on one weekday.
type KindHours struct {
	Kind Kind
	// Label is the Italian label of Kind.
	Label string
	// Spans are the intervals as "9:00–13:00", by start time; empty when
	// there are none.
	Spans []string
}

// WeekTable returns the weekly hours from Monday to Sunday, grouped by kind.
// Closures, holidays and special openings are not included: see Days.
func (s Schedule) WeekTable() []WeekdayRow {
	var kinds []Kind
	for _, iv := range s.Weekly {
		if iv.Validate() == nil && !slices.Contains(kinds, iv.Kind) {
			kinds = append(kinds, iv.Kind)
		}
	}
	slices.SortStableFunc(kinds, func(a, b Kind) int { return cmp.Compare(kindRank(a), kindRank(b)) })

	weekly := slices.Clone(s.Weekly)
	slices.SortStableFunc(weekly, func(a, b Interval) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})

	rows := make([]WeekdayRow, 0, 7)
	for _, wd := range Weekdays() {
		row := WeekdayRow{Weekday: wd, Name: WeekdayName(wd), Closed: true}
		for _, k := range kinds {
			kh := KindHours{Kind: k, Label: k.Label()}
			for _, iv := range weekly {
				if iv.Weekday == wd && iv.Kind == k && iv.Validate() == nil {
					kh.Spans = append(kh.Spans, iv.Span())
					row.Closed = false
				}
			}
			row.ByKind = append(row.ByKind, kh)
		}
		rows = append(rows, row)
	}
	return rows
}

// kindRank orders kinds as Kinds does; unknown kinds go last.
func kindRank(k Kind) int {
	if i := slices.Index(Kinds(), k); i >= 0 {
		return i
	}
	return len(Kinds())
}

// String returns the status in English, for logs and test failures.
func (st Status) String() string {
	switch {
	case st.Open:
		return "open until " + st.Until.In(rome).Format("2006-01-02 15:04 MST")
	case st.NextOpenFound:
		return "closed until " + st.NextOpen.In(rome).Format("2006-01-02 15:04 MST") + reasonSuffix(st.Reason)
	}
	return "closed" + reasonSuffix(st.Reason)
}

func reasonSuffix(r string) string {
	if r == "" {
		return ""
	}
	return " (" + strconv.Quote(r) + ")"
}
