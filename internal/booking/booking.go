// Package booking holds the rules of appointment booking that need neither
// a database nor HTTP: the settings an office gives each kind of
// professional, the slots they produce from the opening hours, free seats,
// the 15-minute hold, the citizen's forms and the lifecycle of an
// appointment.
//
// All wall-clock logic is in Europe/Rome (hours.Rome). Nothing here reads
// the clock: callers pass the current instant in.
package booking

import "time"

// LinkGrace is how long the citizen's personal link (/appuntamento/{token})
// keeps working after the appointment ends.
const LinkGrace = 24 * time.Hour

// Professional is the kind of professional a citizen books an appointment
// with. The values are stored in the database and appear in URLs.
type Professional string

// The professionals of an Ufficio della Cittadinanza.
const (
	// AssistenteSociale is the social worker.
	AssistenteSociale Professional = "assistente-sociale"
	// Educatore is the professional educator.
	Educatore Professional = "educatore"
)

// Professionals returns every professional, in the order they are shown.
func Professionals() []Professional { return []Professional{AssistenteSociale, Educatore} }

// Valid reports whether p is one of Professionals.
func (p Professional) Valid() bool { return p == AssistenteSociale || p == Educatore }

// Label returns the Italian name shown to citizens: "Assistente sociale",
// "Educatore professionale".
func (p Professional) Label() string {
	switch p {
	case AssistenteSociale:
		return "Assistente sociale"
	case Educatore:
		return "Educatore professionale"
	}
	return string(p)
}

// WithArticle returns the name with its article, to put in a sentence:
// "l'assistente sociale", "l'educatore professionale".
func (p Professional) WithArticle() string {
	switch p {
	case AssistenteSociale:
		return "l'assistente sociale"
	case Educatore:
		return "l'educatore professionale"
	}
	return string(p)
}

// Mode says whether a booking is confirmed at once or must be accepted by
// the office. The values are stored in the database.
type Mode string

// The booking modes.
const (
	// ModeInstant confirms the appointment as soon as the citizen books.
	ModeInstant Mode = "immediata"
	// ModeRequest records a request that the office confirms or declines.
	ModeRequest Mode = "richiesta"
)

// Modes returns every mode, in the order they are shown.
func Modes() []Mode { return []Mode{ModeInstant, ModeRequest} }

// Valid reports whether m is one of Modes.
func (m Mode) Valid() bool { return m == ModeInstant || m == ModeRequest }

// Label returns the Italian label shown to staff.
func (m Mode) Label() string {
	switch m {
	case ModeInstant:
		return "Conferma immediata"
	case ModeRequest:
		return "Su richiesta: l'ufficio conferma l'appuntamento"
	}
	return string(m)
}

// InitialStatus is the status of a new booking made in mode m.
func (m Mode) InitialStatus() Status {
	if m == ModeRequest {
		return StatusRequested
	}
	return StatusConfirmed
}

// Status is where an appointment is in its lifecycle. The values are stored
// in the database.
type Status string

// The statuses of an appointment.
const (
	// StatusRequested waits for the office to confirm or decline it.
	StatusRequested Status = "richiesta"
	// StatusConfirmed will take place.
	StatusConfirmed Status = "confermato"
	// StatusCancelled was cancelled by the citizen or the office.
	StatusCancelled Status = "annullato"
	// StatusDeclined is a request the office did not accept.
	StatusDeclined Status = "rifiutato"
	// StatusDone took place.
	StatusDone Status = "svolto"
	// StatusNoShow did not take place because the citizen did not come.
	StatusNoShow Status = "assente"
)

// Statuses returns every status, in lifecycle order.
func Statuses() []Status {
	return []Status{StatusRequested, StatusConfirmed, StatusCancelled, StatusDeclined, StatusDone, StatusNoShow}
}

// Valid reports whether s is one of Statuses.
func (s Status) Valid() bool {
	switch s {
	case StatusRequested, StatusConfirmed, StatusCancelled, StatusDeclined, StatusDone, StatusNoShow:
		return true
	}
	return false
}

// Label returns the Italian label shown to citizens and staff.
func (s Status) Label() string {
	switch s {
	case StatusRequested:
		return "In attesa di conferma"
	case StatusConfirmed:
		return "Confermato"
	case StatusCancelled:
		return "Annullato"
	case StatusDeclined:
		return "Non accettato"
	case StatusDone:
		return "Svolto"
	case StatusNoShow:
		return "Assente"
	}
	return string(s)
}

// Active reports whether the appointment still holds a seat: it is
// requested or confirmed. Active appointments in the future count towards
// the limit per e-mail address.
func (s Status) Active() bool { return s == StatusRequested || s == StatusConfirmed }

// Terminal reports whether no further change is possible.
func (s Status) Terminal() bool { return s.Valid() && !s.Active() }

// CanTransition reports whether an appointment in status s may move to
// status to. A request may be confirmed, declined or cancelled; a confirmed
// appointment may be cancelled, marked done or marked as a no-show. Every
// other status is final.
func (s Status) CanTransition(to Status) bool {
	switch s {
	case StatusRequested:
		return to == StatusConfirmed || to == StatusDeclined || to == StatusCancelled
	case StatusConfirmed:
		return to == StatusCancelled || to == StatusDone || to == StatusNoShow
	}
	return false
}

// DefaultMaxActivePerEmail is how many future active appointments one
// e-mail address may hold when nothing else is configured.
const DefaultMaxActivePerEmail = 2

// MaxActiveReached reports whether a citizen who already holds active
// future appointments may not book another one. A limit of 0 or less means
// DefaultMaxActivePerEmail.
func MaxActiveReached(active, limit int) bool {
	if limit <= 0 {
		limit = DefaultMaxActivePerEmail
	}
	return active >= limit
}

// MaxActiveMessage is the Italian message shown when MaxActiveReached. A
// limit of 0 or less means DefaultMaxActivePerEmail.
func MaxActiveMessage(limit int) string {
	if limit <= 0 {
		limit = DefaultMaxActivePerEmail
	}
	what := "un appuntamento prenotato"
	if limit > 1 {
		what = itoa(limit) + " appuntamenti prenotati"
	}
	return "Con questo indirizzo e-mail hai già " + what +
		", il massimo consentito. Per prenotarne un altro annulla prima uno di quelli che hai, con il link che hai ricevuto per e-mail."
}
