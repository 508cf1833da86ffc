package i18n

import (
	"fmt"
	"strconv"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// Pseudo-locale markers: every message of a pseudo Localizer is wrapped in
// them, so a test can find text that did not go through the catalogue.
const (
	PseudoOpen  = "⟦"
	PseudoClose = "⟧"
)

// rome is the time zone of every date and time shown to citizens.
var rome = mustRome()

func mustRome() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err) // time/tzdata is linked into the binary
	}
	return loc
}

// Localizer translates messages into one language. It is cheap to make
// and safe for concurrent use.
type Localizer struct {
	lang   Lang
	loc    *goi18n.Localizer
	pseudo bool
}

// Localizer returns the translator of language l; a language the
// catalogue lacks gets the default one.
func (c *Catalog) Localizer(l Lang) *Localizer {
	if !c.Has(l) {
		l = Default
	}
	return &Localizer{lang: l, loc: goi18n.NewLocalizer(c.bundle, string(l))}
}

// Pseudo returns a translator of the default language that wraps every
// message in PseudoOpen and PseudoClose (the pseudo-locale tests).
func (c *Catalog) Pseudo() *Localizer {
	l := c.Localizer(Default)
	l.pseudo = true
	return l
}

// Lang returns the localizer's language.
func (l *Localizer) Lang() Lang { return l.lang }

// T returns message id with its named arguments, given as pairs:
// T("booking.code", "Code", "UDC-7K3M-9QX2"). A message missing from the
// catalogue comes out as "[id]", visible on the page (a test fails on
// it before that can ship).
func (l *Localizer) T(id string, args ...any) string {
	return l.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: pairs(args)})
}

// N is T for a message with plural forms (one, other), chosen by count;
// the message reads the number as {{.Count}}.
func (l *Localizer) N(id string, count int, args ...any) string {
	data := pairs(args)
	if data == nil {
		data = map[string]any{}
	}
	data["Count"] = count
	return l.localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
}

func (l *Localizer) localize(lc *goi18n.LocalizeConfig) string {
	s, err := l.loc.Localize(lc)
	if err != nil && s == "" {
		s = "[" + lc.MessageID + "]"
	}
	if l.pseudo {
		return PseudoOpen + s + PseudoClose
	}
	return s
}

func pairs(args []any) map[string]any {
	if len(args) == 0 {
		return nil
	}
	if len(args)%2 != 0 {
		panic(fmt.Sprintf("i18n: odd number of arguments %v", args))
	}
	m := make(map[string]any, len(args)/2)
	for i := 0; i < len(args); i += 2 {
		k, ok := args[i].(string)
		if !ok {
			panic(fmt.Sprintf("i18n: argument name %v is not a string", args[i]))
		}
		m[k] = args[i+1]
	}
	return m
}

// Weekday returns the name of the day in the localizer's language, as
// written inside a sentence ("martedì", "Tuesday").
func (l *Localizer) Weekday(d time.Weekday) string {
	return l.T("date.weekday." + strconv.Itoa(int(d)))
}

// Month returns the name of the month as written inside a sentence
// ("dicembre", "December").
func (l *Localizer) Month(m time.Month) string {
	return l.T("date.month." + strconv.Itoa(int(m)))
}

// Clock returns the time of day of t in Rome, "9:00".
func (l *Localizer) Clock(t time.Time) string {
	t = t.In(rome)
	return fmt.Sprintf("%d:%02d", t.Hour(), t.Minute())
}

// Date returns the day of t in Rome, in words: "martedì 1 dicembre 2026",
// "Tuesday 1 December 2026".
func (l *Localizer) Date(t time.Time) string {
	t = t.In(rome)
	return l.T("date.long", "Weekday", l.Weekday(t.Weekday()), "Day", t.Day(), "Month", l.Month(t.Month()), "Year", t.Year())
}

// DateTime returns the day and the time of t in Rome: "martedì 1
// dicembre 2026, ore 9:00", "Tuesday 1 December 2026, 9:00".
func (l *Localizer) DateTime(t time.Time) string {
	return l.T("date.long_time", "Date", l.Date(t), "Time", l.Clock(t))
}
