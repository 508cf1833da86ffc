package web

import (
	"cmp"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/i18n"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// nextDays is how many days the office page lists day by day.
const nextDays = 14

// officePage renders /uffici/{slug}.
func (s *Server) officePage(w http.ResponseWriter, r *http.Request) {
	data, err := s.offices.get(r.Context())
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	i, ok := data.officeBySlug[chi.URLParam(r, "slug")]
	if !ok {
		s.notFound(w, r)
		return
	}
	o := data.offices[i]
	now := s.now()
	notes := officeInLang(r, &o)
	l := s.loc(r)
	v := officeView(l, o, now)
	v.Notes = notes
	p := s.page(w, r, o.Name, home, comuniCrumbOf(l), templates.Crumb{Label: o.SeatName, Href: v.Seat.Href, Data: true}, templates.Crumb{Label: o.Name, Data: true})
	p.Section = "comuni"
	p.Demo = o.IsDemo
	p.Description = l.T("office.meta", "Name", o.Name, "Status", v.Status.Text)
	p.JSONLD = s.officeJSONLD(l, o, now)
	p.Rating = s.ratingFor(r, ratingQuestion)
	s.render(w, r, http.StatusOK, templates.OfficePage(p, v))
}

// comuniCrumbOf is comuniCrumb in l's language.
func comuniCrumbOf(l *i18n.Localizer) templates.Crumb {
	return templates.Crumb{Label: l.T("office.comuni.title"), Href: "/comuni"}
}

// officeView builds the office page at the instant now, in l's language.
func officeView(l *i18n.Localizer, o store.Office, now time.Time) templates.OfficeView {
	sch := o.Schedule()
	v := templates.OfficeView{
		Name: o.Name, Seat: templates.ComuneLink{Name: o.SeatName, Href: "/comuni/" + seatSlug(o), Province: o.SeatProvince},
		Address: o.Address, PostalLine: strings.TrimSpace(o.CAP + " " + o.SeatName + " (" + o.SeatProvince + ")"),
		MapHref: mapHref(o), Phone: o.Phone, PhoneHref: phoneHref(o.Phone), Email: o.Email, PEC: o.PEC,
		Accessibility: o.AccessibilityNotes, Team: teamText(l, o), TeamOther: o.TeamOther, HoursNote: o.HoursNote,
		Status: officeStatus(l, o, now), BookHref: bookHref(o.Slug), Demo: o.IsDemo, SourceNote: o.SourceNote,
		Updated: o.UpdatedAt.In(hours.Rome()).Format("02/01/2006"),
	}
	for _, c := range o.Comuni {
		v.Comuni = append(v.Comuni, templates.ServedComune{Name: c.Name, Href: "/comuni/" + c.Slug, AreaNote: c.AreaNote})
	}
	v.Week = weekTable(l, sch)
	today := hours.DateOf(now)
	for _, plan := range sch.Days(today, nextDays) {
		row := templates.DayRow{ISO: plan.Date.String(), Label: dayLabel(l, plan.Date), Today: plan.Date == today}
		if plan.Reason != "" {
			row.Reason = dayReason(l, sch, plan.Date)
		}
		for _, op := range plan.Openings {
			text := op.Span() + " · " + kindLabel(l, op.Kind)
			if op.Special {
				text += " · " + cmp.Or(op.Note, l.T("office.special"))
			}
			row.Openings = append(row.Openings, text)
		}
		v.Days = append(v.Days, row)
	}
	return v
}

// seatSlug returns the slug of the office's seat Comune.
func seatSlug(o store.Office) string {
	for _, c := range o.Comuni {
		if c.ISTAT == o.SeatISTAT {
			return c.Slug
		}
	}
	return o.SeatISTAT // the ISTAT code redirects to the slug
}

// weekTable turns the weekly hours into the timetable's rows.
func weekTable(l *i18n.Localizer, sch hours.Schedule) templates.WeekTable {
	var t templates.WeekTable
	for i, row := range sch.WeekTable() {
		if i == 0 {
			for _, k := range row.ByKind {
				t.Kinds = append(t.Kinds, kindLabel(l, k.Kind))
				t.WalkIn = t.WalkIn || k.Kind == hours.KindWalkIn
				t.Appointment = t.Appointment || k.Kind == hours.KindAppointment
			}
		}
		wr := templates.WeekRow{Day: l.Weekday(row.Weekday), Closed: row.Closed}
		for _, k := range row.ByKind {
			wr.Cells = append(wr.Cells, strings.Join(k.Spans, ", "))
		}
		t.Rows = append(t.Rows, wr)
	}
	if len(t.Kinds) == 0 {
		t.Rows = nil
	}
	return t
}

// officeStatus says whether the office is open at now, in l's language.
// It is computed for every request and never cached.
func officeStatus(l *i18n.Localizer, o store.Office, now time.Time) templates.OfficeStatus {
	if len(o.Hours) == 0 && len(o.Specials) == 0 {
		st := templates.OfficeStatus{Text: l.T("office.status.no_hours")}
		if o.HoursNote != "" {
			st.Details = append(st.Details, l.T("office.status.hours_note", "Note", o.HoursNote))
		}
		return st
	}
	sch := o.Schedule()
	st := sch.Status(now, "")
	out := templates.OfficeStatus{Open: st.Open, Text: statusText(l, st, now)}
	if st.Reason != "" {
		out.Details = append(out.Details, l.T("office.status.today_reason", "Reason", dayReason(l, sch, hours.DateOf(now))))
	}
	walkIn := slices.ContainsFunc(o.Hours, func(iv hours.Interval) bool { return iv.Kind == hours.KindWalkIn })
	appointment := slices.ContainsFunc(o.Hours, func(iv hours.Interval) bool { return iv.Kind == hours.KindAppointment })
	switch {
	case walkIn && appointment:
		// "Open" may mean open only for booked appointments: say what a
		// citizen walking in finds.
		if t := statusText(l, sch.Status(now, hours.KindWalkIn), now); t != out.Text {
			out.Details = append(out.Details, l.T("office.status.walk_in", "Status", t))
		}
	case appointment:
		out.Details = append(out.Details, l.T("office.status.appointment_only"))
	}
	return out
}

// officeCard builds the card of an office as shown on a Comune's page, in
// l's language; area is the part of that Comune the office serves.
func officeCard(l *i18n.Localizer, o store.Office, area string, now time.Time) templates.OfficeCard {
	addr := o.Address
	if addr != "" {
		addr += ", " + strings.TrimSpace(o.CAP+" "+o.SeatName)
	}
	return templates.OfficeCard{
		Name: o.Name, Href: "/uffici/" + o.Slug, AreaNote: area, Address: addr, Phone: o.Phone, PhoneHref: phoneHref(o.Phone),
		Status: officeStatus(l, o, now), BookHref: bookHref(o.Slug), Demo: o.IsDemo, SourceNote: o.SourceNote,
	}
}

func bookHref(slug string) string { return "/prenota?ufficio=" + url.QueryEscape(slug) }

// phoneHref turns "075 123 4567" into "tel:+390751234567".
func phoneHref(phone string) string {
	var b strings.Builder
	for i, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && i == 0) {
			b.WriteRune(r)
		}
	}
	n := b.String()
	if n == "" {
		return ""
	}
	if !strings.HasPrefix(n, "+") {
		n = "+39" + n
	}
	return "tel:" + n
}

// mapHref links to the office's position on OpenStreetMap: a plain link,
// no embedded map.
func mapHref(o store.Office) string {
	if o.Latitude == nil || o.Longitude == nil {
		return ""
	}
	lat := strconv.FormatFloat(*o.Latitude, 'f', -1, 64)
	lon := strconv.FormatFloat(*o.Longitude, 'f', -1, 64)
	return "https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=18/" + lat + "/" + lon
}

// teamText returns "4 assistenti sociali, 1 educatore professionale".
func teamText(l *i18n.Localizer, o store.Office) string {
	var parts []string
	if n := o.TeamSocialWorkers; n > 0 {
		parts = append(parts, l.N("office.team.social_workers", n))
	}
	if n := o.TeamEducators; n > 0 {
		parts = append(parts, l.N("office.team.educators", n))
	}
	return strings.Join(parts, ", ")
}

// jsonLDDays are schema.org's DayOfWeek values by time.Weekday.
var jsonLDDays = [...]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// jsonLDHorizon is how far ahead holiday closures are listed in JSON-LD.
const jsonLDHorizon = 60

// officeJSONLD describes the office as a schema.org GovernmentOffice with
// its weekly hours and, as validFrom/validThrough entries opening and
// closing at 00:00 (closed all day), its closures and the holidays of the
// coming weeks. Its prose (kinds of opening, reasons) is in l's language.
func (s *Server) officeJSONLD(l *i18n.Localizer, o store.Office, now time.Time) string {
	sch := o.Schedule()
	today := hours.DateOf(now)
	var specs []map[string]any
	for _, iv := range o.Hours {
		specs = append(specs, map[string]any{
			"@type": "OpeningHoursSpecification", "name": kindLabel(l, iv.Kind),
			"dayOfWeek": "https://schema.org/" + jsonLDDays[iv.Weekday], "opens": iv.Start.String(), "closes": iv.End.String(),
		})
	}
	closedDay := func(from, to hours.Date, reason string) map[string]any {
		return map[string]any{"@type": "OpeningHoursSpecification", "name": reason, "validFrom": from.String(),
			"validThrough": to.String(), "opens": "00:00", "closes": "00:00"}
	}
	covered := func(d hours.Date) bool {
		return slices.ContainsFunc(o.Closures, func(c hours.Closure) bool { return c.Covers(d) })
	}
	for _, c := range o.Closures {
		if !c.To.Before(today) {
			specs = append(specs, closedDay(c.From, c.To, dayReason(l, sch, c.From)))
		}
	}
	for _, plan := range sch.Days(today, jsonLDHorizon) {
		wd := plan.Date.Weekday()
		opensThatWeekday := slices.ContainsFunc(o.Hours, func(iv hours.Interval) bool { return iv.Weekday == wd })
		if plan.Reason != "" && !covered(plan.Date) && opensThatWeekday {
			specs = append(specs, closedDay(plan.Date, plan.Date, dayReason(l, sch, plan.Date)))
		}
	}
	for _, so := range o.Specials {
		if !so.Date.Before(today) {
			specs = append(specs, map[string]any{"@type": "OpeningHoursSpecification", "name": cmp.Or(so.Note, l.T("office.special")),
				"validFrom": so.Date.String(), "validThrough": so.Date.String(), "opens": so.Start.String(), "closes": so.End.String()})
		}
	}
	var served []map[string]any
	for _, c := range o.Comuni {
		served = append(served, map[string]any{"@type": "City", "name": c.Name})
	}
	doc := map[string]any{
		"@context": "https://schema.org",
		"@type":    "GovernmentOffice",
		"name":     o.Name,
		"url":      s.cfg.BaseURL + l.Lang().Path("/uffici/"+o.Slug),
		"address": map[string]any{
			"@type": "PostalAddress", "streetAddress": o.Address, "postalCode": o.CAP, "addressLocality": o.SeatName,
			"addressRegion": o.SeatProvince, "addressCountry": "IT",
		},
		"areaServed":                served,
		"isAccessibleForFree":       true,
		"parentOrganization":        map[string]any{"@type": "GovernmentOrganization", "name": s.cfg.OwnerName, "url": s.cfg.OwnerURL},
		"openingHoursSpecification": specs,
	}
	if o.Phone != "" {
		doc["telephone"] = strings.TrimPrefix(phoneHref(o.Phone), "tel:")
	}
	if o.Email != "" {
		doc["email"] = o.Email
	}
	if o.Latitude != nil && o.Longitude != nil {
		doc["geo"] = map[string]any{"@type": "GeoCoordinates", "latitude": *o.Latitude, "longitude": *o.Longitude}
	}
	if o.IsDemo {
		doc["description"] = l.T("office.jsonld_demo")
	}
	return jsonLDString(doc)
}

// jsonLDString encodes doc for a <script type="application/ld+json">
// element, so that "</script>" cannot appear inside it.
func jsonLDString(doc any) string {
	b, _ := json.Marshal(doc)
	return strings.NewReplacer("<", `\u003c`, ">", `\u003e`, "&", `\u0026`).Replace(string(b))
}
