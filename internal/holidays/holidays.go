// Package holidays knows the Italian public holidays and the patron-saint
// days of the Umbrian comuni, read from an embedded CSV file.
//
// The file has the header date_or_rule,name,scope. date_or_rule is MM-DD for a
// fixed day, "easter" for Easter Sunday or "easter+N" / "easter-N" for a day
// relative to it; scope is "national" or the 6-digit ISTAT code of the Comune
// whose patron day it is.
//
// A holiday that exists only from a given year carries that year in a
// trailing note of its name, as the data source writes it:
// "Festa nazionale di San Francesco d'Assisi, patrono d'Italia (dal 2026, L. 151/2025)".
// The note is removed from the name shown to citizens and the holiday does
// not apply before that year.
package holidays

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ScopeNational is the scope of a holiday that applies everywhere in Italy.
const ScopeNational = "national"

//go:embed festivita.csv
var embedded []byte

// Calendar is a parsed list of holiday rules. It is immutable and safe for
// concurrent use.
type Calendar struct {
	rules []rule
}

// rule is one row of the CSV file.
type rule struct {
	easter   bool       // relative to Easter Sunday
	offset   int        // days after Easter Sunday, when easter is set
	month    time.Month // fixed day, when easter is not set
	day      int
	name     string
	scope    string // ScopeNational or an ISTAT code
	fromYear int    // first year the holiday applies; 0 = always
}

var defaultCalendar = sync.OnceValue(func() *Calendar {
	c, err := Parse(bytes.NewReader(embedded))
	if err != nil {
		panic("holidays: embedded festivita.csv: " + err.Error())
	}
	return c
})

// Default returns the calendar parsed from the embedded festivita.csv. It is
// parsed once; an invalid embedded file is a programming error and panics.
func Default() *Calendar {
	return defaultCalendar()
}

var (
	fixedDay = regexp.MustCompile(`^(\d{2})-(\d{2})$`)
	easterRe = regexp.MustCompile(`^easter(?:([+-])(\d{1,3}))?$`)
	istatRe  = regexp.MustCompile(`^\d{6}$`)
	// fromNote matches the trailing "(dal 2026, L. 151/2025)" of a name.
	fromNote = regexp.MustCompile(`\s*\(dal (\d{4})\b[^()]*\)$`)
)

// Parse reads a holiday file (header date_or_rule,name,scope). Errors name the
// line they were found on.
func Parse(r io.Reader) (*Calendar, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 3
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, errors.New("holidays: line 1: missing header date_or_rule,name,scope")
	}
	if err != nil {
		return nil, fmt.Errorf("holidays: %w", err)
	}
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	if header[0] != "date_or_rule" || header[1] != "name" || header[2] != "scope" {
		return nil, fmt.Errorf("holidays: line 1: header is %q, want date_or_rule,name,scope", strings.Join(header, ","))
	}

	c := &Calendar{}
	seen := make(map[string]int) // day+scope → line, to reject duplicates
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return c, nil
		}
		if err != nil {
			return nil, fmt.Errorf("holidays: %w", err)
		}
		line, _ := cr.FieldPos(0)
		ru, err := parseRule(rec)
		if err != nil {
			return nil, fmt.Errorf("holidays: line %d: %w", line, err)
		}
		key := fmt.Sprint(ru.easter, ru.offset, ru.month, ru.day, ru.scope)
		if prev, ok := seen[key]; ok {
			return nil, fmt.Errorf("holidays: line %d: %s for scope %s already given on line %d", line, rec[0], ru.scope, prev)
		}
		seen[key] = line
		c.rules = append(c.rules, ru)
	}
}

func parseRule(rec []string) (rule, error) {
	var ru rule
	when := strings.TrimSpace(rec[0])
	switch {
	case fixedDay.MatchString(when):
		m := fixedDay.FindStringSubmatch(when)
		month, _ := strconv.Atoi(m[1])
		day, _ := strconv.Atoi(m[2])
		// 2024 is a leap year, so 02-29 is accepted; it simply matches
		// nothing in other years.
		if month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), 2024) {
			return ru, fmt.Errorf("invalid day %q", when)
		}
		ru.month, ru.day = time.Month(month), day
	case easterRe.MatchString(when):
		m := easterRe.FindStringSubmatch(when)
		ru.easter = true
		if m[2] != "" {
			ru.offset, _ = strconv.Atoi(m[2])
			if m[1] == "-" {
				ru.offset = -ru.offset
			}
		}
	default:
		return ru, fmt.Errorf("invalid date_or_rule %q: want MM-DD, easter or easter+N", when)
	}

	ru.name = strings.TrimSpace(rec[1])
	if m := fromNote.FindStringSubmatchIndex(ru.name); m != nil {
		ru.fromYear, _ = strconv.Atoi(ru.name[m[2]:m[3]])
		ru.name = ru.name[:m[0]]
	}
	if ru.name == "" {
		return ru, errors.New("empty name")
	}

	ru.scope = strings.TrimSpace(rec[2])
	if ru.scope != ScopeNational && !istatRe.MatchString(ru.scope) {
		return ru, fmt.Errorf("invalid scope %q: want national or a 6-digit ISTAT code", ru.scope)
	}
	return ru, nil
}

// Lookup reports whether the given day is a holiday for an office in the
// Comune with the given ISTAT code (national holidays apply to every Comune;
// an empty istat matches national holidays only). It returns the holiday's
// Italian name; when a national holiday and a patron day fall on the same
// day, the national one is returned.
func (c *Calendar) Lookup(year int, month time.Month, day int, istat string) (name string, ok bool) {
	// Normalise, so that callers may pass e.g. day 0 or 32.
	t := time.Date(year, month, day, 12, 0, 0, 0, time.UTC)
	year, month, day = t.Date()
	em, ed := Easter(year)
	easter := time.Date(year, em, ed, 12, 0, 0, 0, time.UTC)

	local := ""
	for _, ru := range c.rules {
		if ru.fromYear != 0 && year < ru.fromYear {
			continue
		}
		if ru.scope != ScopeNational && (istat == "" || ru.scope != istat) {
			continue
		}
		if ru.easter {
			if !easter.AddDate(0, 0, ru.offset).Equal(t) {
				continue
			}
		} else if ru.month != month || ru.day != day {
			continue
		}
		if ru.scope == ScopeNational {
			return ru.name, true
		}
		if local == "" {
			local = ru.name
		}
	}
	return local, local != ""
}

// Easter returns the date of Western (Gregorian) Easter Sunday in the given
// year, computed with the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
func Easter(year int) (month time.Month, day int) {
	a := year % 19
	b := year / 100
	c := year % 100
	d := b / 4
	e := b % 4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i := c / 4
	k := c % 4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month = time.Month((h + l - 7*m + 114) / 31)
	day = (h+l-7*m+114)%31 + 1
	return month, day
}

func daysIn(m time.Month, year int) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
