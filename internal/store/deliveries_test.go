package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/store"
)

func TestDelivery_ClaimSendRecord_SecondAttemptSendsNothing(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Now()
	add := func(secret string) {
		t.Helper()
		if err := pgx.BeginFunc(ctx, st.Pool(), func(tx pgx.Tx) error { return st.AddDelivery(ctx, tx, "UDC-1.booked.0", secret) }); err != nil {
			t.Fatal(err)
		}
	}
	add("enc1:x:sealed")
	delivered, claimed, secret, err := st.ClaimDelivery(ctx, "UDC-1.booked.0", now, now.Add(2*time.Minute))
	if err != nil || delivered || !claimed || secret != "enc1:x:sealed" {
		t.Fatalf("first claim: delivered=%v claimed=%v secret=%q err=%v", delivered, claimed, secret, err)
	}
	// While the first attempt holds its claim, another one waits.
	if delivered, claimed, _, err = st.ClaimDelivery(ctx, "UDC-1.booked.0", now.Add(time.Minute), now.Add(3*time.Minute)); err != nil || delivered || claimed {
		t.Fatalf("concurrent claim: delivered=%v claimed=%v err=%v", delivered, claimed, err)
	}
	// A failed attempt releases its claim: the next one may send at once.
	if err := st.ReleaseDelivery(ctx, "UDC-1.booked.0", false); err != nil {
		t.Fatal(err)
	}
	if _, claimed, secret, _ = st.ClaimDelivery(ctx, "UDC-1.booked.0", now.Add(time.Minute), now.Add(3*time.Minute)); !claimed || secret == "" {
		t.Fatalf("claim after release: claimed=%v secret=%q", claimed, secret)
	}
	if err := st.RecordDelivery(ctx, "UDC-1.booked.0", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	var stored *string
	if err := st.Pool().QueryRow(ctx, `SELECT secret FROM email_deliveries WHERE key = 'UDC-1.booked.0'`).Scan(&stored); err != nil || stored != nil {
		t.Fatalf("secret kept after delivery: %v %v", stored, err)
	}
	// Later attempts (a rescue, the same event queued again) find it
	// delivered, even after their claim would have expired.
	add("enc1:x:again")
	delivered, claimed, _, err = st.ClaimDelivery(ctx, "UDC-1.booked.0", now.Add(time.Hour), now.Add(time.Hour+2*time.Minute))
	if err != nil || !delivered || claimed {
		t.Fatalf("after delivery: delivered=%v claimed=%v err=%v", delivered, claimed, err)
	}
	if _, _, _, err := st.ClaimDelivery(ctx, "unknown", now, now); !errors.Is(err, pgx.ErrNoRows) {
		t.Errorf("unknown key: %v", err)
	}
	// Given up for good: the secret goes.
	add("enc1:x:other")
	if err := pgx.BeginFunc(ctx, st.Pool(), func(tx pgx.Tx) error { return st.AddDelivery(ctx, tx, "UDC-2.booked.0", "enc1:x:s") }); err != nil {
		t.Fatal(err)
	}
	if err := st.ReleaseDelivery(ctx, "UDC-2.booked.0", true); err != nil {
		t.Fatal(err)
	}
	if err := st.Pool().QueryRow(ctx, `SELECT secret FROM email_deliveries WHERE key = 'UDC-2.booked.0'`).Scan(&stored); err != nil || stored != nil {
		t.Fatalf("secret kept after giving up: %v %v", stored, err)
	}
}
