package store

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"syscall"

	"github.com/jackc/pgx/v5/pgconn"
)

// Unavailable reports whether err means that the database cannot be
// reached or will not serve us now, rather than that the request was
// wrong: the server refused or dropped the connection (down, restarting,
// connections disallowed, too many connections), an administrator or a
// failover terminated the session, a standby refuses writes, a network
// error or time-out, the pool could not hand out a connection in time.
// The web layer answers these with 503 and Retry-After, and serves the
// public pages it has cached. A cancelled request (the client went away)
// is not an outage.
func Unavailable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var ce *pgconn.ConnectError
	if errors.As(err, &ce) {
		return true
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "57P01", // admin_shutdown: pg_terminate_backend, fast shutdown
			"57P02", // crash_shutdown
			"57P03", // cannot_connect_now: starting up, shutting down, recovering
			"53300", // too_many_connections
			"25006": // read_only_sql_transaction: connected to a standby after a failover
			return true
		}
		return strings.HasPrefix(pe.Code, "08") // connection_exception
	}
	if errors.Is(err, pgconn.ErrConnClosed) || pgconn.SafeToRetry(err) || pgconn.Timeout(err) ||
		errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.EPIPE) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne)
}
