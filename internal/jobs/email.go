package jobs

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/udc-umbria/portal/internal/mail"
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

// sendEmailArgs is a send_email job: the whole message, because the job
// must be able to run after a restart (see the package comment on how
// long it is kept).
type sendEmailArgs struct {
	Message mail.Message `json:"message"`
}

func (sendEmailArgs) Kind() string { return KindSendEmail }

func (sendEmailArgs) InsertOpts() river.InsertOpts {
	return river.InsertOpts{Queue: queueMail, MaxAttempts: EmailMaxAttempts}
}

type sendEmailWorker struct {
	river.WorkerDefaults[sendEmailArgs]
	sender     mail.Sender
	logger     *slog.Logger
	retryDelay func(attempt int) time.Duration
}

func (w *sendEmailWorker) Work(ctx context.Context, job *river.Job[sendEmailArgs]) error {
	msg := job.Args.Message
	if err := msg.Validate(); err != nil {
		// Cannot become valid by waiting (EnqueueEmail validates, so this
		// is a job written by hand or by an older version).
		return river.JobCancel(safe(err))
	}
	err := w.sender.Send(ctx, msg)
	switch {
	case err == nil:
		w.logger.InfoContext(ctx, "e-mail sent", "job_id", job.ID, "attempt", job.Attempt)
		return nil
	case errors.Is(err, mail.ErrNotConfigured):
		return river.JobSnooze(notConfiguredSnooze)
	case mail.IsPermanent(err):
		w.logger.WarnContext(ctx, "e-mail recipient rejected by the SMTP server; not retrying", "job_id", job.ID, "error", safe(err))
		return river.JobCancel(safe(err))
	default:
		return safe(err)
	}
}

// Timeout leaves the SMTP conversation its own timeouts (mail.Timeout per
// step) and bounds the whole.
func (w *sendEmailWorker) Timeout(*river.Job[sendEmailArgs]) time.Duration { return 3 * mail.Timeout }

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
