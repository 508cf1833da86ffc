package web_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/hours"
)

// staffBrowserLogin logs in through the real form in the tab of ctx.
func staffBrowserLogin(t *testing.T, b *browsertest.Browser, ctx context.Context, base, email, password string) {
	t.Helper()
	b.Run(t, ctx,
		chromedp.Navigate(base+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password),
		chromedp.Submit(chromedp.CSS(`form[action="/area-riservata/login"]`)),
		chromedp.WaitVisible(`//h1[contains(., "Benvenuto")]`),
	)
}

// setValues sets the value of inputs, selects and textareas by id, as a
// person filling in the form would.
func setValues(values ...string) chromedp.Action[chromedp.Void] {
	var js strings.Builder
	for i := 0; i+1 < len(values); i += 2 {
		fmt.Fprintf(&js, "document.getElementById(%q).value = %q;\n", values[i], values[i+1])
	}
	return chromedp.Evaluate[chromedp.Void](js.String())
}

// TestBrowser_StaffOfficePagesPassAxe checks every page that edits an
// office in headless Chromium, at 360 and 1280 px, and each of its forms
// with errors.
func TestBrowser_StaffOfficePagesPassAxe(t *testing.T) {
	b := browsertest.New(t)
	e := newOfficeEnv(t, nil)
	id := addTimetableOffice(t, e.Store, staffOfficeSlug, "UdC Orari di prova")
	ctx := context.Background()
	day := hours.DateOf(time.Now()).AddDays(3)
	if _, err := e.Store.CreateOfficeClosure(ctx, 0, id, hours.Closure{From: day, To: day.AddDays(1), Reason: "Chiuso per lavori"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.Store.CreateSpecialOpening(ctx, 0, id, hours.SpecialOpening{Date: day.AddDays(3), Start: hours.NewClock(9, 0),
		End: hours.NewClock(12, 0), Kind: hours.KindWalkIn, Note: "Apertura per il bando"}); err != nil {
		t.Fatal(err)
	}
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, id)

	// No b.Watch on this tab: the forms with errors answer 422 on purpose.
	tab := b.NewTab(t)
	b.Run(t, tab, browsertest.SetViewport(360))
	staffBrowserLogin(t, b, tab, e.Server.URL, "op@example.org", pw)
	b.CheckPages(t, e.Server.URL, []string{
		officePath(id, ""),
		officePath(id, "/orari"),
		officePath(id, "/chiusure"),
		officePath(id, "/aperture-straordinarie"),
		officePath(id, "/prenotazioni/impostazioni"),
		officePath(id, "/prenotazioni/impostazioni/assistente-sociale"),
	})

	// Weekly hours: an overlap and an end before the start.
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+officePath(id, "/orari")),
		chromedp.WaitVisible(chromedp.CSS("#fascia-3-fine")),
		setValues("fascia-2-giorno", "1", "fascia-2-inizio", "12:00", "fascia-2-fine", "14:00", "fascia-2-tipo", "accoglienza",
			"fascia-3-giorno", "2", "fascia-3-inizio", "12:00", "fascia-3-fine", "10:00"),
	)
	submitStep(t, b, tab, officePath(id, "/orari"), "#error-summary")
	b.Axe(t, tab, "weekly hours with errors")
	// Closures: one in the past.
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+officePath(id, "/chiusure")),
		chromedp.WaitVisible(chromedp.CSS("#dal")),
		setValues("dal", hours.DateOf(time.Now()).AddDays(-2).String()),
	)
	submitStep(t, b, tab, officePath(id, "/chiusure"), "#dal-error")
	b.Axe(t, tab, "closure in the past")
	// Special openings: nothing filled in.
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+officePath(id, "/aperture-straordinarie")))
	submitStep(t, b, tab, officePath(id, "/aperture-straordinarie"), "#data-error")
	b.Axe(t, tab, "special opening with errors")
	// Booking settings: bad numbers, no reasons, a window outside the
	// opening hours (a warning), another too short.
	b.Run(t, tab,
		browsertest.SetViewport(1280),
		chromedp.Navigate(e.Server.URL+officePath(id, "/prenotazioni/impostazioni/educatore")),
		chromedp.WaitVisible(chromedp.CSS("#motivi")),
		setValues("durata", "5", "motivi", "", "fascia-0-giorno", "5", "fascia-0-inizio", "09:00", "fascia-0-fine", "12:00",
			"fascia-1-giorno", "1", "fascia-1-inizio", "12:00", "fascia-1-fine", "11:00"),
	)
	submitStep(t, b, tab, officePath(id, "/prenotazioni/impostazioni/educatore"), "#error-summary")
	b.Axe(t, tab, "booking settings with errors and a warning")
	warning, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector(".alert-warning")?.innerText ?? ""`))
	if err != nil || !strings.Contains(warning, "venerdì") {
		t.Errorf("no warning about Friday: %q %v", warning, err)
	}
}

// TestBrowser_OperatorClosesADay_NoSlotsThatDay: an operatore closes the
// office on a working day that has free slots; at once the office page
// shows the closure with its reason, and the booking flow offers no slot
// that day.
func TestBrowser_OperatorClosesADay_NoSlotsThatDay(t *testing.T) {
	b := browsertest.New(t)
	e := newBookingEnv(t, 1)
	_, pw := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, e.officeID)
	offices, err := e.Store.ListOffices(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var sched hours.Schedule
	for _, o := range offices {
		if o.ID == e.officeID {
			sched = o.Schedule()
		}
	}
	// A working day a few days ahead: within the office page's next days
	// and the booking horizon.
	day := hours.DateOf(time.Now()).AddDays(2)
	for !booking.IsWorkingDay(sched, day) {
		day = day.AddDays(1)
	}
	const reason = "Chiuso per formazione del personale"

	// One tab plays both people, one after the other: Chromium does not
	// lay out a tab in the background, so waiting there for an element to
	// be visible never ends. The staff cookie is limited to the staff
	// area, so the citizen is never logged in.
	tab := b.NewTab(t)
	b.Watch(t, tab, e.Server.URL)
	b.Run(t, tab, browsertest.SetViewport(360))
	citizen, staff := tab, tab
	// slotsOn walks the booking flow from the office's link to the step
	// "Data e orario" and counts the free slots of day in every week.
	slotsOn := func() int {
		t.Helper()
		// A new citizen each time: no booking draft.
		if _, err := chromedp.Call(citizen, network.DeleteCookies,
			network.DeleteCookiesParams{Name: "udc_prenotazione", URL: e.Server.URL + "/"}); err != nil {
			t.Fatal(err)
		}
		b.Run(t, citizen, chromedp.Navigate(e.Server.URL+"/prenota?ufficio="+bookingOfficeSlug),
			chromedp.WaitVisible(chromedp.CSS(`form[action="/prenota/luogo"]`)))
		submitStep(t, b, citizen, "/prenota/luogo", `label[for="figura-assistente-sociale"]`)
		b.Run(t, citizen, chromedp.Click(chromedp.CSS(`label[for="figura-assistente-sociale"]`)))
		submitStep(t, b, citizen, "/prenota/data", `#settimana`)
		heading, _ := chromedp.Run(citizen, chromedp.Evaluate[string](`document.querySelector(".steppers li.active")?.innerText ?? ""`))
		if !strings.Contains(heading, "Data e orario") {
			t.Fatalf("step %q, want Data e orario", heading)
		}
		n := 0
		for week := 0; week < 4; week++ {
			b.Run(t, citizen, chromedp.Navigate(e.Server.URL+"/prenota/data?settimana="+strconv.Itoa(week)),
				chromedp.WaitVisible(chromedp.CSS(`#settimana`)))
			got, err := chromedp.Run(citizen, chromedp.Evaluate[int](`document.querySelectorAll('input[name="orario"]:not([disabled])[value*="/`+
				day.String()+`T"]').length`))
			if err != nil {
				t.Fatal(err)
			}
			n += got
		}
		return n
	}
	if n := slotsOn(); n == 0 {
		t.Fatalf("no free slot on %s before the closure: pick another day", day)
	}

	b.Run(t, staff, browsertest.SetViewport(1280))
	staffBrowserLogin(t, b, staff, e.Server.URL, "op@example.org", pw)
	closures := officePath(e.officeID, "/chiusure")
	b.Run(t, staff,
		chromedp.Navigate(e.Server.URL+closures),
		chromedp.WaitVisible(chromedp.CSS("#motivo")),
		setValues("dal", day.String()),
		chromedp.SendKeys(chromedp.CSS("#motivo"), reason),
	)
	submitStep(t, b, staff, closures, `.alert-success`)
	b.Axe(t, staff, "closures after adding one")
	flash, _ := chromedp.Run(staff, chromedp.Evaluate[string](`document.querySelector(".alert-success").innerText`))
	if !strings.Contains(flash, "Chiusura aggiunta: "+day.Italian()) {
		t.Errorf("flash %q", flash)
	}

	b.Run(t, staff, chromedp.Navigate(e.Server.URL+"/uffici/"+bookingOfficeSlug),
		chromedp.WaitVisible(chromedp.CSS(`[data-element="office-next-days"]`)))
	row, err := chromedp.Run(staff, chromedp.Evaluate[string](`document.querySelector('time[datetime="`+day.String()+
		`"]')?.closest("tr")?.innerText ?? ""`))
	if err != nil || !strings.Contains(row, reason) {
		t.Fatalf("office page, row of %s: %q (%v)", day, row, err)
	}
	if n := slotsOn(); n != 0 {
		t.Fatalf("%d free slots offered on the closed day %s", n, day)
	}
}
