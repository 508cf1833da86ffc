// Package scheda parses and sanitises a service sheet ("scheda servizio")
// export into the content of a Designers Italia "Scheda servizio" page.
//
// The export has one field per line: the label in bold, a TAB, then the value
// as HTML:
//
//	<b>Titolo</b>	<b>UFFICIO DELLA CITTADINANZA</b>
//
// Blank lines, CRLF endings and a missing final newline are accepted.
package scheda

import (
	"bytes"
	_ "embed"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"
	_ "time/tzdata" // the binary may run where the system has no zoneinfo
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/slug"
)

// Seed is the default sheet (Ufficio della Cittadinanza), embedded so the
// binary can import demo data without the shared seed directory.
//
//go:embed seed/scheda-ufficio-della-cittadinanza.txt
var Seed []byte

// Sheet is the structured content of a "Scheda servizio" page. The *HTML
// fields hold sanitised HTML (see Sanitize) and may be empty; every other
// string is plain text, to be escaped when rendered.
type Sheet struct {
	// Slug is the URL path segment derived from the title.
	Slug string
	// Title is the service name, title-cased when the export shouts it.
	Title string
	// Summary is the first sentence of the description.
	Summary string
	// Category is the "Argomento" value as exported, e.g.
	// "Assistenza Sociale > Servizi Sociali Comunali".
	Category string

	// DescriptionHTML is the whole "Descrizione del Servizio".
	DescriptionHTML string
	// AddressedHTML is "A chi è rivolto" (from "Requisiti").
	AddressedHTML string
	// HowToHTML is "Come fare" (from "Procedura").
	HowToHTML string
	// NeededHTML is "Cosa serve" (from "Documentazione").
	NeededHTML string
	// AchievedHTML is "Cosa si ottiene": the first list found in the
	// description, as a plain <ul>.
	AchievedHTML string
	// CostHTML is "Il servizio è gratuito." when the description says the
	// service is free, empty otherwise.
	CostHTML string
	// WhereHTML is "Dove rivolgersi".
	WhereHTML string
	// OtherInfoHTML is "Altre informazioni".
	OtherInfoHTML string
	// TerritorialScope is "Ambito territoriale", e.g. "Nazionale".
	TerritorialScope string

	// LegalSources are the references found in "Fonti Normative".
	LegalSources []LegalSource
	// OfficialSources are the links found in "Fonte ufficiale".
	OfficialSources []Link

	// Author is who wrote the sheet (metadata, not shown as content).
	Author string
	// Updated is the sheet's date, at midnight in Europe/Rome.
	Updated time.Time
}

// LegalSource is one law, article or plan cited by a sheet. URL is empty
// when the reference cannot be linked with certainty.
type LegalSource struct {
	Title string
	URL   string
}

// Link is a titled reference. URL is empty when the export carried no usable
// http(s) address, in which case only the title is shown.
type Link struct {
	Title string
	URL   string
}

// Labels of the export, as written by the source system.
const (
	labelTopic       = "Argomento"
	labelTitle       = "Titolo"
	labelDescription = "Descrizione del Servizio"
	labelRequisites  = "Requisiti"
	labelScope       = "Ambito territoriale"
	labelWhere       = "Dove rivolgersi"
	labelDocuments   = "Documentazione"
	labelProcedure   = "Procedura"
	labelLaws        = "Fonti Normative"
	labelOtherInfo   = "Altre informazioni"
	labelOfficial    = "Fonte ufficiale"
	labelAuthor      = "Autore"
	labelDate        = "Data"
)

// knownLabels maps the folded label to its canonical spelling.
var knownLabels = func() map[string]string {
	m := make(map[string]string)
	for _, l := range []string{
		labelTopic, labelTitle, labelDescription, labelRequisites, labelScope,
		labelWhere, labelDocuments, labelProcedure, labelLaws, labelOtherInfo,
		labelOfficial, labelAuthor, labelDate,
	} {
		m[foldLabel(l)] = l
	}
	return m
}()

// requiredLabels must appear in every sheet, in the order they are reported
// when missing.
var requiredLabels = []string{labelTitle, labelDescription, labelRequisites, labelProcedure, labelDate}

var dateFormat = regexp.MustCompile(`^\d{2}/\d{2}/\d{4}$`)

// rome is where the sheet's date is a calendar day.
var rome = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Rome")
	if err != nil {
		panic(err) // unreachable: time/tzdata is embedded
	}
	return loc
}()

// field is one labelled line of the export.
type field struct {
	line  int
	value string
}

// Parse reads a sheet export. When the export has problems it returns a
// ParseErrors listing all of them; a failure to read r is returned wrapped.
func Parse(r io.Reader) (*Sheet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("scheda: read: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))

	var errs ParseErrors
	fail := func(line int, format string, args ...any) {
		errs = append(errs, ParseError{Line: line, Msg: fmt.Sprintf(format, args...)})
	}

	fields := make(map[string]field)
	for i, line := range strings.Split(string(data), "\n") {
		n := i + 1
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		if !utf8.ValidString(line) {
			fail(n, "invalid UTF-8 (the export must be saved as UTF-8)")
			continue
		}
		label, value, ok := splitLine(line)
		if !ok {
			fail(n, "malformed line: want <b>Label</b>, a TAB, then the value")
			continue
		}
		canon, known := knownLabels[foldLabel(label)]
		if !known {
			fail(n, "unknown label %q", label)
			continue
		}
		if prev, dup := fields[canon]; dup {
			fail(n, "duplicate label %q (first on line %d)", canon, prev.line)
			continue
		}
		fields[canon] = field{line: n, value: value}
	}

	s := &Sheet{}
	if f, ok := fields[labelTitle]; ok {
		s.Title = titleCase(plainText(f.value))
		s.Slug = slug.Make(s.Title)
		switch {
		case s.Title == "":
			fail(f.line, "empty value for %q", labelTitle)
		case s.Slug == "":
			fail(f.line, "title %q has no letters or digits", s.Title)
		}
	}
	if f, ok := fields[labelDate]; ok {
		v := plainText(f.value)
		d, err := time.ParseInLocation("02/01/2006", v, rome)
		if !dateFormat.MatchString(v) || err != nil {
			fail(f.line, "bad date %q for %q: want DD/MM/YYYY", v, labelDate)
		}
		s.Updated = d
	}
	sort.SliceStable(errs, func(i, j int) bool { return errs[i].Line < errs[j].Line })
	for _, l := range requiredLabels {
		if _, ok := fields[l]; !ok {
			fail(0, "missing label %q", l)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}

	desc := polishedTree(fields[labelDescription].value)
	descText := textBlocks(desc)
	if len(descText) > 0 {
		s.Summary = firstSentence(descText[0])
	}
	s.DescriptionHTML = Sanitize(renderChildren(desc))
	s.AchievedHTML = firstListHTML(desc)
	if isFree(strings.Join(descText, " ")) {
		s.CostHTML = "Il servizio è gratuito."
	}

	s.Category = plainText(fields[labelTopic].value)
	s.AddressedHTML = sectionHTML(fields[labelRequisites].value)
	s.HowToHTML = sectionHTML(fields[labelProcedure].value)
	s.NeededHTML = sectionHTML(fields[labelDocuments].value)
	s.WhereHTML = sectionHTML(fields[labelWhere].value)
	s.OtherInfoHTML = sectionHTML(fields[labelOtherInfo].value)
	s.TerritorialScope = plainText(fields[labelScope].value)
	s.LegalSources = legalSources(fields[labelLaws].value)
	s.OfficialSources = officialSources(fields[labelOfficial].value)
	s.Author = plainText(fields[labelAuthor].value)
	return s, nil
}

// splitLine splits `<b>Label</b>` TAB value. A label with nothing after it
// is accepted with an empty value, because editors often strip the TAB that
// precedes an empty value.
func splitLine(line string) (label, value string, ok bool) {
	rest := strings.TrimLeft(line, " \t")
	if len(rest) < 3 || !strings.EqualFold(rest[:3], "<b>") {
		return "", "", false
	}
	rest = rest[3:]
	end := strings.Index(strings.ToLower(rest), "</b>")
	if end < 0 {
		return "", "", false
	}
	label, rest = rest[:end], rest[end+len("</b>"):]
	rest = strings.TrimLeft(rest, " ")
	switch {
	case strings.TrimSpace(rest) == "":
		return label, "", true
	case rest[0] != '\t':
		return "", "", false
	}
	return label, strings.TrimSpace(rest[1:]), true
}

// foldLabel is the form labels are compared in.
func foldLabel(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(s), " "))
}

var (
	freeWord   = regexp.MustCompile(`(?i)\bgratuit[oaie]\b|\bgratuitamente\b`)
	notFreeRef = regexp.MustCompile(`(?i)\bnon\s+(?:è\s+|e['’]\s+|sono\s+|risulta\s+)?gratuit`)
)

// isFree reports whether text says the service is free of charge.
func isFree(text string) bool {
	return freeWord.MatchString(text) && !notFreeRef.MatchString(text)
}
