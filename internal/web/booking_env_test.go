package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/hours"
	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/notify"
	"github.com/udc-umbria/portal/internal/store"
	"github.com/udc-umbria/portal/internal/web"
)

// bookingOfficeSlug is the office the booking tests book at; it serves
// Perugia.
const bookingOfficeSlug = "ufficio-prova-prenotazioni"

// recordingMailer is the store's outbox in the booking tests: it queues
// each event's e-mail in River, in the change's transaction, as the
// portal does, and keeps a copy of the message for the test to read.
type recordingMailer struct {
	mu       sync.Mutex
	queue    *jobs.Queue
	notifier *notify.Notifier
	sent     []mail.Message
}

func (m *recordingMailer) Notify(ctx context.Context, tx pgx.Tx, e notify.Event) error {
	if err := m.queue.Notify(ctx, tx, e); err != nil {
		return err
	}
	msg, err := m.notifier.Message(e)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sent = append(m.sent, msg)
	return nil
}

func (m *recordingMailer) messages() []mail.Message {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]mail.Message(nil), m.sent...)
}

// bookingEnv is a portal with one office taking bookings: the social
// worker one citizen at a time (capacity configurable), the educator on
// request; windows every day from 9 to 17, no notice, three weeks ahead.
// Its clock starts at the real time, because the database counts holds
// with its own clock, and the test moves it forward.
type bookingEnv struct {
	*testEnv
	clock    *testClock
	mailer   *recordingMailer
	officeID int64
	// lang is the path prefix of the language the citizen books in: ""
	// (Italian) or "/en" (see inLanguage).
	lang string
}

// inLanguage returns the same portal walked in the language with path
// prefix prefix ("/en").
func (e *bookingEnv) inLanguage(prefix string) *bookingEnv {
	c := *e
	c.lang = prefix
	return &c
}

// p is path in the env's language.
func (e *bookingEnv) p(path string) string { return e.lang + path }

func newBookingEnv(t testing.TB, capacity int, opts ...envOption) *bookingEnv {
	t.Helper()
	clock := &testClock{now: time.Now()}
	mailer := &recordingMailer{}
	mailer.notifier = notify.New(testBaseURL, nil)
	e := newTestEnv(t, append([]envOption{withClock(clock), withOutbox(mailer), withOptions(func(o *web.Options) {
		// Each simulated citizen sends its own X-Forwarded-For, so that the
		// per-address limit does not get in the way of the concurrency test.
		o.Config.TrustProxy = true
	})}, opts...)...)
	ctx := context.Background()
	pool := e.Store.Pool()
	if err := jobs.Migrate(ctx, pool); err != nil {
		t.Fatal(err)
	}
	q, err := jobs.New(pool, jobs.Options{InsertOnly: true, Notifier: mailer.notifier, Deliveries: e.Store, Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	mailer.queue = q

	var weekly []hours.Interval
	for _, wd := range hours.Weekdays() {
		weekly = append(weekly, hours.Interval{Weekday: wd, Start: hours.NewClock(8, 0), End: hours.NewClock(20, 0), Kind: hours.KindWalkIn})
	}
	res, err := e.Store.SaveOffices(ctx, []store.Office{{
		Slug: bookingOfficeSlug, Name: "Ufficio della Cittadinanza di prova", SeatISTAT: "054039",
		Address: "Via di Prova 1", CAP: "06121", Phone: "075 111 2222", Email: "udc.prova@example.org",
		Comuni: []store.OfficeComune{{ISTAT: "054039"}}, Hours: weekly, SourceNote: "Test",
	}})
	if err != nil {
		t.Fatal(err)
	}
	officeID := res[0].ID
	for _, p := range booking.Professionals() {
		s := booking.DefaultSettings(p)
		s.LengthMinutes, s.Capacity, s.MinNoticeWorkingDays, s.HorizonDays = 60, capacity, 0, 21
		if p == booking.Educatore {
			s.Mode = booking.ModeRequest
		}
		for _, wd := range hours.Weekdays() {
			s.Windows = append(s.Windows, hours.Interval{Weekday: wd, Start: hours.NewClock(9, 0), End: hours.NewClock(17, 0)})
		}
		if err := e.Store.SaveBookingSettings(ctx, store.BookingSettings{OfficeID: officeID, Professional: p, Enabled: true,
			Settings: s, MaxActivePerEmail: 2}); err != nil {
			t.Fatal(err)
		}
	}
	return &bookingEnv{testEnv: e, clock: clock, mailer: mailer, officeID: officeID}
}

// browser returns the same portal seen by another browser.
func (e *bookingEnv) browser() *bookingEnv {
	c := *e
	c.testEnv = e.testEnv.fresh()
	return &c
}

// send posts a form with the page's CSRF token (taken from the cookie jar
// by loading page first when token is "").
func (e *bookingEnv) send(page, path string, form url.Values) (*http.Response, string) {
	e.t.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf_token", e.csrf(page))
	return e.post(path, form)
}

// settings returns the office's settings for p.
func (e *bookingEnv) settings(p booking.Professional) store.BookingSettings {
	e.t.Helper()
	all, err := e.Store.BookingSettings(context.Background(), e.officeID)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, bs := range all {
		if bs.Professional == p {
			return bs
		}
	}
	e.t.Fatalf("no settings for %s", p)
	return store.BookingSettings{}
}

// freeSlots returns the keys of the slots offered on a page, in order,
// leaving out the full ones.
var slotRE = regexp.MustCompile(`<input class="form-check-input" type="radio" name="orario" id="[^"]+" value="([^"]+)"( disabled)?`)

func freeSlots(body string) []string {
	var out []string
	for _, m := range slotRE.FindAllStringSubmatch(body, -1) {
		if m[2] == "" {
			out = append(out, html.UnescapeString(m[1]))
		}
	}
	return out
}

var weekRE = regexp.MustCompile(`name="settimana" value="(\d+)"`)

// location returns the redirect target of a 303.
func location(t testing.TB, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303", resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

// validApplicant is a complete step 4.
func validApplicant(email string) url.Values {
	return url.Values{"nome": {"Maria"}, "cognome": {"Rossi"}, "email": {email}, "telefono": {"075 123456"},
		"codice_fiscale": {""}, "canale": {"email"}, "privacy": {"si"}}
}

// toSlots walks steps 1 and 2 up to the slot list of the social worker
// and returns its page.
func (e *bookingEnv) toSlots() string {
	e.t.Helper()
	resp, _ := e.send(e.p("/prenota?comune=perugia"), e.p("/prenota/luogo"), url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
	if got := location(e.t, resp); got != e.p("/prenota/data") {
		e.t.Fatalf("after step 1: %s", got)
	}
	resp, _ = e.send(e.p("/prenota/data"), e.p("/prenota/data"), url.Values{"figura": {string(booking.AssistenteSociale)}})
	location(e.t, resp)
	status, body := e.get(e.p("/prenota/data"))
	if status != http.StatusOK {
		e.t.Fatalf("slots: status %d", status)
	}
	return body
}

// book walks the whole wizard choosing the slot with the given key ("" =
// the first free one) and returns the slot key.
func (e *bookingEnv) book(key, email string) string {
	e.t.Helper()
	body := e.toSlots()
	if key == "" {
		free := freeSlots(body)
		if len(free) == 0 {
			e.t.Fatal("no free slot offered")
		}
		key = free[0]
	}
	week := "0"
	if m := weekRE.FindStringSubmatch(body); m != nil {
		week = m[1]
	}
	resp, _ := e.send(e.p("/prenota/data"), e.p("/prenota/data"), url.Values{"orario": {key}, "settimana": {week}})
	if got := location(e.t, resp); got != e.p("/prenota/dettagli") {
		e.t.Fatalf("after step 2: %s", got)
	}
	resp, _ = e.send(e.p("/prenota/dettagli"), e.p("/prenota/dettagli"), url.Values{"motivo": {"Prima informazione"}})
	location(e.t, resp)
	resp, _ = e.send(e.p("/prenota/richiedente"), e.p("/prenota/richiedente"), validApplicant(email))
	location(e.t, resp)
	e.clock.Add(10 * time.Second)
	resp, _ = e.send(e.p("/prenota/riepilogo"), e.p("/prenota/conferma"), nil)
	if got := location(e.t, resp); got != e.p("/prenota/fatto") {
		e.t.Fatalf("after submit: %s", got)
	}
	return key
}

// count runs a counting query.
func (e *bookingEnv) count(sql string, args ...any) int {
	e.t.Helper()
	var n int
	if err := e.Store.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// manageToken returns the token of the personal link in the last e-mail.
var manageRE = regexp.MustCompile(`/appuntamento/([A-Za-z0-9_-]{43})`)

func (e *bookingEnv) manageToken() string {
	e.t.Helper()
	msgs := e.mailer.messages()
	if len(msgs) == 0 {
		e.t.Fatal("no e-mail queued")
	}
	m := manageRE.FindStringSubmatch(msgs[len(msgs)-1].Text)
	if m == nil {
		e.t.Fatal("no personal link in the e-mail")
	}
	return m[1]
}

// readAll reads and closes a body.
func readAll(r io.ReadCloser) string {
	defer r.Close()
	b, _ := io.ReadAll(r)
	return string(b)
}
