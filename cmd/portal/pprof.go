package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/netip"
	"os"
	"time"
)

// startProfiler serves Go's runtime profiles (net/http/pprof) on
// PPROF_ADDR, for `make bench` and for looking at a slow instance. It is
// off unless PPROF_ADDR is set, and refuses any address that is not
// loopback: profiles reveal internals and cost CPU, so they are never
// public. The listener closes when ctx ends.
func startProfiler(ctx context.Context, logger *slog.Logger) error {
	addr := os.Getenv("PPROF_ADDR")
	if addr == "" {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("PPROF_ADDR: %w", err)
	}
	if ip, err := netip.ParseAddr(host); err != nil || !ip.IsLoopback() {
		return fmt.Errorf("PPROF_ADDR %q must be a loopback address such as 127.0.0.1:6060", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("PPROF_ADDR: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile answers after its duration.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	go func() { <-ctx.Done(); _ = srv.Close() }()
	logger.Warn("profiler listening (PPROF_ADDR): do not expose it", "addr", ln.Addr().String())
	return nil
}
