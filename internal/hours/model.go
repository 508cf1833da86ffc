// Package hours models the opening hours of an office (weekly intervals,
// closures, special openings, public holidays and patron days) and answers
// "is it open now, and until when or from when".
//
// Hours are wall-clock times in Europe/Rome. The package never reads the
// clock: callers pass the current instant in.
package hours

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// Kind is the kind of service offered during an interval.
type Kind string

// The kinds of opening. The values are stored in the database.
const (
	// KindWalkIn is open access: citizens come in without booking.
	KindWalkIn Kind = "accoglienza"
	// KindAppointment is reserved for citizens who booked an appointment.
	KindAppointment Kind = "appuntamento"
)

// Kinds returns every kind, in the order they are shown.
func Kinds() []Kind { return []Kind{KindWalkIn, KindAppointment} }

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool { return k == KindWalkIn || k == KindAppointment }

// Label returns the Italian label shown to citizens: "Accoglienza",
// "Ricevimento su appuntamento".
func (k Kind) Label() string {
	switch k {
	case KindWalkIn:
		return "Accoglienza"
	case KindAppointment:
		return "Ricevimento su appuntamento"
	}
	return string(k)
}

// Error is a reason some hours were rejected. Its text is in Italian and
// written for the staff filling the form, so it can be shown as is.
type Error string

// Error returns the Italian message.
func (e Error) Error() string { return string(e) }

// Reasons hours are rejected by the Validate methods.
const (
	// ErrWeekday means the weekday is not Sunday (0) to Saturday (6).
	ErrWeekday Error = "Scegliere un giorno della settimana."
	// ErrKind means the kind is not one of Kinds.
	ErrKind Error = "Scegliere il tipo di apertura."
	// ErrStart means the start time is not between 00:00 and 23:59.
	ErrStart Error = "Indicare un orario di inizio valido."
	// ErrEnd means the end time is not between 00:01 and 24:00.
	ErrEnd Error = "Indicare un orario di fine valido, al massimo 24:00."
	// ErrOrder means the end time is not after the start time.
	ErrOrder Error = "L'orario di fine deve essere successivo a quello di inizio."
	// ErrDate means a required date is missing.
	ErrDate Error = "Indicare la data."
	// ErrFrom means the first day of a closure is missing.
	ErrFrom Error = "Indicare la data di inizio della chiusura."
	// ErrTo means the last day of a closure is missing.
	ErrTo Error = "Indicare la data di fine della chiusura."
	// ErrDateOrder means a closure ends before it starts.
	ErrDateOrder Error = "La data di fine non può precedere quella di inizio."
	// ErrTextTooLong means a closure reason or an opening note is longer
	// than MaxTextLength characters.
	ErrTextTooLong Error = "Il testo non può superare 200 caratteri."
)

// MaxTextLength is the longest closure reason or opening note, in
// characters.
const MaxTextLength = 200

// Interval is a weekly opening: every given weekday, from Start to End
// (wall-clock, End excluded). A weekday may have several intervals.
type Interval struct {
	Weekday    time.Weekday
	Start, End Clock
	Kind       Kind
}

// Validate checks one interval on its own; FindOverlaps checks a set.
func (iv Interval) Validate() error {
	if iv.Weekday < time.Sunday || iv.Weekday > time.Saturday {
		return ErrWeekday
	}
	if !iv.Kind.Valid() {
		return ErrKind
	}
	return validateSpan(iv.Start, iv.End)
}

// Span returns the interval as "9:00–13:00".
func (iv Interval) Span() string { return span(iv.Start, iv.End) }

// Closure closes the office from From to To, both days included. The range
// may span months and years. Reason is shown to citizens.
type Closure struct {
	From, To Date
	Reason   string // e.g. "lavori di manutenzione" or "Chiuso per lavori"
}

// Validate checks the dates and the length of the reason.
func (c Closure) Validate() error {
	switch {
	case c.From.IsZero():
		return ErrFrom
	case c.To.IsZero():
		return ErrTo
	case c.To.Before(c.From):
		return ErrDateOrder
	case utf8.RuneCountInString(c.Reason) > MaxTextLength:
		return ErrTextTooLong
	}
	return nil
}

// Covers reports whether d is one of the closed days.
func (c Closure) Covers(d Date) bool { return !d.Before(c.From) && !d.After(c.To) }

// SpecialOpening opens the office on one date, also when that day would be
// closed by a holiday or a closure, or adds hours to a normal day.
type SpecialOpening struct {
	Date       Date
	Start, End Clock
	Kind       Kind
	Note       string // shown to citizens, e.g. "Apertura straordinaria"
}

// Validate checks one special opening on its own; FindSpecialOverlaps
// checks a set.
func (so SpecialOpening) Validate() error {
	if so.Date.IsZero() {
		return ErrDate
	}
	if !so.Kind.Valid() {
		return ErrKind
	}
	if utf8.RuneCountInString(so.Note) > MaxTextLength {
		return ErrTextTooLong
	}
	return validateSpan(so.Start, so.End)
}

func validateSpan(start, end Clock) error {
	switch {
	case start < 0 || start >= EndOfDay:
		return ErrStart
	case end <= 0 || end > EndOfDay:
		return ErrEnd
	case end <= start:
		return ErrOrder
	}
	return nil
}

// Overlap is a pair of intervals (or special openings) of the same kind on
// the same day whose hours overlap. First and Second are indexes into the
// slice that was checked, First < Second.
type Overlap struct {
	First, Second int
	// Message explains the problem in Italian, for the staff form:
	// "Le fasce 9:00–13:00 e 12:00–14:00 di lunedì (Accoglienza) si sovrappongono."
	Message string
}

// FindOverlaps returns every pair of weekly intervals with the same weekday
// and kind whose hours overlap. Back-to-back intervals (9–13 and 13–14) do
// not overlap.
func FindOverlaps(weekly []Interval) []Overlap {
	var out []Overlap
	for i, a := range weekly {
		for j := i + 1; j < len(weekly); j++ {
			b := weekly[j]
			if a.Weekday != b.Weekday || a.Kind != b.Kind || !overlaps(a.Start, a.End, b.Start, b.End) {
				continue
			}
			first, second := order(a.Start, a.End, b.Start, b.End)
			out = append(out, Overlap{i, j, fmt.Sprintf("Le fasce %s e %s di %s (%s) si sovrappongono.",
				first, second, WeekdayName(weekly[i].Weekday), weekly[i].Kind.Label())})
		}
	}
	return out
}

// FindSpecialOverlaps returns every pair of special openings with the same
// date and kind whose hours overlap.
func FindSpecialOverlaps(specials []SpecialOpening) []Overlap {
	var out []Overlap
	for i, a := range specials {
		for j := i + 1; j < len(specials); j++ {
			b := specials[j]
			if a.Date != b.Date || a.Kind != b.Kind || !overlaps(a.Start, a.End, b.Start, b.End) {
				continue
			}
			first, second := order(a.Start, a.End, b.Start, b.End)
			out = append(out, Overlap{i, j, fmt.Sprintf("Le aperture straordinarie %s e %s di %s (%s) si sovrappongono.",
				first, second, specials[i].Date.Italian(), specials[i].Kind.Label())})
		}
	}
	return out
}

func overlaps(s1, e1, s2, e2 Clock) bool { return s1 < e2 && s2 < e1 }

// order returns the two spans as text, the earlier first, so that messages
// read naturally whatever the order of the form rows.
func order(s1, e1, s2, e2 Clock) (string, string) {
	if s2 < s1 || (s2 == s1 && e2 < e1) {
		s1, e1, s2, e2 = s2, e2, s1, e1
	}
	return span(s1, e1), span(s2, e2)
}

func span(start, end Clock) string { return start.Italian() + "–" + end.Italian() }
