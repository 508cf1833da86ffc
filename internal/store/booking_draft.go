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

// HoldClient is who asks for a hold: the per-client limits
// (booking.MaxHoldsPerAddress, booking.MaxHoldsPerBrowser) count the
// active holds of each.
type HoldClient struct {
	// Address is the client address, "203.0.113.7".
	Address string
	// Browser is the SHA-256 of the browser's CSRF cookie (32 bytes), nil
	// when unknown: it identifies the browser across its drafts.
	Browser []byte
}

// holdLockClass namespaces the advisory locks HoldSlot takes per client
// address and per browser.
const holdLockClass = 7274402

// HoldSlot holds one seat of the slot for the draft, asked by client. In
// one transaction it locks the draft, releases the draft's previous hold,
// takes transaction-scoped advisory locks on the client's address and
// browser and counts their other active holds (ErrTooManyHolds at the
// limits), then locks the slot's slot_locks row and counts its active
// seats (ErrSlotFull when capacity is reached). On these errors nothing
// changes: the previous hold is kept. The locks make the counts exact
// whatever the number of requests and instances: a burst of holds from
// one client cannot get past the limits.
//
// The hold ends booking.HoldDuration after now, but never past
// booking.HoldMaxSpan after the draft's first hold; holding the slot the
// draft already holds renews it within that bound. Once the span is used
// up, HoldSlot still checks that a seat is free (ErrSlotFull), releases the
// previous hold and returns ErrHoldSpanOver without holding anything: the
// citizen may go on, and the seat is claimed only at submission. It
// returns ErrNotFound for a missing or expired draft and
// ErrDraftSubmitted for a draft that is already an appointment.
func (s *Store) HoldSlot(ctx context.Context, draftID, officeID int64, p booking.Professional, start, end time.Time,
	capacity int, client HoldClient, now time.Time) error {
	var spanOver bool
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		spanOver = false
		_, apptID, err := lockDraft(ctx, tx, draftID, now)
		if err != nil {
			return err
		}
		if apptID != nil {
			return ErrDraftSubmitted
		}
		var first *time.Time
		if err := tx.QueryRow(ctx, `SELECT first_hold_at FROM booking_drafts WHERE id = $1`, draftID).Scan(&first); err != nil {
			return fmt.Errorf("load first hold: %w", err)
		}
		var firstAt time.Time
		if first != nil {
			firstAt = *first
		}
		expires, ok := booking.HoldUntil(firstAt, now)
		if _, err := tx.Exec(ctx, `DELETE FROM slot_holds WHERE draft_id = $1`, draftID); err != nil {
			return fmt.Errorf("release previous hold: %w", err)
		}
		if ok {
			if err := checkClientHolds(ctx, tx, client, now); err != nil {
				return err
			}
		}
		sl := slotRef{officeID: officeID, professional: p, start: start}
		if err := claimSeat(ctx, tx, sl, capacity, now, draftID, 0); err != nil {
			return err
		}
		if !ok {
			spanOver = true
			return nil
		}
		_, err = tx.Exec(ctx, `INSERT INTO slot_holds (draft_id, office_id, professional, starts_at, ends_at, expires_at,
				client_address, browser_hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, draftID, officeID, string(p), start, end, expires, client.Address, client.Browser)
		if err != nil {
			return fmt.Errorf("insert hold: %w", err)
		}
		if first == nil {
			if _, err := tx.Exec(ctx, `UPDATE booking_drafts SET first_hold_at = $2 WHERE id = $1`, draftID, now); err != nil {
				return fmt.Errorf("record first hold: %w", err)
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrDraftSubmitted), errors.Is(err, ErrTooManyHolds):
		return err
	case err != nil:
		return fmt.Errorf("store: hold slot for draft %d: %w", draftID, err)
	case spanOver:
		return ErrHoldSpanOver
	}
	return nil
}

// checkClientHolds returns ErrTooManyHolds when the client's address or
// browser already holds the most seats allowed (the calling draft's own
// hold is already released). The advisory locks, taken address first,
// serialise the holds of one client until the transaction ends.
func checkClientHolds(ctx context.Context, tx pgx.Tx, c HoldClient, now time.Time) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext('a:' || $2))`, holdLockClass, c.Address); err != nil {
		return fmt.Errorf("lock client address: %w", err)
	}
	if c.Browser != nil {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext('b:' || encode($2::bytea, 'hex')))`,
			holdLockClass, c.Browser); err != nil {
			return fmt.Errorf("lock browser: %w", err)
		}
	}
	var byAddress, byBrowser int
	err := tx.QueryRow(ctx, `SELECT
			(SELECT count(*) FROM slot_holds WHERE client_address = $1 AND expires_at > $3),
			(SELECT count(*) FROM slot_holds WHERE browser_hash = $2 AND expires_at > $3)`,
		c.Address, c.Browser, now).Scan(&byAddress, &byBrowser)
	if err != nil {
		return fmt.Errorf("count client holds: %w", err)
	}
	if byAddress >= booking.MaxHoldsPerAddress || (c.Browser != nil && byBrowser >= booking.MaxHoldsPerBrowser) {
		return ErrTooManyHolds
	}
	return nil
}

// ReleaseExpiredHolds deletes the holds that expired at or before now and
// returns how many. Expired holds already count for nothing; this only
// tidies up. It is the booking feature's frequent housekeeping, so it also
// deletes the rate-limit windows that are over (their keys hold IP
// addresses), the lock rows of slots that started more than two days
// ago and the e-mail delivery records older than 30 days. Expired drafts
// are DeleteExpiredDrafts's job.
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
	if _, err := s.pool.Exec(ctx, `DELETE FROM email_deliveries WHERE created_at < $1`, now.Add(-deliveryRecordAge)); err != nil {
		return 0, fmt.Errorf("store: delete old e-mail delivery records: %w", err)
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
