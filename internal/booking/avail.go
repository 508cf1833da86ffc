package booking

import (
	"github.com/udc-umbria/portal/internal/hours"
)

// SlotAvail is a slot with its free seats.
type SlotAvail struct {
	Slot
	// Free is how many more citizens can book the slot, 0 when full.
	Free int
	// Full is true when no seat is left.
	Full bool
}

// Availability returns the slots with their free seats: capacity minus the
// seats taken, which are counted by Slot.Key (active appointments and
// unexpired holds). Slots with no seat left are kept and marked Full, so
// that the page shows the day's times in a stable layout.
func Availability(slots []Slot, taken map[string]int, capacity int) []SlotAvail {
	out := make([]SlotAvail, 0, len(slots))
	for _, s := range slots {
		free := max(capacity-taken[s.Key()], 0)
		out = append(out, SlotAvail{Slot: s, Free: free, Full: free == 0})
	}
	return out
}

// DaySlots are the slots of one day.
type DaySlots struct {
	Date hours.Date
	// Label is the day as a heading: "Giovedì 10 dicembre".
	Label string
	Slots []SlotAvail
	// Full is true when every slot of the day is full.
	Full bool
}

// GroupByDay groups slots, sorted by start, by their day in Rome. Days
// without slots are left out.
func GroupByDay(slots []SlotAvail) []DaySlots {
	var out []DaySlots
	for _, s := range slots {
		d := s.Date()
		if n := len(out); n == 0 || out[n-1].Date != d {
			out = append(out, DaySlots{Date: d, Label: dayLabel(d), Full: true})
		}
		last := &out[len(out)-1]
		last.Slots = append(last.Slots, s)
		last.Full = last.Full && s.Full
	}
	return out
}

// WeekRange is a week from Monday to Sunday, the page of the slot list.
type WeekRange struct {
	// Start is the Monday, End the Sunday.
	Start, End hours.Date
}

// Week returns the week (Monday to Sunday) that contains day from, moved by
// offset weeks: Week(d, 0) is d's week, Week(d, 1) the next one.
func Week(from hours.Date, offset int) WeekRange {
	back := (int(from.Weekday()) + 6) % 7 // days since Monday
	start := from.AddDays(-back + 7*offset)
	return WeekRange{Start: start, End: start.AddDays(6)}
}

// WeekCount returns how many weeks are needed to show the days from first
// to last, both included: the highest useful offset for Week(first, …) is
// WeekCount-1. It returns 0 if last is before first.
func WeekCount(first, last hours.Date) int {
	if last.Before(first) {
		return 0
	}
	return Week(first, 0).Start.DaysUntil(Week(last, 0).Start)/7 + 1
}

// Contains reports whether d is in the week.
func (w WeekRange) Contains(d hours.Date) bool { return !d.Before(w.Start) && !d.After(w.End) }

// Label returns the week as a heading: "Settimana dal 7 al 13 dicembre",
// "Settimana dal 30 novembre al 6 dicembre", "Settimana dal 28 dicembre 2026
// al 3 gennaio 2027", with the elision Italian needs before 1, 8 and 11:
// "Settimana dall'8 al 14 giugno".
func (w WeekRange) Label() string {
	s, e := w.Start, w.End
	first := itoa(s.Day)
	switch {
	case s.Year != e.Year:
		first += " " + hours.MonthName(s.Month) + " " + itoa(s.Year)
	case s.Month != e.Month:
		first += " " + hours.MonthName(s.Month)
	}
	last := itoa(e.Day) + " " + hours.MonthName(e.Month)
	if s.Year != e.Year {
		last += " " + itoa(e.Year)
	}
	dal, al := "dal ", "al "
	if elides(s.Day) {
		dal = "dall'"
	}
	if elides(e.Day) {
		al = "all'"
	}
	return "Settimana " + dal + first + " " + al + last
}
