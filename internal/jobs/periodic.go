package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/mail"
)

// How often each maintenance job runs. Every one also runs when an
// instance becomes leader (RunOnStart), so a daily job is not skipped by
// frequent restarts.
var defaultIntervals = map[string]time.Duration{
	KindReleaseExpiredHolds: time.Minute,
	KindSendReminders:       15 * time.Minute,
	KindErasePersonalData:   24 * time.Hour,
}

// maintenanceMaxAttempts: a failed run is retried a few times (River's
// backoff: 1 s, 16 s, 81 s, 256 s); the next scheduled run follows anyway.
const maintenanceMaxAttempts = 5

func periodicJobs(t Tasks, intervals map[string]time.Duration) []*river.PeriodicJob {
	every := func(kind string) river.PeriodicSchedule {
		if d, ok := intervals[kind]; ok {
			return river.PeriodicInterval(d)
		}
		return river.PeriodicInterval(defaultIntervals[kind])
	}
	opts := &river.InsertOpts{Queue: queueMaintenance, MaxAttempts: maintenanceMaxAttempts}
	var jobs []*river.PeriodicJob
	add := func(kind string, args river.JobArgs) {
		jobs = append(jobs, river.NewPeriodicJob(every(kind),
			func() (river.JobArgs, *river.InsertOpts) { return args, opts },
			&river.PeriodicJobOpts{ID: kind, RunOnStart: true}))
	}
	if t.ReleaseExpiredHolds != nil {
		add(KindReleaseExpiredHolds, releaseHoldsArgs{})
	}
	if t.QueueReminders != nil {
		add(KindSendReminders, sendRemindersArgs{})
	}
	if t.ErasePersonalData != nil {
		add(KindErasePersonalData, erasePersonalDataArgs{})
	}
	return jobs
}

// RetentionCutoff is the instant before which appointments lose their
// personal data: midnight in Europe/Rome, months calendar months before
// now's date (clamped to the month's last day: 31 March − 1 month is
// 28/29 February).
func RetentionCutoff(now time.Time, months int) time.Time {
	loc := hours.Rome()
	y, m, d := now.In(loc).Date()
	first := time.Date(y, m-time.Month(months), 1, 0, 0, 0, 0, loc)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, loc)
}

type releaseHoldsArgs struct{}

func (releaseHoldsArgs) Kind() string { return KindReleaseExpiredHolds }

type releaseHoldsWorker struct {
	river.WorkerDefaults[releaseHoldsArgs]
	fn     func(ctx context.Context, now time.Time) (int, error)
	logger *slog.Logger
}

func (w *releaseHoldsWorker) Work(ctx context.Context, _ *river.Job[releaseHoldsArgs]) error {
	if w.fn == nil {
		return nil
	}
	n, err := w.fn(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("release expired holds: %s", mail.Redact(err.Error()))
	}
	if n > 0 {
		w.logger.InfoContext(ctx, "released expired slot holds", "count", n)
	}
	return nil
}

type sendRemindersArgs struct{}

func (sendRemindersArgs) Kind() string { return KindSendReminders }

type sendRemindersWorker struct {
	river.WorkerDefaults[sendRemindersArgs]
	fn     func(ctx context.Context, now time.Time) (int, error)
	logger *slog.Logger
}

func (w *sendRemindersWorker) Work(ctx context.Context, _ *river.Job[sendRemindersArgs]) error {
	if w.fn == nil {
		return nil
	}
	n, err := w.fn(ctx, time.Now())
	if err != nil {
		return fmt.Errorf("queue reminders: %s", mail.Redact(err.Error()))
	}
	if n > 0 {
		w.logger.InfoContext(ctx, "queued appointment reminders", "count", n)
	}
	return nil
}

type erasePersonalDataArgs struct{}

func (erasePersonalDataArgs) Kind() string { return KindErasePersonalData }

type erasePersonalDataWorker struct {
	river.WorkerDefaults[erasePersonalDataArgs]
	fn     func(ctx context.Context, cutoff time.Time) (int, error)
	months int
	logger *slog.Logger
}

// Timeout: the first run on an old database may have a lot to erase.
func (w *erasePersonalDataWorker) Timeout(*river.Job[erasePersonalDataArgs]) time.Duration {
	return 10 * time.Minute
}

func (w *erasePersonalDataWorker) Work(ctx context.Context, _ *river.Job[erasePersonalDataArgs]) error {
	if w.fn == nil {
		return nil
	}
	cutoff := RetentionCutoff(time.Now(), w.months)
	n, err := w.fn(ctx, cutoff)
	if err != nil {
		return fmt.Errorf("erase personal data: %s", mail.Redact(err.Error()))
	}
	w.logger.InfoContext(ctx, "erased personal data of old appointments", "count", n, "cutoff", cutoff.Format(time.DateOnly), "retention_months", w.months)
	return nil
}
