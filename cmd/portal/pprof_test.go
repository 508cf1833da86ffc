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
)

func TestStartProfiler_OffUnlessPPROFAddrIsSet(t *testing.T) {
	t.Setenv("PPROF_ADDR", "")
	if err := startProfiler(t.Context(), slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
}

func TestStartProfiler_RefusesAnAddressThatIsNotLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "192.0.2.1:6060", "localhost:6060", "6060"} {
		t.Setenv("PPROF_ADDR", addr)
		if err := startProfiler(t.Context(), slog.New(slog.DiscardHandler)); err == nil {
			t.Errorf("PPROF_ADDR=%q accepted", addr)
		}
	}
}

func TestStartProfiler_ServesProfilesOnLoopbackUntilStopped(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	t.Setenv("PPROF_ADDR", addr)
	ctx, stop := context.WithCancel(context.Background())
	if err := startProfiler(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get("http://" + addr + "/debug/pprof/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "portal") {
		t.Errorf("cmdline: %d %q", resp.StatusCode, body)
	}
	stop()
	for range 100 {
		if _, err := http.Get("http://" + addr + "/debug/pprof/cmdline"); err != nil {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Error("profiler still answering after its context ended")
}
