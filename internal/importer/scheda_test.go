package importer_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/scheda"
	"github.com/udc-umbria/portal/internal/store"
)

func TestImportScheda_GoodFile_SavedWithSectionsTopicsAndVersion(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	res, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test")
	if err != nil {
		t.Fatal(err)
	}
	if !res.Created || res.Version != 1 {
		t.Fatalf("first import: %+v", res)
	}
	sh, err := st.SheetBySlug(ctx, "ufficio-della-cittadinanza")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sh.DescriptionHTML, "porta di accesso alla rete dei servizi sociali") {
		t.Errorf("description missing seed content: %q", sh.DescriptionHTML)
	}
	if sh.UpdatedOn.Format("02/01/2006") != "02/05/2022" {
		t.Errorf("updated on %v", sh.UpdatedOn)
	}
	var names []string
	for _, tp := range sh.Topics {
		names = append(names, tp.Name)
	}
	if strings.Join(names, ",") != "Assistenza sociale,Integrazione sociale,Assistenza agli invalidi" {
		t.Errorf("topics %v", names)
	}
	if sh.Author == "" || sh.Category != "Salute, benessere e assistenza" {
		t.Errorf("metadata: author %q category %q", sh.Author, sh.Category)
	}
}

func TestImportScheda_SameFileTwice_NoNewVersion(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	for i := 0; i < 2; i++ {
		if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test"); err != nil {
			t.Fatal(err)
		}
	}
	res, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Changed || res.Version != 1 {
		t.Fatalf("re-import must be a no-op, got %+v", res)
	}
	var n int
	if err := st.Pool().QueryRow(ctx, `SELECT count(*) FROM service_sheet_versions`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("versions = %d (%v), want 1", n, err)
	}
}

func TestImportScheda_ChangedContent_NewVersion(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	if _, _, err := importer.ImportScheda(ctx, st, bytes.NewReader(scheda.Seed), "test"); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(string(scheda.Seed), "02/05/2022", "03/05/2022", 1)
	res, _, err := importer.ImportScheda(ctx, st, strings.NewReader(changed), "test")
	if err != nil || !res.Changed || res.Version != 2 {
		t.Fatalf("got %+v, %v", res, err)
	}
}

func TestImportScheda_BadFiles_ReportLinesAndWriteNothing(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	seed := string(scheda.Seed)
	cases := map[string]struct {
		input string
		want  string
	}{
		"missing label": {strings.Replace(seed, "<b>Procedura</b>", "<b>Procedure</b>", 1), "Procedura"},
		"unknown label": {strings.Replace(seed, "<b>Procedura</b>", "<b>Procedure</b>", 1), "Procedure"},
		"malformed":     {seed + "\nquesta riga non ha etichetta", "line"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			_, _, err := importer.ImportScheda(ctx, st, strings.NewReader(c.input), "test")
			var pe scheda.ParseErrors
			if !errors.As(err, &pe) {
				t.Fatalf("want ParseErrors, got %v", err)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %q does not mention %q", err, c.want)
			}
			var n int
			_ = st.Pool().QueryRow(ctx, `SELECT count(*) FROM service_sheets`).Scan(&n)
			if n != 0 {
				t.Fatalf("a failed import wrote %d sheets", n)
			}
		})
	}
}

func TestImportScheda_ScriptInjection_NeverStored(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	evil := strings.Replace(string(scheda.Seed),
		"<b>Requisiti</b>\t", "<b>Requisiti</b>\t<script>alert(1)</script><p onclick=\"steal()\">Ciao <a href=\"javascript:alert(2)\">x</a></p>", 1)
	if _, _, err := importer.ImportScheda(ctx, st, strings.NewReader(evil), "test"); err != nil {
		t.Fatal(err)
	}
	sh, err := st.SheetBySlug(ctx, "ufficio-della-cittadinanza")
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"<script", "onclick", "javascript:", "alert(1)"} {
		if strings.Contains(sh.AddressedHTML, bad) {
			t.Errorf("stored HTML contains %q: %s", bad, sh.AddressedHTML)
		}
	}
}
