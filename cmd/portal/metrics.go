package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// startMetrics serves h at /metrics on addr (METRICS_ADDR), a listener of
// its own: the load balancer publishes only ADDR, so the metrics are
// never public. Empty addr: off. The listener closes when ctx ends.
func startMetrics(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) error {
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("METRICS_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second, WriteTimeout: 30 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	logger.Info("metrics listening (METRICS_ADDR)", "addr", ln.Addr().String())
	return nil
}
