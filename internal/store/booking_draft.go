package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
)

// DraftLifetime is how long a booking draft lives after its last update.
// It holds personal data, so it is deleted once expired.
const DraftLifetime = 24 * time.Hour

// Housekeeping ages, see ReleaseExpiredHolds.
const (
	// slotLockAge is how long after a slot's start its lock row is kept.
	slotLockAge = 48 * time.Hour
)

// DraftData is what the citizen has entered so far in the booking wizard.
// It is stored as JSON.
type DraftData struct {
	OfficeID           int64
	ComuneISTAT        string
	Professional       booking.Professional
	SlotStart, SlotEnd time.Time
	Details            booking.DetailsForm
	Applicant          booking.ApplicantForm
	// Completed lists the steps done: "luogo", "data", "dettagli",
	// "richiedente".
	Completed map[string]bool
}

// Draft is a booking in progress.
type Draft struct {
	ID                   int64
	Data                 DraftData
	StartedAt, UpdatedAt time.Time
	// HoldExpiresAt is when the draft's hold on its slot ends (or ended:
	// compare it with the current instant); nil without a hold.
	HoldExpiresAt *time.Time
	// AppointmentID is set once the draft has been submitted.
	AppointmentID *int64
}

// CreateDraft starts a draft identified by the SHA-256 of the cookie
// value; it expires DraftLifetime after now.
func (s *Store) CreateDraft(ctx context.Context, tokenHash []byte, now time.Time) (Draft, error) {
	d := Draft{StartedAt: now, UpdatedAt: now}
	data, err := json.Marshal(d.Data)
	if err != nil {
		return Draft{}, fmt.Errorf("store: create draft: %w", err)
	}
	err = s.pool.QueryRow(ctx, `INSERT INTO booking_drafts (token_hash, data, started_at, updated_at, expires_at)
		VALUES ($1, $2, $3, $3, $4) RETURNING id`, tokenHash, data, now, now.Add(DraftLifetime)).Scan(&d.ID)
	if err != nil {
		return Draft{}, fmt.Errorf("store: create draft: %w", err)
	}
	return d, nil
}

// DraftByToken returns the draft with the token hash, or ErrNotFound when
// there is none or it expired at or before now.
func (s *Store) DraftByToken(ctx context.Context, tokenHash []byte, now time.Time) (Draft, error) {
	var d Draft
	var data []byte
	err := s.pool.QueryRow(ctx, `SELECT d.id, d.data, d.started_at, d.updated_at, h.expires_at,
			COALESCE(d.appointment_id, (SELECT a.id FROM appointments a WHERE a.draft_id = d.id))
		FROM booking_drafts d LEFT JOIN slot_holds h ON h.draft_id = d.id
		WHERE d.token_hash = $1 AND d.expires_at > $2`, tokenHash, now).
		Scan(&d.ID, &data, &d.StartedAt, &d.UpdatedAt, &d.HoldExpiresAt, &d.AppointmentID)
	if err != nil {
		return Draft{}, fmt.Errorf("store: load draft: %w", notFound(err))
	}
	if err := json.Unmarshal(data, &d.Data); err != nil {
		return Draft{}, fmt.Errorf("store: decode draft %d: %w", d.ID, err)
	}
	return d, nil
}

// SaveDraft replaces the draft's data and extends its life to
// DraftLifetime after now. It returns ErrNotFound when the draft does not
// exist or has expired.
func (s *Store) SaveDraft(ctx context.Context, id int64, data DraftData, now time.Time) error {
	b, err := json.Marshal(data)
	if err != nil {
		return fmt.Errorf("store: save draft %d: %w", id, err)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE booking_drafts SET data = $2, updated_at = $3, expires_at = $4
		WHERE id = $1 AND expires_at > $3`, id, b, now, now.Add(DraftLifetime))
	if err != nil {
		return fmt.Errorf("store: save draft %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("store: save draft %d: %w", id, ErrNotFound)
	}
	return nil
}

// lockDraft takes the draft row FOR UPDATE, so that the holds and the
// submission of one draft happen one at a time, and returns its data and
// the appointment it became, if any. An expired draft is ErrNotFound.
func lockDraft(ctx context.Context, tx pgx.Tx, id int64, now time.Time) (DraftData, *int64, error) {
	var raw []byte
	var apptID *int64
	// appointment_id and appointments.draft_id are written together;
	// reading both is only a safety net. One round trip: the row locked
	// is read again after any wait, so appointment_id is the committed one.
	err := tx.QueryRow(ctx, `SELECT d.data, coalesce(d.appointment_id, (SELECT a.id FROM appointments a WHERE a.draft_id = d.id))
		FROM booking_drafts d WHERE d.id = $1 AND d.expires_at > $2 FOR UPDATE OF d`, id, now).Scan(&raw, &apptID)
	if err != nil {
		return DraftData{}, nil, fmt.Errorf("lock draft: %w", notFound(err))
	}
	var data DraftData
	if err := json.Unmarshal(raw, &data); err != nil {
		return DraftData{}, nil, fmt.Errorf("decode draft: %w", err)
	}
	return data, apptID, nil
}

// HoldSlot holds one seat of the slot for the draft until expires. In one
// transaction it locks the draft, then the slot's slot_locks row, releases
// the draft's previous hold, counts the active seats (the draft's own hold
// excluded) and returns ErrSlotFull when capacity is reached; the previous
// hold is then kept. Holding the slot the draft already holds renews the
// hold. It returns ErrNotFound for a missing or expired draft and
// ErrDraftSubmitted for a draft that is already an appointment.
func (s *Store) HoldSlot(ctx context.Context, draftID, officeID int64, p booking.Professional, start, end time.Time,
	capacity int, now, expires time.Time) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, apptID, err := lockDraft(ctx, tx, draftID, now)
		if err != nil {
			return err
		}
		if apptID != nil {
			return ErrDraftSubmitted
		}
		sl := slotRef{officeID: officeID, professional: p, start: start}
		if err := lockSlot(ctx, tx, sl); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM slot_holds WHERE draft_id = $1`, draftID); err != nil {
			return fmt.Errorf("release previous hold: %w", err)
		}
		n, err := seatsTaken(ctx, tx, sl, now, draftID, 0)
		if err != nil {
			return err
		}
		if n >= capacity {
			return ErrSlotFull
		}
		_, err = tx.Exec(ctx, `INSERT INTO slot_holds (draft_id, office_id, professional, starts_at, ends_at, expires_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, draftID, officeID, string(p), start, end, expires)
		if err != nil {
			return fmt.Errorf("insert hold: %w", err)
		}
		return nil
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrDraftSubmitted):
		return err
	case err != nil:
		return fmt.Errorf("store: hold slot for draft %d: %w", draftID, err)
	}
	return nil
}

// ReleaseExpiredHolds deletes the holds that expired at or before now and
// returns how many. Expired holds already count for nothing; this only
// tidies up. It is the booking feature's frequent housekeeping, so it also
// deletes the rate-limit windows that are over (their keys hold IP
// addresses) and the lock rows of slots that started more than two days
// ago. Expired drafts are DeleteExpiredDrafts's job.
func (s *Store) ReleaseExpiredHolds(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM slot_holds WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("store: release expired holds: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM rate_limits WHERE expires_at <= $1`, now); err != nil {
		return 0, fmt.Errorf("store: delete ended rate-limit windows: %w", err)
	}
	if _, err := s.pool.Exec(ctx, `DELETE FROM slot_locks WHERE starts_at < $1`, now.Add(-slotLockAge)); err != nil {
		return 0, fmt.Errorf("store: delete old slot locks: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// DeleteExpiredDrafts deletes the drafts that expired at or before now,
// with their holds, and returns how many. Appointments made from them stay.
func (s *Store) DeleteExpiredDrafts(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM booking_drafts WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("store: delete expired drafts: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
