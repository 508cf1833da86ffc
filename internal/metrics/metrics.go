// Package metrics holds the portal's Prometheus metrics: HTTP requests by
// route pattern and status with their latency, the page cache, the
// database pool, the job queue, bookings and staff logins. Each Metrics
// has its own registry (no global state); Handler serves it in the
// Prometheus text format on the separate METRICS_ADDR listener, never on
// the public one.
package metrics

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/udc-umbria/portal/internal/store"
)

// Metrics records what the portal does. A nil *Metrics records nothing.
type Metrics struct {
	reg *prometheus.Registry

	requests        *prometheus.CounterVec
	latency         *prometheus.HistogramVec
	pageCache       *prometheus.CounterVec
	pageCacheSize   *prometheus.GaugeVec
	booked          prometheus.Counter
	cancelled       *prometheus.CounterVec
	loginFailures   prometheus.Counter
	databaseOutages prometheus.Counter
}

// Source is what the metrics read from the database side on each scrape.
type Source interface {
	PoolStats() store.PoolStats
	JobCounts(ctx context.Context) ([]store.JobCount, error)
}

// New returns Metrics with the Go runtime and process collectors; with a
// non-nil src it also reports the database pool and the job queue.
func New(src Source) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "udc_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "udc_http_request_duration_seconds",
		Help:    "Time to answer an HTTP request, by route pattern and method.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.pageCache = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "udc_page_cache_requests_total",
		Help: "Requests for cached public pages by result: hit (fresh copy), miss (rendered), stale (last good copy " +
			"served because rendering failed), uncacheable (not a 200), bypass (query too long to cache).",
	}, []string{"result"})
	m.pageCacheSize = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "udc_page_cache_size",
		Help: "Pages in the page cache (unit=pages) and the memory of their compressed copies (unit=bytes).",
	}, []string{"unit"})
	m.booked = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "udc_appointments_booked_total",
		Help: "Appointments booked by citizens through the wizard.",
	})
	m.cancelled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "udc_appointments_cancelled_total",
		Help: "Appointments cancelled, by who cancelled (citizen, staff).",
	}, []string{"by"})
	m.loginFailures = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "udc_staff_login_failures_total",
		Help: "Staff logins refused: wrong address or password, wrong second-factor code, or blocked by the limits.",
	})
	m.databaseOutages = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "udc_database_unavailable_total",
		Help: "Requests that found the database unreachable: answered 503, or from the last good copy of a cached page.",
	})
	m.reg.MustRegister(m.requests, m.latency, m.pageCache, m.pageCacheSize, m.booked, m.cancelled, m.loginFailures,
		m.databaseOutages, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		m.reg.MustRegister(&dbCollector{src: src})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Request records one answered request.
func (m *Metrics) Request(route, method string, status int, d time.Duration) {
	if m == nil {
		return
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.latency.WithLabelValues(route, method).Observe(d.Seconds())
}

// PageCache records the result of a request for a cached page.
func (m *Metrics) PageCache(result string) {
	if m == nil {
		return
	}
	m.pageCache.WithLabelValues(result).Inc()
}

// PageCacheSize records the size of the page cache.
func (m *Metrics) PageCacheSize(pages, bytes int) {
	if m == nil {
		return
	}
	m.pageCacheSize.WithLabelValues("pages").Set(float64(pages))
	m.pageCacheSize.WithLabelValues("bytes").Set(float64(bytes))
}

// Booked records an appointment booked by a citizen.
func (m *Metrics) Booked() {
	if m != nil {
		m.booked.Inc()
	}
}

// Cancelled records an appointment cancelled by "citizen" or "staff".
func (m *Metrics) Cancelled(by string) {
	if m != nil {
		m.cancelled.WithLabelValues(by).Inc()
	}
}

// LoginFailed records a refused staff login.
func (m *Metrics) LoginFailed() {
	if m != nil {
		m.loginFailures.Inc()
	}
}

// DatabaseUnavailable records a request answered 503 for want of the
// database.
func (m *Metrics) DatabaseUnavailable() {
	if m != nil {
		m.databaseOutages.Inc()
	}
}

// dbCollector reports the pool on every scrape and the job queue at most
// every jobsEvery (one GROUP BY over river_job, with a time limit).
type dbCollector struct {
	src Source

	mu     sync.Mutex
	jobsAt time.Time
	jobs   []store.JobCount
	jobErr bool
}

const jobsEvery = 10 * time.Second

var (
	poolConns = prometheus.NewDesc("udc_db_pool_connections", "Database pool connections by state (acquired, idle, constructing).",
		[]string{"state"}, nil)
	poolMax      = prometheus.NewDesc("udc_db_pool_max_connections", "Most connections the database pool opens.", nil, nil)
	poolAcquires = prometheus.NewDesc("udc_db_pool_acquires_total", "Connections handed out by the pool.", nil, nil)
	poolEmpty    = prometheus.NewDesc("udc_db_pool_empty_acquires_total",
		"Connections asked for when none was idle (the caller waited or a connection was opened).", nil, nil)
	poolCanceled = prometheus.NewDesc("udc_db_pool_canceled_acquires_total", "Connection requests given up by their caller.", nil, nil)
	poolWait     = prometheus.NewDesc("udc_db_pool_acquire_seconds_total", "Total time spent acquiring connections.", nil, nil)
	poolNew      = prometheus.NewDesc("udc_db_pool_new_connections_total", "Connections opened by the pool.", nil, nil)
	jobsDesc     = prometheus.NewDesc("udc_jobs", "Jobs in the queue by queue and state (retryable: failed, will retry; "+
		"discarded: failed for good).", []string{"queue", "state"}, nil)
	jobsUp     = prometheus.NewDesc("udc_jobs_count_ok", "1 if the last count of the job queue succeeded.", nil, nil)
	jobsOldest = prometheus.NewDesc("udc_jobs_oldest_available_seconds",
		"How long the oldest job waiting to run (available) has been due, by queue: e-mail stuck behind a broken SMTP server.",
		[]string{"queue"}, nil)
)

func (c *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolMax, poolAcquires, poolEmpty, poolCanceled, poolWait, poolNew, jobsDesc, jobsUp,
		jobsOldest} {
		ch <- d
	}
}

func (c *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ps := c.src.PoolStats()
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(ps.Acquired), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(ps.Idle), "idle")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(ps.Constructing), "constructing")
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(ps.Max))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(ps.Acquires))
	ch <- prometheus.MustNewConstMetric(poolEmpty, prometheus.CounterValue, float64(ps.EmptyAcquires))
	ch <- prometheus.MustNewConstMetric(poolCanceled, prometheus.CounterValue, float64(ps.CanceledAcquires))
	ch <- prometheus.MustNewConstMetric(poolWait, prometheus.CounterValue, ps.AcquireWait.Seconds())
	ch <- prometheus.MustNewConstMetric(poolNew, prometheus.CounterValue, float64(ps.NewConns))

	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.jobsAt) >= jobsEvery {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		jobs, err := c.src.JobCounts(ctx)
		cancel()
		c.jobsAt, c.jobErr = time.Now(), err != nil
		if err == nil {
			c.jobs = jobs
		}
	}
	ok := 1.0
	if c.jobErr {
		ok = 0
	}
	ch <- prometheus.MustNewConstMetric(jobsUp, prometheus.GaugeValue, ok)
	// Every state of every queue seen, 0 included, so that an alert on
	// discarded jobs has a series to watch before the first one.
	counts := map[[2]string]int64{}
	oldest := map[string]float64{}
	var queues []string
	for _, j := range c.jobs {
		if !slices.Contains(queues, j.Queue) {
			queues = append(queues, j.Queue)
		}
		counts[[2]string{j.Queue, j.State}] = j.N
		if j.State == "available" {
			oldest[j.Queue] = j.OldestSeconds
		}
	}
	for _, q := range queues {
		for _, st := range jobStates {
			ch <- prometheus.MustNewConstMetric(jobsDesc, prometheus.GaugeValue, float64(counts[[2]string{q, st}]), q, st)
		}
		ch <- prometheus.MustNewConstMetric(jobsOldest, prometheus.GaugeValue, oldest[q], q)
	}
}

// jobStates are River's job states.
var jobStates = []string{"available", "cancelled", "completed", "discarded", "pending", "retryable", "running", "scheduled"}
