package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/refdata"
)

// Comune is a Comune as stored, with its zone's name.
type Comune struct {
	ISTAT    string `db:"istat"`
	Name     string `db:"name"`
	Slug     string `db:"slug"`
	Province string `db:"province"`
	Belfiore string `db:"belfiore"`
	CAP      string `db:"cap"`
	ZonaID   *int16 `db:"zona_id"`
	ZonaName string `db:"zona_name"`
}

// SyncReferenceData upserts the embedded zone sociali and Comuni. It is
// idempotent and runs after migrations at every start.
func (s *Store) SyncReferenceData(ctx context.Context) error {
	comuni, err := refdata.Comuni()
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		b := &pgx.Batch{}
		for _, z := range refdata.Zones() {
			b.Queue(`INSERT INTO zone_sociali (id, name, capofila) VALUES ($1, $2, $3)
				ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, capofila = EXCLUDED.capofila`, z.ID, z.Name, z.Capofila)
		}
		for _, c := range comuni {
			var zona *int
			if c.Zona != 0 {
				zona = &c.Zona
			}
			b.Queue(`INSERT INTO comuni (istat, name, slug, province, belfiore, cap, zona_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (istat) DO UPDATE SET name = EXCLUDED.name, slug = EXCLUDED.slug,
				  province = EXCLUDED.province, belfiore = EXCLUDED.belfiore, cap = EXCLUDED.cap, zona_id = EXCLUDED.zona_id`,
				c.ISTAT, c.Name, c.Slug, c.Province, c.Belfiore, c.CAP, zona)
		}
		if err := tx.SendBatch(ctx, b).Close(); err != nil {
			return fmt.Errorf("store: sync reference data: %w", err)
		}
		return nil
	})
}

const comuneCols = `c.istat, c.name, c.slug, c.province, c.belfiore, c.cap, c.zona_id, coalesce(z.name, '') AS zona_name`

// ListComuni returns every Comune ordered by zone (unconfirmed last) and name.
func (s *Store) ListComuni(ctx context.Context) ([]Comune, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+comuneCols+` FROM comuni c LEFT JOIN zone_sociali z ON z.id = c.zona_id
		ORDER BY c.zona_id NULLS LAST, c.name COLLATE "C"`)
	if err != nil {
		return nil, fmt.Errorf("store: list comuni: %w", err)
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByName[Comune])
	if err != nil {
		return nil, fmt.Errorf("store: list comuni: %w", err)
	}
	return cs, nil
}

// ComuneBySlug loads one Comune by its slug.
func (s *Store) ComuneBySlug(ctx context.Context, slug string) (Comune, error) {
	return s.comune(ctx, `c.slug = $1`, slug)
}

// ComuneByISTAT loads one Comune by its ISTAT code.
func (s *Store) ComuneByISTAT(ctx context.Context, istat string) (Comune, error) {
	return s.comune(ctx, `c.istat = $1`, istat)
}

func (s *Store) comune(ctx context.Context, where string, arg any) (Comune, error) {
	rows, _ := s.pool.Query(ctx, `SELECT `+comuneCols+` FROM comuni c LEFT JOIN zone_sociali z ON z.id = c.zona_id WHERE `+where, arg)
	c, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[Comune])
	if err != nil {
		return Comune{}, fmt.Errorf("store: load comune %v: %w", arg, notFound(err))
	}
	return c, nil
}
