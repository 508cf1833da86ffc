package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
)

// AllowSubmission counts one submission for key (e.g. "ip:203.0.113.7") in
// the fixed window of the given length that contains now, and reports
// whether the count is still within max. The counter lives in PostgreSQL,
// so the limit holds across every instance; ended windows are deleted by
// ReleaseExpiredHolds.
func (s *Store) AllowSubmission(ctx context.Context, key string, now time.Time, window time.Duration, max int) (bool, error) {
	if window <= 0 {
		return false, fmt.Errorf("store: allow submission: window %s not positive", window)
	}
	start := now.Truncate(window)
	var n int
	err := s.pool.QueryRow(ctx, `INSERT INTO rate_limits (key, window_start, count, expires_at) VALUES ($1, $2, 1, $3)
		ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1 RETURNING count`,
		key, start, start.Add(window)).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("store: count submission: %w", err)
	}
	return n <= max, nil
}

// ErasePersonalData erases the personal data that the retention period no
// longer allows, in one transaction, and returns how many records it
// erased:
//
//   - appointments that ended before olderThan and were not erased yet:
//     names, e-mail, phone, fiscal code, note, cancellation reason, the
//     interpreter's language and the accessibility note (a stated need
//     becomes an empty string, NULL stays NULL) and the manage token hash
//     (the personal link stops working). Office, professional, times,
//     status, mode, reason, channel, who cancelled and whether staff
//     booked it stay, for the anonymous statistics;
//   - reports of a problem not changed since before olderThan: name,
//     e-mail, description and answer. Code, category, page, office,
//     status and dates stay.
func (s *Store) ErasePersonalData(ctx context.Context, olderThan time.Time) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE appointments SET first_name = '', last_name = '', email = '', phone = '',
				fiscal_code = '', note = '', cancel_reason = '',
				interpreter_language = CASE WHEN interpreter_language IS NULL THEN NULL ELSE '' END,
				accessibility_note = CASE WHEN accessibility_note IS NULL THEN NULL ELSE '' END,
				manage_token_hash = NULL, erased_at = now(), updated_at = now()
			WHERE ends_at < $1 AND erased_at IS NULL`, olderThan)
		if err != nil {
			return fmt.Errorf("appointments: %w", err)
		}
		n = int(tag.RowsAffected())
		tag, err = tx.Exec(ctx, `UPDATE reports SET name = '', email = '', description = '', answer = '', erased_at = now()
			WHERE updated_at < $1 AND erased_at IS NULL`, olderThan)
		if err != nil {
			return fmt.Errorf("reports: %w", err)
		}
		n += int(tag.RowsAffected())
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: erase personal data: %w", err)
	}
	return n, nil
}

// reminderDay returns the bounds of tomorrow in Europe/Rome.
func reminderDay(now time.Time) (from, to time.Time) {
	tomorrow := hours.DateOf(now).AddDays(1)
	return tomorrow.At(0), tomorrow.AddDays(1).At(0)
}

// DueReminders returns the confirmed appointments that start tomorrow
// (Europe/Rome) and have had no reminder yet, by start; those the office
// asked to move (Appointment.MoveRequestedAt) get none: the office cannot
// receive them at that time. MarkReminderSent
// records a reminder; QueueReminders does both atomically.
func (s *Store) DueReminders(ctx context.Context, now time.Time) ([]Appointment, error) {
	from, to := reminderDay(now)
	rows, err := s.pool.Query(ctx, `SELECT `+appointmentColumns+` FROM appointments
		WHERE status = 'confermato' AND reminder_sent_at IS NULL AND erased_at IS NULL AND move_requested_at IS NULL
			AND starts_at >= $1 AND starts_at < $2
		ORDER BY starts_at, id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Appointment, error) { return scanAppointment(row) })
	if err != nil {
		return nil, fmt.Errorf("store: due reminders: %w", err)
	}
	return out, nil
}

// MarkReminderSent records that the appointment's reminder was sent (or
// queued) at now. It returns ErrNotFound for an unknown appointment.
func (s *Store) MarkReminderSent(ctx context.Context, id int64, now time.Time) error {
	tag, err := s.pool.Exec(ctx, `UPDATE appointments SET reminder_sent_at = $2 WHERE id = $1`, id, now)
	if err != nil {
		return fmt.Errorf("store: mark reminder of appointment %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: mark reminder of appointment %d: %w", id, ErrNotFound)
	}
	return nil
}

// reminderBatch is how many reminders QueueReminders handles per
// transaction.
const reminderBatch = 50

// QueueReminders hands the notify.Reminder event of every due reminder
// (see DueReminders) to the outbox and marks it sent, in transactions of
// up to 50 appointments taken FOR UPDATE SKIP LOCKED: a reminder is queued
// exactly when it is marked, and two instances running the job at once
// never queue the same one. It returns how many reminders were queued; if
// the outbox fails, its batch is rolled back and the error returned. A
// Store without an outbox refuses (it would mark reminders nobody sends).
func (s *Store) QueueReminders(ctx context.Context, now time.Time) (int, error) {
	if s.outbox == nil {
		return 0, errors.New("store: queue reminders: no outbox")
	}
	from, to := reminderDay(now)
	total := 0
	for {
		n := 0
		err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
			rows, err := tx.Query(ctx, `SELECT `+appointmentColumns+` FROM appointments
				WHERE status = 'confermato' AND reminder_sent_at IS NULL AND erased_at IS NULL AND move_requested_at IS NULL
					AND starts_at >= $1 AND starts_at < $2
				ORDER BY starts_at, id LIMIT $3 FOR UPDATE SKIP LOCKED`, from, to, reminderBatch)
			if err != nil {
				return err
			}
			due, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Appointment, error) { return scanAppointment(row) })
			if err != nil {
				return err
			}
			for _, a := range due {
				if err := s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.Reminder, Appointment: a.Notice(), At: now}); err != nil {
					return err
				}
				if _, err := tx.Exec(ctx, `UPDATE appointments SET reminder_sent_at = $2 WHERE id = $1`, a.ID, now); err != nil {
					return err
				}
			}
			n = len(due)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("store: queue reminders: %w", err)
		}
		total += n
		if n < reminderBatch {
			return total, nil
		}
	}
}
