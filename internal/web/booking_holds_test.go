package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/udc-umbria/portal/internal/booking"
)

// forwardedFor makes every request of a client come from addr, as the
// load balancer in front of the portal reports it.
type forwardedFor struct {
	addr string
	next http.RoundTripper
}

func (f forwardedFor) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("X-Forwarded-For", f.addr)
	return f.next.RoundTrip(r)
}

// from returns a new browser (empty cookie jar) at client address addr.
func (e *bookingEnv) from(addr string) *bookingEnv {
	c := e.browser()
	c.Client.Transport = forwardedFor{addr: addr, next: http.DefaultTransport}
	return c
}

// forgetDraft drops the browser's draft cookie and keeps the others (the
// CSRF cookie): its next step 1 starts a new draft.
func (e *bookingEnv) forgetDraft() {
	u, _ := url.Parse(e.Server.URL + "/")
	e.Client.Jar.SetCookies(u, []*http.Cookie{{Name: "udc_prenotazione", Value: "", Path: "/", MaxAge: -1}})
}

// freeSlotKeys returns at least n free slot keys of the social worker,
// from the first weeks, as the browser's slot page lists them.
func (e *bookingEnv) freeSlotKeys(n int) []string {
	e.t.Helper()
	e.toSlots()
	var keys []string
	for week := 0; len(keys) < n && week < 3; week++ {
		_, body := e.get("/prenota/data?settimana=" + strconv.Itoa(week))
		keys = append(keys, freeSlots(body)...)
	}
	if len(keys) < n {
		e.t.Fatalf("only %d free slots", len(keys))
	}
	return keys[:n]
}

// tryHold starts a new draft in the same browser and asks for the slot
// key: it returns the answer to the hold, or to step 1 when that refuses
// a new draft (429, too many drafts from the address).
func (e *bookingEnv) tryHold(key string) (*http.Response, string) {
	e.t.Helper()
	e.forgetDraft()
	resp, body := e.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
	if resp.StatusCode == http.StatusTooManyRequests {
		return resp, body
	}
	if got := location(e.t, resp); got != "/prenota/data" {
		e.t.Fatalf("step 1: %s", got)
	}
	resp, _ = e.send("/prenota/data", "/prenota/data", url.Values{"figura": {string(booking.AssistenteSociale)}})
	location(e.t, resp)
	return e.send("/prenota/data", "/prenota/data", url.Values{"orario": {key}})
}

// TestBooking_OneClientHoldingEverySeat_GetsOnlyItsLimit_OthersStillBook
// is the attack of issue 9: one client, reusing its CSRF cookie, opens a
// new draft for each seat and holds it. It gets MaxHoldsPerBrowser seats;
// new browsers from the same address get up to MaxHoldsPerAddress in
// all (and a script that goes on meets the limit on new drafts); each
// refusal of a hold is a clear message on the slot page, with the time
// chosen still checked; and a citizen elsewhere still sees free times
// and books one through the whole wizard.
func TestBooking_OneClientHoldingEverySeat_GetsOnlyItsLimit_OthersStillBook(t *testing.T) {
	e := newBookingEnv(t, 1)
	script := e.from("203.0.113.50")
	keys := script.freeSlotKeys(20)

	held := 0
	for i, key := range keys[:12] {
		resp, body := script.tryHold(key)
		switch resp.StatusCode {
		case http.StatusSeeOther:
			held++
		case http.StatusTooManyRequests:
			if !strings.Contains(body, "sono già riservati altri orari") {
				t.Fatalf("seat %d: 429 without the message", i)
			}
			if !strings.Contains(body, `value="`+html.EscapeString(key)+`" checked`) {
				t.Errorf("seat %d: the time chosen is not kept checked", i)
			}
		default:
			t.Fatalf("seat %d: status %d", i, resp.StatusCode)
		}
	}
	if held != booking.MaxHoldsPerBrowser {
		t.Fatalf("one browser held %d seats, want %d", held, booking.MaxHoldsPerBrowser)
	}

	// The same address with a new browser (new CSRF cookie) per seat.
	for i, key := range keys[12:] {
		resp, _ := script.from("203.0.113.50").tryHold(key)
		switch resp.StatusCode {
		case http.StatusSeeOther:
			held++
		case http.StatusTooManyRequests:
		default:
			t.Fatalf("new browser %d: status %d", i, resp.StatusCode)
		}
	}
	if held != booking.MaxHoldsPerAddress {
		t.Fatalf("one address held %d seats, want %d", held, booking.MaxHoldsPerAddress)
	}
	if n := e.count(`SELECT count(*) FROM slot_holds WHERE expires_at > now()`); n != booking.MaxHoldsPerAddress {
		t.Fatalf("%d holds stored", n)
	}

	// Meanwhile a citizen elsewhere sees the calendar free and books.
	citizen := e.from("198.51.100.7")
	if free := freeSlots(citizen.toSlots()); len(free) == 0 {
		t.Fatal("the citizen sees no free time")
	}
	citizen.book("", "cittadina@example.org")
	if n := e.count(`SELECT count(*) FROM appointments WHERE email = 'cittadina@example.org'`); n != 1 {
		t.Fatalf("%d appointments for the citizen", n)
	}
}

// TestBooking_DraftsPerAddress_LimitedPerHour: a script that starts a new
// draft for every request is stopped at step 1 after an hour's worth,
// with a message and its choices kept; another address is not affected.
func TestBooking_DraftsPerAddress_LimitedPerHour(t *testing.T) {
	e := newBookingEnv(t, 1)
	script := e.from("203.0.113.60")
	start := func(c *bookingEnv) *http.Response {
		c.forgetDraft()
		resp, body := c.send("/prenota?comune=perugia", "/prenota/luogo", url.Values{"comune": {"perugia"}, "ufficio": {bookingOfficeSlug}})
		if resp.StatusCode == http.StatusTooManyRequests {
			if !strings.Contains(body, "sono state iniziate molte prenotazioni") || !strings.Contains(body, `value="`+bookingOfficeSlug+`" checked`) {
				t.Errorf("refusal without message or without the office chosen:\n%s", body)
			}
		}
		return resp
	}
	started := 0
	for range 25 {
		if start(script).StatusCode == http.StatusSeeOther {
			started++
		}
	}
	if started != 20 {
		t.Fatalf("%d drafts started from one address in an hour, want 20", started)
	}
	if resp := start(e.from("198.51.100.8")); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("another address: status %d", resp.StatusCode)
	}
	// An hour later the address may start again.
	e.clock.Add(61 * 60 * 1e9)
	if resp := start(script); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("an hour later: status %d", resp.StatusCode)
	}
}
