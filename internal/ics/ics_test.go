package ics

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
)

func rt(y int, m time.Month, d, h, mi int) time.Time {
	return time.Date(y, m, d, h, mi, 0, 0, hours.Rome())
}

// crlf joins golden lines the way the file is written.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

var header = []string{
	"BEGIN:VCALENDAR",
	"PRODID:-//Uffici della Cittadinanza dell'Umbria//Portale appuntamenti//IT",
	"VERSION:2.0",
	"CALSCALE:GREGORIAN",
}

var timezone = []string{
	"BEGIN:VTIMEZONE",
	"TZID:Europe/Rome",
	"X-LIC-LOCATION:Europe/Rome",
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

func golden(method string, event ...string) string {
	lines := append(append([]string{}, header...), "METHOD:"+method)
	lines = append(lines, timezone...)
	lines = append(lines, event...)
	return crlf(append(lines, "END:VCALENDAR")...)
}

func TestCalendar_December(t *testing.T) {
	e := Event{
		UID:         UID("UDC-7K3M-9QX2", "udc.umbria.it"),
		Start:       rt(2026, 12, 10, 10, 0),
		End:         rt(2026, 12, 10, 10, 45),
		Summary:     "Appuntamento con l'assistente sociale",
		Location:    "Ufficio della Cittadinanza, Via XX Settembre 1, Perugia",
		Description: "Codice: UDC-7K3M-9QX2\nPorta un documento d'identità.",
		URL:         "https://udc.umbria.it/appuntamento/abc_DEF-123",
		Stamp:       time.Date(2026, 12, 1, 8, 30, 5, 0, time.UTC),
	}
	want := golden("PUBLISH",
		"BEGIN:VEVENT",
		"UID:UDC-7K3M-9QX2@udc.umbria.it",
		"SEQUENCE:0",
		"DTSTAMP:20261201T083005Z",
		"DTSTART;TZID=Europe/Rome:20261210T100000",
		"DTEND;TZID=Europe/Rome:20261210T104500",
		"SUMMARY:Appuntamento con l'assistente sociale",
		`LOCATION:Ufficio della Cittadinanza\, Via XX Settembre 1\, Perugia`,
		`DESCRIPTION:Codice: UDC-7K3M-9QX2\nPorta un documento d'identità.`,
		"URL:https://udc.umbria.it/appuntamento/abc_DEF-123",
		"STATUS:CONFIRMED",
		"TRANSP:OPAQUE",
		"END:VEVENT",
	)
	if got := string(Calendar(e)); got != want {
		t.Errorf("Calendar =\n%s\nwant\n%s", got, want)
	}
	if ct := ContentType(e); ct != "text/calendar; charset=utf-8; method=PUBLISH" {
		t.Errorf("ContentType = %q", ct)
	}
}

func TestCalendar_July_SummerTimeWrittenAsLocal(t *testing.T) {
	// Given in UTC: 07:30 UTC is 09:30 in Rome in summer.
	e := Event{
		UID:       "UDC-ABCD-EFGH@udc.umbria.it",
		Sequence:  2,
		Start:     time.Date(2026, 7, 16, 7, 30, 0, 0, time.UTC),
		End:       time.Date(2026, 7, 16, 8, 15, 0, 0, time.UTC),
		Summary:   "Appuntamento con l'educatore professionale",
		Stamp:     rt(2026, 7, 1, 12, 0), // 10:00 UTC
		Tentative: true,
	}
	want := golden("PUBLISH",
		"BEGIN:VEVENT",
		"UID:UDC-ABCD-EFGH@udc.umbria.it",
		"SEQUENCE:2",
		"DTSTAMP:20260701T100000Z",
		"DTSTART;TZID=Europe/Rome:20260716T093000",
		"DTEND;TZID=Europe/Rome:20260716T101500",
		"SUMMARY:Appuntamento con l'educatore professionale",
		"STATUS:TENTATIVE",
		"TRANSP:OPAQUE",
		"END:VEVENT",
	)
	if got := string(Calendar(e)); got != want {
		t.Errorf("Calendar =\n%s\nwant\n%s", got, want)
	}
}

func TestCalendar_Cancel(t *testing.T) {
	e := Event{
		UID:            "UDC-7K3M-9QX2@udc.umbria.it",
		Sequence:       3,
		Start:          rt(2026, 12, 10, 10, 0),
		End:            rt(2026, 12, 10, 10, 45),
		Summary:        "Appuntamento annullato",
		Cancelled:      true,
		Tentative:      true, // a cancellation wins
		OrganizerName:  `Ufficio "della" Cittadinanza di Perugia`,
		OrganizerEmail: "udc.perugia@example.it",
		Stamp:          time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC),
	}
	want := golden("CANCEL",
		"BEGIN:VEVENT",
		"UID:UDC-7K3M-9QX2@udc.umbria.it",
		"SEQUENCE:3",
		"DTSTAMP:20261205T090000Z",
		"DTSTART;TZID=Europe/Rome:20261210T100000",
		"DTEND;TZID=Europe/Rome:20261210T104500",
		"SUMMARY:Appuntamento annullato",
		`ORGANIZER;CN="Ufficio della Cittadinanza di Perugia":mailto:udc.perugia@exa`,
		" mple.it",
		"STATUS:CANCELLED",
		"TRANSP:OPAQUE",
		"END:VEVENT",
	)
	if got := string(Calendar(e)); got != want {
		t.Errorf("Calendar =\n%s\nwant\n%s", got, want)
	}
	if ct := ContentType(e); ct != "text/calendar; charset=utf-8; method=CANCEL" {
		t.Errorf("ContentType = %q", ct)
	}
}

func TestText_Escaping(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"uno\r\ndue\rtre\nquattro", `uno\ndue\ntre\nquattro`},
		{`\n is not a newline`, `\\n is not a newline`},
		{"tab\tok, bell\a and nul\x00 gone", `tab` + "\t" + `ok\, bell and nul gone`},
		{"città: è", "città: è"},
		{"bad \xff byte", "bad  byte"},
	}
	for _, tt := range tests {
		if got := Text(tt.in); got != tt.want {
			t.Errorf("Text(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// unfold undoes Fold (RFC 5545, section 3.1).
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

// unescape undoes Text.
func unescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}

func TestCalendar_LongUTF8Description_FoldedAndRestored(t *testing.T) {
	desc := strings.Repeat("Perché è già lì, più in là: città, qualità; «virgolette» – 🙂 ", 12) +
		"\nCosa portare: documento d'identità, tessera sanitaria, ISEE in corso di validità."
	e := Event{UID: "x@y", Start: rt(2026, 12, 10, 10, 0), End: rt(2026, 12, 10, 10, 45),
		Summary: strings.Repeat("é", 80), Description: desc, Stamp: rt(2026, 12, 1, 9, 0)}
	out := Calendar(e)
	if !bytes.HasSuffix(out, []byte("\r\n")) {
		t.Fatal("file does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(string(out), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a character: %q", i, line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare line break", i)
		}
	}
	text := unfold(string(out))
	var gotDesc, gotSummary string
	for _, l := range strings.Split(text, "\r\n") {
		if v, ok := strings.CutPrefix(l, "DESCRIPTION:"); ok {
			gotDesc = unescape(v)
		}
		if v, ok := strings.CutPrefix(l, "SUMMARY:"); ok {
			gotSummary = unescape(v)
		}
	}
	if gotDesc != desc {
		t.Errorf("unfolded description =\n%q\nwant\n%q", gotDesc, desc)
	}
	if gotSummary != e.Summary {
		t.Errorf("unfolded summary = %q", gotSummary)
	}
}

func TestFold(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
	}{
		{"short", "SUMMARY:ciao", []string{"SUMMARY:ciao"}},
		{"exactly 75", strings.Repeat("a", 75), []string{strings.Repeat("a", 75)}},
		{"76", strings.Repeat("a", 76), []string{strings.Repeat("a", 75), " a"}},
		{"continuation holds 74", strings.Repeat("a", 75+74+1),
			[]string{strings.Repeat("a", 75), " " + strings.Repeat("a", 74), " a"}},
		// 74 ASCII bytes then "è" (2 bytes) would end at 76: "è" moves down.
		{"two-byte character at the edge", strings.Repeat("a", 74) + "èb",
			[]string{strings.Repeat("a", 74), " èb"}},
		// A 4-byte emoji starting at octet 73 does not fit.
		{"four-byte character at the edge", strings.Repeat("a", 72) + "🙂🙂",
			[]string{strings.Repeat("a", 72), " 🙂🙂"}},
		{"invalid UTF-8 does not loop", strings.Repeat("\x80", 80),
			[]string{strings.Repeat("\x80", 75), " " + strings.Repeat("\x80", 5)}},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != crlf(tt.want...) {
			t.Errorf("%s: Fold = %q, want %q", tt.name, got, crlf(tt.want...))
		}
	}
}

func TestCalendar_DSTDay_OffsetsFollowTheRules(t *testing.T) {
	// On the last Sunday of October 2026 an appointment at 10:00 (CET) is
	// written as local time; the VTIMEZONE tells calendars it is +0100.
	e := Event{UID: "x@y", Start: rt(2026, 10, 25, 10, 0), End: rt(2026, 10, 25, 11, 0), Stamp: rt(2026, 10, 1, 0, 0)}
	if !strings.Contains(string(Calendar(e)), "DTSTART;TZID=Europe/Rome:20261025T100000\r\n") {
		t.Error("DTSTART not in local time")
	}
	e.Start, e.End = rt(2026, 3, 29, 10, 0), rt(2026, 3, 29, 11, 0)
	if !strings.Contains(string(Calendar(e)), "DTEND;TZID=Europe/Rome:20260329T110000\r\n") {
		t.Error("DTEND not in local time")
	}
}
