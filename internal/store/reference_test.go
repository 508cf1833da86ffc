package store_test

import (
	"context"
	"errors"
	"testing"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/store"
)

func TestReference_92ComuniAndLookups(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	cs, err := st.ListComuni(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 92 {
		t.Fatalf("got %d comuni, want 92", len(cs))
	}
	p, err := st.ComuneBySlug(ctx, "perugia")
	if err != nil || p.ISTAT != "054039" || p.ZonaName != "Zona sociale 2" {
		t.Fatalf("perugia: %+v %v", p, err)
	}
	if _, err := st.ComuneByISTAT(ctx, "999999"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("want ErrNotFound, got %v", err)
	}
	// Idempotent re-sync.
	if err := st.SyncReferenceData(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestSecret_StableAcrossCalls(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	a, err := st.Secret(context.Background(), "csrf")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := st.Secret(context.Background(), "csrf")
	if string(a) != string(b) || len(a) != 32 {
		t.Fatal("secret must be created once and reused")
	}
}
