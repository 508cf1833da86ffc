package i18n_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/i18n"
)

func mustLoad(t *testing.T) *i18n.Catalog {
	t.Helper()
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestCatalog_EveryLanguageHasEveryMessage is the missing-key test: a
// message added to it.toml and not to another catalogue fails here.
func TestCatalog_EveryLanguageHasEveryMessage(t *testing.T) {
	c := mustLoad(t)
	if got := c.Langs(); len(got) < 2 || got[0] != i18n.Italian {
		t.Fatalf("languages %v: Italian first, then at least English", got)
	}
	for lang, ids := range c.Missing() {
		t.Errorf("%s.toml lacks %d messages of it.toml: %s", lang, len(ids), strings.Join(ids, ", "))
	}
	for lang, ids := range c.Extra() {
		t.Errorf("%s.toml has messages it.toml lacks (renamed or removed?): %s", lang, strings.Join(ids, ", "))
	}
}

func TestLocalizer_DatesInTheLanguage(t *testing.T) {
	c := mustLoad(t)
	at := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC) // 9:00 in Rome
	for _, tc := range []struct {
		lang i18n.Lang
		want string
	}{
		{i18n.Italian, "martedì 1 dicembre 2026, ore 9:00"},
		{i18n.English, "Tuesday 1 December 2026, 9:00"},
		{"xx", "martedì 1 dicembre 2026, ore 9:00"}, // unknown: the default
	} {
		if got := c.Localizer(tc.lang).DateTime(at); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.lang, got, tc.want)
		}
	}
}

func TestLocalizer_MissingMessageIsVisible(t *testing.T) {
	if got := mustLoad(t).Localizer(i18n.English).T("no.such.message"); got != "[no.such.message]" {
		t.Errorf("missing message: %q", got)
	}
}

func TestLocalizer_PseudoWrapsEveryMessage(t *testing.T) {
	got := mustLoad(t).Pseudo().Month(time.March)
	if got != i18n.PseudoOpen+"marzo"+i18n.PseudoClose {
		t.Errorf("pseudo: %q", got)
	}
}

// TestCatalog_ThirdLanguageIsOneFile loads a catalogue from a test
// fixture beside the embedded ones: the language is offered, named and
// used, and Missing reports what it has not translated yet.
func TestCatalog_ThirdLanguageIsOneFile(t *testing.T) {
	c, err := i18n.Load(os.DirFS("testdata/third"))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Has("de") || c.Name("de") != "Deutsch" {
		t.Fatalf("de not loaded: %v %q", c.Langs(), c.Name("de"))
	}
	at := time.Date(2026, time.December, 1, 8, 0, 0, 0, time.UTC)
	if got := c.Localizer("de").DateTime(at); got != "Dienstag, 1. Dezember 2026, 9:00 Uhr" {
		t.Errorf("de: %q", got)
	}
}
