package content

import (
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// FromHTML writes sanitised sheet HTML (paragraphs, lists, bold, italic,
// line breaks, links) as the Markdown that Render turns back into the
// same HTML, so that a sheet which exists only as HTML — the imported one
// — can be edited like any other. Elements it does not know keep their
// text.
func FromHTML(s string) string {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, _ := html.ParseFragment(strings.NewReader(s), ctx) // the HTML5 parser accepts any input
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return strings.Join(blocks(root), "\n\n")
}

// blocks renders the children of n as Markdown blocks: paragraphs and
// lists. Runs of inline content between blocks form a paragraph.
func blocks(n *html.Node) []string {
	var out []string
	var inline []*html.Node
	flush := func() {
		if p := paragraphText(inline); p != "" {
			out = append(out, p)
		}
		inline = nil
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.ElementNode && (c.DataAtom == atom.Ul || c.DataAtom == atom.Ol):
			flush()
			if l := list(c); l != "" {
				out = append(out, l)
			}
		case c.Type == html.ElementNode && blockContainer[c.DataAtom]:
			flush()
			out = append(out, blocks(c)...)
		case c.Type == html.ElementNode && c.DataAtom == atom.P:
			flush()
			if p := paragraphText([]*html.Node{c}); p != "" {
				out = append(out, p)
			}
		case c.Type == html.ElementNode && skipped[c.DataAtom]:
		default:
			inline = append(inline, c)
		}
	}
	flush()
	return out
}

// blockContainer are elements whose content is made of blocks; their own
// tag has no Markdown equivalent and is dropped.
var blockContainer = map[atom.Atom]bool{
	atom.Div: true, atom.Section: true, atom.Article: true, atom.Blockquote: true,
	atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true,
	atom.Table: true, atom.Tbody: true, atom.Thead: true, atom.Tr: true, atom.Td: true, atom.Th: true,
}

// skipped elements hold no readable text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Object: true, atom.Title: true,
}

// paragraphText renders inline nodes as one paragraph; a <br> is a line
// break (Render uses hard wraps). Line-start characters that Markdown
// would read as a list, heading or quote are escaped.
func paragraphText(nodes []*html.Node) string {
	var b strings.Builder
	for _, n := range nodes {
		inlineText(&b, n)
	}
	var lines []string
	for _, line := range strings.Split(b.String(), "\n") {
		line = strings.TrimSpace(spaces.ReplaceAllString(line, " "))
		if line != "" {
			lines = append(lines, escapeLineStart(line))
		}
	}
	return strings.Join(lines, "\n")
}

var spaces = regexp.MustCompile(`[ \t\r\f\v]+`)

// inlineText writes n as inline Markdown.
func inlineText(b *strings.Builder, n *html.Node) {
	switch n.Type {
	case html.TextNode:
		b.WriteString(escapeText(strings.ReplaceAll(n.Data, "\n", " ")))
		return
	case html.ElementNode:
	default:
		return
	}
	inner := func() string {
		var ib strings.Builder
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			inlineText(&ib, c)
		}
		return ib.String()
	}
	switch n.DataAtom {
	case atom.Br:
		b.WriteString("\n")
	case atom.B, atom.Strong:
		wrap(b, inner(), "**")
	case atom.I, atom.Em:
		wrap(b, inner(), "*")
	case atom.A:
		label := inner()
		href := attr(n, "href")
		if href == "" || strings.TrimSpace(label) == "" {
			b.WriteString(label)
			return
		}
		lead, core, trail := splitSpace(label)
		b.WriteString(lead + "[" + core + "](" + linkDestination(href) + ")" + trail)
	case atom.Ul, atom.Ol, atom.P, atom.Div, atom.Li:
		// A block inside inline content: keep its text on its own line.
		b.WriteString("\n" + inner() + "\n")
	default:
		if skipped[n.DataAtom] {
			return
		}
		b.WriteString(inner())
	}
}

// wrap writes s between delimiters, keeping surrounding spaces outside
// them ("** a **" would not be emphasis) and dropping empty emphasis.
func wrap(b *strings.Builder, s, delim string) {
	lead, core, trail := splitSpace(s)
	if core == "" {
		b.WriteString(s)
		return
	}
	b.WriteString(lead + delim + core + delim + trail)
}

func splitSpace(s string) (lead, core, trail string) {
	core = strings.TrimLeft(s, " \n")
	lead = s[:len(s)-len(core)]
	trimmed := strings.TrimRight(core, " \n")
	return lead, trimmed, core[len(trimmed):]
}

// list renders a ul or ol; nested lists are indented under their item.
func list(n *html.Node) string {
	var items []string
	num := 1
	if s := attr(n, "start"); s != "" {
		if v, err := strconv.Atoi(s); err == nil && v >= 0 {
			num = v
		}
	}
	for li := n.FirstChild; li != nil; li = li.NextSibling {
		if li.Type != html.ElementNode || li.DataAtom != atom.Li {
			continue
		}
		marker := "- "
		if n.DataAtom == atom.Ol {
			marker = strconv.Itoa(num) + ". "
			num++
		}
		body := strings.Join(blocks(li), "\n")
		if body == "" {
			continue
		}
		indent := strings.Repeat(" ", len(marker))
		lines := strings.Split(body, "\n")
		for i := 1; i < len(lines); i++ {
			if lines[i] != "" {
				lines[i] = indent + lines[i]
			}
		}
		items = append(items, marker+strings.Join(lines, "\n"))
	}
	return strings.Join(items, "\n")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

// linkDestination writes a URL so that Markdown reads it back whole.
func linkDestination(u string) string {
	if strings.ContainsAny(u, " ()<>") {
		return "<" + strings.NewReplacer("<", "%3C", ">", "%3E").Replace(u) + ">"
	}
	return u
}

// escapeText backslash-escapes the characters that Markdown would read as
// formatting inside a line.
func escapeText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '*', '_', '`', '[', ']', '<', '>', '&', '~', '|':
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// lineStart matches what, at the start of a line, Markdown reads as a
// list item, heading, quote, thematic break or code fence.
var lineStart = regexp.MustCompile(`^(?:[-+#=]|\d+[.)])`)

func escapeLineStart(line string) string {
	m := lineStart.FindString(line)
	switch {
	case m == "":
		return line
	case m[len(m)-1] == '.' || m[len(m)-1] == ')':
		// "2000. Legge" would be item 2000: escape the dot.
		return m[:len(m)-1] + `\` + line[len(m)-1:]
	default:
		return `\` + line
	}
}
