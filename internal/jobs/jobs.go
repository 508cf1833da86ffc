// Package jobs is the portal's background work, on River
// (github.com/riverqueue/river): a job queue kept in the portal's own
// PostgreSQL database, so that any instance can do any job and a restart
// loses nothing.
//
// E-mail is always sent through the queue. The queue is the store's
// outbox (store.Outbox): a change to an appointment hands its event to
// Notify inside the change's own transaction, and Notify checks that the
// message can be written (internal/notify) and inserts the send_email job
// with the event, and its delivery record, in that transaction, so the
// change and its mail are committed or neither is; the worker writes the
// message at send time. A
// failing SMTP server only delays the mail — the job is retried, with a
// backoff capped at one hour, for about a week.
//
// The queue also runs the periodic maintenance of the booking feature
// (Tasks): releasing expired slot holds, queueing reminders, erasing old
// personal data. Only the elected leader among the running instances
// schedules them.
//
// Privacy. A send_email job carries what its e-mail says (it must
// survive a restart), so personal data sits in river_job until the job is
// final — but never the personal link: its token is sealed with
// SECRET_KEY (internal/seal) in the e-mail's delivery record
// (Deliveries), opened only to write the e-mail at send time, and
// forgotten once the e-mail is delivered or given up. Completed jobs are
// deleted after CompletedRetention (1 hour), cancelled ones (recipient
// permanently rejected) after 24 hours, discarded ones (retries
// exhausted) after DiscardedRetention (7 days, time for an operator to
// retry them). Errors stored with each attempt and logged by River have
// e-mail addresses redacted; no log line carries an address or a body.
//
// Exactly once, as far as SMTP allows. Each e-mail has a delivery key,
// stable for an appointment and event (notify.DeliveryKey), recorded in
// the same transaction as its job. A worker claims the record before
// sending, sends nothing when the SMTP server already accepted the
// e-mail (a retried or rescued job, or the same event queued twice), and
// records the acceptance right after it; the Message-ID is derived from
// the key, so the one duplicate still possible (the process dies between
// the server's acceptance and the record, see sendEmailWorker.Work) is
// recognisable. A job whose worker died is rescued after RescueAfter.
package jobs

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/seal"
)

// Job kinds, as stored in river_job.kind.
const (
	KindSendEmail           = "send_email"
	KindReleaseExpiredHolds = "release_expired_holds"
	KindErasePersonalData   = "erase_old_personal_data"
	KindSendReminders       = "send_reminders"
)

// Retention of finished jobs in river_job (see the package comment).
const (
	CompletedRetention = time.Hour
	CancelledRetention = 24 * time.Hour
	DiscardedRetention = 7 * 24 * time.Hour
)

// RescueAfter is how long a job may stay running before River takes it
// for lost (its instance died) and runs it again: longer than any job's
// timeout (the e-mail's, emailTimeout, is the longest) and than the claim
// of an e-mail delivery (deliveryLease), so only a dead attempt is
// rescued; minutes rather than River's default hour, so a confirmation
// is not an hour late.
const RescueAfter = 5 * time.Minute

// DefaultRetentionMonths is how long appointments keep their personal data
// when Options.RetentionMonths is zero.
const DefaultRetentionMonths = 12

const (
	queueMail        = "mail"
	queueMaintenance = river.QueueDefault
)

// Tasks are the periodic jobs' work, provided by the caller so that this
// package needs no store code. A nil func is not scheduled.
// Each must be idempotent and safe to run concurrently with itself (two
// instances may briefly both think they are leader), and its errors must
// not contain personal data: they are logged and stored.
type Tasks struct {
	// ReleaseExpiredHolds frees the slots held by citizens who did not
	// confirm before the hold expired at or before now, and reports how
	// many. Run every minute.
	ReleaseExpiredHolds func(ctx context.Context, now time.Time) (int, error)
	// ErasePersonalData erases the personal data of appointments that
	// ended before cutoff (midnight, Europe/Rome, RetentionMonths ago),
	// keeping anonymous statistics, and reports how many. Run daily.
	ErasePersonalData func(ctx context.Context, cutoff time.Time) (int, error)
	// QueueReminders queues the reminder e-mails due at now and reports
	// how many. It should, in one transaction per batch, select the due
	// appointments (FOR UPDATE SKIP LOCKED), mark them reminded and queue
	// their e-mails in that transaction (store.QueueReminders, through its
	// outbox), so a reminder is neither lost nor sent twice. Run every 15
	// minutes.
	QueueReminders func(ctx context.Context, now time.Time) (int, error)
}

// Options configure a Queue.
type Options struct {
	// Sender delivers e-mail; nil means mail.NotConfigured (mail waits).
	Sender mail.Sender
	// Tasks are the periodic jobs' work.
	Tasks Tasks
	// RetentionMonths is how long appointments keep personal data;
	// 0 means DefaultRetentionMonths.
	RetentionMonths int
	// Logger receives River's and the jobs' logs; nil discards them.
	Logger *slog.Logger
	// Notifier writes the e-mail of each event, at send time, and the
	// Message-IDs. Required.
	Notifier *notify.Notifier
	// Deliveries keeps the delivery record of every e-mail (store.Store
	// is one). Required.
	Deliveries Deliveries
	// Keys seal the personal links of queued e-mails (SECRET_KEY): the
	// first key seals, every key opens, so mail queued before a key
	// rotation is still sent. Required.
	Keys *seal.Keyring
	// InsertOnly makes a queue that only inserts jobs: Start and Stop do
	// nothing and no job is worked here (the store's outbox, which must
	// exist before the store the working queue's tasks use; a
	// command-line tool; a test that inspects river_job).
	InsertOnly bool

	// Test knobs, set through export_test.go.
	retryDelay func(attempt int) time.Duration
	intervals  map[string]time.Duration
	testOnly   bool
}

// Deliveries is the record of the e-mails queued and delivered, in the
// portal's database (store.Store is one). Keys are delivery keys; a secret
// is sealed (seal.Keyring) before it gets here.
type Deliveries interface {
	// AddDelivery records, in the enqueueing transaction tx, an e-mail
	// about to be queued, with its sealed secret ("" for none).
	AddDelivery(ctx context.Context, tx pgx.Tx, key, sealedSecret string) error
	// ClaimDelivery lets one attempt send the e-mail until until: claimed
	// with the sealed secret; delivered when the SMTP server already
	// accepted it; neither while another attempt holds a claim. An
	// unknown key is an error wrapping pgx.ErrNoRows.
	ClaimDelivery(ctx context.Context, key string, now, until time.Time) (delivered, claimed bool, sealedSecret string, err error)
	// RecordDelivery notes the SMTP server's acceptance at at and forgets
	// the secret.
	RecordDelivery(ctx context.Context, key string, at time.Time) error
	// ReleaseDelivery ends a claim of an attempt that did not deliver;
	// forget drops the secret of an e-mail given up.
	ReleaseDelivery(ctx context.Context, key string, forget bool) error
}

// Queue inserts and works the portal's jobs.
type Queue struct {
	client     *river.Client[pgx.Tx]
	pool       *pgxpool.Pool
	logger     *slog.Logger
	notifier   *notify.Notifier
	deliveries Deliveries
	keys       *seal.Keyring
	insertOnly bool
}

// New builds a Queue over pool. River's tables must exist (Migrate).
func New(pool *pgxpool.Pool, opts Options) (*Queue, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	logger = logger.With("component", "jobs")
	sender := opts.Sender
	if sender == nil {
		sender = mail.NotConfigured{}
	}
	months := opts.RetentionMonths
	if months == 0 {
		months = DefaultRetentionMonths
	}
	if months < 0 {
		return nil, errors.New("jobs: retention months must be positive")
	}
	switch {
	case opts.Notifier == nil:
		return nil, errors.New("jobs: Options.Notifier is required")
	case opts.Deliveries == nil:
		return nil, errors.New("jobs: Options.Deliveries is required")
	case opts.Keys == nil:
		return nil, errors.New("jobs: Options.Keys is required (SECRET_KEY)")
	}
	retryDelay := opts.retryDelay
	if retryDelay == nil {
		retryDelay = emailRetryDelay
	}

	workers := river.NewWorkers()
	river.AddWorker(workers, &sendEmailWorker{sender: sender, logger: logger, retryDelay: retryDelay,
		deliveries: opts.Deliveries, keys: opts.Keys, notifier: opts.Notifier})
	river.AddWorker(workers, &releaseHoldsWorker{fn: opts.Tasks.ReleaseExpiredHolds, logger: logger})
	river.AddWorker(workers, &erasePersonalDataWorker{fn: opts.Tasks.ErasePersonalData, months: months, logger: logger})
	river.AddWorker(workers, &sendRemindersWorker{fn: opts.Tasks.QueueReminders, logger: logger})
	q := &Queue{pool: pool, logger: logger, notifier: opts.Notifier, deliveries: opts.Deliveries, keys: opts.Keys,
		insertOnly: opts.InsertOnly}

	cfg := &river.Config{
		Logger:                      logger,
		Workers:                     workers,
		CompletedJobRetentionPeriod: CompletedRetention,
		CancelledJobRetentionPeriod: CancelledRetention,
		DiscardedJobRetentionPeriod: DiscardedRetention,
		RescueStuckJobsAfter:        RescueAfter,
		// On shutdown, running jobs get this long to finish; then their
		// context is cancelled and they are retried after the restart.
		SoftStopTimeout: mail.Timeout,
		TestOnly:        opts.testOnly,
	}
	if !opts.InsertOnly {
		cfg.Queues = map[string]river.QueueConfig{
			queueMail:        {MaxWorkers: 4},
			queueMaintenance: {MaxWorkers: 2},
		}
		cfg.PeriodicJobs = periodicJobs(opts.Tasks, opts.intervals)
	}
	client, err := river.NewClient(riverpgxv5.New(pool), cfg)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	q.client = client
	if _, ok := sender.(mail.NotConfigured); ok && !opts.InsertOnly {
		logger.Warn("no SMTP server configured (SMTP_URL): e-mail is queued but not sent until one is")
	}
	return q, nil
}

// Start starts working jobs in the background; cancelling ctx begins a
// graceful stop (as Stop does). It does nothing for an InsertOnly queue.
func (q *Queue) Start(ctx context.Context) error {
	if q.insertOnly {
		return nil
	}
	if err := q.client.Start(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	return nil
}

// Stop stops fetching jobs and waits, until ctx ends, for running ones.
func (q *Queue) Stop(ctx context.Context) error {
	if q.insertOnly {
		return nil
	}
	if err := q.client.Stop(ctx); err != nil {
		return fmt.Errorf("jobs: stop: %w", err)
	}
	return nil
}

// EnqueueEmail queues msg for delivery. Prefer EnqueueEmailTx when the
// mail follows from a change in the database.
func (q *Queue) EnqueueEmail(ctx context.Context, msg mail.Message) error {
	return pgx.BeginFunc(ctx, q.pool, func(tx pgx.Tx) error { return q.EnqueueEmailTx(ctx, tx, msg) })
}

// EnqueueEmailTx queues msg inside tx: the mail exists if and only if tx
// commits, so a booking and its confirmation are never separated. The
// message is sent once (its delivery key is made now, at random).
func (q *Queue) EnqueueEmailTx(ctx context.Context, tx pgx.Tx, msg mail.Message) error {
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("jobs: enqueue e-mail: %w", err)
	}
	return q.insert(ctx, tx, sendEmailArgs{Delivery: "msg." + rand.Text(), Message: &msg}, "")
}

// Notify queues, inside tx, the e-mail that tells the citizen about e
// (store.Outbox). The e-mail is written now, to refuse at once one that
// cannot be sent, and again at send time from the event the job keeps;
// the token of the personal link (e.Token) is not in the job: it is
// sealed with the first key (Options.Keys) in the delivery record, whose
// key (notify.DeliveryKey) makes a second job for the same event send
// nothing.
func (q *Queue) Notify(ctx context.Context, tx pgx.Tx, e notify.Event) error {
	msg, err := q.notifier.Message(e)
	if err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("jobs: enqueue e-mail: %w", err)
	}
	key := notify.DeliveryKey(e)
	if key == "" {
		key = "event." + rand.Text()
	}
	sealed := ""
	if e.Token != "" {
		sealed = q.keys.SealString(e.Token, secretContext(key))
		e.Token = ""
	}
	return q.insert(ctx, tx, sendEmailArgs{Delivery: key, Event: &e}, sealed)
}

// insert records the delivery of args with its sealed secret and inserts
// its job, both in tx.
func (q *Queue) insert(ctx context.Context, tx pgx.Tx, args sendEmailArgs, sealedSecret string) error {
	if err := q.deliveries.AddDelivery(ctx, tx, args.Delivery, sealedSecret); err != nil {
		return fmt.Errorf("jobs: enqueue e-mail: %w", err)
	}
	if _, err := q.client.InsertTx(ctx, tx, args, nil); err != nil {
		return fmt.Errorf("jobs: enqueue e-mail: %w", err)
	}
	return nil
}

// migrateLockKey serialises Migrate across instances: rivermigrate takes
// no lock of its own. Distinct from goose's lock (migrations.Up).
const migrateLockKey int64 = 0x7564_635f_7276_6d67 // "udc_rvmg"

// Migrate creates or upgrades River's tables (river_job, river_leader …)
// in the portal's database. Call it after migrations.Up; several instances
// may call it at once.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, migrateLockKey); err != nil {
		return fmt.Errorf("jobs: migrate: lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock($1)`, migrateLockKey)
	}()
	m, err := rivermigrate.New(riverpgxv5.New(pool), &rivermigrate.Config{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("jobs: migrate: %w", err)
	}
	return nil
}
