package web

import (
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/holidays"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/slug"
)

// The offices' texts for citizens in the page's language. internal/hours
// answers with values (open or not, until when, the next opening, which
// closure or holiday); the sentences are built here from the catalogue.

// statusText is the status of st at now as one line: "Aperto ora · chiude
// alle 13:00", "Chiuso · riapre domani alle 9:00", "Closed · opens again
// Monday 2 December at 9:00".
func statusText(l *i18n.Localizer, st hours.Status, now time.Time) string {
	today := hours.DateOf(now)
	if st.Open {
		// A closing time of 00:00 is the end of the day before: midnight.
		t := st.Until.In(hours.Rome())
		d := hours.DateOf(t)
		midnight := t.Hour() == 0 && t.Minute() == 0
		if midnight {
			d = d.AddDays(-1)
		}
		when := atTime(l, t, midnight)
		if d != today {
			when = l.T("office.status.day_time", "Day", relativeDay(l, today, d), "Time", when)
		}
		return l.T("office.status.open_until", "When", when)
	}
	if !st.NextOpenFound {
		return l.T("office.status.closed")
	}
	t := st.NextOpen.In(hours.Rome())
	return l.T("office.status.reopens", "Day", relativeDay(l, today, hours.DateOf(t)), "Time", atTime(l, t, false))
}

// atTime is "alle 9:00", "all'1:30", "a mezzanotte" (English "at 9:00",
// "at midnight").
func atTime(l *i18n.Localizer, t time.Time, midnight bool) string {
	switch {
	case midnight:
		return l.T("office.status.at_midnight")
	case t.Hour() == 1:
		return l.T("office.status.at_one", "Time", l.Clock(t))
	}
	return l.T("office.status.at", "Time", l.Clock(t))
}

// relativeDay is "oggi", "domani" or the day in words, with the year when
// it is in a later year or more than 300 days away.
func relativeDay(l *i18n.Localizer, today, d hours.Date) string {
	switch today.DaysUntil(d) {
	case 0:
		return l.T("office.status.today")
	case 1:
		return l.T("office.status.tomorrow")
	}
	if d.Year != today.Year || today.DaysUntil(d) > 300 {
		return l.Date(d.At(0))
	}
	return dayLabel(l, d)
}

// dayLabel returns "martedì 8 dicembre", "Tuesday 8 December".
func dayLabel(l *i18n.Localizer, d hours.Date) string {
	return l.T("office.day_label", "Weekday", l.Weekday(d.Weekday()), "Day", d.Day, "Month", l.Month(d.Month))
}

// dayReason says why the weekly hours do not apply on d, as
// hours.Schedule.Day does in Italian: the office's closure (its reason as
// staff wrote it) or the holiday, in l's language; "" on ordinary days.
func dayReason(l *i18n.Localizer, sch hours.Schedule, d hours.Date) string {
	for _, c := range sch.Closures {
		if c.Covers(d) {
			r := strings.TrimSpace(c.Reason)
			switch {
			case r == "":
				return l.T("office.status.closed")
			case strings.HasPrefix(strings.ToLower(r), "chiuso"):
				// Staff wrote the whole sentence: shown as written.
				return l.T("office.closed_as_written", "Reason", r)
			}
			return l.T("office.closed_because", "Reason", r)
		}
	}
	cal := sch.Holidays
	if cal == nil {
		cal = holidays.Default()
	}
	if name, ok := cal.Lookup(d.Year, d.Month, d.Day, sch.ISTAT); ok {
		return l.T("office.closed_because", "Reason", vocab(l, "office.holiday."+slug.Make(name), name))
	}
	return ""
}

// kindLabel is the name of a kind of opening: "Accoglienza" (walk-in),
// "Ricevimento su appuntamento".
func kindLabel(l *i18n.Localizer, k hours.Kind) string {
	return vocab(l, "office.kind."+string(k), k.Label())
}
