package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/store"
)

func TestSeed_EveryComuneServedAllDemoAndIdempotent(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, hours.Rome())
	if err := demo.SeedAt(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	first, err := st.ListOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	served := map[string]int{}
	perugia := 0
	for _, o := range first {
		if !o.IsDemo {
			t.Errorf("%s is not flagged demo", o.Slug)
		}
		if o.SourceNote == "" {
			t.Errorf("%s has no source note", o.Slug)
		}
		if len(o.Hours) == 0 && o.HoursNote == "" {
			t.Errorf("%s has neither hours nor a note on them", o.Slug)
		}
		for _, c := range o.Comuni {
			served[c.ISTAT]++
		}
		if _, ok := o.Serves("054039"); ok {
			perugia++
		}
	}
	if len(served) != 92 {
		t.Errorf("demo offices serve %d Comuni, want 92", len(served))
	}
	if perugia < 2 {
		t.Errorf("Perugia has %d offices, want several", perugia)
	}

	// Twice the same day: the same data, nothing rewritten.
	var stamp string
	_ = pool.QueryRow(ctx, `SELECT string_agg(slug || updated_at::text, ',' ORDER BY slug) FROM offices`).Scan(&stamp)
	if err := demo.SeedAt(ctx, st, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	second, _ := st.ListOffices(ctx)
	var stamp2 string
	_ = pool.QueryRow(ctx, `SELECT string_agg(slug || updated_at::text, ',' ORDER BY slug) FROM offices`).Scan(&stamp2)
	if len(second) != len(first) || stamp != stamp2 {
		t.Error("a second seed changed the data")
	}
	for i := range first {
		if importer.FormatHours(first[i].Hours) != importer.FormatHours(second[i].Hours) {
			t.Errorf("%s hours changed", first[i].Slug)
		}
	}

	// Real offices survive a seed; stale demo ones do not.
	realOffice := store.Office{Slug: "ufficio-reale", Name: "Ufficio reale", SeatISTAT: "054039", Comuni: []store.OfficeComune{{ISTAT: "054039"}}}
	old := store.Office{Slug: "vecchio-demo", Name: "Vecchio", SeatISTAT: "054039", IsDemo: true}
	if _, err := st.SaveOffices(ctx, []store.Office{realOffice, old}); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedAt(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	third, _ := st.ListOffices(ctx)
	slugs := map[string]bool{}
	for _, o := range third {
		slugs[o.Slug] = true
	}
	if !slugs["ufficio-reale"] || slugs["vecchio-demo"] {
		t.Errorf("after seeding: real kept %v, old demo kept %v", slugs["ufficio-reale"], slugs["vecchio-demo"])
	}
}
