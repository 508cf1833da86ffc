package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// PoolStats is a snapshot of the connection pool, for the metrics.
type PoolStats struct {
	// Connections by state, and the most the pool opens.
	Acquired, Idle, Constructing, Max int32
	// Acquires counts connections handed out; EmptyAcquires those that had
	// to wait for one; CanceledAcquires those whose caller gave up.
	Acquires, EmptyAcquires, CanceledAcquires int64
	// AcquireWait is the total time spent waiting for a connection.
	AcquireWait time.Duration
	// NewConns counts connections opened.
	NewConns int64
}

// PoolStats returns the pool's counters; it does not touch the database.
func (s *Store) PoolStats() PoolStats {
	st := s.pool.Stat()
	return PoolStats{
		Acquired: st.AcquiredConns(), Idle: st.IdleConns(), Constructing: st.ConstructingConns(), Max: st.MaxConns(),
		Acquires: st.AcquireCount(), EmptyAcquires: st.EmptyAcquireCount(), CanceledAcquires: st.CanceledAcquireCount(),
		AcquireWait: st.AcquireDuration(), NewConns: st.NewConnsCount(),
	}
}

// JobCount is how many jobs of a queue are in a state.
type JobCount struct {
	Queue string `db:"queue"`
	State string `db:"state"`
	N     int64  `db:"n"`
	// OldestSeconds is how long the oldest of them has been due (0 when
	// none is due yet).
	OldestSeconds float64 `db:"oldest_seconds"`
}

// JobCounts counts the jobs of the River queue by queue and state
// (available, scheduled, running, retryable — failing and waiting for
// another attempt —, discarded — given up —, completed, cancelled). Only
// finished jobs of the retention period are in the table, so the count is
// cheap.
func (s *Store) JobCounts(ctx context.Context) ([]JobCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT queue, state::text AS state, count(*) AS n,
		greatest(extract(epoch FROM now() - min(scheduled_at)), 0)::float8 AS oldest_seconds
		FROM river_job GROUP BY 1, 2 ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("store: count jobs: %w", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToStructByName[JobCount])
	if err != nil {
		return nil, fmt.Errorf("store: count jobs: %w", err)
	}
	return out, nil
}
