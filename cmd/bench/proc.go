package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// process is a child process the harness started and must stop.
type process struct {
	name string
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// start runs cmd; its end is recorded so that waiting never blocks twice.
func start(name string, cmd *exec.Cmd) (*process, error) {
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	return p, nil
}

// pid is the child's process id.
func (p *process) pid() int { return p.cmd.Process.Pid }

// exited reports whether the child has already ended.
func (p *process) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGTERM to this child only and waits for it, killing it
// after grace.
func (p *process) stop(grace time.Duration) {
	if p == nil || p.exited() {
		return
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.done
	}
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitReady polls url until it answers 200, the child exits, or timeout.
func waitReady(ctx context.Context, p *process, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		resp, err := http.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if p.exited() {
			return fmt.Errorf("%s exited while starting: %v", p.name, p.err)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s not ready at %s after %v", p.name, url, timeout)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// memory is a resident set size reading of /proc/PID/status, in bytes:
// RSS now (VmRSS) and its peak (VmHWM) since start or the last resetPeak.
type memory struct{ rss, peak int64 }

func readMemory(pid int) (memory, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return memory{}, err
	}
	var m memory
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return memory{}, fmt.Errorf("/proc/%d/status %s: %w", pid, k, err)
		}
		if k == "VmRSS" {
			m.rss = kb * 1024
		} else {
			m.peak = kb * 1024
		}
	}
	if m.rss == 0 {
		return memory{}, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
	}
	return m, nil
}

// resetPeak sets VmHWM back to the current RSS (Linux ≥ 4.0), so that a
// later reading gives the peak of one phase only.
func resetPeak(pid int) error {
	return os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", pid), []byte("5"), 0)
}

// peakWatch follows a process's RSS during a phase: VmHWM reset at the
// start, VmRSS sampled every 50 ms as a fallback where the reset is not
// allowed.
type peakWatch struct {
	pid     int
	stopped chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	max     int64
	reset   bool
}

func watchPeak(pid int) *peakWatch {
	w := &peakWatch{pid: pid, stopped: make(chan struct{})}
	w.reset = resetPeak(pid) == nil
	w.wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if m, err := readMemory(pid); err == nil {
				w.mu.Lock()
				w.max = max(w.max, m.rss)
				w.mu.Unlock()
			}
			select {
			case <-w.stopped:
				return
			case <-t.C:
			}
		}
	})
	return w
}

// stop ends the watch and returns the phase's peak RSS.
func (w *peakWatch) stop() (int64, error) {
	close(w.stopped)
	w.wg.Wait()
	m, err := readMemory(w.pid)
	if err != nil {
		return 0, err
	}
	peak := max(w.max, m.rss)
	if w.reset {
		peak = max(peak, m.peak)
	}
	if peak == 0 {
		return 0, errors.New("no RSS reading")
	}
	return peak, nil
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat times: 100 on Linux.
const clockTicks = 100

// cpuTime is the CPU time (user + system) a process has used so far.
func cpuTime(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name (field 2) may contain spaces: count from the ")".
	_, rest, ok := strings.Cut(string(b), ") ")
	f := strings.Fields(rest)
	if !ok || len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: unexpected format", pid)
	}
	var ticks int64
	for _, s := range f[11:13] { // utime, stime (fields 14 and 15)
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, err
		}
		ticks += n
	}
	return time.Duration(ticks) * time.Second / clockTicks, nil
}
