package hours

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	// The office hours are wall-clock times in Italy; the zone data is
	// embedded so that they never depend on the host's zoneinfo.
	_ "time/tzdata"
)

var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic("hours: load Europe/Rome: " + err.Error())
	}
	return loc
}()

// Rome returns the Europe/Rome location, in which all office hours are
// expressed.
func Rome() *time.Location { return rome }

// Date is a civil date (a day in the calendar, without time or zone).
// The zero Date means "no date". Dates made with MakeDate, DateOf or
// ParseDate are normalised and can be compared with ==.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// MakeDate returns the given date, normalised: MakeDate(2026, 12, 32) is
// 1 January 2027.
func MakeDate(year int, month time.Month, day int) Date {
	y, m, d := time.Date(year, month, day, 12, 0, 0, 0, time.UTC).Date()
	return Date{y, m, d}
}

// DateOf returns the date of the instant t on the calendar in Rome.
func DateOf(t time.Time) Date {
	y, m, d := t.In(rome).Date()
	return Date{y, m, d}
}

// ParseDate parses a date written as "2026-12-08" (the format of HTML date
// inputs).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return Date{}, fmt.Errorf("hours: invalid date %q", s)
	}
	return MakeDate(t.Date()), nil
}

// String returns the date as "2026-12-08", or "" for the zero Date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, d.Month, d.Day)
}

// Italian returns the date as citizens read it: "martedì 8 dicembre 2026".
func (d Date) Italian() string {
	return d.italian(true)
}

func (d Date) italian(withYear bool) string {
	s := WeekdayName(d.Weekday()) + " " + strconv.Itoa(d.Day) + " " + MonthName(d.Month)
	if withYear {
		s += " " + strconv.Itoa(d.Year)
	}
	return s
}

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d == Date{} }

// AddDays returns the date n days after d (before, if n is negative).
func (d Date) AddDays(n int) Date { return MakeDate(d.Year, d.Month, d.Day+n) }

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return d.utc().Weekday() }

// Compare returns -1 if d is before e, 0 if they are the same day, +1 if d is
// after e.
func (d Date) Compare(e Date) int { return d.utc().Compare(e.utc()) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// DaysUntil returns the number of days from d to e (negative if e is
// before d).
func (d Date) DaysUntil(e Date) int {
	return int(e.utc().Sub(d.utc()).Hours() / 24)
}

// At returns the instant at which the wall clock in Rome shows c on day d.
// At(24:00) is midnight at the start of the next day. On the day clocks go
// forward a time in the missing hour is moved after the gap (02:30 → 03:30);
// on the day they go back a time in the repeated hour is its second
// occurrence. This is how time.Date resolves them.
func (d Date) At(c Clock) time.Time {
	return time.Date(d.Year, d.Month, d.Day, int(c)/60, int(c)%60, 0, 0, rome)
}

func (d Date) utc() time.Time { return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC) }

// Clock is a wall-clock time of day in minutes since midnight, from 0 (00:00)
// to 1440 (24:00). 24:00 is only meaningful as the end of an interval that
// lasts until midnight.
type Clock int

// EndOfDay is 24:00, the end of an interval that lasts until midnight.
const EndOfDay Clock = 24 * 60

// NewClock returns the clock time hour:minute.
func NewClock(hour, minute int) Clock { return Clock(hour*60 + minute) }

// ParseClock parses "9:30", "09:30" or "24:00".
func ParseClock(s string) (Clock, error) {
	s = strings.TrimSpace(s)
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, fmt.Errorf("hours: invalid time %q", s)
	}
	hour, _ := strconv.Atoi(h)
	minute, _ := strconv.Atoi(m)
	c := NewClock(hour, minute)
	if hour > 24 || minute > 59 || c > EndOfDay {
		return 0, fmt.Errorf("hours: invalid time %q", s)
	}
	return c, nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// Valid reports whether c is between 00:00 and 24:00.
func (c Clock) Valid() bool { return c >= 0 && c <= EndOfDay }

// Hour returns the hour, 0 to 24.
func (c Clock) Hour() int { return int(c) / 60 }

// Minute returns the minute within the hour.
func (c Clock) Minute() int { return int(c) % 60 }

// String returns the time as "09:30", the format of HTML time inputs.
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", c.Hour(), c.Minute()) }

// Italian returns the time as Italian citizens read it: "9:30", "13:00".
func (c Clock) Italian() string { return fmt.Sprintf("%d:%02d", c.Hour(), c.Minute()) }

var weekdayNames = [...]string{"domenica", "lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato"}

// WeekdayName returns the Italian lower-case name of the weekday: "lunedì".
func WeekdayName(wd time.Weekday) string {
	if wd < time.Sunday || wd > time.Saturday {
		return ""
	}
	return weekdayNames[wd]
}

var monthNames = [...]string{"", "gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
	"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}

// MonthName returns the Italian lower-case name of the month: "dicembre".
func MonthName(m time.Month) string {
	if m < time.January || m > time.December {
		return ""
	}
	return monthNames[m]
}

// Weekdays returns the days of the week in Italian order, Monday first.
func Weekdays() [7]time.Weekday {
	return [7]time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}
}
