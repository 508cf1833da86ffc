package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/store"
)

// jobTasks connects the periodic jobs to the store: releasing expired slot
// holds and old drafts, erasing personal data past the retention period,
// and queueing the reminders of tomorrow's appointments.
// reminder is set once the web server exists: it builds the message.
func jobTasks(st *store.Store, reminder func(ctx context.Context, tx pgx.Tx, a store.Appointment) error) jobs.Tasks {
	return jobs.Tasks{
		QueueReminders: func(ctx context.Context, now time.Time, _ jobs.TxMailer) (int, error) {
			return st.QueueReminders(ctx, now, reminder)
		},
		ReleaseExpiredHolds: func(ctx context.Context, now time.Time) (int, error) {
			n, err := st.ReleaseExpiredHolds(ctx, now)
			if err != nil {
				return n, err
			}
			m, err := st.DeleteExpiredDrafts(ctx, now)
			return n + m, err
		},
		ErasePersonalData: st.ErasePersonalData,
	}
}
