package hours

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/holidays"
)

const (
	perugia = "054039"
	terni   = "055032"
)

// rt is a wall-clock time in Rome.
func rt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, Rome())
}

// utc is an instant given in UTC, to name DST instants without ambiguity.
func utc(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, time.UTC)
}

func clk(t *testing.T, s string) Clock {
	t.Helper()
	c, err := ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func iv(t *testing.T, wd time.Weekday, start, end string, k Kind) Interval {
	t.Helper()
	return Interval{Weekday: wd, Start: clk(t, start), End: clk(t, end), Kind: k}
}

func special(t *testing.T, d Date, start, end string, k Kind, note string) SpecialOpening {
	t.Helper()
	return SpecialOpening{Date: d, Start: clk(t, start), End: clk(t, end), Kind: k, Note: note}
}

func day(y int, m time.Month, d int) Date { return MakeDate(y, m, d) }

// baseOffice is an office in Perugia. In the week of 2 November 2026
// (Monday 2 to Sunday 8) there is no holiday.
func baseOffice(t *testing.T) Schedule {
	return Schedule{ISTAT: perugia, Weekly: []Interval{
		iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
		iv(t, time.Monday, "15:00", "17:00", KindWalkIn),
		iv(t, time.Tuesday, "9:00", "13:00", KindWalkIn),
		iv(t, time.Wednesday, "9:00", "13:00", KindWalkIn),
		iv(t, time.Wednesday, "13:00", "14:00", KindAppointment),
		iv(t, time.Thursday, "9:00", "13:00", KindWalkIn),
		iv(t, time.Thursday, "13:00", "14:00", KindWalkIn),
		iv(t, time.Friday, "9:00", "13:00", KindWalkIn),
	}}
}

// weekdayMornings is open 9–13 from Monday to Friday.
func weekdayMornings(t *testing.T, istat string) Schedule {
	s := Schedule{ISTAT: istat}
	week := Weekdays()
	for _, wd := range week[:5] {
		s.Weekly = append(s.Weekly, iv(t, wd, "9:00", "13:00", KindWalkIn))
	}
	return s
}

func with(s Schedule, edit func(*Schedule)) Schedule {
	edit(&s)
	return s
}

func openUntil(until time.Time) Status { return Status{Open: true, Until: until} }

func closedUntil(next time.Time, reason string) Status {
	return Status{NextOpen: next, NextOpenFound: true, Reason: reason}
}

func sameStatus(a, b Status) bool {
	return a.Open == b.Open && a.Until.Equal(b.Until) && a.NextOpen.Equal(b.NextOpen) &&
		a.NextOpenFound == b.NextOpenFound && a.Reason == b.Reason
}

type statusCase struct {
	name string
	s    Schedule
	now  time.Time
	kind Kind
	want Status
	text string
}

func runStatusCases(t *testing.T, tests []statusCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Status(tt.now, tt.kind)
			if !sameStatus(got, tt.want) {
				t.Errorf("Status(%v, %q)\n got  %v\n want %v", tt.now, tt.kind, got, tt.want)
			}
			if text := got.Text(tt.now); text != tt.text {
				t.Errorf("Text() = %q, want %q", text, tt.text)
			}
		})
	}
}

func TestStatus_OrdinaryWeek(t *testing.T) {
	office := baseOffice(t)
	runStatusCases(t, []statusCase{
		{"Monday before opening", office, rt(2026, 11, 2, 8, 59), "",
			closedUntil(rt(2026, 11, 2, 9, 0), ""), "Chiuso · riapre oggi alle 9:00"},
		{"Monday at opening time", office, rt(2026, 11, 2, 9, 0), "",
			openUntil(rt(2026, 11, 2, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"last nanosecond before closing", office, time.Date(2026, 11, 2, 12, 59, 59, 999999999, Rome()), "",
			openUntil(rt(2026, 11, 2, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"at closing time, afternoon interval later", office, rt(2026, 11, 2, 13, 0), "",
			closedUntil(rt(2026, 11, 2, 15, 0), ""), "Chiuso · riapre oggi alle 15:00"},
		{"14:00 between 9–13 and 15–17", office, rt(2026, 11, 2, 14, 0), "",
			closedUntil(rt(2026, 11, 2, 15, 0), ""), "Chiuso · riapre oggi alle 15:00"},
		{"afternoon interval", office, rt(2026, 11, 2, 16, 0), "",
			openUntil(rt(2026, 11, 2, 17, 0)), "Aperto ora · chiude alle 17:00"},
		{"after the last interval, open tomorrow", office, rt(2026, 11, 2, 17, 0), "",
			closedUntil(rt(2026, 11, 3, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"one minute before midnight", office, rt(2026, 11, 2, 23, 59), "",
			closedUntil(rt(2026, 11, 3, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"Friday afternoon, reopens Monday", office, rt(2026, 11, 6, 14, 0), "",
			closedUntil(rt(2026, 11, 9, 9, 0), ""), "Chiuso · riapre lunedì 9 novembre alle 9:00"},
		{"Saturday, reopens Monday", office, rt(2026, 11, 7, 10, 0), "",
			closedUntil(rt(2026, 11, 9, 9, 0), ""), "Chiuso · riapre lunedì 9 novembre alle 9:00"},
		{"Sunday, reopens tomorrow", office, rt(2026, 11, 8, 10, 0), "",
			closedUntil(rt(2026, 11, 9, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"back-to-back intervals of one kind close at the end of the second", office, rt(2026, 11, 5, 10, 0), "",
			openUntil(rt(2026, 11, 5, 14, 0)), "Aperto ora · chiude alle 14:00"},
		{"inside the second back-to-back interval", office, rt(2026, 11, 5, 13, 30), "",
			openUntil(rt(2026, 11, 5, 14, 0)), "Aperto ora · chiude alle 14:00"},
		{"any kind: walk-in then appointment back-to-back", office, rt(2026, 11, 4, 10, 0), "",
			openUntil(rt(2026, 11, 4, 14, 0)), "Aperto ora · chiude alle 14:00"},
		{"walk-in only: closes when appointments start", office, rt(2026, 11, 4, 10, 0), KindWalkIn,
			openUntil(rt(2026, 11, 4, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"appointments only: later today", office, rt(2026, 11, 4, 10, 0), KindAppointment,
			closedUntil(rt(2026, 11, 4, 13, 0), ""), "Chiuso · riapre oggi alle 13:00"},
		{"appointments only: next week", office, rt(2026, 11, 4, 14, 0), KindAppointment,
			closedUntil(rt(2026, 11, 11, 13, 0), ""), "Chiuso · riapre mercoledì 11 novembre alle 13:00"},
		{"instant given in UTC is read in Rome", office, utc(2026, 11, 2, 8, 30), "",
			openUntil(rt(2026, 11, 2, 13, 0)), "Aperto ora · chiude alle 13:00"},
	})
}

func TestStatus_HolidaysAndSpecialOpenings(t *testing.T) {
	office := baseOffice(t)
	immacolata := day(2026, 12, 8) // Tuesday
	onHoliday := with(office, func(s *Schedule) {
		s.Specials = []SpecialOpening{special(t, immacolata, "9:00", "12:00", KindWalkIn, "Apertura straordinaria")}
	})
	runStatusCases(t, []statusCase{
		{"national holiday on a weekday", office, rt(2026, 12, 8, 10, 0), "",
			closedUntil(rt(2026, 12, 9, 9, 0), "Chiuso: Immacolata Concezione"), "Chiuso · riapre domani alle 9:00"},
		{"day before a holiday skips it", office, rt(2026, 12, 7, 17, 30), "",
			closedUntil(rt(2026, 12, 9, 9, 0), ""), "Chiuso · riapre mercoledì 9 dicembre alle 9:00"},
		{"special opening on a holiday: open", onHoliday, rt(2026, 12, 8, 10, 0), "",
			openUntil(rt(2026, 12, 8, 12, 0)), "Aperto ora · chiude alle 12:00"},
		{"special opening on a holiday: before it", onHoliday, rt(2026, 12, 8, 8, 0), "",
			closedUntil(rt(2026, 12, 8, 9, 0), "Chiuso: Immacolata Concezione"), "Chiuso · riapre oggi alle 9:00"},
		{"special opening on a holiday: after it", onHoliday, rt(2026, 12, 8, 12, 30), "",
			closedUntil(rt(2026, 12, 9, 9, 0), "Chiuso: Immacolata Concezione"), "Chiuso · riapre domani alle 9:00"},
		{"special opening on a holiday: other kind stays closed", onHoliday, rt(2026, 12, 8, 10, 0), KindAppointment,
			closedUntil(rt(2026, 12, 9, 13, 0), "Chiuso: Immacolata Concezione"), "Chiuso · riapre domani alle 13:00"},
		{"extra hours on a Saturday", with(office, func(s *Schedule) {
			s.Specials = []SpecialOpening{special(t, day(2026, 11, 7), "9:00", "12:00", KindWalkIn, "")}
		}), rt(2026, 11, 7, 10, 0), "", openUntil(rt(2026, 11, 7, 12, 0)), "Aperto ora · chiude alle 12:00"},
		{"Friday before extra Saturday hours", with(office, func(s *Schedule) {
			s.Specials = []SpecialOpening{special(t, day(2026, 11, 7), "9:00", "12:00", KindWalkIn, "")}
		}), rt(2026, 11, 6, 14, 0), "", closedUntil(rt(2026, 11, 7, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"extra hours right after weekly ones merge", with(office, func(s *Schedule) {
			s.Specials = []SpecialOpening{special(t, day(2026, 11, 6), "13:00", "15:00", KindWalkIn, "")}
		}), rt(2026, 11, 6, 10, 0), "", openUntil(rt(2026, 11, 6, 15, 0)), "Aperto ora · chiude alle 15:00"},
		{"extra hours overlapping weekly ones merge", with(office, func(s *Schedule) {
			s.Specials = []SpecialOpening{special(t, day(2026, 11, 6), "12:00", "14:30", KindWalkIn, "")}
		}), rt(2026, 11, 6, 10, 0), "", openUntil(rt(2026, 11, 6, 14, 30)), "Aperto ora · chiude alle 14:30"},
		{"special opening during a closure", with(office, func(s *Schedule) {
			s.Closures = []Closure{{From: day(2026, 11, 2), To: day(2026, 11, 6), Reason: "lavori"}}
			s.Specials = []SpecialOpening{special(t, day(2026, 11, 4), "10:00", "12:00", KindWalkIn, "")}
		}), rt(2026, 11, 4, 9, 0), "", closedUntil(rt(2026, 11, 4, 10, 0), "Chiuso: lavori"), "Chiuso · riapre oggi alle 10:00"},
		{"no hours at all", Schedule{}, rt(2026, 11, 2, 10, 0), "",
			Status{}, "Chiuso"},
		{"office without appointments asked for appointments", weekdayMornings(t, perugia), rt(2026, 11, 2, 10, 0), KindAppointment,
			Status{}, "Chiuso"},
	})
}

func TestStatus_Closures(t *testing.T) {
	office := weekdayMornings(t, perugia)
	monthBoundary := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 11, 28), To: day(2026, 12, 3), Reason: "Chiuso per lavori"}}
	})
	threeWeeks := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 7, 27), To: day(2026, 8, 16), Reason: "ferie estive"}}
	})
	christmas := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 12, 21), To: day(2027, 1, 6), Reason: "Chiuso per le festività natalizie"}}
	})
	longSameYear := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 1, 5), To: day(2026, 12, 6), Reason: "ristrutturazione"}}
	})
	shorterSameYear := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 1, 5), To: day(2026, 10, 18), Reason: "ristrutturazione"}}
	})
	beyondSearch := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 1, 1), To: day(2027, 12, 31), Reason: "lavori"}}
	})
	emptyReason := with(office, func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 11, 2), To: day(2026, 11, 2)}}
	})

	runStatusCases(t, []statusCase{
		{"month-boundary closure: day before, open", monthBoundary, rt(2026, 11, 27, 10, 0), "",
			openUntil(rt(2026, 11, 27, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"month-boundary closure: day before, after hours", monthBoundary, rt(2026, 11, 27, 14, 0), "",
			closedUntil(rt(2026, 12, 4, 9, 0), ""), "Chiuso · riapre venerdì 4 dicembre alle 9:00"},
		{"month-boundary closure: first day", monthBoundary, rt(2026, 11, 28, 10, 0), "",
			closedUntil(rt(2026, 12, 4, 9, 0), "Chiuso per lavori"), "Chiuso · riapre venerdì 4 dicembre alle 9:00"},
		{"month-boundary closure: in November", monthBoundary, rt(2026, 11, 30, 10, 0), "",
			closedUntil(rt(2026, 12, 4, 9, 0), "Chiuso per lavori"), "Chiuso · riapre venerdì 4 dicembre alle 9:00"},
		{"month-boundary closure: in December", monthBoundary, rt(2026, 12, 1, 10, 0), "",
			closedUntil(rt(2026, 12, 4, 9, 0), "Chiuso per lavori"), "Chiuso · riapre venerdì 4 dicembre alle 9:00"},
		{"month-boundary closure: last day", monthBoundary, rt(2026, 12, 3, 16, 0), "",
			closedUntil(rt(2026, 12, 4, 9, 0), "Chiuso per lavori"), "Chiuso · riapre domani alle 9:00"},
		{"month-boundary closure: day after", monthBoundary, rt(2026, 12, 4, 9, 30), "",
			openUntil(rt(2026, 12, 4, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"three-week closure reopens more than a week later", threeWeeks, rt(2026, 7, 27, 10, 0), "",
			closedUntil(rt(2026, 8, 17, 9, 0), "Chiuso: ferie estive"), "Chiuso · riapre lunedì 17 agosto alle 9:00"},
		{"three-week closure, midway", threeWeeks, rt(2026, 8, 5, 10, 0), "",
			closedUntil(rt(2026, 8, 17, 9, 0), "Chiuso: ferie estive"), "Chiuso · riapre lunedì 17 agosto alle 9:00"},
		{"closure across the new year: reopening shows the year", christmas, rt(2026, 12, 21, 10, 0), "",
			closedUntil(rt(2027, 1, 7, 9, 0), "Chiuso per le festività natalizie"), "Chiuso · riapre giovedì 7 gennaio 2027 alle 9:00"},
		{"closure across the new year, seen the Friday before", christmas, rt(2026, 12, 18, 14, 0), "",
			closedUntil(rt(2027, 1, 7, 9, 0), ""), "Chiuso · riapre giovedì 7 gennaio 2027 alle 9:00"},
		{"closure across the new year, seen in January", christmas, rt(2027, 1, 4, 10, 0), "",
			closedUntil(rt(2027, 1, 7, 9, 0), "Chiuso per le festività natalizie"), "Chiuso · riapre giovedì 7 gennaio alle 9:00"},
		{"reopening more than 300 days away shows the year", longSameYear, rt(2026, 1, 5, 10, 0), "",
			closedUntil(rt(2026, 12, 7, 9, 0), "Chiuso: ristrutturazione"), "Chiuso · riapre lunedì 7 dicembre 2026 alle 9:00"},
		{"reopening 287 days away in the same year has no year", shorterSameYear, rt(2026, 1, 5, 10, 0), "",
			closedUntil(rt(2026, 10, 19, 9, 0), "Chiuso: ristrutturazione"), "Chiuso · riapre lunedì 19 ottobre alle 9:00"},
		{"closure longer than the search: no reopening known", beyondSearch, rt(2026, 3, 2, 10, 0), "",
			Status{Reason: "Chiuso: lavori"}, "Chiuso"},
		{"closure without a reason", emptyReason, rt(2026, 11, 2, 10, 0), "",
			closedUntil(rt(2026, 11, 3, 9, 0), "Chiuso"), "Chiuso · riapre domani alle 9:00"},
	})
}

func TestStatus_IntervalEndingAtMidnight(t *testing.T) {
	evening := Schedule{Weekly: []Interval{iv(t, time.Friday, "20:00", "24:00", KindWalkIn)}}
	overnight := with(evening, func(s *Schedule) {
		s.Weekly = append(s.Weekly[:1:1], iv(t, time.Saturday, "0:00", "2:00", KindWalkIn))
	})
	runStatusCases(t, []statusCase{
		{"just before it opens", evening, rt(2026, 11, 6, 19, 59), "",
			closedUntil(rt(2026, 11, 6, 20, 0), ""), "Chiuso · riapre oggi alle 20:00"},
		{"one minute before midnight", evening, rt(2026, 11, 6, 23, 59), "",
			openUntil(rt(2026, 11, 7, 0, 0)), "Aperto ora · chiude a mezzanotte"},
		{"last nanosecond before midnight", evening, time.Date(2026, 11, 6, 23, 59, 59, 999999999, Rome()), "",
			openUntil(rt(2026, 11, 7, 0, 0)), "Aperto ora · chiude a mezzanotte"},
		{"at midnight it is closed", evening, rt(2026, 11, 7, 0, 0), "",
			closedUntil(rt(2026, 11, 13, 20, 0), ""), "Chiuso · riapre venerdì 13 novembre alle 20:00"},
		{"continues after midnight: closes tomorrow", overnight, rt(2026, 11, 6, 23, 0), "",
			openUntil(rt(2026, 11, 7, 2, 0)), "Aperto ora · chiude domani alle 2:00"},
		{"continues after midnight: after midnight", overnight, rt(2026, 11, 7, 1, 0), "",
			openUntil(rt(2026, 11, 7, 2, 0)), "Aperto ora · chiude alle 2:00"},
		{"continues after midnight: closed after", overnight, rt(2026, 11, 7, 2, 0), "",
			closedUntil(rt(2026, 11, 13, 20, 0), ""), "Chiuso · riapre venerdì 13 novembre alle 20:00"},
	})
}

func TestStatus_DSTChangeDays(t *testing.T) {
	// Sunday 29 March 2026: at 02:00 CET clocks jump to 03:00 CEST.
	// Sunday 25 October 2026: at 03:00 CEST clocks go back to 02:00 CET.
	night := Schedule{Weekly: []Interval{
		iv(t, time.Sunday, "1:00", "4:00", KindWalkIn),
		iv(t, time.Sunday, "9:00", "13:00", KindWalkIn),
		iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
	}}
	springGap := Schedule{
		Weekly:   []Interval{iv(t, time.Monday, "9:00", "13:00", KindWalkIn)},
		Specials: []SpecialOpening{special(t, day(2026, 3, 29), "2:00", "3:00", KindWalkIn, "")},
	}
	autumnRepeat := Schedule{
		Weekly:   []Interval{iv(t, time.Monday, "9:00", "13:00", KindWalkIn)},
		Specials: []SpecialOpening{special(t, day(2026, 10, 25), "2:00", "3:00", KindWalkIn, "")},
	}
	runStatusCases(t, []statusCase{
		// Spring forward: 01:00–04:00 lasts two real hours.
		{"spring: 00:30 CET, opens at one", night, utc(2026, 3, 28, 23, 30), "",
			closedUntil(utc(2026, 3, 29, 0, 0), ""), "Chiuso · riapre oggi all'1:00"},
		{"spring: 01:59 CET, open until 04:00 CEST", night, utc(2026, 3, 29, 0, 59), "",
			openUntil(utc(2026, 3, 29, 2, 0)), "Aperto ora · chiude alle 4:00"},
		{"spring: 03:00 CEST, right after the jump", night, utc(2026, 3, 29, 1, 0), "",
			openUntil(utc(2026, 3, 29, 2, 0)), "Aperto ora · chiude alle 4:00"},
		{"spring: 04:00 CEST, closed until nine", night, utc(2026, 3, 29, 2, 0), "",
			closedUntil(utc(2026, 3, 29, 7, 0), ""), "Chiuso · riapre oggi alle 9:00"},
		{"spring: 09:00 CEST, morning hours", night, utc(2026, 3, 29, 7, 0), "",
			openUntil(utc(2026, 3, 29, 11, 0)), "Aperto ora · chiude alle 13:00"},
		{"spring: Monday after, 08:59 CEST", night, utc(2026, 3, 30, 6, 59), "",
			closedUntil(utc(2026, 3, 30, 7, 0), ""), "Chiuso · riapre oggi alle 9:00"},
		{"spring: Saturday before, still CET", night, utc(2026, 3, 28, 12, 0), "",
			closedUntil(utc(2026, 3, 29, 0, 0), ""), "Chiuso · riapre domani all'1:00"},
		{"spring: an interval inside the missing hour never opens", springGap, utc(2026, 3, 29, 0, 30), "",
			closedUntil(utc(2026, 3, 30, 7, 0), ""), "Chiuso · riapre domani alle 9:00"},

		// Fall back: 01:00–04:00 lasts four real hours.
		{"autumn: 00:59 CEST, opens at one", night, utc(2026, 10, 24, 22, 59), "",
			closedUntil(utc(2026, 10, 24, 23, 0), ""), "Chiuso · riapre oggi all'1:00"},
		{"autumn: 01:30 CEST, open until 04:00 CET", night, utc(2026, 10, 24, 23, 30), "",
			openUntil(utc(2026, 10, 25, 3, 0)), "Aperto ora · chiude alle 4:00"},
		{"autumn: first 02:30 (CEST)", night, utc(2026, 10, 25, 0, 30), "",
			openUntil(utc(2026, 10, 25, 3, 0)), "Aperto ora · chiude alle 4:00"},
		{"autumn: second 02:30 (CET)", night, utc(2026, 10, 25, 1, 30), "",
			openUntil(utc(2026, 10, 25, 3, 0)), "Aperto ora · chiude alle 4:00"},
		{"autumn: 03:59 CET", night, utc(2026, 10, 25, 2, 59), "",
			openUntil(utc(2026, 10, 25, 3, 0)), "Aperto ora · chiude alle 4:00"},
		{"autumn: 04:00 CET, closed until nine", night, utc(2026, 10, 25, 3, 0), "",
			closedUntil(utc(2026, 10, 25, 8, 0), ""), "Chiuso · riapre oggi alle 9:00"},
		{"autumn: 09:00 CET, morning hours", night, utc(2026, 10, 25, 8, 0), "",
			openUntil(utc(2026, 10, 25, 12, 0)), "Aperto ora · chiude alle 13:00"},
		{"autumn: 08:59 CET", night, utc(2026, 10, 25, 7, 59), "",
			closedUntil(utc(2026, 10, 25, 8, 0), ""), "Chiuso · riapre oggi alle 9:00"},
		// An interval inside the repeated hour is open during its second
		// pass only, because time.Date resolves 02:00 to CET.
		{"autumn: repeated hour, first pass", autumnRepeat, utc(2026, 10, 25, 0, 30), "",
			closedUntil(utc(2026, 10, 25, 1, 0), ""), "Chiuso · riapre oggi alle 2:00"},
		{"autumn: repeated hour, second pass", autumnRepeat, utc(2026, 10, 25, 1, 30), "",
			openUntil(utc(2026, 10, 25, 2, 0)), "Aperto ora · chiude alle 3:00"},
	})
}

var easterMondays = []Date{
	day(2024, 4, 1), day(2025, 4, 21), day(2026, 4, 6), day(2027, 3, 29),
	day(2028, 4, 17), day(2029, 4, 2), day(2030, 4, 22), day(2031, 4, 14),
	day(2032, 3, 29), day(2033, 4, 18), day(2034, 4, 10), day(2035, 3, 26),
}

func TestStatus_EasterMonday2024To2035_ClosesTheOffice(t *testing.T) {
	office := weekdayMornings(t, perugia)
	for _, em := range easterMondays {
		t.Run(em.String(), func(t *testing.T) {
			if em.Weekday() != time.Monday {
				t.Fatalf("%v is a %v", em, em.Weekday())
			}
			now := em.At(NewClock(10, 0))
			want := closedUntil(em.AddDays(1).At(NewClock(9, 0)), "Chiuso: Lunedì dell'Angelo (Pasquetta)")
			got := office.Status(now, "")
			if !sameStatus(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
			if text := got.Text(now); text != "Chiuso · riapre domani alle 9:00" {
				t.Errorf("Text() = %q", text)
			}
			weekBefore := em.AddDays(-7)
			if got := office.Status(weekBefore.At(NewClock(10, 0)), ""); !got.Open {
				t.Errorf("the Monday before, %v, should be open: %v", weekBefore, got)
			}
			if plan := office.Day(em.AddDays(-1)); plan.Reason != "Chiuso: Pasqua (domenica)" || !plan.Closed {
				t.Errorf("Easter Sunday plan = %+v", plan)
			}
		})
	}
}

func TestStatus_PatronDay_ClosesOnlyOfficesOfThatComune(t *testing.T) {
	inPerugia := weekdayMornings(t, perugia)
	inTerni := weekdayMornings(t, terni)
	nowhere := weekdayMornings(t, "")
	runStatusCases(t, []statusCase{
		{"San Costanzo closes Perugia", inPerugia, rt(2026, 1, 29, 10, 0), "",
			closedUntil(rt(2026, 1, 30, 9, 0), "Chiuso: San Costanzo (patrono di Perugia)"), "Chiuso · riapre domani alle 9:00"},
		{"San Costanzo does not close Terni", inTerni, rt(2026, 1, 29, 10, 0), "",
			openUntil(rt(2026, 1, 29, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"San Costanzo does not close an office without a Comune", nowhere, rt(2026, 1, 29, 10, 0), "",
			openUntil(rt(2026, 1, 29, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"San Valentino closes Terni", inTerni, rt(2028, 2, 14, 10, 0), "",
			closedUntil(rt(2028, 2, 15, 9, 0), "Chiuso: San Valentino (patrono di Terni)"), "Chiuso · riapre domani alle 9:00"},
		{"San Valentino does not close Perugia", inPerugia, rt(2028, 2, 14, 10, 0), "",
			openUntil(rt(2028, 2, 14, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"Perugia, the day before San Costanzo, skips it", inPerugia, rt(2026, 1, 28, 14, 0), "",
			closedUntil(rt(2026, 1, 30, 9, 0), ""), "Chiuso · riapre venerdì 30 gennaio alle 9:00"},
	})
}

func TestStatus_TwoOfficesInOneComune_DifferAtTheSameInstant(t *testing.T) {
	centre := weekdayMornings(t, perugia)
	suburb := Schedule{ISTAT: perugia, Weekly: []Interval{
		iv(t, time.Monday, "9:00", "11:00", KindAppointment),
		iv(t, time.Tuesday, "14:00", "18:00", KindWalkIn),
		iv(t, time.Thursday, "14:00", "18:00", KindWalkIn),
	}}
	runStatusCases(t, []statusCase{
		{"centre, Tuesday afternoon", centre, rt(2026, 11, 3, 15, 0), "",
			closedUntil(rt(2026, 11, 4, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"suburb, Tuesday afternoon", suburb, rt(2026, 11, 3, 15, 0), "",
			openUntil(rt(2026, 11, 3, 18, 0)), "Aperto ora · chiude alle 18:00"},
		{"centre, Tuesday morning", centre, rt(2026, 11, 3, 10, 0), "",
			openUntil(rt(2026, 11, 3, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"suburb, Tuesday morning", suburb, rt(2026, 11, 3, 10, 0), "",
			closedUntil(rt(2026, 11, 3, 14, 0), ""), "Chiuso · riapre oggi alle 14:00"},
		{"centre, appointments", centre, rt(2026, 11, 2, 10, 0), KindAppointment,
			Status{}, "Chiuso"},
		{"suburb, appointments", suburb, rt(2026, 11, 2, 10, 0), KindAppointment,
			openUntil(rt(2026, 11, 2, 11, 0)), "Aperto ora · chiude alle 11:00"},
		{"centre, patron day", centre, rt(2026, 1, 29, 10, 0), "",
			closedUntil(rt(2026, 1, 30, 9, 0), "Chiuso: San Costanzo (patrono di Perugia)"), "Chiuso · riapre domani alle 9:00"},
		{"suburb, patron day", suburb, rt(2026, 1, 29, 15, 0), "",
			closedUntil(rt(2026, 2, 2, 9, 0), "Chiuso: San Costanzo (patrono di Perugia)"), "Chiuso · riapre lunedì 2 febbraio alle 9:00"},
	})
}

func TestStatus_CustomHolidayCalendar_IsUsed(t *testing.T) {
	cal, err := holidays.Parse(strings.NewReader("date_or_rule,name,scope\n11-04,Festa di prova,national\n"))
	if err != nil {
		t.Fatal(err)
	}
	office := with(weekdayMornings(t, perugia), func(s *Schedule) { s.Holidays = cal })
	now := rt(2026, 11, 4, 10, 0)
	if got := office.Status(now, ""); got.Open || got.Reason != "Chiuso: Festa di prova" {
		t.Errorf("custom holiday: %v", got)
	}
	// Christmas is not in the custom calendar.
	if got := office.Status(rt(2026, 12, 25, 10, 0), ""); !got.Open {
		t.Errorf("Christmas with a calendar that lacks it: %v", got)
	}
}

func TestDay_Plans(t *testing.T) {
	office := with(baseOffice(t), func(s *Schedule) {
		s.Closures = []Closure{
			{From: day(2026, 11, 28), To: day(2026, 12, 3), Reason: "Chiuso per lavori"},
			{From: day(2026, 11, 20), To: day(2026, 11, 20), Reason: "assemblea del personale"},
			{From: day(2026, 12, 24), To: day(2026, 12, 31), Reason: "festività"},
		}
		s.Specials = []SpecialOpening{
			special(t, day(2026, 12, 8), "9:00", "12:00", KindWalkIn, "Apertura straordinaria"),
			special(t, day(2026, 11, 2), "17:00", "19:00", KindAppointment, "Sportello serale"),
			special(t, day(2026, 11, 2), "8:00", "9:00", KindWalkIn, ""),
			special(t, day(2026, 11, 3), "13:00", "12:00", KindWalkIn, "invalid, ignored"),
		}
	})
	wk := func(start, end string, k Kind) Opening {
		return Opening{Start: clk(t, start), End: clk(t, end), Kind: k}
	}
	sp := func(start, end string, k Kind, note string) Opening {
		return Opening{Start: clk(t, start), End: clk(t, end), Kind: k, Note: note, Special: true}
	}
	tests := []struct {
		name string
		d    Date
		want DayPlan
	}{
		{"weekday with two intervals", day(2026, 11, 9), DayPlan{
			Openings: []Opening{wk("9:00", "13:00", KindWalkIn), wk("15:00", "17:00", KindWalkIn)}}},
		{"two kinds back-to-back", day(2026, 11, 4), DayPlan{
			Openings: []Opening{wk("9:00", "13:00", KindWalkIn), wk("13:00", "14:00", KindAppointment)}}},
		{"special openings added to weekly ones, sorted", day(2026, 11, 2), DayPlan{
			Openings: []Opening{sp("8:00", "9:00", KindWalkIn, ""), wk("9:00", "13:00", KindWalkIn),
				wk("15:00", "17:00", KindWalkIn), sp("17:00", "19:00", KindAppointment, "Sportello serale")}}},
		{"invalid special opening ignored", day(2026, 11, 3), DayPlan{
			Openings: []Opening{wk("9:00", "13:00", KindWalkIn)}}},
		{"weekday without hours: closed, no reason", day(2026, 11, 7), DayPlan{Closed: true}},
		{"national holiday", day(2026, 11, 1), DayPlan{Closed: true, Reason: "Chiuso: Ognissanti"}},
		{"patron day", day(2027, 1, 29), DayPlan{Closed: true, Reason: "Chiuso: San Costanzo (patrono di Perugia)"}},
		{"San Francesco 2027 on a Monday", day(2027, 10, 4), DayPlan{Closed: true,
			Reason: "Chiuso: Festa nazionale di San Francesco d'Assisi, patrono d'Italia"}},
		{"4 October 2025 was not yet a holiday", day(2025, 10, 4), DayPlan{Closed: true}},
		{"special opening on a holiday keeps the reason", day(2026, 12, 8), DayPlan{
			Reason: "Chiuso: Immacolata Concezione", Openings: []Opening{sp("9:00", "12:00", KindWalkIn, "Apertura straordinaria")}}},
		{"one-day closure, reason prefixed", day(2026, 11, 20), DayPlan{Closed: true, Reason: "Chiuso: assemblea del personale"}},
		{"closure sentence kept as is", day(2026, 11, 30), DayPlan{Closed: true, Reason: "Chiuso per lavori"}},
		{"closure on a Saturday still explains", day(2026, 11, 28), DayPlan{Closed: true, Reason: "Chiuso per lavori"}},
		{"closure last day", day(2026, 12, 3), DayPlan{Closed: true, Reason: "Chiuso per lavori"}},
		{"day after closure", day(2026, 12, 4), DayPlan{Openings: []Opening{wk("9:00", "13:00", KindWalkIn)}}},
		{"closure wins over holiday for the reason", day(2026, 12, 25), DayPlan{Closed: true, Reason: "Chiuso: festività"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.want.Date = tt.d
			tt.want.Closed = tt.want.Closed || len(tt.want.Openings) == 0
			if got := office.Day(tt.d); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Day(%v)\n got  %+v\n want %+v", tt.d, got, tt.want)
			}
		})
	}
}

func TestDays_FourteenConsecutiveDaysAcrossMonths(t *testing.T) {
	office := with(weekdayMornings(t, perugia), func(s *Schedule) {
		s.Closures = []Closure{{From: day(2026, 11, 28), To: day(2026, 12, 3), Reason: "lavori"}}
	})
	plans := office.Days(day(2026, 11, 23), 14)
	if len(plans) != 14 {
		t.Fatalf("got %d plans", len(plans))
	}
	var closed []string
	for i, p := range plans {
		if want := day(2026, 11, 23).AddDays(i); p.Date != want {
			t.Errorf("plan %d is for %v, want %v", i, p.Date, want)
		}
		if p.Closed {
			closed = append(closed, p.Date.String())
		}
	}
	want := []string{"2026-11-28", "2026-11-29", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-05", "2026-12-06"}
	if !reflect.DeepEqual(closed, want) {
		t.Errorf("closed days %v, want %v", closed, want)
	}
	if got := office.Days(day(2026, 11, 23), 0); len(got) != 0 {
		t.Errorf("Days(_, 0) = %v", got)
	}
}

func TestNextChange(t *testing.T) {
	office := baseOffice(t)
	evening := Schedule{Weekly: []Interval{iv(t, time.Friday, "20:00", "24:00", KindWalkIn)}}
	night := Schedule{Weekly: []Interval{iv(t, time.Sunday, "1:00", "4:00", KindWalkIn)}}
	tests := []struct {
		name string
		s    Schedule
		now  time.Time
		want time.Time
	}{
		{"before opening: the opening", office, rt(2026, 11, 2, 8, 0), rt(2026, 11, 2, 9, 0)},
		{"at opening: the closing", office, rt(2026, 11, 2, 9, 0), rt(2026, 11, 2, 13, 0)},
		{"open: the closing", office, rt(2026, 11, 2, 10, 0), rt(2026, 11, 2, 13, 0)},
		{"at closing: the next opening", office, rt(2026, 11, 2, 13, 0), rt(2026, 11, 2, 15, 0)},
		{"between intervals", office, rt(2026, 11, 2, 14, 0), rt(2026, 11, 2, 15, 0)},
		{"one minute before closing", office, rt(2026, 11, 2, 16, 59), rt(2026, 11, 2, 17, 0)},
		{"after the last interval: midnight", office, rt(2026, 11, 2, 17, 0), rt(2026, 11, 3, 0, 0)},
		{"day without hours: midnight", office, rt(2026, 11, 8, 10, 0), rt(2026, 11, 9, 0, 0)},
		{"back-to-back kinds: the boundary", office, rt(2026, 11, 4, 10, 0), rt(2026, 11, 4, 13, 0)},
		{"inside the second back-to-back interval", office, rt(2026, 11, 4, 13, 30), rt(2026, 11, 4, 14, 0)},
		{"holiday: midnight", office, rt(2026, 12, 8, 10, 0), rt(2026, 12, 9, 0, 0)},
		{"interval ending at midnight", evening, rt(2026, 11, 6, 22, 0), rt(2026, 11, 7, 0, 0)},
		{"just after midnight", evening, rt(2026, 11, 7, 0, 0), rt(2026, 11, 8, 0, 0)},
		{"spring DST: inside 01:00–04:00", night, utc(2026, 3, 29, 0, 30), utc(2026, 3, 29, 2, 0)},
		{"spring DST: midnight after a 23-hour day", night, utc(2026, 3, 29, 12, 0), utc(2026, 3, 29, 22, 0)},
		{"autumn DST: inside 01:00–04:00, second pass", night, utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 3, 0)},
		{"autumn DST: midnight after a 25-hour day", night, utc(2026, 10, 25, 12, 0), utc(2026, 10, 25, 23, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.s.NextChange(tt.now); !got.Equal(tt.want) {
				t.Errorf("NextChange(%v) = %v, want %v", tt.now, got.In(Rome()), tt.want.In(Rome()))
			}
		})
	}
}

// A status cached until NextChange must never be stale: walking minute by
// minute, whenever the status changes, the previous minute's NextChange must
// not be later than the change.
func TestNextChange_CachedStatusNeverStale(t *testing.T) {
	office := with(baseOffice(t), func(s *Schedule) {
		s.Weekly = append(s.Weekly,
			iv(t, time.Friday, "20:00", "24:00", KindWalkIn),
			iv(t, time.Saturday, "0:00", "2:00", KindWalkIn),
			iv(t, time.Sunday, "1:00", "4:00", KindWalkIn))
		s.Specials = []SpecialOpening{special(t, day(2026, 12, 8), "9:00", "12:00", KindWalkIn, "")}
		s.Closures = []Closure{{From: day(2026, 11, 10), To: day(2026, 11, 11), Reason: "lavori"}}
	})
	ranges := []struct{ from, to time.Time }{
		{rt(2026, 11, 1, 0, 0), rt(2026, 11, 13, 0, 0)},
		{rt(2026, 12, 6, 0, 0), rt(2026, 12, 10, 0, 0)},
		{rt(2026, 3, 27, 0, 0), rt(2026, 3, 31, 0, 0)},
		{rt(2026, 10, 23, 0, 0), rt(2026, 10, 27, 0, 0)},
	}
	for _, r := range ranges {
		prev := r.from
		prevStatus := office.Status(prev, "")
		prevText := prevStatus.Text(prev)
		cachedUntil := office.NextChange(prev)
		for now := r.from.Add(time.Minute); now.Before(r.to); now = now.Add(time.Minute) {
			st := office.Status(now, "")
			text := st.Text(now)
			if (!sameStatus(st, prevStatus) || text != prevText) && cachedUntil.After(now) {
				t.Fatalf("status changed at %v (%q → %q) but the cache from %v lasted until %v",
					now.In(Rome()), prevText, text, prev.In(Rome()), cachedUntil.In(Rome()))
			}
			if !cachedUntil.After(now) {
				prev, prevStatus, prevText = now, st, text
				cachedUntil = office.NextChange(now)
			}
		}
	}
}

func TestText_Formats(t *testing.T) {
	now := rt(2026, 11, 2, 0, 30) // Monday
	tests := []struct {
		name string
		st   Status
		want string
	}{
		{"open, closes today", openUntil(rt(2026, 11, 2, 13, 0)), "Aperto ora · chiude alle 13:00"},
		{"open, closes at half past", openUntil(rt(2026, 11, 2, 12, 30)), "Aperto ora · chiude alle 12:30"},
		{"open, closes at one", openUntil(rt(2026, 11, 2, 1, 0)), "Aperto ora · chiude all'1:00"},
		{"open, closes at midnight", openUntil(rt(2026, 11, 3, 0, 0)), "Aperto ora · chiude a mezzanotte"},
		{"open, closes tomorrow", openUntil(rt(2026, 11, 3, 2, 0)), "Aperto ora · chiude domani alle 2:00"},
		{"open, closes at midnight tomorrow", openUntil(rt(2026, 11, 4, 0, 0)), "Aperto ora · chiude domani a mezzanotte"},
		{"open, closes in some days", openUntil(rt(2026, 11, 5, 18, 0)), "Aperto ora · chiude giovedì 5 novembre alle 18:00"},
		{"open, given in UTC", openUntil(utc(2026, 11, 2, 12, 0)), "Aperto ora · chiude alle 13:00"},
		{"reopens today", closedUntil(rt(2026, 11, 2, 15, 0), ""), "Chiuso · riapre oggi alle 15:00"},
		{"reopens today at one", closedUntil(rt(2026, 11, 2, 1, 30), ""), "Chiuso · riapre oggi all'1:30"},
		{"reopens tomorrow", closedUntil(rt(2026, 11, 3, 9, 0), ""), "Chiuso · riapre domani alle 9:00"},
		{"reopens tomorrow at 00:00", closedUntil(rt(2026, 11, 3, 0, 0), ""), "Chiuso · riapre domani alle 0:00"},
		{"reopens the day after tomorrow", closedUntil(rt(2026, 11, 4, 9, 0), ""), "Chiuso · riapre mercoledì 4 novembre alle 9:00"},
		{"reopens next month", closedUntil(rt(2026, 12, 2, 9, 30), ""), "Chiuso · riapre mercoledì 2 dicembre alle 9:30"},
		{"reopens on 31 December, same year", closedUntil(rt(2026, 12, 31, 9, 0), ""), "Chiuso · riapre giovedì 31 dicembre alle 9:00"},
		{"reopens next year", closedUntil(rt(2027, 1, 4, 9, 0), ""), "Chiuso · riapre lunedì 4 gennaio 2027 alle 9:00"},
		{"reason is not part of the line", closedUntil(rt(2026, 11, 3, 9, 0), "Chiuso per lavori"), "Chiuso · riapre domani alle 9:00"},
		{"nothing known", Status{}, "Chiuso"},
		{"nothing known, with reason", Status{Reason: "Chiuso: lavori"}, "Chiuso"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.st.Text(now); got != tt.want {
				t.Errorf("Text() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestText_YearShownBeyond300Days(t *testing.T) {
	now := rt(2026, 1, 5, 10, 0)
	tests := []struct {
		next time.Time
		want string
	}{
		{rt(2026, 11, 1, 9, 0), "Chiuso · riapre domenica 1 novembre alle 9:00"},    // 300 days
		{rt(2026, 11, 2, 9, 0), "Chiuso · riapre lunedì 2 novembre 2026 alle 9:00"}, // 301 days
	}
	for _, tt := range tests {
		if got := closedUntil(tt.next, "").Text(now); got != tt.want {
			t.Errorf("Text() = %q, want %q", got, tt.want)
		}
	}
}

func TestKind_Labels(t *testing.T) {
	tests := []struct {
		k     Kind
		label string
		valid bool
	}{
		{KindWalkIn, "Accoglienza", true},
		{KindAppointment, "Ricevimento su appuntamento", true},
		{"telefono", "telefono", false},
		{"", "", false},
	}
	for _, tt := range tests {
		if got := tt.k.Label(); got != tt.label {
			t.Errorf("%q.Label() = %q, want %q", tt.k, got, tt.label)
		}
		if got := tt.k.Valid(); got != tt.valid {
			t.Errorf("%q.Valid() = %v, want %v", tt.k, got, tt.valid)
		}
	}
	if got := Kinds(); !reflect.DeepEqual(got, []Kind{KindWalkIn, KindAppointment}) {
		t.Errorf("Kinds() = %v", got)
	}
}

func TestInterval_Validate(t *testing.T) {
	tests := []struct {
		name string
		iv   Interval
		want error
	}{
		{"ordinary", Interval{time.Monday, 540, 780, KindWalkIn}, nil},
		{"until midnight", Interval{time.Friday, 1200, EndOfDay, KindAppointment}, nil},
		{"from midnight", Interval{time.Sunday, 0, 60, KindWalkIn}, nil},
		{"one minute", Interval{time.Monday, 540, 541, KindWalkIn}, nil},
		{"end equals start", Interval{time.Monday, 540, 540, KindWalkIn}, ErrOrder},
		{"end before start", Interval{time.Monday, 780, 540, KindWalkIn}, ErrOrder},
		{"end after 24:00", Interval{time.Monday, 540, EndOfDay + 1, KindWalkIn}, ErrEnd},
		{"end at 00:00", Interval{time.Monday, 540, 0, KindWalkIn}, ErrEnd},
		{"start at 24:00", Interval{time.Monday, EndOfDay, EndOfDay, KindWalkIn}, ErrStart},
		{"negative start", Interval{time.Monday, -1, 60, KindWalkIn}, ErrStart},
		{"weekday 7", Interval{7, 540, 780, KindWalkIn}, ErrWeekday},
		{"negative weekday", Interval{-1, 540, 780, KindWalkIn}, ErrWeekday},
		{"unknown kind", Interval{time.Monday, 540, 780, "telefono"}, ErrKind},
		{"missing kind", Interval{time.Monday, 540, 780, ""}, ErrKind},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.iv.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidationErrors_AreItalianSentences(t *testing.T) {
	for _, err := range []Error{ErrWeekday, ErrKind, ErrStart, ErrEnd, ErrOrder, ErrDate, ErrFrom, ErrTo, ErrDateOrder, ErrTextTooLong} {
		msg := err.Error()
		if msg == "" || msg[0] < 'A' || msg[0] > 'Z' || !strings.HasSuffix(msg, ".") {
			t.Errorf("%q is not a sentence to show to staff", msg)
		}
	}
}

func TestClosure_Validate(t *testing.T) {
	long := strings.Repeat("è", MaxTextLength+1)
	tests := []struct {
		name string
		c    Closure
		want error
	}{
		{"one day", Closure{day(2026, 11, 2), day(2026, 11, 2), "lavori"}, nil},
		{"across years", Closure{day(2026, 12, 21), day(2027, 1, 6), ""}, nil},
		{"reason at the limit", Closure{day(2026, 12, 21), day(2027, 1, 6), long[:len(long)-len("è")]}, nil},
		{"reason too long", Closure{day(2026, 12, 21), day(2027, 1, 6), long}, ErrTextTooLong},
		{"missing start", Closure{Date{}, day(2026, 11, 2), ""}, ErrFrom},
		{"missing end", Closure{day(2026, 11, 2), Date{}, ""}, ErrTo},
		{"end before start", Closure{day(2026, 11, 3), day(2026, 11, 2), ""}, ErrDateOrder},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestClosure_Covers_InclusiveAcrossMonths(t *testing.T) {
	c := Closure{From: day(2026, 11, 28), To: day(2026, 12, 3)}
	for d, want := range map[Date]bool{
		day(2026, 11, 27): false, day(2026, 11, 28): true, day(2026, 11, 30): true,
		day(2026, 12, 1): true, day(2026, 12, 3): true, day(2026, 12, 4): false, day(2025, 12, 1): false,
	} {
		if got := c.Covers(d); got != want {
			t.Errorf("Covers(%v) = %v, want %v", d, got, want)
		}
	}
}

func TestSpecialOpening_Validate(t *testing.T) {
	d := day(2026, 12, 8)
	tests := []struct {
		name string
		so   SpecialOpening
		want error
	}{
		{"ordinary", SpecialOpening{d, 540, 720, KindWalkIn, "Apertura straordinaria"}, nil},
		{"missing date", SpecialOpening{Date{}, 540, 720, KindWalkIn, ""}, ErrDate},
		{"missing kind", SpecialOpening{d, 540, 720, "", ""}, ErrKind},
		{"end before start", SpecialOpening{d, 720, 540, KindWalkIn, ""}, ErrOrder},
		{"end after 24:00", SpecialOpening{d, 720, 1500, KindWalkIn, ""}, ErrEnd},
		{"note too long", SpecialOpening{d, 540, 720, KindWalkIn, strings.Repeat("a", MaxTextLength+1)}, ErrTextTooLong},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.so.Validate(); !errors.Is(err, tt.want) {
				t.Errorf("Validate() = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestFindOverlaps(t *testing.T) {
	tests := []struct {
		name   string
		weekly []Interval
		want   []Overlap
	}{
		{"none", []Interval{
			iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Monday, "15:00", "17:00", KindWalkIn),
		}, nil},
		{"back-to-back is not an overlap", []Interval{
			iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Monday, "13:00", "14:00", KindWalkIn),
		}, nil},
		{"different kinds may overlap", []Interval{
			iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Monday, "10:00", "12:00", KindAppointment),
		}, nil},
		{"different weekdays may overlap", []Interval{
			iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Tuesday, "9:00", "13:00", KindWalkIn),
		}, nil},
		{"partial overlap", []Interval{
			iv(t, time.Monday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Monday, "12:00", "14:00", KindWalkIn),
		}, []Overlap{{0, 1, "Le fasce 9:00–13:00 e 12:00–14:00 di lunedì (Accoglienza) si sovrappongono."}}},
		{"message lists the earlier span first", []Interval{
			iv(t, time.Wednesday, "12:00", "14:00", KindAppointment),
			iv(t, time.Wednesday, "9:30", "12:30", KindAppointment),
		}, []Overlap{{0, 1, "Le fasce 9:30–12:30 e 12:00–14:00 di mercoledì (Ricevimento su appuntamento) si sovrappongono."}}},
		{"contained", []Interval{
			iv(t, time.Friday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Friday, "10:00", "11:00", KindWalkIn),
		}, []Overlap{{0, 1, "Le fasce 9:00–13:00 e 10:00–11:00 di venerdì (Accoglienza) si sovrappongono."}}},
		{"identical", []Interval{
			iv(t, time.Sunday, "9:00", "13:00", KindWalkIn),
			iv(t, time.Sunday, "9:00", "13:00", KindWalkIn),
		}, []Overlap{{0, 1, "Le fasce 9:00–13:00 e 9:00–13:00 di domenica (Accoglienza) si sovrappongono."}}},
		{"until midnight", []Interval{
			iv(t, time.Saturday, "20:00", "24:00", KindWalkIn),
			iv(t, time.Saturday, "23:00", "23:30", KindWalkIn),
		}, []Overlap{{0, 1, "Le fasce 20:00–24:00 e 23:00–23:30 di sabato (Accoglienza) si sovrappongono."}}},
		{"every pair is reported", []Interval{
			iv(t, time.Monday, "9:00", "12:00", KindWalkIn),
			iv(t, time.Tuesday, "9:00", "12:00", KindWalkIn),
			iv(t, time.Monday, "11:00", "13:00", KindWalkIn),
			iv(t, time.Monday, "10:00", "11:30", KindWalkIn),
		}, []Overlap{
			{0, 2, "Le fasce 9:00–12:00 e 11:00–13:00 di lunedì (Accoglienza) si sovrappongono."},
			{0, 3, "Le fasce 9:00–12:00 e 10:00–11:30 di lunedì (Accoglienza) si sovrappongono."},
			{2, 3, "Le fasce 10:00–11:30 e 11:00–13:00 di lunedì (Accoglienza) si sovrappongono."},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FindOverlaps(tt.weekly); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FindOverlaps()\n got  %v\n want %v", got, tt.want)
			}
		})
	}
}

func TestFindSpecialOverlaps(t *testing.T) {
	d := day(2026, 12, 8)
	specials := []SpecialOpening{
		special(t, d, "9:00", "12:00", KindWalkIn, ""),
		special(t, d, "11:00", "13:00", KindWalkIn, ""),
		special(t, d, "11:00", "13:00", KindAppointment, ""),
		special(t, d.AddDays(1), "9:00", "12:00", KindWalkIn, ""),
		special(t, d, "12:00", "14:00", KindAppointment, ""),
	}
	want := []Overlap{
		{0, 1, "Le aperture straordinarie 9:00–12:00 e 11:00–13:00 di martedì 8 dicembre 2026 (Accoglienza) si sovrappongono."},
		{2, 4, "Le aperture straordinarie 11:00–13:00 e 12:00–14:00 di martedì 8 dicembre 2026 (Ricevimento su appuntamento) si sovrappongono."},
	}
	if got := FindSpecialOverlaps(specials); !reflect.DeepEqual(got, want) {
		t.Errorf("FindSpecialOverlaps()\n got  %v\n want %v", got, want)
	}
}

func TestWeekTable(t *testing.T) {
	office := baseOffice(t)
	// Out of order, and with an invalid interval that must not show.
	office.Weekly = append([]Interval{
		iv(t, time.Saturday, "10:00", "12:00", KindAppointment),
		{Weekday: time.Saturday, Start: 600, End: 500, Kind: KindWalkIn},
	}, office.Weekly...)
	office.Weekly[2], office.Weekly[3] = office.Weekly[3], office.Weekly[2] // Monday 15–17 before 9–13

	kh := func(k Kind, spans ...string) KindHours { return KindHours{Kind: k, Label: k.Label(), Spans: spans} }
	want := []WeekdayRow{
		{time.Monday, "lunedì", []KindHours{kh(KindWalkIn, "9:00–13:00", "15:00–17:00"), kh(KindAppointment)}, false},
		{time.Tuesday, "martedì", []KindHours{kh(KindWalkIn, "9:00–13:00"), kh(KindAppointment)}, false},
		{time.Wednesday, "mercoledì", []KindHours{kh(KindWalkIn, "9:00–13:00"), kh(KindAppointment, "13:00–14:00")}, false},
		{time.Thursday, "giovedì", []KindHours{kh(KindWalkIn, "9:00–13:00", "13:00–14:00"), kh(KindAppointment)}, false},
		{time.Friday, "venerdì", []KindHours{kh(KindWalkIn, "9:00–13:00"), kh(KindAppointment)}, false},
		{time.Saturday, "sabato", []KindHours{kh(KindWalkIn), kh(KindAppointment, "10:00–12:00")}, false},
		{time.Sunday, "domenica", []KindHours{kh(KindWalkIn), kh(KindAppointment)}, true},
	}
	if got := office.WeekTable(); !reflect.DeepEqual(got, want) {
		t.Errorf("WeekTable()\n got  %+v\n want %+v", got, want)
	}
}

func TestWeekTable_OnlyKindsInUse(t *testing.T) {
	rows := weekdayMornings(t, perugia).WeekTable()
	if len(rows) != 7 {
		t.Fatalf("%d rows", len(rows))
	}
	for _, r := range rows {
		if len(r.ByKind) != 1 || r.ByKind[0].Kind != KindWalkIn || r.ByKind[0].Label != "Accoglienza" {
			t.Errorf("%s: columns %+v, want only Accoglienza", r.Name, r.ByKind)
		}
	}
	if rows[0].ByKind[0].Spans[0] != "9:00–13:00" || !rows[5].Closed || !rows[6].Closed {
		t.Errorf("rows = %+v", rows)
	}
	for _, r := range (Schedule{}).WeekTable() {
		if !r.Closed || len(r.ByKind) != 0 {
			t.Errorf("empty schedule row %+v", r)
		}
	}
}
