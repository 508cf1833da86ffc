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
