package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// TestSeedHistory_AYearOfPastAppointmentsReplacedOnRerun loads the demo
// offices and their history twice: every week of the year has
// appointments, none is after yesterday (the history takes no seat a
// citizen could book), real offices get none, and a second run replaces
// the first.
func TestSeedHistory_AYearOfPastAppointmentsReplacedOnRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("a year of demo data")
	}
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	now := time.Now()
	if err := demo.SeedAt(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.SeedStaff(ctx, st); err != nil {
		t.Fatal(err)
	}
	realID := addRealOffice(t, st)
	var first int
	for run := range 2 {
		n, err := demo.SeedHistory(ctx, st, now)
		if err != nil {
			t.Fatal(err)
		}
		if run == 0 {
			first = n
		} else if n < first/2 || n > first*2 {
			t.Fatalf("second run wrote %d, the first %d", n, first)
		}
	}
	var total, future, realCount, ratings, byStaff int
	today := hours.DateOf(now).At(0)
	err := st.Pool().QueryRow(ctx, `SELECT count(*), count(*) FILTER (WHERE starts_at >= $1), count(*) FILTER (WHERE office_id = $2),
			(SELECT count(*) FROM page_ratings), count(*) FILTER (WHERE booked_by_staff_id IS NOT NULL)
		FROM appointments`, today, realID).Scan(&total, &future, &realCount, &ratings, &byStaff)
	if err != nil {
		t.Fatal(err)
	}
	// 25 offices, about 260 weekdays, up to 12 appointments a day.
	if total < 25*200*4 || future != 0 || realCount != 0 || ratings < 300*20 || byStaff == 0 {
		t.Fatalf("%d appointments (%d future, %d of the real office, %d by staff), %d ratings", total, future, realCount, byStaff, ratings)
	}
	var ids []int64
	offices, err := st.ListOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range offices {
		ids = append(ids, o.ID)
	}
	from := hours.DateOf(now).AddDays(-demo.HistoryDays)
	all, err := st.AppointmentStats(ctx, store.StatsFilter{OfficeIDs: ids, From: from.At(0), To: today})
	if err != nil {
		t.Fatal(err)
	}
	weeks := all.Weeks
	if len(weeks) < 52 {
		t.Fatalf("%d weeks with appointments", len(weeks))
	}
	for _, w := range weeks[1 : len(weeks)-1] {
		if w.Done == 0 || w.NoShow == 0 || w.CancelledByCitizen == 0 || w.WaitMedian == nil || *w.WaitMedian < 1 {
			t.Fatalf("week %s: %+v", w.Week, w.AppointmentCounts)
		}
	}
}

func addRealOffice(t *testing.T, st *store.Store) int64 {
	t.Helper()
	res, err := st.SaveOffices(context.Background(), []store.Office{{Slug: "ufficio-vero", Name: "Ufficio vero", SeatISTAT: "054039"}})
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ID
}
