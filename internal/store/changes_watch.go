package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// ContentChangedChannel is the PostgreSQL notification channel on which
// every change to the Comuni, the service sheets and their topics, the FAQ
// and the booking settings is announced, with the table's name as payload
// (migrations/00008_content_changed.sql). Offices announce theirs on
// OfficeChangedChannel.
const ContentChangedChannel = "content_changed"

// WatchChanges listens on ContentChangedChannel and OfficeChangedChannel
// over a dedicated connection (not one of the pool's). It calls ready once
// it is listening and changed for every notification, with its channel and
// payload. It returns when ctx is done or the connection fails;
// notifications sent while no one listens are lost, so a caller that
// reconnects must assume that anything may have changed.
func (s *Store) WatchChanges(ctx context.Context, ready func(), changed func(channel, payload string)) error {
	conn, err := pgx.ConnectConfig(ctx, s.pool.Config().ConnConfig.Copy())
	if err != nil {
		return fmt.Errorf("store: watch changes: connect: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))
	// One round trip; pg_stat_activity shows the whole string.
	if _, err := conn.Exec(ctx, ListenQuery); err != nil {
		return fmt.Errorf("store: watch changes: listen: %w", err)
	}
	ready()
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return fmt.Errorf("store: watch changes: %w", err)
		}
		changed(n.Channel, n.Payload)
	}
}

// ListenQuery is the statement a watching connection last ran, as
// pg_stat_activity shows it: tests count the listening instances with it.
const ListenQuery = `LISTEN ` + ContentChangedChannel + `; LISTEN ` + OfficeChangedChannel
