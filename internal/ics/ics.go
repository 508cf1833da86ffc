// Package ics writes an appointment as an iCalendar file (RFC 5545) that
// citizens can add to their calendar: one VEVENT in Europe/Rome time, with
// the VTIMEZONE that defines it.
//
// The format is small enough to write by hand, which keeps the escaping
// and line folding rules in plain sight.
package ics

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
)

// ProdID identifies the program that made the file (PRODID).
const ProdID = "-//Uffici della Cittadinanza dell'Umbria//Portale appuntamenti//IT"

// TZID is the time zone of every date-time in the file.
const TZID = "Europe/Rome"

// Event is one appointment.
type Event struct {
	// UID identifies the appointment across updates: every file about the
	// same appointment (confirmation, move, cancellation) carries the same
	// UID. See UID.
	UID string
	// Sequence is the revision number: 0 when booked, one more each time
	// the appointment is moved, and one more again when it is cancelled, so
	// that calendars apply the newest file.
	Sequence int
	// Start and End are the instants of the appointment; they are written
	// as wall-clock times in Rome.
	Start, End time.Time
	// Summary is the title, Location the office's name and address, and
	// Description free text (line breaks allowed).
	Summary, Location, Description string
	// URL is the citizen's link to view, move or cancel the appointment.
	URL string
	// Cancelled writes a cancellation (METHOD:CANCEL, STATUS:CANCELLED)
	// instead of the appointment itself.
	Cancelled bool
	// OrganizerName and OrganizerEmail, when the e-mail is set, write an
	// ORGANIZER (the office). RFC 5546 requires one in a cancellation, and
	// some calendars ignore a cancellation without it.
	OrganizerName, OrganizerEmail string
	// Tentative marks a request that the office has not confirmed yet
	// (STATUS:TENTATIVE instead of CONFIRMED).
	Tentative bool
	// Stamp is when the file is made (DTSTAMP); the caller passes the
	// current instant.
	Stamp time.Time
}

// UID returns the UID of the appointment with the given booking code:
// "UDC-7K3M-9QX2@host". host should be the portal's domain, which makes
// the UID unique worldwide.
func UID(bookingCode, host string) string { return bookingCode + "@" + host }

// ContentType returns the MIME type of the file, to use for the e-mail
// attachment: "text/calendar; charset=utf-8; method=PUBLISH" (or CANCEL).
func ContentType(e Event) string {
	return "text/calendar; charset=utf-8; method=" + method(e)
}

// Filename is the name of the attachment.
const Filename = "appuntamento.ics"

func method(e Event) string {
	if e.Cancelled {
		return "CANCEL"
	}
	return "PUBLISH"
}

// vtimezone defines Europe/Rome with the EU rules in force since 1996:
// summer time from the last Sunday of March at 02:00 to the last Sunday of
// October at 03:00 (local time). The DTSTARTs are the first such Sundays of
// 1970, so that the rules cover any date an appointment can have.
var vtimezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:" + TZID,
	"X-LIC-LOCATION:" + TZID,
	"BEGIN:DAYLIGHT",
	"TZOFFSETFROM:+0100",
	"TZOFFSETTO:+0200",
	"TZNAME:CEST",
	"DTSTART:19700329T020000",
	"RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
	"END:DAYLIGHT",
	"BEGIN:STANDARD",
	"TZOFFSETFROM:+0200",
	"TZOFFSETTO:+0100",
	"TZNAME:CET",
	"DTSTART:19701025T030000",
	"RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
	"END:STANDARD",
	"END:VTIMEZONE",
}

// Calendar returns the iCalendar file of the event: CRLF line endings,
// lines folded at 75 octets, text escaped.
func Calendar(e Event) []byte {
	lines := []string{
		"BEGIN:VCALENDAR",
		"PRODID:" + ProdID,
		"VERSION:2.0",
		"CALSCALE:GREGORIAN",
		"METHOD:" + method(e),
	}
	lines = append(lines, vtimezone...)
	status := "CONFIRMED"
	switch {
	case e.Cancelled:
		status = "CANCELLED"
	case e.Tentative:
		status = "TENTATIVE"
	}
	lines = append(lines,
		"BEGIN:VEVENT",
		"UID:"+Text(e.UID),
		"SEQUENCE:"+strconv.Itoa(max(e.Sequence, 0)),
		"DTSTAMP:"+e.Stamp.UTC().Format("20060102T150405Z"),
		"DTSTART;TZID="+TZID+":"+local(e.Start),
		"DTEND;TZID="+TZID+":"+local(e.End),
		"SUMMARY:"+Text(e.Summary),
	)
	if e.OrganizerEmail != "" {
		org := "ORGANIZER"
		if cn := paramValue(e.OrganizerName); cn != "" {
			org += `;CN="` + cn + `"`
		}
		lines = append(lines, org+":mailto:"+stripControl(e.OrganizerEmail))
	}
	if e.Location != "" {
		lines = append(lines, "LOCATION:"+Text(e.Location))
	}
	if e.Description != "" {
		lines = append(lines, "DESCRIPTION:"+Text(e.Description))
	}
	if e.URL != "" {
		// A URI value is not TEXT: no escaping, but no line breaks either.
		lines = append(lines, "URL:"+stripControl(e.URL))
	}
	lines = append(lines,
		"STATUS:"+status,
		"TRANSP:OPAQUE",
		"END:VEVENT",
		"END:VCALENDAR",
	)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(Fold(l))
	}
	return []byte(b.String())
}

// local writes t as a wall-clock time in Rome: "20261210T100000".
func local(t time.Time) string { return t.In(hours.Rome()).Format("20060102T150405") }

// Text escapes s as an iCalendar TEXT value: backslash, semicolon and
// comma get a backslash, line breaks (CRLF, CR or LF) become "\n", and
// other control characters, which TEXT may not contain, are dropped.
func Text(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\':
			b.WriteString(`\\`)
		case ';':
			b.WriteString(`\;`)
		case ',':
			b.WriteString(`\,`)
		case '\n', '\r':
			b.WriteString(`\n`)
		case '\t':
			b.WriteRune(r)
		default:
			if !unicode.Is(unicode.Cc, r) && r != utf8.RuneError {
				b.WriteRune(r)
			}
		}
	}
	return b.String()
}

// paramValue makes s safe inside a quoted parameter value, which may not
// hold double quotes or control characters.
func paramValue(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '"' || unicode.Is(unicode.Cc, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// stripControl removes from a URI what may not be in it unescaped.
func stripControl(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Cc, r) || r == ' ' || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
}

// maxLine is the longest line, in octets, line break excluded (RFC 5545,
// section 3.1).
const maxLine = 75

// Fold ends the content line with CRLF and folds it so that no line is
// longer than 75 octets: each continuation line starts with one space. It
// never splits a UTF-8 character.
func Fold(line string) string {
	var b strings.Builder
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8: cut anywhere rather than loop forever
			cut = limit
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
