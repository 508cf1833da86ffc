package web_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/web"
	"golang.org/x/net/html"
)

// The pseudo-locale tests render pages with every catalogue message
// wrapped in ⟦ ⟧ (web.Options.PseudoLocale) and fail on visible text
// outside the markers: a string written into a template or a handler
// instead of going through the catalogue.
//
// Data is not text to translate: names, addresses, codes, dates from the
// database, content edited in the back office. Templates mark the element
// holding it with translate="no" (the HTML attribute that tells
// translation tools the same thing), and its text is skipped.

// withPseudoLocale renders the default language through the pseudo-locale.
func withPseudoLocale() envOption {
	return withOptions(func(o *web.Options) { o.PseudoLocale = true })
}

// untranslated returns the visible texts of page body that did not go
// through the catalogue: text nodes, and the alt, title, placeholder and
// aria-label attributes, outside ⟦ ⟧ and outside translate="no".
func untranslated(t *testing.T, body string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	check := func(s string) {
		if rest := outsideMarkers(s); hasLetters(rest) {
			out = append(out, strings.Join(strings.Fields(s), " "))
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "svg", "noscript", "template":
				return
			}
			for _, a := range n.Attr {
				if a.Key == "translate" && a.Val == "no" {
					return
				}
			}
			for _, a := range n.Attr {
				switch a.Key {
				case "alt", "title", "placeholder", "aria-label":
					check(a.Val)
				}
			}
		}
		if n.Type == html.TextNode {
			check(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out
}

// outsideMarkers returns s without its ⟦…⟧ spans.
func outsideMarkers(s string) string {
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch string(r) {
		case i18n.PseudoOpen:
			depth++
			continue
		case i18n.PseudoClose:
			if depth > 0 {
				depth--
			}
			continue
		}
		if depth == 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

func TestPseudoLocale_UntranslatedFinder(t *testing.T) {
	page := `<html><head><title>⟦Servizi⟧ – ⟦Portale⟧</title></head><body>
		<h1>⟦Prenota⟧</h1><p>⟦Codice⟧: <strong translate="no">UDC-7K3M</strong></p>
		<p>Testo scritto a mano</p><img alt="Logo" src="x"><p> 12:30 – 3 </p>
		<script>var x = "not text";</script></body></html>`
	got := untranslated(t, page)
	if len(got) != 2 || got[0] != "Testo scritto a mano" || got[1] != "Logo" {
		t.Errorf("untranslated = %q", got)
	}
}
