package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/udc-umbria/portal/internal/hours"
)

// OfficeChangedChannel is the PostgreSQL notification channel on which
// every change to an office, its Comuni, hours, closures or special
// openings is announced, with the office id as payload. Triggers send it
// (migrations/00002_offices.sql), so changes made outside the portal are
// announced too.
const OfficeChangedChannel = "office_changed"

// Office is an Ufficio della Cittadinanza with everything that decides
// where it is, whom it serves and when it is open.
type Office struct {
	ID        int64
	Slug      string
	Name      string
	SeatISTAT string
	// SeatName and SeatProvince are loaded from the seat's Comune; saving
	// ignores them.
	SeatName           string
	SeatProvince       string
	Address            string
	CAP                string
	Phone              string
	Email              string
	PEC                string
	AccessibilityNotes string
	// Latitude and Longitude are both set or both nil.
	Latitude, Longitude *float64
	// TeamSocialWorkers and TeamEducators are head counts; 0 means not
	// stated.
	TeamSocialWorkers int
	TeamEducators     int
	// TeamOther describes other staff in words ("1 psicologo").
	TeamOther string
	// HoursNote is shown with the timetable, e.g. for offices that open
	// on request.
	HoursNote string
	// SourceNote says where the data comes from and how reliable it is.
	SourceNote string
	// IsDemo marks example data that must never be taken as real.
	IsDemo   bool
	Comuni   []OfficeComune
	Hours    []hours.Interval
	Closures []hours.Closure
	Specials []hours.SpecialOpening
	// Notes are HoursNote and AccessibilityNotes in the other languages
	// that have them, by language (office_texts).
	Notes map[string]OfficeNotes
	// UpdatedAt is when the office was last saved with different data.
	UpdatedAt time.Time
}

// OfficeComune is a Comune an office serves.
type OfficeComune struct {
	ISTAT string
	// Name, Slug and Province are loaded from the Comune; saving ignores
	// them.
	Name     string
	Slug     string
	Province string
	// AreaNote says which part of the Comune the office serves ("Centro
	// storico"); "" means all of it.
	AreaNote string
}

// Schedule returns the office's opening hours for package hours. The
// patron day of the seat's Comune closes the office.
func (o Office) Schedule() hours.Schedule {
	return hours.Schedule{Weekly: o.Hours, Closures: o.Closures, Specials: o.Specials, ISTAT: o.SeatISTAT}
}

// Serves reports whether the office serves the Comune with the ISTAT code,
// and the area note if so.
func (o Office) Serves(istat string) (OfficeComune, bool) {
	for _, c := range o.Comuni {
		if c.ISTAT == istat {
			return c, true
		}
	}
	return OfficeComune{}, false
}

// ConstraintError is a rule on offices or hours enforced by the database
// (an overlap, an end before its start, an unknown Comune …). Message is in
// Italian, written for the staff who entered the data, and can be shown as
// is.
type ConstraintError struct {
	// Constraint is the name of the violated database constraint.
	Constraint string
	// Message explains the problem in Italian.
	Message string
	// Err is the database error, for logs.
	Err error
}

// Error returns the Italian message.
func (e *ConstraintError) Error() string { return e.Message }

// Unwrap returns the database error.
func (e *ConstraintError) Unwrap() error { return e.Err }

// OfficeSaveResult tells what SaveOffices did with one office.
type OfficeSaveResult struct {
	ID      int64
	Slug    string
	Created bool
	// Changed is false when the stored office already had exactly this
	// data: nothing was written.
	Changed bool
}

// ListOffices returns every office with its Comuni, weekly hours,
// closures and special openings, ordered by name. It reads one consistent
// snapshot.
func (s *Store) ListOffices(ctx context.Context) ([]Office, error) {
	var out []Office
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		var err error
		out, err = listOffices(ctx, tx)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list offices: %w", err)
	}
	return out, nil
}

func listOffices(ctx context.Context, tx pgx.Tx) ([]Office, error) {
	b := &pgx.Batch{}
	b.Queue(`SELECT o.id, o.slug, o.name, o.seat_istat, c.name, c.province, o.address, o.cap, o.phone, o.email, o.pec,
		o.accessibility_notes, o.latitude::float8, o.longitude::float8, o.team_social_workers, o.team_educators, o.team_other,
		o.hours_note, o.source_note, o.is_demo, o.updated_at
		FROM offices o JOIN comuni c ON c.istat = o.seat_istat ORDER BY o.name, o.id`)
	b.Queue(`SELECT oc.office_id, oc.istat, c.name, c.slug, c.province, oc.area_note
		FROM office_comuni oc JOIN comuni c ON c.istat = oc.istat ORDER BY oc.office_id, c.name COLLATE "C", oc.istat`)
	b.Queue(`SELECT office_id, weekday, start_min, end_min, kind FROM office_hours ORDER BY office_id, weekday, start_min, kind`)
	b.Queue(`SELECT office_id, from_date, to_date, reason FROM office_closures ORDER BY office_id, from_date, to_date`)
	b.Queue(`SELECT office_id, on_date, start_min, end_min, kind, note FROM office_special_openings ORDER BY office_id, on_date, start_min`)
	b.Queue(`SELECT office_id, lang, hours_note, accessibility_notes FROM office_texts ORDER BY office_id, lang`)
	br := tx.SendBatch(ctx, b)
	defer br.Close()

	var offices []Office
	index := map[int64]int{}
	rows, _ := br.Query()
	for rows.Next() {
		var o Office
		var social, educators int16
		if err := rows.Scan(&o.ID, &o.Slug, &o.Name, &o.SeatISTAT, &o.SeatName, &o.SeatProvince, &o.Address, &o.CAP, &o.Phone,
			&o.Email, &o.PEC, &o.AccessibilityNotes, &o.Latitude, &o.Longitude, &social, &educators, &o.TeamOther,
			&o.HoursNote, &o.SourceNote, &o.IsDemo, &o.UpdatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		o.TeamSocialWorkers, o.TeamEducators = int(social), int(educators)
		index[o.ID] = len(offices)
		offices = append(offices, o)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// each reads the rows of one child table and hands every row to add
	// with the office it belongs to.
	each := func(scan func(rows pgx.Rows) (int64, error), add func(o *Office)) error {
		rows, _ := br.Query()
		defer rows.Close()
		for rows.Next() {
			id, err := scan(rows)
			if err != nil {
				return err
			}
			if i, ok := index[id]; ok {
				add(&offices[i])
			}
		}
		return rows.Err()
	}

	var oc OfficeComune
	err := each(func(rows pgx.Rows) (id int64, err error) {
		err = rows.Scan(&id, &oc.ISTAT, &oc.Name, &oc.Slug, &oc.Province, &oc.AreaNote)
		return id, err
	}, func(o *Office) { o.Comuni = append(o.Comuni, oc) })
	if err != nil {
		return nil, err
	}

	var iv hours.Interval
	err = each(func(rows pgx.Rows) (id int64, err error) {
		var wd int16
		var start, end int32
		var kind string
		err = rows.Scan(&id, &wd, &start, &end, &kind)
		iv = hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end), Kind: hours.Kind(kind)}
		return id, err
	}, func(o *Office) { o.Hours = append(o.Hours, iv) })
	if err != nil {
		return nil, err
	}

	var cl hours.Closure
	err = each(func(rows pgx.Rows) (id int64, err error) {
		var from, to time.Time
		err = rows.Scan(&id, &from, &to, &cl.Reason)
		cl.From, cl.To = dateOf(from), dateOf(to)
		return id, err
	}, func(o *Office) { o.Closures = append(o.Closures, cl) })
	if err != nil {
		return nil, err
	}

	var so hours.SpecialOpening
	err = each(func(rows pgx.Rows) (id int64, err error) {
		var on time.Time
		var start, end int32
		var kind string
		err = rows.Scan(&id, &on, &start, &end, &kind, &so.Note)
		so.Date, so.Start, so.End, so.Kind = dateOf(on), hours.Clock(start), hours.Clock(end), hours.Kind(kind)
		return id, err
	}, func(o *Office) { o.Specials = append(o.Specials, so) })
	if err != nil {
		return nil, err
	}

	var lang string
	var notes OfficeNotes
	err = each(func(rows pgx.Rows) (id int64, err error) {
		err = rows.Scan(&id, &lang, &notes.HoursNote, &notes.AccessibilityNotes)
		return id, err
	}, func(o *Office) {
		if o.Notes == nil {
			o.Notes = map[string]OfficeNotes{}
		}
		o.Notes[lang] = notes
	})
	if err != nil {
		return nil, err
	}
	return offices, nil
}

// officeContent is what SaveOffices writes for an office, in a canonical
// order, to tell whether a save changes anything.
type officeContent struct {
	Slug, Name, SeatISTAT, Address, CAP, Phone, Email, PEC, AccessibilityNotes string
	Latitude, Longitude                                                        *float64
	TeamSocialWorkers, TeamEducators                                           int
	TeamOther, HoursNote, SourceNote                                           string
	IsDemo                                                                     bool
	Comuni                                                                     [][2]string
	Hours                                                                      []hours.Interval
	Closures                                                                   []hours.Closure
	Specials                                                                   []hours.SpecialOpening
}

func (o Office) contentHash() string {
	c := officeContent{
		Slug: o.Slug, Name: o.Name, SeatISTAT: o.SeatISTAT, Address: o.Address, CAP: o.CAP, Phone: o.Phone, Email: o.Email,
		PEC: o.PEC, AccessibilityNotes: o.AccessibilityNotes, Latitude: o.Latitude, Longitude: o.Longitude,
		TeamSocialWorkers: o.TeamSocialWorkers, TeamEducators: o.TeamEducators, TeamOther: o.TeamOther,
		HoursNote: o.HoursNote, SourceNote: o.SourceNote, IsDemo: o.IsDemo,
		Hours: slices.Clone(o.Hours), Closures: slices.Clone(o.Closures), Specials: slices.Clone(o.Specials),
	}
	for _, oc := range o.Comuni {
		c.Comuni = append(c.Comuni, [2]string{oc.ISTAT, oc.AreaNote})
	}
	slices.SortFunc(c.Comuni, func(a, b [2]string) int { return cmp.Compare(a[0], b[0]) })
	slices.SortFunc(c.Hours, func(a, b hours.Interval) int {
		return cmp.Or(cmp.Compare(a.Weekday, b.Weekday), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	slices.SortFunc(c.Closures, func(a, b hours.Closure) int {
		return cmp.Or(a.From.Compare(b.From), a.To.Compare(b.To), cmp.Compare(a.Reason, b.Reason))
	})
	slices.SortFunc(c.Specials, func(a, b hours.SpecialOpening) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End))
	})
	b, _ := json.Marshal(c)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// SaveOffices creates or updates, in one transaction, each office by its
// slug, replacing its Comuni, weekly hours, closures and special openings
// with the given ones. An office whose stored data is already identical is
// left untouched (no write, no notification), so saving the same offices
// again is a no-op. If any office breaks a database rule nothing is
// written and the error is a *ConstraintError with an Italian message.
func (s *Store) SaveOffices(ctx context.Context, offices []Office) ([]OfficeSaveResult, error) {
	results := make([]OfficeSaveResult, 0, len(offices))
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		results = results[:0]
		for _, o := range offices {
			res, err := saveOffice(ctx, tx, o)
			if err != nil {
				return err
			}
			results = append(results, res)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return results, nil
}

func saveOffice(ctx context.Context, tx pgx.Tx, o Office) (OfficeSaveResult, error) {
	res := OfficeSaveResult{Slug: o.Slug}
	hash := o.contentHash()
	var oldHash string
	err := tx.QueryRow(ctx, `SELECT id, content_hash FROM offices WHERE slug = $1 FOR UPDATE`, o.Slug).Scan(&res.ID, &oldHash)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		res.Created, res.Changed = true, true
		err = tx.QueryRow(ctx, `INSERT INTO offices (slug, name, seat_istat, address, cap, phone, email, pec, accessibility_notes,
			latitude, longitude, team_social_workers, team_educators, team_other, hours_note, source_note, is_demo, content_hash)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17,$18) RETURNING id`,
			o.Slug, o.Name, o.SeatISTAT, o.Address, o.CAP, o.Phone, o.Email, o.PEC, o.AccessibilityNotes, o.Latitude, o.Longitude,
			o.TeamSocialWorkers, o.TeamEducators, o.TeamOther, o.HoursNote, o.SourceNote, o.IsDemo, hash).Scan(&res.ID)
		if err != nil {
			return res, officeError(err, o, "insert office "+o.Slug)
		}
	case err != nil:
		return res, fmt.Errorf("store: lock office %q: %w", o.Slug, err)
	case oldHash == hash:
		return res, nil
	default:
		res.Changed = true
		_, err = tx.Exec(ctx, `UPDATE offices SET name=$2, seat_istat=$3, address=$4, cap=$5, phone=$6, email=$7, pec=$8,
			accessibility_notes=$9, latitude=$10, longitude=$11, team_social_workers=$12, team_educators=$13, team_other=$14,
			hours_note=$15, source_note=$16, is_demo=$17, content_hash=$18, updated_at=now() WHERE id=$1`,
			res.ID, o.Name, o.SeatISTAT, o.Address, o.CAP, o.Phone, o.Email, o.PEC, o.AccessibilityNotes, o.Latitude, o.Longitude,
			o.TeamSocialWorkers, o.TeamEducators, o.TeamOther, o.HoursNote, o.SourceNote, o.IsDemo, hash)
		if err != nil {
			return res, officeError(err, o, "update office "+o.Slug)
		}
		for _, table := range []string{"office_comuni", "office_hours", "office_closures", "office_special_openings"} {
			if _, err := tx.Exec(ctx, `DELETE FROM `+table+` WHERE office_id = $1`, res.ID); err != nil {
				return res, fmt.Errorf("store: clear %s of office %q: %w", table, o.Slug, err)
			}
		}
	}
	for _, c := range o.Comuni {
		if _, err := tx.Exec(ctx, `INSERT INTO office_comuni (office_id, istat, area_note) VALUES ($1, $2, $3)`,
			res.ID, c.ISTAT, c.AreaNote); err != nil {
			return res, comuneError(err, o, c)
		}
	}
	for _, iv := range o.Hours {
		if err := insertHours(ctx, tx, res.ID, iv); err != nil {
			return res, err
		}
	}
	for _, c := range o.Closures {
		if err := insertClosure(ctx, tx, res.ID, c); err != nil {
			return res, err
		}
	}
	for _, so := range o.Specials {
		if _, err := tx.Exec(ctx, `INSERT INTO office_special_openings (office_id, on_date, start_min, end_min, kind, note)
			VALUES ($1, $2, $3, $4, $5, $6)`, res.ID, dateValue(so.Date), int(so.Start), int(so.End), string(so.Kind), so.Note); err != nil {
			return res, specialError(err, so)
		}
	}
	return res, nil
}

// AddOfficeHours adds one weekly interval to an office. The database
// rejects an end not after the start and an overlap with another interval
// of the same kind on the same weekday: the error is then a
// *ConstraintError such as "Le fasce orarie di lunedì (Accoglienza) si
// sovrappongono.".
func (s *Store) AddOfficeHours(ctx context.Context, officeID int64, iv hours.Interval) error {
	return insertHours(ctx, s.pool, officeID, iv)
}

// AddOfficeClosure adds a closure to an office. The database rejects a
// closure that ends before it starts with a *ConstraintError.
func (s *Store) AddOfficeClosure(ctx context.Context, officeID int64, c hours.Closure) error {
	return insertClosure(ctx, s.pool, officeID, c)
}

type execer interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
}

func insertHours(ctx context.Context, db execer, officeID int64, iv hours.Interval) error {
	_, err := db.Exec(ctx, `INSERT INTO office_hours (office_id, weekday, start_min, end_min, kind) VALUES ($1, $2, $3, $4, $5)`,
		officeID, int(iv.Weekday), int(iv.Start), int(iv.End), string(iv.Kind))
	if err != nil {
		return hoursError(err, iv)
	}
	return nil
}

func insertClosure(ctx context.Context, db execer, officeID int64, c hours.Closure) error {
	_, err := db.Exec(ctx, `INSERT INTO office_closures (office_id, from_date, to_date, reason) VALUES ($1, $2, $3, $4)`,
		officeID, dateValue(c.From), dateValue(c.To), c.Reason)
	if err != nil {
		return closureError(err, c)
	}
	return nil
}

// constraintError returns a *ConstraintError when err is a violation of a
// constraint that messages knows, else nil.
func constraintError(err error, messages map[string]string) error {
	code, constraint := pgCode(err)
	switch code {
	case "23505", "23503", "23514", "23P01": // unique, foreign key, check, exclusion
	default:
		return nil
	}
	if msg, ok := messages[constraint]; ok {
		return &ConstraintError{Constraint: constraint, Message: msg, Err: err}
	}
	return nil
}

func hoursError(err error, iv hours.Interval) error {
	day := fmt.Sprintf("%s (%s)", hours.WeekdayName(iv.Weekday), iv.Kind.Label())
	if ce := constraintError(err, map[string]string{
		"office_hours_no_overlap":     fmt.Sprintf("Le fasce orarie di %s si sovrappongono.", day),
		"office_hours_order":          fmt.Sprintf("Fascia oraria di %s: l'orario di fine deve essere successivo a quello di inizio.", day),
		"office_hours_range":          fmt.Sprintf("Fascia oraria di %s: gli orari devono essere compresi tra 00:00 e 24:00.", day),
		"office_hours_weekday":        string(hours.ErrWeekday),
		"office_hours_kind":           string(hours.ErrKind),
		"office_hours_office_id_fkey": "L'ufficio non esiste.",
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("store: add hours %s %s: %w", day, iv.Span(), err)
}

func closureError(err error, c hours.Closure) error {
	if ce := constraintError(err, map[string]string{
		"office_closures_order": fmt.Sprintf("Chiusura dal %s al %s: la data di fine non può precedere quella di inizio.",
			c.From.Italian(), c.To.Italian()),
		"office_closures_reason_check":   string(hours.ErrTextTooLong),
		"office_closures_office_id_fkey": "L'ufficio non esiste.",
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("store: add closure %s–%s: %w", c.From, c.To, err)
}

func specialError(err error, so hours.SpecialOpening) error {
	day := fmt.Sprintf("%s (%s)", so.Date.Italian(), so.Kind.Label())
	if ce := constraintError(err, map[string]string{
		"office_special_no_overlap":          fmt.Sprintf("Le aperture straordinarie di %s si sovrappongono.", day),
		"office_special_order":               fmt.Sprintf("Apertura straordinaria di %s: l'orario di fine deve essere successivo a quello di inizio.", day),
		"office_special_range":               fmt.Sprintf("Apertura straordinaria di %s: gli orari devono essere compresi tra 00:00 e 24:00.", day),
		"office_special_kind":                string(hours.ErrKind),
		"office_special_openings_note_check": string(hours.ErrTextTooLong),
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("store: add special opening %s: %w", so.Date, err)
}

func comuneError(err error, o Office, c OfficeComune) error {
	if ce := constraintError(err, map[string]string{
		"office_comuni_istat_fkey":      fmt.Sprintf("Il Comune con codice ISTAT %q non esiste.", c.ISTAT),
		"office_comuni_pkey":            fmt.Sprintf("Il Comune con codice ISTAT %s è indicato più volte.", c.ISTAT),
		"office_comuni_area_note_check": "La descrizione della zona servita non può superare 200 caratteri.",
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("store: add comune %s to office %q: %w", c.ISTAT, o.Slug, err)
}

func officeError(err error, o Office, doing string) error {
	if ce := constraintError(err, map[string]string{
		"offices_seat_istat_fkey":           fmt.Sprintf("Il Comune sede con codice ISTAT %q non esiste.", o.SeatISTAT),
		"offices_slug_check":                fmt.Sprintf("L'identificativo %q può contenere solo lettere minuscole, cifre e trattini.", o.Slug),
		"offices_name_check":                "Indicare il nome dell'ufficio (al massimo 200 caratteri).",
		"offices_cap_check":                 "Il CAP deve avere 5 cifre.",
		"offices_coordinates_pair":          "Indicare sia la latitudine sia la longitudine, oppure nessuna delle due.",
		"offices_latitude_check":            "La latitudine non è valida.",
		"offices_longitude_check":           "La longitudine non è valida.",
		"offices_team_social_workers_check": "Il numero di assistenti sociali non può essere negativo.",
		"offices_team_educators_check":      "Il numero di educatori non può essere negativo.",
	}); ce != nil {
		return ce
	}
	return fmt.Errorf("store: %s: %w", doing, err)
}

// dateValue converts a civil date to the value stored in a date column.
func dateValue(d hours.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// dateOf converts a date column back.
func dateOf(t time.Time) hours.Date { return hours.MakeDate(t.Date()) }

// ParseOfficeID reads the payload of an OfficeChangedChannel notification.
func ParseOfficeID(payload string) (int64, bool) {
	id, err := strconv.ParseInt(payload, 10, 64)
	return id, err == nil
}

// DeleteDemoOfficesExcept deletes the demo offices whose slug is not in
// keep and returns how many it deleted. Real offices are never deleted.
func (s *Store) DeleteDemoOfficesExcept(ctx context.Context, keep []string) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM offices WHERE is_demo AND slug <> ALL($1)`, keep)
	if err != nil {
		return 0, fmt.Errorf("store: delete old demo offices: %w", err)
	}
	return tag.RowsAffected(), nil
}
