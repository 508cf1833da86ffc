package auth

import "time"

// Login throttling. Every check of a staff credential (password, login
// code, the code and password that turn the second factor off) is an
// attempt, recorded in the database before the check and atomically with
// the limit check, so that parallel attempts count one by one and every
// instance sees them. Failures are counted over ThrottleWindow:
//
//   - per account address and client (MaxAccountFailures): this is the
//     lock. A stranger guessing from one client locks only that client
//     out of the account; its owner, on another client, still logs in;
//   - per client, whatever addresses it tries (MaxIPFailures);
//   - per account address from every client (MaxAddressFailures), a much
//     higher ceiling that stops a guess spread over many clients; reaching
//     it writes an audit event for the administrators.
//
// A refused attempt is not counted, so a block lifts ThrottleWindow after
// the failure that caused it. A success of the account from a client
// resets the count of that pair, and the ceiling of the account.
const (
	ThrottleWindow = 15 * time.Minute
	// MaxAccountFailures failed attempts on one address from one client
	// block that client for that address.
	MaxAccountFailures = 5
	// MaxIPFailures failed attempts from one client block it, whatever
	// addresses it tries.
	MaxIPFailures = 20
	// MaxAddressFailures failed attempts on one address, from all clients
	// together, block the address for everyone and are reported in the
	// audit log.
	MaxAddressFailures = 100
)

// FailureCounts are the failed attempts counted over ThrottleWindow for
// one attempt of an account address from a client.
type FailureCounts struct {
	// Pair counts the failures of this address from this client.
	Pair int
	// Client counts the failures of this client on any address.
	Client int
	// Address counts the failures of this address from any client.
	Address int
}

// Throttle is the verdict on an attempt.
type Throttle int

// The verdicts, the reason of a refusal included.
const (
	// Allowed: the credential may be checked.
	Allowed Throttle = iota
	// BlockedPair: too many failures of this address from this client.
	BlockedPair
	// BlockedClient: too many failures from this client.
	BlockedClient
	// BlockedAddress: the address reached its ceiling over all clients.
	BlockedAddress
)

// Check decides on an attempt, given the failures counted before it.
func (c FailureCounts) Check() Throttle {
	switch {
	case c.Pair >= MaxAccountFailures:
		return BlockedPair
	case c.Client >= MaxIPFailures:
		return BlockedClient
	case c.Address >= MaxAddressFailures:
		return BlockedAddress
	}
	return Allowed
}

// ReachesCeiling reports whether recording one more failure of the
// address makes it reach MaxAddressFailures: the moment to tell the
// administrators, once per window.
func (c FailureCounts) ReachesCeiling() bool {
	return c.Address+1 == MaxAddressFailures
}
