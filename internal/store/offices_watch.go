package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// WatchOfficeChanges listens on OfficeChangedChannel over a dedicated
// connection (not one of the pool's). It calls ready once it is listening
// and changed for every notification, with the office id (0 if the
// payload is not an id). It returns when ctx is done or the connection
// fails; notifications sent while no one listens are lost, so a caller
// that reconnects must assume that anything may have changed.
func (s *Store) WatchOfficeChanges(ctx context.Context, ready func(), changed func(officeID int64)) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("store: watch offices: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	if _, err := conn.Exec(ctx, `LISTEN `+OfficeChangedChannel); err != nil {
		return fmt.Errorf("store: watch offices: listen: %w", err)
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("store: watch offices: %w", err)
		}
		id, _ := ParseOfficeID(n.Payload)
		changed(id)
	}
}
