package demo

import (
	"context"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/store"
)

// DemoOperatorComune is the Comune whose offices the demo operatore
// manages.
const DemoOperatorComune = "054039" // Perugia

// SeedStaff creates or refreshes the demo staff accounts (amministratore,
// redattore, operatore of the Perugia offices) with a new random password,
// which it returns so that `make run` can print it. Never run in
// production: the accounts exist only in demo data.
func SeedStaff(ctx context.Context, st *store.Store) (password string, err error) {
	offices, err := st.ListOffices(ctx)
	if err != nil {
		return "", err
	}
	var ids []int64
	for _, o := range offices {
		if o.IsDemo && o.SeatISTAT == DemoOperatorComune {
			ids = append(ids, o.ID)
		}
	}
	password = auth.RandomPassword()
	if err := st.EnsureDemoStaff(ctx, password, ids...); err != nil {
		return "", err
	}
	return password, nil
}
