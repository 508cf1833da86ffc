package auth

import "time"

// Login throttling: failures are counted over ThrottleWindow, per account
// address and per client address, in the database so that every instance
// sees them. A blocked attempt is not counted, so the block lifts
// ThrottleWindow after the failure that caused it.
const (
	ThrottleWindow = 15 * time.Minute
	// MaxAccountFailures failed attempts on one address block it.
	MaxAccountFailures = 5
	// MaxIPFailures failed attempts from one client block it, whatever
	// addresses it tries.
	MaxIPFailures = 20
)

// Throttled reports whether a login attempt must be refused, given the
// failures counted over ThrottleWindow for the account and for the client.
func Throttled(accountFailures, ipFailures int) bool {
	return accountFailures >= MaxAccountFailures || ipFailures >= MaxIPFailures
}
