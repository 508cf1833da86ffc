// Package static serves the site's own CSS, JS and images and the vendored
// Bootstrap Italia build, all embedded in the binary.
//
// Templates link every file through [Assets.URL], which puts a short content
// hash in the name (css/portal.css → /static/css/portal.3f2a9c1b.css), so a
// hashed URL never changes meaning and is cached for a year as immutable.
//
// Relative url() references in CSS files (the Titillium Web fonts from
// css/portal.css) are rewritten at start-up to the hashed URLs of the files
// they name, before the CSS itself is hashed: fonts are cached as immutable
// too, and a <link rel="preload"> made with [Assets.URL] names exactly the
// URL the stylesheet asks for, so the font is downloaded once. A url() that
// names a missing file stops [New]. Every file is also served under its
// plain name, with a short cache lifetime and an ETag, for anything that
// cannot know the hash.
//
// What the page must do for fonts: link
// vendor/bootstrap-italia/css/bootstrap-italia.min.css and then
// css/portal.css, which declares the @font-face rules, and preload (with
// crossorigin, as font requests are CORS requests) the faces the first
// screen sets most text in: Titillium Web regular for the body and semibold
// (600) for the portal name, menu, breadcrumb and buttons, whose late
// arrival otherwise reflows the header. The bold headings and light lead
// text load when laid out. Do not call bootstrap.loadFonts() and do not set
// window.__PUBLIC_PATH__: loadFonts injects an inline <style> element, which
// the nonce-based CSP blocks.
//
// What the page must do for scripts: load js/portal.js and
// vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js with defer.
//
// The vendored files are built from node_modules by static/src/build.mjs
// (make assets), holding only what the pages use, and are committed, so
// building never needs npm.
package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Prefix is the URL path under which [Assets.Handler] serves the files.
const Prefix = "/static/"

//go:embed css js img vendor
var files embed.FS

// Cache-Control values: a hashed name always means the same bytes; a plain
// name may change with the next deploy.
const (
	cacheImmutable = "public, max-age=31536000, immutable"
	cachePlain     = "public, max-age=3600"
)

// hashLen is the number of hex digits of the SHA-256 put into URLs.
const hashLen = 8

// contentTypes lists the types of the files the site ships; anything else
// falls back to the mime package.
var contentTypes = map[string]string{
	".css":   "text/css; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".svg":   "image/svg+xml",
	".woff2": "font/woff2",
	".woff":  "font/woff",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".json":  "application/json",
	".txt":   "text/plain; charset=utf-8",
	"":       "text/plain; charset=utf-8", // LICENSE
}

// compressible lists the extensions worth gzipping; fonts and PNGs are
// already compressed.
var compressible = map[string]bool{
	".css": true, ".js": true, ".svg": true, ".json": true, ".txt": true, "": true,
}

// Assets holds every embedded file in memory, with its gzipped form when
// that is smaller, indexed by both plain and hashed name. It is read-only
// after [New] and safe for concurrent use.
type Assets struct {
	hashed map[string]string // plain name → hashed name
	routes map[string]route  // plain or hashed name → file
}

type route struct {
	file      *asset
	immutable bool
}

type asset struct {
	body        []byte
	gzipped     []byte // nil when not compressible or gzip does not help
	contentType string
	etag        string // quoted strong ETag of body; gzipped gets its own
}

// New returns the embedded files, hashed and with the compressible ones
// pre-compressed. The work (about 0.1s, mostly gzip) is done once per
// process and the result shared, which is safe because the embedded files
// never change and Assets is read-only. It fails only if the embedded tree
// is inconsistent.
func New() (*Assets, error) {
	return load()
}

var load = sync.OnceValues(func() (*Assets, error) {
	a := &Assets{
		hashed: make(map[string]string),
		routes: make(map[string]route),
	}
	var stylesheets []string
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		// Stylesheets come last: their url()s need the hashed names of
		// the files they point at.
		if path.Ext(name) == ".css" {
			stylesheets = append(stylesheets, name)
			return nil
		}
		body, err := files.ReadFile(name)
		if err != nil {
			return err
		}
		return a.add(name, body)
	})
	if err != nil {
		return nil, fmt.Errorf("static: load embedded files: %w", err)
	}
	for _, name := range stylesheets {
		body, err := files.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("static: load embedded files: %w", err)
		}
		if body, err = a.rewriteURLs(name, body); err != nil {
			return nil, err
		}
		if err := a.add(name, body); err != nil {
			return nil, fmt.Errorf("static: load embedded files: %w", err)
		}
	}
	// A plain name that looks like another file's hashed name would be
	// shadowed by it; refuse to start rather than serve the wrong bytes.
	if len(a.routes) != 2*len(a.hashed) {
		return nil, fmt.Errorf("static: a file name collides with a hashed name")
	}
	return a, nil
})

// add registers the file name with body under its plain and hashed names.
func (a *Assets) add(name string, body []byte) error {
	sum := sha256.Sum256(body)
	digest := hex.EncodeToString(sum[:])
	ext := path.Ext(name)
	f := &asset{
		body:        body,
		contentType: contentType(ext),
		etag:        `"` + digest[:16] + `"`,
	}
	if compressible[ext] {
		var err error
		if f.gzipped, err = gzipBytes(body); err != nil {
			return fmt.Errorf("gzip %s: %w", name, err)
		}
	}
	hashedName := strings.TrimSuffix(name, ext) + "." + digest[:hashLen] + ext
	a.hashed[name] = hashedName
	a.routes[name] = route{file: f}
	a.routes[hashedName] = route{file: f, immutable: true}
	return nil
}

// cssURL matches a url() with its argument, quoted or not.
var cssURL = regexp.MustCompile(`url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)`)

// rewriteURLs points the relative url()s of the stylesheet name at the
// hashed URLs of the embedded files they resolve to. Absolute URLs, data:
// URIs and fragments are left alone; a relative one that names no
// embedded (non-CSS) file is an error.
func (a *Assets) rewriteURLs(name string, css []byte) ([]byte, error) {
	var missing string
	out := cssURL.ReplaceAllFunc(css, func(m []byte) []byte {
		sub := cssURL.FindSubmatch(m)
		ref := string(sub[1]) + string(sub[2]) + string(sub[3])
		if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "/") || strings.Contains(ref, ":") {
			return m
		}
		target, fragment, _ := strings.Cut(ref, "#")
		target, _, _ = strings.Cut(target, "?")
		hashedName, ok := a.hashed[path.Join(path.Dir(name), target)]
		if !ok {
			missing = ref
			return m
		}
		if fragment != "" {
			hashedName += "#" + fragment
		}
		return []byte(`url("` + Prefix + hashedName + `")`)
	})
	if missing != "" {
		return nil, fmt.Errorf("static: %s refers to %q, which is not embedded", name, missing)
	}
	return out, nil
}

// URL returns the content-hashed URL path of the embedded file name, given
// relative to static/ (for example "css/portal.css" or
// "vendor/bootstrap-italia/svg/sprites.svg").
//
// An unknown name is a typo in a template: under `go test` URL panics so
// that the page tests catch it; in production it returns the unhashed path,
// which the handler answers with 404, and logs nothing.
func (a *Assets) URL(name string) string {
	if h, ok := a.hashed[name]; ok {
		return Prefix + h
	}
	if testing.Testing() {
		panic(fmt.Sprintf("static: unknown asset %q", name))
	}
	return Prefix + name
}

// Handler serves the files under [Prefix], by hashed name (cached as
// immutable) and by plain name (short cache). It answers GET and HEAD,
// honours If-None-Match, sends gzip to clients that accept it and returns
// 404 for anything else, directories included. It reads the full request
// path, so mount it at the prefix without http.StripPrefix, for example
// r.Handle("/static/*", assets.Handler()) with chi.
func (a *Assets) Handler() http.Handler {
	return http.HandlerFunc(a.serve)
}

func (a *Assets) serve(w http.ResponseWriter, r *http.Request) {
	name, ok := strings.CutPrefix(r.URL.Path, Prefix)
	rt, found := a.routes[name]
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return
	}

	f := rt.file
	h := w.Header()
	body, etag := f.body, f.etag
	if f.gzipped != nil {
		// Caches must key on Accept-Encoding whichever variant this is.
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Get("Accept-Encoding")) {
			body = f.gzipped
			etag = strings.TrimSuffix(f.etag, `"`) + `-gzip"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("Content-Type", f.contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("ETag", etag)
	if rt.immutable {
		h.Set("Cache-Control", cacheImmutable)
	} else {
		h.Set("Cache-Control", cachePlain)
	}

	if etagMatches(r.Header.Get("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodGet {
		_, _ = w.Write(body) // an error means the client went away
	}
}

func contentType(ext string) string {
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// gzipBytes compresses b once at start-up, so it uses the best level. It
// returns nil when compression does not make b smaller.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	if buf.Len() >= len(b) {
		return nil, nil
	}
	return buf.Bytes(), nil
}

// acceptsGzip reports whether an Accept-Encoding header allows gzip: listed
// (or matched by "*") with a non-zero q-value.
func acceptsGzip(header string) bool {
	star := false
	for part := range strings.SplitSeq(header, ",") {
		coding, params, _ := strings.Cut(part, ";")
		coding = strings.ToLower(strings.TrimSpace(coding))
		if coding != "gzip" && coding != "x-gzip" && coding != "*" {
			continue
		}
		ok := true
		if k, v, found := strings.Cut(params, "="); found && strings.EqualFold(strings.TrimSpace(k), "q") {
			q, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			ok = err == nil && q > 0
		}
		if coding == "*" {
			star = ok
			continue
		}
		return ok
	}
	return star
}

// etagMatches implements the weak comparison If-None-Match calls for.
func etagMatches(header, etag string) bool {
	for candidate := range strings.SplitSeq(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == etag {
			return true
		}
	}
	return false
}
