package store_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

func TestWhatToBring_TheBookingSheetsSection(t *testing.T) {
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	if w, err := st.WhatToBring(ctx); err != nil || w != (store.WhatToBring{}) {
		t.Fatalf("without a sheet: %+v %v", w, err)
	}
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test"); err != nil {
		t.Fatal(err)
	}
	w, err := st.WhatToBring(ctx)
	if err != nil || w.HTML != "" || w.SheetPath != "/servizi/"+store.BookingSheetSlug || w.SheetTitle == "" {
		t.Fatalf("seed sheet (no documents listed): %+v %v", w, err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE service_sheets SET needed_html = '<ul><li>Documento d''identità</li></ul>'`); err != nil {
		t.Fatal(err)
	}
	if w, err = st.WhatToBring(ctx); err != nil || w.HTML != "<ul><li>Documento d'identità</li></ul>" {
		t.Fatalf("with a list: %+v %v", w, err)
	}
	if _, err := st.Pool().Exec(ctx, `UPDATE service_sheets SET publication = 'draft'`); err != nil {
		t.Fatal(err)
	}
	if w, err = st.WhatToBring(ctx); err != nil || w.HTML != "" {
		t.Fatalf("unpublished: %+v %v", w, err)
	}
}
