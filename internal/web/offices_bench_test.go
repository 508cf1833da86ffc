package web_test

import (
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/web"
)

// BenchmarkOfficePage measures an office page and a Comune page through
// HTTP with the office cache off and on (demo data: 27 offices). The
// "cached" results report speedup, the ratio of uncached to cached time
// per page; `make bench` prints it. Nothing is asserted on timings.
func BenchmarkOfficePage(b *testing.B) {
	paths := []string{"/uffici/perugia-centro", "/comuni/perugia"}
	var uncachedNs float64
	run := func(b *testing.B, ttl time.Duration) float64 {
		e := newTestEnv(b, withOptions(func(o *web.Options) { o.OfficeCacheTTL = ttl }))
		seedDemo(b, e)
		client := &http.Client{}
		get := func(p string) {
			resp, err := client.Get(e.Server.URL + p)
			if err != nil {
				b.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Fatalf("%s: status %d", p, resp.StatusCode)
			}
		}
		for _, p := range paths { // warm up connections (and the cache)
			get(p)
		}
		i := 0
		for b.Loop() {
			get(paths[i%len(paths)])
			i++
		}
		return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	}
	b.Run("uncached", func(b *testing.B) { uncachedNs = run(b, -1) })
	b.Run("cached", func(b *testing.B) {
		ns := run(b, time.Hour)
		if uncachedNs > 0 && ns > 0 {
			b.ReportMetric(uncachedNs/ns, "speedup")
		}
	})
}
