package store_test

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/store"
)

// t0 is "now" in the booking tests: drafts are created then and live 24
// hours. slot is a Thursday 10:00 a few days later.
var (
	t0   = time.Date(2030, 3, 4, 9, 0, 0, 0, hours.Rome())
	slot = time.Date(2030, 3, 7, 10, 0, 0, 0, hours.Rome())
)

const length = 45 * time.Minute

// bookingFixture is a database with one office.
type bookingFixture struct {
	st     *store.Store
	pool   *pgxpool.Pool
	office int64
	outbox *tableOutbox
}

// newBookingFixture creates a fresh database with one office; maxConns
// sizes the pool, so that concurrency tests really run in parallel.
func newBookingFixture(t *testing.T, maxConns int32) bookingFixture {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dbtest.New(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxConns = maxConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	outbox := newTableOutbox(t, pool)
	st := store.New(pool).WithOutbox(outbox)
	res, err := st.SaveOffices(context.Background(), []store.Office{{
		Slug: "prenotazioni-test", Name: "Ufficio di prova per le prenotazioni", SeatISTAT: "054039",
		Comuni: []store.OfficeComune{{ISTAT: "054039"}},
		Hours: []hours.Interval{
			{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindAppointment},
		},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// The office was set up long ago: submits rely on the caller's check
	// of the opening (the tests book times of their own), until a test
	// changes the timetable (store.TimetableSettle).
	settleTimetable(t, pool, res[0].ID)
	return bookingFixture{st: st, pool: pool, office: res[0].ID, outbox: outbox}
}

func randomHash(t testing.TB) []byte {
	t.Helper()
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256(b)
	return h[:]
}

// draft creates a complete draft for the social worker's slot at start,
// booked by email.
func (f bookingFixture) draft(t testing.TB, email string, start time.Time) store.Draft {
	t.Helper()
	ctx := context.Background()
	d, err := f.st.CreateDraft(ctx, randomHash(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	d.Data = store.DraftData{
		OfficeID: f.office, ComuneISTAT: "054039", Professional: booking.AssistenteSociale,
		SlotStart: start, SlotEnd: start.Add(length),
		Details: booking.DetailsForm{Reason: "Altro", Note: "Vorrei informazioni."},
		Applicant: booking.ApplicantForm{FirstName: "Maria", LastName: "Rossi", Email: email, Phone: "075 123456",
			FiscalCode: "RSSMRA85T10A562S", Channel: booking.ChannelEmail, NeedsInterpreter: true, InterpreterLanguage: "Arabo",
			PrivacyAccepted: true},
		Completed: map[string]bool{"luogo": true, "data": true, "dettagli": true, "richiedente": true},
	}
	if err := f.st.SaveDraft(ctx, d.ID, d.Data, t0); err != nil {
		t.Fatal(err)
	}
	return d
}

// newAppt returns a NewAppointment with a fresh code and token; the token
// is returned too.
func newAppt(t testing.TB) (store.NewAppointment, string) {
	t.Helper()
	c, err := code.NewBookingCode()
	if err != nil {
		t.Fatal(err)
	}
	tok, _, err := code.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	return store.NewAppointment{Code: c, Token: tok, TokenExpiresAt: slot.Add(30 * 24 * time.Hour), Mode: booking.ModeInstant}, tok
}

// book submits a new draft for start and fails the test on error.
func (f bookingFixture) book(t testing.TB, email string, start, now time.Time) (store.Appointment, string) {
	t.Helper()
	d := f.draft(t, email, start)
	na, tok := newAppt(t)
	a, created, err := f.st.SubmitDraft(context.Background(), d.ID, na, 5, 10, now)
	if err != nil || !created {
		t.Fatalf("submit: %v created=%v", err, created)
	}
	return a, tok
}

func (f bookingFixture) taken(t testing.TB, start time.Time) int {
	t.Helper()
	m, err := f.st.TakenSeats(context.Background(), f.office, booking.AssistenteSociale, start, start.Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	return m[start.UTC()]
}

func TestSubmitDraft_HundredCitizensSameSlot_ExactlyCapacityBooked(t *testing.T) {
	for _, capacity := range []int{1, 3} {
		t.Run(fmt.Sprintf("capacity %d", capacity), func(t *testing.T) {
			f := newBookingFixture(t, 24)
			ctx := context.Background()
			const n = 100
			drafts := make([]store.Draft, n)
			for i := range drafts {
				drafts[i] = f.draft(t, fmt.Sprintf("persona%d@example.org", i), slot)
				if i%2 == 0 {
					// Half of them held the slot, but the hold has expired by
					// the time they submit.
					if err := f.st.HoldSlot(ctx, drafts[i].ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), n, holdClient(i), t0); err != nil {
						t.Fatal(err)
					}
				}
			}
			now := t0.Add(time.Hour)
			var created, full, other int
			var mu sync.Mutex
			var wg sync.WaitGroup
			start := make(chan struct{})
			for _, d := range drafts {
				na, _ := newAppt(t)
				wg.Go(func() {
					<-start
					_, ok, err := f.st.SubmitDraft(ctx, d.ID, na, capacity, 2, now)
					mu.Lock()
					defer mu.Unlock()
					switch {
					case err == nil && ok:
						created++
					case errors.Is(err, store.ErrSlotFull):
						full++
					default:
						other++
						t.Errorf("unexpected result: created=%v err=%v", ok, err)
					}
				})
			}
			close(start)
			wg.Wait()
			if created != capacity || full != n-capacity || other != 0 {
				t.Fatalf("created %d, full %d, other %d; want %d, %d, 0", created, full, other, capacity, n-capacity)
			}
			var rows int
			if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM appointments`).Scan(&rows); err != nil || rows != capacity {
				t.Fatalf("appointments in the database: %d (%v), want %d", rows, err, capacity)
			}
		})
	}
}

func TestHoldSlot_HundredAtOnce_OnlyOneHolds(t *testing.T) {
	f := newBookingFixture(t, 24)
	ctx := context.Background()
	const n = 100
	drafts := make([]store.Draft, n)
	for i := range drafts {
		drafts[i] = f.draft(t, fmt.Sprintf("persona%d@example.org", i), slot)
	}
	var held, full, other int
	var mu sync.Mutex
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, d := range drafts {
		wg.Go(func() {
			<-start
			err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(int(d.ID)), t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				held++
			case errors.Is(err, store.ErrSlotFull):
				full++
			default:
				other++
				t.Errorf("unexpected error: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if held != 1 || full != n-1 || other != 0 {
		t.Fatalf("held %d, full %d, other %d", held, full, other)
	}
}

func TestSubmitDraft_Resubmitted_SameAppointment(t *testing.T) {
	f := newBookingFixture(t, 12)
	ctx := context.Background()
	d := f.draft(t, "maria.rossi@example.it", slot)
	na, tok := newAppt(t)
	first, created, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
	if err != nil || !created {
		t.Fatalf("first submit: %v created=%v", err, created)
	}
	again, created, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0.Add(time.Minute))
	if err != nil || created || again.ID != first.ID || again.Code != first.Code {
		t.Fatalf("second submit: %v created=%v id %d/%d", err, created, again.ID, first.ID)
	}
	// One confirmation e-mail, with the personal link and the office.
	events := f.outbox.events(t)
	if len(events) != 1 {
		t.Fatalf("%d events, want 1: %+v", len(events), events)
	}
	e := events[0]
	if e.Kind != notify.Booked || e.Appointment.Code != first.Code || e.Appointment.Email != "maria.rossi@example.it" ||
		e.Token != tok || e.Office.Name != "Ufficio di prova per le prenotazioni" || !e.At.Equal(t0) {
		t.Errorf("event %+v", e)
	}
}

func TestSubmitDraft_TenConcurrentClicks_OneAppointment(t *testing.T) {
	f := newBookingFixture(t, 12)
	ctx := context.Background()
	d := f.draft(t, "maria.rossi@example.it", slot)
	var mu sync.Mutex
	var wg sync.WaitGroup
	ids := map[int64]bool{}
	created := 0
	start := make(chan struct{})
	for range 10 {
		na, _ := newAppt(t)
		wg.Go(func() {
			<-start
			a, ok, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Errorf("submit: %v", err)
				return
			}
			ids[a.ID] = true
			if ok {
				created++
			}
		})
	}
	close(start)
	wg.Wait()
	if created != 1 || len(ids) != 1 {
		t.Fatalf("created %d times, %d distinct appointments", created, len(ids))
	}
	var rows int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM appointments`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("appointments: %d %v", rows, err)
	}
}

func TestSubmitDraft_OutboxFails_NothingWrittenAndRetryWorks(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "maria.rossi@example.it", slot)
	na, _ := newAppt(t)
	boom := errors.New("queue down")
	f.outbox.fail(boom)
	_, _, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want %v", err, boom)
	}
	if n := f.taken(t, slot); n != 0 {
		t.Fatalf("taken after failed submit = %d", n)
	}
	// What the outbox wrote before failing went with the transaction.
	if events := f.outbox.events(t); len(events) != 0 {
		t.Fatalf("events after a rolled-back submit: %+v", events)
	}
	f.outbox.fail(nil)
	if _, created, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0); err != nil || !created {
		t.Fatalf("retry: %v %v", err, created)
	}
	if events := f.outbox.events(t); len(events) != 1 {
		t.Fatalf("events after the retry: %+v", events)
	}
}

func TestSubmitDraft_WithoutToken_Refused(t *testing.T) {
	f := newBookingFixture(t, 4)
	d := f.draft(t, "maria.rossi@example.it", slot)
	na, _ := newAppt(t)
	na.Token = ""
	if _, _, err := f.st.SubmitDraft(context.Background(), d.ID, na, 1, 2, t0); err == nil {
		t.Fatal("an appointment without personal link was booked")
	}
}

func TestSubmitDraft_StoresDraftDataAndLinksDraft(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "maria.rossi@example.it", slot)
	na, tok := newAppt(t)
	na.Mode = booking.ModeRequest
	a, _, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != booking.StatusRequested || a.Mode != booking.ModeRequest || a.Code != na.Code || a.OfficeID != f.office ||
		!a.Start.Equal(slot) || !a.End.Equal(slot.Add(length)) || a.Reason != "Altro" || a.Note != "Vorrei informazioni." ||
		a.FirstName != "Maria" || a.Email != "maria.rossi@example.it" || a.Phone != "075 123456" ||
		a.FiscalCode != "RSSMRA85T10A562S" || a.Channel != booking.ChannelEmail ||
		a.InterpreterLanguage == nil || *a.InterpreterLanguage != "Arabo" || a.AccessibilityNote != nil || a.Sequence != 0 {
		t.Fatalf("appointment = %+v", a)
	}
	byToken, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), t0)
	if err != nil || byToken.ID != a.ID {
		t.Fatalf("by token: %v %+v", err, byToken)
	}
	byID, err := f.st.AppointmentByID(ctx, a.ID)
	if err != nil || byID.Code != a.Code {
		t.Fatalf("by id: %v", err)
	}
	var hash []byte
	if err := f.pool.QueryRow(ctx, `SELECT manage_token_hash FROM appointments WHERE id = $1`, a.ID).Scan(&hash); err != nil ||
		strings.Contains(string(hash), tok) || len(hash) != 32 {
		t.Fatalf("stored token: %v, %d bytes", err, len(hash))
	}
}

func TestSubmitDraft_CodeClash_NewCodeDrawn(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	first, _ := f.book(t, "uno@example.org", slot, t0)
	d := f.draft(t, "due@example.org", slot.Add(length))
	na, _ := newAppt(t)
	na.Code = first.Code
	a, created, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
	if err != nil || !created {
		t.Fatal(err)
	}
	if a.Code == first.Code || !strings.HasPrefix(a.Code, "UDC-") {
		t.Fatalf("code = %q, first %q", a.Code, first.Code)
	}
	// The clash left nothing half-done: the draft is linked to the
	// appointment made with the new code, once.
	var linked *int64
	var n int
	if err := f.pool.QueryRow(ctx, `SELECT appointment_id, (SELECT count(*) FROM appointments WHERE draft_id = $1)
		FROM booking_drafts WHERE id = $1`, d.ID).Scan(&linked, &n); err != nil || linked == nil || *linked != a.ID || n != 1 {
		t.Fatalf("draft linked to %v, %d appointments (%v), want %d once", linked, n, err, a.ID)
	}
}

func TestSubmitDraft_IncompleteOrUnknownDraft(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d, err := f.st.CreateDraft(ctx, randomHash(t), t0)
	if err != nil {
		t.Fatal(err)
	}
	na, _ := newAppt(t)
	if _, _, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0); !errors.Is(err, store.ErrDraftIncomplete) {
		t.Errorf("empty draft: %v", err)
	}
	if _, _, err := f.st.SubmitDraft(ctx, d.ID+100, na, 1, 2, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown draft: %v", err)
	}
	full := f.draft(t, "a@example.org", slot)
	if _, _, err := f.st.SubmitDraft(ctx, full.ID, na, 1, 2, t0.Add(store.DraftLifetime)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired draft: %v", err)
	}
}

func TestHoldSlot_BlocksOthersUntilExpiry(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	holder := f.draft(t, "uno@example.org", slot)
	other := f.draft(t, "due@example.org", slot)
	expires := booking.HoldExpiry(t0)
	if err := f.st.HoldSlot(ctx, holder.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	if err := f.st.HoldSlot(ctx, other.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("second hold: %v", err)
	}
	na, _ := newAppt(t)
	if _, _, err := f.st.SubmitDraft(ctx, other.ID, na, 1, 2, t0.Add(time.Minute)); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("other submit during hold: %v", err)
	}
	// Renewing one's own hold is allowed.
	if err := f.st.HoldSlot(ctx, holder.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatalf("renew own hold: %v", err)
	}
	// After expiry the seat is free for the other draft.
	after := expires
	if err := f.st.HoldSlot(ctx, other.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), after); err != nil {
		t.Fatalf("hold after expiry: %v", err)
	}
	n, err := f.st.ReleaseExpiredHolds(ctx, after)
	if err != nil || n != 1 {
		t.Fatalf("released %d, %v; want 1", n, err)
	}
	var holds int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM slot_holds`).Scan(&holds); err != nil || holds != 1 {
		t.Fatalf("holds left %d %v", holds, err)
	}
}

func TestHoldSlot_OwnHold_DoesNotBlockOwnSubmit(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "uno@example.org", slot)
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	// TakenSeats compares holds with the database clock, and this hold
	// expires in 2030.
	if n := f.taken(t, slot); n != 1 {
		t.Fatalf("taken with hold = %d", n)
	}
	na, _ := newAppt(t)
	a, created, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0.Add(5*time.Minute))
	if err != nil || !created {
		t.Fatalf("submit with own hold: %v", err)
	}
	var holds int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM slot_holds`).Scan(&holds); err != nil || holds != 0 {
		t.Fatalf("hold not deleted on submit: %d %v", holds, err)
	}
	if n := f.taken(t, slot); n != 1 {
		t.Fatalf("taken after submit = %d, want 1 (appointment %d)", n, a.ID)
	}
	// The submitted draft cannot hold again.
	err = f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot.Add(length), slot.Add(2*length), 1, holdClient(1), t0)
	if !errors.Is(err, store.ErrDraftSubmitted) {
		t.Fatalf("hold after submit: %v", err)
	}
}

func TestHoldSlot_FullSlot_KeepsPreviousHold(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	f.book(t, "altro@example.org", slot, t0)
	d := f.draft(t, "uno@example.org", slot.Add(length))
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot.Add(length), slot.Add(2*length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); !errors.Is(err, store.ErrSlotFull) {
		t.Fatalf("hold on full slot: %v", err)
	}
	if n := f.taken(t, slot.Add(length)); n != 1 {
		t.Fatalf("previous hold lost: taken = %d", n)
	}
}

func TestSubmitDraft_TooManyActivePerEmail(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	// A past appointment (it started before "now" below) does not count.
	f.book(t, "maria@example.it", slot.Add(-7*24*time.Hour), t0.Add(-10*24*time.Hour))
	first, _ := f.book(t, "maria@example.it", slot, t0)
	submit := func(email string, start time.Time) error {
		d := f.draft(t, email, start)
		na, _ := newAppt(t)
		_, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 2, t0)
		return err
	}
	if err := submit("Maria@Example.IT", slot.Add(length)); err != nil {
		t.Fatalf("second appointment: %v", err)
	}
	if err := submit("MARIA@example.it", slot.Add(2*length)); !errors.Is(err, store.ErrTooManyActive) {
		t.Fatalf("third appointment: %v", err)
	}
	if err := submit("altra@example.it", slot.Add(2*length)); err != nil {
		t.Fatalf("other address: %v", err)
	}
	// A cancelled one does not count.
	if _, err := f.st.CancelAppointment(ctx, first.ID, "", t0); err != nil {
		t.Fatal(err)
	}
	if err := submit("maria@example.it", slot.Add(3*length)); err != nil {
		t.Fatalf("after cancelling: %v", err)
	}
}

func TestSubmitDraft_TooManyActivePerEmail_VariantsOfOneMailboxCountTogether(t *testing.T) {
	f := newBookingFixture(t, 12)
	ctx := context.Background()
	submit := func(email string, i int) error {
		d := f.draft(t, email, slot.Add(time.Duration(i)*length))
		na, _ := newAppt(t)
		_, _, err := f.st.SubmitDraft(ctx, d.ID, na, 5, 2, t0)
		return err
	}
	// Limit 2: the five variants of one Gmail mailbox get two.
	variants := []string{"lim+1@gmail.com", "l.im@gmail.com", "lim+2@gmail.com", "LIM@googlemail.com", " L.I.M+x@Gmail.com "}
	ok := 0
	for i, v := range variants {
		switch err := submit(v, i); {
		case err == nil:
			ok++
		case !errors.Is(err, store.ErrTooManyActive):
			t.Fatalf("%s: %v", v, err)
		}
	}
	if ok != 2 {
		t.Fatalf("%d appointments for one Gmail mailbox written five ways, want 2", ok)
	}
	// Elsewhere "+tag" is removed too, dots are not: l.im@ and lim@ are
	// two people at most providers.
	if err := submit("lim+a@example.it", 5); err != nil {
		t.Fatal(err)
	}
	if err := submit("LIM+b@example.it", 6); err != nil {
		t.Fatal(err)
	}
	if err := submit("lim@example.it", 7); !errors.Is(err, store.ErrTooManyActive) {
		t.Fatalf("third for lim@example.it: %v, want ErrTooManyActive", err)
	}
	if err := submit("l.im@example.it", 8); err != nil {
		t.Fatalf("l.im@example.it is another mailbox: %v", err)
	}
}

func TestEmailCanonical_Rule(t *testing.T) {
	pool := dbtest.NewPool(t)
	for in, want := range map[string]string{
		"lim@example.it":        "lim@example.it",
		" Lim@Example.IT ":      "lim@example.it",
		"lim+tag@example.it":    "lim@example.it",
		"lim+a+b@example.it":    "lim@example.it",
		"l.im@example.it":       "l.im@example.it",
		"l.im+x@example.it":     "l.im@example.it",
		"l.im@gmail.com":        "lim@gmail.com",
		"L.I.M+spesa@GMAIL.COM": "lim@gmail.com",
		"lim@googlemail.com":    "lim@gmail.com",
		"+solo@example.it":      "+solo@example.it",
		"\"a@b\"@example.it":    "\"a@b\"@example.it",
		"senza-chiocciola":      "senza-chiocciola",
		"":                      "",
	} {
		var got string
		if err := pool.QueryRow(context.Background(), `SELECT email_canonical($1)`, in).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("email_canonical(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSubmitDraft_SameEmailConcurrently_LimitHolds(t *testing.T) {
	f := newBookingFixture(t, 12)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	created, tooMany := 0, 0
	start := make(chan struct{})
	for i := range 10 {
		d := f.draft(t, "maria@example.it", slot.Add(time.Duration(i)*length))
		na, _ := newAppt(t)
		wg.Go(func() {
			<-start
			_, ok, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 2, t0)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && ok:
				created++
			case errors.Is(err, store.ErrTooManyActive):
				tooMany++
			default:
				t.Errorf("unexpected: %v", err)
			}
		})
	}
	close(start)
	wg.Wait()
	if created != 2 || tooMany != 8 {
		t.Fatalf("created %d, too many %d", created, tooMany)
	}
}

func TestMoveAppointment(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, _ := f.book(t, "uno@example.org", slot, t0)
	f.book(t, "due@example.org", slot.Add(length), t0)
	newSlot := slot.Add(2 * length)

	booked := len(f.outbox.events(t))
	t.Run("to a full slot keeps the old one", func(t *testing.T) {
		_, err := f.st.MoveAppointment(ctx, a.ID, slot.Add(length), slot.Add(2*length), 1, t0, "tok")
		if n := len(f.outbox.events(t)); !errors.Is(err, store.ErrSlotFull) || n != booked {
			t.Fatalf("err = %v, %d events, want %d", err, n, booked)
		}
		got, _ := f.st.AppointmentByID(ctx, a.ID)
		if !got.Start.Equal(slot) || got.Sequence != 0 || f.taken(t, slot) != 1 {
			t.Fatalf("after failed move: %+v", got)
		}
	})
	t.Run("to a slot held by someone else is refused", func(t *testing.T) {
		d := f.draft(t, "tre@example.org", newSlot)
		if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, newSlot, newSlot.Add(length), 1, holdClient(1), t0); err != nil {
			t.Fatal(err)
		}
		if _, err := f.st.MoveAppointment(ctx, a.ID, newSlot, newSlot.Add(length), 1, t0, ""); !errors.Is(err, store.ErrSlotFull) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("to a free slot", func(t *testing.T) {
		later := booking.HoldExpiry(t0) // the hold above is over
		moved, err := f.st.MoveAppointment(ctx, a.ID, newSlot, newSlot.Add(length), 1, later, "the-link-token")
		if err != nil {
			t.Fatal(err)
		}
		if !moved.Start.Equal(newSlot) || !moved.End.Equal(newSlot.Add(length)) || moved.Sequence != 1 {
			t.Fatalf("moved = %+v", moved)
		}
		events := f.outbox.events(t)
		if len(events) != booked+1 {
			t.Fatalf("%d events, want %d", len(events), booked+1)
		}
		e := events[booked]
		if e.Kind != notify.Moved || e.Appointment.Code != a.Code || !e.Appointment.Start.Equal(newSlot) || e.Appointment.Sequence != 1 ||
			!e.PreviousStart.Equal(slot) || !e.PreviousEnd.Equal(slot.Add(length)) || e.Token != "the-link-token" {
			t.Errorf("event %+v", e)
		}
		if !moved.TokenExpiresAt.Equal(a.TokenExpiresAt.Add(2 * length)) {
			t.Errorf("token expiry %v, want shifted from %v", moved.TokenExpiresAt, a.TokenExpiresAt)
		}
		if f.taken(t, slot) != 0 {
			t.Error("old seat still taken")
		}
		// The old seat can be booked again.
		f.book(t, "quattro@example.org", slot, later)
	})
	t.Run("to its own slot changes nothing", func(t *testing.T) {
		before := len(f.outbox.events(t))
		same, err := f.st.MoveAppointment(ctx, a.ID, newSlot, newSlot.Add(length), 1, t0, "")
		if err != nil || same.Sequence != 1 {
			t.Fatalf("%v %+v", err, same)
		}
		if n := len(f.outbox.events(t)); n != before {
			t.Errorf("a move to the same slot queued an e-mail")
		}
	})
}

func TestCancelAppointment(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, _ := f.book(t, "uno@example.org", slot, t0)
	c, err := f.st.CancelAppointment(ctx, a.ID, "Impegno di lavoro", t0)
	if err != nil {
		t.Fatal(err)
	}
	if c.Status != booking.StatusCancelled || c.Sequence != 1 || c.CancelReason != "Impegno di lavoro" {
		t.Fatalf("cancelled = %+v", c)
	}
	events := f.outbox.events(t)
	if e := events[len(events)-1]; e.Kind != notify.Cancelled || e.Appointment.Code != a.Code ||
		e.Appointment.Status != booking.StatusCancelled || e.Appointment.Sequence != 1 || e.Reason != "Impegno di lavoro" {
		t.Errorf("event %+v", e)
	}
	if f.taken(t, slot) != 0 {
		t.Fatal("seat not freed")
	}
	f.book(t, "due@example.org", slot, t0)
	if _, err := f.st.CancelAppointment(ctx, a.ID, "", t0); !errors.Is(err, store.ErrNotActive) {
		t.Fatalf("second cancel: %v", err)
	}
	if _, err := f.st.MoveAppointment(ctx, a.ID, slot.Add(length), slot.Add(2*length), 1, t0, ""); !errors.Is(err, store.ErrNotActive) {
		t.Fatalf("move cancelled: %v", err)
	}
	if _, err := f.st.CancelAppointment(ctx, a.ID+1000, "", t0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cancel unknown: %v", err)
	}
}

func TestAppointmentByToken_UnknownOrExpired_NotFound(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, tok := f.book(t, "uno@example.org", slot, t0)
	if _, err := f.st.AppointmentByToken(ctx, randomHash(t), t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown: %v", err)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), a.TokenExpiresAt.Add(-time.Second)); err != nil {
		t.Errorf("just before expiry: %v", err)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(tok), a.TokenExpiresAt); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("expired: %v", err)
	}
	if _, err := f.st.AppointmentByID(ctx, a.ID+1000); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown id: %v", err)
	}
}

func TestDrafts_SaveLoadExpire(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	hash := randomHash(t)
	d, err := f.st.CreateDraft(ctx, hash, t0)
	if err != nil {
		t.Fatal(err)
	}
	got, err := f.st.DraftByToken(ctx, hash, t0)
	if err != nil || got.ID != d.ID || !got.StartedAt.Equal(t0) || got.HoldExpiresAt != nil || got.AppointmentID != nil {
		t.Fatalf("new draft: %v %+v", err, got)
	}
	data := store.DraftData{OfficeID: f.office, ComuneISTAT: "054039", Professional: booking.Educatore,
		SlotStart: slot, SlotEnd: slot.Add(time.Hour), Details: booking.DetailsForm{Reason: "Anziani"},
		Applicant: booking.ApplicantForm{FirstName: "Ada", NeedsAccessibility: true, AccessibilityNote: "Rampa"},
		Completed: map[string]bool{"luogo": true}}
	later := t0.Add(20 * time.Hour)
	if err := f.st.SaveDraft(ctx, d.ID, data, later); err != nil {
		t.Fatal(err)
	}
	exp := booking.HoldExpiry(later)
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.Educatore, slot, slot.Add(time.Hour), 2, holdClient(1), later); err != nil {
		t.Fatal(err)
	}
	got, err = f.st.DraftByToken(ctx, hash, t0.Add(30*time.Hour)) // 24 h after the save: still alive
	if err != nil {
		t.Fatal(err)
	}
	if !got.Data.SlotStart.Equal(slot) || got.Data.Professional != booking.Educatore || got.Data.Applicant.AccessibilityNote != "Rampa" ||
		!got.Data.Completed["luogo"] || !got.UpdatedAt.Equal(later) || got.HoldExpiresAt == nil || !got.HoldExpiresAt.Equal(exp) {
		t.Fatalf("loaded %+v", got)
	}
	end := later.Add(store.DraftLifetime)
	if _, err := f.st.DraftByToken(ctx, hash, end); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("expired: %v", err)
	}
	if err := f.st.SaveDraft(ctx, d.ID, data, end); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("save expired: %v", err)
	}
	n, err := f.st.DeleteExpiredDrafts(ctx, end)
	if err != nil || n != 1 {
		t.Fatalf("deleted %d %v", n, err)
	}
}

func TestReleaseExpiredHolds_Housekeeping(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	d := f.draft(t, "uno@example.org", slot)
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot, slot.Add(length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.AllowSubmission(ctx, "ip:192.0.2.1", t0, time.Hour, 20); err != nil {
		t.Fatal(err)
	}
	n, err := f.st.ReleaseExpiredHolds(ctx, t0.Add(10*24*time.Hour))
	if err != nil || n != 1 {
		t.Fatalf("released %d %v", n, err)
	}
	for _, table := range []string{"slot_holds", "rate_limits", "slot_locks"} {
		var rows int
		if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&rows); err != nil || rows != 0 {
			t.Errorf("%s: %d rows left (%v)", table, rows, err)
		}
	}
}

func TestAllowSubmission_LimitPerWindow(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	now := time.Date(2030, 3, 4, 10, 5, 0, 0, time.UTC)
	for i := 1; i <= 4; i++ {
		ok, err := f.st.AllowSubmission(ctx, "ip:192.0.2.1", now.Add(time.Duration(i)*time.Minute), time.Hour, 3)
		if err != nil || ok != (i <= 3) {
			t.Fatalf("submission %d: ok=%v err=%v", i, ok, err)
		}
	}
	if ok, err := f.st.AllowSubmission(ctx, "ip:192.0.2.2", now, time.Hour, 3); err != nil || !ok {
		t.Fatalf("other key: %v %v", ok, err)
	}
	if ok, err := f.st.AllowSubmission(ctx, "ip:192.0.2.1", now.Add(time.Hour), time.Hour, 3); err != nil || !ok {
		t.Fatalf("next window: %v %v", ok, err)
	}
}

func TestErasePersonalData_OldBlankedRecentKept(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	oldStart := time.Date(2028, 1, 13, 10, 0, 0, 0, hours.Rome())
	old, oldTok := f.book(t, "vecchio@example.org", oldStart, oldStart.Add(-48*time.Hour))
	recent, recentTok := f.book(t, "recente@example.org", slot, t0)
	cutoff := time.Date(2029, 3, 4, 0, 0, 0, 0, hours.Rome())
	n, err := f.st.ErasePersonalData(ctx, cutoff)
	if err != nil || n != 1 {
		t.Fatalf("erased %d %v", n, err)
	}
	got, err := f.st.AppointmentByID(ctx, old.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.FirstName != "" || got.LastName != "" || got.Email != "" || got.Phone != "" || got.FiscalCode != "" || got.Note != "" ||
		got.InterpreterLanguage == nil || *got.InterpreterLanguage != "" || got.AccessibilityNote != nil || got.CancelReason != "" {
		t.Fatalf("personal data left: %+v", got)
	}
	if got.OfficeID != f.office || got.Professional != booking.AssistenteSociale || !got.Start.Equal(oldStart) ||
		got.Status != booking.StatusConfirmed || got.Reason != "Altro" || got.Mode != booking.ModeInstant || got.Code != old.Code {
		t.Fatalf("statistics lost: %+v", got)
	}
	var hash []byte
	if err := f.pool.QueryRow(ctx, `SELECT manage_token_hash FROM appointments WHERE id = $1`, old.ID).Scan(&hash); err != nil || hash != nil {
		t.Fatalf("token hash kept: %x %v", hash, err)
	}
	if _, err := f.st.AppointmentByToken(ctx, code.HashToken(oldTok), oldStart); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("erased appointment by token: %v", err)
	}
	if got, err := f.st.AppointmentByToken(ctx, code.HashToken(recentTok), t0); err != nil || got.Email != recent.Email || got.FirstName != "Maria" {
		t.Fatalf("recent: %v %+v", err, got)
	}
	if n, err := f.st.ErasePersonalData(ctx, cutoff); err != nil || n != 0 {
		t.Fatalf("second run erased %d %v", n, err)
	}
}

func TestReminders_DueTomorrowOnceEach(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	now := time.Date(2030, 3, 6, 18, 0, 0, 0, hours.Rome()) // the day before slot
	a, _ := f.book(t, "uno@example.org", slot, t0)
	b, _ := f.book(t, "due@example.org", slot.Add(length), t0)
	f.book(t, "tre@example.org", slot.Add(24*time.Hour), t0) // the day after tomorrow
	d := f.draft(t, "quattro@example.org", slot.Add(2*length))
	na, _ := newAppt(t)
	na.Mode = booking.ModeRequest // requests get no reminder
	if _, _, err := f.st.SubmitDraft(ctx, d.ID, na, 1, 5, t0); err != nil {
		t.Fatal(err)
	}
	due, err := f.st.DueReminders(ctx, now)
	if err != nil || len(due) != 2 || due[0].ID != a.ID || due[1].ID != b.ID {
		t.Fatalf("due = %v %+v", err, due)
	}
	if err := f.st.MarkReminderSent(ctx, a.ID, now); err != nil {
		t.Fatal(err)
	}
	if err := f.st.MarkReminderSent(ctx, a.ID+1000, now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("mark unknown: %v", err)
	}
	due, err = f.st.DueReminders(ctx, now)
	if err != nil || len(due) != 1 || due[0].ID != b.ID {
		t.Fatalf("due after marking = %v %+v", err, due)
	}
	var queued []string
	n, err := f.st.QueueReminders(ctx, now)
	for _, e := range f.outbox.events(t) {
		if e.Kind == notify.Reminder {
			queued = append(queued, e.Appointment.Code)
			if e.Token != "" || e.Office.Name == "" || !e.At.Equal(now) {
				t.Errorf("reminder event %+v", e)
			}
		}
	}
	if err != nil || n != 1 || len(queued) != 1 || queued[0] != b.Code {
		t.Fatalf("queued %d %v %v", n, queued, err)
	}
	if _, err := store.New(f.pool).QueueReminders(ctx, now); err == nil {
		t.Error("a store without outbox queued reminders")
	}
	if due, _ := f.st.DueReminders(ctx, now); len(due) != 0 {
		t.Fatalf("still due: %+v", due)
	}
	// A move clears the reminder: the new day gets its own.
	if _, err := f.st.MoveAppointment(ctx, a.ID, slot.Add(3*length), slot.Add(4*length), 1, t0, ""); err != nil {
		t.Fatal(err)
	}
	if due, _ := f.st.DueReminders(ctx, now); len(due) != 1 || due[0].ID != a.ID {
		t.Fatalf("due after move: %+v", due)
	}
}

func TestBookingSettings_SaveLoad(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	if got, err := f.st.BookingSettings(ctx, f.office); err != nil || len(got) != 0 {
		t.Fatalf("before saving: %v %+v", err, got)
	}
	edu := booking.DefaultSettings(booking.Educatore)
	edu.LengthMinutes, edu.Capacity, edu.Mode = 60, 2, booking.ModeRequest
	edu.Windows = []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0)}}
	as := booking.DefaultSettings(booking.AssistenteSociale)
	as.Reasons = []string{"Prima informazione", "Altro"}
	as.Windows = []hours.Interval{
		{Weekday: time.Thursday, Start: hours.NewClock(11, 0), End: hours.NewClock(13, 0)},
		{Weekday: time.Sunday, Start: hours.NewClock(9, 0), End: hours.NewClock(10, 0)},
		{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(11, 0)}, // touches, no overlap
	}
	for _, bs := range []store.BookingSettings{
		{OfficeID: f.office, Professional: booking.Educatore, Enabled: true, Settings: edu, MaxActivePerEmail: 3},
		{OfficeID: f.office, Settings: as}, // Professional only in Settings; MaxActivePerEmail defaulted
	} {
		if err := f.st.SaveBookingSettings(ctx, bs); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.st.BookingSettings(ctx, f.office)
	if err != nil || len(got) != 2 {
		t.Fatalf("%v %+v", err, got)
	}
	g := got[0]
	if g.Professional != booking.AssistenteSociale || g.Settings.Professional != booking.AssistenteSociale || g.Enabled ||
		g.LengthMinutes != 45 || g.Capacity != 1 || g.MaxActivePerEmail != booking.DefaultMaxActivePerEmail ||
		g.Mode != booking.ModeInstant || strings.Join(g.Reasons, ",") != "Prima informazione,Altro" || len(g.Windows) != 3 ||
		g.Windows[0].Start != hours.NewClock(9, 0) || g.Windows[1].Start != hours.NewClock(11, 0) || g.Windows[2].Weekday != time.Sunday {
		t.Fatalf("assistente sociale = %+v", g)
	}
	g = got[1]
	if g.Professional != booking.Educatore || !g.Enabled || g.LengthMinutes != 60 || g.Capacity != 2 || g.MaxActivePerEmail != 3 ||
		g.Mode != booking.ModeRequest || len(g.Windows) != 1 || g.MinNoticeWorkingDays != 1 || g.HorizonDays != 60 {
		t.Fatalf("educatore = %+v", g)
	}
	// Saving again replaces the windows.
	edu.Windows = []hours.Interval{{Weekday: time.Monday, Start: hours.NewClock(15, 0), End: hours.NewClock(17, 0)}}
	if err := f.st.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: f.office, Professional: booking.Educatore, Settings: edu}); err != nil {
		t.Fatal(err)
	}
	got, _ = f.st.BookingSettings(ctx, f.office)
	if len(got[1].Windows) != 1 || got[1].Windows[0].Weekday != time.Monday || got[1].Enabled {
		t.Fatalf("after replacing: %+v", got[1])
	}
}

func TestBookingSettings_OverlappingWindows_RejectedWithItalianMessage(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	s := booking.DefaultSettings(booking.AssistenteSociale)
	s.Windows = []hours.Interval{{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(11, 0)}}
	if err := f.st.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale, Enabled: true, Settings: s}); err != nil {
		t.Fatal(err)
	}
	bad := s
	bad.Capacity = 2
	bad.Windows = append([]hours.Interval{{Weekday: time.Monday, Start: hours.NewClock(9, 0), End: hours.NewClock(10, 0)}},
		hours.Interval{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(11, 0)},
		hours.Interval{Weekday: time.Thursday, Start: hours.NewClock(10, 30), End: hours.NewClock(12, 0)})
	err := f.st.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale, Settings: bad})
	var ce *store.ConstraintError
	if !errors.As(err, &ce) || ce.Constraint != "booking_windows_no_overlap" {
		t.Fatalf("want overlap ConstraintError, got %v", err)
	}
	if want := "La fascia 10:30–12:00 di giovedì si sovrappone a un'altra fascia dello stesso giorno per l'assistente sociale."; ce.Message != want {
		t.Errorf("message = %q, want %q", ce.Message, want)
	}
	// Nothing was written.
	got, _ := f.st.BookingSettings(ctx, f.office)
	if len(got) != 1 || got[0].Capacity != 1 || len(got[0].Windows) != 1 || !got[0].Enabled {
		t.Fatalf("after rejected save: %+v", got)
	}

	for name, edit := range map[string]func(*store.BookingSettings){
		"booking_settings_capacity": func(bs *store.BookingSettings) { bs.Capacity = 0 },
		"booking_settings_length":   func(bs *store.BookingSettings) { bs.LengthMinutes = 5 },
		"booking_settings_reasons":  func(bs *store.BookingSettings) { bs.Reasons = nil },
		"booking_windows_order": func(bs *store.BookingSettings) {
			bs.Windows = []hours.Interval{{Weekday: time.Monday, Start: hours.NewClock(10, 0), End: hours.NewClock(9, 0)}}
		},
		"booking_settings_office_id_fkey": func(bs *store.BookingSettings) { bs.OfficeID += 1000 },
	} {
		bs := store.BookingSettings{OfficeID: f.office, Professional: booking.AssistenteSociale, Settings: s}
		bs.Settings.Windows = nil
		edit(&bs)
		err := f.st.SaveBookingSettings(ctx, bs)
		if !errors.As(err, &ce) || ce.Constraint != name || ce.Message == "" {
			t.Errorf("%s: got %v", name, err)
		}
	}
}

func TestTakenSeats_CountsActiveAndUnexpiredHolds(t *testing.T) {
	f := newBookingFixture(t, 4)
	ctx := context.Background()
	a, _ := f.book(t, "uno@example.org", slot, t0)
	f.book(t, "due@example.org", slot, t0)
	c, _ := f.book(t, "tre@example.org", slot.Add(length), t0)
	if _, err := f.st.CancelAppointment(ctx, c.ID, "", t0); err != nil {
		t.Fatal(err)
	}
	d := f.draft(t, "quattro@example.org", slot.Add(2*length))
	// Expires in 2030: still valid by the database clock.
	if err := f.st.HoldSlot(ctx, d.ID, f.office, booking.AssistenteSociale, slot.Add(2*length), slot.Add(3*length), 1, holdClient(1), t0); err != nil {
		t.Fatal(err)
	}
	m, err := f.st.TakenSeats(ctx, f.office, booking.AssistenteSociale, slot.Add(-time.Hour), slot.Add(24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	want := map[time.Time]int{slot.UTC(): 2, slot.Add(2 * length).UTC(): 1}
	if len(m) != len(want) || m[slot.UTC()] != 2 || m[slot.Add(2*length).UTC()] != 1 {
		t.Fatalf("taken = %v, want %v (appointment %d)", m, want, a.ID)
	}
	if m, _ := f.st.TakenSeats(ctx, f.office, booking.Educatore, slot.Add(-time.Hour), slot.Add(24*time.Hour)); len(m) != 0 {
		t.Fatalf("educatore taken = %v", m)
	}
}

// holdClient is the n-th citizen asking for holds, each from an address
// of its own.
func holdClient(n int) store.HoldClient {
	return store.HoldClient{Address: fmt.Sprintf("198.51.100.%d", n%250)}
}

// settleTimetable dates the last change of office id's timetable long ago.
func settleTimetable(t testing.TB, pool *pgxpool.Pool, id int64) {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `UPDATE offices SET timetable_changed_at = '-infinity' WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
}
