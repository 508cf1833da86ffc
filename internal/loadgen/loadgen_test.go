package loadgen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/loadgen"
)

// countingServer answers 200 with body, or 500 on /broken, and counts
// requests and distinct connections.
func countingServer(t *testing.T, body string, delay time.Duration) (*httptest.Server, *atomic.Int64, func() int) {
	t.Helper()
	var n atomic.Int64
	var mu sync.Mutex
	conns := map[string]bool{}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		mu.Lock()
		conns[r.RemoteAddr] = true
		mu.Unlock()
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("request without the target's header: %q", r.Header.Get("Accept-Encoding"))
		}
		time.Sleep(delay)
		if r.URL.Path == "/broken" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte(body))
	}))
	t.Cleanup(ts.Close)
	return ts, &n, func() int { mu.Lock(); defer mu.Unlock(); return len(conns) }
}

var gzipHeader = http.Header{"Accept-Encoding": {"gzip"}}

func TestClosed_CountsEveryAnswerOnKeepAliveConnections(t *testing.T) {
	ts, served, conns := countingServer(t, "hello", 0)
	tr := loadgen.NewTransport(4)
	res, err := loadgen.Closed(context.Background(), tr, loadgen.Target{URL: ts.URL + "/", Header: gzipHeader}, 4, 300*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Requests != served.Load() || res.Errors != 0 {
		t.Errorf("counted %d ok and %d errors, server saw %d", res.Requests, res.Errors, served.Load())
	}
	if res.Bytes != 5*res.Requests {
		t.Errorf("bytes %d for %d answers of 5 bytes", res.Bytes, res.Requests)
	}
	// Keep-alive: connections are reused, not one per request. The
	// transport may now and then replace a connection (a dial racing an
	// idle one on a loaded machine), so allow a few more than the clients.
	if c := conns(); c > 2*4 || int64(c)*10 > res.Requests {
		t.Errorf("%d connections for 4 keep-alive clients and %d requests", c, res.Requests)
	}
}

func TestClosed_OtherStatusesAreErrors(t *testing.T) {
	ts, served, _ := countingServer(t, "", 0)
	res, err := loadgen.Closed(context.Background(), loadgen.NewTransport(2), loadgen.Target{URL: ts.URL + "/broken", Header: gzipHeader}, 2, 100*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors != served.Load() {
		t.Errorf("500s counted as %d ok, %d errors (server saw %d)", res.Requests, res.Errors, served.Load())
	}
}

func TestOpen_SendsTheScheduledNumberOfRequests(t *testing.T) {
	ts, served, _ := countingServer(t, "x", 0)
	res, err := loadgen.Open(context.Background(), loadgen.NewTransport(8), loadgen.Target{URL: ts.URL + "/", Header: gzipHeader}, 200, 250*time.Millisecond, 8)
	if err != nil {
		t.Fatal(err)
	}
	if res.Sent != 50 || served.Load() != 50 || len(res.Latencies) != 50 || res.Errors != 0 {
		t.Errorf("sent %d, served %d, %d latencies, %d errors; want 50 each", res.Sent, served.Load(), len(res.Latencies), res.Errors)
	}
	if res.Quantile(0.5) > res.Quantile(0.99) || res.Quantile(0.99) > res.Latencies[len(res.Latencies)-1] {
		t.Error("quantiles out of order")
	}
}

// A server slower than the schedule makes later requests wait for a
// worker: their latency, counted from the scheduled start, includes the
// wait, so p99 exceeds the service time by far.
func TestOpen_LatencyIncludesTheWaitForABusyServer(t *testing.T) {
	ts, _, _ := countingServer(t, "x", 20*time.Millisecond)
	// 100/s for 0.3 s with one worker: 30 requests of 20 ms scheduled every 10 ms.
	res, err := loadgen.Open(context.Background(), loadgen.NewTransport(1), loadgen.Target{URL: ts.URL + "/", Header: gzipHeader}, 100, 300*time.Millisecond, 1)
	if err != nil {
		t.Fatal(err)
	}
	if p99 := res.Quantile(0.99); p99 < 200*time.Millisecond {
		t.Errorf("p99 %v: the queue behind a 20 ms server was not counted", p99)
	}
}
