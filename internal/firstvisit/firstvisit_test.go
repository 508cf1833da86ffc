package firstvisit_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/firstvisit"
)

// site serves a small page with one of each kind of reference. Files whose
// name starts with "gz-" are sent gzip-compressed when the client accepts
// it, like a compressing server would.
func site(t *testing.T, files map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if strings.Contains(r.URL.Path, "/gz-") && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(body))
			zw.Close()
			w.Header().Set("Content-Encoding", "gzip")
			w.Write(buf.Bytes())
			return
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv
}

const page = `<!DOCTYPE html><html lang="it"><head>
<link rel="icon" href="/favicon.svg">
<link rel="preload" href="/fonts/regular.woff2" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="/css/gz-site.css">
<link rel="alternate" href="/feed.xml">
<script type="application/ld+json">{"@type":"Thing"}</script>
</head><body>
<img src="/img/logo.png" alt="">
<svg><use href="/sprite.svg#it-user"></use></svg>
<svg><use href="/sprite.svg#it-pa"></use></svg>
<svg><use href="#local"></use></svg>
<a href="/other">link, not downloaded</a>
<script src="/js/app.js" defer></script>
</body></html>`

const css = `@import url("more.css");
/* url(/commented.woff2) */
@font-face{font-family:A;font-weight:400;src:url("../fonts/regular.woff2") format("woff2"),url(../fonts/regular.woff) format("woff")}
@font-face{font-family:A;font-weight:700;src:url('../fonts/bold.woff2') format("woff2")}
.x{background:url(data:image/png;base64,AAAA)}
.y{background-image:url(../img/bg.png)}`

func files() map[string]string {
	return map[string]string{
		"/page":                page,
		"/favicon.svg":         "<svg/>",
		"/fonts/regular.woff2": strings.Repeat("R", 1000),
		"/fonts/bold.woff2":    strings.Repeat("B", 900),
		"/css/gz-site.css":     css + strings.Repeat(" ", 2000),
		"/css/more.css":        ".z{color:red}",
		"/img/logo.png":        "PNG",
		"/img/bg.png":          "BG",
		"/sprite.svg":          "<svg>" + strings.Repeat("<symbol/>", 100) + "</svg>",
		"/js/app.js":           strings.Repeat("console.log(1);", 50),
	}
}

func TestMeasure_CountsEveryReferencedResourceOnce(t *testing.T) {
	srv := site(t, files())
	res, err := firstvisit.Measure(context.Background(), srv.Client(), srv.URL+"/page")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range res.Resources {
		got = append(got, string(r.Kind)+" "+strings.TrimPrefix(r.URL, srv.URL))
	}
	want := []string{
		"document /page",
		"image /favicon.svg",
		"font /fonts/regular.woff2",
		"stylesheet /css/gz-site.css",
		"stylesheet /css/more.css",
		"font /fonts/bold.woff2",
		"image /img/bg.png",
		"image /img/logo.png",
		"image /sprite.svg",
		"script /js/app.js",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("resources:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestMeasure_SizesAsOnTheWire(t *testing.T) {
	fs := files()
	srv := site(t, fs)
	res, err := firstvisit.Measure(context.Background(), srv.Client(), srv.URL+"/page")
	if err != nil {
		t.Fatal(err)
	}
	var raw, compressed int64
	for _, r := range res.Resources {
		path := strings.TrimPrefix(r.URL, srv.URL)
		raw += r.Raw
		compressed += r.Compressed
		if r.Raw != int64(len(fs[path])) {
			t.Errorf("%s: raw %d, want the decoded size %d", path, r.Raw, len(fs[path]))
		}
		if r.Compressed > r.Raw {
			t.Errorf("%s: compressed %d exceeds raw %d", path, r.Compressed, r.Raw)
		}
		switch path {
		case "/css/gz-site.css":
			if !r.ServerCompressed {
				t.Errorf("%s: the server compressed it, Measure says not", path)
			}
		case "/js/app.js", "/sprite.svg":
			// Repetitive text that the server sent plain: Measure gzips it.
			if r.ServerCompressed || r.Compressed*4 > r.Raw {
				t.Errorf("%s: compressed %d of %d raw, want it gzipped by Measure", path, r.Compressed, r.Raw)
			}
		}
	}
	if res.Raw != raw || res.Compressed != compressed {
		t.Errorf("totals %d/%d, want the sums %d/%d", res.Raw, res.Compressed, raw, compressed)
	}
}

func TestMeasure_MissingResource_Error(t *testing.T) {
	fs := files()
	delete(fs, "/fonts/bold.woff2")
	srv := site(t, fs)
	_, err := firstvisit.Measure(context.Background(), srv.Client(), srv.URL+"/page")
	if err == nil || !strings.Contains(err.Error(), "bold.woff2") || !strings.Contains(err.Error(), "404") {
		t.Fatalf("err = %v, want a 404 naming bold.woff2", err)
	}
}

func TestMeasure_PageNotOK_Error(t *testing.T) {
	srv := site(t, files())
	if _, err := firstvisit.Measure(context.Background(), srv.Client(), srv.URL+"/missing"); err == nil {
		t.Fatal("no error for a page that answers 404")
	}
}
