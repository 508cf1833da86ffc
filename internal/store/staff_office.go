package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
)

// The staff edit an office's timetable piece by piece: every function here
// runs in one transaction with its audit entry, so a change is stored
// whole, audited, or not at all. The NOTIFY triggers on the office tables
// announce it to every instance at commit.

// OfficeTimetable is what decides when an office is open, as the staff
// edit it: closures and special openings carry their ids so that they can
// be deleted one by one.
type OfficeTimetable struct {
	// Hours are the weekly intervals, Monday first, by start and kind.
	Hours []hours.Interval
	// Closures are ordered by first day.
	Closures []ClosureRecord
	// Specials are ordered by date and start.
	Specials []SpecialOpeningRecord
}

// ClosureRecord is a stored closure.
type ClosureRecord struct {
	ID int64
	hours.Closure
}

// SpecialOpeningRecord is a stored special opening.
type SpecialOpeningRecord struct {
	ID int64
	hours.SpecialOpening
}

// OfficeTimetable returns the weekly hours, closures and special openings
// of office id, read in one snapshot. An office without any gives an
// empty OfficeTimetable, also when the office does not exist.
func (s *Store) OfficeTimetable(ctx context.Context, officeID int64) (OfficeTimetable, error) {
	var t OfficeTimetable
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		t, err = officeTimetable(ctx, tx, officeID)
		return err
	})
	if err != nil {
		return OfficeTimetable{}, fmt.Errorf("store: load timetable of office %d: %w", officeID, err)
	}
	return t, nil
}

func officeTimetable(ctx context.Context, tx pgx.Tx, officeID int64) (OfficeTimetable, error) {
	var t OfficeTimetable
	var err error
	if t.Hours, err = weeklyHours(ctx, tx, officeID); err != nil {
		return t, err
	}
	rows, err := tx.Query(ctx, `SELECT id, from_date, to_date, reason FROM office_closures
		WHERE office_id = $1 ORDER BY from_date, to_date, id`, officeID)
	if err != nil {
		return t, err
	}
	t.Closures, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (ClosureRecord, error) {
		var c ClosureRecord
		var from, to time.Time
		err := row.Scan(&c.ID, &from, &to, &c.Reason)
		c.From, c.To = dateOf(from), dateOf(to)
		return c, err
	})
	if err != nil {
		return t, err
	}
	rows, err = tx.Query(ctx, `SELECT id, on_date, start_min, end_min, kind, note FROM office_special_openings
		WHERE office_id = $1 ORDER BY on_date, start_min, kind, id`, officeID)
	if err != nil {
		return t, err
	}
	t.Specials, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (SpecialOpeningRecord, error) {
		var so SpecialOpeningRecord
		var on time.Time
		var start, end int32
		var kind string
		err := row.Scan(&so.ID, &on, &start, &end, &kind, &so.Note)
		so.Date, so.Start, so.End, so.Kind = dateOf(on), hours.Clock(start), hours.Clock(end), hours.Kind(kind)
		return so, err
	})
	return t, err
}

// weeklyHours reads the weekly intervals of an office in display order.
func weeklyHours(ctx context.Context, q staffQuerier, officeID int64) ([]hours.Interval, error) {
	rows, err := q.Query(ctx, `SELECT weekday, start_min, end_min, kind FROM office_hours
		WHERE office_id = $1 ORDER BY (weekday + 6) % 7, start_min, kind`, officeID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (hours.Interval, error) {
		var wd int16
		var start, end int32
		var kind string
		err := row.Scan(&wd, &start, &end, &kind)
		return hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end), Kind: hours.Kind(kind)}, err
	})
}

// touchOffice locks the office row for the rest of tx, so that two staff
// saves of the same office run one after the other, and marks the office
// as changed by hand: updated_at moves (the public page shows it) and the
// content hash is cleared, so the next import of the office rewrites it
// instead of taking it for unchanged. ErrNotFound if there is no office.
func touchOffice(ctx context.Context, tx pgx.Tx, officeID int64) error {
	tag, err := tx.Exec(ctx, `UPDATE offices SET content_hash = '', updated_at = now() WHERE id = $1`, officeID)
	if err != nil {
		return fmt.Errorf("lock office: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ReplaceOfficeHours is SetOfficeHours at the current time, without a
// decision about displaced appointments: it refuses (*DisplacedError) a
// change that leaves any outside the opening. It reports whether anything
// changed.
func (s *Store) ReplaceOfficeHours(ctx context.Context, actorID, officeID int64, weekly []hours.Interval) (bool, error) {
	out, err := s.SetOfficeHours(ctx, TimetableChange{ActorID: actorID, OfficeID: officeID, Now: time.Now()}, weekly)
	return out.Changed, err
}

// SetOfficeHours replaces every weekly interval of office ch.OfficeID with
// weekly, in one transaction audited with the hours before and after,
// together with the appointments the new hours displace (see
// TimetableChange: a *DisplacedError, nothing written, until ch.Decision
// covers them). Changed is false, nothing written, when the office
// already has exactly these hours. Overlapping intervals or an end not
// after the start give a *ConstraintError (the database's exclusion and
// check constraints) and nothing is stored; a missing office gives
// ErrNotFound.
func (s *Store) SetOfficeHours(ctx context.Context, ch TimetableChange, weekly []hours.Interval) (ChangeOutcome, error) {
	officeID := ch.OfficeID
	out, err := s.changeTimetable(ctx, ch, "office_hours", func(tx pgx.Tx) error {
		if err := touchOffice(ctx, tx, officeID); err != nil {
			return err
		}
		before, err := weeklyHours(ctx, tx, officeID)
		if err != nil {
			return err
		}
		if slices.Equal(sortedHours(before), sortedHours(weekly)) {
			// Nothing to do: roll back, so updated_at does not move either.
			return errUnchanged
		}
		if _, err := tx.Exec(ctx, `DELETE FROM office_hours WHERE office_id = $1`, officeID); err != nil {
			return err
		}
		for _, iv := range weekly {
			if err := insertHours(ctx, tx, officeID, iv); err != nil {
				return err
			}
		}
		return Audit(ctx, tx, AuditEntry{UserID: ch.ActorID, Action: "office_hours", Entity: "office", EntityID: officeID,
			Before: auditHours(before), After: auditHours(sortedHours(weekly))})
	})
	if err != nil {
		return ChangeOutcome{}, fmt.Errorf("store: replace hours of office %d: %w", officeID, err)
	}
	return out, nil
}

// errUnchanged rolls back a transaction that found nothing to change.
var errUnchanged = errors.New("store: unchanged")

// sortedHours returns the intervals in display order: Monday first, then
// by start, kind and end.
func sortedHours(weekly []hours.Interval) []hours.Interval {
	out := slices.Clone(weekly)
	slices.SortFunc(out, func(a, b hours.Interval) int {
		return cmp.Or(cmp.Compare((a.Weekday+6)%7, (b.Weekday+6)%7), cmp.Compare(a.Start, b.Start),
			cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.End, b.End))
	})
	return out
}

// CreateOfficeClosure is CloseOffice at the current time, without a
// decision about displaced appointments: it refuses (*DisplacedError) a
// closure over active appointments.
func (s *Store) CreateOfficeClosure(ctx context.Context, actorID, officeID int64, c hours.Closure) (int64, error) {
	id, _, err := s.CloseOffice(ctx, TimetableChange{ActorID: actorID, OfficeID: officeID, Now: time.Now()}, c)
	return id, err
}

// CloseOffice adds a closure to office ch.OfficeID and returns its
// id, in one transaction with its audit entry and the appointments it
// displaces (see TimetableChange: a *DisplacedError, nothing written,
// until ch.Decision covers them). A closure ending before it starts or a
// reason too long gives a *ConstraintError; a missing office ErrNotFound.
func (s *Store) CloseOffice(ctx context.Context, ch TimetableChange, c hours.Closure) (int64, ChangeOutcome, error) {
	var id int64
	out, err := s.changeTimetable(ctx, ch, "closure_add", func(tx pgx.Tx) error {
		if err := touchOffice(ctx, tx, ch.OfficeID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO office_closures (office_id, from_date, to_date, reason) VALUES ($1, $2, $3, $4)
			RETURNING id`, ch.OfficeID, dateValue(c.From), dateValue(c.To), c.Reason).Scan(&id)
		if err != nil {
			return closureError(err, c)
		}
		return Audit(ctx, tx, AuditEntry{UserID: ch.ActorID, Action: "closure_add", Entity: "office", EntityID: ch.OfficeID,
			After: auditClosure(id, c)})
	})
	if err != nil {
		return 0, ChangeOutcome{}, fmt.Errorf("store: add closure to office %d: %w", ch.OfficeID, err)
	}
	return id, out, nil
}

// DeleteOfficeClosure deletes closure closureID of office officeID, in one
// transaction with its audit entry. ErrNotFound when the office has no
// such closure — also when the closure exists but belongs to another
// office.
func (s *Store) DeleteOfficeClosure(ctx context.Context, actorID, officeID, closureID int64) (hours.Closure, error) {
	var c hours.Closure
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := touchOffice(ctx, tx, officeID); err != nil {
			return err
		}
		var from, to time.Time
		err := tx.QueryRow(ctx, `DELETE FROM office_closures WHERE id = $1 AND office_id = $2 RETURNING from_date, to_date, reason`,
			closureID, officeID).Scan(&from, &to, &c.Reason)
		if err != nil {
			return notFound(err)
		}
		c.From, c.To = dateOf(from), dateOf(to)
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "closure_delete", Entity: "office", EntityID: officeID,
			Before: auditClosure(closureID, c)})
	})
	if err != nil {
		return hours.Closure{}, fmt.Errorf("store: delete closure %d of office %d: %w", closureID, officeID, err)
	}
	return c, nil
}

// CreateSpecialOpening adds a special opening to an office and returns its
// id, in one transaction with its audit entry. An overlap with another
// special opening of the same kind on that date, or an end not after the
// start, gives a *ConstraintError; a missing office ErrNotFound.
func (s *Store) CreateSpecialOpening(ctx context.Context, actorID, officeID int64, so hours.SpecialOpening) (int64, error) {
	var id int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := touchOffice(ctx, tx, officeID); err != nil {
			return err
		}
		err := tx.QueryRow(ctx, `INSERT INTO office_special_openings (office_id, on_date, start_min, end_min, kind, note)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			officeID, dateValue(so.Date), int(so.Start), int(so.End), string(so.Kind), so.Note).Scan(&id)
		if err != nil {
			return specialError(err, so)
		}
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "special_opening_add", Entity: "office", EntityID: officeID,
			After: auditSpecial(id, so)})
	})
	if err != nil {
		return 0, fmt.Errorf("store: add special opening to office %d: %w", officeID, err)
	}
	return id, nil
}

// DeleteSpecialOpening deletes special opening openingID of office
// officeID, in one transaction with its audit entry. ErrNotFound when the
// office has no such opening.
func (s *Store) DeleteSpecialOpening(ctx context.Context, actorID, officeID, openingID int64) (hours.SpecialOpening, error) {
	var so hours.SpecialOpening
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if err := touchOffice(ctx, tx, officeID); err != nil {
			return err
		}
		var on time.Time
		var start, end int32
		var kind string
		err := tx.QueryRow(ctx, `DELETE FROM office_special_openings WHERE id = $1 AND office_id = $2
			RETURNING on_date, start_min, end_min, kind, note`, openingID, officeID).Scan(&on, &start, &end, &kind, &so.Note)
		if err != nil {
			return notFound(err)
		}
		so.Date, so.Start, so.End, so.Kind = dateOf(on), hours.Clock(start), hours.Clock(end), hours.Kind(kind)
		return Audit(ctx, tx, AuditEntry{UserID: actorID, Action: "special_opening_delete", Entity: "office", EntityID: officeID,
			Before: auditSpecial(openingID, so)})
	})
	if err != nil {
		return hours.SpecialOpening{}, fmt.Errorf("store: delete special opening %d of office %d: %w", openingID, officeID, err)
	}
	return so, nil
}

// UpdateBookingSettings is SetBookingSettings at the current time,
// without a decision about displaced appointments: it refuses
// (*DisplacedError) windows that leave active appointments out.
func (s *Store) UpdateBookingSettings(ctx context.Context, actorID int64, bs BookingSettings) error {
	_, err := s.SetBookingSettings(ctx, TimetableChange{ActorID: actorID, OfficeID: bs.OfficeID, Now: time.Now()}, bs)
	return err
}

// SetBookingSettings is SaveBookingSettings for the staff: the same save,
// in one transaction with an audit entry holding the settings before (nil
// when the professional was not configured) and after, and with the
// appointments the new windows displace (see TimetableChange: a
// *DisplacedError, nothing written, until ch.Decision covers them).
// ch.OfficeID must be bs.OfficeID. A violated database rule gives a
// *ConstraintError and writes nothing.
func (s *Store) SetBookingSettings(ctx context.Context, ch TimetableChange, bs BookingSettings) (ChangeOutcome, error) {
	p := bs.professional()
	if ch.OfficeID != bs.OfficeID {
		return ChangeOutcome{}, fmt.Errorf("store: update booking settings: office %d and %d differ", ch.OfficeID, bs.OfficeID)
	}
	out, err := s.changeTimetable(ctx, ch, "booking_settings", func(tx pgx.Tx) error {
		// Serialise concurrent saves of the same office's settings.
		if err := lockOffice(ctx, tx, bs.OfficeID); err != nil {
			return err
		}
		var before any
		old, err := bookingSettingsOf(ctx, tx, bs.OfficeID, p)
		switch {
		case err == nil:
			before = auditBookingSettings(old)
		case !errors.Is(err, pgx.ErrNoRows):
			return err
		}
		if err := saveBookingSettings(ctx, tx, bs); err != nil {
			return err
		}
		saved, err := bookingSettingsOf(ctx, tx, bs.OfficeID, p)
		if err != nil {
			return err
		}
		return Audit(ctx, tx, AuditEntry{UserID: ch.ActorID, Action: "booking_settings", Entity: "office", EntityID: bs.OfficeID,
			Before: before, After: auditBookingSettings(saved)})
	})
	var ce *ConstraintError
	if errors.As(err, &ce) {
		return ChangeOutcome{}, ce
	}
	if err != nil {
		return ChangeOutcome{}, fmt.Errorf("store: update booking settings of office %d (%s): %w", bs.OfficeID, p, err)
	}
	return out, nil
}

// bookingSettingsOf reads one professional's settings inside tx;
// pgx.ErrNoRows when there are none.
func bookingSettingsOf(ctx context.Context, tx pgx.Tx, officeID int64, p booking.Professional) (BookingSettings, error) {
	bs := BookingSettings{OfficeID: officeID, Professional: p}
	var mode string
	err := tx.QueryRow(ctx, `SELECT enabled, length_min, capacity, min_notice_days, horizon_days, mode, reasons, max_active_per_email
		FROM booking_settings WHERE office_id = $1 AND professional = $2`, officeID, string(p)).Scan(
		&bs.Enabled, &bs.LengthMinutes, &bs.Capacity, &bs.MinNoticeWorkingDays, &bs.HorizonDays, &mode, &bs.Reasons, &bs.MaxActivePerEmail)
	if err != nil {
		return bs, err
	}
	bs.Settings.Professional, bs.Mode = p, booking.Mode(mode)
	rows, err := tx.Query(ctx, `SELECT weekday, start_min, end_min FROM booking_windows
		WHERE office_id = $1 AND professional = $2 ORDER BY (weekday + 6) % 7, start_min`, officeID, string(p))
	if err != nil {
		return bs, err
	}
	bs.Windows, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (hours.Interval, error) {
		var wd int16
		var start, end int32
		err := row.Scan(&wd, &start, &end)
		return hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end)}, err
	})
	return bs, err
}

// The audit log shows these views: readable days and times, no internal
// encodings.

func auditHours(weekly []hours.Interval) []map[string]string {
	out := make([]map[string]string, 0, len(weekly))
	for _, iv := range weekly {
		out = append(out, map[string]string{"day": hours.WeekdayName(iv.Weekday), "start": iv.Start.String(),
			"end": iv.End.String(), "kind": string(iv.Kind)})
	}
	return out
}

func auditClosure(id int64, c hours.Closure) map[string]any {
	return map[string]any{"id": id, "from": c.From.String(), "to": c.To.String(), "reason": c.Reason}
}

func auditSpecial(id int64, so hours.SpecialOpening) map[string]any {
	return map[string]any{"id": id, "date": so.Date.String(), "start": so.Start.String(), "end": so.End.String(),
		"kind": string(so.Kind), "note": so.Note}
}

func auditBookingSettings(bs BookingSettings) map[string]any {
	windows := make([]map[string]string, 0, len(bs.Windows))
	for _, w := range bs.Windows {
		windows = append(windows, map[string]string{"day": hours.WeekdayName(w.Weekday), "start": w.Start.String(), "end": w.End.String()})
	}
	return map[string]any{"professional": string(bs.professional()), "enabled": bs.Enabled, "length_minutes": bs.LengthMinutes,
		"capacity": bs.Capacity, "windows": windows, "min_notice_working_days": bs.MinNoticeWorkingDays,
		"horizon_days": bs.HorizonDays, "mode": string(bs.Mode), "reasons": bs.Reasons, "max_active_per_email": bs.MaxActivePerEmail}
}
