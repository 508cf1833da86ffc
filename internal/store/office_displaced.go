package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/notify"
)

// A change of an office's timetable — a closure, new weekly hours, new
// booking windows — may leave booked citizens outside the opening. Such a
// change never just happens: inside its transaction the store finds the
// active future appointments that no longer fit the new opening
// (booking.Opening.Check) and either refuses the change, returning them
// (*DisplacedError, nothing written), or — when the staff have seen
// exactly those and decided what to do (Decision) — cancels them or asks
// their citizens to choose another time, in the same transaction as the
// change, each audited and with its e-mail in the outbox.
//
// The appointments the office has already asked to move
// (Appointment.MoveRequestedAt) are not displaced again: their citizens
// have been told.

// DisplaceAction is what to do with the appointments a change displaces.
type DisplaceAction string

// The actions on displaced appointments; the values are those of the
// staff form.
const (
	// DisplaceCancel cancels the appointments (status annullato, the
	// office's message as the reason): the citizens get the cancellation
	// and the link to book again.
	DisplaceCancel DisplaceAction = "annulla"
	// DisplaceMove keeps the appointments active, flagged as to be moved
	// (Appointment.MoveRequestedAt), and gives each a new personal link:
	// the citizens get the office's message and the link to the page
	// where they choose another time. Their reminder is not sent.
	DisplaceMove DisplaceAction = "sposta"
)

// Valid reports whether a is one of the actions.
func (a DisplaceAction) Valid() bool { return a == DisplaceCancel || a == DisplaceMove }

// MaxOfficeMessageLength bounds the office's message to displaced
// citizens, in characters (the office_message column allows 1000).
const MaxOfficeMessageLength = 500

// Displaced is an active appointment that does not fit the office's
// opening, and why.
type Displaced struct {
	Appointment
	Why booking.Misfit
}

// DisplacedError is returned, with nothing written, by a timetable change
// that would leave active future appointments outside the opening when
// the change carries no Decision covering every one of them (none yet, or
// new ones were booked since the staff saw the list).
type DisplacedError struct {
	// Appointments are the displaced appointments, by start.
	Appointments []Displaced
}

func (e *DisplacedError) Error() string {
	return fmt.Sprintf("store: the change leaves %d active appointments outside the opening", len(e.Appointments))
}

// Decision is what the staff decided about the displaced appointments
// they were shown.
type Decision struct {
	// Seen are the ids of the appointments shown. The change goes ahead
	// only if every appointment it displaces is among them; one no longer
	// displaced (cancelled meanwhile) is left alone.
	Seen   []int64
	Action DisplaceAction
	// Message is the office's explanation, told to the citizens; at most
	// MaxOfficeMessageLength characters.
	Message string
}

// TimetableChange is who changes an office's timetable, when, and what to
// do with the appointments the change leaves outside the opening.
type TimetableChange struct {
	// ActorID is the staff account; 0 for the command line.
	ActorID  int64
	OfficeID int64
	// Now is when the change is made: appointments starting after it are
	// checked, and the e-mails are stamped with it.
	Now time.Time
	// Decision is nil until the staff have seen the displaced appointments.
	Decision *Decision
}

// ChangeOutcome is what a timetable change did.
type ChangeOutcome struct {
	// Changed is false when the change was already in place (the same
	// weekly hours): nothing was written.
	Changed bool
	// Cancelled and MoveRequested are the appointments the change
	// displaced, as left by it.
	Cancelled, MoveRequested []Appointment
	// Calls is how many of them the staff must phone (see CallsDue).
	Calls int
}

// changeTimetable runs apply (which locks the office row and writes the
// change with its audit entry) and resolves the appointments the change
// displaces, in one transaction; see the comment at the top of the file.
// apply returning errUnchanged rolls back and gives Changed false.
func (s *Store) changeTimetable(ctx context.Context, ch TimetableChange, cause string, apply func(tx pgx.Tx) error) (ChangeOutcome, error) {
	if d := ch.Decision; d != nil && (!d.Action.Valid() || len([]rune(d.Message)) > MaxOfficeMessageLength) {
		return ChangeOutcome{}, fmt.Errorf("store: invalid decision %q (%d characters)", d.Action, len([]rune(d.Message)))
	}
	var out ChangeOutcome
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		out = ChangeOutcome{}
		if err := apply(tx); err != nil {
			return err
		}
		out.Changed = true
		opening, online, err := officeOpening(ctx, tx, ch.OfficeID)
		if err != nil {
			return err
		}
		displaced, err := displacedAppointments(ctx, tx, ch.OfficeID, opening, ch.Now, true)
		if err != nil {
			return err
		}
		if len(displaced) == 0 {
			return nil
		}
		if ch.Decision == nil || slices.ContainsFunc(displaced, func(d Displaced) bool { return !slices.Contains(ch.Decision.Seen, d.ID) }) {
			return &DisplacedError{Appointments: displaced}
		}
		for _, d := range displaced {
			a, call, err := s.resolveDisplaced(ctx, tx, ch, cause, d, online[d.Professional])
			if err != nil {
				return fmt.Errorf("resolve appointment %d: %w", d.ID, err)
			}
			if ch.Decision.Action == DisplaceCancel {
				out.Cancelled = append(out.Cancelled, a)
			} else {
				out.MoveRequested = append(out.MoveRequested, a)
			}
			if call {
				out.Calls++
			}
		}
		return nil
	})
	var de *DisplacedError
	switch {
	case errors.Is(err, errUnchanged):
		return ChangeOutcome{}, nil
	case errors.As(err, &de):
		return ChangeOutcome{}, de
	case err != nil:
		return ChangeOutcome{}, err
	}
	return out, nil
}

// officeOpening loads, inside tx, what decides whether the office can
// receive an appointment (booking.Opening), and which professionals
// citizens can book online (their settings are enabled).
func officeOpening(ctx context.Context, tx pgx.Tx, officeID int64) (booking.Opening, map[booking.Professional]bool, error) {
	var istat string
	if err := tx.QueryRow(ctx, `SELECT seat_istat FROM offices WHERE id = $1`, officeID).Scan(&istat); err != nil {
		return booking.Opening{}, nil, notFound(err)
	}
	t, err := officeTimetable(ctx, tx, officeID)
	if err != nil {
		return booking.Opening{}, nil, err
	}
	sched := hours.Schedule{Weekly: t.Hours, ISTAT: istat}
	for _, c := range t.Closures {
		sched.Closures = append(sched.Closures, c.Closure)
	}
	for _, so := range t.Specials {
		sched.Specials = append(sched.Specials, so.SpecialOpening)
	}
	o := booking.Opening{Schedule: sched, Windows: map[booking.Professional][]hours.Interval{}}
	online := map[booking.Professional]bool{}
	rows, err := tx.Query(ctx, `SELECT professional, enabled FROM booking_settings WHERE office_id = $1`, officeID)
	if err != nil {
		return booking.Opening{}, nil, err
	}
	var p string
	var enabled bool
	if _, err := pgx.ForEachRow(rows, []any{&p, &enabled}, func() error {
		o.Windows[booking.Professional(p)] = []hours.Interval{}
		online[booking.Professional(p)] = enabled
		return nil
	}); err != nil {
		return booking.Opening{}, nil, err
	}
	rows, err = tx.Query(ctx, `SELECT professional, weekday, start_min, end_min FROM booking_windows WHERE office_id = $1`, officeID)
	if err != nil {
		return booking.Opening{}, nil, err
	}
	var wd int16
	var start, end int32
	if _, err := pgx.ForEachRow(rows, []any{&p, &wd, &start, &end}, func() error {
		pr := booking.Professional(p)
		o.Windows[pr] = append(o.Windows[pr], hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end)})
		return nil
	}); err != nil {
		return booking.Opening{}, nil, err
	}
	return o, online, nil
}

// displacedAppointments returns the office's active appointments starting
// after now that do not fit o, by start, leaving out those already asked
// to move; lock takes them FOR UPDATE.
func displacedAppointments(ctx context.Context, tx pgx.Tx, officeID int64, o booking.Opening, now time.Time, lock bool) ([]Displaced, error) {
	q := `SELECT ` + appointmentColumns + ` FROM appointments WHERE office_id = $1 AND starts_at > $2
		AND status IN ` + activeStatuses + ` AND move_requested_at IS NULL ORDER BY starts_at, id`
	if lock {
		q += ` FOR UPDATE`
	}
	rows, err := tx.Query(ctx, q, officeID, now)
	if err != nil {
		return nil, err
	}
	active, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Appointment, error) { return scanAppointment(row) })
	if err != nil {
		return nil, err
	}
	var out []Displaced
	for _, a := range active {
		if why := o.Check(a.Professional, a.Start, a.End); why != "" {
			out = append(out, Displaced{Appointment: a, Why: why})
		}
	}
	return out, nil
}

// NeedsCall reports whether the staff must phone the citizen of a about
// a change of their appointment: they asked to be contacted by phone, or
// gave no e-mail address.
func NeedsCall(a Appointment) bool {
	return a.Phone != "" && (a.Channel == booking.ChannelPhone || a.Email == "")
}

// resolveDisplaced applies the decision of ch to the displaced
// appointment d inside tx, audited as caused by cause, with its e-mail
// handed to the outbox. online says whether citizens can book d's
// professional online: a citizen asked to move an appointment they
// cannot move online must be called. It returns the appointment as
// updated and whether a call is due.
func (s *Store) resolveDisplaced(ctx context.Context, tx pgx.Tx, ch TimetableChange, cause string, d Displaced,
	online bool) (Appointment, bool, error) {
	dec := ch.Decision
	call := NeedsCall(d.Appointment) || (dec.Action == DisplaceMove && !online && d.Phone != "")
	var callAt *time.Time
	if call {
		callAt = &ch.Now
	}
	after := func(a Appointment) map[string]any {
		m := auditAppointment(a)
		m["cause"], m["why"] = cause, string(d.Why)
		return m
	}
	if dec.Action == DisplaceCancel {
		a, err := scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET status = 'annullato', cancel_reason = $2,
				office_message = $2, sequence = sequence + 1, call_due_at = $3, updated_at = now()
			WHERE id = $1 RETURNING `+appointmentColumns, d.ID, dec.Message, callAt))
		if err != nil {
			return Appointment{}, false, err
		}
		if err := Audit(ctx, tx, AuditEntry{UserID: ch.ActorID, Action: "appointment_cancel", Entity: "appointment", EntityID: a.ID,
			Before: auditAppointment(d.Appointment), After: after(a)}); err != nil {
			return Appointment{}, false, err
		}
		return a, call, s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.Cancelled, Appointment: a.Notice(),
			Reason: dec.Message, At: ch.Now})
	}
	a, err := scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET move_requested_at = $2, office_message = $3,
			call_due_at = $4, updated_at = now()
		WHERE id = $1 RETURNING `+appointmentColumns, d.ID, ch.Now, dec.Message, callAt))
	if err != nil {
		return Appointment{}, false, err
	}
	if err := Audit(ctx, tx, AuditEntry{UserID: ch.ActorID, Action: "appointment_move_request", Entity: "appointment", EntityID: a.ID,
		Before: auditAppointment(d.Appointment), After: after(a)}); err != nil {
		return Appointment{}, false, err
	}
	if a.Email == "" {
		return a, call, nil
	}
	token, err := rotateManageToken(ctx, tx, a)
	if err != nil {
		return Appointment{}, false, err
	}
	return a, call, s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.MoveRequested, Appointment: a.Notice(),
		Reason: dec.Message, Token: token, At: ch.Now})
}

// DisplacedAppointments returns the office's active appointments starting
// after now that do not fit its current opening and that the office has
// not asked to move yet, by start. There are none as long as every change
// of the timetable goes through this file; they can come from an import
// of the office's hours or from a booking committed in the same instant
// as a closure. ResolveDisplaced deals with them.
func (s *Store) DisplacedAppointments(ctx context.Context, officeID int64, now time.Time) ([]Displaced, error) {
	var out []Displaced
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		o, _, err := officeOpening(ctx, tx, officeID)
		if err != nil {
			return err
		}
		out, err = displacedAppointments(ctx, tx, officeID, o, now, false)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: displaced appointments of office %d: %w", officeID, err)
	}
	return out, nil
}

// ResolveDisplaced applies ch.Decision to the appointments
// DisplacedAppointments returns, without changing the timetable, in one
// transaction under the office's lock: a *DisplacedError (nothing
// written) when some are not among those seen. ErrNotFound for a missing
// office.
func (s *Store) ResolveDisplaced(ctx context.Context, ch TimetableChange) (ChangeOutcome, error) {
	out, err := s.changeTimetable(ctx, ch, "displaced", func(tx pgx.Tx) error { return lockOffice(ctx, tx, ch.OfficeID) })
	var de *DisplacedError
	if err != nil && !errors.As(err, &de) {
		return ChangeOutcome{}, fmt.Errorf("store: resolve displaced appointments of office %d: %w", ch.OfficeID, err)
	}
	return out, err
}

// lockOffice takes the office row for the rest of tx without changing
// it, so that timetable changes and staff bookings of the office run one
// after the other. ErrNotFound if there is no office.
func lockOffice(ctx context.Context, tx pgx.Tx, officeID int64) error {
	var one int
	if err := tx.QueryRow(ctx, `SELECT 1 FROM offices WHERE id = $1 FOR NO KEY UPDATE`, officeID).Scan(&one); err != nil {
		return notFound(err)
	}
	return nil
}

// CallsDue returns the appointments of the office whose citizen the staff
// must phone about a closure or a change of hours (Appointment.CallDueAt),
// oldest call first, then by start.
func (s *Store) CallsDue(ctx context.Context, officeID int64) ([]Appointment, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+appointmentColumns+` FROM appointments
		WHERE office_id = $1 AND call_due_at IS NOT NULL AND erased_at IS NULL ORDER BY call_due_at, starts_at, id`, officeID)
	if err != nil {
		return nil, fmt.Errorf("store: calls due at office %d: %w", officeID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Appointment, error) { return scanAppointment(row) })
	if err != nil {
		return nil, fmt.Errorf("store: calls due at office %d: %w", officeID, err)
	}
	return out, nil
}

// MarkCalled records that actorID phoned the citizen of appointment id of
// office officeID: the call is no longer due. Audited. ErrNotFound for an
// appointment of another office or without a call due.
func (s *Store) MarkCalled(ctx context.Context, actorID, officeID, id int64) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET call_due_at = NULL, updated_at = now()
			WHERE id = $1 AND office_id = $2 AND call_due_at IS NOT NULL RETURNING `+appointmentColumns, id, officeID))
		if err != nil {
			return notFound(err)
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "appointment_called", Entity: "appointment", EntityID: a.ID,
			After: auditAppointment(a)})
	})
	if err != nil {
		return Appointment{}, fmt.Errorf("store: mark appointment %d called: %w", id, err)
	}
	return a, nil
}
