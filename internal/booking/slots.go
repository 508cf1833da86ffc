package booking

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
)

// Slot is one bookable appointment time with one kind of professional.
type Slot struct {
	Start, End   time.Time
	Professional Professional
}

// keyLayout is the wall-clock part of a slot key.
const keyLayout = "2006-01-02T15:04"

// Key returns a stable identifier of the slot, made of the professional and
// the start as wall-clock time in Rome: "assistente-sociale/2026-12-10T10:00".
// It is what a booking form posts and what seats are counted by. Slots
// never use both occurrences of a time in the hour that repeats when the
// clocks go back, so the wall-clock time is unambiguous.
func (s Slot) Key() string {
	return string(s.Professional) + "/" + s.Start.In(hours.Rome()).Format(keyLayout)
}

// ErrKey is returned by ParseKey for a malformed slot key.
var ErrKey = errors.New("booking: invalid slot key")

// ParseKey splits a slot key made by Slot.Key. It checks the format only:
// whether such a slot is offered is found by generating the slots and
// looking the key up with Find.
func ParseKey(key string) (Professional, hours.Date, hours.Clock, error) {
	p, when, ok := strings.Cut(key, "/")
	if !ok || !Professional(p).Valid() {
		return "", hours.Date{}, 0, ErrKey
	}
	t, err := time.Parse(keyLayout, when)
	if err != nil {
		return "", hours.Date{}, 0, ErrKey
	}
	return Professional(p), hours.MakeDate(t.Date()), hours.NewClock(t.Hour(), t.Minute()), nil
}

// Find returns the slot with the given key.
func Find(slots []Slot, key string) (Slot, bool) {
	for _, s := range slots {
		if s.Key() == key {
			return s, true
		}
	}
	return Slot{}, false
}

// Date returns the day of the slot in Rome.
func (s Slot) Date() hours.Date { return hours.DateOf(s.Start) }

// DayLabel returns the day as a heading: "Giovedì 10 dicembre".
func (s Slot) DayLabel() string { return dayLabel(s.Date()) }

func dayLabel(d hours.Date) string {
	return capitalize(hours.WeekdayName(d.Weekday())) + " " + itoa(d.Day) + " " + hours.MonthName(d.Month)
}

// TimeLabel returns the times: "ore 10:00–10:45".
func (s Slot) TimeLabel() string {
	d, sc := wall(s.Start)
	_, ec := endWall(d, s.End)
	return "ore " + sc.Italian() + "–" + ec.Italian() // 24:00 for midnight
}

// Long returns the slot in words: "giovedì 10 dicembre 2026, dalle 10:00
// alle 10:45".
func (s Slot) Long() string { return LongSpan(s.Start, s.End) }

// IsWorkingDay reports whether d is a working day for the notice period:
// Monday to Friday, and neither a holiday (national or the office's patron
// day) nor a day the office is closed by a closure. The office's weekly
// hours do not matter: an office open on Tuesdays only still works on the
// other weekdays.
func IsWorkingDay(sched hours.Schedule, d hours.Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && sched.Day(d).Reason == ""
}

// EarliestStart returns the first instant at which a bookable slot may
// start, given the minimum notice of s.
//
// With a notice of N ≥ 1 working days, N whole working days (IsWorkingDay)
// must pass between the day of booking and the day of the appointment: the
// first bookable day is the day after the N-th working day after today.
// With 1 working day, a citizen booking on Monday can choose from
// Wednesday; on Friday, from Tuesday (Monday is the working day of notice);
// on Thursday 24 December 2026, from Tuesday 29 (Christmas, then the
// weekend; Monday 28 is the working day of notice). The office thus always
// has N full working days to prepare, or to confirm a request.
//
// With a notice of 0 any slot that has not started yet can be booked, also
// later the same day.
func EarliestStart(now time.Time, s Settings, sched hours.Schedule) time.Time {
	n := s.MinNoticeWorkingDays
	if n <= 0 {
		return now
	}
	d := hours.DateOf(now)
	// A closure of many months could make the search long; past the
	// longest horizon no slot is offered anyway.
	for i := 0; n > 0 && i <= MaxHorizonDays+MaxNoticeDays; i++ {
		d = d.AddDays(1)
		if IsWorkingDay(sched, d) {
			n--
		}
	}
	return d.AddDays(1).At(0)
}

// LastDate returns the last day on which slots are offered: today plus
// HorizonDays (DefaultHorizonDays if not set).
func LastDate(now time.Time, s Settings) hours.Date {
	h := s.HorizonDays
	if h <= 0 {
		h = DefaultHorizonDays
	}
	return hours.DateOf(now).AddDays(h)
}

// Slots returns the bookable slots of s from day from to day to (both
// included), sorted by start.
//
// Each window of s is cut, from its start, into consecutive slots of
// LengthMinutes; a remainder shorter than that is dropped. A slot is offered
// on day d only if
//
//   - the weekly hours apply on d: no closure and no holiday (national or
//     patron day), i.e. sched.Day(d).Reason is empty;
//   - it lies entirely inside the weekly opening hours of d, of any kind
//     (touching intervals count as one). Special openings never add slots:
//     they are one-off hours, often for a single service, and staff book
//     them by hand if they want;
//   - it starts no earlier than EarliestStart and on a day no later than
//     LastDate;
//   - its wall-clock start and end in Rome are what the window says.
//
// The last rule matters on the days the clocks change, where each slot is
// built from its wall-clock start with hours.Date.At and lasts exactly
// LengthMinutes. On the last Sunday of March the hour 02:00–03:00 does not
// exist, so slots that start or end in it are dropped. On the last Sunday
// of October slots that would end at a wall-clock time that is not their
// start plus the length (because the hour 02:00–03:00 is repeated) are
// dropped, and the others start at the occurrence hours.Date.At chooses.
// In daytime windows such as 9:00–12:00 nothing changes.
func Slots(s Settings, sched hours.Schedule, now time.Time, from, to hours.Date) []Slot {
	length := s.LengthMinutes
	if length <= 0 {
		return nil
	}
	earliest := EarliestStart(now, s, sched)
	if first := hours.DateOf(earliest); from.Before(first) {
		from = first
	}
	if last := LastDate(now, s); to.After(last) {
		to = last
	}
	windows := appointmentWindows(s.Windows)
	var out []Slot
	seen := map[string]bool{}
	for d := from; !d.After(to); d = d.AddDays(1) {
		plan := sched.Day(d)
		if plan.Reason != "" {
			continue
		}
		open := openSpans(plan)
		for _, w := range windows {
			if w.Weekday != d.Weekday() || w.Validate() != nil {
				continue
			}
			for c := w.Start; c+hours.Clock(length) <= w.End; c += hours.Clock(length) {
				end := c + hours.Clock(length)
				if !covered(open, c, end) {
					continue
				}
				slot, ok := makeSlot(s.Professional, d, c, end, length)
				if !ok || slot.Start.Before(earliest) {
					continue
				}
				// Overlapping windows (which Validate rejects) must not
				// offer the same slot twice.
				if k := slot.Key(); !seen[k] {
					seen[k] = true
					out = append(out, slot)
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Slot) int { return a.Start.Compare(b.Start) })
	return out
}

// makeSlot builds the slot from start to end (wall-clock) on day d, or
// reports false if the clocks changing makes it impossible.
func makeSlot(p Professional, d hours.Date, start, end hours.Clock, length int) (Slot, bool) {
	st := d.At(start)
	et := st.Add(time.Duration(length) * time.Minute)
	if sd, sc := wall(st); sd != d || sc != start {
		return Slot{}, false // in the spring-forward gap
	}
	if ed, ec := endWall(d, et); ed != d || ec != end {
		return Slot{}, false // across the gap or the repeated hour
	}
	return Slot{Start: st, End: et, Professional: p}, true
}

// openSpans returns the weekly (not special) openings of the plan, of any
// kind, merged.
func openSpans(p hours.DayPlan) []clockSpan {
	var spans []clockSpan
	for _, o := range p.Openings {
		if !o.Special {
			spans = append(spans, clockSpan{o.Start, o.End})
		}
	}
	return merge(spans)
}
