package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/seal"
)

// EmailMaxAttempts and the capped backoff (emailRetryDelay) keep a mail
// retrying for about a week: 1 s, 16 s, 81 s … then every hour. River's
// default (attempt⁴ seconds, 25 attempts) would leave gaps of days between
// the last tries, so a reminder could arrive long after the SMTP server is
// back.
const EmailMaxAttempts = 175

// emailRetryMax caps the wait between two delivery attempts.
const emailRetryMax = time.Hour

// notConfiguredSnooze is how often a queue without SMTP server looks again:
// a snooze does not use up attempts, so mail waits for a configuration.
const notConfiguredSnooze = 10 * time.Minute

// sendEmailArgs is a send_email job. It must be able to run after a
// restart, so it carries what the e-mail says (see the package comment on
// how long it is kept) — but never the personal link: that stays sealed
// in the delivery record until the e-mail is sent, then is forgotten.
type sendEmailArgs struct {
	// Delivery is the e-mail's delivery key (Deliveries); "" in jobs
	// queued before delivery records existed, which are sent as they are.
	Delivery string `json:"delivery,omitempty"`
	// Event is what happened, written into the e-mail at send time
	// (notify) with the token of the personal link taken from the
	// delivery record; its own Token is always "".
	Event *notify.Event `json:"event,omitempty"`
	// Message is an e-mail written in full (EnqueueEmail), when Event is
	// nil.
	Message *mail.Message `json:"message,omitempty"`
}

func (sendEmailArgs) Kind() string { return KindSendEmail }

func (sendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueMail, MaxAttempts: EmailMaxAttempts}
}

// emailTimeout bounds one delivery attempt: the SMTP conversation has its
// own timeouts (mail.Timeout per step).
const emailTimeout = 3 * mail.Timeout

// deliveryLease is how long an attempt keeps its claim on a delivery
// (Deliveries.ClaimDelivery): longer than the attempt may last, so two
// attempts never send one e-mail at the same time, and shorter than
// RescueAfter, so a rescued job finds the claim of the lost attempt over.
const deliveryLease = emailTimeout + 30*time.Second

// secretContext is where a delivery's secret is sealed (seal.Keyring):
// it opens only for its own delivery.
func secretContext(key string) string { return "email_deliveries.secret:" + key }

type sendEmailWorker struct {
	river.WorkerDefaults[sendEmailArgs]
	sender     mail.Sender
	logger     *slog.Logger
	retryDelay func(attempt int) time.Duration
	deliveries Deliveries
	keys       *seal.Keyring
	notifier   *notify.Notifier
}

// Work sends the e-mail of a job at most once as far as SMTP allows: it
// claims the delivery record, sends nothing if the SMTP server already
// accepted the e-mail (a rescued or repeated job), and records the
// acceptance right after it. What remains is the window between the
// server's "250 OK" and that record: if the process dies (or the database
// is unreachable) just then, the job is rescued after RescueAfter and the
// e-mail is sent a second time — with the same Message-ID, so that the
// copy is recognisable. Closing that window would need the SMTP server to
// take part in our transaction, which SMTP cannot do.
func (w *sendEmailWorker) Work(ctx context.Context, job *river.Job[sendEmailArgs]) error {
	args := job.Args
	if args.Delivery == "" {
		if args.Message == nil {
			return river.JobCancel(errors.New("jobs: send_email job without a message"))
		}
		return w.send(ctx, job, *args.Message, "")
	}
	now := time.Now()
	delivered, claimed, sealed, err := w.deliveries.ClaimDelivery(ctx, args.Delivery, now, now.Add(deliveryLease))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return river.JobCancel(errors.New("jobs: the e-mail's delivery record is missing"))
	case err != nil:
		return safe(err)
	case delivered:
		w.logger.InfoContext(ctx, "e-mail already delivered: not sent again", "job_id", job.ID, "attempt", job.Attempt)
		return nil
	case !claimed:
		// Another attempt is sending it now; look again when its claim
		// is over.
		return river.JobSnooze(deliveryLease)
	}
	msg, retry, err := w.message(args, sealed)
	if err != nil {
		w.release(ctx, args.Delivery, !retry)
		if retry {
			return err
		}
		return river.JobCancel(err)
	}
	msg.MessageID = w.notifier.MessageID(args.Delivery)
	return w.send(ctx, job, msg, args.Delivery)
}

// message writes the e-mail of a job, opening the sealed token of the
// personal link. On error, retry says whether waiting may help.
func (w *sendEmailWorker) message(args sendEmailArgs, sealed string) (msg mail.Message, retry bool, err error) {
	if args.Event == nil {
		if args.Message == nil {
			return mail.Message{}, false, errors.New("jobs: send_email job without a message")
		}
		return *args.Message, false, nil
	}
	e := *args.Event
	if sealed != "" {
		token, err := w.keys.OpenString(sealed, secretContext(args.Delivery))
		if err != nil {
			// Retried: the operator may put the old key back in
			// SECRET_KEY (README, «Chiavi segrete»).
			return mail.Message{}, true, fmt.Errorf("jobs: cannot open the personal link of the e-mail "+
				"(was the key that sealed it removed from SECRET_KEY?): %w", err)
		}
		e.Token = token
	}
	if msg, err = w.notifier.Message(e); err != nil {
		return mail.Message{}, false, err
	}
	return msg, false, nil
}

// send hands msg to the SMTP server and records the outcome for the
// delivery key ("" for a job without delivery record).
func (w *sendEmailWorker) send(ctx context.Context, job *river.Job[sendEmailArgs], msg mail.Message, key string) error {
	if err := msg.Validate(); err != nil {
		// Cannot become valid by waiting (the queue validates at
		// enqueue, so this is a job written by hand or by an older
		// version).
		w.release(ctx, key, true)
		return river.JobCancel(safe(err))
	}
	err := w.sender.Send(ctx, msg)
	switch {
	case err == nil:
		if key != "" {
			// Not with ctx: the e-mail is gone, its record must follow
			// even if the attempt's time is up.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			defer cancel()
			if err := w.deliveries.RecordDelivery(rctx, key, time.Now()); err != nil {
				// Not an error of the job: retrying would send again.
				w.logger.ErrorContext(ctx, "e-mail sent, but its delivery could not be recorded: a rescue may send it twice",
					"job_id", job.ID, "error", safe(err))
			}
		}
		w.logger.InfoContext(ctx, "e-mail sent", "job_id", job.ID, "attempt", job.Attempt)
		return nil
	case errors.Is(err, mail.ErrNotConfigured):
		w.release(ctx, key, false)
		return river.JobSnooze(notConfiguredSnooze)
	case mail.IsPermanent(err):
		w.release(ctx, key, true)
		w.logger.WarnContext(ctx, "e-mail recipient rejected by the SMTP server; not retrying", "job_id", job.ID, "error", safe(err))
		return river.JobCancel(safe(err))
	default:
		w.release(ctx, key, false)
		return safe(err)
	}
}

// release ends the attempt's claim on a delivery that was not made (and
// forgets its secret when the e-mail is given up), so the next attempt
// need not wait for the lease. A failure only delays that attempt.
func (w *sendEmailWorker) release(ctx context.Context, key string, forget bool) {
	if key == "" {
		return
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := w.deliveries.ReleaseDelivery(rctx, key, forget); err != nil {
		w.logger.WarnContext(ctx, "could not release an e-mail delivery", "error", safe(err))
	}
}

// Timeout leaves the SMTP conversation its own timeouts (mail.Timeout per
// step) and bounds the whole.
func (w *sendEmailWorker) Timeout(*river.Job[sendEmailArgs]) time.Duration { return emailTimeout }

func (w *sendEmailWorker) NextRetry(job *river.Job[sendEmailArgs]) time.Time {
	return time.Now().Add(w.retryDelay(job.Attempt))
}

// emailRetryDelay is attempt⁴ seconds capped at emailRetryMax, with up to
// 10% jitter so that mails queued during an outage do not all retry in the
// same second.
func emailRetryDelay(attempt int) time.Duration {
	d := emailRetryMax
	if attempt < 8 { // 8⁴ s > 1 h
		d = time.Duration(attempt*attempt*attempt*attempt) * time.Second
	}
	return d + time.Duration(rand.Int64N(int64(d)/10+1))
}

// safe strips e-mail addresses from err's text: River logs it and stores
// it in river_job.errors.
func safe(err error) error { return mail.Redacted(err) }
