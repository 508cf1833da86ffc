package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
)

// NewAppointment is what SubmitDraft needs besides the draft.
type NewAppointment struct {
	// Code is the booking code (code.NewBookingCode). If another
	// appointment already has it, SubmitDraft draws a new one: use the
	// Code of the returned Appointment.
	Code string
	// TokenHash is the SHA-256 of the manage token (code.NewToken); the
	// token itself is never stored.
	TokenHash []byte
	// TokenExpiresAt is when the personal link stops working, some time
	// after the appointment. MoveAppointment shifts it with the
	// appointment.
	TokenExpiresAt time.Time
	// Status is the initial status; "" means Mode.InitialStatus().
	Status booking.Status
	Mode   booking.Mode
}

// Appointment is a booked appointment. After ErasePersonalData the
// personal fields are empty.
type Appointment struct {
	ID           int64
	Code         string
	OfficeID     int64
	Professional booking.Professional
	Start, End   time.Time
	Status       booking.Status
	Mode         booking.Mode
	Reason, Note string

	FirstName, LastName, Email, Phone, FiscalCode, Channel string
	// InterpreterLanguage and AccessibilityNote are nil when not needed.
	InterpreterLanguage, AccessibilityNote *string

	// Sequence is bumped by every change the citizen must be told about
	// (the iCalendar SEQUENCE).
	Sequence       int
	CancelReason   string
	TokenExpiresAt time.Time
	CreatedAt      time.Time
}

// appointmentColumns are the columns scanAppointment reads, in order.
const appointmentColumns = `id, code, office_id, professional, starts_at, ends_at, status, mode, reason, note,
	first_name, last_name, email, phone, fiscal_code, channel, interpreter_language, accessibility_note,
	sequence, cancel_reason, token_expires_at, created_at`

func scanAppointment(row pgx.Row) (Appointment, error) {
	var a Appointment
	var p, status, mode string
	err := row.Scan(&a.ID, &a.Code, &a.OfficeID, &p, &a.Start, &a.End, &status, &mode, &a.Reason, &a.Note,
		&a.FirstName, &a.LastName, &a.Email, &a.Phone, &a.FiscalCode, &a.Channel, &a.InterpreterLanguage, &a.AccessibilityNote,
		&a.Sequence, &a.CancelReason, &a.TokenExpiresAt, &a.CreatedAt)
	a.Professional, a.Status, a.Mode = booking.Professional(p), booking.Status(status), booking.Mode(mode)
	return a, err
}

// emailLockClass namespaces the advisory locks SubmitDraft takes per
// e-mail address, so they cannot collide with other advisory locks.
const emailLockClass = 7274401

// SubmitDraft turns the draft into an appointment, idempotently: if the
// draft already has one, it is returned with created=false (double click,
// reload, back-button resubmit).
//
// In one transaction it locks the draft row, then the slot's slot_locks
// row, counts the active seats other than the draft's own hold
// (ErrSlotFull when capacity are taken, whether or not the draft's hold
// expired), counts the future active appointments of the e-mail address,
// case-insensitively, under a lock on that address (ErrTooManyActive when
// booking.MaxActiveReached with maxActive), inserts the appointment,
// deletes the hold, links the draft and calls afterInsert (may be nil)
// with the transaction: the web layer enqueues the confirmation e-mail
// there, so that both are committed or neither. If afterInsert fails
// nothing is written.
//
// It returns ErrNotFound for a missing or expired draft and
// ErrDraftIncomplete when the draft lacks office, professional, slot or
// e-mail address.
func (s *Store) SubmitDraft(ctx context.Context, draftID int64, na NewAppointment, capacity, maxActive int, now time.Time,
	afterInsert func(ctx context.Context, tx pgx.Tx, a Appointment) error) (a Appointment, created bool, err error) {
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		created = false
		d, apptID, err := lockDraft(ctx, tx, draftID, now)
		if err != nil {
			return err
		}
		if apptID != nil {
			a, err = scanAppointment(tx.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE id = $1`, *apptID))
			if err != nil {
				return fmt.Errorf("load appointment: %w", err)
			}
			return nil
		}
		if d.OfficeID == 0 || !d.Professional.Valid() || d.SlotStart.IsZero() || !d.SlotEnd.After(d.SlotStart) ||
			d.Applicant.Email == "" {
			return ErrDraftIncomplete
		}
		sl := slotRef{officeID: d.OfficeID, professional: d.Professional, start: d.SlotStart}
		if err := claimSeat(ctx, tx, sl, capacity, now, draftID, 0); err != nil {
			return err
		}
		if err := checkActiveLimit(ctx, tx, d.Applicant.Email, maxActive, now); err != nil {
			return err
		}
		a, err = insertAppointment(ctx, tx, draftID, d, na)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM slot_holds WHERE draft_id = $1`, draftID); err != nil {
			return fmt.Errorf("delete hold: %w", err)
		}
		if _, err := tx.Exec(ctx, `UPDATE booking_drafts SET appointment_id = $2 WHERE id = $1`, draftID, a.ID); err != nil {
			return fmt.Errorf("link draft: %w", err)
		}
		if afterInsert != nil {
			if err := afterInsert(ctx, tx, a); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrTooManyActive), errors.Is(err, ErrDraftIncomplete):
		return Appointment{}, false, err
	case err != nil:
		return Appointment{}, false, fmt.Errorf("store: submit draft %d: %w", draftID, err)
	}
	return a, created, nil
}

// checkActiveLimit returns ErrTooManyActive when the address already has
// maxActive future active appointments. The transaction-scoped advisory
// lock on the address serialises two bookings with the same address for
// different slots, which the slot locks alone would not.
func checkActiveLimit(ctx context.Context, tx pgx.Tx, email string, maxActive int, now time.Time) error {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1, hashtext(lower($2)))`, emailLockClass, email); err != nil {
		return fmt.Errorf("lock e-mail address: %w", err)
	}
	var n int
	err := tx.QueryRow(ctx, `SELECT count(*) FROM appointments WHERE lower(email) = lower($1) AND starts_at > $2
		AND status IN `+activeStatuses, email, now).Scan(&n)
	if err != nil {
		return fmt.Errorf("count active appointments: %w", err)
	}
	if booking.MaxActiveReached(n, maxActive) {
		return ErrTooManyActive
	}
	return nil
}

// insertAppointment inserts the appointment of the draft. A clash of
// booking codes (about 39 random bits each) is retried with a new code
// inside a savepoint.
func insertAppointment(ctx context.Context, tx pgx.Tx, draftID int64, d DraftData, na NewAppointment) (Appointment, error) {
	status := na.Status
	if status == "" {
		status = na.Mode.InitialStatus()
	}
	var interpreter, accessibility *string
	if d.Applicant.NeedsInterpreter {
		interpreter = &d.Applicant.InterpreterLanguage
	}
	if d.Applicant.NeedsAccessibility {
		accessibility = &d.Applicant.AccessibilityNote
	}
	bookingCode := na.Code
	for attempt := 0; ; attempt++ {
		var a Appointment
		err := pgx.BeginFunc(ctx, tx, func(sp pgx.Tx) error {
			var err error
			a, err = scanAppointment(sp.QueryRow(ctx, `INSERT INTO appointments (code, office_id, professional, starts_at, ends_at,
					status, mode, reason, note, first_name, last_name, email, phone, fiscal_code, channel,
					interpreter_language, accessibility_note, manage_token_hash, token_expires_at, draft_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
				RETURNING `+appointmentColumns,
				bookingCode, d.OfficeID, string(d.Professional), d.SlotStart, d.SlotEnd, string(status), string(na.Mode),
				d.Details.Reason, d.Details.Note, d.Applicant.FirstName, d.Applicant.LastName, d.Applicant.Email,
				d.Applicant.Phone, d.Applicant.FiscalCode, d.Applicant.Channel, interpreter, accessibility,
				na.TokenHash, na.TokenExpiresAt, draftID))
			return err
		})
		if state, constraint := pgCode(err); state == "23505" && constraint == "appointments_code_key" && attempt < 5 {
			if bookingCode, err = newBookingCode(); err != nil {
				return Appointment{}, err
			}
			continue
		}
		if err != nil {
			return Appointment{}, fmt.Errorf("insert appointment: %w", err)
		}
		return a, nil
	}
}

// newBookingCode is code.NewBookingCode, a variable so that it can be
// replaced by a test.
var newBookingCode = code.NewBookingCode

// AppointmentByToken returns the appointment whose manage token has the
// hash, or ErrNotFound when there is none, its token expired at or before
// now, or its personal data was erased.
func (s *Store) AppointmentByToken(ctx context.Context, tokenHash []byte, now time.Time) (Appointment, error) {
	a, err := scanAppointment(s.pool.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments
		WHERE manage_token_hash = $1 AND token_expires_at > $2 AND erased_at IS NULL`, tokenHash, now))
	if err != nil {
		return Appointment{}, fmt.Errorf("store: load appointment by token: %w", notFound(err))
	}
	return a, nil
}

// AppointmentByID returns the appointment, or ErrNotFound.
func (s *Store) AppointmentByID(ctx context.Context, id int64) (Appointment, error) {
	a, err := scanAppointment(s.pool.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE id = $1`, id))
	if err != nil {
		return Appointment{}, fmt.Errorf("store: load appointment %d: %w", id, notFound(err))
	}
	return a, nil
}

// lockActiveAppointment takes the appointment row FOR UPDATE and returns
// it, or ErrNotActive when it no longer holds a seat.
func lockActiveAppointment(ctx context.Context, tx pgx.Tx, id int64) (Appointment, error) {
	a, err := scanAppointment(tx.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return Appointment{}, notFound(err)
	}
	if !a.Status.Active() {
		return Appointment{}, ErrNotActive
	}
	return a, nil
}

// CancelAppointment cancels an active appointment (requested or
// confirmed), by the citizen or the office: status annullato, the reason
// recorded, sequence bumped, the seat freed. afterUpdate (may be nil) is
// called with the transaction and the cancelled appointment, e.g. to
// enqueue the e-mail. It returns ErrNotFound or ErrNotActive (already
// cancelled, declined, done …).
func (s *Store) CancelAppointment(ctx context.Context, id int64, reason string,
	afterUpdate func(ctx context.Context, tx pgx.Tx, a Appointment) error) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := lockActiveAppointment(ctx, tx, id); err != nil {
			return err
		}
		var err error
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET status = 'annullato', cancel_reason = $2,
			sequence = sequence + 1, updated_at = now() WHERE id = $1 RETURNING `+appointmentColumns, id, reason))
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if afterUpdate != nil {
			return afterUpdate(ctx, tx, a)
		}
		return nil
	})
	switch {
	case errors.Is(err, ErrNotActive):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: cancel appointment %d: %w", id, err)
	}
	return a, nil
}

// MoveAppointment moves an active appointment to another slot of the same
// office and professional, securing the new slot before releasing the old
// one: in one transaction it locks the appointment, then the new slot's
// slot_locks row, counts the seats taken there at now (ErrSlotFull at
// capacity), then updates the times — which frees the old seat — bumps
// the sequence, clears the reminder (the new day gets its own), shifts
// the token expiry by as much as the start moved, and calls afterUpdate
// (may be nil) with the transaction and the moved appointment. On any
// error the appointment keeps its old slot. Moving to the slot it already
// has changes nothing and does not call afterUpdate. It returns
// ErrNotFound or ErrNotActive for an appointment that cannot move.
func (s *Store) MoveAppointment(ctx context.Context, id int64, start, end time.Time, capacity int, now time.Time,
	afterUpdate func(ctx context.Context, tx pgx.Tx, a Appointment) error) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := lockActiveAppointment(ctx, tx, id)
		if err != nil {
			return err
		}
		if old.Start.Equal(start) && old.End.Equal(end) {
			a = old
			return nil
		}
		if !end.After(start) {
			return fmt.Errorf("end %s not after start %s", end, start)
		}
		sl := slotRef{officeID: old.OfficeID, professional: old.Professional, start: start}
		if err := claimSeat(ctx, tx, sl, capacity, now, 0, id); err != nil {
			return err
		}
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET starts_at = $2, ends_at = $3,
				token_expires_at = token_expires_at + ($2 - starts_at), sequence = sequence + 1,
				reminder_sent_at = NULL, updated_at = now()
			WHERE id = $1 RETURNING `+appointmentColumns, id, start, end))
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if afterUpdate != nil {
			return afterUpdate(ctx, tx, a)
		}
		return nil
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrNotActive):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: move appointment %d: %w", id, err)
	}
	return a, nil
}
