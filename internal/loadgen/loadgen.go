// Package loadgen is the small HTTP load generator of `make bench`: a
// closed loop (N keep-alive clients, each sending its next request when
// the previous answer has been read) for throughput, and an open loop
// (requests started on a fixed schedule whatever the server does) for
// latency at a given rate.
//
// It is meant to cost little on a 2-core machine shared with the server
// under test: requests are built once per worker and reused, bodies are
// drained into io.Discard, counters are per worker, and the transport is
// used directly (no cookie jar, no redirects, no transparent gzip).
// The same generator with the same settings measures the portal and its
// baseline, so whatever it costs weighs on both.
package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Target is what every request of a run asks for.
type Target struct {
	// URL is fetched with GET.
	URL string
	// Header is sent with every request (e.g. Accept-Encoding: gzip).
	Header http.Header
}

// newRequest builds the request a worker reuses for its whole run.
func (t Target) newRequest(ctx context.Context) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, t.URL, nil)
	if err != nil {
		return nil, err
	}
	for k, vs := range t.Header {
		req.Header[k] = vs
	}
	return req, nil
}

// NewTransport returns a keep-alive transport for up to conns concurrent
// connections to one host, without transparent decompression: the bytes
// counted are the bytes on the wire.
func NewTransport(conns int) *http.Transport {
	return &http.Transport{
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		MaxConnsPerHost:     conns,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		ForceAttemptHTTP2:   false,
	}
}

// ClosedResult is the outcome of a closed-loop run.
type ClosedResult struct {
	// Requests counts responses read to the end with status 200.
	Requests int64
	// Errors counts transport errors and other statuses.
	Errors int64
	// Bytes is the sum of the response bodies as sent (compressed or not).
	Bytes int64
	// Elapsed runs from the start until the last worker stopped.
	Elapsed time.Duration
}

// PerSecond is the throughput of successful requests.
func (r ClosedResult) PerSecond() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Closed runs clients workers for d, each sending one request at a time on
// its own keep-alive connection.
func Closed(ctx context.Context, rt http.RoundTripper, t Target, clients int, d time.Duration) (ClosedResult, error) {
	if clients < 1 || d <= 0 {
		return ClosedResult{}, errors.New("loadgen: clients and duration must be positive")
	}
	type counts struct {
		ok, bad, bytes int64
		_              [40]byte // keep workers' counters on separate cache lines
	}
	per := make([]counts, clients)
	reqs := make([]*http.Request, clients)
	for i := range reqs {
		req, err := t.newRequest(ctx)
		if err != nil {
			return ClosedResult{}, err
		}
		reqs[i] = req
	}
	start := time.Now()
	deadline := start.Add(d)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			c, req := &per[i], reqs[i]
			for ctx.Err() == nil && time.Now().Before(deadline) {
				n, ok := do(rt, req)
				if ok {
					c.ok++
					c.bytes += n
				} else {
					c.bad++
				}
			}
		})
	}
	wg.Wait()
	res := ClosedResult{Elapsed: time.Since(start)}
	for _, c := range per {
		res.Requests += c.ok
		res.Errors += c.bad
		res.Bytes += c.bytes
	}
	return res, ctx.Err()
}

// do sends req and drains the answer; ok is false for a transport error
// or a status other than 200.
func do(rt http.RoundTripper, req *http.Request) (n int64, ok bool) {
	resp, err := rt.RoundTrip(req)
	if err != nil {
		return 0, false
	}
	n, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return n, err == nil && resp.StatusCode == http.StatusOK
}

// OpenResult is the outcome of an open-loop run. Latencies are measured
// from the moment each request was scheduled to start, not from when a
// worker got round to it, so a server that falls behind is charged for
// the queue it causes (no coordinated omission).
type OpenResult struct {
	// Sent is the number of requests scheduled and sent.
	Sent int
	// Errors counts transport errors and statuses other than 200.
	Errors int
	// Elapsed runs from the first scheduled start to the last answer.
	Elapsed time.Duration
	// Latencies of the successful requests, sorted.
	Latencies []time.Duration
}

// Quantile returns the latency below which the fraction q of the
// successful requests fall (q in [0,1]); 0 without any.
func (r OpenResult) Quantile(q float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(q*float64(len(r.Latencies))+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

// Achieved is the rate of successful answers over the run.
func (r OpenResult) Achieved() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(len(r.Latencies)) / r.Elapsed.Seconds()
}

// Open sends rate requests per second for d, each started at its
// scheduled time by one of workers goroutines (workers bounds the
// requests in flight; when all are busy the next request waits and its
// wait counts in its latency).
func Open(ctx context.Context, rt http.RoundTripper, t Target, rate float64, d time.Duration, workers int) (OpenResult, error) {
	if rate <= 0 || d <= 0 || workers < 1 {
		return OpenResult{}, errors.New("loadgen: rate, duration and workers must be positive")
	}
	total := int(rate * d.Seconds())
	if total < 1 {
		return OpenResult{}, fmt.Errorf("loadgen: %v at %.0f/s is less than one request", d, rate)
	}
	interval := time.Duration(float64(time.Second) / rate)
	lat := make([]time.Duration, total) // -1 marks a failed request
	var sent atomic.Int64
	next := make(chan int, workers)
	start := time.Now().Add(10 * time.Millisecond)
	var wg sync.WaitGroup
	for range workers {
		req, err := t.newRequest(ctx)
		if err != nil {
			return OpenResult{}, err
		}
		wg.Go(func() {
			for i := range next {
				sent.Add(1)
				if _, ok := do(rt, req); ok {
					lat[i] = time.Since(start.Add(time.Duration(i) * interval))
				} else {
					lat[i] = -1
				}
			}
		})
	}
	for i := 0; i < total && ctx.Err() == nil; i++ {
		if wait := time.Until(start.Add(time.Duration(i) * interval)); wait > 0 {
			time.Sleep(wait)
		}
		next <- i
	}
	close(next)
	wg.Wait()
	res := OpenResult{Sent: int(sent.Load()), Elapsed: time.Since(start)}
	res.Latencies = make([]time.Duration, 0, res.Sent)
	for _, l := range lat[:res.Sent] {
		if l < 0 {
			res.Errors++
			continue
		}
		res.Latencies = append(res.Latencies, l)
	}
	slices.Sort(res.Latencies)
	return res, ctx.Err()
}
