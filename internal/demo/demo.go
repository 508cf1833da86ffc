// Package demo loads the demonstration data used by `make run`: it is
// never loaded in production, and every page that shows demo records says
// so ("Dati dimostrativi").
package demo

import (
	"bytes"
	"context"
	"time"

	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

// Seed loads the demo data. It is idempotent: running it again leaves the
// same data (on another day, the example closure moves to stay in the next
// two weeks).
func Seed(ctx context.Context, st *store.Store) error {
	return SeedAt(ctx, st, time.Now())
}

// SeedAt is Seed with the current instant passed in.
func SeedAt(ctx context.Context, st *store.Store, now time.Time) error {
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "seed-demo"); err != nil {
		return err
	}
	if err := SeedSheetEnglish(ctx, st, now); err != nil {
		return err
	}
	offices, err := Offices(now)
	if err != nil {
		return err
	}
	if _, err := st.SaveOffices(ctx, offices); err != nil {
		return err
	}
	keep := make([]string, len(offices))
	for i, o := range offices {
		keep[i] = o.Slug
	}
	// Demo offices of an earlier version of this list go away; real ones
	// are never touched.
	if _, err = st.DeleteDemoOfficesExcept(ctx, keep); err != nil {
		return err
	}
	return SeedBooking(ctx, st)
}
