package importer

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
)

// dayCode is the inverse of dayCodes.
var dayCode = [...]string{"dom", "lun", "mar", "mer", "gio", "ven", "sab"}

// FormatHours writes weekly hours as the orari column:
// "lun 09:00-13:00 accoglienza; mar 15:00-17:00 appuntamento", Monday
// first.
func FormatHours(ivs []hours.Interval) string {
	sorted := slices.Clone(ivs)
	// Monday first, Sunday last, as Italian timetables read.
	rank := func(wd int) int { return (wd + 6) % 7 }
	slices.SortFunc(sorted, func(a, b hours.Interval) int {
		return cmp.Or(cmp.Compare(rank(int(a.Weekday)), rank(int(b.Weekday))), cmp.Compare(a.Start, b.Start), cmp.Compare(a.Kind, b.Kind))
	})
	parts := make([]string, 0, len(sorted))
	for _, iv := range sorted {
		if iv.Weekday < 0 || int(iv.Weekday) >= len(dayCode) {
			continue
		}
		parts = append(parts, dayCode[iv.Weekday]+" "+iv.Start.String()+"-"+iv.End.String()+" "+string(iv.Kind))
	}
	return strings.Join(parts, "; ")
}

// FormatComuni writes the Comuni served as the comuni_serviti column:
// "054039:Centro storico|054015".
func FormatComuni(cs []store.OfficeComune) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		if c.AreaNote != "" {
			parts = append(parts, c.ISTAT+":"+c.AreaNote)
		} else {
			parts = append(parts, c.ISTAT)
		}
	}
	return strings.Join(parts, "|")
}

// FormatClosures writes closures as the chiusure column:
// "2026-12-08 Immacolata; 2026-12-24/2026-12-31 Chiuso per le festività".
func FormatClosures(cs []hours.Closure) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		s := c.From.String()
		if c.To != c.From {
			s += "/" + c.To.String()
		}
		if c.Reason != "" {
			s += " " + c.Reason
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// ExportHeader is the header of the open-data CSV: OfficeColumns followed
// by ExportOnlyColumns.
func ExportHeader() []string { return append(slices.Clone(OfficeColumns), ExportOnlyColumns...) }

// ExportRecord is the row of an office in the open-data CSV, matching
// ExportHeader, with only the closures that end on or after today. The
// file it makes can be imported again with ImportOffices.
func ExportRecord(o store.Office, officeURL string, today hours.Date) []string {
	var closures []hours.Closure
	for _, c := range o.Closures {
		if !c.To.Before(today) {
			closures = append(closures, c)
		}
	}
	names := make([]string, 0, len(o.Comuni))
	for _, c := range o.Comuni {
		names = append(names, c.Name)
	}
	demo := "no"
	if o.IsDemo {
		demo = "sì"
	}
	return []string{
		o.Slug, o.Name, o.SeatISTAT, o.Address, o.CAP, o.Phone, o.Email, o.PEC, o.AccessibilityNotes,
		formatCoordinate(o.Latitude), formatCoordinate(o.Longitude), formatCount(o.TeamSocialWorkers), formatCount(o.TeamEducators),
		o.TeamOther, FormatComuni(o.Comuni), FormatHours(o.Hours), o.HoursNote, FormatClosures(closures), o.SourceNote, demo,
		officeURL, o.SeatName, strings.Join(names, "|"),
	}
}

func formatCoordinate(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func formatCount(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}
