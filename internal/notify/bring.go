package notify

import (
	"cmp"
	"html/template"
	"slices"
	"strings"

	"github.com/udc-umbria/portal/internal/hours"
	"golang.org/x/net/html"
)

// Headings and leads of the closing blocks of the messages.
const (
	bringTitle     = "Cosa portare"
	officeTitle    = "Per informazioni contatta l'ufficio"
	hoursTitle     = "Orari settimanali"
	officeLinkLead = "Indirizzo, orari e chiusure dell'ufficio: "
)

// noDocuments is «Cosa portare» when the service sheet lists nothing: what
// the sheet says, not a list of its own.
const noDocuments = "La scheda del servizio non indica documenti da portare: se per la tua situazione servono documenti, te lo dirà l'ufficio."

// sourceLead introduces the link to the sheet «Cosa portare» comes from.
func (w WhatToBring) sourceLead() string {
	if w.SheetTitle == "" {
		return "Dalla scheda del servizio: "
	}
	return "Dalla scheda del servizio «" + w.SheetTitle + "»: "
}

// SourceLead is sourceLead for the HTML template.
func (w WhatToBring) SourceLead() string { return w.sourceLead() }

// Body is the section for the HTML part: the sheet's own (sanitised)
// HTML, or the sentence saying it lists nothing.
func (w WhatToBring) Body() template.HTML {
	if strings.TrimSpace(w.HTML) == "" {
		return template.HTML("<p>" + template.HTMLEscapeString(noDocuments) + "</p>")
	}
	// The sheet's HTML was sanitised when it was saved (scheda.Sanitize).
	return template.HTML(w.HTML)
}

// textLines is the section for the plain-text part: a line per paragraph,
// "- " before each list item.
func (w WhatToBring) textLines() []string {
	if lines := htmlLines(w.HTML); len(lines) > 0 {
		return lines
	}
	return []string{noDocuments}
}

// inline is the section on one line, for a calendar entry's description;
// "" when the sheet lists nothing.
func (w WhatToBring) inline() string {
	lines := htmlLines(w.HTML)
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(strings.TrimPrefix(l, "- "), ";")
	}
	return strings.Join(lines, "; ")
}

// htmlLines turns sanitised HTML into lines of text: each paragraph,
// list item or line break starts a line, list items with "- ".
func htmlLines(h string) []string {
	doc, err := html.Parse(strings.NewReader("<body>" + h + "</body>"))
	if err != nil {
		return nil
	}
	var lines []string
	var cur strings.Builder
	flush := func() {
		if t := strings.Join(strings.Fields(cur.String()), " "); t != "" && t != "-" {
			lines = append(lines, t)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
			return
		case n.Type == html.ElementNode && n.Data == "br":
			flush()
			return
		case n.Type == html.ElementNode && isBlock(n.Data):
			flush()
			if n.Data == "li" {
				cur.WriteString("- ")
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			flush()
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	flush()
	return lines
}

func isBlock(tag string) bool {
	switch tag {
	case "p", "li", "ul", "ol", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "table", "tr":
		return true
	}
	return false
}

// weekLines are the weekly hours, a line for each day the office opens,
// in time order: "lunedì: 9:00–13:00 accoglienza senza appuntamento,
// 15:00–17:00 su appuntamento".
func weekLines(weekly []hours.Interval) []string {
	sorted := slices.Clone(weekly)
	slices.SortStableFunc(sorted, func(a, b hours.Interval) int { return cmp.Compare(a.Start, b.Start) })
	var out []string
	for _, wd := range hours.Weekdays() {
		var parts []string
		for _, iv := range sorted {
			if iv.Weekday == wd && iv.Validate() == nil {
				parts = append(parts, iv.Span()+" "+kindWord(iv.Kind))
			}
		}
		if len(parts) > 0 {
			out = append(out, hours.WeekdayName(wd)+": "+strings.Join(parts, ", "))
		}
	}
	return out
}

// kindWord says what an opening is for, after its times.
func kindWord(k hours.Kind) string {
	switch k {
	case hours.KindWalkIn:
		return "accoglienza senza appuntamento"
	case hours.KindAppointment:
		return "su appuntamento"
	}
	return strings.ToLower(k.Label())
}
