package booking

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/udc-umbria/portal/internal/hours"
)

// Limits of the settings, checked by Settings.Validate.
const (
	MinLengthMinutes = 10
	MaxLengthMinutes = 240
	MinCapacity      = 1
	MaxCapacity      = 20
	MaxNoticeDays    = 30
	MinHorizonDays   = 1
	MaxHorizonDays   = 365
	MaxReasons       = 30
	MaxReasonLength  = 100
)

// Defaults used by DefaultSettings, and by Slots when a setting is left at
// zero.
const (
	DefaultLengthMinutes        = 45
	DefaultCapacity             = 1
	DefaultMinNoticeWorkingDays = 1
	DefaultHorizonDays          = 60
)

// DefaultReasons are the reasons offered when an office has not written its
// own list.
func DefaultReasons() []string {
	return []string{"Prima informazione", "Sostegno economico", "Disabilità", "Anziani", "Minori e famiglia", "Altro"}
}

// Settings are how one office takes appointments with one kind of
// professional.
//
// The keys of the errors returned by Validate are the names of the inputs
// of the settings form: "professionista", "durata", "capienza", "fasce"
// (no window at all), "fasce.N" (a problem with window N, 0-based),
// "preavviso", "orizzonte", "modalita" and "motivi".
type Settings struct {
	Professional Professional
	// LengthMinutes is how long one appointment lasts.
	LengthMinutes int
	// Capacity is how many citizens can be received in the same slot.
	Capacity int
	// Windows are the weekly hours in which appointments can be booked.
	// Kind is ignored. Slots are only offered where a window is also inside
	// the office's weekly opening hours (see Slots).
	Windows []hours.Interval
	// MinNoticeWorkingDays is the minimum notice, in working days (see
	// EarliestStart). 0 allows booking for later the same day.
	MinNoticeWorkingDays int
	// HorizonDays is how many days ahead appointments can be booked.
	HorizonDays int
	// Mode says whether bookings are confirmed at once or by the office.
	Mode Mode
	// Reasons are the reasons a citizen chooses from, in the order shown.
	Reasons []string
}

// DefaultSettings returns the settings proposed to an office that has not
// configured professional p yet: 45-minute appointments, one citizen at a
// time, 1 working day of notice, 60 days ahead, instant confirmation and
// DefaultReasons. There are no windows: the office must choose them.
func DefaultSettings(p Professional) Settings {
	return Settings{
		Professional:         p,
		LengthMinutes:        DefaultLengthMinutes,
		Capacity:             DefaultCapacity,
		MinNoticeWorkingDays: DefaultMinNoticeWorkingDays,
		HorizonDays:          DefaultHorizonDays,
		Mode:                 ModeInstant,
		Reasons:              DefaultReasons(),
	}
}

// Length returns the length of one appointment.
func (s Settings) Length() time.Duration { return time.Duration(s.LengthMinutes) * time.Minute }

// Validate checks the settings and returns the problems in Italian, for the
// staff form, keyed by input name (see Settings). The map is empty when the
// settings are valid.
func (s Settings) Validate() map[string]string {
	errs := map[string]string{}
	if !s.Professional.Valid() {
		errs["professionista"] = "Scegliere la figura professionale."
	}
	lengthOK := s.LengthMinutes >= MinLengthMinutes && s.LengthMinutes <= MaxLengthMinutes
	if !lengthOK {
		errs["durata"] = fmt.Sprintf("Indicare una durata tra %d e %d minuti.", MinLengthMinutes, MaxLengthMinutes)
	}
	if s.Capacity < MinCapacity || s.Capacity > MaxCapacity {
		errs["capienza"] = fmt.Sprintf("Indicare quante persone possono essere ricevute insieme: da %d a %d.", MinCapacity, MaxCapacity)
	}
	if s.MinNoticeWorkingDays < 0 || s.MinNoticeWorkingDays > MaxNoticeDays {
		errs["preavviso"] = fmt.Sprintf("Indicare un preavviso tra 0 e %d giorni lavorativi.", MaxNoticeDays)
	}
	if s.HorizonDays < MinHorizonDays || s.HorizonDays > MaxHorizonDays {
		errs["orizzonte"] = fmt.Sprintf("Indicare per quanti giorni in avanti si può prenotare: da %d a %d.", MinHorizonDays, MaxHorizonDays)
	}
	if !s.Mode.Valid() {
		errs["modalita"] = "Scegliere la modalità di conferma."
	}
	if msg := validateReasons(s.Reasons); msg != "" {
		errs["motivi"] = msg
	}
	s.validateWindows(errs, lengthOK)
	return errs
}

func (s Settings) validateWindows(errs map[string]string, lengthOK bool) {
	if len(s.Windows) == 0 {
		errs["fasce"] = "Indicare almeno una fascia oraria in cui si può prenotare."
		return
	}
	ws := appointmentWindows(s.Windows)
	for i, w := range ws {
		key := fmt.Sprintf("fasce.%d", i)
		if err := w.Validate(); err != nil {
			errs[key] = err.Error()
			continue
		}
		if lengthOK && int(w.End-w.Start) < s.LengthMinutes {
			errs[key] = fmt.Sprintf("La fascia %s di %s è più breve di un appuntamento (%d minuti).",
				w.Span(), hours.WeekdayName(w.Weekday), s.LengthMinutes)
		}
	}
	for _, o := range hours.FindOverlaps(ws) {
		key := fmt.Sprintf("fasce.%d", o.Second)
		if _, ok := errs[key]; !ok {
			a, b := ws[o.First], ws[o.Second]
			if b.Start < a.Start {
				a, b = b, a
			}
			errs[key] = fmt.Sprintf("Le fasce %s e %s di %s si sovrappongono.", a.Span(), b.Span(), hours.WeekdayName(a.Weekday))
		}
	}
}

// appointmentWindows returns the windows with the kind set to
// KindAppointment, so that the hours package checks them as one set.
func appointmentWindows(ws []hours.Interval) []hours.Interval {
	out := slices.Clone(ws)
	for i := range out {
		out[i].Kind = hours.KindAppointment
	}
	return out
}

func validateReasons(reasons []string) string {
	var seen []string
	for _, r := range reasons {
		r = collapseSpaces(r)
		if r == "" {
			return "I motivi non possono essere vuoti: eliminare le righe vuote."
		}
		if utf8.RuneCountInString(r) > MaxReasonLength {
			return fmt.Sprintf("Ogni motivo può avere al massimo %d caratteri.", MaxReasonLength)
		}
		if hasControl(r, false) {
			return "I motivi contengono caratteri non ammessi."
		}
		if slices.Contains(seen, strings.ToLower(r)) {
			return fmt.Sprintf("Il motivo «%s» è ripetuto.", r)
		}
		seen = append(seen, strings.ToLower(r))
	}
	switch {
	case len(seen) == 0:
		return "Indicare almeno un motivo tra cui il cittadino può scegliere."
	case len(seen) > MaxReasons:
		return fmt.Sprintf("Indicare al massimo %d motivi.", MaxReasons)
	}
	return ""
}

// OutsideHours returns a warning, in Italian for staff, for each valid
// window that is not entirely inside the weekly opening hours (of any
// kind): no slot is offered where the office is closed, so such a window is
// probably a mistake. Back-to-back opening intervals count as one.
func (s Settings) OutsideHours(weekly []hours.Interval) []string {
	var out []string
	for _, w := range appointmentWindows(s.Windows) {
		if w.Validate() != nil {
			continue
		}
		if !covered(mergedWeekly(weekly, w.Weekday), w.Start, w.End) {
			out = append(out, fmt.Sprintf("La fascia %s di %s è fuori, in tutto o in parte, dall'orario di apertura dell'ufficio: in quelle ore non verranno proposti appuntamenti.",
				w.Span(), hours.WeekdayName(w.Weekday)))
		}
	}
	return out
}

// clockSpan is a span of wall-clock time within one day.
type clockSpan struct{ start, end hours.Clock }

// mergedWeekly returns the valid weekly intervals of weekday wd, of any
// kind, sorted and with overlapping or touching ones merged.
func mergedWeekly(weekly []hours.Interval, wd time.Weekday) []clockSpan {
	var spans []clockSpan
	for _, iv := range weekly {
		if iv.Weekday == wd && iv.Validate() == nil {
			spans = append(spans, clockSpan{iv.Start, iv.End})
		}
	}
	return merge(spans)
}

func merge(spans []clockSpan) []clockSpan {
	slices.SortFunc(spans, func(a, b clockSpan) int { return cmp.Compare(a.start, b.start) })
	out := spans[:0]
	for _, sp := range spans {
		if n := len(out); n > 0 && sp.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, sp.end)
			continue
		}
		out = append(out, sp)
	}
	return out
}

// covered reports whether [start, end) lies inside one of the merged spans.
func covered(spans []clockSpan, start, end hours.Clock) bool {
	for _, sp := range spans {
		if sp.start <= start && end <= sp.end {
			return true
		}
	}
	return false
}
