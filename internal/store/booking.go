package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
)

// Errors of the booking functions, for the web layer to turn into
// messages.
var (
	// ErrSlotFull means every seat of the slot is taken: "posto non più
	// disponibile".
	ErrSlotFull = errors.New("store: slot full")
	// ErrTooManyActive means the e-mail address already holds the maximum
	// number of future active appointments (booking.MaxActiveMessage).
	ErrTooManyActive = errors.New("store: too many active appointments for this e-mail")
	// ErrHoldExpired is informational: a hold is over. SubmitDraft does not
	// return it, because it re-acquires a seat when one is free.
	ErrHoldExpired = errors.New("store: hold expired")
	// ErrNotActive means the appointment is no longer requested or
	// confirmed (already cancelled, declined, done…), so it can be neither
	// cancelled nor moved.
	ErrNotActive = errors.New("store: appointment not active")
	// ErrDraftIncomplete means SubmitDraft got a draft without office,
	// professional, slot or e-mail address.
	ErrDraftIncomplete = errors.New("store: draft incomplete")
	// ErrDraftSubmitted means HoldSlot got a draft that has already become
	// an appointment: the citizen must start a new booking.
	ErrDraftSubmitted = errors.New("store: draft already submitted")
	// ErrTooManyHolds means HoldSlot's client (its address or its browser)
	// already holds booking.MaxHoldsPerAddress or MaxHoldsPerBrowser
	// seats: it must finish or abandon a booking first.
	ErrTooManyHolds = errors.New("store: the client already holds the most seats allowed")
	// ErrHoldSpanOver means HoldSlot found a free seat but held nothing,
	// because the draft's holds have lasted booking.HoldMaxSpan: the
	// citizen may go on, and the seat is claimed at submission if still
	// free.
	ErrHoldSpanOver = errors.New("store: the draft's holds lasted their longest span")
)

// activeStatuses is the SQL list of the statuses that hold a seat
// (booking.Status.Active).
const activeStatuses = `('richiesta', 'confermato')`

// BookingSettings are how an office takes appointments with one kind of
// professional. Professional and Settings.Professional are the same value:
// BookingSettings fills both, SaveBookingSettings accepts either.
type BookingSettings struct {
	OfficeID     int64
	Professional booking.Professional
	// Enabled offers the professional to citizens.
	Enabled bool
	booking.Settings
	// MaxActivePerEmail is how many future active appointments one e-mail
	// address may hold; 0 means booking.DefaultMaxActivePerEmail.
	MaxActivePerEmail int
}

// AllBookingSettings returns BookingSettings for every office that has
// some, by office id, read in one snapshot: the wizard keeps them in
// memory with the offices (they announce their changes on
// ContentChangedChannel).
func (s *Store) AllBookingSettings(ctx context.Context) (map[int64][]BookingSettings, error) {
	out := map[int64][]BookingSettings{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		clear(out)
		return loadBookingSettings(ctx, tx, nil, out)
	})
	if err != nil {
		return nil, fmt.Errorf("store: load booking settings: %w", err)
	}
	return out, nil
}

// loadBookingSettings fills out with the settings of office *officeID, or
// of every office when officeID is nil.
func loadBookingSettings(ctx context.Context, tx pgx.Tx, officeID *int64, out map[int64][]BookingSettings) error {
	rows, err := tx.Query(ctx, `SELECT office_id, professional, enabled, length_min, capacity, min_notice_days, horizon_days, mode,
		reasons, max_active_per_email FROM booking_settings WHERE $1::bigint IS NULL OR office_id = $1
		ORDER BY office_id, array_position(ARRAY['assistente-sociale', 'educatore'], professional), professional`, officeID)
	if err != nil {
		return err
	}
	all, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (BookingSettings, error) {
		var bs BookingSettings
		var p, mode string
		err := row.Scan(&bs.OfficeID, &p, &bs.Enabled, &bs.LengthMinutes, &bs.Capacity, &bs.MinNoticeWorkingDays, &bs.HorizonDays,
			&mode, &bs.Reasons, &bs.MaxActivePerEmail)
		bs.Professional, bs.Settings.Professional, bs.Mode = booking.Professional(p), booking.Professional(p), booking.Mode(mode)
		return bs, err
	})
	if err != nil {
		return err
	}
	for _, bs := range all {
		out[bs.OfficeID] = append(out[bs.OfficeID], bs)
	}
	rows, err = tx.Query(ctx, `SELECT office_id, professional, weekday, start_min, end_min FROM booking_windows
		WHERE $1::bigint IS NULL OR office_id = $1 ORDER BY office_id, professional, (weekday + 6) % 7, start_min`, officeID)
	if err != nil {
		return err
	}
	var office int64
	var p string
	var wd int16
	var start, end int32
	_, err = pgx.ForEachRow(rows, []any{&office, &p, &wd, &start, &end}, func() error {
		list := out[office]
		for i := range list {
			if string(list[i].Professional) == p {
				list[i].Windows = append(list[i].Windows,
					hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end)})
			}
		}
		return nil
	})
	return err
}

// BookingSettings returns the settings of every professional the office
// has configured, enabled or not, in booking.Professionals order, each
// with its windows sorted by weekday (Monday first) and start. An office
// with no settings gives an empty slice.
func (s *Store) BookingSettings(ctx context.Context, officeID int64) ([]BookingSettings, error) {
	var out []BookingSettings
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		m := map[int64][]BookingSettings{}
		if err := loadBookingSettings(ctx, tx, &officeID, m); err != nil {
			return err
		}
		out = m[officeID]
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: load booking settings of office %d: %w", officeID, err)
	}
	return out, nil
}

// SaveBookingSettings creates or replaces the settings of one professional
// of an office, windows included, in one transaction. A zero
// MaxActivePerEmail is saved as booking.DefaultMaxActivePerEmail. A
// violated database rule (overlapping windows, a length or capacity out of
// range, an unknown office …) gives a *ConstraintError with an Italian
// message and writes nothing.
func (s *Store) SaveBookingSettings(ctx context.Context, bs BookingSettings) error {
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error { return saveBookingSettings(ctx, tx, bs) })
	var ce *ConstraintError
	if errors.As(err, &ce) {
		return ce
	}
	if err != nil {
		return fmt.Errorf("store: save booking settings of office %d (%s): %w", bs.OfficeID, bs.professional(), err)
	}
	return nil
}

// professional returns the professional of bs, from either field.
func (bs BookingSettings) professional() booking.Professional {
	if bs.Professional != "" {
		return bs.Professional
	}
	return bs.Settings.Professional
}

// saveBookingSettings does the work of SaveBookingSettings inside tx, so
// that other writes (an audit entry) can share the transaction.
func saveBookingSettings(ctx context.Context, tx pgx.Tx, bs BookingSettings) error {
	p := bs.professional()
	if bs.Settings.Professional != "" && bs.Settings.Professional != p {
		return fmt.Errorf("professional %q and %q differ", p, bs.Settings.Professional)
	}
	maxActive := bs.MaxActivePerEmail
	if maxActive == 0 {
		maxActive = booking.DefaultMaxActivePerEmail
	}
	reasons := bs.Reasons
	if reasons == nil {
		reasons = []string{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO booking_settings (office_id, professional, enabled, length_min, capacity,
			min_notice_days, horizon_days, mode, reasons, max_active_per_email)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (office_id, professional) DO UPDATE SET enabled = EXCLUDED.enabled, length_min = EXCLUDED.length_min,
			capacity = EXCLUDED.capacity, min_notice_days = EXCLUDED.min_notice_days, horizon_days = EXCLUDED.horizon_days,
			mode = EXCLUDED.mode, reasons = EXCLUDED.reasons, max_active_per_email = EXCLUDED.max_active_per_email,
			updated_at = now()`,
		bs.OfficeID, string(p), bs.Enabled, bs.LengthMinutes, bs.Capacity, bs.MinNoticeWorkingDays, bs.HorizonDays,
		string(bs.Mode), reasons, maxActive)
	if err != nil {
		return settingsError(err, p)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM booking_windows WHERE office_id = $1 AND professional = $2`, bs.OfficeID, string(p)); err != nil {
		return err
	}
	for _, w := range bs.Windows {
		_, err := tx.Exec(ctx, `INSERT INTO booking_windows (office_id, professional, weekday, start_min, end_min)
			VALUES ($1, $2, $3, $4, $5)`, bs.OfficeID, string(p), int(w.Weekday), int(w.Start), int(w.End))
		if err != nil {
			return windowError(err, p, w)
		}
	}
	return nil
}

func settingsError(err error, p booking.Professional) error {
	if ce := constraintError(err, map[string]string{
		"booking_settings_office_id_fkey": "L'ufficio non esiste.",
		"booking_settings_professional":   "Scegliere la figura professionale.",
		"booking_settings_length": fmt.Sprintf("Indicare una durata tra %d e %d minuti.",
			booking.MinLengthMinutes, booking.MaxLengthMinutes),
		"booking_settings_capacity": fmt.Sprintf("Indicare quante persone possono essere ricevute insieme: da %d a %d.",
			booking.MinCapacity, booking.MaxCapacity),
		"booking_settings_notice": fmt.Sprintf("Indicare un preavviso tra 0 e %d giorni lavorativi.", booking.MaxNoticeDays),
		"booking_settings_horizon": fmt.Sprintf("Indicare per quanti giorni in avanti si può prenotare: da %d a %d.",
			booking.MinHorizonDays, booking.MaxHorizonDays),
		"booking_settings_mode":       "Scegliere la modalità di conferma.",
		"booking_settings_reasons":    fmt.Sprintf("Indicare da 1 a %d motivi tra cui il cittadino può scegliere.", booking.MaxReasons),
		"booking_settings_max_active": "Indicare quanti appuntamenti futuri può avere una stessa persona: da 1 a 20.",
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("upsert settings of %s: %w", p, err)
}

func windowError(err error, p booking.Professional, w hours.Interval) error {
	day := hours.WeekdayName(w.Weekday)
	if ce := constraintError(err, map[string]string{
		"booking_windows_no_overlap": fmt.Sprintf("La fascia %s di %s si sovrappone a un'altra fascia dello stesso giorno per %s.",
			w.Span(), day, p.WithArticle()),
		"booking_windows_order": fmt.Sprintf("Fascia %s di %s: l'orario di fine deve essere successivo a quello di inizio.",
			w.Span(), day),
		"booking_windows_range":   fmt.Sprintf("Fascia di %s: gli orari devono essere compresi tra 00:00 e 24:00.", day),
		"booking_windows_weekday": string(hours.ErrWeekday),
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("add window %s %s: %w", day, w.Span(), err)
}

// TakenSeats counts the seats taken in each slot of the office's
// professional that starts in [from, to): active appointments (requested
// or confirmed) and holds not yet expired (by the database clock). Keys
// are slot starts in UTC, truncated to the minute; slots with no seat
// taken are absent.
func (s *Store) TakenSeats(ctx context.Context, officeID int64, p booking.Professional, from, to time.Time) (map[time.Time]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT date_trunc('minute', starts_at), count(*) FROM (
			SELECT starts_at FROM appointments WHERE office_id = $1 AND professional = $2
				AND starts_at >= $3 AND starts_at < $4 AND status IN `+activeStatuses+`
			UNION ALL
			SELECT starts_at FROM slot_holds WHERE office_id = $1 AND professional = $2
				AND starts_at >= $3 AND starts_at < $4 AND expires_at > now()
		) seats GROUP BY 1`, officeID, string(p), from, to)
	if err != nil {
		return nil, fmt.Errorf("store: taken seats of office %d: %w", officeID, err)
	}
	out := map[time.Time]int{}
	var start time.Time
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&start, &n}, func() error {
		out[start.UTC()] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: taken seats of office %d: %w", officeID, err)
	}
	return out, nil
}

// slotRef identifies a slot: seats are counted by office, professional and
// start.
type slotRef struct {
	officeID     int64
	professional booking.Professional
	start        time.Time
}

// lockSlot takes the slot's slot_locks row FOR UPDATE, creating it first if
// needed. Until the transaction ends no other transaction can decide about
// a seat of the slot, so a count made after lockSlot stays true until
// commit. In READ COMMITTED every later statement sees what the previous
// holders of the lock committed.
func lockSlot(ctx context.Context, tx pgx.Tx, sl slotRef) error {
	// The housekeeping may delete the row of a long-past slot between the
	// two statements: the SELECT then finds nothing and we insert again.
	for range 3 {
		if _, err := tx.Exec(ctx, `INSERT INTO slot_locks (office_id, professional, starts_at) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING`, sl.officeID, string(sl.professional), sl.start); err != nil {
			return fmt.Errorf("create slot lock: %w", err)
		}
		var one int
		err := tx.QueryRow(ctx, `SELECT 1 FROM slot_locks WHERE office_id = $1 AND professional = $2 AND starts_at = $3
			FOR UPDATE`, sl.officeID, string(sl.professional), sl.start).Scan(&one)
		if !errors.Is(err, pgx.ErrNoRows) {
			if err != nil {
				return fmt.Errorf("lock slot: %w", err)
			}
			return nil
		}
	}
	return errors.New("lock slot: lock row keeps disappearing")
}

// seatsTaken counts, after lockSlot, the seats of the slot taken at now by
// active appointments other than exceptAppt and unexpired holds of drafts
// other than exceptDraft (0 excludes nothing).
func seatsTaken(ctx context.Context, tx pgx.Tx, sl slotRef, now time.Time, exceptDraft, exceptAppt int64) (int, error) {
	var n int
	err := tx.QueryRow(ctx, seatsTakenSQL, sl.officeID, string(sl.professional), sl.start, now, exceptDraft, exceptAppt).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count seats: %w", err)
	}
	return n, nil
}

// seatsTakenSQL counts the seats of slot ($1, $2, $3) taken at $4 by
// active appointments other than $6 and unexpired holds of drafts other
// than $5.
const seatsTakenSQL = `SELECT
	(SELECT count(*) FROM appointments WHERE office_id = $1 AND professional = $2 AND starts_at = $3
		AND status IN ` + activeStatuses + ` AND id <> $6)
	+ (SELECT count(*) FROM slot_holds WHERE office_id = $1 AND professional = $2 AND starts_at = $3
		AND expires_at > $4 AND draft_id <> $5)`

// claimSeat locks the slot and returns ErrSlotFull when capacity seats are
// already taken (see seatsTaken).
func claimSeat(ctx context.Context, tx pgx.Tx, sl slotRef, capacity int, now time.Time, exceptDraft, exceptAppt int64) error {
	if err := lockSlot(ctx, tx, sl); err != nil {
		return err
	}
	n, err := seatsTaken(ctx, tx, sl, now, exceptDraft, exceptAppt)
	if err != nil {
		return err
	}
	if n >= capacity {
		return ErrSlotFull
	}
	return nil
}
