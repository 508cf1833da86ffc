package hours

import (
	"testing"
	"time"
)

func TestMakeDate_OutOfRangeDay_IsNormalised(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want Date
	}{
		{2026, time.December, 32, Date{2027, time.January, 1}},
		{2026, time.March, 0, Date{2026, time.February, 28}},
		{2028, time.February, 30, Date{2028, time.March, 1}},
		{2026, 13, 1, Date{2027, time.January, 1}},
	}
	for _, tt := range tests {
		if got := MakeDate(tt.y, tt.m, tt.d); got != tt.want {
			t.Errorf("MakeDate(%d, %d, %d) = %v, want %v", tt.y, tt.m, tt.d, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{"2026-12-08", Date{2026, time.December, 8}, false},
		{" 2028-02-29 ", Date{2028, time.February, 29}, false},
		{"2026-02-29", Date{}, true},
		{"2026-13-01", Date{}, true},
		{"08/12/2026", Date{}, true},
		{"2026-1-8", Date{}, true},
		{"", Date{}, true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestDate_StringAndItalian(t *testing.T) {
	tests := []struct {
		d             Date
		str, italian  string
		weekday       time.Weekday
		weekdayItalia string
	}{
		{MakeDate(2026, time.December, 8), "2026-12-08", "martedì 8 dicembre 2026", time.Tuesday, "martedì"},
		{MakeDate(2027, time.January, 7), "2027-01-07", "giovedì 7 gennaio 2027", time.Thursday, "giovedì"},
		{MakeDate(2026, time.November, 1), "2026-11-01", "domenica 1 novembre 2026", time.Sunday, "domenica"},
		{MakeDate(2026, time.August, 15), "2026-08-15", "sabato 15 agosto 2026", time.Saturday, "sabato"},
		{MakeDate(2026, time.September, 30), "2026-09-30", "mercoledì 30 settembre 2026", time.Wednesday, "mercoledì"},
	}
	for _, tt := range tests {
		if got := tt.d.String(); got != tt.str {
			t.Errorf("String() = %q, want %q", got, tt.str)
		}
		if got := tt.d.Italian(); got != tt.italian {
			t.Errorf("Italian() = %q, want %q", got, tt.italian)
		}
		if got := tt.d.Weekday(); got != tt.weekday {
			t.Errorf("%v Weekday() = %v, want %v", tt.d, got, tt.weekday)
		}
		if got := WeekdayName(tt.d.Weekday()); got != tt.weekdayItalia {
			t.Errorf("WeekdayName = %q, want %q", got, tt.weekdayItalia)
		}
	}
	if s := (Date{}).String(); s != "" {
		t.Errorf("zero Date String() = %q, want empty", s)
	}
}

func TestDate_AddDaysAcrossMonthYearAndLeapDay(t *testing.T) {
	tests := []struct {
		d    Date
		n    int
		want Date
	}{
		{MakeDate(2026, time.November, 28), 3, MakeDate(2026, time.December, 1)},
		{MakeDate(2026, time.December, 31), 1, MakeDate(2027, time.January, 1)},
		{MakeDate(2027, time.January, 1), -1, MakeDate(2026, time.December, 31)},
		{MakeDate(2028, time.February, 28), 1, MakeDate(2028, time.February, 29)},
		{MakeDate(2027, time.February, 28), 1, MakeDate(2027, time.March, 1)},
		{MakeDate(2026, time.March, 28), 2, MakeDate(2026, time.March, 30)}, // across the DST change
		{MakeDate(2026, time.January, 1), 365, MakeDate(2027, time.January, 1)},
		{MakeDate(2026, time.January, 1), 0, MakeDate(2026, time.January, 1)},
	}
	for _, tt := range tests {
		if got := tt.d.AddDays(tt.n); got != tt.want {
			t.Errorf("%v.AddDays(%d) = %v, want %v", tt.d, tt.n, got, tt.want)
		}
		if got := tt.d.DaysUntil(tt.want); got != tt.n {
			t.Errorf("%v.DaysUntil(%v) = %d, want %d", tt.d, tt.want, got, tt.n)
		}
	}
}

func TestDate_Ordering(t *testing.T) {
	a := MakeDate(2026, time.December, 31)
	b := MakeDate(2027, time.January, 1)
	if !a.Before(b) || a.After(b) || b.Before(a) || !b.After(a) {
		t.Error("31 December 2026 must be before 1 January 2027")
	}
	if a.Before(a) || a.After(a) || a.Compare(a) != 0 {
		t.Error("a date is neither before nor after itself")
	}
	if a.Compare(b) != -1 || b.Compare(a) != 1 {
		t.Error("Compare is wrong")
	}
}

func TestDateOf_UsesRomeCalendar(t *testing.T) {
	tests := []struct {
		t    time.Time
		want Date
	}{
		// 22:30 UTC on 30 June is 00:30 on 1 July in Rome (CEST).
		{time.Date(2026, time.June, 30, 22, 30, 0, 0, time.UTC), MakeDate(2026, time.July, 1)},
		// 23:30 UTC on 31 December is 00:30 on 1 January in Rome (CET).
		{time.Date(2026, time.December, 31, 23, 30, 0, 0, time.UTC), MakeDate(2027, time.January, 1)},
		{time.Date(2026, time.December, 31, 22, 59, 0, 0, time.UTC), MakeDate(2026, time.December, 31)},
		{time.Date(2026, time.March, 29, 3, 0, 0, 0, Rome()), MakeDate(2026, time.March, 29)},
	}
	for _, tt := range tests {
		if got := DateOf(tt.t); got != tt.want {
			t.Errorf("DateOf(%v) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func TestDate_At_DSTDays(t *testing.T) {
	tests := []struct {
		name string
		d    Date
		c    Clock
		want time.Time
	}{
		{"ordinary winter day", MakeDate(2026, time.January, 5), NewClock(9, 0), time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)},
		{"ordinary summer day", MakeDate(2026, time.July, 6), NewClock(9, 0), time.Date(2026, 7, 6, 7, 0, 0, 0, time.UTC)},
		{"24:00 is the next midnight", MakeDate(2026, time.December, 31), EndOfDay, time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC)},
		{"spring: 01:00 is still CET", MakeDate(2026, time.March, 29), NewClock(1, 0), time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC)},
		{"spring: 02:00 does not exist, becomes 03:00 CEST", MakeDate(2026, time.March, 29), NewClock(2, 0), time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},
		{"spring: 03:00 is CEST", MakeDate(2026, time.March, 29), NewClock(3, 0), time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC)},
		{"spring: 24:00 after a 23-hour day", MakeDate(2026, time.March, 29), EndOfDay, time.Date(2026, 3, 29, 22, 0, 0, 0, time.UTC)},
		{"autumn: 01:00 is still CEST", MakeDate(2026, time.October, 25), NewClock(1, 0), time.Date(2026, 10, 24, 23, 0, 0, 0, time.UTC)},
		{"autumn: repeated 02:30 is the second one (CET)", MakeDate(2026, time.October, 25), NewClock(2, 30), time.Date(2026, 10, 25, 1, 30, 0, 0, time.UTC)},
		{"autumn: 03:00 is CET", MakeDate(2026, time.October, 25), NewClock(3, 0), time.Date(2026, 10, 25, 2, 0, 0, 0, time.UTC)},
		{"autumn: 24:00 after a 25-hour day", MakeDate(2026, time.October, 25), EndOfDay, time.Date(2026, 10, 25, 23, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := tt.d.At(tt.c); !got.Equal(tt.want) {
			t.Errorf("%s: %v.At(%v) = %v, want %v", tt.name, tt.d, tt.c, got.UTC(), tt.want)
		}
	}
}

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    Clock
		wantErr bool
	}{
		{"09:30", 9*60 + 30, false},
		{"9:30", 9*60 + 30, false},
		{"00:00", 0, false},
		{"0:00", 0, false},
		{"13:00", 13 * 60, false},
		{"23:59", 23*60 + 59, false},
		{"24:00", EndOfDay, false},
		{" 8:15 ", 8*60 + 15, false},
		{"24:01", 0, true},
		{"25:00", 0, true},
		{"9:60", 0, true},
		{"9.30", 0, true},
		{"930", 0, true},
		{"9:3", 0, true},
		{"009:30", 0, true},
		{"-1:00", 0, true},
		{"+9:00", 0, true},
		{"", 0, true},
		{"ab:cd", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseClock(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestClock_StringForFormsItalianForCitizens(t *testing.T) {
	tests := []struct {
		c             Clock
		form, italian string
	}{
		{NewClock(9, 0), "09:00", "9:00"},
		{NewClock(9, 30), "09:30", "9:30"},
		{NewClock(13, 0), "13:00", "13:00"},
		{NewClock(0, 5), "00:05", "0:05"},
		{EndOfDay, "24:00", "24:00"},
	}
	for _, tt := range tests {
		if got := tt.c.String(); got != tt.form {
			t.Errorf("String() = %q, want %q", got, tt.form)
		}
		if got := tt.c.Italian(); got != tt.italian {
			t.Errorf("Italian() = %q, want %q", got, tt.italian)
		}
		if back, err := ParseClock(tt.c.String()); err != nil || back != tt.c {
			t.Errorf("ParseClock(String()) = %v, %v; want %v", back, err, tt.c)
		}
	}
}

func TestClock_Valid(t *testing.T) {
	for c, want := range map[Clock]bool{-1: false, 0: true, 720: true, EndOfDay: true, EndOfDay + 1: false} {
		if c.Valid() != want {
			t.Errorf("Clock(%d).Valid() = %v", c, !want)
		}
	}
}

func TestWeekdayAndMonthNames_Italian(t *testing.T) {
	wantDays := []string{"lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"}
	for i, wd := range Weekdays() {
		if got := WeekdayName(wd); got != wantDays[i] {
			t.Errorf("WeekdayName(%v) = %q, want %q", wd, got, wantDays[i])
		}
	}
	wantMonths := []string{"gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno",
		"luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"}
	for i, want := range wantMonths {
		if got := MonthName(time.Month(i + 1)); got != want {
			t.Errorf("MonthName(%d) = %q, want %q", i+1, got, want)
		}
	}
	if WeekdayName(7) != "" || MonthName(0) != "" || MonthName(13) != "" {
		t.Error("out-of-range names must be empty")
	}
}
