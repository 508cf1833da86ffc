package store_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/store"
)

// burstHolds makes 20 drafts, each asking at the same moment for a seat
// of its own slot as client(i), and returns how many got one.
func burstHolds(t *testing.T, f bookingFixture, client func(i int) store.HoldClient) (held, refused int) {
	t.Helper()
	ctx := context.Background()
	const n = 20
	drafts := make([]store.Draft, n)
	for i := range drafts {
		drafts[i] = f.draft(t, "script@example.org", slot.Add(time.Duration(i)*length))
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	start := make(chan struct{})
	for i, d := range drafts {
		wg.Go(func() {
			<-start
			s := slot.Add(time.Duration(i) * length)
			err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, s, s.Add(length), 1, client(i), t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				held++
			case errors.Is(err, store.ErrTooManyHolds):
				refused++
			default:
				t.Errorf("hold %d: %v", i, err)
			}
		})
	}
	close(start)
	wg.Wait()
	return held, refused
}

func browser(name string) []byte {
	h := sha256.Sum256([]byte(name))
	return h[:]
}

func TestHoldSlot_BurstFromOneBrowser_HoldsAtMostItsLimit(t *testing.T) {
	f := newBookingFixture(t, 24)
	held, refused := burstHolds(t, f, func(int) store.HoldClient {
		return store.HoldClient{Address: "203.0.113.9", Browser: browser("one cookie")}
	})
	if held != booking.MaxHoldsPerBrowser || refused != 20-booking.MaxHoldsPerBrowser {
		t.Fatalf("one browser: %d held, %d refused; want %d held", held, refused, booking.MaxHoldsPerBrowser)
	}
	var rows int
	if err := f.pool.QueryRow(context.Background(), `SELECT count(*) FROM slot_holds`).Scan(&rows); err != nil || rows != held {
		t.Fatalf("%d holds stored (%v)", rows, err)
	}
}

func TestHoldSlot_BurstFromOneAddress_NewBrowsers_HoldsAtMostTheAddressLimit(t *testing.T) {
	f := newBookingFixture(t, 24)
	held, _ := burstHolds(t, f, func(i int) store.HoldClient {
		return store.HoldClient{Address: "203.0.113.9", Browser: browser(string(rune('a' + i)))}
	})
	if held != booking.MaxHoldsPerAddress {
		t.Fatalf("one address, a new browser per seat: %d held, want %d", held, booking.MaxHoldsPerAddress)
	}
	// Another client is not affected, and the limits count only holds that
	// have not expired.
	d := f.draft(t, "altra@example.org", slot.Add(30*length))
	other := store.HoldClient{Address: "198.51.100.1", Browser: browser("other")}
	if err := f.st.HoldSlot(context.Background(), d.ID, f.office, booking.AssistenteSociale, slot.Add(30*length), slot.Add(31*length), 1, other, t0); err != nil {
		t.Fatalf("other client: %v", err)
	}
	later := booking.HoldExpiry(t0)
	d = f.draft(t, "script@example.org", slot.Add(32*length))
	same := store.HoldClient{Address: "203.0.113.9", Browser: browser("a")}
	if err := f.st.HoldSlot(context.Background(), d.ID, f.office, booking.AssistenteSociale, slot.Add(32*length), slot.Add(33*length), 1, same, later); err != nil {
		t.Fatalf("after the holds expired: %v", err)
	}
}

func TestHoldSlot_TooManyHolds_KeepsPreviousHold(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	c := store.HoldClient{Address: "203.0.113.9", Browser: browser("one cookie")}
	var drafts []store.Draft
	for i := range booking.MaxHoldsPerBrowser {
		s := slot.Add(time.Duration(i) * length)
		d := f.draft(t, "uno@example.org", s)
		if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, s, s.Add(length), 1, c, t0); err != nil {
			t.Fatal(err)
		}
		drafts = append(drafts, d)
	}
	// A draft that already holds may change its slot: its own hold does
	// not count against it.
	moved := slot.Add(10 * length)
	if err := f.st.HoldSlot(ctx, drafts[0].ID, f.office, booking.AssistenteSociale, moved, moved.Add(length), 1, c, t0); err != nil {
		t.Fatalf("change of slot: %v", err)
	}
	d := f.draft(t, "uno@example.org", slot.Add(5*length))
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot.Add(5*length), slot.Add(6*length), 1, c, t0); !errors.Is(err, store.ErrTooManyHolds) {
		t.Fatalf("hold over the limit: %v", err)
	}
	if n := f.taken(t, moved); n != 1 {
		t.Fatalf("the changed hold was lost: taken = %d", n)
	}
}

func TestHoldSlot_RenewedEveryFewMinutes_EndsAfterMaxSpan(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	c := holdClient(1)
	d := f.draft(t, "uno@example.org", slot)
	hold := func(now time.Time) error {
		return f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, c, now)
	}
	expiry := func() time.Time {
		t.Helper()
		var e time.Time
		if err := f.pool.QueryRow(ctx, `SELECT expires_at FROM slot_holds WHERE draft_id = $1`, d.ID).Scan(&e); err != nil {
			t.Fatal(err)
		}
		return e
	}
	for _, m := range []time.Duration{0, 14 * time.Minute, 28 * time.Minute} {
		if err := hold(t0.Add(m)); err != nil {
			t.Fatalf("renewal at +%v: %v", m, err)
		}
	}
	if got, want := expiry(), t0.Add(booking.HoldMaxSpan); !got.Equal(want) {
		t.Fatalf("hold renewed to %v, want at most %v", got, want)
	}
	// Past the span the seat is still free, but not held any more.
	if err := hold(t0.Add(booking.HoldMaxSpan)); !errors.Is(err, store.ErrHoldSpanOver) {
		t.Fatalf("renewal past the span: %v", err)
	}
	if n := f.taken(t, slot); n != 0 {
		t.Fatalf("taken = %d after the span", n)
	}
	// Someone else takes it; then the draft hears that it is full.
	f.book(t, "altro@example.org", slot, t0.Add(40*time.Minute))
	if err := hold(t0.Add(41 * time.Minute)); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("full slot past the span: %v", err)
	}
}
