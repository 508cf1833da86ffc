package booking

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/udc-umbria/portal/internal/hours"
)

func itoa(n int) string { return strconv.Itoa(n) }

// wall returns the date and wall-clock time of t in Rome. Midnight is
// returned as it is (00:00 of the next day); see endWall.
func wall(t time.Time) (hours.Date, hours.Clock) {
	t = t.In(hours.Rome())
	return hours.DateOf(t), hours.NewClock(t.Hour(), t.Minute())
}

// endWall is wall for the end of a span that started on day d: an end at
// midnight reads 24:00 of d rather than 00:00 of the day after.
func endWall(d hours.Date, t time.Time) (hours.Date, hours.Clock) {
	ed, ec := wall(t)
	if ec == 0 && ed == d.AddDays(1) {
		return d, hours.EndOfDay
	}
	return ed, ec
}

// capitalize upper-cases the first letter: "giovedì" → "Giovedì".
func capitalize(s string) string {
	for i, r := range s {
		return string(unicode.ToUpper(r)) + s[i+len(string(r)):]
	}
	return s
}

// elides reports whether Italian elides the article before the number n
// read aloud: "l'1", "l'8", "l'11" (uno, otto, undici).
func elides(n int) bool { return n == 1 || n == 8 || n == 11 }

// fromClock returns "dalle 10:00", with the elision of one o'clock:
// "dall'1:30".
func fromClock(c hours.Clock) string {
	if c.Hour() == 1 {
		return "dall'" + c.Italian()
	}
	return "dalle " + c.Italian()
}

// untilClock returns "alle 10:45", "all'1:45", or "a mezzanotte" for 24:00.
func untilClock(c hours.Clock) string {
	switch {
	case c == hours.EndOfDay:
		return "a mezzanotte"
	case c.Hour() == 1:
		return "all'" + c.Italian()
	}
	return "alle " + c.Italian()
}

// LongSpan returns the span as written in messages to citizens, with the
// date in words and the times in Rome: "giovedì 10 dicembre 2026, dalle
// 10:00 alle 10:45".
func LongSpan(start, end time.Time) string {
	d, sc := wall(start)
	_, ec := endWall(d, end)
	return d.Italian() + ", " + fromClock(sc) + " " + untilClock(ec)
}

// AtTime returns the wall-clock time of t in Rome as "alle 10:00", or
// "all'1:30".
func AtTime(t time.Time) string {
	_, c := wall(t)
	return untilClock(c)
}

// ShortWhen returns the start as "giovedì 10 dicembre alle 10:00", without
// the year: short enough for an e-mail subject.
func ShortWhen(start time.Time) string {
	d, c := wall(start)
	day := strings.TrimSuffix(d.Italian(), " "+itoa(d.Year))
	return day + " " + untilClock(c)
}
