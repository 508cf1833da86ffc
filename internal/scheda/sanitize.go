package scheda

import (
	"net/url"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// policy is built once and only read afterwards; bluemonday policies are
// safe for concurrent use once configured.
var policy = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "ul", "ol", "li", "b", "strong", "i", "em", "br")
	// Relative links are allowed only as paths of this site ("/comuni"):
	// the regexp refuses "//host" and "/\\host", which browsers read as
	// another site, and "#", "?x" or "page" relative to the current one.
	p.AllowAttrs("href").Matching(allowedHref).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.RequireParseableURLs(true)
	p.AllowRelativeURLs(true)
	// Stripped block tags (div, h2, td…) would otherwise glue words together.
	p.AddSpaceWhenStrippingTag(true)
	return p
}()

// allowedHref is what an href may start with: an allowed scheme, or a
// single slash followed by anything but a slash or backslash (a path of
// this site).
var allowedHref = regexp.MustCompile(`^(?i:https?:|mailto:|/(?:$|[^/\\]))`)

// Sanitize returns html reduced to basic formatting: p, ul, ol, li, b,
// strong, i, em, br, and a with an http, https or mailto href or a path of
// this site such as "/comuni" (given rel="noopener"). Every other element is dropped, keeping its text except
// for script, style and the like; every other attribute — style, class,
// on* handlers — is dropped. Whitespace is collapsed and empty paragraphs
// and list items are removed. Use it on every piece of HTML that did not come
// from our own templates, including staff-edited content.
func Sanitize(s string) string {
	root := parseFragment(policy.Sanitize(s))
	tidy(root)
	return renderChildren(root)
}

// sectionHTML turns an imported value into a page section.
func sectionHTML(raw string) string {
	return Sanitize(renderChildren(polishedTree(raw)))
}

// firstListHTML returns the items of the first list in root as a plain,
// sanitised <ul>, or "" when there is none.
func firstListHTML(root *html.Node) string {
	list := find(root, func(n *html.Node) bool {
		return n.Type == html.ElementNode && (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol)
	})
	if list == nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for li := list.FirstChild; li != nil; li = li.NextSibling {
		if li.Type == html.ElementNode && li.DataAtom == atom.Li {
			b.WriteString("<li>")
			b.WriteString(renderChildren(li))
			b.WriteString("</li>")
		}
	}
	b.WriteString("</ul>")
	out := Sanitize(b.String())
	if out == "<ul></ul>" {
		return ""
	}
	return out
}

// parseFragment parses s as the content of a <body> and returns a detached
// container holding the result.
func parseFragment(s string) *html.Node {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	// A strings.Reader never fails, and the HTML5 parser accepts any input.
	nodes, _ := html.ParseFragment(strings.NewReader(s), ctx)
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// renderChildren renders the content of n (not n itself).
func renderChildren(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		_ = html.Render(&b, c) // writing to a strings.Builder cannot fail
	}
	// Apostrophes are common in Italian and safe in text and in the
	// double-quoted attributes the renderer writes; keep them readable.
	return strings.ReplaceAll(b.String(), "&#39;", "'")
}

// find returns the first node under root, in document order, matching ok.
func find(root *html.Node, ok func(*html.Node) bool) *html.Node {
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if ok(c) {
			return c
		}
		if n := find(c, ok); n != nil {
			return n
		}
	}
	return nil
}

// blockElements are the elements that break a line of text.
var blockElements = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Ul: true, atom.Ol: true, atom.Li: true,
	atom.Br: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Table: true, atom.Tr: true, atom.Td: true,
	atom.Th: true, atom.Blockquote: true, atom.Section: true, atom.Article: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Hr: true,
}

// skippedElements hold no readable text.
var skippedElements = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Template: true, atom.Noscript: true,
	atom.Iframe: true, atom.Object: true, atom.Title: true,
}

func isBlock(n *html.Node) bool {
	return n != nil && n.Type == html.ElementNode && blockElements[n.DataAtom]
}

// textBlocks returns the readable text under root, one entry per block
// (paragraph, list item…), whitespace collapsed, empty blocks dropped.
func textBlocks(root *html.Node) []string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || skippedElements[c.DataAtom]:
			case isBlock(c):
				b.WriteByte('\n')
				walk(c)
				b.WriteByte('\n')
			default:
				walk(c)
			}
		}
	}
	walk(root)
	var blocks []string
	for _, line := range strings.Split(b.String(), "\n") {
		if line = collapseSpace(line); line != "" {
			blocks = append(blocks, line)
		}
	}
	return blocks
}

// plainText returns the text of an HTML value on one line.
func plainText(s string) string {
	return strings.Join(textBlocks(parseFragment(s)), " ")
}

var spaceRun = regexp.MustCompile(`[ \t\r\n\f\v]+`)

// collapseSpace trims s and turns every run of ASCII whitespace into one
// space. Non-breaking spaces are kept: they are usually deliberate.
func collapseSpace(s string) string {
	return strings.TrimSpace(spaceRun.ReplaceAllString(s, " "))
}

// tidy normalises a sanitised tree in place: links get rel="noopener",
// whitespace is collapsed and empty formatting is removed.
func tidy(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		switch c.Type {
		case html.TextNode:
			c.Data = spaceRun.ReplaceAllString(c.Data, " ")
		case html.ElementNode:
			tidy(c)
			if c.DataAtom == atom.A {
				setAttr(c, "rel", "noopener")
			}
			if isEmpty(c) {
				n.RemoveChild(c)
			}
		default:
			n.RemoveChild(c) // comments, doctypes
		}
		c = next
	}
	// Whitespace next to a block boundary renders as nothing; drop it so the
	// stored HTML is stable and compact.
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.TextNode {
			if c.PrevSibling == nil || isBlock(c.PrevSibling) {
				c.Data = strings.TrimLeft(c.Data, " ")
			}
			if c.NextSibling == nil || isBlock(c.NextSibling) {
				c.Data = strings.TrimRight(c.Data, " ")
			}
			if c.Data == "" {
				n.RemoveChild(c)
			}
		}
		c = next
	}
}

// isEmpty reports whether an element carries nothing worth showing: no text
// and no children other than line breaks. br itself is never empty.
func isEmpty(n *html.Node) bool {
	if n.DataAtom == atom.Br {
		return false
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) != "":
			return false
		case c.Type == html.ElementNode && c.DataAtom != atom.Br:
			return false
		}
	}
	return true
}

func setAttr(n *html.Node, key, val string) {
	for i := range n.Attr {
		if n.Attr[i].Key == key {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

var (
	// bullet is a typed list marker at the start of an item, left over from
	// lists whose real markers were hidden with CSS.
	bullet = regexp.MustCompile(`^\s*(?:[•·▪◦‣∙●]\s*|[-–*]\s+)`)
	// elidedE is "E'" (a keyboard stand-in for "È") starting a sentence.
	elidedE = regexp.MustCompile(`(^|[.!?]\s+)E['’](\s)`)
	// spaceBeforePunct is a space typed before ; : or , — not Italian usage.
	spaceBeforePunct = regexp.MustCompile(`\s+([;:,])`)
)

// polishedTree parses an imported value and fixes the export's typing
// habits without changing what it says: typed bullets in list items, "E'"
// for "È", spaces before punctuation.
func polishedTree(raw string) *html.Node {
	root := parseFragment(raw)
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				c.Data = elidedE.ReplaceAllString(c.Data, "${1}È${2}")
				c.Data = spaceBeforePunct.ReplaceAllString(c.Data, "$1")
			case c.Type == html.ElementNode && c.DataAtom == atom.Li:
				if t := find(c, func(n *html.Node) bool {
					return n.Type == html.TextNode && strings.TrimSpace(n.Data) != ""
				}); t != nil {
					t.Data = bullet.ReplaceAllString(t.Data, "")
				}
				walk(c)
			default:
				walk(c)
			}
		}
	}
	walk(root)
	return root
}

// httpURL returns href normalised when it is an absolute http(s) URL, or ""
// for anything else ("#", relative paths, javascript:…).
func httpURL(href string) string {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil || u.Host == "" {
		return ""
	}
	if s := strings.ToLower(u.Scheme); s != "http" && s != "https" {
		return ""
	}
	return u.String()
}
