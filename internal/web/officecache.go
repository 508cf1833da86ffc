package web

import (
	"context"
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
	// settings are the booking settings by office id (the wizard's).
	settings map[int64][]store.BookingSettings
}

func newOfficeData(comuni []store.Comune, offices []store.Office, settings map[int64][]store.BookingSettings) *officeData {
	d := &officeData{
		comuni: comuni, offices: offices, settings: settings,
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
// PostgreSQL announces a change (see Server.watchChanges), when the
// listening connection is lost, and in any case after ttl; while nobody
// listens nothing is kept.
type officeCache struct {
	store *store.Store
	ttl   time.Duration

	// loadMu lets one request load while the others wait for its result.
	loadMu sync.Mutex

	mu       sync.Mutex
	data     *officeData
	loadedAt time.Time
	// listening is true while change notifications are received.
	listening bool
	// gen counts invalidations. A load that started before one is not
	// kept: it may have read data older than the change.
	gen uint64
}

// newOfficeCache returns a cache; ttl <= 0 disables caching (every
// request loads from the database).
func newOfficeCache(st *store.Store, ttl time.Duration) *officeCache {
	return &officeCache{store: st, ttl: ttl}
}

// get returns the current snapshot, loading it if needed.
func (c *officeCache) get(ctx context.Context) (*officeData, error) {
	if c.ttl <= 0 {
		return c.load(ctx)
	}
	if d := c.fresh(); d != nil {
		return d, nil
	}
	c.mu.Lock()
	listening := c.listening
	c.mu.Unlock()
	if !listening {
		return c.load(ctx) // nothing is kept: no need to wait for one another
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
	if c.gen == gen && c.listening {
		c.data, c.loadedAt = d, time.Now()
	}
	c.mu.Unlock()
	return d, nil
}

// load reads the Comuni, the offices and their booking settings from the
// database.
func (c *officeCache) load(ctx context.Context) (*officeData, error) {
	comuni, err := c.store.ListComuni(ctx)
	if err != nil {
		return nil, err
	}
	offices, err := c.store.ListOffices(ctx)
	if err != nil {
		return nil, err
	}
	settings, err := c.store.AllBookingSettings(ctx)
	if err != nil {
		return nil, err
	}
	return newOfficeData(comuni, offices, settings), nil
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

// setListening records whether change notifications are received, and
// drops the snapshot.
func (c *officeCache) setListening(on bool) {
	c.mu.Lock()
	c.data = nil
	c.gen++
	c.listening = on
	c.mu.Unlock()
}
