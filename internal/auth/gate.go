package auth

import (
	"context"
	"errors"
	"sync"
	"time"
)

// ErrBusy is returned by PasswordGate when no slot freed up within its
// wait: the caller answers 429 and the person tries again shortly.
var ErrBusy = errors.New("auth: too many password checks at once")

// PasswordGate bounds the argon2id computations running at once. Each
// takes 46 MiB (hashParams) and a CPU for tens of milliseconds, so
// without a bound a burst of logins takes memory without limit and every
// answer comes too late; with it, memory stays within size × 46 MiB and
// the requests that cannot be served soon are refused quickly instead.
type PasswordGate struct {
	slots chan struct{}
	wait  time.Duration

	mu            sync.Mutex
	running, peak int
}

// NewPasswordGate lets size computations run at once (about the number
// of CPUs); a request waits at most wait for a slot.
func NewPasswordGate(size int, wait time.Duration) *PasswordGate {
	return &PasswordGate{slots: make(chan struct{}, max(size, 1)), wait: wait}
}

// Size is the number of computations allowed at once.
func (g *PasswordGate) Size() int { return cap(g.slots) }

// Peak is the largest number of computations that ran at once so far,
// for tests and monitoring.
func (g *PasswordGate) Peak() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.peak
}

// Verify is VerifyPassword inside the gate. It returns ErrBusy when no
// slot freed up in time, or ctx's error when the request went away.
func (g *PasswordGate) Verify(ctx context.Context, password, hash string) (bool, error) {
	var ok bool
	err := g.run(ctx, func() { ok = VerifyPassword(password, hash) })
	return ok, err
}

// Hash is HashPassword inside the gate.
func (g *PasswordGate) Hash(ctx context.Context, password string) (string, error) {
	var (
		hash string
		herr error
	)
	if err := g.run(ctx, func() { hash, herr = HashPassword(password) }); err != nil {
		return "", err
	}
	return hash, herr
}

func (g *PasswordGate) run(ctx context.Context, f func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-g.slots }()
	g.mu.Lock()
	g.running++
	g.peak = max(g.peak, g.running)
	g.mu.Unlock()
	defer func() {
		g.mu.Lock()
		g.running--
		g.mu.Unlock()
	}()
	f()
	return nil
}
