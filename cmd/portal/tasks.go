package main

import (
	"context"
	"time"

	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/store"
)

// jobTasks connects the periodic jobs to the store: releasing expired slot
// holds and old drafts, erasing personal data past the retention period,
// and queueing the reminders of tomorrow's appointments (st must have its
// outbox: the reminders' e-mails go through it).
func jobTasks(st *store.Store) jobs.Tasks {
	return jobs.Tasks{
		QueueReminders: st.QueueReminders,
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
