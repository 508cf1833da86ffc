package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

func iv(wd time.Weekday, from, to int, k hours.Kind) hours.Interval {
	return hours.Interval{Weekday: wd, Start: hours.NewClock(from, 0), End: hours.NewClock(to, 0), Kind: k}
}

// auditRows returns action and after of the audit entries of an office,
// oldest first.
func auditRows(t *testing.T, st *store.Store, officeID int64) [][3]string {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), `SELECT action, coalesce(before::text, ''), coalesce(after::text, '')
		FROM audit_log WHERE entity = 'office' AND entity_id = $1 ORDER BY id`, officeID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][3]string
	for rows.Next() {
		var r [3]string
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestReplaceOfficeHours_ReplacesAudits_AndOverlapStoresNothing(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	id := staffOffice(t, pool, "ufficio-a")
	first := []hours.Interval{iv(time.Tuesday, 9, 13, hours.KindWalkIn), iv(time.Monday, 9, 13, hours.KindWalkIn)}
	changed, err := st.ReplaceOfficeHours(ctx, 0, id, first)
	if err != nil || !changed {
		t.Fatalf("first save: %v %v", changed, err)
	}
	// The same hours in another order: nothing to do, nothing audited.
	changed, err = st.ReplaceOfficeHours(ctx, 0, id, []hours.Interval{first[1], first[0]})
	if err != nil || changed {
		t.Fatalf("same hours: %v %v", changed, err)
	}
	// An overlap breaks the exclusion constraint: nothing at all is stored,
	// not even the valid interval listed before it.
	_, err = st.ReplaceOfficeHours(ctx, 0, id, []hours.Interval{
		iv(time.Friday, 8, 10, hours.KindWalkIn), iv(time.Monday, 9, 12, hours.KindWalkIn), iv(time.Monday, 11, 14, hours.KindWalkIn)})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "office_hours_no_overlap" || !strings.Contains(ce.Message, "lunedì") {
		t.Fatalf("overlap: %v", err)
	}
	tt, err := st.OfficeTimetable(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(tt.Hours) != 2 || tt.Hours[0].Weekday != time.Monday || tt.Hours[1].Weekday != time.Tuesday {
		t.Fatalf("hours after the failed save: %+v", tt.Hours)
	}
	audit := auditRows(t, st, id)
	if len(audit) != 1 || audit[0][0] != "office_hours" || audit[0][1] != "[]" || !strings.Contains(audit[0][2], `"day": "lunedì"`) {
		t.Fatalf("audit %q", audit)
	}
	if _, err := st.ReplaceOfficeHours(ctx, 0, 999999, first); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("missing office: %v", err)
	}
}

func TestOfficeClosure_DeleteOnlyThroughItsOffice(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	a, b := staffOffice(t, pool, "ufficio-a"), staffOffice(t, pool, "ufficio-b")
	c := hours.Closure{From: hours.MakeDate(2030, 1, 2), To: hours.MakeDate(2030, 1, 3), Reason: "Chiuso per lavori"}
	closureID, err := st.CreateOfficeClosure(ctx, 0, b, c)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DeleteOfficeClosure(ctx, 0, a, closureID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("through another office: %v", err)
	}
	tt, _ := st.OfficeTimetable(ctx, b)
	if len(tt.Closures) != 1 || tt.Closures[0].ID != closureID || tt.Closures[0].Closure != c {
		t.Fatalf("closures %+v", tt.Closures)
	}
	got, err := st.DeleteOfficeClosure(ctx, 0, b, closureID)
	if err != nil || got != c {
		t.Fatalf("delete: %+v %v", got, err)
	}
	if n := len(auditRows(t, st, a)); n != 0 {
		t.Errorf("%d audit entries on office A", n)
	}
	if audit := auditRows(t, st, b); len(audit) != 2 || audit[0][0] != "closure_add" || audit[1][0] != "closure_delete" {
		t.Errorf("audit %q", audit)
	}
	_, err = st.CreateOfficeClosure(ctx, 0, a, hours.Closure{From: c.To, To: c.From})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) {
		t.Fatalf("end before start: %v", err)
	}
}

func TestSpecialOpening_OverlapRejected_DeleteOnlyThroughItsOffice(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	a, b := staffOffice(t, pool, "ufficio-a"), staffOffice(t, pool, "ufficio-b")
	so := hours.SpecialOpening{Date: hours.MakeDate(2030, 1, 5), Start: hours.NewClock(9, 0), End: hours.NewClock(12, 0),
		Kind: hours.KindWalkIn, Note: "Apertura straordinaria"}
	id, err := st.CreateSpecialOpening(ctx, 0, a, so)
	if err != nil {
		t.Fatal(err)
	}
	so2 := so
	so2.Start, so2.End = hours.NewClock(11, 0), hours.NewClock(13, 0)
	var ce *store.ConstraintError
	if _, err := st.CreateSpecialOpening(ctx, 0, a, so2); !errors.As(err, &ce) || ce.Constraint != "office_special_no_overlap" {
		t.Fatalf("overlap: %v", err)
	}
	if _, err := st.DeleteSpecialOpening(ctx, 0, b, id); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("through another office: %v", err)
	}
	if _, err := st.DeleteSpecialOpening(ctx, 0, a, id); err != nil {
		t.Fatal(err)
	}
	if tt, _ := st.OfficeTimetable(ctx, a); len(tt.Specials) != 0 {
		t.Fatalf("specials %+v", tt.Specials)
	}
}

func TestUpdateBookingSettings_AuditedBeforeAndAfter_ConstraintWritesNothing(t *testing.T) {
	pool := dbtest.NewPool(t)
	st := store.New(pool)
	ctx := context.Background()
	id := staffOffice(t, pool, "ufficio-a")
	s := booking.DefaultSettings(booking.AssistenteSociale)
	s.Windows = []hours.Interval{{Weekday: time.Monday, Start: hours.NewClock(9, 0), End: hours.NewClock(12, 0)}}
	bs := store.BookingSettings{OfficeID: id, Professional: booking.AssistenteSociale, Enabled: true, Settings: s, MaxActivePerEmail: 3}
	if err := st.UpdateBookingSettings(ctx, 0, bs); err != nil {
		t.Fatal(err)
	}
	bs.Capacity = 4
	if err := st.UpdateBookingSettings(ctx, 0, bs); err != nil {
		t.Fatal(err)
	}
	// Overlapping windows: the second save is refused whole.
	bad := bs
	bad.Capacity = 9
	bad.Windows = append(bad.Windows, hours.Interval{Weekday: time.Monday, Start: hours.NewClock(11, 0), End: hours.NewClock(13, 0)})
	var ce *store.ConstraintError
	if err := st.UpdateBookingSettings(ctx, 0, bad); !errors.As(err, &ce) || ce.Constraint != "booking_windows_no_overlap" {
		t.Fatalf("overlap: %v", err)
	}
	all, err := st.BookingSettings(ctx, id)
	if err != nil || len(all) != 1 || all[0].Capacity != 4 || len(all[0].Windows) != 1 || all[0].MaxActivePerEmail != 3 {
		t.Fatalf("stored %+v %v", all, err)
	}
	audit := auditRows(t, st, id)
	if len(audit) != 2 || audit[0][0] != "booking_settings" || audit[0][1] != "" ||
		!strings.Contains(audit[1][1], `"capacity": 1`) || !strings.Contains(audit[1][2], `"capacity": 4`) {
		t.Fatalf("audit %q", audit)
	}
}
