// Package content holds the editing rules of the service sheets that need
// neither HTTP nor SQL: Markdown rendered to the sanitised HTML the public
// pages show, the reverse conversion for sheets that exist only as HTML
// (the imported one), the "Titolo | URL" lines of the sources, the
// Modello Comuni service categories and a line diff to compare versions.
package content

import (
	"bytes"
	"strings"

	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown is configured once and only read afterwards; a goldmark
// instance is safe for concurrent use. Raw HTML is not enabled, so any tag
// typed in the text is dropped by the renderer before the sanitiser even
// sees it; a line break typed in a paragraph is a line break on the page
// (staff write prose in a textarea, not source code); bare web and e-mail
// addresses become links.
var markdown = goldmark.New(
	goldmark.WithExtensions(extension.Linkify),
	goldmark.WithParserOptions(parser.WithASTTransformers(util.Prioritized(headingsAsBold{}, 100))),
	goldmark.WithRendererOptions(html.WithHardWraps()),
)

// Render turns the Markdown a member of staff wrote into the HTML of a
// sheet section, passed through scheda.Sanitize: only paragraphs, lists,
// bold, italic, line breaks and http, https and mailto links (or links to
// a path of this site, such as "/comuni") survive.
// Headings become bold paragraphs, since the sections sit under the page's
// own headings. Text that renders to nothing (only spaces, or only tags)
// gives "".
func Render(md string) string {
	md = strings.ReplaceAll(md, "\r\n", "\n")
	if strings.TrimSpace(md) == "" {
		return ""
	}
	var b bytes.Buffer
	// Converting to a bytes.Buffer fails only on a broken renderer.
	if err := markdown.Convert([]byte(md), &b); err != nil {
		return ""
	}
	return scheda.Sanitize(b.String())
}

// headingsAsBold replaces every heading with a paragraph in bold: the
// sanitiser would otherwise flatten it into loose text.
type headingsAsBold struct{}

// Transform implements parser.ASTTransformer.
func (headingsAsBold) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var headings []*ast.Heading
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := n.(*ast.Heading); ok && entering {
			headings = append(headings, h)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, h := range headings {
		p := ast.NewParagraph()
		strong := ast.NewEmphasis(2)
		for c := h.FirstChild(); c != nil; {
			next := c.NextSibling()
			strong.AppendChild(strong, c)
			c = next
		}
		p.AppendChild(p, strong)
		h.Parent().ReplaceChild(h.Parent(), h, p)
	}
}
