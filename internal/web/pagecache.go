package web

import (
	"bytes"
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/andybalholm/brotli"
	"github.com/go-chi/chi/v5"
	"github.com/klauspost/compress/gzip"
	"github.com/udc-umbria/portal/internal/metrics"
	"golang.org/x/sync/singleflight"
)

// Public pages are documents: rendered once per content version, kept in
// memory compressed (gzip and brotli) with a strong ETag, and served to
// everyone with the same bytes — no cookie, no nonce, no per-visitor
// state. A page opts in with one line in routes.go (s.document). A fresh
// copy is answered before the router and most of the middleware run
// (fromMemory); a miss renders the page once, whoever else asks for it
// meanwhile waits for that rendering (singleflight).
//
// Freshness. Every change to what the pages show is announced by
// PostgreSQL (LISTEN content_changed and office_changed, see changes.go
// and migrations/00008_content_changed.sql) on every instance; a notification
// makes every cached page stale at once. Cached pages are trusted only
// while the listener is connected: a lost connection, and every
// (re)connection, makes them stale too, and while nobody listens every
// request renders afresh. As a safety net for a change that notifies
// nobody, no page is served from memory more than pageCacheTTL after it
// was rendered. Pages whose text depends on the clock ("aperto ora", the
// next 14 days, today's date) are rendered again when the minute changes
// (Europe/Rome minutes are UTC minutes), so a copy is never a minute old.
//
// Outages. A stale copy is not thrown away: it is the last good copy. When
// rendering again fails (the database is unreachable: the handler answers
// 503, or any other 5xx), the last good copy is served with 200, however
// old — stale-if-error in the server — and for a second nobody tries that
// page again, so an outage costs the database one attempt per page per
// second.
//
// Memory. Only the compressed bytes are kept (a client that accepts
// neither encoding gets the gzip copy decompressed on the fly), the cache
// holds at most maxBytes (least recently used pages go first), a page
// keeps only the query parameters it declares (every other one is dropped
// before the handler sees it, so ?utm_source=… or ?fbclid=… share the
// page's copy), a value longer than maxQueryValue is not cached, and one
// path has at most maxVariants query variants in memory.

const (
	// pageCacheTTL bounds how long a page is served from memory without
	// being rendered again, whatever the notifications say.
	pageCacheTTL = 60 * time.Second
	// pageCacheMaxBytes bounds the memory of the cached pages.
	pageCacheMaxBytes = 16 << 20
	// maxVariants bounds the query variants of one path kept in memory.
	maxVariants = 64
	// maxQueryValue is the longest query value whose page is cached.
	maxQueryValue = 100
	// staleRetry is how long a page whose rendering failed is served from
	// its last good copy before rendering is tried again.
	staleRetry = time.Second
	// renderTimeout bounds a rendering done for the cache: it runs
	// detached from the request that started it, so that a client going
	// away does not fail the others waiting for the same page.
	renderTimeout = 10 * time.Second
)

// freshness says when a cached page must be rendered again besides a
// content change.
type freshness int

const (
	// untilChanged pages change only with the content.
	untilChanged freshness = iota
	// perMinute pages also show the time ("aperto ora", the coming days).
	perMinute
)

// Cache-Control of the documents. Browsers ask again every time
// (max-age=0): a 304 of a few hundred bytes when nothing changed, and
// nobody — an editor checking a save, a citizen after a closure was
// announced — sees a page older than the server's. A shared cache in front
// (the optional nginx cache of deploy/) may keep a page a minute, or until
// the minute changes for pages that show the time (s-maxage); if the
// portal cannot answer, any cache may show a copy up to a day old, as the
// server itself does (stale-if-error). No stale-while-revalidate: browsers
// would show the old page once more after a change.
const (
	documentCacheControl = "public, max-age=0, s-maxage=60, stale-if-error=86400"
	minuteCacheControl   = "public, max-age=0, s-maxage=%d, stale-if-error=86400"
)

// publicCSP is the Content-Security-Policy of the documents: a constant,
// since their only scripts are files from 'self' (JSON-LD blocks are data,
// which CSP does not govern).
const publicCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"

// isDocument reports whether the request renders a page without
// per-visitor state.
func isDocument(ctx context.Context) bool {
	v, _ := ctx.Value(documentKey).(bool)
	return v
}

// withoutVisitorState marks r as rendering a page with no per-visitor
// state (see isDocument) and gives it the constant public CSP.
func withoutVisitorState(w http.ResponseWriter, r *http.Request) *http.Request {
	w.Header().Set("Content-Security-Policy", publicCSP)
	return r.WithContext(context.WithValue(r.Context(), documentKey, true))
}

// statelessPage serves the pages that are not cached but must not carry
// per-visitor state either (the rating form's answers).
func statelessPage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, withoutVisitorState(w, r))
	})
}

// document serves the route's GET and HEAD requests from the page cache;
// params are the query parameters the page reads (any other is dropped).
func (s *Server) document(f freshness, params ...string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				next.ServeHTTP(w, r)
				return
			}
			query, cacheable := keptQuery(r.URL.Query(), params)
			r = withoutVisitorState(w, r)
			if r.URL.RawQuery != query {
				u := *r.URL
				u.RawQuery = query
				r.URL = &u
			}
			if !cacheable {
				s.metrics.PageCache("bypass")
				next.ServeHTTP(w, r)
				return
			}
			s.pages.serve(w, r, next, f, s.now())
		})
	}
}

// keptQuery returns the canonical query of the declared params (first
// value of each, in params order); cacheable is false when a value is too
// long to be worth a copy.
func keptQuery(q url.Values, params []string) (query string, cacheable bool) {
	var kept url.Values
	for _, p := range params {
		if v := q.Get(p); v != "" {
			if len(v) > maxQueryValue {
				return "", false
			}
			if kept == nil {
				kept = url.Values{}
			}
			kept.Set(p, v)
		}
	}
	return kept.Encode(), true
}

// cachedPage is one page in memory.
type cachedPage struct {
	key, path string
	// route is the route pattern it was rendered for (logs, metrics).
	route string
	// gen is the content generation the page was rendered in; minute the
	// Unix minute it shows, for a perMinute page.
	f          freshness
	gen        uint64
	minute     int64
	renderedAt time.Time
	// retryAt is when rendering may be tried again after a failure.
	retryAt time.Time

	header   http.Header // what the handler set: Content-Type, Content-Disposition…
	etag     string      // base of the ETags, without quotes
	gz, br   []byte
	plainLen int
	size     int
	// The header values of each encoding, ready to send (index: encoding).
	etags, lengths [3][]string
}

// Encodings of a cached page, as indexes of its ready header values.
const (
	encIdentity = iota
	encGzip
	encBrotli
)

// Header values shared by every cached page's answers (never modified).
var (
	varyValue          = []string{"Accept-Encoding"}
	documentCCValue    = []string{documentCacheControl}
	publicCSPValue     = []string{publicCSP}
	contentEncodingFor = [3][]string{nil, {"gzip"}, {"br"}}
	// minuteCCValues[s] is the Cache-Control of a perMinute page s
	// seconds into the minute.
	minuteCCValues = func() (v [60][]string) {
		for s := range v {
			v[s] = []string{fmt.Sprintf(minuteCacheControl, 60-s)}
		}
		return v
	}()
)

// pageCache holds the documents; see the comment at the top of the file.
type pageCache struct {
	ttl      time.Duration
	maxBytes int
	metrics  *metrics.Metrics
	flight   singleflight.Group

	mu  sync.Mutex
	gen uint64
	// listening is true while change notifications are received.
	listening bool
	lru       *list.List // of *cachedPage, most recent first
	byKey     map[string]*list.Element
	variants  map[string]int // cached query variants per path
	bytes     int
}

func newPageCache(ttl time.Duration, maxBytes int, m *metrics.Metrics) *pageCache {
	return &pageCache{ttl: ttl, maxBytes: maxBytes, metrics: m, lru: list.New(),
		byKey: map[string]*list.Element{}, variants: map[string]int{}}
}

// invalidate makes every cached page stale (kept as last good copies).
func (c *pageCache) invalidate() {
	c.mu.Lock()
	c.gen++
	c.mu.Unlock()
}

// setListening records whether change notifications are received; both
// transitions make every cached page stale.
func (c *pageCache) setListening(on bool) {
	c.mu.Lock()
	c.gen++
	c.listening = on
	c.mu.Unlock()
}

// lookup returns the page stored under key, and whether it may be served
// as fresh at now.
func (c *pageCache) lookup(key string, now time.Time) (p *cachedPage, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.lru.MoveToFront(el)
	p = el.Value.(*cachedPage)
	return p, c.listening && p.gen == c.gen && (p.f == untilChanged || p.minute == now.Unix()/60) &&
		time.Since(p.renderedAt) < c.ttl
}

// generation returns the current content generation.
func (c *pageCache) generation() uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen
}

// put stores p, unless a page of a later generation is already there,
// and evicts the least recently used pages beyond the memory bound.
func (c *pageCache) put(p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[p.key]; ok {
		if old := el.Value.(*cachedPage); old.gen > p.gen {
			return
		}
		c.remove(el)
	}
	if p.key != p.path && c.variants[p.path] >= maxVariants {
		return
	}
	c.byKey[p.key] = c.lru.PushFront(p)
	c.bytes += p.size
	if p.key != p.path {
		c.variants[p.path]++
	}
	for c.bytes > c.maxBytes && c.lru.Len() > 1 {
		c.remove(c.lru.Back())
	}
	c.metrics.PageCacheSize(c.lru.Len(), c.bytes)
}

func (c *pageCache) remove(el *list.Element) {
	p := c.lru.Remove(el).(*cachedPage)
	delete(c.byKey, p.key)
	c.bytes -= p.size
	if p.key != p.path {
		if c.variants[p.path]--; c.variants[p.path] <= 0 {
			delete(c.variants, p.path)
		}
	}
}

// failed marks a page whose rendering failed: its copy is served without
// trying again until staleRetry has passed.
func (c *pageCache) failed(p *cachedPage) {
	c.mu.Lock()
	p.retryAt = time.Now().Add(staleRetry)
	c.mu.Unlock()
}

func (c *pageCache) retryLater(p *cachedPage) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Before(p.retryAt)
}

// rendered is what a handler answered, captured for the cache.
type rendered struct {
	status int
	header http.Header
	body   bytes.Buffer
}

func (rr *rendered) Header() http.Header { return rr.header }
func (rr *rendered) Write(b []byte) (int, error) {
	if rr.status == 0 {
		rr.status = http.StatusOK
	}
	return rr.body.Write(b)
}
func (rr *rendered) WriteHeader(status int) {
	if rr.status == 0 {
		rr.status = status
	}
}

// serve answers r from the cache, rendering the page with next when there
// is no fresh copy; see the comment at the top of the file.
func (c *pageCache) serve(w http.ResponseWriter, r *http.Request, next http.Handler, f freshness, now time.Time) {
	key := r.URL.Path
	if r.URL.RawQuery != "" {
		key += "?" + r.URL.RawQuery
	}
	minute := int64(-1)
	if f == perMinute {
		minute = now.Unix() / 60
	}
	cached, fresh := c.lookup(key, now)
	if fresh {
		c.metrics.PageCache("hit")
		c.write(w, r, cached, now)
		return
	}
	if cached != nil && c.retryLater(cached) {
		c.metrics.PageCache("stale")
		c.write(w, r, cached, now)
		return
	}
	// One rendering per page at a time: the others wait for it.
	v, _, _ := c.flight.Do(key+"@"+strconv.FormatInt(minute, 10), func() (any, error) {
		gen := c.generation()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), renderTimeout)
		defer cancel()
		rr := &rendered{header: http.Header{}}
		next.ServeHTTP(rr, r.WithContext(ctx))
		if rr.status == 0 {
			rr.status = http.StatusOK
		}
		if rr.status != http.StatusOK || len(rr.header.Values("Set-Cookie")) > 0 {
			return rr, nil
		}
		p := newCachedPage(key, r.URL.Path, routePattern(r), rr, f, gen, minute)
		c.put(p)
		return p, nil
	})
	switch v := v.(type) {
	case *cachedPage:
		c.metrics.PageCache("miss")
		c.write(w, r, v, now)
	case *rendered:
		if v.status >= 500 && cached != nil {
			c.failed(cached)
			c.metrics.PageCache("stale")
			c.write(w, r, cached, now)
			return
		}
		c.metrics.PageCache("uncacheable")
		h := w.Header()
		for k, vs := range v.header {
			h[k] = vs
		}
		w.WriteHeader(v.status)
		_, _ = w.Write(v.body.Bytes())
	}
}

// headersNotKept are set per response, never taken from the rendering.
var headersNotKept = []string{"Cache-Control", "Content-Length", "Content-Encoding", "Content-Security-Policy", "Set-Cookie",
	"Etag", "Vary", "Date"}

// newCachedPage compresses a rendered page.
func newCachedPage(key, path, route string, rr *rendered, f freshness, gen uint64, minute int64) *cachedPage {
	plain := rr.body.Bytes()
	sum := sha256.Sum256(plain)
	p := &cachedPage{key: key, path: path, route: route, f: f, gen: gen, minute: minute, renderedAt: time.Now(),
		header: http.Header{}, etag: base64.RawURLEncoding.EncodeToString(sum[:18]), plainLen: len(plain)}
	for k, vs := range rr.header {
		if !slices.Contains(headersNotKept, k) {
			p.header[k] = vs
		}
	}
	p.gz = compressGzip(plain)
	p.br = compressBrotli(plain)
	p.size = len(p.gz) + len(p.br) + 2*len(key) + 512
	for enc, suffix := range [3]string{"", "-gz", "-br"} {
		p.etags[enc] = []string{`"` + p.etag + suffix + `"`}
	}
	p.lengths = [3][]string{{strconv.Itoa(len(plain))}, {strconv.Itoa(len(p.gz))}, {strconv.Itoa(len(p.br))}}
	return p
}

var (
	gzipWriters = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestCompression); return w }}
	// Brotli quality 5 compresses a page in about a millisecond with 1.5
	// MB of state; quality 9 would need 32 MB for 1 % less.
	brotliWriters = sync.Pool{New: func() any {
		return brotli.NewWriterOptions(io.Discard, brotli.WriterOptions{Quality: 5, LGWin: 18})
	}}
)

func compressGzip(b []byte) []byte {
	var out bytes.Buffer
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(&out)
	_, _ = zw.Write(b)
	_ = zw.Close()
	gzipWriters.Put(zw)
	return slices.Clip(out.Bytes())
}

func compressBrotli(b []byte) []byte {
	var out bytes.Buffer
	bw := brotliWriters.Get().(*brotli.Writer)
	bw.Reset(&out)
	_, _ = bw.Write(b)
	_ = bw.Close()
	brotliWriters.Put(bw)
	return slices.Clip(out.Bytes())
}

// write sends a cached page: 304 when the client has it, else the best
// encoding the client accepts. Its header values are ready-made: a hit
// allocates nothing of its own.
func (c *pageCache) write(w http.ResponseWriter, r *http.Request, p *cachedPage, now time.Time) {
	h := w.Header()
	for k, vs := range p.header {
		h[k] = vs
	}
	h["Vary"] = varyValue
	if p.f == perMinute {
		h["Cache-Control"] = minuteCCValues[now.Second()]
	} else {
		h["Cache-Control"] = documentCCValue
	}
	enc := acceptedEncoding(r.Header.Get("Accept-Encoding"))
	h["Etag"] = p.etags[enc]
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, p.etag) {
		delete(h, "Content-Type")
		delete(h, "Content-Disposition")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = p.lengths[enc]
	if enc != encIdentity {
		h["Content-Encoding"] = contentEncodingFor[enc]
	}
	w.WriteHeader(http.StatusOK)
	switch {
	case r.Method == http.MethodHead:
	case enc == encBrotli:
		_, _ = w.Write(p.br)
	case enc == encGzip:
		_, _ = w.Write(p.gz)
	default:
		// Rare: a client that accepts no compression.
		if zr, err := gzip.NewReader(bytes.NewReader(p.gz)); err == nil {
			_, _ = io.Copy(w, zr)
		}
	}
}

// fromMemory answers a GET or HEAD of a document that is in memory and
// fresh before the rest of the middleware and the router run: a hit then
// costs little more than writing the bytes. It stands after the request
// logger, which logs the route pattern the page was rendered for, and
// sets the headers the skipped middleware would have set. Anything else —
// a query string, a stale or missing page — goes the ordinary way
// (s.document).
func (s *Server) fromMemory(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.RawQuery == "" && r.URL.RawPath == "" {
			now := s.now()
			if p, fresh := s.pages.lookup(r.URL.Path, now); fresh {
				if rc := chi.RouteContext(r.Context()); rc != nil {
					rc.RoutePatterns = append(rc.RoutePatterns, p.route)
				}
				h := w.Header()
				setStaticSecurityHeaders(h)
				h["Content-Security-Policy"] = publicCSPValue
				s.metrics.PageCache("hit")
				s.pages.write(w, r, p, now)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// acceptedEncoding picks brotli, else gzip, else none, from an
// Accept-Encoding header (a coding with q=0 is refused).
func acceptedEncoding(header string) int {
	if header == "" {
		return encIdentity
	}
	var br, gz bool
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if v, err := strconv.ParseFloat(strings.TrimSpace(q), 64); err == nil && v <= 0 {
				continue
			}
		}
		switch name {
		case "br":
			br = true
		case "gzip", "x-gzip":
			gz = true
		}
	}
	switch {
	case br:
		return encBrotli
	case gz:
		return encGzip
	}
	return encIdentity
}

// etagMatches reports whether an If-None-Match header names the page in
// any of its encodings (the weak comparison If-None-Match uses).
func etagMatches(header, base string) bool {
	if header == "" {
		return false
	}
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimSpace(tag)
		if tag == "*" {
			return true
		}
		tag = strings.Trim(strings.TrimPrefix(tag, "W/"), `"`)
		tag = strings.TrimSuffix(strings.TrimSuffix(tag, "-gz"), "-br")
		if tag == base {
			return true
		}
	}
	return false
}
