package booking

import (
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
)

// The words of the booking pages and messages in the citizen's language
// (issue 13). Italian keeps the hand-written forms of text.go, which know
// the elisions Italian needs ("dall'1:30"); the other languages build
// dates and times from the catalogue's messages (booking.when.*) and the
// Localizer's names of days and months.

// LabelIn returns the professional's name in l's language: "Assistente
// sociale", "Social worker".
func (p Professional) LabelIn(l *i18n.Localizer) string {
	if !p.Valid() {
		return string(p)
	}
	return l.T("booking.professional." + string(p) + ".label")
}

// WithArticleIn returns the name as written inside a sentence:
// "l'assistente sociale", "a social worker".
func (p Professional) WithArticleIn(l *i18n.Localizer) string {
	if !p.Valid() {
		return string(p)
	}
	return l.T("booking.professional." + string(p) + ".with")
}

// LabelIn returns the status as shown to the citizen: "Confermato",
// "Confirmed".
func (s Status) LabelIn(l *i18n.Localizer) string {
	if !s.Valid() {
		return string(s)
	}
	return l.T("booking.status." + string(s))
}

// ChannelLabelIn returns the contact channel as shown to the citizen:
// "E-mail", "Telefono", "Phone".
func ChannelLabelIn(l *i18n.Localizer, channel string) string {
	switch channel {
	case ChannelEmail, ChannelPhone:
		return l.T("booking.channel." + channel)
	}
	return channel
}

// italian reports whether l writes Italian, whose dates text.go writes.
func italian(l *i18n.Localizer) bool { return l.Lang() == i18n.Italian }

// clockIn returns c as "10:00", 24:00 for midnight.
func clockIn(c hours.Clock) string { return c.Italian() }

// SpanIn is LongSpan in l's language: "giovedì 10 dicembre 2026, dalle
// 10:00 alle 10:45", "Thursday 10 December 2026, 10:00 to 10:45".
func SpanIn(l *i18n.Localizer, start, end time.Time) string {
	if italian(l) {
		return LongSpan(start, end)
	}
	d, sc := wall(start)
	_, ec := endWall(d, end)
	return l.T("booking.when.span", "Date", l.Date(start), "From", clockIn(sc), "To", clockIn(ec))
}

// ShortWhenIn is ShortWhen in l's language: "giovedì 10 dicembre alle
// 10:00", "Thursday 10 December at 10:00".
func ShortWhenIn(l *i18n.Localizer, start time.Time) string {
	if italian(l) {
		return ShortWhen(start)
	}
	d, c := wall(start)
	return l.T("booking.when.short", "Day", dayIn(l, d), "Time", clockIn(c))
}

// AtTimeIn is AtTime in l's language: "alle 10:00", "at 10:00".
func AtTimeIn(l *i18n.Localizer, t time.Time) string {
	if italian(l) {
		return AtTime(t)
	}
	_, c := wall(t)
	return l.T("booking.when.at", "Time", clockIn(c))
}

// dayIn is the day without the year: "Thursday 10 December".
func dayIn(l *i18n.Localizer, d hours.Date) string {
	return l.T("booking.when.day", "Weekday", l.Weekday(d.Weekday()), "Day", d.Day, "Month", l.Month(d.Month))
}

// DayLabelIn is the heading of a day of the slot list: "Giovedì 10
// dicembre", "Thursday 10 December".
func DayLabelIn(l *i18n.Localizer, d hours.Date) string {
	if italian(l) {
		return dayLabel(d)
	}
	return dayIn(l, d)
}

// TimeLabelIn is the times of a slot: "ore 10:00–10:45", "10:00–10:45".
func (s Slot) TimeLabelIn(l *i18n.Localizer) string {
	if italian(l) {
		return s.TimeLabel()
	}
	d, sc := wall(s.Start)
	_, ec := endWall(d, s.End)
	return l.T("booking.when.slot", "From", clockIn(sc), "To", clockIn(ec))
}

// LabelIn is the week's heading: "Settimana dal 7 al 13 dicembre", "Week
// from 7 to 13 December".
func (w WeekRange) LabelIn(l *i18n.Localizer) string {
	if italian(l) {
		return w.Label()
	}
	s, e := w.Start, w.End
	first := strconv.Itoa(s.Day)
	switch {
	case s.Year != e.Year:
		first += " " + l.Month(s.Month) + " " + strconv.Itoa(s.Year)
	case s.Month != e.Month:
		first += " " + l.Month(s.Month)
	}
	last := strconv.Itoa(e.Day) + " " + l.Month(e.Month)
	if s.Year != e.Year {
		last += " " + strconv.Itoa(e.Year)
	}
	return l.T("booking.when.week", "From", first, "To", last)
}

// HoldRemainingIn is HoldRemaining in l's language, through the
// catalogue in every language (Italian reads the time as AtTime does,
// "fino alle 10:47", "fino all'1:30").
func HoldRemainingIn(l *i18n.Localizer, expiry, now time.Time) string {
	if HoldExpired(expiry, now) {
		return l.T("booking.hold.expired")
	}
	_, c := wall(expiry)
	args := []any{"Time", clockIn(c), "Until", untilClock(c)}
	m := int(expiry.Sub(now) / time.Minute)
	if m < 1 {
		return l.T("booking.hold.until_less_than_minute", args...)
	}
	return l.N("booking.hold.until", m, args...)
}

// OpenDaysIn says on which weekdays an office opens: "Aperto lunedì,
// mercoledì e venerdì", "Open Monday, Wednesday and Friday"; "" for none.
func OpenDaysIn(l *i18n.Localizer, days []time.Weekday) string {
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = l.Weekday(d)
	}
	switch len(names) {
	case 0:
		return ""
	case 1:
		return l.T("booking.office.open_one", "Day", names[0])
	}
	return l.T("booking.office.open_many", "Days", strings.Join(names[:len(names)-1], ", "), "Last", names[len(names)-1])
}
