package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/notify"
)

// The staff of an office handle its appointments: every function here is
// scoped to one office (an appointment of another office is ErrNotFound)
// and every change is written in one transaction with its audit entry.
// Audit entries name the appointment by id and booking code and record
// status and times only: never the citizen's personal data.

// ErrTransition means the appointment's status does not allow the change
// asked for (booking.Status.CanTransition): for example confirming an
// appointment that the citizen has just cancelled.
var ErrTransition = errors.New("store: status change not allowed")

// maxAppointmentRows bounds a list when the filter sets no limit.
const maxAppointmentRows = 5000

// AppointmentFilter selects the appointments of one office; zero fields
// do not filter.
type AppointmentFilter struct {
	OfficeID int64
	// From and To bound the start of the appointments: From included, To
	// excluded.
	From, To     time.Time
	Professional booking.Professional
	// Statuses keeps only appointments in one of them.
	Statuses []booking.Status
	// PendingFirst puts the requests awaiting confirmation before the
	// others; within each group appointments are ordered by start.
	PendingFirst bool
	// Limit is the most rows returned; 0 means 5000.
	Limit int
}

// where returns the SQL condition and arguments of f.
func (f AppointmentFilter) where() (string, []any) {
	conds := []string{"office_id = $1"}
	args := []any{f.OfficeID}
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if !f.From.IsZero() {
		add("starts_at >= ?", f.From)
	}
	if !f.To.IsZero() {
		add("starts_at < ?", f.To)
	}
	if f.Professional != "" {
		add("professional = ?", string(f.Professional))
	}
	if len(f.Statuses) > 0 {
		st := make([]string, len(f.Statuses))
		for i, s := range f.Statuses {
			st[i] = string(s)
		}
		add("status = ANY(?)", st)
	}
	return strings.Join(conds, " AND "), args
}

// listAppointments runs the query of f on q.
func listAppointments(ctx context.Context, q staffQuerier, f AppointmentFilter) ([]Appointment, error) {
	cond, args := f.where()
	order := "starts_at, id"
	if f.PendingFirst {
		order = "status <> 'richiesta', " + order
	}
	limit := f.Limit
	if limit <= 0 {
		limit = maxAppointmentRows
	}
	args = append(args, limit)
	rows, err := q.Query(ctx, `SELECT `+appointmentColumns+` FROM appointments WHERE `+cond+
		` ORDER BY `+order+` LIMIT $`+strconv.Itoa(len(args)), args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (Appointment, error) { return scanAppointment(row) })
}

// OfficeAppointments returns the appointments of f.OfficeID that match f,
// by start (requests first with PendingFirst).
func (s *Store) OfficeAppointments(ctx context.Context, f AppointmentFilter) ([]Appointment, error) {
	out, err := listAppointments(ctx, s.pool, f)
	if err != nil {
		return nil, fmt.Errorf("store: list appointments of office %d: %w", f.OfficeID, err)
	}
	return out, nil
}

// ExportOfficeAppointments is OfficeAppointments for a download: in the
// same transaction it records in the audit log that actorID exported the
// office's appointments of the period (the filter and the number of rows,
// not their content).
func (s *Store) ExportOfficeAppointments(ctx context.Context, actorID int64, f AppointmentFilter) ([]Appointment, error) {
	var out []Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var err error
		if out, err = listAppointments(ctx, tx, f); err != nil {
			return err
		}
		after := map[string]any{"rows": len(out)}
		if !f.From.IsZero() {
			after["from"] = f.From
		}
		if !f.To.IsZero() {
			after["to"] = f.To
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "appointment_export", Entity: "office", EntityID: f.OfficeID, After: after})
	})
	if err != nil {
		return nil, fmt.Errorf("store: export appointments of office %d: %w", f.OfficeID, err)
	}
	return out, nil
}

// OfficeAppointment returns appointment id if it belongs to office
// officeID, else ErrNotFound.
func (s *Store) OfficeAppointment(ctx context.Context, officeID, id int64) (Appointment, error) {
	a, err := scanAppointment(s.pool.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments
		WHERE id = $1 AND office_id = $2`, id, officeID))
	if err != nil {
		return Appointment{}, fmt.Errorf("store: load appointment %d of office %d: %w", id, officeID, notFound(err))
	}
	return a, nil
}

// StatusChange is a change of an appointment's status made by staff.
type StatusChange struct {
	// ActorID is the staff account making the change.
	ActorID  int64
	OfficeID int64
	// AppointmentID must belong to OfficeID.
	AppointmentID int64
	To            booking.Status
	// Reason is recorded as the cancel reason when To is annullato or
	// rifiutato; it is told to the citizen, never written in the audit
	// log.
	Reason string
	// Check, if set, is called with the locked appointment after the
	// status rule passed: a non-nil error (returned as is) stops the
	// change, e.g. marking as done an appointment that has not started.
	Check func(a Appointment) error
	// Now is when the change is made: it stamps the e-mail's calendar
	// file.
	Now time.Time
}

// ChangeAppointmentStatus changes the status of an appointment of the
// office, in one transaction: it locks the row, checks
// booking.Status.CanTransition (ErrTransition) and c.Check, updates the
// status (and the reason for a cancellation or a refusal), bumps the
// sequence when the citizen's calendar entry changes (everything but done
// and no-show), writes the audit entry and hands the citizen's e-mail to
// the outbox (see Notifies): confirming a request also gives it a new
// personal link, sent in that e-mail, because the old one is known only
// by its hash. It returns ErrNotFound for an appointment of another
// office.
func (s *Store) ChangeAppointmentStatus(ctx context.Context, c StatusChange) (Appointment, error) {
	var a Appointment
	var checkErr error
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, err := scanAppointment(tx.QueryRow(ctx, `SELECT `+appointmentColumns+` FROM appointments
			WHERE id = $1 AND office_id = $2 FOR UPDATE`, c.AppointmentID, c.OfficeID))
		if err != nil {
			return notFound(err)
		}
		if !old.Status.CanTransition(c.To) {
			return ErrTransition
		}
		if c.Check != nil {
			if checkErr = c.Check(old); checkErr != nil {
				return checkErr
			}
		}
		reason := old.CancelReason
		if c.To == booking.StatusCancelled || c.To == booking.StatusDeclined {
			reason = c.Reason
		}
		bump := 1
		if c.To == booking.StatusDone || c.To == booking.StatusNoShow {
			bump = 0
		}
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET status = $2, cancel_reason = $3,
				cancelled_by = CASE WHEN $2 = 'annullato' THEN 'ufficio' ELSE cancelled_by END,
				sequence = sequence + $4, updated_at = now()
			WHERE id = $1 RETURNING `+appointmentColumns, old.ID, string(c.To), reason, bump))
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		if err := Audit(ctx, tx, AuditEntry{UserID: c.ActorID, Action: statusAuditAction(c.To), Entity: "appointment", EntityID: a.ID,
			Before: auditAppointment(old), After: auditAppointment(a)}); err != nil {
			return err
		}
		e := notify.Event{Appointment: a.Notice(), At: c.Now}
		switch c.To {
		case booking.StatusConfirmed:
			e.Kind = notify.Confirmed
			if e.Token, err = rotateManageToken(ctx, tx, a); err != nil {
				return err
			}
		case booking.StatusDeclined:
			e.Kind, e.Reason = notify.Declined, c.Reason
		case booking.StatusCancelled:
			e.Kind, e.Reason = notify.Cancelled, c.Reason
		default:
			return nil
		}
		return s.enqueueEvent(ctx, tx, a.OfficeID, e)
	})
	switch {
	case checkErr != nil:
		return Appointment{}, checkErr
	case errors.Is(err, ErrTransition), errors.Is(err, ErrNotFound):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: change status of appointment %d: %w", c.AppointmentID, err)
	}
	return a, nil
}

// statusAuditAction names the audit action of a change to status to.
func statusAuditAction(to booking.Status) string {
	switch to {
	case booking.StatusConfirmed:
		return "appointment_confirm"
	case booking.StatusDeclined:
		return "appointment_decline"
	case booking.StatusCancelled:
		return "appointment_cancel"
	case booking.StatusDone:
		return "appointment_done"
	case booking.StatusNoShow:
		return "appointment_no_show"
	}
	return "appointment_status"
}

// auditAppointment is what the audit log keeps of an appointment: its
// code, status and times, nothing about the citizen.
func auditAppointment(a Appointment) map[string]any {
	return map[string]any{"code": a.Code, "status": string(a.Status), "starts_at": a.Start, "ends_at": a.End}
}

// Notifies reports whether changing an appointment to status to e-mails
// its citizen (confirmation, refusal, cancellation): such a change needs
// the citizen's address, gone once the personal data is erased.
func Notifies(to booking.Status) bool {
	return to == booking.StatusConfirmed || to == booking.StatusDeclined || to == booking.StatusCancelled
}

// Proposal is staff moving an appointment to a time they propose.
type Proposal struct {
	// ActorID is the staff account making the proposal.
	ActorID  int64
	OfficeID int64
	// AppointmentID must belong to OfficeID.
	AppointmentID int64
	Start, End    time.Time
	// Capacity is the seats of the new slot.
	Capacity int
	// Now is when the proposal is made: seats are counted and the e-mail
	// stamped at this instant.
	Now time.Time
}

// ProposeAppointmentTime moves an active appointment of the office to the
// time staff propose and confirms it, in one transaction: the new seat is
// secured before the old one is released (see MoveAppointment), a request
// becomes confirmed (a confirmed appointment stays so), the move is
// audited as p.ActorID's, the appointment gets a new personal link and
// the notify.Proposed event carrying it is handed to the outbox. A full
// slot (ErrSlotFull) changes nothing; proposing the time the appointment
// already has changes nothing either. It returns ErrNotFound for an
// appointment of another office, ErrNotActive or ErrTransition for one
// that can no longer change.
func (s *Store) ProposeAppointmentTime(ctx context.Context, p Proposal) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var officeID int64
		if err := tx.QueryRow(ctx, `SELECT office_id FROM appointments WHERE id = $1`, p.AppointmentID).Scan(&officeID); err != nil {
			return notFound(err)
		}
		if officeID != p.OfficeID {
			return ErrNotFound
		}
		old, moved, err := moveSeat(ctx, tx, p.AppointmentID, p.Start, p.End, p.Capacity, p.Now)
		a = moved
		if err != nil || moved.Sequence == old.Sequence { // not moved
			return err
		}
		if a, err = confirmProposal(ctx, tx, p.ActorID, moved, old.Start, old.End); err != nil {
			return err
		}
		token, err := rotateManageToken(ctx, tx, a)
		if err != nil {
			return err
		}
		return s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.Proposed, Appointment: a.Notice(),
			PreviousStart: old.Start, PreviousEnd: old.End, Token: token, At: p.Now})
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrSlotClosed), errors.Is(err, ErrNotActive), errors.Is(err, ErrTransition), errors.Is(err, ErrNotFound):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: propose a time for appointment %d: %w", p.AppointmentID, err)
	}
	return a, nil
}

// confirmProposal is called, inside the transaction of
// ProposeAppointmentTime, once appointment a is at its new times
// (previously at oldStart–oldEnd): a request becomes confirmed (a
// confirmed appointment stays so), and the move is audited as actorID's.
// It returns the appointment as updated, or ErrTransition when a is no
// longer active.
func confirmProposal(ctx context.Context, tx pgx.Tx, actorID int64, a Appointment, oldStart, oldEnd time.Time) (Appointment, error) {
	before := auditAppointment(a)
	before["starts_at"], before["ends_at"] = oldStart, oldEnd
	if a.Status != booking.StatusConfirmed {
		if !a.Status.CanTransition(booking.StatusConfirmed) {
			return Appointment{}, ErrTransition
		}
		var err error
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET status = 'confermato', updated_at = now()
			WHERE id = $1 RETURNING `+appointmentColumns, a.ID))
		if err != nil {
			return Appointment{}, fmt.Errorf("confirm proposal: %w", err)
		}
	}
	if err := Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "appointment_propose", Entity: "appointment", EntityID: a.ID,
		Before: before, After: auditAppointment(a)}); err != nil {
		return Appointment{}, err
	}
	return a, nil
}

// rotateManageToken gives appointment a a new personal link, inside tx,
// valid until booking.LinkGrace after its end, and returns the link's
// token for the e-mail. The token is stored only as a hash, so a message
// sent later cannot repeat the old link: it sends the new one, and the old
// one stops working at commit.
func rotateManageToken(ctx context.Context, tx pgx.Tx, a Appointment) (string, error) {
	token, hash, err := code.NewToken()
	if err != nil {
		return "", err
	}
	tag, err := tx.Exec(ctx, `UPDATE appointments SET manage_token_hash = $2, token_expires_at = $3, updated_at = now()
		WHERE id = $1`, a.ID, hash, a.End.Add(booking.LinkGrace))
	if err != nil {
		return "", fmt.Errorf("renew personal link: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return "", fmt.Errorf("renew personal link: %w", ErrNotFound)
	}
	return token, nil
}
