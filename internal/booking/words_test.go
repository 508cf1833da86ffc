package booking

import (
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
)

func TestWordsIn_ItalianAsBeforeEnglishFromTheCatalogue(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	it, en := c.Localizer(i18n.Italian), c.Localizer(i18n.English)
	at := func(h, m int) time.Time { return time.Date(2026, 12, 10, h, m, 0, 0, hours.Rome()) }
	start, end := at(10, 0), at(10, 45)
	if got := SpanIn(it, start, end); got != LongSpan(start, end) {
		t.Errorf("Italian span %q", got)
	}
	if got := SpanIn(en, start, end); got != "Thursday 10 December 2026, 10:00 to 10:45" {
		t.Errorf("English span %q", got)
	}
	if got := ShortWhenIn(en, start); got != "Thursday 10 December at 10:00" {
		t.Errorf("English short %q", got)
	}
	if got := (Slot{Start: start, End: end}).TimeLabelIn(en); got != "10:00–10:45" {
		t.Errorf("English slot %q", got)
	}
	if got := Week(hours.DateOf(start), 0).LabelIn(en); got != "Week from 7 to 13 December" {
		t.Errorf("English week %q", got)
	}
	if got := DayLabelIn(en, hours.DateOf(start)); got != "Thursday 10 December" {
		t.Errorf("English day %q", got)
	}
	for _, tt := range []struct{ expiry, now time.Time }{
		{at(10, 47), at(10, 35)}, {at(10, 47), at(10, 46)}, {at(10, 47), at(10, 46).Add(30 * time.Second)},
		{at(1, 30), at(1, 20)}, {at(10, 47), at(10, 48)},
	} {
		if got, want := HoldRemainingIn(it, tt.expiry, tt.now), HoldRemaining(tt.expiry, tt.now); got != want {
			t.Errorf("Italian hold %q, want %q", got, want)
		}
	}
	if got := HoldRemainingIn(en, at(10, 47), at(10, 35)); got != "This place is reserved for you until 10:47 (12 minutes left)." {
		t.Errorf("English hold %q", got)
	}
	if got := OpenDaysIn(en, []time.Weekday{time.Monday, time.Wednesday, time.Friday}); got != "Open Monday, Wednesday and Friday" {
		t.Errorf("English open days %q", got)
	}
	if got := OpenDaysIn(it, []time.Weekday{time.Monday, time.Wednesday, time.Friday}); got != "Aperto lunedì, mercoledì e venerdì" {
		t.Errorf("Italian open days %q", got)
	}
}
