package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// DemoHistory says what SeedDemoHistory writes.
type DemoHistory struct {
	// From and To are the first and last day (Europe/Rome) of the
	// appointments written; both must be before today, so the history
	// never takes a seat a citizen could book.
	From, To time.Time
	// ErasedBefore: appointments that ended before it are written already
	// erased, as the retention job would have left them.
	ErasedBefore time.Time
	// Now is when the pending requests are counted from.
	Now time.Time
	// Positive and Negative are the follow-up answers of the page rating
	// for 4–5 stars and for 1–3 stars.
	Positive, Negative []string
}

// demoCodePrefix starts the codes of the demo history, so that it can be
// told apart and replaced.
const demoCodePrefix = "DEMO-"

// demoRatingMarker is the comment of the demo history's page ratings
// (comments are never shown in the statistics).
const demoRatingMarker = "[dati dimostrativi]"

// SeedDemoHistory fills the demo offices (offices.is_demo) that take
// bookings with a history of appointments — for each weekday of
// [h.From, h.To], each professional configured, up to eight (social
// workers) or four (educators) appointments a day at the configured
// length from 9:00 — with plausible outcomes (three in four done, some
// no-shows, cancellations by citizens and offices, a few refusals and a
// few booked by staff) and waits (mostly a few days, some weeks), some
// requests still pending from the last ten days, and a year of page
// ratings. It is for the statistics page and make bench only; demo data
// is never loaded in production. Running it again replaces the history it
// wrote before. It returns how many appointments it wrote.
func (s *Store) SeedDemoHistory(ctx context.Context, h DemoHistory) (int, error) {
	var n int
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM appointments WHERE code LIKE $1 || '%'`, demoCodePrefix); err != nil {
			return fmt.Errorf("delete the old history: %w", err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM page_ratings WHERE comment = $1`, demoRatingMarker); err != nil {
			return fmt.Errorf("delete the old ratings: %w", err)
		}
		tag, err := tx.Exec(ctx, `
			WITH slots AS (
				SELECT bs.office_id, bs.professional, bs.length_min, bs.reasons[1] AS reason, d::date AS day, k
				FROM booking_settings bs
				JOIN offices o ON o.id = bs.office_id AND o.is_demo
				CROSS JOIN generate_series($1::date, $2::date, interval '1 day') d
				CROSS JOIN generate_series(0, CASE WHEN bs.professional = 'assistente-sociale' THEN 7 ELSE 3 END) k
				WHERE extract(isodow FROM d) < 6 AND random() < 0.75
			), drawn AS (
				SELECT s.*, ((s.day + time '09:00' + make_interval(mins => s.k * s.length_min)) AT TIME ZONE 'Europe/Rome') AS starts_at,
					random() AS outcome, random() AS wait, random() AS who
				FROM slots s
			), made AS (
				SELECT d.*, d.starts_at - make_interval(days => 1 + floor(d.wait * d.wait * 28)::int, hours => floor(d.who * 8)::int) AS booked_at,
					CASE WHEN d.outcome < 0.74 THEN 'svolto' WHEN d.outcome < 0.81 THEN 'assente' WHEN d.outcome < 0.93 THEN 'annullato'
						WHEN d.outcome < 0.95 THEN 'rifiutato' ELSE 'confermato' END AS status
				FROM drawn d
			)
			INSERT INTO appointments (code, office_id, professional, starts_at, ends_at, status, mode, reason, first_name, last_name,
				email, channel, token_expires_at, created_at, updated_at, cancelled_by, booked_by_staff_id, erased_at)
			SELECT $3 || lpad(row_number() OVER (ORDER BY m.starts_at, m.office_id, m.professional)::text, 7, '0'),
				m.office_id, m.professional, m.starts_at, m.starts_at + make_interval(mins => m.length_min), m.status,
				CASE WHEN m.status = 'rifiutato' THEN 'richiesta' ELSE 'immediata' END, coalesce(m.reason, ''),
				CASE WHEN erase THEN '' ELSE 'Persona' END, CASE WHEN erase THEN '' ELSE 'Dimostrativa' END,
				CASE WHEN erase THEN '' ELSE 'demo@example.invalid' END, 'email',
				m.starts_at + interval '30 days', m.booked_at, m.starts_at,
				CASE WHEN m.status <> 'annullato' THEN NULL WHEN m.outcome < 0.89 THEN 'cittadino' ELSE 'ufficio' END,
				CASE WHEN m.who < 0.15 THEN (SELECT min(id) FROM staff_users) END,
				CASE WHEN erase THEN m.starts_at + interval '1 year' END
			FROM made m, LATERAL (SELECT m.starts_at + make_interval(mins => m.length_min) < $4 AS erase) e`,
			h.From, h.To, demoCodePrefix, h.ErasedBefore)
		if err != nil {
			return fmt.Errorf("appointments: %w", err)
		}
		n = int(tag.RowsAffected())
		// Requests still awaiting an answer, sent in the last ten days for
		// times that have passed (the office forgot them): they take no
		// seat a citizen could book.
		tag, err = tx.Exec(ctx, `
			INSERT INTO appointments (code, office_id, professional, starts_at, ends_at, status, mode, reason, first_name, last_name,
				email, channel, token_expires_at, created_at)
			SELECT $1 || 'R' || lpad(row_number() OVER ()::text, 6, '0'), bs.office_id, bs.professional, t.start,
				t.start + make_interval(mins => bs.length_min), 'richiesta', 'richiesta', coalesce(bs.reasons[1], ''), 'Persona', 'Dimostrativa',
				'demo@example.invalid', 'email', t.start + interval '30 days', t.start - make_interval(days => 1 + floor(random() * 5)::int)
			FROM booking_settings bs
			JOIN offices o ON o.id = bs.office_id AND o.is_demo,
			LATERAL (SELECT (($2::timestamptz AT TIME ZONE 'Europe/Rome')::date - (1 + floor(random() * 9))::int + time '15:00')
				AT TIME ZONE 'Europe/Rome' AS start) t
			WHERE random() < 0.4`, demoCodePrefix, h.Now)
		if err != nil {
			return fmt.Errorf("pending requests: %w", err)
		}
		n += int(tag.RowsAffected())
		// About thirty ratings a day over the whole history, on the main
		// pages and the offices' pages, better on the former.
		_, err = tx.Exec(ctx, `
			WITH pages AS (
				SELECT p, row_number() OVER () AS i FROM unnest(ARRAY['/', '/servizi/ufficio-della-cittadinanza', '/comuni',
					'/domande-frequenti', '/prenota', '/segnala-disservizio']) p
				UNION ALL
				SELECT '/uffici/' || slug, 100 + row_number() OVER (ORDER BY slug) FROM offices WHERE is_demo
			), drawn AS (
				SELECT pg.p, ts, random() AS r, random() AS a
				FROM generate_series($1::timestamptz, $2::timestamptz, interval '48 minutes') ts
				CROSS JOIN LATERAL (SELECT p FROM pages ORDER BY random() + 0 * extract(epoch FROM ts) LIMIT 1) pg
			), rated AS (
				SELECT p, ts, a, CASE WHEN p LIKE '/uffici/%' THEN 1 + floor(r * 5)::int ELSE 2 + floor(r * 4)::int END AS stars FROM drawn
			)
			INSERT INTO page_ratings (page_path, stars, answer, comment, created_at)
			SELECT p, stars,
				CASE WHEN a < 0.4 THEN '' WHEN stars >= 4 THEN ($3::text[])[1 + floor(a * cardinality($3::text[]))::int % cardinality($3::text[])]
					ELSE ($4::text[])[1 + floor(a * cardinality($4::text[]))::int % cardinality($4::text[])] END,
				$5, ts
			FROM rated`, h.From, h.Now, h.Positive, h.Negative, demoRatingMarker)
		if err != nil {
			return fmt.Errorf("page ratings: %w", err)
		}
		// The planner should know the new rows at once.
		for _, table := range []string{"appointments", "page_ratings"} {
			if _, err := tx.Exec(ctx, `ANALYZE `+table); err != nil {
				return fmt.Errorf("analyze %s: %w", table, err)
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("store: seed demo history: %w", err)
	}
	return n, nil
}
