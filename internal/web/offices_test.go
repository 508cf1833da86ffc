package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/demo"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/importer"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

// rome returns the instant of a wall-clock time in Rome.
func rome(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, hours.Rome())
}

// tuesdayBeforeNoon is Tuesday 1 December 2026, 10:00 in Rome: the next 14
// days include the Immacolata (Tuesday 8 December).
var tuesdayBeforeNoon = rome(2026, time.December, 1, 10, 0)

// realOffice is a non-demo office serving Torgiano with every field set.
// Its contacts are fictional: it exists only in test databases.
func realOffice() store.Office {
	lat, lon := 43.0258, 12.4354
	return store.Office{
		Slug: "torgiano-test", Name: "Ufficio della Cittadinanza di Torgiano (prova)", SeatISTAT: "054053",
		Address: "Piazza di Prova 1", CAP: "06089", Phone: "075 000 1234", Email: "udc.prova@example.org", PEC: "udc.prova@pec.example.org",
		AccessibilityNotes: "Ingresso senza gradini", Latitude: &lat, Longitude: &lon, TeamSocialWorkers: 4, TeamEducators: 1,
		Comuni: []store.OfficeComune{{ISTAT: "054053"}},
		Hours: []hours.Interval{
			{Weekday: time.Tuesday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindWalkIn},
			{Weekday: time.Tuesday, Start: hours.NewClock(15, 0), End: hours.NewClock(17, 0), Kind: hours.KindAppointment},
			{Weekday: time.Thursday, Start: hours.NewClock(9, 0), End: hours.NewClock(13, 0), Kind: hours.KindWalkIn},
		},
		Closures: []hours.Closure{{From: hours.MakeDate(2026, 12, 10), To: hours.MakeDate(2026, 12, 11), Reason: "Chiuso per lavori"}},
	}
}

func saveOffices(t testing.TB, e *testEnv, offices ...store.Office) {
	t.Helper()
	if _, err := e.Store.SaveOffices(context.Background(), offices); err != nil {
		t.Fatal(err)
	}
}

func seedDemo(t testing.TB, e *testEnv) {
	t.Helper()
	if err := demo.SeedAt(context.Background(), e.Store, e.now()); err != nil {
		t.Fatal(err)
	}
}

var comuneLinkRE = regexp.MustCompile(`href="/comuni/([a-z0-9-]+)"`)

// comuneLinks returns the distinct Comuni linked from a page.
func comuneLinks(body string) []string {
	var out []string
	for _, m := range comuneLinkRE.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(out, m[1]) {
			out = append(out, m[1])
		}
	}
	return out
}

func TestComuni_Lists92ComuniByZone(t *testing.T) {
	e := newTestEnv(t)
	status, body := e.get("/comuni")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if n := len(comuneLinks(body)); n != 92 {
		t.Errorf("%d Comuni linked, want 92", n)
	}
	for _, w := range []string{`href="/comuni/perugia"`, `href="/comuni/citta-di-castello"`, "Zona sociale 1", "Zona sociale 12",
		"Comune capofila: Perugia", "Province di Perugia e Terni", `<datalist id="comuni-suggeriti">`, `list="comuni-suggeriti"`,
		`<form method="get" action="/comuni"`, `name="q"`} {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q", w)
		}
	}
	// The ten Comuni without a confirmed zone are listed last, together,
	// as citizens need it: where the data managers' doubt comes from is
	// not theirs to read.
	i := strings.Index(body, ">Altri Comuni<")
	if i < 0 || !strings.Contains(body[i:], `href="/comuni/allerona"`) || !strings.Contains(body[i:], `href="/comuni/porano"`) ||
		strings.Contains(body[i:], `href="/comuni/orvieto"`) {
		t.Error("the Comuni without a confirmed zone must be listed last, under «Altri Comuni»")
	}
	for _, internal := range []string{"non confermata", "Nessuna fonte consultata"} {
		if strings.Contains(body, internal) {
			t.Errorf("a note for data managers reaches citizens: %q", internal)
		}
	}
	if _, page := e.get("/comuni/porano"); strings.Contains(page, "non confermata") || !strings.Contains(page, "Provincia di Terni") {
		t.Error("a Comune without a known zone: the page names its province and nothing about the zone")
	}
	if strings.Contains(body, "Dati dimostrativi") {
		t.Error("a page showing no office must not carry the demo notice")
	}
	assertNoForeignHosts(t, body)
	assertNoPlaceholderLinks(t, body)
}

func TestComuni_FilterWithoutJavaScript(t *testing.T) {
	e := newTestEnv(t)
	status, body := e.get("/comuni?q=citta")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	got := comuneLinks(body)
	slices.Sort(got)
	if strings.Join(got, ",") != "citta-della-pieve,citta-di-castello" {
		t.Errorf("?q=citta lists %v", got)
	}
	if !strings.Contains(body, "2 Comuni corrispondono a «citta»") || !strings.Contains(body, `value="citta"`) {
		t.Error("the result count and the typed text must be shown")
	}
	// Accents, case and spaces do not matter.
	if _, body := e.get("/comuni?q=DI+C%C3%A0stello"); strings.Join(comuneLinks(body), ",") != "citta-di-castello" {
		t.Errorf("?q=DI Càstello lists %v", comuneLinks(body))
	}
	if _, body := e.get("/comuni?q=xyz"); len(comuneLinks(body)) != 0 || !strings.Contains(html.UnescapeString(body), "Nessun Comune dell'Umbria corrisponde a «xyz»") {
		t.Error("no match must say so")
	}
	// A whole name goes straight to the Comune.
	resp, err := e.Client.Get(e.Server.URL + "/comuni?q=Citt%C3%A0+di+Castello")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/comuni/citta-di-castello" {
		t.Errorf("exact name: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestComuni_HomePickerRedirects(t *testing.T) {
	e := newTestEnv(t)
	resp, err := e.Client.Get(e.Server.URL + "/comuni?comune=perugia")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/comuni/perugia" {
		t.Fatalf("got %d %q, want 303 /comuni/perugia", resp.StatusCode, resp.Header.Get("Location"))
	}
	status, body := e.get("/comuni?comune=atlantide")
	if status != http.StatusOK || !strings.Contains(html.UnescapeString(body), "non è tra i Comuni dell'Umbria") || len(comuneLinks(body)) != 92 {
		t.Errorf("unknown Comune: status %d", status)
	}
	// The empty choice ("Scegli un Comune") shows the list.
	if status, body := e.get("/comuni?comune="); status != http.StatusOK || len(comuneLinks(body)) != 92 {
		t.Errorf("empty choice: status %d", status)
	}
}

func TestComune_ISTATCodeRedirectsToSlug(t *testing.T) {
	e := newTestEnv(t)
	resp, err := e.Client.Get(e.Server.URL + "/comuni/054039")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/comuni/perugia" {
		t.Fatalf("got %d %q, want 301 /comuni/perugia", resp.StatusCode, resp.Header.Get("Location"))
	}
	for _, p := range []string{"/comuni/999999", "/comuni/atlantide", "/uffici/non-esiste"} {
		if status, _ := e.get(p); status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, status)
		}
	}
}

var tagSpaceRE = regexp.MustCompile(`\s*([<>])\s*`)

// tight removes the white space around tags, which templ adds between
// elements, so that tests can look for markup.
func tight(body string) string { return tagSpaceRE.ReplaceAllString(body, "$1") }

var statusRE = regexp.MustCompile(`(?s)data-element="office-status">(.*?)</p>`)

// statuses returns the status lines of a page, as text.
func statuses(body string) []string {
	var out []string
	for _, m := range statusRE.FindAllStringSubmatch(body, -1) {
		out = append(out, strings.Join(strings.Fields(html.UnescapeString(regexp.MustCompile(`<[^>]*>`).ReplaceAllString(m[1], " "))), " "))
	}
	return out
}

func TestComune_Perugia_SeveralOfficesWithAreasAndStatus(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon))
	seedDemo(t, e)
	status, body := e.get("/comuni/perugia")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	if n := strings.Count(body, `data-element="office-card"`); n != 3 {
		t.Errorf("%d office cards, want 3", n)
	}
	for _, w := range []string{"Il tuo Ufficio della Cittadinanza", "servito da 3 uffici", "Zona servita:", "Centro storico",
		"Ponte San Giovanni", `href="/uffici/perugia-centro"`, `href="/prenota?ufficio=perugia-centro"`,
		"Indirizzo da fonte pubblica non aggiornata", "Via Cestellini", "Ufficio dimostrativo", "Dati dimostrativi"} {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q", w)
		}
	}
	sts := statuses(body)
	if len(sts) != 3 {
		t.Fatalf("status lines %q", sts)
	}
	for _, s := range sts {
		if !strings.HasPrefix(s, "Aperto ora · chiude alle ") && !strings.HasPrefix(s, "Chiuso") {
			t.Errorf("status line %q", s)
		}
	}
	if resp, err := e.Client.Get(e.Server.URL + "/comuni/perugia"); err == nil {
		resp.Body.Close()
		// A page with a status line: browsers ask again every time, shared
		// caches keep it at most until the minute changes.
		cc := resp.Header.Get("Cache-Control")
		var sMaxAge int
		if _, err := fmt.Sscanf(cc, "public, max-age=0, s-maxage=%d, stale-if-error=86400", &sMaxAge); err != nil ||
			sMaxAge < 1 || sMaxAge > 60 {
			t.Errorf("Cache-Control %q: a page with a status line may be kept only until the minute changes", cc)
		}
	}
	assertNoForeignHosts(t, body)
	assertNoPlaceholderLinks(t, body)
}

func TestDemoNotice_OnlyWhereDemoOfficesAreShown(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon))
	saveOffices(t, e, realOffice())
	for _, p := range []string{"/comuni/torgiano", "/uffici/torgiano-test"} {
		_, body := e.get(p)
		if strings.Contains(body, "Dati dimostrativi") || strings.Contains(body, "Ufficio dimostrativo") {
			t.Errorf("%s shows only a real office but carries the demo notice", p)
		}
	}
	// A Comune with no office says so, without demo notice.
	if _, body := e.get("/comuni/gubbio"); !strings.Contains(body, "Non abbiamo ancora i dati") || strings.Contains(body, "Dati dimostrativi") {
		t.Error("a Comune without offices must say so")
	}

	seedDemo(t, e)
	for _, p := range []string{"/comuni/torgiano", "/uffici/torgiano", "/comuni/gubbio"} {
		if _, body := e.get(p); !strings.Contains(body, "Dati dimostrativi") {
			t.Errorf("%s shows a demo office without the demo notice", p)
		}
	}
	if _, body := e.get("/uffici/torgiano-test"); strings.Contains(body, "Dati dimostrativi") {
		t.Error("the real office's page must not carry the demo notice")
	}
}

func TestOfficePage_ContactsTimetableNextDaysBookingAndJSONLD(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon))
	saveOffices(t, e, realOffice())
	status, body := e.get("/uffici/torgiano-test")
	if status != http.StatusOK {
		t.Fatalf("status %d", status)
	}
	body = tight(body)
	for _, w := range []string{
		"<h1", "Ufficio della Cittadinanza di Torgiano (prova)", "Piazza di Prova 1", "06089 Torgiano (PG)",
		`href="tel:+390750001234"`, `href="mailto:udc.prova@example.org"`, `href="mailto:udc.prova@pec.example.org"`, "PEC",
		"Ingresso senza gradini", "4 assistenti sociali, 1 educatore professionale",
		`href="https://www.openstreetmap.org/?mlat=43.0258&amp;mlon=12.4354#map=18/43.0258/12.4354"`,
		`href="/prenota?ufficio=torgiano-test"`, "Prenota un appuntamento",
		`href="/comuni/torgiano"`,
		// Timetable: caption, headers with scope, one column per kind.
		`<caption id="week-caption">Orari settimanali`, `<th scope="col">Accoglienza</th>`, `<th scope="col">Ricevimento su appuntamento</th>`,
		`<th scope="row">martedì</th>`, "9:00–13:00", "15:00–17:00",
		// Next 14 days, with holidays and closures and their reasons.
		"Prossimi 14 giorni", `<time datetime="2026-12-01">martedì 1 dicembre</time>(oggi)`,
		`<time datetime="2026-12-14">lunedì 14 dicembre</time>`,
		"Chiuso: Immacolata Concezione", "Chiuso per lavori",
		"Aperto ora · chiude alle 13:00",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("missing %q", w)
		}
	}
	days := regexp.MustCompile(`(?s)data-element="office-next-days">(.*?)</table>`).FindStringSubmatch(body)
	if days == nil || strings.Count(days[1], `<th scope="row">`) != 14 {
		t.Error("the next 14 days must be listed, one row each")
	}
	// 8 December is a holiday, 10–11 December closed for works.
	for _, w := range []string{`2026-12-08">martedì 8 dicembre</time></th><td><strong>Chiuso: Immacolata Concezione`,
		`2026-12-10">giovedì 10 dicembre</time></th><td><strong>Chiuso per lavori`} {
		if !strings.Contains(days[1], w) {
			t.Errorf("next days lack %q", w)
		}
	}

	// A cached page has no nonce: JSON-LD is data, which CSP does not govern.
	ld := regexp.MustCompile(`(?s)<script type="application/ld\+json" data-element="metatag">(.*?)</script>`).FindStringSubmatch(body)
	if ld == nil {
		t.Fatal("no JSON-LD block")
	}
	var doc struct {
		Type    string `json:"@type"`
		Name    string `json:"name"`
		Phone   string `json:"telephone"`
		Address struct {
			Street string `json:"streetAddress"`
		} `json:"address"`
		Specs []map[string]any `json:"openingHoursSpecification"`
	}
	if err := json.Unmarshal([]byte(ld[1]), &doc); err != nil {
		t.Fatalf("JSON-LD: %v", err)
	}
	if doc.Type != "GovernmentOffice" || doc.Phone != "+390750001234" || doc.Address.Street != "Piazza di Prova 1" {
		t.Errorf("JSON-LD %+v", doc)
	}
	var weekly, closed int
	var sawWorks, sawHoliday bool
	for _, s := range doc.Specs {
		switch {
		case s["dayOfWeek"] != nil:
			weekly++
		case s["validFrom"] != nil && s["opens"] == "00:00" && s["closes"] == "00:00":
			closed++
			sawWorks = sawWorks || (s["validFrom"] == "2026-12-10" && s["validThrough"] == "2026-12-11")
			sawHoliday = sawHoliday || s["validFrom"] == "2026-12-08"
		}
	}
	if weekly != 3 || !sawWorks || !sawHoliday {
		t.Errorf("openingHoursSpecification: %d weekly, works %v, Immacolata %v: %v", weekly, sawWorks, sawHoliday, doc.Specs)
	}
	assertNoForeignHosts(t, body)
	assertNoPlaceholderLinks(t, body)
}

// TestOfficeStatus_ChangesAtTheMinute checks the status line at the last
// minute of an opening and at its end, with the office data cached.
func TestOfficeStatus_ChangesAtTheMinute(t *testing.T) {
	e := newTestEnv(t, atTime(rome(2026, time.December, 1, 12, 59)))
	saveOffices(t, e, realOffice())
	for _, p := range []string{"/uffici/torgiano-test", "/comuni/torgiano"} {
		e.setNow(rome(2026, time.December, 1, 12, 59))
		for range 2 { // the second request is served from the warm cache
			_, body := e.get(p)
			if got := statuses(body); len(got) != 1 || got[0] != "Aperto ora · chiude alle 13:00" {
				t.Errorf("%s at 12:59: %q", p, got)
			}
		}
		e.setNow(rome(2026, time.December, 1, 13, 0))
		_, body := e.get(p)
		if got := statuses(body); len(got) != 1 || got[0] != "Chiuso · riapre oggi alle 15:00" {
			t.Errorf("%s at 13:00: %q", p, got)
		}
		// At 15:00 only booked appointments are received: say so.
		if !strings.Contains(body, "Accoglienza senza appuntamento: Chiuso · riapre giovedì 3 dicembre alle 9:00") {
			t.Errorf("%s at 13:00 must tell when walk-in hours resume", p)
		}
		// The day before a holiday reopens after it, with its reason on the day.
		e.setNow(rome(2026, time.December, 8, 10, 0))
		_, body = e.get(p)
		if got := statuses(body); len(got) != 1 || got[0] != "Chiuso · riapre martedì 15 dicembre alle 9:00" {
			t.Errorf("%s on 8 December: %q", p, got)
		}
		if !strings.Contains(body, "Oggi: Chiuso: Immacolata Concezione") {
			t.Errorf("%s on 8 December must give the reason", p)
		}
	}
}

// TestOfficeCache_ChangesVisibleAtOnceThroughNotify proves that office data
// is cached (a change that notifies nobody stays invisible) and that a
// notification, or the loss of the listening connection, drops it.
func TestOfficeCache_ChangesVisibleAtOnceThroughNotify(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon), withOptions(func(o *web.Options) { o.OfficeCacheTTL = time.Hour }))
	ctx := context.Background()
	pool := e.Store.Pool()
	saveOffices(t, e, realOffice())
	listenerPID := func() int {
		var pid int
		_ = pool.QueryRow(ctx, `SELECT coalesce(max(pid), 0) FROM pg_stat_activity
			WHERE datname = current_database() AND query = $1`, store.ListenQuery).Scan(&pid)
		return pid
	}
	waitFor := func(what string, ok func() bool) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if ok() {
				return
			}
		}
		t.Fatalf("timed out waiting for %s", what)
	}
	waitFor("the listener", func() bool { return listenerPID() != 0 })
	time.Sleep(100 * time.Millisecond) // let it drop the cache it found

	// silentRename changes the name without firing the triggers.
	silentRename := func(name string) {
		t.Helper()
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback(ctx)
		if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica`); err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(ctx, `UPDATE offices SET name = $1 WHERE slug = 'torgiano-test'`, name); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(ctx); err != nil {
			t.Fatal(err)
		}
	}
	shows := func(name string) bool {
		_, body := e.get("/uffici/torgiano-test")
		return strings.Contains(body, name)
	}

	if !shows("Torgiano (prova)") {
		t.Fatal("office not shown")
	}
	silentRename("Ufficio rinominato in silenzio")
	if shows("rinominato in silenzio") {
		t.Fatal("the office data is not cached")
	}
	if _, err := pool.Exec(ctx, `SELECT pg_notify($1, '0')`, store.OfficeChangedChannel); err != nil {
		t.Fatal(err)
	}
	waitFor("the notification to drop the cache", func() bool { return shows("rinominato in silenzio") })

	// A change through the store notifies by itself.
	o := realOffice()
	o.Name = "Ufficio salvato dallo store"
	saveOffices(t, e, o)
	waitFor("the saved change", func() bool { return shows("salvato dallo store") })

	// Losing the listening connection drops the cache, then it reconnects.
	silentRename("Ufficio cambiato mentre nessuno ascolta")
	pid := listenerPID()
	if _, err := pool.Exec(ctx, `SELECT pg_terminate_backend($1)`, pid); err != nil {
		t.Fatal(err)
	}
	waitFor("the cache to be dropped on connection loss", func() bool { return shows("mentre nessuno ascolta") })
	waitFor("the listener to reconnect", func() bool { p := listenerPID(); return p != 0 && p != pid })
}

func TestOpenData_JSONAndCSVCoverEveryComuneInDemo(t *testing.T) {
	e := newTestEnv(t, atTime(tuesdayBeforeNoon))
	seedDemo(t, e)

	status, body := e.get("/opendata")
	if status != http.StatusOK {
		t.Fatalf("/opendata: %d", status)
	}
	for _, w := range []string{"CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.it", `href="/opendata/uffici.json"`,
		`href="/opendata/uffici.csv"`, "<code>demo</code>", "<code>comuni_serviti</code>", "<code>orari</code>", "<code>chiusure</code>",
		"servono 92 Comuni"} {
		if !strings.Contains(body, w) {
			t.Errorf("/opendata lacks %q", w)
		}
	}

	resp, err := e.Client.Get(e.Server.URL + "/opendata/uffici.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Licence string `json:"licenza"`
		Offices []struct {
			Slug   string `json:"slug"`
			Demo   *bool  `json:"demo"`
			Comuni []struct {
				ISTAT string `json:"istat"`
			} `json:"comuni_serviti"`
			Hours []struct {
				Day, Start, End, Kind string
			} `json:"orari"`
			Closures []struct {
				From string `json:"dal"`
				To   string `json:"al"`
			} `json:"chiusure"`
		} `json:"uffici"`
	}
	err = json.NewDecoder(resp.Body).Decode(&f)
	resp.Body.Close()
	if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON: %v (%s)", err, resp.Header.Get("Content-Type"))
	}
	served := map[string]bool{}
	closures := 0
	for _, o := range f.Offices {
		if o.Demo == nil || !*o.Demo {
			t.Errorf("%s: demo office not flagged", o.Slug)
		}
		for _, c := range o.Comuni {
			served[c.ISTAT] = true
		}
		closures += len(o.Closures)
	}
	if f.Licence != "CC BY 4.0" || len(served) != 92 || closures == 0 {
		t.Errorf("JSON: licence %q, %d Comuni served, %d closures", f.Licence, len(served), closures)
	}

	resp, err = e.Client.Get(e.Server.URL + "/opendata/uffici.csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(resp.Body).ReadAll()
	resp.Body.Close()
	if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
		t.Fatalf("CSV: %v (%s)", err, resp.Header.Get("Content-Type"))
	}
	if strings.Join(rows[0], ",") != strings.Join(importer.ExportHeader(), ",") || len(rows)-1 != len(f.Offices) {
		t.Fatalf("CSV header %v, %d rows", rows[0], len(rows)-1)
	}
	col := func(name string) int { return slices.Index(rows[0], name) }
	served = map[string]bool{}
	for _, r := range rows[1:] {
		if r[col("demo")] != "sì" {
			t.Errorf("%s: demo office not flagged in CSV", r[col("slug")])
		}
		for item := range strings.SplitSeq(r[col("comuni_serviti")], "|") {
			code, _, _ := strings.Cut(item, ":")
			served[code] = true
		}
	}
	if len(served) != 92 {
		t.Errorf("CSV: %d Comuni served, want 92", len(served))
	}
	// The export is in the import format.
	_, body = e.get("/opendata/uffici.csv")
	if _, err := importer.ParseOffices(strings.NewReader(body)); err != nil {
		t.Errorf("the exported CSV does not import: %v", err)
	}
}
