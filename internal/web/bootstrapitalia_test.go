package web_test

import (
	"bufio"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gorilla/css/scanner"
	"golang.org/x/net/html"
)

// minBootstrapItaliaShare is the least share of the distinct classes a
// public page uses that must come from Bootstrap Italia, so that the site
// stays recognisably built on it (Modello Comuni checks, issue 11).
const minBootstrapItaliaShare = 0.30

// biVersionRE finds the version property Bootstrap Italia declares in
// :root and the Modello Comuni checks look for.
var biVersionRE = regexp.MustCompile(`:root\s*\{[^}]*--bootstrap-italia-version\s*:\s*["']?\d+\.\d+\.\d+`)

// TestPublicPages_BootstrapItaliaDetectable checks, on every public page,
// that the Bootstrap Italia stylesheet the page links (the purged build in
// static/vendor, not portal.css) declares --bootstrap-italia-version in
// :root and defines at least 30% of the distinct classes the page uses.
func TestPublicPages_BootstrapItaliaDetectable(t *testing.T) {
	e := newDemoEnv(t)
	for _, path := range publicPages {
		status, body := e.get(path)
		if status != 200 {
			t.Errorf("%s: status %d", path, status)
			continue
		}
		used, sheets := pageClassesAndStylesheets(t, body)
		biCSS := ""
		for _, href := range sheets {
			if strings.HasPrefix(href, "/static/vendor/bootstrap-italia/") {
				_, biCSS = e.get(href)
			}
		}
		if biCSS == "" {
			t.Errorf("%s: links no Bootstrap Italia stylesheet (links %v)", path, sheets)
			continue
		}
		if !biVersionRE.MatchString(biCSS) {
			t.Errorf("%s: the Bootstrap Italia stylesheet has no --bootstrap-italia-version in :root", path)
		}
		defined := definedClasses(t, biCSS)
		var fromBI []string
		for c := range used {
			if defined[c] {
				fromBI = append(fromBI, c)
			}
		}
		share := float64(len(fromBI)) / float64(len(used))
		t.Logf("%s: %d of %d classes (%.0f%%) from Bootstrap Italia", path, len(fromBI), len(used), share*100)
		if share < minBootstrapItaliaShare {
			t.Errorf("%s: only %d of %d classes (%.0f%%) are Bootstrap Italia's, want at least %.0f%%",
				path, len(fromBI), len(used), share*100, minBootstrapItaliaShare*100)
		}
	}
}

// TestPublicPages_UseNoBootstrapItaliaClassTheBuildDropped catches a
// template that starts using a Bootstrap Italia class that no markup
// mentioned when `make assets` last purged the CSS: its rules are not in
// static/vendor, so the class would silently do nothing.
// testdata/bootstrap-italia-unused-classes.txt lists those classes (written
// by static/src/build.mjs).
func TestPublicPages_UseNoBootstrapItaliaClassTheBuildDropped(t *testing.T) {
	unused := readClassList(t, "testdata/bootstrap-italia-unused-classes.txt")
	e := newDemoEnv(t)
	for _, path := range publicPages {
		_, body := e.get(path)
		used, _ := pageClassesAndStylesheets(t, body)
		var dropped []string
		for c := range used {
			if unused[c] {
				dropped = append(dropped, c)
			}
		}
		if len(dropped) > 0 {
			slices.Sort(dropped)
			t.Errorf("%s uses Bootstrap Italia classes whose rules make assets purged: %s; run make assets and commit static/vendor",
				path, strings.Join(dropped, ", "))
		}
	}
}

// TestPublicPages_IconsExistInSprite checks that every <use href> of every
// public page names a symbol of the sprite it points into: build.mjs keeps
// only the icons the templates name, so an icon passed in some other way
// would show as nothing.
func TestPublicPages_IconsExistInSprite(t *testing.T) {
	e := newDemoEnv(t)
	sprites := make(map[string]string) // URL → body
	idRE := regexp.MustCompile(`<symbol id="([^"]+)"`)
	useRE := regexp.MustCompile(`<use href="([^"#]+)#([^"]+)"`)
	for _, path := range publicPages {
		_, body := e.get(path)
		for _, m := range useRE.FindAllStringSubmatch(body, -1) {
			sprite, ok := sprites[m[1]]
			if !ok {
				_, sprite = e.get(m[1])
				sprites[m[1]] = sprite
			}
			found := false
			for _, id := range idRE.FindAllStringSubmatch(sprite, -1) {
				found = found || id[1] == m[2]
			}
			if !found {
				t.Errorf("%s: icon %s is not in %s; run make assets", path, m[2], m[1])
			}
		}
	}
	if len(sprites) == 0 {
		t.Fatal("no page uses a sprite icon; is the test still looking at the right markup?")
	}
}

// pageClassesAndStylesheets returns the distinct classes of the elements
// of an HTML page and the paths of the stylesheets it links.
func pageClassesAndStylesheets(t *testing.T, body string) (map[string]bool, []string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	classes := make(map[string]bool)
	var sheets []string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		var rel, href string
		for _, a := range n.Attr {
			switch a.Key {
			case "class":
				for _, c := range strings.Fields(a.Val) {
					classes[c] = true
				}
			case "rel":
				rel = a.Val
			case "href":
				href = a.Val
			}
		}
		if n.Data == "link" && slices.Contains(strings.Fields(rel), "stylesheet") {
			if u, err := url.Parse(href); err == nil {
				sheets = append(sheets, u.Path)
			}
		}
	}
	if len(classes) == 0 {
		t.Fatal("the page uses no class at all")
	}
	return classes, sheets
}

// definedClasses returns the classes the selectors of a stylesheet name,
// inside @media, @supports, @layer and @container blocks too. Declarations
// and other at-rules (@font-face, @keyframes) are skipped.
func definedClasses(t *testing.T, css string) map[string]bool {
	t.Helper()
	classes := make(map[string]bool)
	// holdsRules tells, for each open block, whether it contains rules
	// (whose preludes are selectors) rather than declarations.
	var holdsRules []bool
	inRules := func() bool { return len(holdsRules) == 0 || holdsRules[len(holdsRules)-1] }
	var prelude []*scanner.Token
	s := scanner.New(css)
	for {
		tok := s.Next()
		switch {
		case tok.Type == scanner.TokenEOF:
			if len(classes) == 0 {
				t.Fatal("the stylesheet defines no class")
			}
			return classes
		case tok.Type == scanner.TokenError:
			t.Fatalf("cannot tokenise the stylesheet at line %d column %d: %s", tok.Line, tok.Column, tok.Value)
		case tok.Type == scanner.TokenChar && tok.Value == "{":
			switch {
			case !inRules():
				holdsRules = append(holdsRules, false)
			case len(prelude) > 0 && prelude[0].Type == scanner.TokenAtKeyword:
				switch strings.ToLower(prelude[0].Value) {
				case "@media", "@supports", "@layer", "@container":
					holdsRules = append(holdsRules, true)
				default:
					holdsRules = append(holdsRules, false)
				}
			default:
				for i := 0; i+1 < len(prelude); i++ {
					if prelude[i].Type == scanner.TokenChar && prelude[i].Value == "." && prelude[i+1].Type == scanner.TokenIdent {
						classes[prelude[i+1].Value] = true
					}
				}
				holdsRules = append(holdsRules, false)
			}
			prelude = nil
		case tok.Type == scanner.TokenChar && tok.Value == "}":
			if len(holdsRules) > 0 {
				holdsRules = holdsRules[:len(holdsRules)-1]
			}
			prelude = nil
		case !inRules():
		case tok.Type == scanner.TokenChar && tok.Value == ";":
			prelude = nil // @import, @charset, @layer a, b;
		case tok.Type != scanner.TokenComment:
			prelude = append(prelude, tok)
		}
	}
}

// readClassList reads a file of class names, one a line, # comments.
func readClassList(t *testing.T, name string) map[string]bool {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	classes := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			classes[line] = true
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(classes) < 1000 {
		t.Fatalf("%s lists only %d classes; regenerate it with make assets", name, len(classes))
	}
	return classes
}

// TestDefinedClasses_SelectorsOnly pins what definedClasses reads.
func TestDefinedClasses_SelectorsOnly(t *testing.T) {
	css := `:root{--x:.5rem}.a,.b .c>d.e:not(.f){margin:.5em}@media (min-width:1px){.g{x:y}}` +
		`@font-face{src:url(x.woff2)}@keyframes k{from{opacity:.1}}.h:hover{}`
	got := definedClasses(t, css)
	var names []string
	for c := range got {
		names = append(names, c)
	}
	slices.Sort(names)
	if want := "a b c e f g h"; strings.Join(names, " ") != want {
		t.Errorf("classes %q, want %q", strings.Join(names, " "), want)
	}
}
