package scheda

import (
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func FuzzParse(f *testing.F) {
	f.Add(string(Seed))
	f.Add(minimalSheet)
	f.Add("<b>Titolo</b>\t<b>CENTRO PER L'IMPIEGO</b>\n<b>Fonti Normative</b>\tLegge 8 novembre 2000, n. 328, artt. 2 e 6-bis; Piano 2021-2023 Piano 2024\n")
	f.Fuzz(func(t *testing.T, in string) {
		s, err := Parse(strings.NewReader(in))
		if (s == nil) == (err == nil) {
			t.Fatalf("Parse returned sheet %v and error %v", s, err)
		}
	})
}

// FuzzSanitize checks that whatever goes in, only the allowed elements and
// attributes come out.
func FuzzSanitize(f *testing.F) {
	f.Add(`<p onclick="x">a<script>b</script><a href="javascript:c">d</a></p>`)
	f.Add(`<ul style="x"><li>• uno</li></ul><a href="https://example.org/?a=1&b='2'">x</a>`)
	allowed := map[string]bool{"p": true, "ul": true, "ol": true, "li": true, "b": true, "strong": true, "i": true, "em": true, "br": true, "a": true}
	f.Fuzz(func(t *testing.T, in string) {
		out := Sanitize(in)
		root := parseFragment(out)
		var walk func(*html.Node)
		walk = func(n *html.Node) {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				switch c.Type {
				case html.TextNode:
				case html.ElementNode:
					if !allowed[c.Data] {
						t.Fatalf("Sanitize(%q) = %q keeps <%s>", in, out, c.Data)
					}
					for _, a := range c.Attr {
						switch {
						case c.Data == "a" && a.Key == "rel" && a.Val == "noopener":
						case c.Data == "a" && a.Key == "href":
							u, err := url.Parse(a.Val)
							if err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
								t.Fatalf("Sanitize(%q) = %q keeps href %q", in, out, a.Val)
							}
						default:
							t.Fatalf("Sanitize(%q) = %q keeps %s=%q on <%s>", in, out, a.Key, a.Val, c.Data)
						}
					}
					walk(c)
				default:
					t.Fatalf("Sanitize(%q) = %q keeps node type %v", in, out, c.Type)
				}
			}
		}
		walk(root)
	})
}
