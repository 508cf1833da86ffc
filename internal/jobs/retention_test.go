package jobs_test

import (
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/jobs"
)

func TestRetentionCutoff(t *testing.T) {
	rome := hours.Rome()
	for _, tc := range []struct {
		now    time.Time
		months int
		want   time.Time
	}{
		{time.Date(2026, 6, 15, 10, 30, 0, 0, rome), 12, time.Date(2025, 6, 15, 0, 0, 0, 0, rome)},
		// 23:30 UTC on 31 Dec is already 1 January in Rome.
		{time.Date(2025, 12, 31, 23, 30, 0, 0, time.UTC), 12, time.Date(2025, 1, 1, 0, 0, 0, 0, rome)},
		{time.Date(2026, 3, 31, 9, 0, 0, 0, rome), 1, time.Date(2026, 2, 28, 0, 0, 0, 0, rome)},
		{time.Date(2028, 2, 29, 9, 0, 0, 0, rome), 12, time.Date(2027, 2, 28, 0, 0, 0, 0, rome)},
		{time.Date(2026, 1, 10, 9, 0, 0, 0, rome), 24, time.Date(2024, 1, 10, 0, 0, 0, 0, rome)},
	} {
		if got := jobs.RetentionCutoff(tc.now, tc.months); !got.Equal(tc.want) {
			t.Errorf("RetentionCutoff(%v, %d) = %v, want %v", tc.now, tc.months, got, tc.want)
		}
	}
}

func TestEmailRetryDelay_CappedAtAnHour_RetriesForAboutAWeek(t *testing.T) {
	var total time.Duration
	for a := 1; a < jobs.EmailMaxAttempts; a++ {
		d := jobs.EmailRetryDelay(a)
		if d > time.Hour+6*time.Minute {
			t.Fatalf("attempt %d waits %v", a, d)
		}
		total += d
	}
	if total < 6*24*time.Hour || total > 9*24*time.Hour {
		t.Errorf("mail retried over %v, want about a week", total)
	}
	if d := jobs.EmailRetryDelay(1); d < time.Second || d > 2*time.Second {
		t.Errorf("first retry after %v", d)
	}
}
