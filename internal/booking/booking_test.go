package booking

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
)

const perugia = "054039"

// rt is a wall-clock time in Rome.
func rt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, hours.Rome())
}

func day(y int, m time.Month, d int) hours.Date { return hours.MakeDate(y, m, d) }

func clk(t *testing.T, s string) hours.Clock {
	t.Helper()
	c, err := hours.ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func iv(t *testing.T, wd time.Weekday, start, end string, k hours.Kind) hours.Interval {
	t.Helper()
	return hours.Interval{Weekday: wd, Start: clk(t, start), End: clk(t, end), Kind: k}
}

// office is open Monday to Friday 9–13 (walk-in) and Tuesday and Thursday
// 15–17 (appointments). In December 2026, Tuesday 8 is the Immacolata.
func office(t *testing.T) hours.Schedule {
	s := hours.Schedule{ISTAT: perugia}
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday} {
		s.Weekly = append(s.Weekly, iv(t, wd, "9:00", "13:00", hours.KindWalkIn))
	}
	s.Weekly = append(s.Weekly,
		iv(t, time.Tuesday, "15:00", "17:00", hours.KindAppointment),
		iv(t, time.Thursday, "15:00", "17:00", hours.KindAppointment))
	return s
}

// settings books the social worker for 45 minutes on Tuesday 9–12 and
// Thursday 10–12 and 15–17.
func settings(t *testing.T) Settings {
	s := DefaultSettings(AssistenteSociale)
	s.Windows = []hours.Interval{
		iv(t, time.Tuesday, "9:00", "12:00", ""),
		iv(t, time.Thursday, "10:00", "12:00", ""),
		iv(t, time.Thursday, "15:00", "17:00", ""),
	}
	return s
}

// starts returns the slots' starts as "2026-12-10 10:00".
func starts(slots []Slot) []string {
	var out []string
	for _, s := range slots {
		out = append(out, s.Start.In(hours.Rome()).Format("2006-01-02 15:04"))
	}
	return out
}

func TestSlots_WeekWithHoliday_OnlyThursday(t *testing.T) {
	got := Slots(settings(t), office(t), rt(2026, 11, 30, 10, 0), day(2026, 12, 7), day(2026, 12, 13))
	want := []string{"2026-12-10 10:00", "2026-12-10 10:45", "2026-12-10 15:00", "2026-12-10 15:45"}
	if !slices.Equal(starts(got), want) {
		t.Fatalf("slots = %v, want %v", starts(got), want)
	}
	for _, s := range got {
		if s.End.Sub(s.Start) != 45*time.Minute || s.Professional != AssistenteSociale {
			t.Errorf("slot %v–%v %s", s.Start, s.End, s.Professional)
		}
	}
}

func TestSlots_OrdinaryTuesday_WindowCutIntoLengths(t *testing.T) {
	got := Slots(settings(t), office(t), rt(2026, 12, 10, 10, 0), day(2026, 12, 15), day(2026, 12, 15))
	want := []string{"2026-12-15 09:00", "2026-12-15 09:45", "2026-12-15 10:30", "2026-12-15 11:15"}
	if !slices.Equal(starts(got), want) {
		t.Fatalf("slots = %v, want %v", starts(got), want)
	}
}

func TestSlots_Rules(t *testing.T) {
	type tc struct {
		name     string
		edit     func(*Settings, *hours.Schedule)
		now      time.Time
		from, to hours.Date
		want     []string
	}
	base := rt(2026, 11, 30, 10, 0)
	tests := []tc{
		{
			name: "closure removes the days it covers",
			edit: func(_ *Settings, sc *hours.Schedule) {
				sc.Closures = []hours.Closure{{From: day(2026, 12, 15), To: day(2026, 12, 16), Reason: "lavori"}}
			},
			now: base, from: day(2026, 12, 14), to: day(2026, 12, 20),
			want: []string{"2026-12-17 10:00", "2026-12-17 10:45", "2026-12-17 15:00", "2026-12-17 15:45"},
		},
		{
			name: "patron day of the office's comune removes the day",
			edit: func(s *Settings, _ *hours.Schedule) {
				s.Windows = []hours.Interval{iv(t, time.Friday, "9:00", "10:30", "")}
			},
			now: rt(2027, 1, 18, 10, 0), from: day(2027, 1, 25), to: day(2027, 2, 5),
			want: []string{"2027-02-05 09:00", "2027-02-05 09:45"}, // 29 January is San Costanzo
		},
		{
			name: "special openings add no slots, not even on a holiday",
			edit: func(s *Settings, sc *hours.Schedule) {
				s.Windows = append(s.Windows, iv(t, time.Saturday, "9:00", "12:00", ""))
				sc.Specials = []hours.SpecialOpening{
					{Date: day(2026, 12, 12), Start: clk(t, "9:00"), End: clk(t, "12:00"), Kind: hours.KindAppointment},
					{Date: day(2026, 12, 8), Start: clk(t, "9:00"), End: clk(t, "12:00"), Kind: hours.KindAppointment},
				}
			},
			now: base, from: day(2026, 12, 8), to: day(2026, 12, 12),
			want: []string{"2026-12-10 10:00", "2026-12-10 10:45", "2026-12-10 15:00", "2026-12-10 15:45"},
		},
		{
			name: "slots outside the weekly opening hours are dropped",
			edit: func(s *Settings, _ *hours.Schedule) {
				s.Windows = []hours.Interval{iv(t, time.Monday, "12:00", "14:15", "")}
			},
			now: base, from: day(2026, 12, 14), to: day(2026, 12, 14),
			want: []string{"2026-12-14 12:00"},
		},
		{
			name: "touching opening intervals of different kinds count as one",
			edit: func(s *Settings, sc *hours.Schedule) {
				sc.Weekly = append(sc.Weekly, iv(t, time.Wednesday, "13:00", "14:00", hours.KindAppointment))
				s.Windows = []hours.Interval{iv(t, time.Wednesday, "12:15", "14:00", "")}
				s.LengthMinutes = 30
			},
			now: base, from: day(2026, 12, 16), to: day(2026, 12, 16),
			want: []string{"2026-12-16 12:15", "2026-12-16 12:45", "2026-12-16 13:15"},
		},
		{
			name: "horizon includes its last day",
			edit: func(s *Settings, _ *hours.Schedule) { s.HorizonDays = 8 },
			now:  rt(2026, 12, 2, 10, 0), from: day(2026, 12, 1), to: day(2026, 12, 31),
			want: []string{"2026-12-10 10:00", "2026-12-10 10:45", "2026-12-10 15:00", "2026-12-10 15:45"},
		},
		{
			name: "horizon excludes the day after",
			edit: func(s *Settings, _ *hours.Schedule) { s.HorizonDays = 7 },
			now:  rt(2026, 12, 2, 10, 0), from: day(2026, 12, 1), to: day(2026, 12, 31),
			want: nil,
		},
		{
			name: "no notice: later the same day",
			edit: func(s *Settings, _ *hours.Schedule) { s.MinNoticeWorkingDays = 0 },
			now:  rt(2026, 12, 10, 10, 30), from: day(2026, 12, 10), to: day(2026, 12, 10),
			want: []string{"2026-12-10 10:45", "2026-12-10 15:00", "2026-12-10 15:45"},
		},
		{
			name: "notice of one working day on Monday: from Wednesday",
			edit: func(s *Settings, _ *hours.Schedule) {
				s.Windows = []hours.Interval{
					iv(t, time.Tuesday, "9:00", "9:45", ""), iv(t, time.Wednesday, "9:00", "9:45", ""),
				}
			},
			now: rt(2026, 12, 14, 8, 0), from: day(2026, 12, 14), to: day(2026, 12, 16),
			want: []string{"2026-12-16 09:00"},
		},
		{
			name: "overlapping windows do not offer a slot twice",
			edit: func(s *Settings, _ *hours.Schedule) {
				s.Windows = []hours.Interval{iv(t, time.Monday, "9:00", "10:30", ""), iv(t, time.Monday, "9:00", "9:45", "")}
			},
			now: base, from: day(2026, 12, 14), to: day(2026, 12, 14),
			want: []string{"2026-12-14 09:00", "2026-12-14 09:45"},
		},
		{
			name: "no length, no slots",
			edit: func(s *Settings, _ *hours.Schedule) { s.LengthMinutes = 0 },
			now:  base, from: day(2026, 12, 14), to: day(2026, 12, 20),
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, sc := settings(t), office(t)
			tt.edit(&s, &sc)
			got := Slots(s, sc, tt.now, tt.from, tt.to)
			if !slices.Equal(starts(got), tt.want) {
				t.Fatalf("slots = %v, want %v", starts(got), tt.want)
			}
		})
	}
}

func TestEarliestStart_WorkingDaysOfNotice(t *testing.T) {
	closed := office(t)
	closed.Closures = []hours.Closure{{From: day(2026, 12, 7), To: day(2026, 12, 9)}}
	tests := []struct {
		name   string
		notice int
		sched  hours.Schedule
		now    time.Time
		want   time.Time
	}{
		{"none: now", 0, office(t), rt(2026, 12, 4, 15, 12), rt(2026, 12, 4, 15, 12)},
		{"Monday: Tuesday is the notice, from Wednesday", 1, office(t), rt(2026, 11, 30, 10, 0), rt(2026, 12, 2, 0, 0)},
		{"Friday afternoon: Monday is the notice, from Tuesday", 1, office(t), rt(2026, 12, 4, 15, 0), rt(2026, 12, 8, 0, 0)},
		{"Saturday: Monday is the notice, from Tuesday", 1, office(t), rt(2026, 12, 5, 11, 0), rt(2026, 12, 8, 0, 0)},
		{"holiday is not a working day", 1, office(t), rt(2026, 12, 7, 9, 0), rt(2026, 12, 10, 0, 0)},
		{"Christmas Eve: Monday 28 is the notice", 1, office(t), rt(2026, 12, 24, 9, 0), rt(2026, 12, 29, 0, 0)},
		{"two days over a holiday", 2, office(t), rt(2026, 12, 4, 9, 0), rt(2026, 12, 10, 0, 0)},
		{"closure days are not working days", 1, closed, rt(2026, 12, 4, 9, 0), rt(2026, 12, 11, 0, 0)},
		{"just before midnight counts as that day", 1, office(t), rt(2026, 11, 30, 23, 59), rt(2026, 12, 2, 0, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := settings(t)
			s.MinNoticeWorkingDays = tt.notice
			if got := EarliestStart(tt.now, s, tt.sched); !got.Equal(tt.want) {
				t.Errorf("EarliestStart = %v, want %v", got.In(hours.Rome()), tt.want)
			}
		})
	}
}

func TestEarliestStart_EndlessClosure_NoSlots(t *testing.T) {
	sc := office(t)
	sc.Closures = []hours.Closure{{From: day(2026, 1, 1), To: day(2099, 12, 31)}}
	s := settings(t)
	now := rt(2026, 12, 1, 9, 0)
	if got := EarliestStart(now, s, sc); !hours.DateOf(got).After(LastDate(now, s)) {
		t.Errorf("EarliestStart = %v, want after the horizon", got)
	}
	if got := Slots(s, sc, now, day(2026, 12, 1), day(2027, 3, 1)); len(got) != 0 {
		t.Errorf("slots = %v", starts(got))
	}
}

func TestLastDate(t *testing.T) {
	s := Settings{}
	if got := LastDate(rt(2026, 12, 1, 23, 30), s); got != day(2027, 1, 30) {
		t.Errorf("default horizon: %v", got)
	}
	s.HorizonDays = 1
	if got := LastDate(rt(2026, 12, 31, 9, 0), s); got != day(2027, 1, 1) {
		t.Errorf("1 day: %v", got)
	}
}

// sundayOffice is open every Sunday, all day, so that slots can be tested
// on the days the clocks change.
func sundayOffice(t *testing.T) hours.Schedule {
	return hours.Schedule{Weekly: []hours.Interval{iv(t, time.Sunday, "0:00", "24:00", hours.KindWalkIn)}}
}

type span struct {
	wall     string // "09:00–10:00" in Rome
	utcStart string // "07:00" in UTC
	minutes  int
}

func spans(slots []Slot) []span {
	var out []span
	for _, s := range slots {
		out = append(out, span{
			s.Start.In(hours.Rome()).Format("15:04") + "–" + s.End.In(hours.Rome()).Format("15:04"),
			s.Start.UTC().Format("15:04"),
			int(s.End.Sub(s.Start) / time.Minute),
		})
	}
	return out
}

func TestSlots_DSTSundays_DaytimeWindowUnchanged(t *testing.T) {
	s := DefaultSettings(Educatore)
	s.LengthMinutes = 60
	s.MinNoticeWorkingDays = 0
	s.Windows = []hours.Interval{iv(t, time.Sunday, "9:00", "12:00", "")}
	tests := []struct {
		name string
		d    hours.Date
		want []span
	}{
		{"last Sunday of March (CEST)", day(2026, 3, 29), []span{
			{"09:00–10:00", "07:00", 60}, {"10:00–11:00", "08:00", 60}, {"11:00–12:00", "09:00", 60}}},
		{"last Sunday of October (CET)", day(2026, 10, 25), []span{
			{"09:00–10:00", "08:00", 60}, {"10:00–11:00", "09:00", 60}, {"11:00–12:00", "10:00", 60}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slots(s, sundayOffice(t), tt.d.AddDays(-3).At(0), tt.d, tt.d)
			if !slices.Equal(spans(got), tt.want) {
				t.Fatalf("slots = %v, want %v", spans(got), tt.want)
			}
			if l := got[0].TimeLabel(); l != "ore 9:00–10:00" {
				t.Errorf("TimeLabel = %q", l)
			}
		})
	}
}

func TestSlots_DSTSundays_NightWindow(t *testing.T) {
	s := DefaultSettings(Educatore)
	s.LengthMinutes = 30
	s.MinNoticeWorkingDays = 0
	s.Windows = []hours.Interval{iv(t, time.Sunday, "1:00", "4:00", "")}
	tests := []struct {
		name string
		d    hours.Date
		want []span
	}{
		// 02:00–03:00 does not exist: 1:30–2:00 would end at 3:00.
		{"spring forward", day(2026, 3, 29), []span{
			{"01:00–01:30", "00:00", 30}, {"03:00–03:30", "01:00", 30}, {"03:30–04:00", "01:30", 30}}},
		// 02:00–03:00 happens twice; each wall-clock time is offered once,
		// every slot lasts 30 minutes and reads as it should.
		{"fall back", day(2026, 10, 25), []span{
			{"01:00–01:30", "23:00", 30}, {"01:30–02:00", "23:30", 30},
			{"02:00–02:30", "01:00", 30}, {"02:30–03:00", "01:30", 30},
			{"03:00–03:30", "02:00", 30}, {"03:30–04:00", "02:30", 30}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Slots(s, sundayOffice(t), tt.d.AddDays(-3).At(0), tt.d, tt.d)
			if !slices.Equal(spans(got), tt.want) {
				t.Fatalf("slots = %v, want %v", spans(got), tt.want)
			}
			keys := map[string]bool{}
			for _, sl := range got {
				if keys[sl.Key()] {
					t.Errorf("duplicate key %s", sl.Key())
				}
				keys[sl.Key()] = true
			}
		})
	}
}

func TestSlot_KeyAndLabels(t *testing.T) {
	s := Slot{Start: rt(2026, 12, 10, 10, 0), End: rt(2026, 12, 10, 10, 45), Professional: AssistenteSociale}
	checks := []struct{ name, got, want string }{
		{"Key", s.Key(), "assistente-sociale/2026-12-10T10:00"},
		{"DayLabel", s.DayLabel(), "Giovedì 10 dicembre"},
		{"TimeLabel", s.TimeLabel(), "ore 10:00–10:45"},
		{"Long", s.Long(), "giovedì 10 dicembre 2026, dalle 10:00 alle 10:45"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	// The key does not depend on the location of the instants.
	u := Slot{Start: s.Start.UTC(), End: s.End.UTC(), Professional: AssistenteSociale}
	if u.Key() != s.Key() || u.DayLabel() != s.DayLabel() || u.TimeLabel() != s.TimeLabel() {
		t.Errorf("UTC slot: %q %q %q", u.Key(), u.DayLabel(), u.TimeLabel())
	}
}

func TestLongSpan(t *testing.T) {
	tests := []struct {
		start, end time.Time
		want       string
	}{
		{rt(2026, 12, 10, 9, 0), rt(2026, 12, 10, 9, 45), "giovedì 10 dicembre 2026, dalle 9:00 alle 9:45"},
		{rt(2026, 12, 10, 1, 0), rt(2026, 12, 10, 1, 30), "giovedì 10 dicembre 2026, dall'1:00 all'1:30"},
		{rt(2026, 12, 10, 23, 15), rt(2026, 12, 11, 0, 0), "giovedì 10 dicembre 2026, dalle 23:15 a mezzanotte"},
		{rt(2027, 1, 1, 8, 0), rt(2027, 1, 1, 8, 30), "venerdì 1 gennaio 2027, dalle 8:00 alle 8:30"},
	}
	for _, tt := range tests {
		if got := LongSpan(tt.start, tt.end); got != tt.want {
			t.Errorf("LongSpan = %q, want %q", got, tt.want)
		}
	}
	late := Slot{Start: rt(2026, 12, 10, 23, 15), End: rt(2026, 12, 11, 0, 0)}
	if got := late.TimeLabel(); got != "ore 23:15–24:00" {
		t.Errorf("TimeLabel = %q", got)
	}
	if got := ShortWhen(rt(2026, 12, 10, 10, 0)); got != "giovedì 10 dicembre alle 10:00" {
		t.Errorf("ShortWhen = %q", got)
	}
	if got := AtTime(rt(2026, 12, 10, 13, 0).UTC()); got != "alle 13:00" {
		t.Errorf("AtTime = %q", got)
	}
	if got := ShortWhen(rt(2026, 12, 10, 1, 5)); got != "giovedì 10 dicembre all'1:05" {
		t.Errorf("ShortWhen = %q", got)
	}
}

func TestParseKey_RoundTripAndFind(t *testing.T) {
	slots := Slots(settings(t), office(t), rt(2026, 11, 30, 10, 0), day(2026, 12, 7), day(2026, 12, 13))
	for _, s := range slots {
		p, d, c, err := ParseKey(s.Key())
		if err != nil || p != s.Professional || d != s.Date() || d.At(c) != s.Start {
			t.Errorf("ParseKey(%q) = %v %v %v %v", s.Key(), p, d, c, err)
		}
		if f, ok := Find(slots, s.Key()); !ok || f != s {
			t.Errorf("Find(%q) = %v %v", s.Key(), f, ok)
		}
	}
	if _, ok := Find(slots, "assistente-sociale/2026-12-10T11:30"); ok {
		t.Error("found a slot that is not offered")
	}
	for _, bad := range []string{"", "x", "assistente-sociale", "medico/2026-12-10T10:00",
		"assistente-sociale/2026-12-10 10:00", "assistente-sociale/2026-13-10T10:00", "educatore/2026-12-10T25:00"} {
		if _, _, _, err := ParseKey(bad); err != ErrKey {
			t.Errorf("ParseKey(%q) err = %v, want ErrKey", bad, err)
		}
	}
}

func TestAvailabilityAndGroupByDay(t *testing.T) {
	slots := Slots(settings(t), office(t), rt(2026, 12, 10, 12, 0), day(2026, 12, 15), day(2026, 12, 17))
	// Tuesday 15: 9:00 9:45 10:30 11:15; Thursday 17: 10:00 10:45 15:00 15:45.
	taken := map[string]int{
		"assistente-sociale/2026-12-15T09:00": 1,
		"assistente-sociale/2026-12-15T09:45": 3, // more than capacity: never negative
		"assistente-sociale/2026-12-17T10:00": 2,
		"assistente-sociale/2026-12-17T10:45": 2,
		"assistente-sociale/2026-12-17T15:00": 2,
		"assistente-sociale/2026-12-17T15:45": 2,
	}
	av := Availability(slots, taken, 2)
	var free []int
	for _, a := range av {
		free = append(free, a.Free)
		if a.Full != (a.Free == 0) {
			t.Errorf("%s: Full = %v with %d free", a.Key(), a.Full, a.Free)
		}
	}
	if want := []int{1, 0, 2, 2, 0, 0, 0, 0}; !slices.Equal(free, want) {
		t.Fatalf("free = %v, want %v", free, want)
	}
	days := GroupByDay(av)
	if len(days) != 2 {
		t.Fatalf("%d days, want 2", len(days))
	}
	if d := days[0]; d.Date != day(2026, 12, 15) || d.Label != "Martedì 15 dicembre" || len(d.Slots) != 4 || d.Full {
		t.Errorf("day 0 = %+v", d)
	}
	if d := days[1]; d.Date != day(2026, 12, 17) || d.Label != "Giovedì 17 dicembre" || len(d.Slots) != 4 || !d.Full {
		t.Errorf("day 1 = %+v", d)
	}
	if GroupByDay(nil) != nil {
		t.Error("GroupByDay(nil) not nil")
	}
}

func TestWeek(t *testing.T) {
	tests := []struct {
		from       hours.Date
		offset     int
		start, end hours.Date
		label      string
	}{
		{day(2026, 12, 10), 0, day(2026, 12, 7), day(2026, 12, 13), "Settimana dal 7 al 13 dicembre"},
		{day(2026, 12, 7), 0, day(2026, 12, 7), day(2026, 12, 13), "Settimana dal 7 al 13 dicembre"},
		{day(2026, 12, 13), 0, day(2026, 12, 7), day(2026, 12, 13), "Settimana dal 7 al 13 dicembre"},
		{day(2026, 12, 10), -1, day(2026, 11, 30), day(2026, 12, 6), "Settimana dal 30 novembre al 6 dicembre"},
		{day(2026, 12, 10), 3, day(2026, 12, 28), day(2027, 1, 3), "Settimana dal 28 dicembre 2026 al 3 gennaio 2027"},
		{day(2026, 6, 3), 1, day(2026, 6, 8), day(2026, 6, 14), "Settimana dall'8 al 14 giugno"},
		{day(2026, 6, 1), 0, day(2026, 6, 1), day(2026, 6, 7), "Settimana dall'1 al 7 giugno"},
		{day(2026, 1, 7), 0, day(2026, 1, 5), day(2026, 1, 11), "Settimana dal 5 all'11 gennaio"},
	}
	for _, tt := range tests {
		w := Week(tt.from, tt.offset)
		if w.Start != tt.start || w.End != tt.end || w.Label() != tt.label {
			t.Errorf("Week(%v, %d) = %v–%v %q, want %v–%v %q", tt.from, tt.offset, w.Start, w.End, w.Label(), tt.start, tt.end, tt.label)
		}
		if !w.Contains(w.Start) || !w.Contains(w.End) || w.Contains(w.End.AddDays(1)) || w.Contains(w.Start.AddDays(-1)) {
			t.Errorf("Contains wrong for %v", w)
		}
	}
	counts := []struct {
		first, last hours.Date
		want        int
	}{
		{day(2026, 12, 10), day(2026, 12, 13), 1},
		{day(2026, 12, 10), day(2026, 12, 14), 2},
		{day(2026, 12, 10), day(2027, 2, 8), 10},
		{day(2026, 12, 10), day(2026, 12, 9), 0},
	}
	for _, c := range counts {
		if got := WeekCount(c.first, c.last); got != c.want {
			t.Errorf("WeekCount(%v, %v) = %d, want %d", c.first, c.last, got, c.want)
		}
	}
}

func TestHold(t *testing.T) {
	now := rt(2026, 12, 10, 10, 32)
	expiry := HoldExpiry(now)
	if want := rt(2026, 12, 10, 10, 47); !expiry.Equal(want) {
		t.Fatalf("HoldExpiry = %v", expiry)
	}
	tests := []struct {
		now  time.Time
		want string
	}{
		{rt(2026, 12, 10, 10, 35), "Il posto è riservato per te fino alle 10:47 (ancora 12 minuti)."},
		{rt(2026, 12, 10, 10, 35).Add(30 * time.Second), "Il posto è riservato per te fino alle 10:47 (ancora 11 minuti)."},
		{rt(2026, 12, 10, 10, 46), "Il posto è riservato per te fino alle 10:47 (ancora 1 minuto)."},
		{rt(2026, 12, 10, 10, 46).Add(59 * time.Second), "Il posto è riservato per te fino alle 10:47 (ancora meno di un minuto)."},
		{rt(2026, 12, 10, 10, 47), "Il tempo per completare la prenotazione è scaduto: scegli di nuovo un orario."},
	}
	for _, tt := range tests {
		if got := HoldRemaining(expiry, tt.now); got != tt.want {
			t.Errorf("HoldRemaining at %v = %q, want %q", tt.now.Format("15:04:05"), got, tt.want)
		}
	}
	// Seconds are dropped, not rounded up; UTC instants read in Rome time.
	if got := HoldRemaining(rt(2026, 12, 10, 13, 5).Add(40*time.Second).UTC(), rt(2026, 12, 10, 13, 0).UTC()); !strings.Contains(got, "fino alle 13:05 (ancora 5 minuti)") {
		t.Errorf("HoldRemaining = %q", got)
	}
	if HoldExpired(expiry, expiry.Add(-time.Second)) || !HoldExpired(expiry, expiry) {
		t.Error("HoldExpired")
	}
}

func TestStatus_CanTransition(t *testing.T) {
	allowed := map[Status][]Status{
		StatusRequested: {StatusConfirmed, StatusDeclined, StatusCancelled},
		StatusConfirmed: {StatusCancelled, StatusDone, StatusNoShow},
	}
	for _, from := range Statuses() {
		for _, to := range append(Statuses(), "", "boh") {
			want := slices.Contains(allowed[from], to)
			if got := from.CanTransition(to); got != want {
				t.Errorf("%s → %s = %v, want %v", from, to, got, want)
			}
		}
	}
	if Status("boh").CanTransition(StatusConfirmed) {
		t.Error("unknown status can transition")
	}
}

func TestStatus_LabelsAndKinds(t *testing.T) {
	for _, s := range Statuses() {
		if !s.Valid() || s.Label() == string(s) || s.Label() == "" {
			t.Errorf("%s: Valid %v, Label %q", s, s.Valid(), s.Label())
		}
		if s.Active() == s.Terminal() {
			t.Errorf("%s: Active and Terminal both %v", s, s.Active())
		}
	}
	if Status("x").Valid() || Status("x").Terminal() {
		t.Error("unknown status")
	}
	if ModeInstant.InitialStatus() != StatusConfirmed || ModeRequest.InitialStatus() != StatusRequested {
		t.Error("InitialStatus")
	}
}

func TestProfessionalAndMode(t *testing.T) {
	tests := []struct {
		p            Professional
		valid        bool
		label, withA string
	}{
		{AssistenteSociale, true, "Assistente sociale", "l'assistente sociale"},
		{Educatore, true, "Educatore professionale", "l'educatore professionale"},
		{"psicologo", false, "psicologo", "psicologo"},
	}
	for _, tt := range tests {
		if tt.p.Valid() != tt.valid || tt.p.Label() != tt.label || tt.p.WithArticle() != tt.withA {
			t.Errorf("%s: %v %q %q", tt.p, tt.p.Valid(), tt.p.Label(), tt.p.WithArticle())
		}
	}
	for _, m := range Modes() {
		if !m.Valid() || m.Label() == string(m) {
			t.Errorf("mode %s", m)
		}
	}
	if Mode("").Valid() {
		t.Error("empty mode valid")
	}
}

func TestMaxActive(t *testing.T) {
	tests := []struct {
		active, limit int
		want          bool
	}{
		{0, 2, false}, {1, 2, false}, {2, 2, true}, {3, 2, true},
		{1, 0, false}, {2, 0, true}, // 0 means the default, 2
		{0, 1, false}, {1, 1, true},
	}
	for _, tt := range tests {
		if got := MaxActiveReached(tt.active, tt.limit); got != tt.want {
			t.Errorf("MaxActiveReached(%d, %d) = %v", tt.active, tt.limit, got)
		}
	}
	if got := MaxActiveMessage(0); !strings.Contains(got, "hai già 2 appuntamenti prenotati") {
		t.Errorf("MaxActiveMessage(0) = %q", got)
	}
	if got := MaxActiveMessage(1); !strings.Contains(got, "hai già un appuntamento prenotato") {
		t.Errorf("MaxActiveMessage(1) = %q", got)
	}
}

func TestHoldUntil_RenewalsStopAtTheSpan(t *testing.T) {
	t0 := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		first, now time.Time
		until      time.Time
		ok         bool
	}{
		{time.Time{}, t0, t0.Add(HoldDuration), true},
		{t0, t0, t0.Add(HoldDuration), true},
		{t0, t0.Add(14 * time.Minute), t0.Add(29 * time.Minute), true},
		{t0, t0.Add(20 * time.Minute), t0.Add(HoldMaxSpan), true},
		{t0, t0.Add(HoldMaxSpan), t0.Add(HoldMaxSpan), false},
		{t0, t0.Add(3 * time.Hour), t0.Add(HoldMaxSpan), false},
	} {
		until, ok := HoldUntil(tc.first, tc.now)
		if !until.Equal(tc.until) || ok != tc.ok {
			t.Errorf("HoldUntil(%v, %v) = %v, %v; want %v, %v", tc.first, tc.now, until, ok, tc.until, tc.ok)
		}
	}
}
