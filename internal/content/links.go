package content

import (
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"
)

// Link is a titled link of a sheet's sources; URL may be empty when no
// address is known.
type Link struct {
	Title string
	URL   string
}

// MaxLinkTitle bounds the title of one source, in characters.
const MaxLinkTitle = 300

// ParseLinks reads sources written one a line as "Titolo | URL" (the URL
// may be left out: "Titolo"). Blank lines are ignored. Problems are
// returned in Italian, one per bad line, with its number.
func ParseLinks(s string) ([]Link, []string) {
	var links []Link
	var problems []string
	for i, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		n := i + 1
		title, addr := line, ""
		if at := strings.LastIndex(line, "|"); at >= 0 {
			title, addr = strings.TrimSpace(line[:at]), strings.TrimSpace(line[at+1:])
		}
		title = strings.Join(strings.Fields(title), " ")
		switch {
		case title == "":
			problems = append(problems, fmt.Sprintf("Riga %d: scrivi il titolo prima della barra verticale.", n))
			continue
		case utf8.RuneCountInString(title) > MaxLinkTitle:
			problems = append(problems, fmt.Sprintf("Riga %d: il titolo può avere al massimo %d caratteri.", n, MaxLinkTitle))
			continue
		}
		if addr != "" {
			u, ok := WebURL(addr)
			if !ok {
				problems = append(problems, fmt.Sprintf("Riga %d: l'indirizzo deve essere completo e iniziare con https:// o http://.", n))
				continue
			}
			addr = u
		}
		links = append(links, Link{Title: title, URL: addr})
	}
	return links, problems
}

// FormatLinks writes links in the form ParseLinks reads.
func FormatLinks(links []Link) string {
	var b strings.Builder
	for _, l := range links {
		b.WriteString(l.Title)
		if l.URL != "" {
			b.WriteString(" | " + l.URL)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// WebURL returns s normalised when it is an absolute http or https URL
// with a host.
func WebURL(s string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || strings.ContainsAny(s, " \t") {
		return "", false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
	default:
		return "", false
	}
	u.Scheme = strings.ToLower(u.Scheme)
	return u.String(), true
}
