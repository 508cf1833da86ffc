package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/notify"
)

// ErrSlotClosed means the slot is no longer inside the office's opening
// (a closure or a change of hours saved meanwhile): BookForCitizen wrote
// nothing.
var ErrSlotClosed = errors.New("store: slot no longer open")

// StaffBooking is an appointment the staff book on a citizen's behalf, by
// phone or at the desk.
type StaffBooking struct {
	// ActorID is the staff account taking the booking.
	ActorID      int64
	OfficeID     int64
	Professional booking.Professional
	Start, End   time.Time
	// Capacity is the seats of the slot.
	Capacity int
	// Form is what the citizen said, normalised and valid.
	Form booking.StaffForm
	// Code is the booking code (code.NewBookingCode); on a clash a new one
	// is drawn.
	Code string
	// Token is the personal link's secret (code.NewToken), sent in the
	// confirmation e-mail; "" gives no link (no e-mail address).
	Token          string
	TokenExpiresAt time.Time
	// Now is when the booking is made: seats are counted at this instant.
	Now time.Time
}

// BookForCitizen books an appointment on a citizen's behalf, confirmed at
// once, in one transaction with the same guarantees as a citizen's
// booking: the office row is share-locked, so that no closure or change
// of hours commits meanwhile, and the slot must still fit the office's
// opening (ErrSlotClosed); then the slot's lock is taken and its seats
// counted, holds of citizens who are filling in the form included
// (ErrSlotFull at b.Capacity). The appointment records who booked it
// (Appointment.BookedByStaffID), the audit log the same (no personal
// data), and when the citizen gave an e-mail address the
// notify.BookedByOffice e-mail with the personal link goes to the
// outbox. The limit of active appointments per e-mail address does not
// apply: the office decides.
func (s *Store) BookForCitizen(ctx context.Context, b StaffBooking) (Appointment, error) {
	if b.Form.Email != "" && b.Token == "" {
		return Appointment{}, errors.New("store: book for citizen: an e-mail address needs a personal link token")
	}
	if !b.End.After(b.Start) {
		return Appointment{}, fmt.Errorf("store: book for citizen: end %s not after start %s", b.End, b.Start)
	}
	token := b.Token
	if b.Form.Email == "" {
		token = ""
	}
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var one int
		if err := tx.QueryRow(ctx, `SELECT 1 FROM offices WHERE id = $1 FOR SHARE`, b.OfficeID).Scan(&one); err != nil {
			return notFound(err)
		}
		opening, _, err := officeOpening(ctx, tx, b.OfficeID)
		if err != nil {
			return err
		}
		if opening.Check(b.Professional, b.Start, b.End) != "" {
			return ErrSlotClosed
		}
		if err := claimSeat(ctx, tx, slotRef{officeID: b.OfficeID, professional: b.Professional, start: b.Start},
			b.Capacity, b.Now, 0, 0); err != nil {
			return err
		}
		f := b.Form
		d := DraftData{OfficeID: b.OfficeID, Professional: b.Professional, SlotStart: b.Start, SlotEnd: b.End,
			Details: booking.DetailsForm{Reason: f.Reason, Note: f.Note},
			Applicant: booking.ApplicantForm{FirstName: f.FirstName, LastName: f.LastName, Email: f.Email, Phone: f.Phone,
				Channel: f.Channel, NeedsInterpreter: f.NeedsInterpreter, InterpreterLanguage: f.InterpreterLanguage,
				NeedsAccessibility: f.NeedsAccessibility, AccessibilityNote: f.AccessibilityNote}}
		inserted, err := insertAppointment(ctx, tx, 0, d, NewAppointment{Code: b.Code, Token: token,
			TokenExpiresAt: b.TokenExpiresAt, Status: booking.StatusConfirmed, Mode: booking.ModeInstant, Lang: f.Language})
		if err != nil {
			return err
		}
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET booked_by_staff_id = nullif($2::bigint, 0)
			WHERE id = $1 RETURNING `+appointmentColumns, inserted.ID, b.ActorID))
		if err != nil {
			return fmt.Errorf("record who booked: %w", err)
		}
		after := auditAppointment(a)
		after["booked_by_staff"] = true
		if err := Audit(ctx, tx, AuditEntry{UserID: b.ActorID, Action: "appointment_book", Entity: "appointment", EntityID: a.ID,
			After: after}); err != nil {
			return err
		}
		return s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.BookedByOffice, Appointment: a.Notice(),
			Token: token, At: b.Now})
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrSlotClosed), errors.Is(err, ErrNotFound):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: book for citizen at office %d: %w", b.OfficeID, err)
	}
	return a, nil
}
