package content

import (
	"bytes"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/scheda"
)

func TestRender(t *testing.T) {
	for _, c := range []struct{ name, md, want string }{
		{"empty", "  \n\n ", ""},
		{"paragraphs", "Primo paragrafo.\n\nSecondo.", "<p>Primo paragrafo.</p><p>Secondo.</p>"},
		{"line break", "riga uno\nriga due", "<p>riga uno<br/>riga due</p>"},
		{"CRLF", "riga uno\r\nriga due", "<p>riga uno<br/>riga due</p>"},
		{"emphasis", "**gratuito** e *senza* appuntamento", "<p><strong>gratuito</strong> e <em>senza</em> appuntamento</p>"},
		{"list", "- uno\n- due", "<ul><li>uno</li><li>due</li></ul>"},
		{"ordered list", "1. uno\n2. due", "<ol><li>uno</li><li>due</li></ol>"},
		{"link", "[Normattiva](https://www.normattiva.it/)", `<p><a href="https://www.normattiva.it/" rel="noopener">Normattiva</a></p>`},
		{"bare address", "Scrivi a udc@comune.example.it", `<p>Scrivi a <a href="mailto:udc@comune.example.it" rel="noopener">udc@comune.example.it</a></p>`},
		{"heading", "## Orari\ntesto", "<p><strong>Orari</strong></p><p>testo</p>"},
		{"script tag", "ciao <script>alert(1)</script> mondo", "<p>ciao alert(1) mondo</p>"},
		{"script block", "<script>alert(1)</script>", ""},
		{"onclick", `<a href="https://x.example" onclick="alert(1)">x</a>`, "<p>x</p>"},
		{"javascript link", "[premi](javascript:alert(1))", "<p><a>premi</a></p>"},
		{"javascript autolink", "<javascript:alert(1)>", "<p><a>javascript:alert(1)</a></p>"},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", "<p><a>x</a></p>"},
		{"image", "![alt](https://x.example/i.png)", ""},
		{"html entity", "a &amp; b", "<p>a &amp; b</p>"},
		{"apostrophe", "dell'ufficio", "<p>dell'ufficio</p>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := Render(c.md)
			// An <a> without href is what bluemonday leaves of a refused
			// link; goldmark may also drop it entirely. Either is safe.
			if got != c.want && !(strings.Contains(c.want, "<a>") && got == strings.NewReplacer("<a>", "", "</a>", "").Replace(c.want)) {
				t.Errorf("Render(%q)\n got %s\nwant %s", c.md, got, c.want)
			}
			for _, bad := range []string{"<script", "onclick", "javascript:", "data:"} {
				if strings.Contains(strings.ToLower(stripText(got)), bad) {
					t.Errorf("Render(%q) keeps %s in markup: %s", c.md, bad, got)
				}
			}
		})
	}
}

// stripText keeps only the markup of h, the tags, where an attack would
// have to live.
func stripText(h string) string {
	var b strings.Builder
	in := false
	for _, r := range h {
		switch {
		case r == '<':
			in = true
			b.WriteRune(r)
		case r == '>':
			in = false
			b.WriteRune(r)
		case in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func TestFromHTML(t *testing.T) {
	for _, c := range []struct{ name, html, want string }{
		{"plain", "Il servizio è gratuito.", "Il servizio è gratuito."},
		{"paragraphs", "<p>uno</p><p>due</p>", "uno\n\ndue"},
		{"break", "<p>uno<br/>due</p>", "uno\ndue"},
		{"emphasis", "<p><strong>a </strong>b <em>c</em></p>", "**a** b *c*"},
		{"list", "<p>Funzioni:</p><ul><li>uno;</li><li>due.</li></ul>", "Funzioni:\n\n- uno;\n- due."},
		{"ordered", "<ol><li>uno</li><li>due</li></ol>", "1. uno\n2. due"},
		{"nested", "<ul><li>a<ul><li>b</li></ul></li></ul>", "- a\n  - b"},
		{"link", `<a href="https://x.example/a_b" rel="noopener">la <b>legge</b></a>`, "[la **legge**](https://x.example/a_b)"},
		{"special characters", "<p>3^ piano * nota [1] a_b &amp; c</p>", `3^ piano \* nota \[1\] a\_b \& c`},
		{"line start", "<p>- non è una lista</p><p>2000. anno</p><p># no</p>", "\\- non è una lista\n\n2000\\. anno\n\n\\# no"},
		{"script", "<p>a</p><script>alert(1)</script>", "a"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := FromHTML(c.html); got != c.want {
				t.Errorf("FromHTML(%q)\n got %q\nwant %q", c.html, got, c.want)
			}
		})
	}
}

// paragraph wraps inline-only HTML in <p>, as the public page does.
func paragraph(h string) string {
	if h == "" || strings.HasPrefix(h, "<p") || strings.HasPrefix(h, "<ul") || strings.HasPrefix(h, "<ol") {
		return h
	}
	return "<p>" + h + "</p>"
}

func TestFromHTML_SeedSections_RenderBackToTheSameHTML(t *testing.T) {
	s, err := scheda.Parse(bytes.NewReader(scheda.Seed))
	if err != nil {
		t.Fatal(err)
	}
	for name, h := range map[string]string{
		"addressed": s.AddressedHTML, "description": s.DescriptionHTML, "how to": s.HowToHTML, "needed": s.NeededHTML,
		"achieved": s.AchievedHTML, "cost": s.CostHTML, "where": s.WhereHTML, "other": s.OtherInfoHTML,
	} {
		md := FromHTML(h)
		if got, want := Render(md), paragraph(h); got != want {
			t.Errorf("%s: round trip through\n%s\n got %s\nwant %s", name, md, got, want)
		}
	}
}

func TestFromHTML_RoundTrip(t *testing.T) {
	for _, h := range []string{
		"<p>uno <strong>due</strong> <em>tre</em></p><ul><li>a</li><li>b <a href=\"https://x.example/(1)\" rel=\"noopener\">c</a></li></ul>",
		"<ol><li>primo<ul><li>sotto</li></ul></li><li>secondo</li></ol>",
		"<p>riga<br/>a capo</p><p>* asterisco _ trattino basso ` accento</p>",
		"<p>1) non lista + neanche = no</p>",
		`<p><a href="mailto:a@example.org" rel="noopener">scrivici</a></p>`,
	} {
		md := FromHTML(h)
		if got := Render(md); got != h {
			t.Errorf("round trip of %s through\n%s\n got %s", h, md, got)
		}
	}
}

func FuzzRender_NeverLetsScriptThrough(f *testing.F) {
	for _, s := range []string{"<script>alert(1)</script>", "[a](javascript:x)", `<img src=x onerror=alert(1)>`, "**a**"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, md string) {
		got := strings.ToLower(stripText(Render(md)))
		for _, bad := range []string{"<script", "onerror", "onclick", "javascript:", "<img", "style="} {
			if strings.Contains(got, bad) {
				t.Fatalf("Render(%q) has %s: %s", md, bad, got)
			}
		}
	})
}

func TestRender_SiteLinksKept_OtherRelativeAndScriptLinksDropped(t *testing.T) {
	got := Render("[uffici](/comuni) [altrove](//evil.example/x) [trappola](javascript:alert(1)) [pagina](prenota)")
	want := `<p><a href="/comuni" rel="noopener">uffici</a> altrove trappola pagina</p>`
	if got != want {
		t.Errorf("Render = %q, want %q", got, want)
	}
}
