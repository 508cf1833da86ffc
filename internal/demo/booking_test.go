package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

func TestSeedBooking_EveryDemoOfficeOffersSlots(t *testing.T) {
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	iv := func(wd time.Weekday, sh, sm, eh, em int, k hours.Kind) hours.Interval {
		return hours.Interval{Weekday: wd, Start: hours.NewClock(sh, sm), End: hours.NewClock(eh, em), Kind: k}
	}
	offices := []store.Office{
		{Slug: "demo-a", Name: "Demo A", SeatISTAT: "054039", IsDemo: true, Hours: []hours.Interval{
			iv(time.Monday, 9, 0, 13, 0, hours.KindWalkIn),
			iv(time.Tuesday, 15, 0, 17, 0, hours.KindAppointment),
			iv(time.Thursday, 9, 0, 10, 0, hours.KindAppointment),
			iv(time.Thursday, 10, 0, 12, 30, hours.KindAppointment),
		}},
		{Slug: "demo-b", Name: "Demo B", SeatISTAT: "054039", IsDemo: true, Hours: []hours.Interval{
			iv(time.Wednesday, 8, 30, 12, 30, hours.KindWalkIn),
		}},
		{Slug: "vero", Name: "Ufficio vero", SeatISTAT: "054039", Hours: []hours.Interval{
			iv(time.Wednesday, 8, 30, 12, 30, hours.KindWalkIn),
		}},
	}
	if _, err := st.SaveOffices(ctx, offices); err != nil {
		t.Fatal(err)
	}
	for range 2 { // idempotent
		if err := demo.SeedBooking(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	list, err := st.ListOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2030, 3, 4, 9, 0, 0, 0, hours.Rome())
	for _, o := range list {
		settings, err := st.BookingSettings(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !o.IsDemo {
			if len(settings) != 0 {
				t.Errorf("%s: real office configured: %+v", o.Slug, settings)
			}
			continue
		}
		if len(settings) != 2 {
			t.Fatalf("%s: %d professionals configured", o.Slug, len(settings))
		}
		for _, bs := range settings {
			want := map[booking.Professional][2]int{booking.AssistenteSociale: {45, 1}, booking.Educatore: {60, 2}}[bs.Professional]
			if !bs.Enabled || bs.LengthMinutes != want[0] || bs.Capacity != want[1] || len(bs.Reasons) == 0 {
				t.Errorf("%s %s: %+v", o.Slug, bs.Professional, bs)
			}
			if wantMode := map[string]booking.Mode{"demo-a": booking.ModeInstant, "demo-b": booking.ModeRequest}[o.Slug]; bs.Mode != wantMode {
				t.Errorf("%s %s: mode %s, want %s", o.Slug, bs.Professional, bs.Mode, wantMode)
			}
			if warnings := bs.OutsideHours(o.Hours); len(warnings) > 0 {
				t.Errorf("%s %s: %v", o.Slug, bs.Professional, warnings)
			}
			today := hours.DateOf(now)
			if slots := booking.Slots(bs.Settings, o.Schedule(), now, today, today.AddDays(14)); len(slots) == 0 {
				t.Errorf("%s %s: no slots in the next two weeks", o.Slug, bs.Professional)
			}
		}
		if o.Slug == "demo-a" && len(settings[0].Windows) != 2 {
			// Tuesday 15–17 and Thursday 9–12:30 merged; Monday's walk-in
			// hours are left to walk-in citizens.
			t.Errorf("demo-a windows = %+v", settings[0].Windows)
		}
	}
}

func TestSeedBooking_AfterSeed_SlotsOnEveryDemoOffice(t *testing.T) {
	ctx := context.Background()
	st := store.New(dbtest.NewPool(t))
	now := time.Now()
	if err := demo.SeedAt(ctx, st, now); err != nil {
		t.Fatal(err)
	}
	if err := demo.SeedBooking(ctx, st); err != nil {
		t.Fatal(err)
	}
	list, err := st.ListOffices(ctx)
	if err != nil {
		t.Fatal(err)
	}
	requests := 0
	for _, o := range list {
		if !o.IsDemo {
			continue
		}
		settings, err := st.BookingSettings(ctx, o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(o.Hours) == 0 {
			// Open on request: no opening hours, so no slot can be offered.
			if len(settings) != 0 {
				t.Errorf("%s without hours configured: %+v", o.Slug, settings)
			}
			continue
		}
		if len(settings) != len(booking.Professionals()) {
			t.Errorf("%s: %d professionals configured, hours %v", o.Slug, len(settings), o.Hours)
			continue
		}
		today := hours.DateOf(now)
		for _, bs := range settings {
			if slots := booking.Slots(bs.Settings, o.Schedule(), now, today, today.AddDays(21)); len(slots) == 0 {
				t.Errorf("%s %s: no slots in the next three weeks", o.Slug, bs.Professional)
			}
		}
		if settings[0].Mode == booking.ModeRequest {
			requests++
		}
	}
	if requests != 1 {
		t.Errorf("%d demo offices take requests, want 1", requests)
	}
}
