package store_test

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// statsAppt is one appointment written straight into the table, so that a
// test can set its outcome and when it was booked.
type statsAppt struct {
	office           int64
	professional     booking.Professional
	start            time.Time
	bookedDaysBefore int
	status           booking.Status
	cancelledBy      string // "", "cittadino", "ufficio"
	byStaff          int64  // the account that booked it, 0 for none
}

var statsSeq int

func insertStatsAppts(t *testing.T, pool *pgxpool.Pool, list ...statsAppt) {
	t.Helper()
	for _, a := range list {
		statsSeq++
		var cancelledBy *string
		if a.cancelledBy != "" {
			cancelledBy = &a.cancelledBy
		}
		var staff *int64
		if a.byStaff != 0 {
			staff = &a.byStaff
		}
		p := a.professional
		if p == "" {
			p = booking.AssistenteSociale
		}
		_, err := pool.Exec(context.Background(), `INSERT INTO appointments (code, office_id, professional, starts_at, ends_at, status, mode,
				first_name, email, token_expires_at, created_at, cancelled_by, booked_by_staff_id)
			VALUES ($1, $2, $3, $4::timestamptz, $4::timestamptz + interval '45 minutes', $5, 'immediata', 'Maria', 'maria@example.org', $4::timestamptz + interval '30 days',
				$6, $7, $8)`,
			fmt.Sprintf("UDC-TEST-%04d", statsSeq), a.office, string(p), a.start, string(a.status),
			a.start.AddDate(0, 0, -a.bookedDaysBefore), cancelledBy, staff)
		if err != nil {
			t.Fatal(err)
		}
	}
}

func day(y int, m time.Month, d, h int) time.Time {
	return time.Date(y, m, d, h, 0, 0, 0, hours.Rome())
}

func TestStats_OutcomesByWeekAndByOffice_WaitPercentiles(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	staff, _, err := f.st.CreateStaff(ctx, 0, store.NewStaff{Email: "op@example.org", Role: auth.RoleOperator}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// Week of Monday 2 March 2026, office A: waits 1, 2, 3, 4, 10 days.
	w1 := day(2026, 3, 2, 10)
	insertStatsAppts(t, f.pool,
		statsAppt{office: f.office, start: w1, bookedDaysBefore: 1, status: booking.StatusDone},
		statsAppt{office: f.office, start: w1.AddDate(0, 0, 1), bookedDaysBefore: 2, status: booking.StatusNoShow, byStaff: staff.ID},
		statsAppt{office: f.office, start: w1.AddDate(0, 0, 2), bookedDaysBefore: 3, status: booking.StatusCancelled, cancelledBy: "cittadino"},
		statsAppt{office: f.office, start: w1.AddDate(0, 0, 3), bookedDaysBefore: 4, status: booking.StatusCancelled, cancelledBy: "ufficio"},
		// Sunday 8 March, 23:30 in Rome, is still the first week.
		statsAppt{office: f.office, professional: booking.Educatore, start: time.Date(2026, 3, 8, 23, 30, 0, 0, hours.Rome()),
			bookedDaysBefore: 10, status: booking.StatusDeclined},
	)
	// Next week, office B; and one before the period, never counted.
	w2 := day(2026, 3, 9, 10)
	insertStatsAppts(t, f.pool,
		statsAppt{office: f.other, start: w2, bookedDaysBefore: 5, status: booking.StatusConfirmed, byStaff: staff.ID},
		statsAppt{office: f.other, start: w2, bookedDaysBefore: 7, status: booking.StatusRequested},
		// Cancelled before the column existed: counted as the office's.
		statsAppt{office: f.other, start: w2.AddDate(0, 0, 1), bookedDaysBefore: 7, status: booking.StatusCancelled},
		statsAppt{office: f.office, start: day(2026, 2, 27, 10), bookedDaysBefore: 1, status: booking.StatusDone},
	)
	filter := store.StatsFilter{OfficeIDs: []int64{f.office, f.other}, From: day(2026, 3, 2, 0), To: day(2026, 3, 16, 0)}

	all, err := f.st.AppointmentStats(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	weeks := all.Weeks
	want := []store.WeekStats{
		{Week: day(2026, 3, 2, 0), AppointmentCounts: store.AppointmentCounts{Booked: 5, ByStaff: 1, CancelledByCitizen: 1,
			CancelledByOffice: 1, Declined: 1, NoShow: 1, Done: 1, WaitMedian: ptr(3), WaitP90: ptr(7.6)}},
		{Week: day(2026, 3, 9, 0), AppointmentCounts: store.AppointmentCounts{Booked: 3, ByStaff: 1, CancelledByOffice: 1,
			Requested: 1, Confirmed: 1, WaitMedian: ptr(7), WaitP90: ptr(7)}},
	}
	if len(weeks) != len(want) {
		t.Fatalf("weeks %+v", weeks)
	}
	for i := range want {
		if !weeks[i].Week.Equal(want[i].Week) || !sameCounts(weeks[i].AppointmentCounts, want[i].AppointmentCounts) {
			t.Errorf("week %d: got %s %+v, want %s %+v", i, weeks[i].Week, counts(weeks[i].AppointmentCounts),
				want[i].Week, counts(want[i].AppointmentCounts))
		}
	}

	// The whole period: waits 1, 2, 3, 4, 10, 5, 7, 7.
	if p := all.Period; p.Booked != 8 || p.CancelledByOffice != 2 || !sameCounts(p, store.AppointmentCounts{Booked: 8, ByStaff: 2,
		CancelledByCitizen: 1, CancelledByOffice: 2, Declined: 1, NoShow: 1, Done: 1, Requested: 1, Confirmed: 1,
		WaitMedian: ptr(4.5), WaitP90: ptr(7.9)}) {
		t.Errorf("period %s", counts(p))
	}
	offices := all.Offices
	if len(offices) != 3 || offices[0].OfficeID != f.office || offices[0].Professional != booking.AssistenteSociale ||
		offices[0].Booked != 4 || *offices[0].WaitMedian != 2.5 || offices[1].Professional != booking.Educatore || offices[1].Declined != 1 ||
		offices[2].OfficeID != f.other || offices[2].Booked != 3 {
		t.Fatalf("offices %+v", offices)
	}

	// One office, one professional.
	filter.OfficeIDs, filter.Professional = []int64{f.office}, booking.Educatore
	all, err = f.st.AppointmentStats(ctx, filter)
	if err != nil || len(all.Weeks) != 1 || all.Weeks[0].Booked != 1 || all.Weeks[0].Declined != 1 || len(all.Offices) != 1 {
		t.Fatalf("filtered: %+v %v", all, err)
	}
	// No office: nothing.
	if all, err := f.st.AppointmentStats(ctx, store.StatsFilter{From: filter.From, To: filter.To}); err != nil || len(all.Weeks) != 0 ||
		len(all.Offices) != 0 || all.Period.Booked != 0 || all.Period.WaitMedian != nil {
		t.Fatalf("no office: %+v %v", all, err)
	}
}

func counts(c store.AppointmentCounts) string {
	f := func(p *float64) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprint(*p)
	}
	return fmt.Sprintf("%d/%d/%d/%d/%d/%d/%d/%d/%d wait %s p90 %s", c.Booked, c.ByStaff, c.CancelledByCitizen, c.CancelledByOffice,
		c.Declined, c.NoShow, c.Done, c.Requested, c.Confirmed, f(c.WaitMedian), f(c.WaitP90))
}

func sameCounts(a, b store.AppointmentCounts) bool {
	near := func(x, y *float64) bool {
		if x == nil || y == nil {
			return x == y
		}
		d := *x - *y
		return d < 1e-9 && d > -1e-9
	}
	wa, wb := a.WaitMedian, b.WaitMedian
	pa, pb := a.WaitP90, b.WaitP90
	a.WaitMedian, a.WaitP90, b.WaitMedian, b.WaitP90 = nil, nil, nil, nil
	return reflect.DeepEqual(a, b) && near(wa, wb) && near(pa, pb)
}

// TestStats_CancellationsThroughTheRealPaths_CountedByWho cancels one
// appointment through the citizen's personal link path and one through
// the staff's, and finds each on its side.
func TestStats_CancellationsThroughTheRealPaths_CountedByWho(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	a, _ := f.book(t, "uno@example.org", slot, t0)
	b, _ := f.book(t, "due@example.org", slot.Add(length), t0)
	if _, err := f.st.CancelAppointment(ctx, a.ID, "", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.ChangeAppointmentStatus(ctx, store.StatusChange{ActorID: f.actor, OfficeID: f.office, AppointmentID: b.ID,
		To: booking.StatusCancelled, Reason: "Operatore assente", Now: t0}); err != nil {
		t.Fatal(err)
	}
	all, err := f.st.AppointmentStats(ctx, store.StatsFilter{OfficeIDs: []int64{f.office}, From: t0, To: t0.AddDate(0, 0, 7)})
	weeks := all.Weeks
	if err != nil || len(weeks) != 1 || weeks[0].CancelledByCitizen != 1 || weeks[0].CancelledByOffice != 1 || weeks[0].Booked != 2 {
		t.Fatalf("%+v %v", weeks, err)
	}
}

// TestStats_SurviveTheRetentionErasure computes the figures before and
// after the personal data is erased: they are the same.
func TestStats_SurviveTheRetentionErasure(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	staff, _, err := f.st.CreateStaff(ctx, 0, store.NewStaff{Email: "op@example.org", Role: auth.RoleOperator}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	w := day(2025, 6, 2, 10)
	insertStatsAppts(t, f.pool,
		statsAppt{office: f.office, start: w, bookedDaysBefore: 3, status: booking.StatusDone, byStaff: staff.ID},
		statsAppt{office: f.office, start: w.AddDate(0, 0, 1), bookedDaysBefore: 8, status: booking.StatusCancelled, cancelledBy: "cittadino"},
		statsAppt{office: f.office, start: w.AddDate(0, 0, 2), bookedDaysBefore: 2, status: booking.StatusNoShow},
	)
	filter := store.StatsFilter{OfficeIDs: []int64{f.office}, From: day(2025, 6, 1, 0), To: day(2025, 7, 1, 0)}
	before, err := f.st.AppointmentStats(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := f.st.ErasePersonalData(ctx, day(2026, 1, 1, 0)); err != nil || n != 3 {
		t.Fatalf("erased %d %v", n, err)
	}
	after, err := f.st.AppointmentStats(ctx, filter)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(before, after) || len(after.Weeks) != 1 || after.Weeks[0].ByStaff != 1 || after.Weeks[0].CancelledByCitizen != 1 {
		t.Fatalf("before %+v\nafter %+v", before, after)
	}
}

func TestPendingRequests_CountAgeAndOverdue(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	now := day(2026, 3, 10, 12)
	insertStatsAppts(t, f.pool,
		statsAppt{office: f.office, professional: booking.Educatore, start: now.AddDate(0, 0, 2), bookedDaysBefore: 4, status: booking.StatusRequested},
		statsAppt{office: f.office, professional: booking.Educatore, start: now.AddDate(0, 0, -1), bookedDaysBefore: 5, status: booking.StatusRequested},
		statsAppt{office: f.office, professional: booking.Educatore, start: now.AddDate(0, 0, 3), bookedDaysBefore: 3, status: booking.StatusConfirmed},
		statsAppt{office: f.other, start: now.AddDate(0, 0, 5), bookedDaysBefore: 6, status: booking.StatusRequested},
	)
	got, err := f.st.PendingRequests(ctx, []int64{f.office}, "", now)
	if err != nil {
		t.Fatal(err)
	}
	// Sent 2 and 6 days before now.
	if len(got) != 1 || got[0].Count != 2 || got[0].Overdue != 1 || got[0].MedianAgeDays != 4 ||
		!got[0].Oldest.Equal(now.AddDate(0, 0, -6)) {
		t.Fatalf("%+v", got)
	}
}

func TestPageRatings_AverageStarsAndAnswersPerPage(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	for _, r := range []store.Rating{
		{PagePath: "/comuni", Stars: 5, Answer: "Le indicazioni erano chiare"},
		{PagePath: "/comuni", Stars: 4, Answer: "Le indicazioni erano chiare"},
		{PagePath: "/comuni", Stars: 1, Answer: "Ho avuto problemi tecnici", Comment: "Mario Rossi, 333 1234567"},
		{PagePath: "/uffici/prenotazioni-test", Stars: 2},
	} {
		if err := f.st.AddRating(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.pool.Exec(ctx, `INSERT INTO page_ratings (page_path, stars, created_at) VALUES ('/comuni', 3, now() - interval '2 years')`); err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	got, err := f.st.PageRatings(ctx, now.AddDate(0, -1, 0), now.Add(time.Minute), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].PagePath != "/comuni" || got[0].Count != 3 || got[0].Average != 10.0/3 ||
		got[0].Stars != [5]int{1, 0, 0, 1, 1} ||
		!reflect.DeepEqual(got[0].Answers, []store.AnswerCount{{Answer: "Le indicazioni erano chiare", Count: 2}, {Answer: "Ho avuto problemi tecnici", Count: 1}}) ||
		got[1].Count != 1 || got[1].Average != 2 || len(got[1].Answers) != 0 {
		t.Fatalf("%+v", got)
	}
	got, err = f.st.PageRatings(ctx, now.AddDate(0, -1, 0), now.Add(time.Minute), []string{"/uffici/prenotazioni-test"})
	if err != nil || len(got) != 1 || got[0].PagePath != "/uffici/prenotazioni-test" {
		t.Fatalf("one page: %+v %v", got, err)
	}
	if got, err := f.st.PageRatings(ctx, now.AddDate(0, -1, 0), now, []string{}); err != nil || len(got) != 0 {
		t.Fatalf("no page: %+v %v", got, err)
	}
}

func TestBookingSettingsOfAndTakenSeatsOf_MatchTheOneOfficeQueries(t *testing.T) {
	f := newReportFixture(t)
	ctx := context.Background()
	s := booking.DefaultSettings(booking.AssistenteSociale)
	s.LengthMinutes, s.Capacity = 45, 1
	s.Windows = []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0)}}
	if err := f.st.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale, Enabled: true, Settings: s}); err != nil {
		t.Fatal(err)
	}
	f.book(t, "uno@example.org", slot, t0)
	one, err := f.st.BookingSettings(ctx, f.office)
	if err != nil {
		t.Fatal(err)
	}
	many, err := f.st.BookingSettingsOf(ctx, []int64{f.office, f.other})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(many[f.office], one) || len(many[f.other]) != 0 {
		t.Fatalf("settings\n%+v\n%+v", many[f.office], one)
	}
	taken, err := f.st.TakenSeats(ctx, f.office, booking.AssistenteSociale, t0, t0.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	seats, err := f.st.TakenSeatsOf(ctx, []int64{f.office, f.other}, t0, t0.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if len(taken) != 1 || len(seats) != 1 {
		t.Fatalf("%v %v", taken, seats)
	}
	for start, n := range taken {
		if seats[store.SeatKey{OfficeID: f.office, Professional: booking.AssistenteSociale, Start: start}] != n {
			t.Fatalf("%v %v", taken, seats)
		}
	}
}
