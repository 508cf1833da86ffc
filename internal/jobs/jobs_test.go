package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/dbtest"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailsink"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/seal"
	"github.com/udc-umbria/portal/internal/store"
)

const from = "Uffici della Cittadinanza <noreply@udc.example.it>"

var ics = []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nEND:VCALENDAR\r\n")

func confirmation(to string) mail.Message {
	return mail.Message{
		To:      to,
		Subject: "Appuntamento confermato – Ufficio di Foligno",
		Text:    "Il suo appuntamento è confermato.",
		HTML:    "<p>Il suo appuntamento è <strong>confermato</strong>.</p>",
		Attachments: []mail.Attachment{
			{Name: "invito.ics", ContentType: mail.CalendarContentType, Data: ics},
		},
	}
}

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// newPool is a fresh database with River's tables.
func newPool(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := dbtest.NewPool(t)
	if err := jobs.Migrate(testCtx(t), pool); err != nil {
		t.Fatal(err)
	}
	return pool
}

// start runs a queue until the end of the test, then checks that its logs
// (River's included) never carried an address of the test messages.
func start(t *testing.T, pool *pgxpool.Pool, opts jobs.Options) *jobs.Queue {
	t.Helper()
	logs := &syncBuffer{}
	opts.Logger = slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	t.Cleanup(func() {
		out := logs.String()
		if strings.Contains(out, "@example.it") {
			t.Errorf("logs contain an address:\n%s", out)
		}
		if testing.Verbose() {
			t.Logf("queue logs:\n%s", out)
		}
	})
	q, err := jobs.New(pool, jobs.ForTest(complete(pool, opts), 300*time.Millisecond, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := q.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := q.Stop(ctx); err != nil {
			t.Errorf("stop: %v", err)
		}
	})
	return q
}

// testKeys seal the personal links of the jobs tests.
var testKeys = seal.MustParse("am9icyB0ZXN0cyBvbmx5OiBuZXZlciBpbiB1c2UhISE=")

// complete fills in the required options a test leaves out: the portal's
// notifier, the store as delivery record, testKeys.
func complete(pool *pgxpool.Pool, o jobs.Options) jobs.Options {
	if o.Notifier == nil {
		o.Notifier = notify.New("https://udc.example.it", nil)
	}
	if o.Deliveries == nil {
		o.Deliveries = store.New(pool)
	}
	if o.Keys == nil {
		o.Keys = testKeys
	}
	return o
}

func sinkSender(t *testing.T, sink *mailsink.Sink) mail.Sender {
	t.Helper()
	s, err := mail.NewSMTPSender(sink.URL(), from)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type jobRow struct {
	State   string
	Attempt int
	Errors  []string
	Args    string
}

func emailJobs(t *testing.T, pool *pgxpool.Pool) []jobRow {
	t.Helper()
	rows, err := pool.Query(testCtx(t), `
		SELECT state::text, attempt, coalesce(errors, '{}')::text[], args::text
		FROM river_job WHERE kind = 'send_email' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var out []jobRow
	for rows.Next() {
		var r jobRow
		var errs []string
		if err := rows.Scan(&r.State, &r.Attempt, &errs, &r.Args); err != nil {
			t.Fatal(err)
		}
		for _, e := range errs {
			var ae struct{ Error string }
			_ = json.Unmarshal([]byte(e), &ae)
			r.Errors = append(r.Errors, ae.Error)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitJob polls the only send_email job until ok accepts it.
func waitJob(t *testing.T, pool *pgxpool.Pool, what string, ok func(jobRow) bool) jobRow {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		js := emailJobs(t, pool)
		if len(js) == 1 && ok(js[0]) {
			return js[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s: jobs %+v", what, js)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestQueue_EnqueuedEmail_ArrivesWithInvitation(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	q := start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})

	want := confirmation("giulia.bianchi@example.it")
	if err := q.EnqueueEmail(testCtx(t), want); err != nil {
		t.Fatal(err)
	}
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	got := msgs[0]
	if got.To[0] != want.To || got.Subject() != want.Subject || got.TextBody() != want.Text || got.HTMLBody() != want.HTML {
		t.Errorf("received to=%q subject=%q text=%q html=%q", got.To, got.Subject(), got.TextBody(), got.HTMLBody())
	}
	if string(got.Attachment("invito.ics")) != string(ics) {
		t.Errorf("invito.ics = %q", got.Attachment("invito.ics"))
	}
	waitJob(t, pool, "completed", func(j jobRow) bool { return j.State == "completed" && j.Attempt == 1 })
}

func TestQueue_SMTPDown_RetriesThenDeliversWhenServerComesUp(t *testing.T) {
	pool := newPool(t)
	// A port where nothing listens yet: the SMTP server is down.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sender, err := mail.NewSMTPSender("smtp://"+addr, from)
	if err != nil {
		t.Fatal(err)
	}
	q := start(t, pool, jobs.Options{Sender: sender})
	if err := q.EnqueueEmail(testCtx(t), confirmation("luca.verdi@example.it")); err != nil {
		t.Fatal(err)
	}

	j := waitJob(t, pool, "a second failed attempt", func(j jobRow) bool { return len(j.Errors) >= 2 })
	if j.State != "retryable" && j.State != "available" && j.State != "running" {
		t.Errorf("state %q: a failing mail must wait for a retry", j.State)
	}
	for _, e := range j.Errors {
		if !strings.Contains(e, "connect") || strings.Contains(e, "@example.it") {
			t.Errorf("stored error %q: want the cause, never the address", e)
		}
	}

	sink, err := mailsink.StartOn(testCtx(t), addr, "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].To[0] != "luca.verdi@example.it" {
		t.Errorf("delivered to %q", msgs[0].To)
	}
	j = waitJob(t, pool, "completed", func(j jobRow) bool { return j.State == "completed" })
	if j.Attempt < 3 {
		t.Errorf("completed at attempt %d, want ≥ 3", j.Attempt)
	}
}

func TestQueue_RecipientTemporarilyRejected_RetriedUntilAccepted(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	q := start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})

	sink.FailWith(451) // mailbox busy, try later
	if err := q.EnqueueEmail(testCtx(t), confirmation("occupata@example.it")); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, pool, "a failed attempt", func(j jobRow) bool { return len(j.Errors) >= 1 })
	if !strings.Contains(j.Errors[0], "451") || strings.Contains(j.Errors[0], "@example.it") {
		t.Errorf("stored error %q", j.Errors[0])
	}
	sink.FailWith(0)
	if _, err := sink.WaitFor(testCtx(t), 1); err != nil {
		t.Fatal(err)
	}
	waitJob(t, pool, "completed", func(j jobRow) bool { return j.State == "completed" })
}

func TestQueue_RecipientRejectedPermanently_CancelledNotRetried(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	q := start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})

	sink.FailWith(550)
	if err := q.EnqueueEmail(testCtx(t), confirmation("nessuno@example.it")); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, pool, "cancelled", func(j jobRow) bool { return j.State == "cancelled" })
	if j.Attempt != 1 || len(j.Errors) != 1 || !strings.Contains(j.Errors[0], "550") || strings.Contains(j.Errors[0], "@example.it") {
		t.Errorf("cancelled job: attempt %d errors %q", j.Attempt, j.Errors)
	}
}

func TestQueue_EmailInRolledBackTransaction_NeverSent(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	q := start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})
	ctx := testCtx(t)

	// The booking fails after its mail was queued: both vanish.
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := q.EnqueueEmailTx(ctx, tx, confirmation("annullata@example.it")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	// A committed one goes out.
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		return q.EnqueueEmailTx(ctx, tx, confirmation("confermata@example.it"))
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := sink.WaitFor(ctx, 1); err != nil {
		t.Fatal(err)
	}
	time.Sleep(500 * time.Millisecond) // room for a wrong second message
	msgs := sink.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "confermata@example.it" {
		t.Fatalf("received %d messages (first to %q)", len(msgs), msgs[0].To)
	}
	if js := emailJobs(t, pool); len(js) != 1 {
		t.Errorf("%d send_email jobs, want 1", len(js))
	}
}

// TestQueue_Notify_RendersTheEventInTheTransaction: Notify is the
// store's outbox. The e-mail of an event handed over in a transaction
// that rolls back is never sent; a committed one arrives as notify wrote
// it.
func TestQueue_Notify_RendersTheEventInTheTransaction(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	n := notify.New("https://udc.example.it", nil)
	outbox, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true, Notifier: n}))
	if err != nil {
		t.Fatal(err)
	}
	ctx := testCtx(t)
	at := time.Date(2030, 3, 7, 10, 0, 0, 0, time.UTC)
	event := func(to string) notify.Event {
		return notify.Event{Kind: notify.Booked, Token: "tok3n-of-the-personal-link", At: at.Add(-time.Hour),
			Appointment: notify.Appointment{Code: "UDC-AAAA-BBBB", Professional: booking.AssistenteSociale, Status: booking.StatusConfirmed,
				Start: at, End: at.Add(time.Hour), Email: to},
			Office: notify.Office{Name: "Ufficio di Foligno"}}
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := outbox.Notify(ctx, tx, event("annullata@example.it")); err != nil {
		t.Fatal(err)
	}
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	if js := emailJobs(t, pool); len(js) != 0 {
		t.Fatalf("%d jobs after a rollback", len(js))
	}
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Notify(ctx, tx, event("confermata@example.it")) }); err != nil {
		t.Fatal(err)
	}
	start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})
	msgs, err := sink.WaitFor(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := n.Message(event("confermata@example.it"))
	if m := msgs[0]; m.To[0] != "confermata@example.it" || m.Subject() != want.Subject ||
		!strings.Contains(m.TextBody(), "https://udc.example.it/appuntamento/tok3n-of-the-personal-link") {
		t.Errorf("received %q to %v:\n%s", m.Subject(), m.To, m.TextBody())
	}
	if err := outbox.Notify(ctx, nil, notify.Event{Kind: "unknown"}); err == nil {
		t.Error("an unknown event was queued")
	}
}

func TestNew_WithoutNotifierDeliveriesOrKeys_Fails(t *testing.T) {
	pool := newPool(t)
	for name, o := range map[string]jobs.Options{
		"notifier":   {Deliveries: store.New(pool), Keys: testKeys},
		"deliveries": {Notifier: notify.New("https://udc.example.it", nil), Keys: testKeys},
		"keys":       {Notifier: notify.New("https://udc.example.it", nil), Deliveries: store.New(pool)},
	} {
		o.InsertOnly = true
		if _, err := jobs.New(pool, o); err == nil {
			t.Errorf("a queue without %s was built", name)
		}
	}
}

func TestQueue_InvalidMessage_RefusedAtEnqueue(t *testing.T) {
	pool := newPool(t)
	q, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	err = q.EnqueueEmail(testCtx(t), mail.Message{To: "non è un indirizzo", Subject: "s", Text: "t"})
	if err == nil {
		t.Fatal("invalid recipient queued")
	}
	if js := emailJobs(t, pool); len(js) != 0 {
		t.Errorf("%d jobs inserted", len(js))
	}
}

func TestQueue_NoSMTPServer_MailWaitsWithoutUsingAttempts(t *testing.T) {
	pool := newPool(t)
	q := start(t, pool, jobs.Options{}) // Sender nil: not configured
	if err := q.EnqueueEmail(testCtx(t), confirmation("attesa@example.it")); err != nil {
		t.Fatal(err)
	}
	j := waitJob(t, pool, "snoozed", func(j jobRow) bool { return j.State == "scheduled" })
	if j.Attempt != 0 || len(j.Errors) != 0 {
		t.Errorf("snoozed job: attempt %d errors %q", j.Attempt, j.Errors)
	}
}

func TestQueue_PeriodicTasks_RunWithTheirArguments(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()

	var mu sync.Mutex
	ran := map[string]time.Time{}
	record := func(kind string, at time.Time) {
		mu.Lock()
		defer mu.Unlock()
		if _, ok := ran[kind]; !ok {
			ran[kind] = at
		}
	}
	var sentReminder sync.Once
	// The reminders are queued through an insert-only queue, as the
	// store's outbox is in the portal.
	outbox, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	tasks := jobs.Tasks{
		ReleaseExpiredHolds: func(_ context.Context, now time.Time) (int, error) {
			record(jobs.KindReleaseExpiredHolds, now)
			return 2, nil
		},
		ErasePersonalData: func(_ context.Context, cutoff time.Time) (int, error) {
			record(jobs.KindErasePersonalData, cutoff)
			return 0, nil
		},
		QueueReminders: func(ctx context.Context, now time.Time) (int, error) {
			record(jobs.KindSendReminders, now)
			var err error
			sentReminder.Do(func() {
				err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
					// Here the store marks the appointment reminded, in tx.
					return outbox.EnqueueEmailTx(ctx, tx, mail.Message{To: "domani@example.it", Subject: "Promemoria", Text: "A domani."})
				})
			})
			return 1, err
		},
	}
	before := time.Now()
	start(t, pool, jobs.Options{Sender: sinkSender(t, sink), Tasks: tasks, RetentionMonths: 6})

	// RunOnStart: all three run as soon as this instance is leader.
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].Subject() != "Promemoria" {
		t.Errorf("reminder subject %q", msgs[0].Subject())
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(ran)
		mu.Unlock()
		if n == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("ran only %v", ran)
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	defer mu.Unlock()
	if now := ran[jobs.KindReleaseExpiredHolds]; now.Before(before) || now.After(time.Now()) {
		t.Errorf("release holds got now = %v", now)
	}
	if want := jobs.RetentionCutoff(time.Now(), 6); !ran[jobs.KindErasePersonalData].Equal(want) {
		t.Errorf("erase cutoff %v, want %v", ran[jobs.KindErasePersonalData], want)
	}
}

func TestQueue_NilTasks_NotScheduled(t *testing.T) {
	pool := newPool(t)
	start(t, pool, jobs.Options{})
	time.Sleep(time.Second)
	var n int
	if err := pool.QueryRow(testCtx(t), `SELECT count(*) FROM river_job`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Errorf("%d jobs scheduled without tasks", n)
	}
}

func TestMigrate_ConcurrentAndRepeated(t *testing.T) {
	pool := dbtest.NewPool(t)
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() { errs <- jobs.Migrate(testCtx(t), pool) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := jobs.Migrate(testCtx(t), pool); err != nil {
		t.Fatal(err)
	}
}
