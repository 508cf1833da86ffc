package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
)

// The figures of /area-riservata/statistiche: aggregates only, never a
// row about one citizen. Every column they read (office, professional,
// times, status, who cancelled, whether staff booked, when it was booked)
// survives ErasePersonalData, so the figures do not change when personal
// data is erased. The appointments_stats_idx index (migration 00011)
// covers them.

// StatsFilter selects the appointments counted: those of OfficeIDs
// starting in [From, To), with Professional if set. An empty OfficeIDs
// counts nothing.
type StatsFilter struct {
	OfficeIDs    []int64
	From, To     time.Time
	Professional booking.Professional
}

// AppointmentCounts are the outcomes of a set of appointments, and how
// long their citizens waited: days from the day of booking to the day of
// the appointment, in Europe/Rome.
type AppointmentCounts struct {
	// Booked is every appointment, whatever became of it.
	Booked int `db:"booked"`
	// ByStaff were booked by the office for the citizen (phone, desk).
	ByStaff int `db:"by_staff"`
	// CancelledByCitizen used the personal link; CancelledByOffice are
	// the other cancellations.
	CancelledByCitizen int `db:"cancelled_citizen"`
	CancelledByOffice  int `db:"cancelled_office"`
	// Declined are requests the office did not accept.
	Declined int `db:"declined"`
	NoShow   int `db:"no_show"`
	Done     int `db:"done"`
	// Requested still await confirmation; Confirmed are confirmed and not
	// yet marked done or no-show.
	Requested int `db:"requested"`
	Confirmed int `db:"confirmed"`
	// WaitMedian and WaitP90 are the median and 90th percentile of the
	// wait in days (nil without appointments).
	WaitMedian *float64 `db:"wait_median"`
	WaitP90    *float64 `db:"wait_p90"`
}

// WeekStats are the counts of the appointments of one week.
type WeekStats struct {
	// Week is the Monday (Europe/Rome) of the week of the appointments.
	Week time.Time
	AppointmentCounts
}

// OfficeStats are the counts of one office's appointments with one kind
// of professional.
type OfficeStats struct {
	OfficeID     int64
	Professional booking.Professional
	AppointmentCounts
}

// statsAggregates are the SELECT list of AppointmentCounts over the rows
// of statsRows. The two percentiles come from one aggregate call, written
// twice: PostgreSQL computes identical aggregates once, so one sort gives
// both.
const statsAggregates = `count(*) AS booked,
	count(*) FILTER (WHERE a.booked_by_staff_id IS NOT NULL) AS by_staff,
	count(*) FILTER (WHERE a.status = 'annullato' AND a.cancelled_by = 'cittadino') AS cancelled_citizen,
	count(*) FILTER (WHERE a.status = 'annullato' AND a.cancelled_by IS DISTINCT FROM 'cittadino') AS cancelled_office,
	count(*) FILTER (WHERE a.status = 'rifiutato') AS declined,
	count(*) FILTER (WHERE a.status = 'assente') AS no_show,
	count(*) FILTER (WHERE a.status = 'svolto') AS done,
	count(*) FILTER (WHERE a.status = 'richiesta') AS requested,
	count(*) FILTER (WHERE a.status = 'confermato') AS confirmed,
	(percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY a.wait))[1] AS wait_median,
	(percentile_cont(ARRAY[0.5, 0.9]) WITHIN GROUP (ORDER BY a.wait))[2] AS wait_p90`

// statsRows are the appointments of a StatsFilter (arguments $1–$4) with
// the Monday of their week and their wait in days, from the days stored
// in Europe/Rome (starts_on, booked_on: migration 00011).
const statsRows = `(SELECT x.office_id, x.professional, x.status, x.cancelled_by, x.booked_by_staff_id,
		x.starts_on - (extract(isodow FROM x.starts_on)::int - 1) AS week, x.starts_on - x.booked_on AS wait
	FROM appointments x
	WHERE x.starts_at >= $1 AND x.starts_at < $2 AND x.office_id = ANY($3::bigint[]) AND ($4 = '' OR x.professional = $4)) a`

func (f StatsFilter) args() []any {
	ids := f.OfficeIDs
	if ids == nil {
		ids = []int64{}
	}
	return []any{f.From, f.To, ids, string(f.Professional)}
}

// statsWorkMem lets the sorts of a year of appointments of every office
// stay in memory (the default 4 MB spills them to disk).
const statsWorkMem = "16MB"

// queryStats runs a statistics query in a read-only transaction with
// statsWorkMem and collects its rows by column name.
func queryStats[T any](ctx context.Context, s *Store, what, sql string, args []any) ([]T, error) {
	var out []T
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT set_config('work_mem', $1, true)`, statsWorkMem); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, sql, args...)
		if err != nil {
			return err
		}
		out, err = pgx.CollectRows(rows, pgx.RowToStructByName[T])
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	return out, nil
}

// AppointmentStats are the counts of the appointments of a StatsFilter
// three ways.
type AppointmentStats struct {
	// Weeks are week by week (Monday to Sunday, Europe/Rome, by the day of
	// the appointment), oldest first; weeks without appointments are
	// absent.
	Weeks []WeekStats
	// Offices are by office and professional, by office id.
	Offices []OfficeStats
	// Period is the whole filter as one: its waits are computed over every
	// appointment (not from the weeks' medians).
	Period AppointmentCounts
}

// statsGroup is one row of the grouping sets of AppointmentStats; g tells
// which set (GROUPING(): 3 the weeks, 4 the offices, 7 the whole).
type statsGroup struct {
	G            int        `db:"g"`
	Week         *time.Time `db:"week"`
	OfficeID     *int64     `db:"office_id"`
	Professional *string    `db:"professional"`
	AppointmentCounts
}

// AppointmentStats counts the appointments of f by week, by office and
// professional, and as a whole, in one pass over them (GROUPING SETS).
func (s *Store) AppointmentStats(ctx context.Context, f StatsFilter) (AppointmentStats, error) {
	rows, err := queryStats[statsGroup](ctx, s, "appointment statistics", `SELECT
			GROUPING(a.week, a.office_id, a.professional) AS g, a.week, a.office_id, a.professional, `+statsAggregates+`
		FROM `+statsRows+`
		GROUP BY GROUPING SETS ((a.week), (a.office_id, a.professional), ())
		ORDER BY g, a.week, a.office_id, a.professional`, f.args())
	if err != nil {
		return AppointmentStats{}, err
	}
	var out AppointmentStats
	for _, r := range rows {
		switch {
		case r.Week != nil:
			// A date comes back as midnight UTC: make it the Monday in Rome.
			y, m, d := r.Week.Date()
			out.Weeks = append(out.Weeks, WeekStats{Week: time.Date(y, m, d, 0, 0, 0, 0, hours.Rome()), AppointmentCounts: r.AppointmentCounts})
		case r.OfficeID != nil && r.Professional != nil:
			out.Offices = append(out.Offices, OfficeStats{OfficeID: *r.OfficeID, Professional: booking.Professional(*r.Professional),
				AppointmentCounts: r.AppointmentCounts})
		default:
			out.Period = r.AppointmentCounts
		}
	}
	return out, nil
}

// PendingStats are the requests of one office and professional still
// awaiting the office's answer at a given instant.
type PendingStats struct {
	OfficeID     int64                `db:"office_id"`
	Professional booking.Professional `db:"professional"`
	Count        int                  `db:"pending"`
	// Oldest is when the oldest of them was sent; MedianAgeDays the median
	// age in days.
	Oldest        time.Time `db:"oldest"`
	MedianAgeDays float64   `db:"median_age_days"`
	// Overdue are those whose requested time has already passed.
	Overdue int `db:"overdue"`
}

// PendingRequests returns, for each office of officeIDs and professional
// with requests awaiting confirmation at now, how many and how old they
// are.
func (s *Store) PendingRequests(ctx context.Context, officeIDs []int64, professional booking.Professional, now time.Time) ([]PendingStats, error) {
	if officeIDs == nil {
		officeIDs = []int64{}
	}
	rows, err := s.pool.Query(ctx, `SELECT a.office_id, a.professional, count(*) AS pending, min(a.created_at) AS oldest,
			percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM $2::timestamptz - a.created_at) / 86400) AS median_age_days,
			count(*) FILTER (WHERE a.starts_at < $2) AS overdue
		FROM appointments a
		WHERE a.status = 'richiesta' AND a.office_id = ANY($1::bigint[]) AND ($3 = '' OR a.professional = $3)
		GROUP BY 1, 2 ORDER BY 1, 2`, officeIDs, now, string(professional))
	if err != nil {
		return nil, fmt.Errorf("store: pending requests: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[PendingStats])
	if err != nil {
		return nil, fmt.Errorf("store: pending requests: %w", err)
	}
	return out, nil
}

// PageRatingStats are the ratings of one page in a period.
type PageRatingStats struct {
	PagePath string  `db:"page_path"`
	Count    int     `db:"ratings"`
	Average  float64 `db:"average"`
	// Stars counts the ratings of 1 to 5 stars (Stars[0] is 1 star).
	Stars [5]int
	// Answers counts the follow-up answers chosen (the fixed list of the
	// rating component; the free comments are not part of the figures).
	Answers []AnswerCount
}

// AnswerCount is how often one follow-up answer was chosen.
type AnswerCount struct {
	Answer string `db:"answer"`
	Count  int    `db:"n"`
}

// PageRatings summarises the ratings given in [from, to), page by page,
// the most rated first; paths, if not nil, keeps only those pages.
func (s *Store) PageRatings(ctx context.Context, from, to time.Time, paths []string) ([]PageRatingStats, error) {
	all := paths == nil
	if paths == nil {
		paths = []string{}
	}
	rows, err := s.pool.Query(ctx, `SELECT page_path, stars, answer, count(*) AS n FROM page_ratings
		WHERE created_at >= $1 AND created_at < $2 AND ($3 OR page_path = ANY($4::text[]))
		GROUP BY 1, 2, 3`, from, to, all, paths)
	if err != nil {
		return nil, fmt.Errorf("store: page ratings: %w", err)
	}
	byPage := map[string]*PageRatingStats{}
	var order []string
	var path, answer string
	var stars, n int
	_, err = pgx.ForEachRow(rows, []any{&path, &stars, &answer, &n}, func() error {
		p, ok := byPage[path]
		if !ok {
			p = &PageRatingStats{PagePath: path}
			byPage[path] = p
			order = append(order, path)
		}
		p.Count += n
		p.Average += float64(stars * n)
		if stars >= 1 && stars <= 5 {
			p.Stars[stars-1] += n
		}
		if answer != "" {
			found := false
			for i := range p.Answers {
				if p.Answers[i].Answer == answer {
					p.Answers[i].Count += n
					found = true
				}
			}
			if !found {
				p.Answers = append(p.Answers, AnswerCount{Answer: answer, Count: n})
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: page ratings: %w", err)
	}
	out := make([]PageRatingStats, 0, len(order))
	for _, path := range order {
		p := byPage[path]
		p.Average /= float64(p.Count)
		sortAnswers(p.Answers)
		out = append(out, *p)
	}
	sortPages(out)
	return out, nil
}

// BookingSettingsOf returns the booking settings of the offices, enabled
// or not, with their windows, by office id (as BookingSettings does for
// one office).
func (s *Store) BookingSettingsOf(ctx context.Context, officeIDs []int64) (map[int64][]BookingSettings, error) {
	if officeIDs == nil {
		officeIDs = []int64{}
	}
	out := map[int64][]BookingSettings{}
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		clear(out)
		rows, err := tx.Query(ctx, `SELECT office_id, professional, enabled, length_min, capacity, min_notice_days, horizon_days, mode,
			reasons, max_active_per_email FROM booking_settings WHERE office_id = ANY($1::bigint[])
			ORDER BY office_id, array_position(ARRAY['assistente-sociale', 'educatore'], professional), professional`, officeIDs)
		if err != nil {
			return err
		}
		var bs BookingSettings
		var p, mode string
		_, err = pgx.ForEachRow(rows, []any{&bs.OfficeID, &p, &bs.Enabled, &bs.LengthMinutes, &bs.Capacity, &bs.MinNoticeWorkingDays,
			&bs.HorizonDays, &mode, &bs.Reasons, &bs.MaxActivePerEmail}, func() error {
			c := bs
			c.Professional, c.Settings.Professional, c.Mode = booking.Professional(p), booking.Professional(p), booking.Mode(mode)
			out[c.OfficeID] = append(out[c.OfficeID], c)
			return nil
		})
		if err != nil {
			return err
		}
		rows, err = tx.Query(ctx, `SELECT office_id, professional, weekday, start_min, end_min FROM booking_windows
			WHERE office_id = ANY($1::bigint[]) ORDER BY office_id, professional, (weekday + 6) % 7, start_min`, officeIDs)
		if err != nil {
			return err
		}
		var office int64
		var wd int16
		var start, end int32
		_, err = pgx.ForEachRow(rows, []any{&office, &p, &wd, &start, &end}, func() error {
			list := out[office]
			for i := range list {
				if string(list[i].Professional) == p {
					list[i].Windows = append(list[i].Windows, hours.Interval{Weekday: time.Weekday(wd), Start: hours.Clock(start), End: hours.Clock(end)})
				}
			}
			return nil
		})
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: booking settings of %d offices: %w", len(officeIDs), err)
	}
	return out, nil
}

// SeatKey identifies a slot across offices: office, professional and the
// start (UTC, truncated to the minute).
type SeatKey struct {
	OfficeID     int64
	Professional booking.Professional
	Start        time.Time
}

// TakenSeatsOf is TakenSeats for several offices and both professionals
// at once: the seats taken in each slot starting in [from, to) by active
// appointments and unexpired holds. Slots with no seat taken are absent.
func (s *Store) TakenSeatsOf(ctx context.Context, officeIDs []int64, from, to time.Time) (map[SeatKey]int, error) {
	if officeIDs == nil {
		officeIDs = []int64{}
	}
	rows, err := s.pool.Query(ctx, `SELECT office_id, professional, date_trunc('minute', starts_at), count(*) FROM (
			SELECT office_id, professional, starts_at FROM appointments WHERE office_id = ANY($1::bigint[])
				AND starts_at >= $2 AND starts_at < $3 AND status IN `+activeStatuses+`
			UNION ALL
			SELECT office_id, professional, starts_at FROM slot_holds WHERE office_id = ANY($1::bigint[])
				AND starts_at >= $2 AND starts_at < $3 AND expires_at > now()
		) seats GROUP BY 1, 2, 3`, officeIDs, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: taken seats: %w", err)
	}
	out := map[SeatKey]int{}
	var k SeatKey
	var p string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&k.OfficeID, &p, &k.Start, &n}, func() error {
		out[SeatKey{OfficeID: k.OfficeID, Professional: booking.Professional(p), Start: k.Start.UTC()}] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("store: taken seats: %w", err)
	}
	return out, nil
}

// sortAnswers puts the most chosen answers first.
func sortAnswers(a []AnswerCount) {
	slices.SortFunc(a, func(x, y AnswerCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Answer, y.Answer))
	})
}

// sortPages puts the most rated pages first.
func sortPages(p []PageRatingStats) {
	slices.SortFunc(p, func(x, y PageRatingStats) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.PagePath, y.PagePath))
	})
}
