package scheda

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// piece is a run of an HTML value: either text (block boundaries as "\n")
// or an anchor, whose URL is empty unless its href is a usable http(s)
// address.
type piece struct {
	text string
	link *Link
}

// pieces splits the value under root into text and anchors, in document
// order. Anchors without text or usable href are dropped.
func pieces(root *html.Node) []piece {
	var out []piece
	var b strings.Builder
	flush := func() {
		if strings.TrimSpace(b.String()) != "" {
			out = append(out, piece{text: b.String()})
		}
		b.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch {
			case c.Type == html.TextNode:
				b.WriteString(c.Data)
			case c.Type != html.ElementNode || skippedElements[c.DataAtom]:
			case c.DataAtom == atom.A:
				flush()
				u := httpURL(attr(c, "href"))
				title := strings.Join(textBlocks(c), " ")
				if title == "" {
					title = u
				}
				if title != "" {
					out = append(out, piece{link: &Link{Title: title, URL: u}})
				}
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
	flush()
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// officialSources reads "Fonte ufficiale": every anchor becomes a Link, with
// its URL only when the href is a real http(s) address; text between anchors
// becomes a Link of its own.
func officialSources(raw string) []Link {
	var out []Link
	for _, p := range pieces(parseFragment(raw)) {
		if p.link != nil {
			out = append(out, *p.link)
			continue
		}
		for _, line := range strings.Split(p.text, "\n") {
			title := strings.Trim(collapseSpace(line), " ,;|-–")
			if title != "" {
				out = append(out, Link{Title: title, URL: httpURL(title)})
			}
		}
	}
	return out
}

// legalSources reads "Fonti Normative". State laws cited with number and
// full date get their Normattiva URN, and so does each article cited after
// them ("in particolare: Art.2, Art.6 e Art. 22"). Everything else becomes
// an entry without URL: a link is only given when it is certain.
func legalSources(raw string) []LegalSource {
	var out []LegalSource
	seen := make(map[LegalSource]bool)
	add := func(ls LegalSource) {
		ls.Title = strings.TrimRight(strings.TrimLeft(ls.Title, " ,;:."), " ,;:.")
		if ls.Title != "" && !seen[ls] {
			seen[ls] = true
			out = append(out, ls)
		}
	}
	var current *law
	for _, p := range pieces(parseFragment(raw)) {
		text := p.text
		if p.link != nil {
			if p.link.URL != "" {
				add(LegalSource(*p.link))
				continue
			}
			text = p.link.Title // a dead link: read its text like the rest
		}
		for _, chunk := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == ';' }) {
			current = legalChunk(collapseSpace(chunk), current, add)
		}
	}
	return out
}

// legalChunk reads one ";"-separated part of "Fonti Normative" and returns
// the law later article lists refer to.
func legalChunk(chunk string, current *law, add func(LegalSource)) *law {
	if current != nil {
		if m := leadingArticles.FindStringSubmatchIndex(chunk); m != nil {
			for _, a := range articleNumbers(chunk[m[2]:m[3]]) {
				add(current.article(a))
			}
			chunk = chunk[m[1]:]
		}
	}
	laws := findLaws(chunk)
	if len(laws) == 0 {
		for _, item := range splitItems(chunk) {
			add(LegalSource{Title: item})
		}
		return current
	}
	for _, item := range splitItems(chunk[:laws[0].start]) {
		add(LegalSource{Title: item})
	}
	for i, l := range laws {
		end := len(chunk)
		if i+1 < len(laws) {
			end = laws[i+1].start
		}
		segment := chunk[l.start:end]
		rest := ""
		var arts []string
		if m := articleList.FindStringSubmatchIndex(segment); m != nil {
			arts = articleNumbers(segment[m[2]:m[3]])
			segment, rest = segment[:m[0]], segment[m[1]:]
		}
		if i+1 < len(laws) {
			segment = trailingConjunction.ReplaceAllString(segment, "")
		}
		add(LegalSource{Title: segment, URL: l.url()})
		for _, a := range arts {
			add(l.article(a))
		}
		for _, item := range splitItems(rest) {
			add(LegalSource{Title: item})
		}
		current = &laws[i]
	}
	return current
}

// law is a state act found in the text.
type law struct {
	start int
	name  string // as cited, e.g. "Legge n. 328/00 del 8 novembre 2000"
	urn   string // e.g. "urn:nir:stato:legge:2000-11-08;328"
}

const normattiva = "https://www.normattiva.it/uri-res/N2Ls?"

func (l law) url() string { return normattiva + l.urn }

// article returns the entry for one article of l; n is "22" or "22bis".
func (l law) article(n string) LegalSource {
	return LegalSource{Title: l.name + ", art. " + n, URL: l.url() + "~art" + n}
}

const (
	lawType   = `(legge|l\.|d\.\s*lgs\.?|decreto\s+legislativo|d\.\s*l\.|decreto[\s-]+legge|d\.\s*p\.\s*r\.?|decreto\s+del\s+presidente\s+della\s+repubblica)`
	lawNumber = `(?:n(?:\.|°|um\.|umero)?\s*)?(\d+)\b(?:\s*/\s*\d{2,4}\b)?`
	lawDate   = `(\d{1,2})°?\s+(gennaio|febbraio|marzo|aprile|maggio|giugno|luglio|agosto|settembre|ottobre|novembre|dicembre)\s+(\d{4})`
	artNumber = `\d+(?:\s*-?\s*(?:bis|ter|quater|quinquies|sexies|septies|octies)\b)?`
	artList   = `(?:artt?\.?|articol[oi])\s*(` + artNumber + `(?:\s*(?:,|\be\b|\bed\b)\s*(?:(?:artt?\.?|articolo)\s*)?` + artNumber + `)*)`
)

var (
	// "Legge n. 328/00 del 8 novembre 2000"
	lawNumberFirst = regexp.MustCompile(`(?i)\b` + lawType + `\s*` + lawNumber + `\s*,?\s*(?:del(?:l['’])?\s*|in\s+data\s+)?` + lawDate)
	// "Legge 8 novembre 2000, n. 328"
	lawDateFirst = regexp.MustCompile(`(?i)\b` + lawType + `\s+` + lawDate + `\s*,?\s*n(?:\.|°|um\.|umero)?\s*(\d+)`)

	leadingArticles     = regexp.MustCompile(`(?i)^\s*(?:in\s+particolare\s*:?\s*|(?:e|ed)\s+)?(?:(?:gli|l['’])\s*)?` + artList)
	articleList         = regexp.MustCompile(`(?i)[\s,;:]*(?:\bin\s+particolare\s*:?\s*)?(?:\b(?:gli|l['’])\s*)?\b` + artList)
	articleNumber       = regexp.MustCompile(`(?i)(\d+)(?:\s*-?\s*(bis|ter|quater|quinquies|sexies|septies|octies)\b)?`)
	trailingConjunction = regexp.MustCompile(`(?i)[\s,;]*(?:\b(?:e|ed)\s*)?$`)
	yearEnd             = regexp.MustCompile(`\b(?:19|20)\d{2}(?:\s*[-–/]\s*(?:19|20)?\d{2})?\b\.?\s+`)
)

var months = map[string]time.Month{
	"gennaio": time.January, "febbraio": time.February, "marzo": time.March,
	"aprile": time.April, "maggio": time.May, "giugno": time.June,
	"luglio": time.July, "agosto": time.August, "settembre": time.September,
	"ottobre": time.October, "novembre": time.November, "dicembre": time.December,
}

// findLaws returns the state acts cited in s with number and a valid full
// date, in order of appearance.
func findLaws(s string) []law {
	var laws []law
	collect := func(re *regexp.Regexp, typ, num, day, month, year int) {
		for _, m := range re.FindAllStringSubmatchIndex(s, -1) {
			g := func(i int) string { return s[m[2*i]:m[2*i+1]] }
			kind := urnKind(g(typ))
			d := 0
			fmt.Sscan(g(day), &d)
			y := 0
			fmt.Sscan(g(year), &y)
			mo := months[strings.ToLower(g(month))]
			date := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
			if kind == "" || date.Day() != d || date.Month() != mo {
				continue // not a state act, or an impossible date
			}
			laws = append(laws, law{
				start: m[0],
				name:  collapseSpace(s[m[0]:m[1]]),
				urn:   fmt.Sprintf("urn:nir:%s:%s;%s", kind, date.Format("2006-01-02"), strings.TrimLeft(g(num), "0")),
			})
		}
	}
	collect(lawNumberFirst, 1, 2, 3, 4, 5)
	collect(lawDateFirst, 1, 5, 2, 3, 4)
	sort.Slice(laws, func(i, j int) bool {
		if laws[i].start != laws[j].start {
			return laws[i].start < laws[j].start
		}
		return len(laws[i].name) > len(laws[j].name)
	})
	// Should both forms match overlapping text, keep the longer, earlier one.
	out := laws[:0]
	for _, l := range laws {
		if len(out) == 0 || l.start >= out[len(out)-1].start+len(out[len(out)-1].name) {
			out = append(out, l)
		}
	}
	return out
}

// urnKind maps how an act is cited to its URN authority and type.
func urnKind(typ string) string {
	t := strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, typ)
	switch t {
	case "legge", "l":
		return "stato:legge"
	case "dlgs", "decretolegislativo":
		return "stato:decreto.legislativo"
	case "dl", "decretolegge":
		return "stato:decreto.legge"
	case "dpr", "decretodelpresidentedellarepubblica":
		return "presidente.repubblica:decreto"
	}
	return ""
}

// articleNumbers returns "2", "6", "22bis" from "2, Art.6 e Art. 22 bis".
func articleNumbers(list string) []string {
	var out []string
	for _, m := range articleNumber.FindAllStringSubmatch(list, -1) {
		out = append(out, strings.TrimLeft(m[1], "0")+strings.ToLower(m[2]))
	}
	return out
}

// splitItems splits text that lists several references without separators,
// as exports do: "Piano Nazionale 2021-2023 3^ Piano Sociale 2017-2019". A
// year (or span of years) followed by a capital or a digit ends an item.
func splitItems(text string) []string {
	text = strings.TrimSpace(text)
	var out []string
	start := 0
	for _, m := range yearEnd.FindAllStringIndex(text, -1) {
		next, _ := utf8.DecodeRuneInString(text[m[1]:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) {
			out = append(out, text[start:m[1]])
			start = m[1]
		}
	}
	out = append(out, text[start:])
	items := out[:0]
	for _, item := range out {
		item = strings.TrimRight(strings.TrimLeft(item, " ,;:."), " ,;:.")
		if item != "" {
			items = append(items, item)
		}
	}
	return items
}
