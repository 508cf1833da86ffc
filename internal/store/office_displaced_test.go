package store_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/store"
)

// bookEdited books the social worker's slot at start for email, with the
// draft changed by edit first.
func (f bookingFixture) bookEdited(t testing.TB, email string, start time.Time, edit func(*store.DraftData)) (store.Appointment, string) {
	t.Helper()
	ctx := context.Background()
	d := f.draft(t, email, start)
	edit(&d.Data)
	if err := f.st.SaveDraft(ctx, d.ID, d.Data, t0); err != nil {
		t.Fatal(err)
	}
	na, tok := newAppt(t)
	a, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 10, t0)
	if err != nil {
		t.Fatal(err)
	}
	return a, tok
}

// slotDay is the day of slot, a Thursday.
var slotDay = hours.DateOf(slot)

func ids(list []store.Displaced) []int64 {
	var out []int64
	for _, d := range list {
		out = append(out, d.ID)
	}
	return out
}

func (f bookingFixture) appt(t testing.TB, id int64) store.Appointment {
	t.Helper()
	a, err := f.st.AppointmentByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func (f bookingFixture) closures(t testing.TB) int {
	t.Helper()
	tt, err := f.st.OfficeTimetable(context.Background(), f.office)
	if err != nil {
		t.Fatal(err)
	}
	return len(tt.Closures)
}

func TestCloseOffice_OverBookedAppointments_RefusedUntilDecided_ThenCancelledInOneGo(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, tokA := f.book(t, "uno@example.org", slot, t0)
	b, _ := f.book(t, "due@example.org", slot.Add(length), t0)
	other, _ := f.book(t, "tre@example.org", slot.AddDate(0, 0, 7), t0) // the next Thursday: not closed
	before := len(f.outbox.events(t))
	closure := hours.Closure{From: slotDay, To: slotDay, Reason: "Assemblea del personale"}
	ch := store.TimetableChange{ActorID: 0, OfficeID: f.office, Now: t0}

	// First attempt: the list, nothing written.
	_, _, err := f.st.CloseOffice(ctx, ch, closure)
	var de *store.DisplacedError
	if !errors.As(err, &de) {
		t.Fatalf("err = %v, want *DisplacedError", err)
	}
	if got := ids(de.Appointments); !slices.Equal(got, []int64{a.ID, b.ID}) || de.Appointments[0].Why != booking.MisfitClosed {
		t.Fatalf("displaced %v (%q), want %v", got, de.Appointments[0].Why, []int64{a.ID, b.ID})
	}
	if f.closures(t) != 0 || f.appt(t, a.ID).Status != booking.StatusConfirmed || len(f.outbox.events(t)) != before {
		t.Fatal("a refused change wrote something")
	}

	// A decision that saw only one of them: refused again, the list again.
	ch.Decision = &store.Decision{Seen: []int64{a.ID}, Action: store.DisplaceCancel, Message: "Ufficio chiuso per assemblea."}
	if _, _, err := f.st.CloseOffice(ctx, ch, closure); !errors.As(err, &de) || len(de.Appointments) != 2 {
		t.Fatalf("decision covering one of two: %v", err)
	}
	if f.closures(t) != 0 {
		t.Fatal("closure stored although an appointment was not seen")
	}

	// Both seen: closure, cancellations, e-mails and audit together.
	ch.Decision.Seen = []int64{a.ID, b.ID}
	_, out, err := f.st.CloseOffice(ctx, ch, closure)
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Cancelled) != 2 || len(out.MoveRequested) != 0 || out.Calls != 0 {
		t.Fatalf("outcome %+v", out)
	}
	for _, id := range []int64{a.ID, b.ID} {
		got := f.appt(t, id)
		if got.Status != booking.StatusCancelled || got.CancelReason != "Ufficio chiuso per assemblea." || got.Sequence != 1 {
			t.Errorf("appointment %d: %s %q seq %d", id, got.Status, got.CancelReason, got.Sequence)
		}
	}
	if f.appt(t, other.ID).Status != booking.StatusConfirmed {
		t.Error("an appointment on another day was touched")
	}
	events := f.outbox.events(t)[before:]
	if len(events) != 2 {
		t.Fatalf("%d e-mails, want 2", len(events))
	}
	for _, e := range events {
		if e.Kind != notify.Cancelled || e.Reason != "Ufficio chiuso per assemblea." || e.Appointment.Status != booking.StatusCancelled {
			t.Errorf("event %+v", e)
		}
	}
	if n := len(auditOf(t, f.st, "closure_add")); n != 1 {
		t.Errorf("%d closure_add entries", n)
	}
	cancels := auditOf(t, f.st, "appointment_cancel")
	if len(cancels) != 2 || !strings.Contains(cancels[0].After, `"cause": "closure_add"`) || strings.Contains(cancels[0].After, "example.org") {
		t.Errorf("cancel audit %+v", cancels)
	}
	// The personal link still shows the appointment, now cancelled.
	if got, err := f.st.AppointmentByToken(ctx, code.HashToken(tokA), t0); err != nil || got.Status != booking.StatusCancelled {
		t.Errorf("personal link: %v %v", got.Status, err)
	}
}

func TestSetOfficeHours_MoveRequested_NewLinkFlagNoReminderAndCallForPhone(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, tokA := f.book(t, "uno@example.org", slot, t0)
	phone, _ := f.bookEdited(t, "due@example.org", slot.Add(length), func(d *store.DraftData) { d.Applicant.Channel = booking.ChannelPhone })
	// Citizens book the social worker online (so they can move online).
	s := booking.DefaultSettings(booking.AssistenteSociale)
	s.Windows = []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(18, 0)}}
	if err := f.st.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale,
		Enabled: true, Settings: s}); err != nil {
		t.Fatal(err)
	}
	before := len(f.outbox.events(t))
	// Thursday afternoon only: the morning appointments are displaced.
	weekly := []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(14, 0), End: hours.NewClock(18, 0), Kind: hours.KindAppointment}}
	ch := store.TimetableChange{OfficeID: f.office, Now: t0}
	var de *store.DisplacedError
	if _, err := f.st.SetOfficeHours(ctx, ch, weekly); !errors.As(err, &de) || len(de.Appointments) != 2 || de.Appointments[0].Why != booking.MisfitHours {
		t.Fatalf("first attempt: %v", err)
	}
	ch.Decision = &store.Decision{Seen: ids(de.Appointments), Action: store.DisplaceMove, Message: "Dal 7 marzo riceviamo solo di pomeriggio."}
	out, err := f.st.SetOfficeHours(ctx, ch, weekly)
	if err != nil {
		t.Fatal(err)
	}
	if !out.Changed || len(out.MoveRequested) != 2 || out.Calls != 1 {
		t.Fatalf("outcome %+v", out)
	}
	got := f.appt(t, a.ID)
	if got.Status != booking.StatusConfirmed || got.MoveRequestedAt == nil || got.OfficeMessage != "Dal 7 marzo riceviamo solo di pomeriggio." || got.CallDueAt != nil {
		t.Errorf("flagged appointment %+v", got)
	}
	// The old link no longer works; the e-mail carries the new one.
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(tokA), t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old link: %v", err)
	}
	events := f.outbox.events(t)[before:]
	if len(events) != 2 || events[0].Kind != notify.MoveRequested || events[0].Token == "" || events[0].Reason != got.OfficeMessage {
		t.Fatalf("events %+v", events)
	}
	if byNew, err := f.st.AppointmentByToken(ctx, code.HashToken(events[0].Token), t0); err != nil || byNew.ID != a.ID {
		t.Errorf("new link: %v", err)
	}
	// The citizen who asked for the phone is on the list to call.
	calls, err := f.st.CallsDue(ctx, f.office)
	if err != nil || len(calls) != 1 || calls[0].ID != phone.ID {
		t.Fatalf("calls %v %v", codes(calls), err)
	}
	// Flagged appointments get no reminder, and are not displaced twice.
	due, err := f.st.DueReminders(ctx, slot.Add(-20*time.Hour))
	if err != nil || len(due) != 0 {
		t.Errorf("reminders for flagged appointments: %v %v", codes(due), err)
	}
	if list, err := f.st.DisplacedAppointments(ctx, f.office, t0); err != nil || len(list) != 0 {
		t.Errorf("still displaced: %v %v", ids(list), err)
	}
	// The call is made; the citizen moves the appointment: the flag goes.
	if _, err := f.st.MarkCalled(ctx, 0, f.office, phone.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.MarkCalled(ctx, 0, f.office, phone.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second mark: %v", err)
	}
	if n := len(auditOf(t, f.st, "appointment_called")); n != 1 {
		t.Errorf("%d call audit entries", n)
	}
	moved, err := f.st.MoveAppointment(ctx, a.ID, slot.Add(5*time.Hour), slot.Add(5*time.Hour+length), 5, t0, "")
	if err != nil || moved.MoveRequestedAt != nil {
		t.Fatalf("moved %+v %v", moved.MoveRequestedAt, err)
	}
}

func TestSetBookingSettings_WindowsDisplaceOnlyTheirProfessional(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, _ := f.book(t, "uno@example.org", slot, t0)                                             // 10:00 social worker
	edu, _ := f.bookAs(t, "edu@example.org", slot, booking.Educatore, booking.StatusRequested) // 10:00 educator
	s := booking.DefaultSettings(booking.AssistenteSociale)
	s.Windows = []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(11, 0), End: hours.NewClock(13, 0)}}
	bs := store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale, Enabled: true, Settings: s}
	_, err := f.st.SetBookingSettings(ctx, store.TimetableChange{OfficeID: f.office, Now: t0}, bs)
	var de *store.DisplacedError
	if !errors.As(err, &de) || !slices.Equal(ids(de.Appointments), []int64{a.ID}) || de.Appointments[0].Why != booking.MisfitWindow {
		t.Fatalf("err %v", err)
	}
	if all, _ := f.st.BookingSettings(ctx, f.office); len(all) != 0 {
		t.Fatal("settings saved although refused")
	}
	// The old API refuses the same way.
	if err := f.st.UpdateBookingSettings(ctx, 0, bs); !errors.As(err, &de) {
		t.Fatalf("UpdateBookingSettings: %v", err)
	}
	out, err := f.st.SetBookingSettings(ctx, store.TimetableChange{OfficeID: f.office, Now: t0,
		Decision: &store.Decision{Seen: []int64{a.ID}, Action: store.DisplaceCancel, Message: "Cambio di orario"}}, bs)
	if err != nil || len(out.Cancelled) != 1 {
		t.Fatalf("%+v %v", out, err)
	}
	if f.appt(t, edu.ID).Status != booking.StatusRequested {
		t.Error("the educator's request was touched")
	}
}

func TestBookForCitizen_ConfirmedAuditedMailedOnlyWithAddress(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	before := len(f.outbox.events(t))
	tok := "a-personal-link-token-of-forty-three-chars"
	withMail, err := f.st.BookForCitizen(ctx, staffBooking(t, f, slot, "anna@example.org", tok))
	if err != nil {
		t.Fatal(err)
	}
	if withMail.Status != booking.StatusConfirmed || withMail.BookedByStaffID != 0 || withMail.Channel != booking.ChannelPhone ||
		withMail.InterpreterLanguage == nil || *withMail.InterpreterLanguage != "Ucraino" {
		t.Errorf("booked %+v", withMail)
	}
	events := f.outbox.events(t)[before:]
	if len(events) != 1 || events[0].Kind != notify.BookedByOffice || events[0].Token != tok {
		t.Fatalf("events %+v", events)
	}
	if got, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), t0); err != nil || got.ID != withMail.ID {
		t.Errorf("personal link: %v", err)
	}
	noMail, err := f.st.BookForCitizen(ctx, staffBooking(t, f, slot.Add(length), "", tok))
	if err != nil {
		t.Fatal(err)
	}
	if noMail.Email != "" || noMail.Phone == "" || len(f.outbox.events(t)) != before+1 {
		t.Errorf("without e-mail: %+v, %d events", noMail, len(f.outbox.events(t))-before)
	}
	recs := auditOf(t, f.st, "appointment_book")
	if len(recs) != 2 || strings.Contains(recs[0].After, "Anna") || strings.Contains(recs[0].After, "075") {
		t.Errorf("audit %+v", recs)
	}
	// A closed day is refused, whatever the form said.
	if _, _, err := f.st.CloseOffice(ctx, store.TimetableChange{OfficeID: f.office, Now: t0},
		hours.Closure{From: slotDay.AddDays(7), To: slotDay.AddDays(7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.BookForCitizen(ctx, staffBooking(t, f, slot.AddDate(0, 0, 7), "", "")); !errors.Is(err, store.ErrSlotClosed) {
		t.Errorf("closed day: %v", err)
	}
	if _, err := f.st.BookForCitizen(ctx, staffBooking(t, f, slot.Add(6*time.Hour), "", "")); !errors.Is(err, store.ErrSlotClosed) {
		t.Errorf("outside the hours: %v", err)
	}
}

func TestBookForCitizen_CountsHoldsAndCapacity(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "citizen@example.org", slot)
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	b := staffBooking(t, f, slot, "", "")
	b.Capacity = 1
	if _, err := f.st.BookForCitizen(ctx, b); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("held seat: %v", err)
	}
	b.Capacity = 2
	if _, err := f.st.BookForCitizen(ctx, b); err != nil {
		t.Fatalf("second seat: %v", err)
	}
	if _, err := f.st.BookForCitizen(ctx, b); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("third booking at capacity 2: %v", err)
	}
}

// staffBooking is a booking by phone of the social worker at start, with
// an e-mail address or without ("").
func staffBooking(t testing.TB, f bookingFixture, start time.Time, email, token string) store.StaffBooking {
	t.Helper()
	c, err := code.NewBookingCode()
	if err != nil {
		t.Fatal(err)
	}
	return store.StaffBooking{OfficeID: f.office, Professional: booking.AssistenteSociale, Start: start, End: start.Add(length),
		Capacity: 5, Code: c, Token: token, TokenExpiresAt: start.Add(booking.LinkGrace), Now: t0,
		Form: booking.StaffForm{FirstName: "Anna", LastName: "Verdi", Phone: "075 654321", Email: email, Channel: booking.ChannelPhone,
			Reason: "Anziani", NeedsInterpreter: true, InterpreterLanguage: "Ucraino", PrivacyTold: true}}
}

// TestBookForCitizen_RacesCitizenForLastSeat: a booking by phone and a
// citizen's submit for the last seat, released at once, many times:
// exactly one wins each time.
func TestBookForCitizen_RacesCitizenForLastSeat(t *testing.T) {
	f := newBookingFixture(t, 8)
	ctx := context.Background()
	const rounds = 12
	for i := range rounds {
		// Four slots a Thursday morning, three Thursdays from slot on.
		start := slot.AddDate(0, 0, 7*(i/4)).Add(time.Duration(i%4) * length)
		d := f.draft(t, "citizen"+string(rune('a'+i))+"@example.org", start)
		na, _ := newAppt(t)
		b := staffBooking(t, f, start, "", "")
		b.Capacity = 1
		var staffErr, citizenErr error
		var wg sync.WaitGroup
		ready := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-ready
			_, staffErr = f.st.BookForCitizen(ctx, b)
		}()
		go func() {
			defer wg.Done()
			<-ready
			_, _, citizenErr = f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
		}()
		close(ready)
		wg.Wait()
		won := 0
		for _, err := range []error{staffErr, citizenErr} {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrSlotFull):
				t.Fatalf("round %d: %v", i, err)
			}
		}
		if won != 1 || f.taken(t, start) != 1 {
			t.Fatalf("round %d: %d winners, %d seats taken (staff %v, citizen %v)", i, won, f.taken(t, start), staffErr, citizenErr)
		}
	}
}

// TestBookForCitizen_RacesClosure_NeverOrphaned: a booking by phone and a
// closure of its day, released at once, many times: either the closure
// is saved and the booking refused, or the booking is made and the
// closure refused with it in the list — never both saved.
func TestBookForCitizen_RacesClosure_NeverOrphaned(t *testing.T) {
	f := newBookingFixture(t, 8)
	ctx := context.Background()
	for i := range 6 {
		start := slot.AddDate(0, 0, 7*i)
		d := hours.DateOf(start)
		var bookErr, closeErr error
		var wg sync.WaitGroup
		ready := make(chan struct{})
		wg.Add(2)
		go func() {
			defer wg.Done()
			<-ready
			_, bookErr = f.st.BookForCitizen(ctx, staffBooking(t, f, start, "", ""))
		}()
		go func() {
			defer wg.Done()
			<-ready
			_, _, closeErr = f.st.CloseOffice(ctx, store.TimetableChange{OfficeID: f.office, Now: t0}, hours.Closure{From: d, To: d})
		}()
		close(ready)
		wg.Wait()
		var de *store.DisplacedError
		switch {
		case bookErr == nil && errors.As(closeErr, &de) && len(de.Appointments) == 1:
		case errors.Is(bookErr, store.ErrSlotClosed) && closeErr == nil:
		default:
			t.Fatalf("round %d: booking %v, closure %v", i, bookErr, closeErr)
		}
	}
}

// TestSubmitDraft_AfterAClosureCommitted_RefusedEvenWhenTheCallerDidNotSeeIt:
// the web checks a time against its office cache just before the submit;
// a closure committed an instant earlier, not yet in that cache, must
// still refuse the booking inside the submit's transaction — and a
// closure in flight makes the submit wait for it.
func TestSubmitDraft_AfterAClosureCommitted_RefusedEvenWhenTheCallerDidNotSeeIt(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "citizen@example.org", slot)
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	// Another day of the office is fine, and the next Thursday too.
	other, _ := f.book(t, "other@example.org", slot.AddDate(0, 0, 7), t0)

	// The closure's transaction holds the office while the citizen submits.
	tx, err := f.st.Pool().Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `INSERT INTO office_closures (office_id, from_date, to_date, reason) VALUES ($1, $2, $2, 'Sciopero')`,
		f.office, slotDay.String()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		na, _ := newAppt(t)
		_, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 10, t0)
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("the submit did not wait for the closure in flight: %v", err)
	case <-time.After(300 * time.Millisecond):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, store.ErrSlotClosed) {
		t.Fatalf("submit into a closed day: %v, want ErrSlotClosed", err)
	}
	var n int
	if err := f.st.Pool().QueryRow(ctx, `SELECT count(*) FROM appointments WHERE starts_at = $1`, slot).Scan(&n); err != nil || n != 0 {
		t.Fatalf("%d appointments in the closed day (%v)", n, err)
	}
	// Moving into the closed day is refused the same way.
	if _, err := f.st.MoveAppointment(ctx, other.ID, slot, slot.Add(length), 5, t0, ""); !errors.Is(err, store.ErrSlotClosed) {
		t.Fatalf("move into a closed day: %v, want ErrSlotClosed", err)
	}
}
