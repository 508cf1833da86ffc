package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// scrape reads the server's metrics as Prometheus would.
func scrape(t testing.TB, e *testEnv) string {
	t.Helper()
	rec := httptest.NewRecorder()
	e.Web.MetricsHandler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("metrics: %d", rec.Code)
	}
	return rec.Body.String()
}

// TestMetrics_RequestsCacheBookingsLoginsPoolAndJobs: after some traffic
// the metrics hold requests by route pattern and status with their
// latency, the page cache's hits and misses, a booking and its
// cancellation, a failed staff login, the database pool and the job
// queue; the public site does not serve them.
func TestMetrics_RequestsCacheBookingsLoginsPoolAndJobs(t *testing.T) {
	e := newBookingEnv(t, 1)
	e.book("", "giulia@example.org")
	base := "/appuntamento/" + e.manageToken()
	if resp, _ := e.send(base+"/annulla", base+"/annulla", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: %d", resp.StatusCode)
	}
	for range 3 {
		e.get("/servizi/ufficio-della-cittadinanza")
	}
	e.get("/servizi/scheda-che-non-esiste")
	e.send("/area-riservata/login", "/area-riservata/login", url.Values{"email": {"nessuno@example.org"}, "password": {"sbagliata-del-tutto"}})

	got := scrape(t, e.testEnv)
	for _, want := range []string{
		`udc_http_requests_total{method="GET",route="/servizi/{slug}",status="200"} 3`,
		`udc_http_requests_total{method="GET",route="/servizi/{slug}",status="404"} 1`,
		`udc_http_requests_total{method="POST",route="/prenota/conferma",status="303"} 1`,
		`udc_http_request_duration_seconds_bucket{method="GET",route="/servizi/{slug}",le="+Inf"} 4`,
		`udc_page_cache_requests_total{result="hit"}`,
		`udc_page_cache_requests_total{result="miss"}`,
		`udc_page_cache_size{unit="bytes"}`,
		`udc_appointments_booked_total 1`,
		`udc_appointments_cancelled_total{by="citizen"} 1`,
		`udc_staff_login_failures_total 1`,
		`udc_db_pool_connections{state="idle"}`,
		`udc_db_pool_max_connections`,
		`udc_db_pool_acquires_total`,
		`udc_jobs{queue="mail",state="available"} 2`,
		`udc_jobs{queue="mail",state="discarded"} 0`,
		`udc_jobs_count_ok 1`,
		`udc_jobs_oldest_available_seconds{queue="mail"}`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if m := regexp.MustCompile(`udc_page_cache_requests_total\{result="hit"\} (\d+)`).FindStringSubmatch(got); m == nil || m[1] == "0" {
		t.Error("no page cache hit counted")
	}
	if status, _ := e.get("/metrics"); status != http.StatusNotFound {
		t.Errorf("the public site serves /metrics: %d", status)
	}
}
