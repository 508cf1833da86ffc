package holidays

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"
)

const (
	perugia = "054039"
	terni   = "055032"
	norcia  = "054035"
)

// Easter dates come from the data README and published calendars, not from
// this package.
var easterSundays = []struct {
	year  int
	month time.Month
	day   int
}{
	{2024, time.March, 31},
	{2025, time.April, 20},
	{2026, time.April, 5},
	{2027, time.March, 28},
	{2028, time.April, 16},
	{2029, time.April, 1},
	{2030, time.April, 21},
	{2031, time.April, 13},
	{2032, time.March, 28},
	{2033, time.April, 17},
	{2034, time.April, 9},
	{2035, time.March, 25},
}

func TestEaster_2024To2035_MatchesPublishedDates(t *testing.T) {
	for _, tt := range easterSundays {
		m, d := Easter(tt.year)
		if m != tt.month || d != tt.day {
			t.Errorf("Easter(%d) = %s %d, want %s %d", tt.year, m, d, tt.month, tt.day)
		}
		if wd := time.Date(tt.year, m, d, 0, 0, 0, 0, time.UTC).Weekday(); wd != time.Sunday {
			t.Errorf("Easter(%d) falls on %s", tt.year, wd)
		}
	}
}

func TestEaster_OlderKnownYears(t *testing.T) {
	// Edge cases of the computus: the earliest (22 March) and latest
	// (25 April) possible dates, and years around 2000.
	tests := []struct {
		year  int
		month time.Month
		day   int
	}{
		{1818, time.March, 22},
		{1943, time.April, 25},
		{2000, time.April, 23},
		{2038, time.April, 25},
		{2285, time.March, 22},
	}
	for _, tt := range tests {
		if m, d := Easter(tt.year); m != tt.month || d != tt.day {
			t.Errorf("Easter(%d) = %s %d, want %s %d", tt.year, m, d, tt.month, tt.day)
		}
	}
}

func TestLookup_EasterSundayAndMonday_AreNationalHolidays(t *testing.T) {
	c := Default()
	for _, tt := range easterSundays {
		sunday := time.Date(tt.year, tt.month, tt.day, 0, 0, 0, 0, time.UTC)
		monday := sunday.AddDate(0, 0, 1)
		tuesday := sunday.AddDate(0, 0, 2)
		saturday := sunday.AddDate(0, 0, -1)

		if name, ok := c.Lookup(sunday.Year(), sunday.Month(), sunday.Day(), ""); !ok || name != "Pasqua (domenica)" {
			t.Errorf("%d Easter Sunday %s: got %q, %v", tt.year, sunday.Format(time.DateOnly), name, ok)
		}
		if name, ok := c.Lookup(monday.Year(), monday.Month(), monday.Day(), terni); !ok || name != "Lunedì dell'Angelo (Pasquetta)" {
			t.Errorf("%d Easter Monday %s: got %q, %v", tt.year, monday.Format(time.DateOnly), name, ok)
		}
		for _, d := range []time.Time{saturday, tuesday} {
			if name, ok := c.Lookup(d.Year(), d.Month(), d.Day(), ""); ok {
				t.Errorf("%s is not a holiday, got %q", d.Format(time.DateOnly), name)
			}
		}
	}
}

func TestLookup_FixedNationalHolidays_EveryComuneEveryYear(t *testing.T) {
	tests := []struct {
		month time.Month
		day   int
		name  string
	}{
		{time.January, 1, "Capodanno"},
		{time.January, 6, "Epifania"},
		{time.April, 25, "Anniversario della Liberazione"},
		{time.May, 1, "Festa del Lavoro"},
		{time.June, 2, "Festa della Repubblica"},
		{time.August, 15, "Assunzione di Maria Vergine (Ferragosto)"},
		{time.November, 1, "Ognissanti"},
		{time.December, 8, "Immacolata Concezione"},
		{time.December, 25, "Natale"},
		{time.December, 26, "Santo Stefano"},
	}
	c := Default()
	for _, tt := range tests {
		for year := 2024; year <= 2035; year++ {
			for _, istat := range []string{"", perugia, terni, norcia} {
				name, ok := c.Lookup(year, tt.month, tt.day, istat)
				if !ok || name != tt.name {
					t.Errorf("Lookup(%d-%02d-%02d, %q) = %q, %v; want %q", year, tt.month, tt.day, istat, name, ok, tt.name)
				}
			}
		}
	}
}

func TestLookup_OrdinaryDays_AreNotHolidays(t *testing.T) {
	c := Default()
	tests := []struct {
		month time.Month
		day   int
	}{
		{time.January, 2}, {time.January, 7}, {time.March, 19}, {time.June, 29},
		{time.November, 2}, {time.November, 4}, {time.December, 24}, {time.December, 31},
	}
	for _, tt := range tests {
		if name, ok := c.Lookup(2026, tt.month, tt.day, perugia); ok {
			t.Errorf("2026-%02d-%02d in Perugia: got holiday %q", tt.month, tt.day, name)
		}
	}
}

func TestLookup_SanFrancesco_NationalOnlyFrom2026(t *testing.T) {
	const want = "Festa nazionale di San Francesco d'Assisi, patrono d'Italia"
	tests := []struct {
		year int
		ok   bool
	}{
		{2024, false},
		{2025, false},
		{2026, true}, // a Sunday, but a holiday all the same
		{2027, true},
		{2035, true},
	}
	c := Default()
	for _, tt := range tests {
		name, ok := c.Lookup(tt.year, time.October, 4, perugia)
		if ok != tt.ok {
			t.Errorf("4 October %d: holiday = %v, want %v", tt.year, ok, tt.ok)
		}
		if ok && name != want {
			t.Errorf("4 October %d: name %q, want %q (without the legal note)", tt.year, name, want)
		}
	}
}

func TestLookup_PatronDay_OnlyForItsComune(t *testing.T) {
	tests := []struct {
		name  string
		month time.Month
		day   int
		istat string
		want  string // "" = not a holiday
	}{
		{"San Costanzo in Perugia", time.January, 29, perugia, "San Costanzo (patrono di Perugia)"},
		{"San Costanzo not in Terni", time.January, 29, terni, ""},
		{"San Costanzo not without a Comune", time.January, 29, "", ""},
		{"San Valentino in Terni", time.February, 14, terni, "San Valentino (patrono di Terni)"},
		{"San Valentino not in Perugia", time.February, 14, perugia, ""},
		{"Norcia, 21 March", time.March, 21, norcia, "San Benedetto (patrono di Norcia) - 21 marzo"},
		{"Norcia, 11 July", time.July, 11, norcia, "San Benedetto (patrono di Norcia) - 11 luglio"},
		{"Norcia's 21 March not in Perugia", time.March, 21, perugia, ""},
		{"Norcia's 11 July not in Terni", time.July, 11, terni, ""},
		{"Norcia, ordinary day", time.July, 12, norcia, ""},
		{"Orvieto, San Giuseppe", time.March, 19, "055023", "San Giuseppe (patrono di Orvieto)"},
		{"Assisi, San Rufino", time.August, 12, "054001", "San Rufino (patrono di Assisi)"},
		{"Comune without a listed patron day", time.January, 29, "054002", ""},
	}
	c := Default()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name, ok := c.Lookup(2026, tt.month, tt.day, tt.istat)
			if ok != (tt.want != "") || name != tt.want {
				t.Errorf("got %q, %v; want %q", name, ok, tt.want)
			}
		})
	}
}

func TestLookup_NationalAndPatronSameDay_NationalWins(t *testing.T) {
	in := "date_or_rule,name,scope\n08-15,Patrono locale,055023\n08-15,Ferragosto,national\n"
	c, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if name, _ := c.Lookup(2026, time.August, 15, "055023"); name != "Ferragosto" {
		t.Errorf("got %q, want Ferragosto", name)
	}
}

func TestLookup_OutOfRangeDay_IsNormalised(t *testing.T) {
	// 32 December 2026 is 1 January 2027.
	if name, ok := Default().Lookup(2026, time.December, 32, ""); !ok || name != "Capodanno" {
		t.Errorf("got %q, %v", name, ok)
	}
}

func TestParse_EasterOffsetsAndLeapDay(t *testing.T) {
	in := "date_or_rule,name,scope\neaster-2,Venerdì santo,national\n02-29,Bisestile,054039\n"
	c, err := Parse(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if name, ok := c.Lookup(2026, time.April, 3, ""); !ok || name != "Venerdì santo" {
		t.Errorf("easter-2 in 2026: got %q, %v", name, ok)
	}
	if _, ok := c.Lookup(2028, time.February, 29, perugia); !ok {
		t.Error("02-29 should match in a leap year")
	}
	if _, ok := c.Lookup(2027, time.March, 1, perugia); ok {
		t.Error("02-29 must not spill over into 1 March in other years")
	}
}

func TestParse_HeaderWithBOM_Accepted(t *testing.T) {
	if _, err := Parse(strings.NewReader("\ufeffdate_or_rule,name,scope\n01-01,Capodanno,national\n")); err != nil {
		t.Fatal(err)
	}
}

func TestParse_InvalidInput_ErrorNamesLine(t *testing.T) {
	const header = "date_or_rule,name,scope\n"
	tests := []struct {
		name, in, want string
	}{
		{"empty file", "", "line 1: missing header"},
		{"wrong header", "day,name,scope\n", "line 1: header is"},
		{"month 13", header + "01-01,Capodanno,national\n13-01,X,national\n", "line 3: invalid day \"13-01\""},
		{"31 April", header + "04-31,X,national\n", "line 2: invalid day \"04-31\""},
		{"day zero", header + "04-00,X,national\n", "line 2: invalid day"},
		{"unknown rule", header + "pentecost,X,national\n", "line 2: invalid date_or_rule \"pentecost\""},
		{"date without zero padding", header + "1-1,X,national\n", "line 2: invalid date_or_rule"},
		{"empty name", header + "01-01,,national\n", "line 2: empty name"},
		{"bad scope", header + "01-01,X,Perugia\n", "line 2: invalid scope \"Perugia\""},
		{"short ISTAT code", header + "01-01,X,54039\n", "line 2: invalid scope"},
		{"missing field", header + "01-01,X,national\n01-06,Epifania\n", "line 3"},
		{"duplicate", header + "01-01,X,national\n\n01-01,Y,national\n", "line 4: 01-01 for scope national already given on line 2"},
		{"unterminated quote", header + "01-01,\"X,national\n", "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "holidays: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestEmbeddedFile_MatchesSharedData(t *testing.T) {
	shared, err := os.ReadFile("../../../shared/data/festivita.csv")
	if err != nil {
		t.Skip("shared data not available:", err)
	}
	if !bytes.Equal(shared, embedded) {
		t.Error("internal/holidays/festivita.csv differs from /work/shared/data/festivita.csv; copy it again")
	}
}

func TestDefault_AllRowsParsed(t *testing.T) {
	if n := len(Default().rules); n != 26 {
		t.Errorf("Default has %d rules, want 26 (13 national, 13 patron days)", n)
	}
}
