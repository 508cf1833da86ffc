package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/code"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/notify"
)

// NewAppointment is what SubmitDraft needs besides the draft.
type NewAppointment struct {
	// Code is the booking code (code.NewBookingCode). If another
	// appointment already has it, SubmitDraft draws a new one: use the
	// Code of the returned Appointment.
	Code string
	// Token is the secret of the citizen's personal link (code.NewToken).
	// Only its hash (code.HashToken) is stored; the token itself goes to
	// the confirmation e-mail, through the outbox.
	Token string
	// TokenExpiresAt is when the personal link stops working, some time
	// after the appointment. MoveAppointment shifts it with the
	// appointment.
	TokenExpiresAt time.Time
	// Status is the initial status; "" means Mode.InitialStatus().
	Status booking.Status
	Mode   booking.Mode
	// Lang is the language the citizen booked in: the e-mails, calendar
	// files and personal page of the appointment are written in it. ""
	// is the default language (i18n.Default).
	Lang i18n.Lang
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
	// Lang is the appointment's language (see NewAppointment.Lang).
	Lang i18n.Lang

	// Erased says the personal data was erased at the end of the
	// retention period. A booking taken by the staff may have no e-mail
	// address, so an empty Email does not mean erased.
	Erased bool
	// BookedByStaffID is the staff account that booked the appointment on
	// the citizen's behalf (BookForCitizen); 0 when the citizen booked
	// online.
	BookedByStaffID int64
	// MoveRequestedAt is set while the office asks the citizen to choose
	// another time (a closure or a change of hours left the appointment
	// outside the opening, see TimetableChange); OfficeMessage is the
	// office's explanation.
	MoveRequestedAt *time.Time
	OfficeMessage   string
	// CallDueAt is set while the staff must phone the citizen about such a
	// change (see CallsDue).
	CallDueAt *time.Time
}

// appointmentColumns are the columns scanAppointment reads, in order.
const appointmentColumns = `id, code, office_id, professional, starts_at, ends_at, status, mode, reason, note,
	first_name, last_name, email, phone, fiscal_code, channel, interpreter_language, accessibility_note,
	sequence, cancel_reason, token_expires_at, created_at,
	erased_at IS NOT NULL, coalesce(booked_by_staff_id, 0), move_requested_at, office_message, call_due_at, language`

func scanAppointment(row pgx.Row) (Appointment, error) {
	var a Appointment
	var p, status, mode, lang string
	err := row.Scan(&a.ID, &a.Code, &a.OfficeID, &p, &a.Start, &a.End, &status, &mode, &a.Reason, &a.Note,
		&a.FirstName, &a.LastName, &a.Email, &a.Phone, &a.FiscalCode, &a.Channel, &a.InterpreterLanguage, &a.AccessibilityNote,
		&a.Sequence, &a.CancelReason, &a.TokenExpiresAt, &a.CreatedAt,
		&a.Erased, &a.BookedByStaffID, &a.MoveRequestedAt, &a.OfficeMessage, &a.CallDueAt, &lang)
	a.Professional, a.Status, a.Mode, a.Lang = booking.Professional(p), booking.Status(status), booking.Mode(mode), i18n.Lang(lang)
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
// deletes the hold, links the draft and hands the notify.Booked event (with
// the personal link's token) to the outbox: the appointment and its
// confirmation e-mail are committed together or not at all. If the outbox
// fails nothing is written.
//
// The statements are pipelined (pgx batches) in three round trips besides
// BEGIN, the outbox and COMMIT: the draft; the locks and counts; the
// writes. Pipelining changes nothing of their meaning: PostgreSQL runs
// them one after the other, each with its own snapshot, so every count
// still follows the lock it depends on; it only spares the waits between
// them, during which the locks were held.
//
// It returns ErrNotFound for a missing or expired draft and
// ErrDraftIncomplete when the draft lacks office, professional, slot or
// e-mail address.
func (s *Store) SubmitDraft(ctx context.Context, draftID int64, na NewAppointment, capacity, maxActive int,
	now time.Time) (a Appointment, created bool, err error) {
	if na.Token == "" {
		return Appointment{}, false, fmt.Errorf("store: submit draft %d: no personal link token", draftID)
	}
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
		recent, err := claimSeatAndAddress(ctx, tx, sl, capacity, now, draftID, d.Applicant.Email, maxActive)
		if err != nil {
			return err
		}
		if recent {
			if err := checkSlotOpen(ctx, tx, d.OfficeID, d.Professional, d.SlotStart, d.SlotEnd); err != nil {
				return err
			}
		}
		var office notify.Office
		a, office, err = writeAppointment(ctx, tx, draftID, d, na)
		if err != nil {
			return err
		}
		if s.outbox != nil {
			if err := s.notifyOutbox(ctx, tx, office, notify.Event{Kind: notify.Booked, Appointment: a.Notice(),
				Token: na.Token, At: now}); err != nil {
				return err
			}
		}
		created = true
		return nil
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrTooManyActive), errors.Is(err, ErrDraftIncomplete), errors.Is(err, ErrSlotClosed):
		return Appointment{}, false, err
	case err != nil:
		return Appointment{}, false, fmt.Errorf("store: submit draft %d: %w", draftID, err)
	}
	return a, created, nil
}

// TimetableSettle is how long after a change of an office's timetable a
// citizen's submit checks its time against the opening read in its own
// transaction. Longer than the web's office cache can lag behind a change
// (web.Options.OfficeCacheTTL, 60 seconds by default, when a change
// notification is lost): past it, the web's own check of the time, made
// just before the submit, saw the change.
const TimetableSettle = 2 * time.Minute

// lockOfficeTimetableSQL share-locks office $1, so that a change of its
// timetable in flight commits first (migrations/00015_timetable_changed.sql),
// and tells whether the timetable changed within $2 seconds.
const lockOfficeTimetableSQL = `SELECT timetable_changed_at > now() - make_interval(secs => $2) FROM offices WHERE id = $1 FOR SHARE`

// lockOfficeTimetable share-locks office officeID for the rest of tx and
// reports whether its timetable changed within TimetableSettle. Both
// instants are the database's clock, which stamps the changes.
func lockOfficeTimetable(ctx context.Context, tx pgx.Tx, officeID int64) (recent bool, err error) {
	err = tx.QueryRow(ctx, lockOfficeTimetableSQL, officeID, TimetableSettle.Seconds()).Scan(&recent)
	if err != nil {
		return false, fmt.Errorf("lock office: %w", notFound(err))
	}
	return recent, nil
}

// checkSlotOpen reads the office's opening in tx: ErrSlotClosed when
// start–end of professional p is outside it.
func checkSlotOpen(ctx context.Context, tx pgx.Tx, officeID int64, p booking.Professional, start, end time.Time) error {
	opening, _, err := officeOpening(ctx, tx, officeID)
	if err != nil {
		return err
	}
	if opening.Check(p, start, end) != "" {
		return ErrSlotClosed
	}
	return nil
}

// claimSeatAndAddress is lockOfficeTimetable, claimSeat and
// checkActiveLimit, in one round trip, in the order of a timetable change
// (the office, then the slot): it share-locks the office and reports
// whether its timetable changed recently, locks the slot (creating its slot_locks row), counts
// its seats, locks the e-mail address (a transaction-scoped advisory
// lock, which serialises two bookings with the same address for
// different slots, where the slot locks alone would not) and counts the
// address's future active appointments; then ErrSlotFull or
// ErrTooManyActive. When housekeeping deleted the slot's lock row between
// its creation and its locking, it falls back to the statements one by
// one.
func claimSeatAndAddress(ctx context.Context, tx pgx.Tx, sl slotRef, capacity int, now time.Time, exceptDraft int64,
	email string, maxActive int) (recentTimetable bool, err error) {
	b := &pgx.Batch{}
	b.Queue(lockOfficeTimetableSQL, sl.officeID, TimetableSettle.Seconds())
	b.Queue(`INSERT INTO slot_locks (office_id, professional, starts_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		sl.officeID, string(sl.professional), sl.start)
	b.Queue(`SELECT count(*) FROM (SELECT 1 FROM slot_locks WHERE office_id = $1 AND professional = $2 AND starts_at = $3
		FOR UPDATE) l`, sl.officeID, string(sl.professional), sl.start)
	b.Queue(seatsTakenSQL, sl.officeID, string(sl.professional), sl.start, now, exceptDraft, int64(0))
	b.Queue(lockEmailSQL, emailLockClass, email)
	b.Queue(activeByEmailSQL, email, now)
	br := tx.SendBatch(ctx, b)
	var locked, seats, active int
	err = br.QueryRow().Scan(&recentTimetable)
	if err == nil {
		_, err = br.Exec()
	}
	if err == nil {
		err = br.QueryRow().Scan(&locked)
	}
	if err == nil {
		err = br.QueryRow().Scan(&seats)
	}
	if err == nil {
		_, err = br.Exec()
	}
	if err == nil {
		err = br.QueryRow().Scan(&active)
	}
	if cerr := br.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return false, fmt.Errorf("lock office, slot and address: %w", notFound(err))
	}
	if locked == 0 { // the lock row vanished: the slow, careful way
		if err := claimSeat(ctx, tx, sl, capacity, now, exceptDraft, 0); err != nil {
			return false, err
		}
		return recentTimetable, checkActiveLimit(ctx, tx, email, maxActive, now)
	}
	if seats >= capacity {
		return false, ErrSlotFull
	}
	if booking.MaxActiveReached(active, maxActive) {
		return false, ErrTooManyActive
	}
	return recentTimetable, nil
}

// activeByEmailSQL counts the future active appointments of an address.
// Addresses are compared in their canonical form (the SQL function
// email_canonical, migration 00006: case, "+tag", Gmail's dots), so one
// mailbox written in several ways counts once.
const activeByEmailSQL = `SELECT count(*) FROM appointments WHERE email_canonical(email) = email_canonical($1)
	AND starts_at > $2 AND status IN ` + activeStatuses

// lockEmailSQL takes the transaction-scoped advisory lock on the canonical
// address: it serialises two bookings with the same address for different
// slots, which the slot locks alone would not.
const lockEmailSQL = `SELECT pg_advisory_xact_lock($1, hashtext(email_canonical($2)))`

// checkActiveLimit returns ErrTooManyActive when the address already has
// maxActive future active appointments, counted under the address's lock
// (see activeByEmailSQL and lockEmailSQL).
func checkActiveLimit(ctx context.Context, tx pgx.Tx, email string, maxActive int, now time.Time) error {
	if _, err := tx.Exec(ctx, lockEmailSQL, emailLockClass, email); err != nil {
		return fmt.Errorf("lock e-mail address: %w", err)
	}
	var n int
	if err := tx.QueryRow(ctx, activeByEmailSQL, email, now).Scan(&n); err != nil {
		return fmt.Errorf("count active appointments: %w", err)
	}
	if booking.MaxActiveReached(n, maxActive) {
		return ErrTooManyActive
	}
	return nil
}

// insertAppointmentSQL inserts an appointment; a clash of booking codes
// (about 39 random bits each) inserts nothing and returns no row, and the
// caller tries again with a new code.
const insertAppointmentSQL = `INSERT INTO appointments (code, office_id, professional, starts_at, ends_at,
		status, mode, reason, note, first_name, last_name, email, phone, fiscal_code, channel,
		interpreter_language, accessibility_note, manage_token_hash, token_expires_at, draft_id, language)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
	ON CONFLICT (code) DO NOTHING
	RETURNING ` + appointmentColumns

// insertAppointmentArgs are the arguments of insertAppointmentSQL for the
// appointment of d (draftID 0: booked without a draft, by the office).
func insertAppointmentArgs(bookingCode string, draftID int64, d DraftData, na NewAppointment) []any {
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
	return []any{bookingCode, d.OfficeID, string(d.Professional), d.SlotStart, d.SlotEnd, string(status), string(na.Mode),
		d.Details.Reason, d.Details.Note, d.Applicant.FirstName, d.Applicant.LastName, d.Applicant.Email,
		d.Applicant.Phone, d.Applicant.FiscalCode, d.Applicant.Channel, interpreter, accessibility,
		tokenHash(na.Token), na.TokenExpiresAt, nullID(draftID), string(cmp.Or(na.Lang, i18n.Default))}
}

// maxCodeAttempts bounds the retries after booking code clashes.
const maxCodeAttempts = 5

// insertAppointment inserts the appointment of d (draftID 0: booked by
// the office), retrying a booking code clash with a new code.
func insertAppointment(ctx context.Context, tx pgx.Tx, draftID int64, d DraftData, na NewAppointment) (Appointment, error) {
	bookingCode := na.Code
	for attempt := 0; ; attempt++ {
		a, err := scanAppointment(tx.QueryRow(ctx, insertAppointmentSQL, insertAppointmentArgs(bookingCode, draftID, d, na)...))
		switch {
		case err == nil:
			return a, nil
		case !errors.Is(err, pgx.ErrNoRows):
			return Appointment{}, fmt.Errorf("insert appointment: %w", err)
		case attempt >= maxCodeAttempts:
			return Appointment{}, errors.New("insert appointment: booking code clashes again and again")
		}
		if bookingCode, err = newBookingCode(); err != nil {
			return Appointment{}, err
		}
	}
}

// writeAppointment inserts the appointment of the draft, deletes the
// draft's hold, links the draft and reads the office the e-mail names, in
// one round trip (a pgx batch). A clash of booking codes inserts nothing,
// and then nothing else changes either: it is tried again with a new code.
func writeAppointment(ctx context.Context, tx pgx.Tx, draftID int64, d DraftData, na NewAppointment) (Appointment, notify.Office, error) {
	bookingCode := na.Code
	for attempt := 0; ; attempt++ {
		b := &pgx.Batch{}
		b.Queue(insertAppointmentSQL, insertAppointmentArgs(bookingCode, draftID, d, na)...)
		b.Queue(`DELETE FROM slot_holds WHERE draft_id = $1 AND EXISTS (SELECT 1 FROM appointments WHERE draft_id = $1)`, draftID)
		b.Queue(`UPDATE booking_drafts SET appointment_id = a.id FROM appointments a
			WHERE booking_drafts.id = $1 AND a.draft_id = $1`, draftID)
		b.Queue(officeContactSQL, d.OfficeID)
		br := tx.SendBatch(ctx, b)
		a, err := scanAppointment(br.QueryRow())
		inserted := err == nil
		if errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
		if err == nil {
			_, err = br.Exec()
		}
		if err == nil {
			_, err = br.Exec()
		}
		var office notify.Office
		if err == nil {
			office, err = scanOfficeContact(br.QueryRow(), d.OfficeID)
		}
		if cerr := br.Close(); err == nil {
			err = cerr
		}
		switch {
		case err != nil:
			return Appointment{}, notify.Office{}, fmt.Errorf("insert appointment: %w", err)
		case inserted:
			return a, office, nil
		case attempt >= maxCodeAttempts:
			return Appointment{}, notify.Office{}, errors.New("insert appointment: booking code clashes again and again")
		}
		if bookingCode, err = newBookingCode(); err != nil {
			return Appointment{}, notify.Office{}, err
		}
	}
}

// tokenHash is the stored hash of a personal link's token; nil (no link)
// for "".
func tokenHash(token string) []byte {
	if token == "" {
		return nil
	}
	return code.HashToken(token)
}

// nullID is id, or NULL for 0.
func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
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
// confirmed) at the citizen's request: status annullato, the reason
// recorded, the cancellation marked as the citizen's (statistics), sequence bumped, the seat freed, and the notify.Cancelled
// event (with the calendar cancellation) handed to the outbox in the same
// transaction; now stamps it. A phone call still due about the
// appointment is no longer needed. It returns ErrNotFound or ErrNotActive
// (already cancelled, declined, done …).
func (s *Store) CancelAppointment(ctx context.Context, id int64, reason string, now time.Time) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := lockActiveAppointment(ctx, tx, id); err != nil {
			return err
		}
		var err error
		a, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET status = 'annullato', cancel_reason = $2,
			cancelled_by = 'cittadino', sequence = sequence + 1, call_due_at = NULL, updated_at = now() WHERE id = $1 RETURNING `+appointmentColumns, id, reason))
		if err != nil {
			return fmt.Errorf("update: %w", err)
		}
		return s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.Cancelled, Appointment: a.Notice(), Reason: reason, At: now})
	})
	switch {
	case errors.Is(err, ErrNotActive):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: cancel appointment %d: %w", id, err)
	}
	return a, nil
}

// MoveAppointment moves an active appointment, at the citizen's request,
// to another slot of the same office and professional (see moveSeat: the
// new seat is secured before the old one is released) and hands the
// notify.Moved event to the outbox in the same transaction; token is the
// personal link the citizen used, repeated in the e-mail ("" leaves it
// out). On any error the appointment keeps its old slot. Moving to the
// slot it already has changes nothing and sends nothing. It returns
// ErrNotFound or ErrNotActive for an appointment that cannot move, and
// ErrSlotFull when the new slot has no free seat at now.
func (s *Store) MoveAppointment(ctx context.Context, id int64, start, end time.Time, capacity int, now time.Time,
	token string) (Appointment, error) {
	var a Appointment
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		old, moved, err := moveSeat(ctx, tx, id, start, end, capacity, now)
		a = moved
		if err != nil || moved.Sequence == old.Sequence { // not moved
			return err
		}
		return s.enqueueEvent(ctx, tx, a.OfficeID, notify.Event{Kind: notify.Moved, Appointment: a.Notice(),
			PreviousStart: old.Start, PreviousEnd: old.End, Token: token, At: now})
	})
	switch {
	case errors.Is(err, ErrSlotFull), errors.Is(err, ErrNotActive), errors.Is(err, ErrSlotClosed):
		return Appointment{}, err
	case err != nil:
		return Appointment{}, fmt.Errorf("store: move appointment %d: %w", id, err)
	}
	return a, nil
}

// moveSeat moves the active appointment id to start–end inside tx,
// securing the new slot before releasing the old one: it locks the
// appointment, then the new slot's slot_locks row, counts the seats taken
// there at now (ErrSlotFull at capacity), then updates the times — which
// frees the old seat — bumps the sequence, clears the reminder (the new
// day gets its own) and shifts the token expiry by as much as the start
// moved. A request of the office to choose another time is answered, so
// its flag and any phone call still due about it are cleared. It returns
// the appointment before and after; when start–end is already its slot,
// both are the same and nothing is written.
func moveSeat(ctx context.Context, tx pgx.Tx, id int64, start, end time.Time, capacity int, now time.Time) (old, moved Appointment, err error) {
	// The office before the appointment, in the order of a timetable
	// change (office, then its appointments).
	var officeID int64
	if err := tx.QueryRow(ctx, `SELECT office_id FROM appointments WHERE id = $1`, id).Scan(&officeID); err != nil {
		return Appointment{}, Appointment{}, notFound(err)
	}
	recent, err := lockOfficeTimetable(ctx, tx, officeID)
	if err != nil {
		return Appointment{}, Appointment{}, err
	}
	old, err = lockActiveAppointment(ctx, tx, id)
	if err != nil {
		return Appointment{}, Appointment{}, err
	}
	if old.Start.Equal(start) && old.End.Equal(end) {
		return old, old, nil
	}
	if !end.After(start) {
		return Appointment{}, Appointment{}, fmt.Errorf("end %s not after start %s", end, start)
	}
	if recent {
		if err := checkSlotOpen(ctx, tx, officeID, old.Professional, start, end); err != nil {
			return Appointment{}, Appointment{}, err
		}
	}
	sl := slotRef{officeID: old.OfficeID, professional: old.Professional, start: start}
	if err := claimSeat(ctx, tx, sl, capacity, now, 0, id); err != nil {
		return Appointment{}, Appointment{}, err
	}
	moved, err = scanAppointment(tx.QueryRow(ctx, `UPDATE appointments SET starts_at = $2, ends_at = $3,
			token_expires_at = token_expires_at + ($2 - starts_at), sequence = sequence + 1,
			reminder_sent_at = NULL, move_requested_at = NULL, call_due_at = NULL, updated_at = now()
		WHERE id = $1 RETURNING `+appointmentColumns, id, start, end))
	if err != nil {
		return Appointment{}, Appointment{}, fmt.Errorf("update: %w", err)
	}
	return old, moved, nil
}
