package main

import (
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/metrics"
)

func TestStartMetrics_OffWithoutAnAddress(t *testing.T) {
	if err := startMetrics(t.Context(), "", metrics.New(nil).Handler(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

func TestStartMetrics_ServesPrometheusOnItsOwnAddressUntilStopped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, stop := context.WithCancel(context.Background())
	m := metrics.New(nil)
	m.Request("/servizi/{slug}", http.MethodGet, 200, time.Millisecond)
	if err := startMetrics(ctx, addr, m.Handler(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") ||
		!strings.Contains(string(body), `udc_http_requests_total{method="GET",route="/servizi/{slug}",status="200"} 1`) ||
		!strings.Contains(string(body), "go_goroutines") {
		t.Errorf("/metrics: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	if resp, err := http.Get("http://" + addr + "/"); err != nil || resp.StatusCode != http.StatusNotFound {
		t.Errorf("the metrics listener serves more than /metrics: %v", err)
	}
	stop()
	for range 100 {
		if _, err := http.Get("http://" + addr + "/metrics"); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("metrics still answering after the context ended")
}
