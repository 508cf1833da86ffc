package web

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/udc-umbria/portal/internal/store"
)

// defaultOfficeCacheTTL bounds how long cached office data is trusted
// without a notification: the safety net for a missed NOTIFY.
const defaultOfficeCacheTTL = 60 * time.Second

// officeData is a read-only snapshot of the Comuni and the offices, shared
// by concurrent requests. Statuses ("open now") are never part of it: they
// are computed per request from the schedules and the current time.
type officeData struct {
	comuni        []store.Comune
	comuneBySlug  map[string]int
	comuneByISTAT map[string]int
	offices       []store.Office
	officeBySlug  map[string]int
	// serving lists, for each ISTAT code, the offices that serve it, in
	// name order.
	serving map[string][]int
}

func newOfficeData(comuni []store.Comune, offices []store.Office) *officeData {
	d := &officeData{
		comuni: comuni, offices: offices,
		comuneBySlug: map[string]int{}, comuneByISTAT: map[string]int{}, officeBySlug: map[string]int{}, serving: map[string][]int{},
	}
	for i, c := range comuni {
		d.comuneBySlug[c.Slug] = i
		d.comuneByISTAT[c.ISTAT] = i
	}
	for i, o := range offices {
		d.officeBySlug[o.Slug] = i
		for _, c := range o.Comuni {
			d.serving[c.ISTAT] = append(d.serving[c.ISTAT], i)
		}
	}
	return d
}

// officeCache keeps the office data in memory. It is dropped when
// PostgreSQL announces a change (LISTEN office_changed, see watch), when
// the listening connection is lost, and in any case after ttl.
type officeCache struct {
	store *store.Store
	ttl   time.Duration
	log   *slog.Logger

	// loadMu lets one request load while the others wait for its result.
	loadMu sync.Mutex

	mu       sync.Mutex
	data     *officeData
	loadedAt time.Time
	// gen counts invalidations. A load that started before one is not
	// kept: it may have read data older than the change.
	gen uint64
}

// newOfficeCache returns a cache; ttl <= 0 disables caching (every
// request loads from the database).
func newOfficeCache(st *store.Store, ttl time.Duration, log *slog.Logger) *officeCache {
	return &officeCache{store: st, ttl: ttl, log: log}
}

// get returns the current snapshot, loading it if needed.
func (c *officeCache) get(ctx context.Context) (*officeData, error) {
	if c.ttl <= 0 {
		return c.load(ctx)
	}
	if d := c.fresh(); d != nil {
		return d, nil
	}
	c.loadMu.Lock()
	defer c.loadMu.Unlock()
	if d := c.fresh(); d != nil {
		return d, nil // loaded by the request we waited for
	}
	c.mu.Lock()
	gen := c.gen
	c.mu.Unlock()

	d, err := c.load(ctx)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.gen == gen {
		c.data, c.loadedAt = d, time.Now()
	}
	c.mu.Unlock()
	return d, nil
}

// load reads the Comuni and the offices from the database.
func (c *officeCache) load(ctx context.Context) (*officeData, error) {
	comuni, err := c.store.ListComuni(ctx)
	if err != nil {
		return nil, err
	}
	offices, err := c.store.ListOffices(ctx)
	if err != nil {
		return nil, err
	}
	return newOfficeData(comuni, offices), nil
}

func (c *officeCache) fresh() *officeData {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.data != nil && time.Since(c.loadedAt) < c.ttl {
		return c.data
	}
	return nil
}

// invalidate drops the snapshot.
func (c *officeCache) invalidate() {
	c.mu.Lock()
	c.data = nil
	c.gen++
	c.mu.Unlock()
}

// watch listens for office changes until ctx is done, reconnecting with a
// growing pause when the connection fails. Notifications sent while it is
// not listening are lost, so the cache is dropped on every (re)connection
// and on every loss.
func (c *officeCache) watch(ctx context.Context) {
	const maxPause = 30 * time.Second
	pause := time.Second
	for {
		err := c.store.WatchOfficeChanges(ctx, func() {
			c.invalidate()
			pause = time.Second
		}, func(int64) { c.invalidate() })
		c.invalidate()
		if ctx.Err() != nil {
			return
		}
		c.log.Warn("office change listener stopped; cached office data dropped, reconnecting", "err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(pause*2, maxPause)
	}
}
