package notify

import (
	"cmp"
	"html/template"
	"slices"
	"strings"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"golang.org/x/net/html"
)

// sourceLead introduces the link to the sheet «Cosa portare» comes from.
func (w WhatToBring) sourceLead(l *i18n.Localizer) string {
	if w.SheetTitle == "" {
		return l.T("email.bring.source")
	}
	return l.T("email.bring.source_titled", "Title", w.SheetTitle)
}

// SourceLead is sourceLead for the HTML template.
func (v *view) SourceLead() string { return v.Bring.sourceLead(v.L) }

// BringBody is the section for the HTML part: the sheet's own (sanitised)
// HTML, or the sentence saying it lists nothing.
func (v *view) BringBody() template.HTML {
	w := v.Bring
	if strings.TrimSpace(w.HTML) == "" {
		return template.HTML("<p>" + template.HTMLEscapeString(v.T("email.bring.nothing")) + "</p>")
	}
	// The sheet's HTML was sanitised when it was saved (scheda.Sanitize).
	return template.HTML(w.HTML)
}

// textLines is the section for the plain-text part: a line per paragraph,
// "- " before each list item.
func (w WhatToBring) textLines(l *i18n.Localizer) []string {
	if lines := htmlLines(w.HTML); len(lines) > 0 {
		return lines
	}
	return []string{l.T("email.bring.nothing")}
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
func weekLines(l *i18n.Localizer, weekly []hours.Interval) []string {
	sorted := slices.Clone(weekly)
	slices.SortStableFunc(sorted, func(a, b hours.Interval) int { return cmp.Compare(a.Start, b.Start) })
	var out []string
	for _, wd := range hours.Weekdays() {
		var parts []string
		for _, iv := range sorted {
			if iv.Weekday == wd && iv.Validate() == nil {
				parts = append(parts, iv.Span()+" "+kindWord(l, iv.Kind))
			}
		}
		if len(parts) > 0 {
			out = append(out, l.Weekday(wd)+": "+strings.Join(parts, ", "))
		}
	}
	return out
}

// kindWord says what an opening is for, after its times.
func kindWord(l *i18n.Localizer, k hours.Kind) string {
	switch k {
	case hours.KindWalkIn:
		return l.T("email.hours.walk_in")
	case hours.KindAppointment:
		return l.T("email.hours.appointment")
	}
	return strings.ToLower(k.Label())
}
