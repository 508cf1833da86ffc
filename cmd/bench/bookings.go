package main

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/visitor"
)

// minFormTime is a little more than the portal's least time between the
// start of a booking draft and its submit (internal/web: 5 s): a faster
// submit is refused as a robot's.
const minFormTime = 5*time.Second + 500*time.Millisecond

// bookingResult is the booking measure: the portal's final submits and
// the whole wizard, against the database's insert ceiling.
type bookingResult struct {
	citizens, prepared, booked int
	concurrency, poolSize      int
	requestsPerBooking         float64
	prepare, submit            time.Duration
	firstErr                   error
	inserts                    int64
	insertElapsed              time.Duration
	// profile is the portal's CPU profile during the submits.
	profile string
	// submitCPU is the CPU time the portal used during the submits.
	submitCPU time.Duration
}

// submitsPerSecond is the rate of successful final submits.
func (r bookingResult) submitsPerSecond() float64 { return perSecond(int64(r.booked), r.submit) }

// flowPerSecond is the rate of whole bookings, every wizard step
// included (but not the seconds the portal makes a citizen wait).
func (r bookingResult) flowPerSecond() float64 {
	return perSecond(int64(r.booked), r.prepare+r.submit)
}

// insertsPerSecond is the ceiling: single-row INSERT … RETURNING.
func (r bookingResult) insertsPerSecond() float64 { return perSecond(r.inserts, r.insertElapsed) }

func perSecond(n int64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// citizenAddr is the client address of simulated citizen i, sent as
// X-Forwarded-For: each citizen its own, as if behind a load balancer,
// so that the per-address submission limit counts each one apart.
func citizenAddr(block, i int) string {
	return net.IPv4(10, byte(block), byte(i>>8), byte(i)).String()
}

// benchBookings books n appointments through the no-JS wizard with
// `concurrency` citizens at a time: first every wizard up to the summary
// (each choice holds a seat, Comuni, offices and professionals spread by
// citizen), then, once the portal's minimum form time has passed, every
// final submit, timed on its own.
// onSubmit is called as the submits start (to profile the portal); pid
// is the portal's process, whose CPU time the submits take is measured.
func benchBookings(ctx context.Context, base string, pid, n, concurrency int, runID int64, onSubmit func()) bookingResult {
	res := bookingResult{citizens: n, concurrency: concurrency}
	tr := visitor.NewTransport(concurrency, nil)
	defer tr.CloseIdleConnections()
	prepared := make([]*visitor.Booking, n)
	var requests atomic.Int64
	var errOnce sync.Once
	fail := func(err error) { errOnce.Do(func() { res.firstErr = err }) }

	t0 := time.Now()
	forEach(n, concurrency, func(i int) {
		plan := visitor.Plan{Pick: i, Rand: rand.New(rand.NewPCG(uint64(runID), uint64(i))),
			Applicant: visitor.Applicant{FirstName: "Prova", LastName: fmt.Sprintf("Carico %d", i),
				Email: fmt.Sprintf("bench-%d-%d@example.org", runID, i), Phone: "075 0000000"}}
		// An office with every seat of the coming weeks taken: the citizen
		// starts again elsewhere, as a person would.
		for attempt := range 4 {
			bk, err := visitor.NewBrowser(base, tr, citizenAddr(1, i)).PrepareBooking(ctx, plan)
			if errors.Is(err, visitor.ErrNoFreeSlot) && attempt < 3 {
				plan.Pick += 37
				continue
			}
			if err != nil {
				fail(fmt.Errorf("citizen %d: %w", i, err))
				return
			}
			requests.Add(int64(bk.Requests))
			prepared[i] = bk
			return
		}
	})
	res.prepare = time.Since(t0)

	var ready []*visitor.Booking
	var latest time.Time
	for _, bk := range prepared {
		if bk != nil {
			ready = append(ready, bk)
			if bk.StartedAt.After(latest) {
				latest = bk.StartedAt
			}
		}
	}
	res.prepared = len(ready)
	time.Sleep(time.Until(latest.Add(minFormTime)))

	var booked atomic.Int64
	onSubmit()
	cpu0, cpuErr := cpuTime(pid)
	t1 := time.Now()
	forEach(len(ready), concurrency, func(i int) {
		if err := ready[i].Submit(ctx); err != nil {
			fail(fmt.Errorf("submit: %w", err))
			return
		}
		booked.Add(1)
		requests.Add(1)
	})
	res.submit = time.Since(t1)
	if cpu1, err := cpuTime(pid); err == nil && cpuErr == nil {
		res.submitCPU = cpu1 - cpu0
	}
	res.booked = int(booked.Load())
	if res.booked > 0 {
		res.requestsPerBooking = float64(requests.Load()) / float64(res.booked)
	}
	return res
}

// insertCeiling runs single-row INSERT … RETURNING statements on a scratch
// table of the portal's database for d, with `concurrency` goroutines
// over a pool configured from the same URL as the portal's (hence the same
// size), and returns how many succeeded, the time taken and the pool size.
func insertCeiling(ctx context.Context, dbURL string, concurrency int, d time.Duration) (int64, time.Duration, int, error) {
	pc, err := pgxpool.ParseConfig(dbURL)
	if err != nil {
		return 0, 0, 0, err
	}
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return 0, 0, 0, err
	}
	defer pool.Close()
	const table = "bench_insert_ceiling"
	if _, err := pool.Exec(ctx, `CREATE TABLE `+table+` (id bigserial PRIMARY KEY, email text NOT NULL,
		created_at timestamptz NOT NULL DEFAULT now())`); err != nil {
		return 0, 0, 0, err
	}
	defer func() { _, _ = pool.Exec(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS `+table) }()
	var n atomic.Int64
	var firstErr atomic.Pointer[error]
	deadline := time.Now().Add(d)
	t0 := time.Now()
	var wg sync.WaitGroup
	for w := range concurrency {
		wg.Go(func() {
			var id int64
			for i := 0; time.Now().Before(deadline) && ctx.Err() == nil; i++ {
				err := pool.QueryRow(ctx, `INSERT INTO `+table+` (email) VALUES ($1) RETURNING id`,
					fmt.Sprintf("ceiling-%d-%d@example.org", w, i)).Scan(&id)
				if err != nil {
					firstErr.CompareAndSwap(nil, &err)
					return
				}
				n.Add(1)
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(t0)
	if e := firstErr.Load(); e != nil {
		return n.Load(), elapsed, int(pc.MaxConns), *e
	}
	return n.Load(), elapsed, int(pc.MaxConns), ctx.Err()
}

// forEach calls f(0..n-1) from `workers` goroutines.
func forEach(n, workers int, f func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	wg.Wait()
}

// loginResult is the burst of staff logins.
type loginResult struct {
	n, ok     int
	elapsed   time.Duration
	peakRSS   int64
	skipped   string
	firstErr  error
	statusOdd map[int]int
}

// argon2Memory is what one password check allocates (internal/auth:
// argon2id with 46 MiB).
const argon2Memory = 46 << 20

// benchLogins opens the login form in n browsers (each with its own
// client address), then sends the n logins at once with the demo
// accounts and follows the portal's peak RSS during the burst.
func benchLogins(ctx context.Context, base string, pid, n int, accounts []account) loginResult {
	res := loginResult{n: n, statusOdd: map[int]int{}}
	if len(accounts) == 0 {
		res.skipped = "no demo account parsed from seed-demo"
		return res
	}
	// Every concurrent check may hold its 46 MiB at once: do not push a
	// shared machine into the OOM killer.
	if avail, err := memAvailable(); err == nil && avail < int64(n)*argon2Memory+2<<30 {
		res.skipped = fmt.Sprintf("only %d MB of memory available, the burst may need %d MB", avail>>20, (int64(n)*argon2Memory+2<<30)>>20)
		return res
	}
	tr := visitor.NewTransport(n, nil)
	defer tr.CloseIdleConnections()
	forms := make([]*visitor.Login, n)
	var mu sync.Mutex
	forEach(n, 16, func(i int) {
		l, err := visitor.NewBrowser(base, tr, citizenAddr(2, i)).OpenLogin(ctx)
		if err != nil {
			mu.Lock()
			res.firstErr = cmpErr(res.firstErr, err)
			mu.Unlock()
			return
		}
		forms[i] = l
	})
	time.Sleep(time.Second)
	watch := watchPeak(pid)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	t0 := time.Now()
	for i, l := range forms {
		if l == nil {
			continue
		}
		a := accounts[i%len(accounts)]
		wg.Go(func() {
			<-gate
			status, err := l.Submit(ctx, a.email, a.password)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				res.firstErr = cmpErr(res.firstErr, err)
			case status == 303:
				res.ok++
			default:
				res.statusOdd[status]++
			}
		})
	}
	close(gate)
	wg.Wait()
	res.elapsed = time.Since(t0)
	peak, err := watch.stop()
	if err != nil {
		res.firstErr = cmpErr(res.firstErr, err)
	}
	res.peakRSS = peak
	return res
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
