package booking

import "time"

// HoldDuration is how long a slot stays reserved for a citizen who picked
// it, while they fill in the forms.
const HoldDuration = 15 * time.Minute

// HoldExpiry returns when a hold taken at now expires.
func HoldExpiry(now time.Time) time.Time { return now.Add(HoldDuration) }

// HoldExpired reports whether a hold that expires at expiry is over at now.
func HoldExpired(expiry, now time.Time) bool { return !now.Before(expiry) }

// HoldRemaining tells the citizen how long the slot stays reserved: "Il
// posto è riservato per te fino alle 10:47 (ancora 12 minuti)". Both the
// time and the minutes are rounded down, so the page never promises more
// time than there is. Under a minute it says "ancora meno di un minuto";
// once expired it asks to choose again.
func HoldRemaining(expiry, now time.Time) string {
	if HoldExpired(expiry, now) {
		return "Il tempo per completare la prenotazione è scaduto: scegli di nuovo un orario."
	}
	_, c := wall(expiry)
	left := "meno di un minuto"
	switch m := int(expiry.Sub(now) / time.Minute); {
	case m == 1:
		left = "1 minuto"
	case m > 1:
		left = itoa(m) + " minuti"
	}
	return "Il posto è riservato per te fino " + untilClock(c) + " (ancora " + left + ")."
}

// Limits on the seats one client holds (issue 9). A browser works on one
// draft at a time (the draft cookie is shared by its tabs), so a person
// needs one held seat; the limits leave room for a draft started afresh
// (cookie lost, private window) while the old hold runs out, and for two
// or three people booking from one connection (a family, an office PC).
// A script that opens a new draft per seat holds no more than this: the
// rest of the calendar stays free for everybody else.
const (
	// MaxHoldsPerBrowser is how many seats one browser (its CSRF cookie)
	// may hold at once, across every office.
	MaxHoldsPerBrowser = 2
	// MaxHoldsPerAddress is how many seats one client address may hold at
	// once, across every office and browser.
	MaxHoldsPerAddress = 3
	// HoldMaxSpan bounds a draft's holds, renewals included: they end at
	// most this long after the draft first held a seat. Choosing the same
	// time again every 15 minutes cannot keep it from others forever; the
	// citizen can still send the booking afterwards, if the seat is free.
	HoldMaxSpan = 2 * HoldDuration
)

// HoldUntil returns when a hold taken (or renewed) at now ends for a
// draft that first held a seat at first (zero: this is its first hold):
// HoldDuration after now, but not past HoldMaxSpan after first. ok is
// false when the draft's span is used up and no hold can be taken.
func HoldUntil(first, now time.Time) (until time.Time, ok bool) {
	until = HoldExpiry(now)
	if first.IsZero() {
		return until, true
	}
	if end := first.Add(HoldMaxSpan); end.Before(until) {
		until = end
	}
	return until, now.Before(until)
}
