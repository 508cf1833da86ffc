package demo

import (
	"context"
	"time"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// HistoryDays is how far back SeedHistory goes: a year.
const HistoryDays = 365

// historyRetentionMonths mirrors the retention period of a default
// installation: older appointments are written already erased.
const historyRetentionMonths = 12

// SeedHistory gives the demo offices a year of past appointments (up to
// yesterday), some pending requests and a year of page ratings, for the
// statistics page and make bench (`portal seed-demo --year`). Run after
// Seed and SeedStaff (bookings taken by staff are credited to the first
// staff account). It replaces the history of an earlier run and returns
// how many appointments it wrote.
func SeedHistory(ctx context.Context, st *store.Store, now time.Time) (int, error) {
	today := hours.DateOf(now)
	return st.SeedDemoHistory(ctx, store.DemoHistory{
		From:         today.AddDays(-HistoryDays).At(0),
		To:           today.AddDays(-1).At(0),
		ErasedBefore: now.AddDate(0, -historyRetentionMonths, 0),
		Now:          now,
		Positive:     templates.RatingAnswers(5),
		Negative:     templates.RatingAnswers(1),
	})
}
