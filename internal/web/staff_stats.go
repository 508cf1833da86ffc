package web

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/templates"
)

// The statistics of /area-riservata/statistiche, for the manager of a
// Zona sociale and for each office. Who sees what (statsScope):
// administrators every office, filterable by Zona sociale; operatori
// their offices; redattori no office, only the page ratings. An office
// outside the account's offices is 404, as everywhere in the staff area.
// Every figure is an aggregate computed by the store; the page, its charts
// and its CSV files hold no personal data.

// Limits of the period.
const (
	statsDefaultWeeks = 12
	statsMaxDays      = 371 // a year of whole weeks
)

// statsRequest is the filter of the page and of its CSV files, checked.
type statsRequest struct {
	// Values as typed, for the form.
	From, To, Zone, Office, Professional string
	Errors                               map[string]string
	// The period, both days included.
	FromDate, ToDate hours.Date
	professional     booking.Professional
	// offices are those counted, in name order; all those the account
	// may see (for the form) are in choices.
	offices []store.Office
	choices []store.Office
	zones   []templates.Choice
	// appointments is false for accounts that see no office.
	appointments bool
	// ratingPaths limits the page ratings (nil: every page).
	ratingPaths []string
	scope       string
}

// statsScope returns the offices the account may see, and whether it may
// choose a Zona sociale.
func statsScope(u store.StaffUser, all []store.Office) (visible []store.Office, zones bool) {
	switch u.Role {
	case auth.RoleAdmin:
		return all, true
	case auth.RoleOperator:
		mine := u.OfficeIDs()
		for _, o := range all {
			if slices.Contains(mine, o.ID) {
				visible = append(visible, o)
			}
		}
	}
	return visible, false
}

// parseStats reads and checks the filter. found is false when the request
// names an office the account may not see: the caller answers 404.
func (s *Server) parseStats(ctx context.Context, r *http.Request) (req statsRequest, found bool, err error) {
	u, _ := staffFrom(ctx)
	q := r.URL.Query()
	req = statsRequest{From: strings.TrimSpace(q.Get("dal")), To: strings.TrimSpace(q.Get("al")), Zone: q.Get("zona"),
		Office: q.Get("ufficio"), Professional: q.Get("figura"), Errors: map[string]string{}}
	d, err := s.offices.get(ctx)
	if err != nil {
		return req, false, err
	}
	visible, zones := statsScope(u, d.offices)
	req.choices = visible
	req.appointments = u.Role == auth.RoleAdmin || u.Role == auth.RoleOperator

	today := hours.DateOf(s.now())
	req.ToDate = today
	req.FromDate = booking.Week(today, -(statsDefaultWeeks - 1)).Start
	if req.To != "" {
		if t, ok := parseFormDate(req.To); ok {
			req.ToDate = t
		} else {
			req.Errors["al"] = msgAppointmentDate
		}
	}
	if req.From != "" {
		if f, ok := parseFormDate(req.From); ok {
			req.FromDate = f
		} else {
			req.Errors["dal"] = msgAppointmentDate
		}
	}
	if len(req.Errors) == 0 {
		switch {
		case req.ToDate.Before(req.FromDate):
			req.Errors["al"] = msgAppointmentOrder
		case req.FromDate.DaysUntil(req.ToDate) >= statsMaxDays:
			req.Errors["al"] = "Scegli un periodo di al massimo un anno."
		}
	}
	if req.From == "" {
		req.From = req.FromDate.String()
	}
	if req.To == "" {
		req.To = req.ToDate.String()
	}
	if req.Professional != "" {
		if p := booking.Professional(req.Professional); p.Valid() {
			req.professional = p
		} else {
			req.Errors["figura"] = "Scegli una figura professionale dell'elenco."
		}
	}

	counted := visible
	req.scope = "Sono contati tutti gli uffici."
	if u.Role == auth.RoleOperator {
		req.scope = "Sono contati i tuoi uffici."
	}
	if zones {
		zoneOf := func(o store.Office) (int, string) {
			if i, ok := d.comuneByISTAT[o.SeatISTAT]; ok && d.comuni[i].ZonaID != nil {
				return int(*d.comuni[i].ZonaID), d.comuni[i].ZonaName
			}
			return 0, ""
		}
		seen := map[int]bool{}
		for _, o := range visible {
			if z, name := zoneOf(o); z != 0 && !seen[z] {
				seen[z] = true
				req.zones = append(req.zones, templates.Choice{Value: strconv.Itoa(z), Label: "Zona sociale " + strconv.Itoa(z) + " – " + name})
			}
		}
		slices.SortFunc(req.zones, func(a, b templates.Choice) int {
			x, _ := strconv.Atoi(a.Value)
			y, _ := strconv.Atoi(b.Value)
			return x - y
		})
		if req.Zone != "" {
			z, err := strconv.Atoi(req.Zone)
			if err != nil || !seen[z] {
				req.Errors["zona"] = "Scegli una Zona sociale dell'elenco."
			} else {
				counted = nil
				for _, o := range visible {
					if oz, _ := zoneOf(o); oz == z {
						counted = append(counted, o)
					}
				}
				req.scope = "Sono contati gli uffici della Zona sociale " + req.Zone + "."
			}
		}
	} else {
		req.Zone = ""
	}
	if req.Office != "" {
		id, err := strconv.ParseInt(req.Office, 10, 64)
		i := slices.IndexFunc(visible, func(o store.Office) bool { return o.ID == id })
		if err != nil || i < 0 {
			return req, false, nil
		}
		counted = []store.Office{visible[i]}
		req.scope = "È contato l'ufficio " + visible[i].Name + "."
	}
	req.offices = counted
	switch {
	case u.Role == auth.RoleOperator || req.Zone != "" || req.Office != "":
		// The ratings of the counted offices' pages.
		req.ratingPaths = []string{}
		for _, o := range counted {
			req.ratingPaths = append(req.ratingPaths, "/uffici/"+o.Slug)
		}
	case !req.appointments:
		req.scope = "Come redattore vedi le valutazioni di tutte le pagine."
	}
	return req, true, nil
}

// officeIDs are the ids of the counted offices.
func (req statsRequest) officeIDs() []int64 {
	ids := make([]int64, 0, len(req.offices))
	for _, o := range req.offices {
		ids = append(ids, o.ID)
	}
	return ids
}

// filter is the store's filter of the period.
func (req statsRequest) filter() store.StatsFilter {
	return store.StatsFilter{OfficeIDs: req.officeIDs(), From: req.FromDate.At(0), To: req.ToDate.AddDays(1).At(0),
		Professional: req.professional}
}

// query is the filter as typed, for the CSV links.
func (req statsRequest) query() string {
	q := url.Values{}
	q.Set("dal", req.FromDate.String())
	q.Set("al", req.ToDate.String())
	for k, v := range map[string]string{"zona": req.Zone, "ufficio": req.Office, "figura": req.Professional} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return "?" + q.Encode()
}

// statsData is everything the page and the CSV files show: the rows of
// the tables, and the figures the charts draw.
type statsData struct {
	weeks   []templates.StatsWeekRow
	total   templates.StatsWeekRow
	offices []templates.StatsOfficeRow
	pending []templates.StatsPendingRow
	ratings []templates.StatsRatingRow
	answers []templates.StatsAnswerRow
	// weekly has one entry per week of the period (zero for a week
	// without appointments), period the whole period, rated the pages.
	weekly []store.WeekStats
	period store.AppointmentCounts
	rated  []store.PageRatingStats
}

// load computes the figures of req. Appointment figures are left out for
// accounts that see no office.
func (s *Server) loadStats(ctx context.Context, req statsRequest) (statsData, error) {
	var d statsData
	now := s.now()
	if req.appointments {
		f := req.filter()
		all, err := s.store.AppointmentStats(ctx, f)
		if err != nil {
			return d, err
		}
		d.weekly = allWeeks(req.FromDate, req.ToDate, all.Weeks)
		d.weeks = weekRows(d.weekly)
		byOffice := all.Offices
		// The period as one row: its waits are computed over every
		// appointment (a median of the weeks' medians would be wrong).
		d.period = all.Period
		d.total = templates.StatsWeekRow{Week: "Totale", Counts: countsOf(d.period), WaitMedian: days(d.period.WaitMedian), WaitP90: days(d.period.WaitP90)}
		free, err := s.firstFreeSlots(ctx, req, now)
		if err != nil {
			return d, err
		}
		d.offices = officeRows(req, byOffice, free)
		pending, err := s.store.PendingRequests(ctx, req.officeIDs(), req.professional, now)
		if err != nil {
			return d, err
		}
		d.pending = pendingRows(req, pending, now)
	}
	ratings, err := s.store.PageRatings(ctx, req.FromDate.At(0), req.ToDate.AddDays(1).At(0), req.ratingPaths)
	if err != nil {
		return d, err
	}
	d.rated = ratings
	for _, r := range ratings {
		d.ratings = append(d.ratings, templates.StatsRatingRow{Page: r.PagePath, Count: r.Count, Average: templates.FormatNumber(r.Average), Stars: r.Stars})
		for _, a := range r.Answers {
			d.answers = append(d.answers, templates.StatsAnswerRow{Page: r.PagePath, Answer: a.Answer, Count: a.Count})
		}
	}
	return d, nil
}

func addCounts(c *templates.StatsCounts, a store.AppointmentCounts) {
	c.Booked += a.Booked
	c.ByStaff += a.ByStaff
	c.CancelledByCitizen += a.CancelledByCitizen
	c.CancelledByOffice += a.CancelledByOffice
	c.Declined += a.Declined
	c.NoShow += a.NoShow
	c.Done += a.Done
	c.Requested += a.Requested
	c.Confirmed += a.Confirmed
}

func countsOf(a store.AppointmentCounts) templates.StatsCounts {
	var c templates.StatsCounts
	addCounts(&c, a)
	return c
}

// days writes a number of days, "—" for none.
func days(v *float64) string {
	if v == nil {
		return "—"
	}
	return templates.FormatNumber(*v)
}

// allWeeks lists every week of the period, those without appointments
// included (zero), so the chart keeps its time scale.
func allWeeks(from, to hours.Date, stats []store.WeekStats) []store.WeekStats {
	byWeek := map[hours.Date]store.WeekStats{}
	for _, w := range stats {
		byWeek[hours.DateOf(w.Week)] = w
	}
	var out []store.WeekStats
	for wk := booking.Week(from, 0).Start; !wk.After(to); wk = wk.AddDays(7) {
		w, ok := byWeek[wk]
		if !ok {
			w = store.WeekStats{Week: wk.At(0)}
		}
		out = append(out, w)
	}
	return out
}

// weekRows are the rows of the weekly tables.
func weekRows(weeks []store.WeekStats) []templates.StatsWeekRow {
	out := make([]templates.StatsWeekRow, 0, len(weeks))
	for _, w := range weeks {
		wk := hours.DateOf(w.Week)
		out = append(out, templates.StatsWeekRow{Week: weekLabel(wk), WeekISO: wk.String(), Counts: countsOf(w.AppointmentCounts),
			WaitMedian: days(w.WaitMedian), WaitP90: days(w.WaitP90)})
	}
	return out
}

// weekLabel names the week by its Monday: "02/03/2026".
func weekLabel(wk hours.Date) string {
	return wk.At(0).Format("02/01/2006")
}

// officeRows lists each counted office and professional that had
// appointments in the period or takes bookings online, in office order.
func officeRows(req statsRequest, stats []store.OfficeStats, free map[officeProfessional]string) []templates.StatsOfficeRow {
	byKey := map[officeProfessional]store.OfficeStats{}
	for _, o := range stats {
		byKey[officeProfessional{o.OfficeID, o.Professional}] = o
	}
	var out []templates.StatsOfficeRow
	for _, o := range req.offices {
		for _, p := range booking.Professionals() {
			if req.professional != "" && p != req.professional {
				continue
			}
			k := officeProfessional{o.ID, p}
			st, had := byKey[k]
			ff, online := free[k]
			if !had && !online {
				continue
			}
			if !online {
				ff = "Prenotazione online non attiva"
			}
			out = append(out, templates.StatsOfficeRow{Office: o.Name, Professional: p.Label(), Counts: countsOf(st.AppointmentCounts),
				WaitMedian: days(st.WaitMedian), WaitP90: days(st.WaitP90), FirstFree: ff})
		}
	}
	return out
}

type officeProfessional struct {
	office       int64
	professional booking.Professional
}

// firstFreeSlots finds, for each counted office and professional taking
// bookings online, the first slot a citizen could book now: the slots of
// booking.Slots over the whole horizon, the seats taken (one query for
// every office), booking.Availability; the first one not full.
func (s *Server) firstFreeSlots(ctx context.Context, req statsRequest, now time.Time) (map[officeProfessional]string, error) {
	ids := req.officeIDs()
	settings, err := s.store.BookingSettingsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	type candidate struct {
		key   officeProfessional
		bs    store.BookingSettings
		slots []booking.Slot
	}
	var cands []candidate
	var from, to time.Time
	for _, o := range req.offices {
		sched := o.Schedule()
		for _, bs := range settings[o.ID] {
			if !bs.Enabled || len(bs.Windows) == 0 || (req.professional != "" && bs.Professional != req.professional) {
				continue
			}
			first := hours.DateOf(booking.EarliestStart(now, bs.Settings, sched))
			last := booking.LastDate(now, bs.Settings)
			c := candidate{key: officeProfessional{o.ID, bs.Professional}, bs: bs, slots: booking.Slots(bs.Settings, sched, now, first, last)}
			cands = append(cands, c)
			if len(c.slots) > 0 {
				if from.IsZero() || c.slots[0].Start.Before(from) {
					from = c.slots[0].Start
				}
				if end := c.slots[len(c.slots)-1].Start.Add(time.Minute); end.After(to) {
					to = end
				}
			}
		}
	}
	taken := map[store.SeatKey]int{}
	if !from.IsZero() {
		if taken, err = s.store.TakenSeatsOf(ctx, ids, from, to); err != nil {
			return nil, err
		}
	}
	out := map[officeProfessional]string{}
	for _, c := range cands {
		byKey := map[string]int{}
		for _, sl := range c.slots {
			byKey[sl.Key()] = taken[store.SeatKey{OfficeID: c.key.office, Professional: c.key.professional, Start: sl.Start.UTC().Truncate(time.Minute)}]
		}
		out[c.key] = "Nessun posto libero nei prossimi " + strconv.Itoa(max(c.bs.HorizonDays, 1)) + " giorni"
		for _, a := range booking.Availability(c.slots, byKey, max(c.bs.Capacity, 1)) {
			if !a.Full {
				out[c.key] = a.Long()
				break
			}
		}
	}
	return out, nil
}

// pendingRows are the pending requests in office order.
func pendingRows(req statsRequest, pending []store.PendingStats, now time.Time) []templates.StatsPendingRow {
	var out []templates.StatsPendingRow
	for _, o := range req.offices {
		for _, p := range pending {
			if p.OfficeID != o.ID {
				continue
			}
			out = append(out, templates.StatsPendingRow{Office: o.Name, Professional: p.Professional.Label(), Count: p.Count,
				Overdue: p.Overdue, OldestDays: oneDecimal(now.Sub(p.Oldest).Hours() / 24), MedianDays: oneDecimal(p.MedianAgeDays)})
		}
	}
	return out
}

// oneDecimal writes a number of days with one decimal, rounded down.
func oneDecimal(v float64) string { return templates.FormatNumber(math.Floor(v*10) / 10) }

// staffStats is the statistics page.
func (s *Server) staffStats(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	req, found, err := s.parseStats(ctx, r)
	if err != nil {
		s.serverError(w, r, err)
		return
	}
	if !found {
		s.staffNotFound(w, r)
		return
	}
	v := templates.StaffStatsView{From: req.From, To: req.To, Zone: req.Zone, Office: req.Office, Professional: req.Professional,
		Zones: req.zones, Errors: req.Errors, Appointments: req.appointments, Query: req.query()}
	if len(req.choices) > 1 {
		for _, o := range req.choices {
			v.Offices = append(v.Offices, templates.Choice{Value: strconv.FormatInt(o.ID, 10), Label: o.Name})
		}
	}
	for _, p := range booking.Professionals() {
		v.Professionals = append(v.Professionals, templates.Choice{Value: string(p), Label: p.Label()})
	}
	status := http.StatusOK
	title := "Statistiche"
	if len(req.Errors) > 0 {
		status, title = http.StatusUnprocessableEntity, "Errore – Statistiche"
	} else {
		d, err := s.loadStats(ctx, req)
		if err != nil {
			s.serverError(w, r, err)
			return
		}
		v.Period = "Dal " + req.FromDate.Italian() + " al " + req.ToDate.Italian()
		v.Scope = req.scope
		v.Weeks, v.Total, v.Offices2, v.Pending, v.Ratings, v.Answers = d.weeks, d.total, d.offices, d.pending, d.ratings, d.answers
		v.PendingAt = "il " + staffTime(s.now())
		v.WeeksChart, v.WaitChart, v.RatingsChart = statsCharts(d)
	}
	s.render(w, r, status, templates.StaffStatsPage(s.staffPage(r, title, "statistiche", staffHome, templates.Crumb{Label: "Statistiche"}), v))
}

// statsCharts draws the weeks, the waits and the ratings.
func statsCharts(d statsData) (weeks, wait, ratings templates.Chart) {
	outcomes := []templates.ChartSeries{
		{Name: "Svolti", Colour: templates.ColourDone},
		{Name: "Assenti", Colour: templates.ColourNoShow},
		{Name: "Annullati dal cittadino", Colour: templates.ColourCitizen},
		{Name: "Annullati dall'ufficio", Colour: templates.ColourOffice},
		{Name: "Non accettati", Colour: templates.ColourDeclined},
		{Name: "Da confermare", Colour: templates.ColourRequested},
		{Name: "Confermati, esito non ancora segnato", Colour: templates.ColourConfirmed},
	}
	waits := []templates.ChartSeries{{Name: "Mediana", Colour: templates.ColourMedian}, {Name: "90° percentile", Colour: templates.ColourP90}}
	var cats []string
	busiest, busiestN := "", 0
	for _, w := range d.weekly {
		wk := hours.DateOf(w.Week)
		cats = append(cats, strconv.Itoa(wk.Day)+"/"+strconv.Itoa(int(wk.Month)))
		c := w.AppointmentCounts
		for i, v := range []int{c.Done, c.NoShow, c.CancelledByCitizen, c.CancelledByOffice, c.Declined, c.Requested, c.Confirmed} {
			outcomes[i].Values = append(outcomes[i].Values, float64(v))
		}
		waits[0].Values = append(waits[0].Values, orZero(c.WaitMedian))
		waits[1].Values = append(waits[1].Values, orZero(c.WaitP90))
		if c.Booked > busiestN {
			busiest, busiestN = "del "+weekLabel(wk), c.Booked
		}
	}
	desc := "Barre impilate, una per settimana, divise per esito: " + strconv.Itoa(d.period.Booked) + " appuntamenti nel periodo"
	if busiestN > 0 {
		desc += "; la settimana con più appuntamenti è quella " + busiest + " (" + strconv.Itoa(busiestN) + ")"
	}
	weeks = templates.Chart{ID: "grafico-settimane", Title: "Appuntamenti per settimana ed esito",
		Desc: desc + ". I numeri sono nella tabella che segue.", Categories: cats, Series: outcomes, Stacked: true, Unit: "appuntamenti"}
	wait = templates.Chart{ID: "grafico-attesa", Title: "Tempi di attesa per settimana, in giorni",
		Desc: "Per ogni settimana due barre affiancate: mediana e 90° percentile dei giorni dalla prenotazione all'appuntamento. Nel periodo: mediana " +
			days(d.period.WaitMedian) + ", 90° percentile " + days(d.period.WaitP90) + ". I numeri sono nella tabella che segue.",
		Categories: cats, Series: waits, Unit: "giorni"}
	var pages []string
	stars := templates.ChartSeries{Name: "Media delle stelle", Colour: templates.ColourStars}
	for i, r := range d.rated {
		if i == maxRatedPagesDrawn {
			break
		}
		pages = append(pages, r.PagePath)
		stars.Values = append(stars.Values, r.Average)
	}
	desc = "Una barra per pagina, le più valutate prima, lunga quanto la media delle stelle (da 1 a 5)."
	if len(d.rated) > maxRatedPagesDrawn {
		desc += " Sono disegnate le " + strconv.Itoa(maxRatedPagesDrawn) + " pagine più valutate su " + strconv.Itoa(len(d.rated)) + "."
	}
	ratings = templates.Chart{ID: "grafico-valutazioni", Title: "Media delle stelle per pagina", Desc: desc + " I numeri sono nella tabella che segue.",
		Categories: pages, Series: []templates.ChartSeries{stars}, Horizontal: true, Max: 5, Unit: "stelle"}
	return weeks, wait, ratings
}

// maxRatedPagesDrawn bounds the ratings chart; the table lists every page.
const maxRatedPagesDrawn = 15

func orZero(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}
