package store_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/udc-umbria/portal/internal/notify"
)

// tableOutbox is a store.Outbox that writes every event into a table of
// the test database with the change's own transaction, as the job queue
// does: the table holds exactly the events of the committed changes.
type tableOutbox struct {
	pool *pgxpool.Pool
	mu   sync.Mutex
	err  error
}

func newTableOutbox(t testing.TB, pool *pgxpool.Pool) *tableOutbox {
	t.Helper()
	if _, err := pool.Exec(context.Background(), `CREATE TABLE test_outbox (id bigserial PRIMARY KEY, event jsonb NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	return &tableOutbox{pool: pool}
}

// Notify writes e in tx; after fail(err) it writes e and then returns err,
// so the test can see that the write went with the rolled-back change.
func (o *tableOutbox) Notify(ctx context.Context, tx pgx.Tx, e notify.Event) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `INSERT INTO test_outbox (event) VALUES ($1)`, b); err != nil {
		return err
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.err
}

// fail makes Notify return err from now on; nil makes it succeed again.
func (o *tableOutbox) fail(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.err = err
}

// events returns the committed events, oldest first.
func (o *tableOutbox) events(t testing.TB) []notify.Event {
	t.Helper()
	rows, err := o.pool.Query(context.Background(), `SELECT event FROM test_outbox ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (notify.Event, error) {
		var b []byte
		var e notify.Event
		if err := row.Scan(&b); err != nil {
			return e, err
		}
		return e, json.Unmarshal(b, &e)
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}
