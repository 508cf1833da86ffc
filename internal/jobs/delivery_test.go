package jobs_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailsink"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/seal"
)

// personalToken is the secret of the personal link of bookedEvent.
const personalToken = "Pers0nal-LINK_token-0123456789abcdefghijklm"

// bookedEvent is the confirmation of appointment UDC-TEST-0001.
func bookedEvent() notify.Event {
	at := time.Date(2030, 3, 7, 10, 0, 0, 0, time.UTC)
	return notify.Event{Kind: notify.Booked, Token: personalToken, At: at.Add(-time.Hour),
		Appointment: notify.Appointment{Code: "UDC-TEST-0001", Professional: booking.AssistenteSociale, Status: booking.StatusConfirmed,
			Start: at, End: at.Add(time.Hour), Email: "giulia.bianchi@example.it", FirstName: "Giulia"},
		Office: notify.Office{Name: "Ufficio di Foligno"}}
}

// notifyCommitted hands e to the outbox in a committed transaction.
func notifyCommitted(t *testing.T, pool *pgxpool.Pool, outbox *jobs.Queue, e notify.Event) {
	t.Helper()
	ctx := testCtx(t)
	if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return outbox.Notify(ctx, tx, e) }); err != nil {
		t.Fatal(err)
	}
}

// riverJobText is everything River keeps of the send_email jobs: args,
// errors and metadata.
func riverJobText(t *testing.T, pool *pgxpool.Pool) string {
	t.Helper()
	var s string
	err := pool.QueryRow(testCtx(t), `SELECT coalesce(string_agg(args::text || coalesce(errors::text, '') || metadata::text, ' '), '')
		FROM river_job WHERE kind = 'send_email'`).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// noClearLink fails when the token of the personal link is readable in
// river_job or in the delivery records.
func noClearLink(t *testing.T, pool *pgxpool.Pool, when string) {
	t.Helper()
	if s := riverJobText(t, pool); strings.Contains(s, personalToken) || strings.Contains(s, "/appuntamento/") {
		t.Errorf("%s: river_job holds the personal link:\n%s", when, s)
	}
	var secrets string
	if err := pool.QueryRow(testCtx(t), `SELECT coalesce(string_agg(key || ' ' || coalesce(secret, ''), ' '), '') FROM email_deliveries`).
		Scan(&secrets); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(secrets, personalToken) {
		t.Errorf("%s: email_deliveries holds the token in clear: %s", when, secrets)
	}
}

// waitAll waits until every send_email job is completed (or the test
// times out) and returns how many there are.
func waitAllCompleted(t *testing.T, pool *pgxpool.Pool, want int) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		js := emailJobs(t, pool)
		done := 0
		for _, j := range js {
			if j.State == "completed" {
				done++
			}
		}
		if len(js) == want && done == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %d completed jobs: %+v", want, js)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestQueue_PersonalLink_NeverClearInRiverJob_ArrivesWorking(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	outbox, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	notifyCommitted(t, pool, outbox, bookedEvent())
	noClearLink(t, pool, "after enqueue")
	var sealed string
	if err := pool.QueryRow(testCtx(t), `SELECT secret FROM email_deliveries`).Scan(&sealed); err != nil || !seal.IsSealed(sealed) {
		t.Fatalf("delivery secret %q (%v): want the token sealed", sealed, err)
	}

	start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	link := "https://udc.example.it/appuntamento/" + personalToken
	if m := msgs[0]; !strings.Contains(m.TextBody(), link) || !strings.Contains(m.HTMLBody(), link) ||
		!strings.Contains(string(m.Attachment("appuntamento.ics")), "appuntamento/") {
		t.Errorf("the e-mail lacks the working link:\n%s", m.TextBody())
	}
	waitAllCompleted(t, pool, 1)
	noClearLink(t, pool, "after completion")
	var left *string
	if err := pool.QueryRow(testCtx(t), `SELECT secret FROM email_deliveries`).Scan(&left); err != nil || left != nil {
		t.Errorf("after delivery the sealed token is still kept: %v %v", left, err)
	}
}

func TestQueue_KeyRotated_MailQueuedUnderOldKeyStillSent(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	keyA, keyB := seal.NewKey(), seal.NewKey()
	outbox, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true, Keys: seal.MustParse(keyA)}))
	if err != nil {
		t.Fatal(err)
	}
	notifyCommitted(t, pool, outbox, bookedEvent())
	// The portal restarts with B as the new first key, A kept.
	start(t, pool, jobs.Options{Sender: sinkSender(t, sink), Keys: seal.MustParse(keyB + "\n" + keyA)})
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(msgs[0].TextBody(), "/appuntamento/"+personalToken) {
		t.Errorf("the e-mail queued under the old key lacks its link:\n%s", msgs[0].TextBody())
	}
}

// TestQueue_DeliveredEmail_RescuedOrQueuedAgain_SendsNothing runs a job
// whose e-mail the SMTP server already accepted again, as River's rescuer
// does after a crash, and queues the same event a second time: neither
// sends anything. If the record of the delivery is lost (the crash came
// between the server's acceptance and the record), the copy that the
// second enqueue sends carries the Message-ID of the first.
func TestQueue_DeliveredEmail_RescuedOrQueuedAgain_SendsNothing(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	outbox, err := jobs.New(pool, complete(pool, jobs.Options{InsertOnly: true}))
	if err != nil {
		t.Fatal(err)
	}
	notifyCommitted(t, pool, outbox, bookedEvent())
	start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})
	first, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	waitAllCompleted(t, pool, 1)
	id := first[0].Header("Message-Id")
	if !strings.HasSuffix(id, "@udc.example.it>") {
		t.Fatalf("Message-ID %q: want one of the portal's host", id)
	}

	rerun := func() {
		t.Helper()
		if _, err := pool.Exec(testCtx(t), `UPDATE river_job SET state = 'available', finalized_at = NULL, scheduled_at = now()
			WHERE kind = 'send_email'`); err != nil {
			t.Fatal(err)
		}
	}
	rerun() // the rescuer runs the finished job again
	notifyCommitted(t, pool, outbox, bookedEvent())
	waitAllCompleted(t, pool, 2)
	time.Sleep(300 * time.Millisecond) // room for a wrong message
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d messages after a rescue and a second enqueue, want 1", n)
	}

	// The record is lost: the second enqueue's job sends a copy, with the
	// Message-ID of the first.
	if _, err := pool.Exec(testCtx(t), `UPDATE email_deliveries SET delivered_at = NULL`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(testCtx(t), `DELETE FROM river_job WHERE kind = 'send_email' AND id = (SELECT min(id) FROM river_job WHERE kind = 'send_email')`); err != nil {
		t.Fatal(err)
	}
	rerun()
	msgs, err := sink.WaitFor(testCtx(t), 2)
	if err != nil {
		t.Fatal(err)
	}
	if got := msgs[1].Header("Message-Id"); got != id {
		t.Errorf("the copy has Message-ID %q, the original %q", got, id)
	}
}

func TestRescueAfter_LongerThanAnAttemptAndItsClaim(t *testing.T) {
	if jobs.RescueAfter <= jobs.EmailTimeout || jobs.RescueAfter <= jobs.DeliveryLease || jobs.DeliveryLease <= jobs.EmailTimeout {
		t.Fatalf("rescue after %v, e-mail timeout %v, delivery claim %v: a running attempt could be rescued", jobs.RescueAfter,
			jobs.EmailTimeout, jobs.DeliveryLease)
	}
	if jobs.RescueAfter > 15*time.Minute {
		t.Errorf("rescue after %v: a confirmation would be late", jobs.RescueAfter)
	}
}

// legacyEmailArgs is a send_email job as versions before delivery records
// queued it: the whole message, no delivery key.
type legacyEmailArgs struct {
	Message mail.Message `json:"message"`
}

func (legacyEmailArgs) Kind() string { return jobs.KindSendEmail }

func TestQueue_JobQueuedByAnOlderVersion_StillSent(t *testing.T) {
	pool := newPool(t)
	sink, err := mailsink.Start(testCtx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	old, err := river.NewClient(riverpgxv5.New(pool), &river.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Insert(testCtx(t), legacyEmailArgs{Message: confirmation("prima@example.it")}, &river.InsertOpts{Queue: "mail"}); err != nil {
		t.Fatal(err)
	}
	start(t, pool, jobs.Options{Sender: sinkSender(t, sink)})
	msgs, err := sink.WaitFor(testCtx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	if msgs[0].To[0] != "prima@example.it" {
		t.Errorf("sent to %v", msgs[0].To)
	}
	waitAllCompleted(t, pool, 1)
}
