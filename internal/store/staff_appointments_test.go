package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/store"
)

// bookAs books the slot at start for email with status (a request or a
// confirmed appointment) and professional p.
func (f bookingFixture) bookAs(t testing.TB, email string, start time.Time, p booking.Professional, status booking.Status) (store.Appointment, string) {
	t.Helper()
	ctx := context.Background()
	d := f.draft(t, email, start)
	d.Data.Professional = p
	if err := f.st.SaveDraft(ctx, d.ID, d.Data, t0); err != nil {
		t.Fatal(err)
	}
	na, tok := newAppt(t)
	na.Status = status
	if status == booking.StatusRequested {
		na.Mode = booking.ModeRequest
	}
	a, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 10, t0)
	if err != nil {
		t.Fatal(err)
	}
	return a, tok
}

// otherOffice adds a second office and returns its id.
func (f bookingFixture) otherOffice(t testing.TB) int64 {
	t.Helper()
	res, err := f.st.SaveOffices(context.Background(), []store.Office{{
		Slug: "altro-ufficio", Name: "Altro ufficio", SeatISTAT: "054039", Comuni: []store.OfficeComune{{ISTAT: "054039"}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return res[0].ID
}

func codes(list []store.Appointment) []string {
	var out []string
	for _, a := range list {
		out = append(out, a.Code)
	}
	return out
}

func TestOfficeAppointments_RequestsFirstThenByStart_Filtered(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	late, _ := f.bookAs(t, "a@example.org", slot.Add(2*time.Hour), booking.AssistenteSociale, booking.StatusConfirmed)
	early, _ := f.bookAs(t, "b@example.org", slot, booking.AssistenteSociale, booking.StatusConfirmed)
	req, _ := f.bookAs(t, "c@example.org", slot.Add(3*time.Hour), booking.Educatore, booking.StatusRequested)
	nextDay, _ := f.bookAs(t, "d@example.org", slot.Add(24*time.Hour), booking.AssistenteSociale, booking.StatusConfirmed)
	other := f.otherOffice(t)
	d := f.draft(t, "e@example.org", slot)
	d.Data.OfficeID = other
	if err := f.st.SaveDraft(ctx, d.ID, d.Data, t0); err != nil {
		t.Fatal(err)
	}
	na, _ := newAppt(t)
	if _, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 10, t0); err != nil {
		t.Fatal(err)
	}

	day := hours.DateOf(slot)
	tests := []struct {
		name string
		f    store.AppointmentFilter
		want []store.Appointment
	}{
		{"all, requests first", store.AppointmentFilter{OfficeID: f.office, PendingFirst: true}, []store.Appointment{req, early, late, nextDay}},
		{"all by start", store.AppointmentFilter{OfficeID: f.office}, []store.Appointment{early, late, req, nextDay}},
		{"one day", store.AppointmentFilter{OfficeID: f.office, From: day.At(0), To: day.AddDays(1).At(0)}, []store.Appointment{early, late, req}},
		{"from the next day", store.AppointmentFilter{OfficeID: f.office, From: day.AddDays(1).At(0)}, []store.Appointment{nextDay}},
		{"educator", store.AppointmentFilter{OfficeID: f.office, Professional: booking.Educatore}, []store.Appointment{req}},
		{"confirmed", store.AppointmentFilter{OfficeID: f.office, Statuses: []booking.Status{booking.StatusConfirmed}}, []store.Appointment{early, late, nextDay}},
		{"limit", store.AppointmentFilter{OfficeID: f.office, Limit: 1}, []store.Appointment{early}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := f.st.OfficeAppointments(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if g, w := strings.Join(codes(got), " "), strings.Join(codes(tt.want), " "); g != w {
				t.Errorf("got %s\nwant %s", g, w)
			}
		})
	}
}

func TestOfficeAppointment_OfAnotherOffice_NotFound(t *testing.T) {
	f := newBookingFixture(t, 4)
	a, _ := f.book(t, "a@example.org", slot, t0)
	other := f.otherOffice(t)
	if got, err := f.st.OfficeAppointment(context.Background(), f.office, a.ID); err != nil || got.Code != a.Code {
		t.Fatalf("own office: %v", err)
	}
	if _, err := f.st.OfficeAppointment(context.Background(), other, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other office: %v, want ErrNotFound", err)
	}
	_, err := f.st.ChangeAppointmentStatus(context.Background(), store.StatusChange{OfficeID: other, AppointmentID: a.ID,
		To: booking.StatusCancelled})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("change from other office: %v, want ErrNotFound", err)
	}
}

// auditOf returns the audit entries of action.
func auditOf(t testing.TB, st *store.Store, action string) []store.AuditRecord {
	t.Helper()
	recs, _, err := st.ListAudit(context.Background(), store.AuditFilter{Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestChangeAppointmentStatus_ConfirmRequest_AuditedWithoutPersonalData(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, _ := f.bookAs(t, "maria.rossi@example.org", slot, booking.Educatore, booking.StatusRequested)
	got, err := f.st.ChangeAppointmentStatus(ctx, store.StatusChange{OfficeID: f.office, AppointmentID: a.ID, To: booking.StatusConfirmed})
	if err != nil {
		t.Fatalf("confirm: %v", err)
	}
	if got.Status != booking.StatusConfirmed || got.Sequence != a.Sequence+1 {
		t.Errorf("status %s sequence %d", got.Status, got.Sequence)
	}
	recs := auditOf(t, f.st, "appointment_confirm")
	if len(recs) != 1 || recs[0].Entity != "appointment" || recs[0].EntityID != a.ID {
		t.Fatalf("audit: %+v", recs)
	}
	e := recs[0]
	if !strings.Contains(e.Before, `"status": "richiesta"`) || !strings.Contains(e.After, `"status": "confermato"`) ||
		!strings.Contains(e.After, a.Code) {
		t.Errorf("audit before %s after %s", e.Before, e.After)
	}
	for _, personal := range []string{"Maria", "Rossi", "maria.rossi", "075", "RSSMRA", "Arabo", "informazioni"} {
		if strings.Contains(e.Before+e.After, personal) {
			t.Errorf("audit contains %q: %s %s", personal, e.Before, e.After)
		}
	}
}

func TestChangeAppointmentStatus_Rules(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	errLate := errors.New("not yet")
	tests := []struct {
		name   string
		status booking.Status
		to     booking.Status
		check  func(store.Appointment) error
		want   error
		reason string
	}{
		{"decline a request", booking.StatusRequested, booking.StatusDeclined, nil, nil, "Ufficio chiuso"},
		{"cancel a confirmed one", booking.StatusConfirmed, booking.StatusCancelled, nil, nil, "Operatore assente"},
		{"done", booking.StatusConfirmed, booking.StatusDone, nil, nil, ""},
		{"no-show", booking.StatusConfirmed, booking.StatusNoShow, nil, nil, ""},
		{"confirm a confirmed one", booking.StatusConfirmed, booking.StatusConfirmed, nil, store.ErrTransition, ""},
		{"done for a request", booking.StatusRequested, booking.StatusDone, nil, store.ErrTransition, ""},
		{"check refuses", booking.StatusConfirmed, booking.StatusDone, func(store.Appointment) error { return errLate }, errLate, ""},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, _ := f.bookAs(t, "p"+string(rune('a'+i))+"@example.org", slot.Add(time.Duration(i)*time.Hour), booking.AssistenteSociale, tt.status)
			got, err := f.st.ChangeAppointmentStatus(ctx, store.StatusChange{ActorID: 0, OfficeID: f.office, AppointmentID: a.ID,
				To: tt.to, Reason: tt.reason, Check: tt.check, Now: t0})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			stored, _ := f.st.AppointmentByID(ctx, a.ID)
			if tt.want != nil {
				if stored.Status != tt.status || stored.Sequence != a.Sequence {
					t.Errorf("changed anyway: %s seq %d", stored.Status, stored.Sequence)
				}
				return
			}
			if got.Status != tt.to || stored.Status != tt.to || stored.CancelReason != tt.reason {
				t.Errorf("got %s, stored %s %q", got.Status, stored.Status, stored.CancelReason)
			}
			wantSeq := a.Sequence + 1
			if tt.to == booking.StatusDone || tt.to == booking.StatusNoShow {
				wantSeq = a.Sequence
			}
			if stored.Sequence != wantSeq {
				t.Errorf("sequence %d, want %d", stored.Sequence, wantSeq)
			}
			// The citizen is told, with the office's reason, except for
			// done and no-show.
			events := f.outbox.events(t)
			last := events[len(events)-1]
			told := last.Appointment.Code == a.Code && last.Appointment.Status == tt.to
			if told != store.Notifies(tt.to) {
				t.Errorf("last event %+v", last)
			}
			if told && (last.Reason != tt.reason || last.Token != "" || !last.At.Equal(t0) || last.Appointment.Sequence != wantSeq) {
				t.Errorf("event %+v", last)
			}
		})
	}
}

func TestChangeAppointmentStatus_OutboxFails_NothingWritten(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, tok := f.bookAs(t, "a@example.org", slot, booking.AssistenteSociale, booking.StatusRequested)
	boom := errors.New("mail queue down")
	f.outbox.fail(boom)
	_, err := f.st.ChangeAppointmentStatus(ctx, store.StatusChange{OfficeID: f.office, AppointmentID: a.ID, To: booking.StatusConfirmed})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if stored, _ := f.st.AppointmentByID(ctx, a.ID); stored.Status != booking.StatusRequested {
		t.Errorf("status %s", stored.Status)
	}
	if n := len(auditOf(t, f.st, "appointment_confirm")); n != 0 {
		t.Errorf("%d audit entries", n)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), t0); err != nil {
		t.Errorf("the personal link changed anyway: %v", err)
	}
	if events := f.outbox.events(t); len(events) != 1 { // the booking's
		t.Errorf("events %+v", events)
	}
}

// TestChangeAppointmentStatus_Confirm_NewLinkInTheEmail: confirming a
// request renews the personal link (the old token is known only by its
// hash, so the e-mail cannot repeat it): the e-mail carries the new one,
// which works until a day after the appointment, and the old one stops.
func TestChangeAppointmentStatus_Confirm_NewLinkInTheEmail(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, oldTok := f.bookAs(t, "a@example.org", slot, booking.AssistenteSociale, booking.StatusRequested)
	if _, err := f.st.ChangeAppointmentStatus(ctx, store.StatusChange{OfficeID: f.office, AppointmentID: a.ID,
		To: booking.StatusConfirmed, Now: t0}); err != nil {
		t.Fatal(err)
	}
	events := f.outbox.events(t)
	e := events[len(events)-1]
	if e.Kind != notify.Confirmed || e.Token == "" || e.Token == oldTok || e.Appointment.Status != booking.StatusConfirmed {
		t.Fatalf("event %+v", e)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(oldTok), t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old token: %v", err)
	}
	got, err := f.st.AppointmentByToken(ctx, code.HashToken(e.Token), t0)
	if err != nil || got.ID != a.ID || !got.TokenExpiresAt.Equal(a.End.Add(booking.LinkGrace)) {
		t.Errorf("new token: %v %+v", err, got)
	}
}

func TestProposeAppointmentTime_RequestMovedConfirmedAudited_NewLink(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, oldTok := f.bookAs(t, "a@example.org", slot, booking.AssistenteSociale, booking.StatusRequested)
	newStart := slot.Add(time.Hour)
	moved, err := f.st.ProposeAppointmentTime(ctx, store.Proposal{OfficeID: f.office, AppointmentID: a.ID,
		Start: newStart, End: newStart.Add(length), Capacity: 1, Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	stored, _ := f.st.AppointmentByID(ctx, a.ID)
	if stored.Status != booking.StatusConfirmed || !stored.Start.Equal(newStart) || moved.Sequence != a.Sequence+1 {
		t.Errorf("stored %s %s seq %d", stored.Status, stored.Start, moved.Sequence)
	}
	recs := auditOf(t, f.st, "appointment_propose")
	if len(recs) != 1 || !strings.Contains(recs[0].Before, `"status": "richiesta"`) || !strings.Contains(recs[0].After, `"status": "confermato"`) {
		t.Fatalf("audit %+v", recs)
	}
	events := f.outbox.events(t)
	e := events[len(events)-1]
	if e.Kind != notify.Proposed || !e.PreviousStart.Equal(slot) || !e.Appointment.Start.Equal(newStart) ||
		e.Appointment.Status != booking.StatusConfirmed || e.Token == "" {
		t.Fatalf("event %+v", e)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(oldTok), t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("old token: %v", err)
	}
	if got, err := f.st.AppointmentByToken(ctx, code.HashToken(e.Token), t0); err != nil || got.ID != a.ID {
		t.Errorf("new token: %v", err)
	}
}

func TestProposeAppointmentTime_FullSlotOrOtherOffice_NothingChanges(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, tok := f.bookAs(t, "a@example.org", slot, booking.AssistenteSociale, booking.StatusRequested)
	f.book(t, "b@example.org", slot.Add(time.Hour), t0)
	before := len(f.outbox.events(t))
	p := store.Proposal{OfficeID: f.office, AppointmentID: a.ID, Start: slot.Add(time.Hour), End: slot.Add(time.Hour + length), Capacity: 1, Now: t0}
	if _, err := f.st.ProposeAppointmentTime(ctx, p); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("full slot: %v", err)
	}
	p.OfficeID, p.Start, p.End = f.otherOffice(t), slot.Add(2*time.Hour), slot.Add(2*time.Hour+length)
	if _, err := f.st.ProposeAppointmentTime(ctx, p); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other office: %v", err)
	}
	stored, _ := f.st.AppointmentByID(ctx, a.ID)
	if stored.Status != booking.StatusRequested || !stored.Start.Equal(slot) || len(auditOf(t, f.st, "appointment_propose")) != 0 {
		t.Errorf("changed: %+v", stored)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), t0); err != nil {
		t.Errorf("link: %v", err)
	}
	if n := len(f.outbox.events(t)); n != before {
		t.Errorf("%d events, want %d", n, before)
	}
}

func TestExportOfficeAppointments_AuditsPeriodAndCount(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	f.book(t, "a@example.org", slot, t0)
	f.book(t, "b@example.org", slot.Add(time.Hour), t0)
	day := hours.DateOf(slot)
	list, err := f.st.ExportOfficeAppointments(ctx, 0, store.AppointmentFilter{OfficeID: f.office, From: day.At(0), To: day.AddDays(1).At(0)})
	if err != nil || len(list) != 2 {
		t.Fatalf("export: %v, %d rows", err, len(list))
	}
	recs := auditOf(t, f.st, "appointment_export")
	if len(recs) != 1 || recs[0].Entity != "office" || recs[0].EntityID != f.office || !strings.Contains(recs[0].After, `"rows": 2`) {
		t.Fatalf("audit %+v", recs)
	}
	if strings.Contains(recs[0].After, "example.org") || strings.Contains(recs[0].After, "UDC-") {
		t.Errorf("audit names the data: %s", recs[0].After)
	}
}
