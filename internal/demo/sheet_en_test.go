package demo_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

func TestSeed_SheetGetsItsEnglishDemoTranslationOnce_StaffTextKept(t *testing.T) {
	st := store.New(dbtest.NewPool(t))
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, hours.Rome())
	if err := demo.SeedAt(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	sh, err := st.SheetBySlug(ctx, "ufficio-della-cittadinanza")
	if err != nil {
		t.Fatal(err)
	}
	en, err := st.SheetText(ctx, sh.ID, "en")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(en.CostHTML, "free of charge") || !strings.Contains(en.OtherInfoHTML, "translation prepared for the demonstration") ||
		!strings.Contains(en.DescriptionHTML, "<li>") || en.Version != 1 {
		t.Fatalf("English text: %+v", en)
	}
	// Staff change it; seeding again keeps their text.
	edited := en
	edited.CostHTML = "<p>Free.</p>"
	if _, err := st.SaveSheetText(ctx, store.SheetTextEdit{SheetID: sh.ID, Lang: "en", Text: edited, BaseVersion: 1,
		ChangedBy: "test", Today: now}); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedAt(ctx, st, now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if en, err = st.SheetText(ctx, sh.ID, "en"); err != nil || en.CostHTML != "<p>Free.</p>" || en.Version != 2 {
		t.Fatalf("after a second seed: %q v%d %v", en.CostHTML, en.Version, err)
	}
}
