package jobs

import "time"

// ForTest returns o with River's test mode, a fixed retry delay for
// e-mail and every periodic job running every interval.
func ForTest(o Options, retry, interval time.Duration) Options {
	o.testOnly = true
	o.retryDelay = func(int) time.Duration { return retry }
	o.intervals = map[string]time.Duration{}
	for k := range defaultIntervals {
		o.intervals[k] = interval
	}
	return o
}

// EmailRetryDelay exposes the production backoff.
var EmailRetryDelay = emailRetryDelay

// EmailTimeout and DeliveryLease expose the bounds RescueAfter must
// exceed.
const (
	EmailTimeout  = emailTimeout
	DeliveryLease = deliveryLease
)
