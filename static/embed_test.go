package static

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The files the layout links; static/src/build.mjs or a rename must not
// lose them.
var layoutAssets = []string{
	"vendor/bootstrap-italia/css/bootstrap-italia.min.css",
	"vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
	"vendor/bootstrap-italia/svg/sprites.svg",
	"css/portal.css",
	"js/portal.js",
	"img/favicon.svg",
}

func newAssets(t *testing.T) *Assets {
	t.Helper()
	a, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return a
}

func get(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func readBody(t *testing.T, res *http.Response) []byte {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	return b
}

func TestURL_LayoutAssets_HaveHashBeforeExtension(t *testing.T) {
	a := newAssets(t)
	shape := regexp.MustCompile(`^/static/(.+)\.[0-9a-f]{8}(\.[a-z0-9]+)$`)
	for _, name := range layoutAssets {
		u := a.URL(name)
		m := shape.FindStringSubmatch(u)
		if m == nil {
			t.Errorf("URL(%q) = %q, want /static/<name>.<8 hex><ext>", name, u)
			continue
		}
		if got := m[1] + m[2]; got != name {
			t.Errorf("URL(%q) = %q, which drops the hash to %q", name, u, got)
		}
	}
}

func TestURL_Hash_IsContentSHA256(t *testing.T) {
	a := newAssets(t)
	body, _ := files.ReadFile("js/portal.js")
	sum := sha256.Sum256(body)
	want := "/static/js/portal." + hex.EncodeToString(sum[:])[:8] + ".js"
	if got := a.URL("js/portal.js"); got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

// A stylesheet's hash is that of the served bytes, its url()s rewritten, so
// that it changes when a font it points to changes.
func TestURL_StylesheetHash_IsServedContentSHA256(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.Handler(), http.MethodGet, "/static/css/portal.css", nil)
	sum := sha256.Sum256(readBody(t, res))
	want := "/static/css/portal." + hex.EncodeToString(sum[:])[:8] + ".css"
	if got := a.URL("css/portal.css"); got != want {
		t.Errorf("URL = %q, want %q", got, want)
	}
}

func TestURL_UnknownName_PanicsUnderTest(t *testing.T) {
	a := newAssets(t)
	defer func() {
		if recover() == nil {
			t.Error("URL of an unknown asset did not panic under go test")
		}
	}()
	a.URL("css/missing.css")
}

func TestHandler_HashedURL_IsImmutableWithETag(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.Handler(), http.MethodGet, a.URL("js/portal.js"), nil)
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	if got := res.Header.Get("Cache-Control"); got != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control = %q", got)
	}
	if res.Header.Get("ETag") == "" {
		t.Error("no ETag")
	}
	want, _ := files.ReadFile("js/portal.js")
	if !bytes.Equal(body, want) {
		t.Error("body differs from the embedded file")
	}
}

func TestHandler_PlainURL_ShortCache(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.Handler(), http.MethodGet, "/static/css/portal.css", nil)
	readBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	if got := res.Header.Get("Cache-Control"); strings.Contains(got, "immutable") || !strings.Contains(got, "max-age=") {
		t.Errorf("Cache-Control = %q, want a short max-age", got)
	}
}

func TestHandler_AcceptsGzip_ServesGzipThatDecodesToOriginal(t *testing.T) {
	a := newAssets(t)
	for _, name := range []string{
		"vendor/bootstrap-italia/css/bootstrap-italia.min.css",
		"vendor/bootstrap-italia/js/bootstrap-italia.bundle.min.js",
		"vendor/bootstrap-italia/svg/sprites.svg",
	} {
		t.Run(name, func(t *testing.T) {
			res := get(t, a.Handler(), http.MethodGet, a.URL(name),
				http.Header{"Accept-Encoding": {"br, gzip;q=0.8, deflate"}})
			body := readBody(t, res)
			if got := res.Header.Get("Content-Encoding"); got != "gzip" {
				t.Fatalf("Content-Encoding = %q, want gzip", got)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q, want Accept-Encoding", got)
			}
			if got := res.Header.Get("Content-Length"); got == "" {
				t.Error("no Content-Length")
			}
			zr, err := gzip.NewReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("gzip reader: %v", err)
			}
			plain, err := io.ReadAll(zr)
			if err != nil {
				t.Fatalf("gunzip: %v", err)
			}
			want, _ := files.ReadFile(name)
			if !bytes.Equal(plain, want) {
				t.Error("gunzipped body differs from the embedded file")
			}
			if len(body) >= len(want) {
				t.Errorf("gzip body is %d bytes, original %d", len(body), len(want))
			}
		})
	}
}

func TestHandler_NoAcceptEncoding_ServesIdentity(t *testing.T) {
	a := newAssets(t)
	for _, ae := range []string{"", "gzip;q=0", "identity", "br"} {
		res := get(t, a.Handler(), http.MethodGet, a.URL("js/portal.js"),
			http.Header{"Accept-Encoding": {ae}})
		body := readBody(t, res)
		if got := res.Header.Get("Content-Encoding"); got != "" {
			t.Errorf("Accept-Encoding %q: Content-Encoding = %q, want none", ae, got)
		}
		if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary = %q, want Accept-Encoding", ae, got)
		}
		want, _ := files.ReadFile("js/portal.js")
		if !bytes.Equal(body, want) {
			t.Errorf("Accept-Encoding %q: body differs from the embedded file", ae)
		}
	}
}

func TestHandler_Font_NotGzipped(t *testing.T) {
	a := newAssets(t)
	name := "vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2"
	res := get(t, a.Handler(), http.MethodGet, a.URL(name), http.Header{"Accept-Encoding": {"gzip"}})
	readBody(t, res)
	if got := res.Header.Get("Content-Encoding"); got != "" {
		t.Errorf("Content-Encoding = %q for woff2, want none", got)
	}
}

func TestHandler_ContentTypes(t *testing.T) {
	a := newAssets(t)
	tests := []struct{ name, want string }{
		{"css/portal.css", "text/css; charset=utf-8"},
		{"js/portal.js", "text/javascript; charset=utf-8"},
		{"img/favicon.svg", "image/svg+xml"},
		{"vendor/bootstrap-italia/svg/sprites.svg", "image/svg+xml"},
		{"vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-700.woff2", "font/woff2"},
		{"vendor/bootstrap-italia/LICENSE", "text/plain; charset=utf-8"},
	}
	for _, tt := range tests {
		res := get(t, a.Handler(), http.MethodGet, a.URL(tt.name), nil)
		readBody(t, res)
		if got := res.Header.Get("Content-Type"); got != tt.want {
			t.Errorf("%s: Content-Type = %q, want %q", tt.name, got, tt.want)
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q, want nosniff", tt.name, got)
		}
	}
}

func TestHandler_UnknownOrDirectory_NotFound(t *testing.T) {
	a := newAssets(t)
	for _, target := range []string{
		"/static/",
		"/static/css",
		"/static/css/",
		"/static/vendor/bootstrap-italia/",
		"/static/css/portal.00000000.css",
		"/static/css/missing.css",
		"/static/../static/css/portal.css",
		"/css/portal.css",
	} {
		res := get(t, a.Handler(), http.MethodGet, target, nil)
		readBody(t, res)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s: status = %d, want 404", target, res.StatusCode)
		}
		if got := res.Header.Get("Cache-Control"); got != "" {
			t.Errorf("GET %s: 404 has Cache-Control %q", target, got)
		}
	}
}

func TestHandler_Head_HeadersWithoutBody(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.Handler(), http.MethodHead, a.URL("js/portal.js"), nil)
	body := readBody(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200", res.StatusCode)
	}
	if len(body) != 0 {
		t.Errorf("HEAD sent %d body bytes", len(body))
	}
	want, _ := files.ReadFile("js/portal.js")
	if got := res.Header.Get("Content-Length"); got != strconv.Itoa(len(want)) {
		t.Errorf("Content-Length = %q, want %d", got, len(want))
	}
}

func TestHandler_Post_MethodNotAllowed(t *testing.T) {
	a := newAssets(t)
	res := get(t, a.Handler(), http.MethodPost, a.URL("js/portal.js"), nil)
	readBody(t, res)
	if res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("status = %d, want 405", res.StatusCode)
	}
}

func TestHandler_IfNoneMatch_NotModified(t *testing.T) {
	a := newAssets(t)
	u := a.URL("css/portal.css")
	for _, ae := range []string{"", "gzip"} {
		first := get(t, a.Handler(), http.MethodGet, u, http.Header{"Accept-Encoding": {ae}})
		readBody(t, first)
		etag := first.Header.Get("ETag")
		res := get(t, a.Handler(), http.MethodGet, u,
			http.Header{"Accept-Encoding": {ae}, "If-None-Match": {`"other", W/` + etag}})
		body := readBody(t, res)
		if res.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("Accept-Encoding %q: status = %d with %d body bytes, want 304 and none", ae, res.StatusCode, len(body))
		}
	}
	gz := get(t, a.Handler(), http.MethodGet, u, http.Header{"Accept-Encoding": {"gzip"}})
	readBody(t, gz)
	plain := get(t, a.Handler(), http.MethodGet, u, nil)
	readBody(t, plain)
	if gz.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Error("gzip and identity responses share an ETag")
	}
}

// Every file a served stylesheet points to resolves, relative to the
// stylesheet's hashed URL as the browser resolves it, to a hashed URL
// cached as immutable: fonts are downloaded once and kept.
func TestHandler_FilesReferencedByCSS_ResolveToImmutableHashedURLs(t *testing.T) {
	a := newAssets(t)
	srv := httptest.NewServer(a.Handler())
	defer srv.Close()

	fonts := 0
	err := fs.WalkDir(files, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(name) != ".css" {
			return err
		}
		base, err := url.Parse(srv.URL + a.URL(name))
		if err != nil {
			return err
		}
		res, err := http.Get(base.String())
		if err != nil {
			t.Fatalf("GET %s: %v", base, err)
		}
		css := readBody(t, res)
		for _, m := range cssURL.FindAllSubmatch(css, -1) {
			ref := string(m[1]) + string(m[2]) + string(m[3])
			if strings.HasPrefix(ref, "data:") || strings.HasPrefix(ref, "#") {
				continue
			}
			target, err := base.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad url(%s): %v", name, ref, err)
				continue
			}
			res, err := http.Get(target.String())
			if err != nil {
				t.Fatalf("GET %s: %v", target, err)
			}
			readBody(t, res)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: url(%s) → %s: status %d", name, ref, target.Path, res.StatusCode)
			}
			if got := res.Header.Get("Cache-Control"); got != cacheImmutable {
				t.Errorf("%s: url(%s): Cache-Control %q, want %q", name, ref, got, cacheImmutable)
			}
			if strings.HasSuffix(target.Path, ".woff2") {
				fonts++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if fonts == 0 {
		t.Error("no CSS references a woff2 font; Titillium Web would never load")
	}
}

// The preload the layout writes for a font, made with URL, must be the URL
// portal.css asks for, or the browser downloads the font twice.
func TestURL_FontPreloadMatchesStylesheetURL(t *testing.T) {
	a := newAssets(t)
	font := "vendor/bootstrap-italia/fonts/Titillium_Web/titillium-web-v10-latin-ext_latin-regular.woff2"
	res := get(t, a.Handler(), http.MethodGet, a.URL("css/portal.css"), nil)
	css := string(readBody(t, res))
	if want := `url("` + a.URL(font) + `")`; !strings.Contains(css, want) {
		t.Errorf("served portal.css lacks %s", want)
	}
}

func TestRewriteURLs_MissingFile_Error(t *testing.T) {
	a := newAssets(t)
	_, err := a.rewriteURLs("css/x.css", []byte(`a{background:url("../img/nope.png")}`))
	if err == nil || !strings.Contains(err.Error(), "nope.png") {
		t.Fatalf("err = %v, want one naming nope.png", err)
	}
	out, err := a.rewriteURLs("css/x.css", []byte(`a{background:url(data:image/png;base64,AA==)}b{src:url('../img/favicon.svg#x')}`))
	if err != nil {
		t.Fatal(err)
	}
	want := `a{background:url(data:image/png;base64,AA==)}b{src:url("` + a.URL("img/favicon.svg") + `#x")}`
	if string(out) != want {
		t.Errorf("rewritten = %s\nwant        %s", out, want)
	}
}
