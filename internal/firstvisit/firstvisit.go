// Package firstvisit measures what a browser with an empty cache downloads
// to show one page: the HTML document and every resource it references.
//
// The model is static (no JavaScript runs) and errs on the heavy side:
//
//   - the document, its stylesheets (and their @import), scripts with src,
//     <link rel="preload"> and "modulepreload" targets, the icon, <img src>
//     and the SVG sprites that <use href> points into;
//   - every url() of every stylesheet except data: URIs, the first source
//     of each @font-face included, whether or not the page ends up using
//     that face. A browser downloads a font face only when some text needs
//     it, so this counts at least what the browser fetches, preloaded
//     fonts included.
//
// Each URL is counted once. Sizes are those on the wire: a response the
// server compressed counts as sent; one it did not is gzip-compressed here
// at the default level (the size a compressing server or proxy would send),
// or counted raw when gzip does not make it smaller (fonts, images).
package firstvisit

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Kind says why a resource is downloaded.
type Kind string

// The kinds of resources a first visit downloads.
const (
	Document   Kind = "document"
	Stylesheet Kind = "stylesheet"
	Script     Kind = "script"
	Font       Kind = "font"
	Image      Kind = "image"
	Other      Kind = "other"
)

// Resource is one response of a first visit.
type Resource struct {
	// URL is absolute, without fragment.
	URL  string
	Kind Kind
	// Raw is the size of the body once decoded.
	Raw int64
	// Compressed is the size on the wire: as sent when the server
	// compressed the body (ServerCompressed), otherwise the gzip size
	// computed by Measure or Raw, whichever is smaller.
	Compressed       int64
	ServerCompressed bool
}

// Result is everything a first visit to Page downloads, the document
// first and then in the order the resources were found.
type Result struct {
	Page      string
	Resources []Resource
	// Raw and Compressed are the sums over Resources.
	Raw, Compressed int64
}

// maxImportDepth bounds nested @import chains.
const maxImportDepth = 4

// Measure downloads pageURL and everything it references with client, as a
// browser with an empty cache would, and returns the sizes. The page must
// answer 200; so must every resource, since a page that references a
// missing file is broken. Requests ask for gzip only, so that every
// compressed answer can be decoded here.
func Measure(ctx context.Context, client *http.Client, pageURL string) (Result, error) {
	m := &measurer{ctx: ctx, client: client, seen: make(map[string]bool)}
	doc, err := m.fetch(pageURL, Document)
	if err != nil {
		return Result{}, err
	}
	refs, err := documentRefs(doc.body, doc.url)
	if err != nil {
		return Result{}, fmt.Errorf("firstvisit: parse %s: %w", pageURL, err)
	}
	for _, ref := range refs {
		if err := m.visit(ref, 0); err != nil {
			return Result{}, err
		}
	}
	res := Result{Page: pageURL, Resources: m.resources}
	for _, r := range m.resources {
		res.Raw += r.Raw
		res.Compressed += r.Compressed
	}
	return res, nil
}

// ref is a resource a document or stylesheet points to.
type ref struct {
	url  *url.URL
	kind Kind
}

type measurer struct {
	ctx       context.Context
	client    *http.Client
	seen      map[string]bool
	resources []Resource
}

// fetched is a downloaded body with the URL it was resolved against.
type fetched struct {
	url  *url.URL
	body []byte
}

// visit downloads r once and, for a stylesheet, what it references.
func (m *measurer) visit(r ref, depth int) error {
	if m.seen[r.url.String()] {
		return nil
	}
	f, err := m.fetch(r.url.String(), r.kind)
	if err != nil {
		return err
	}
	if r.kind != Stylesheet {
		return nil
	}
	if depth >= maxImportDepth {
		return fmt.Errorf("firstvisit: @import deeper than %d at %s", maxImportDepth, r.url)
	}
	for _, sub := range stylesheetRefs(f.body, f.url) {
		if err := m.visit(sub, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (m *measurer) fetch(rawURL string, kind Kind) (fetched, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fetched{}, fmt.Errorf("firstvisit: %w", err)
	}
	u.Fragment = ""
	m.seen[u.String()] = true
	req, err := http.NewRequestWithContext(m.ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fetched{}, fmt.Errorf("firstvisit: %w", err)
	}
	// Setting Accept-Encoding also stops the transport from decoding the
	// body behind our back, so the wire size is visible.
	req.Header.Set("Accept-Encoding", "gzip")
	resp, err := m.client.Do(req)
	if err != nil {
		return fetched{}, fmt.Errorf("firstvisit: GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	wire, err := io.ReadAll(resp.Body)
	if err != nil {
		return fetched{}, fmt.Errorf("firstvisit: GET %s: %w", u, err)
	}
	if resp.StatusCode != http.StatusOK {
		return fetched{}, fmt.Errorf("firstvisit: GET %s: status %d", u, resp.StatusCode)
	}
	res := Resource{URL: u.String(), Kind: kind}
	body := wire
	switch enc := strings.ToLower(strings.TrimSpace(resp.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		gz, err := gzipSize(body)
		if err != nil {
			return fetched{}, err
		}
		res.Raw, res.Compressed = int64(len(body)), min(gz, int64(len(body)))
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(bytes.NewReader(wire))
		if err != nil {
			return fetched{}, fmt.Errorf("firstvisit: GET %s: %w", u, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return fetched{}, fmt.Errorf("firstvisit: GET %s: %w", u, err)
		}
		res.Raw, res.Compressed, res.ServerCompressed = int64(len(body)), int64(len(wire)), true
	default:
		return fetched{}, fmt.Errorf("firstvisit: GET %s: Content-Encoding %q although only gzip was accepted", u, enc)
	}
	m.resources = append(m.resources, res)
	return fetched{url: resp.Request.URL, body: body}, nil
}

func gzipSize(b []byte) (int64, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return int64(buf.Len()), nil
}

// documentRefs lists, in document order, the resources an HTML document
// makes a browser download before any script runs.
func documentRefs(body []byte, base *url.URL) ([]ref, error) {
	root, err := html.Parse(bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if b := findBase(root); b != "" {
		if u, err := base.Parse(b); err == nil {
			base = u
		}
	}
	var refs []ref
	add := func(raw string, kind Kind) {
		raw = strings.TrimSpace(raw)
		if raw == "" || strings.HasPrefix(raw, "#") {
			return
		}
		u, err := base.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		refs = append(refs, ref{url: u, kind: kind})
	}
	for n := range root.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		switch n.DataAtom {
		case atom.Link:
			rels := strings.Fields(strings.ToLower(attr(n, "rel")))
			switch {
			case slices.Contains(rels, "stylesheet"):
				add(attr(n, "href"), Stylesheet)
			case slices.Contains(rels, "preload"):
				add(attr(n, "href"), preloadKind(attr(n, "as")))
			case slices.Contains(rels, "modulepreload"):
				add(attr(n, "href"), Script)
			case slices.Contains(rels, "icon"):
				add(attr(n, "href"), Image)
			}
		case atom.Script:
			add(attr(n, "src"), Script)
		case atom.Img:
			add(attr(n, "src"), Image)
		default:
			// <use> is not in the atom table; it lives in the SVG namespace.
			if n.Namespace == "svg" && n.Data == "use" {
				href := attr(n, "href")
				if href == "" {
					href = attr(n, "xlink:href")
				}
				add(href, Image)
			}
		}
	}
	return refs, nil
}

func findBase(root *html.Node) string {
	for n := range root.Descendants() {
		if n.Type == html.ElementNode && n.DataAtom == atom.Base {
			return attr(n, "href")
		}
	}
	return ""
}

func preloadKind(as string) Kind {
	switch strings.ToLower(as) {
	case "style":
		return Stylesheet
	case "script":
		return Script
	case "font":
		return Font
	case "image":
		return Image
	}
	return Other
}

// attr returns the value of the attribute key of n, "" when absent. Keys
// with a namespace prefix are given as "prefix:name".
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		name := a.Key
		if a.Namespace != "" {
			name = a.Namespace + ":" + a.Key
		}
		if name == key {
			return a.Val
		}
	}
	return ""
}

var (
	cssComment   = regexp.MustCompile(`(?s)/\*.*?\*/`)
	cssImport    = regexp.MustCompile(`@import\s+(?:url\(\s*)?["']?([^"')\s;]+)`)
	cssURL       = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)`)
	cssFontFace  = regexp.MustCompile(`(?is)@font-face\s*\{[^}]*\}`)
	cssSrcDecl   = regexp.MustCompile(`(?is)(?:^|[;{\s])src\s*:([^;}]*)`)
	errNoFontURL = errors.New("no url")
)

// stylesheetRefs lists what a stylesheet makes a browser download: its
// @import targets, the first source of each @font-face and every other
// url() (see the package comment for why all of them). data: URIs cost
// nothing extra and are skipped.
func stylesheetRefs(body []byte, base *url.URL) []ref {
	css := cssComment.ReplaceAllString(string(body), "")
	var refs []ref
	add := func(raw string, kind Kind) {
		if raw == "" || strings.HasPrefix(strings.ToLower(raw), "data:") {
			return
		}
		u, err := base.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		u.Fragment = ""
		refs = append(refs, ref{url: u, kind: kind})
	}
	for _, m := range cssImport.FindAllStringSubmatch(css, -1) {
		add(m[1], Stylesheet)
	}
	// Only the first source a browser supports is fetched; every browser
	// the site supports reads the first (woff2), so later ones are skipped.
	for _, face := range cssFontFace.FindAllString(css, -1) {
		if u, err := firstFontURL(face); err == nil {
			add(u, Font)
		}
	}
	rest := cssFontFace.ReplaceAllString(cssImport.ReplaceAllString(css, ""), "")
	for _, m := range cssURL.FindAllStringSubmatch(rest, -1) {
		add(m[1]+m[2]+m[3], Image)
	}
	return refs
}

func firstFontURL(face string) (string, error) {
	src := cssSrcDecl.FindStringSubmatch(face)
	if src == nil {
		return "", errNoFontURL
	}
	m := cssURL.FindStringSubmatch(src[1])
	if m == nil {
		return "", errNoFontURL
	}
	return m[1] + m[2] + m[3], nil
}
