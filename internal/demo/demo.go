// Package demo loads the demonstration data used by `make run`: it is
// never loaded in production, and every page that shows demo records says
// so ("Dati dimostrativi").
package demo

import (
	"bytes"
	"context"

	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

// Seed loads the demo data. It is idempotent: running it again leaves the
// same data.
func Seed(ctx context.Context, st *store.Store) error {
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "seed-demo"); err != nil {
		return err
	}
	return nil
}
