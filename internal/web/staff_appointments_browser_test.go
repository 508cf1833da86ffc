package web_test

import (
	"context"
	"net/url"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/hours"
)

// TestBrowser_StaffAppointmentPagesPassAxe checks the appointment pages
// of the staff area in headless Chromium, at 360 and 1280 px, logged in
// as the office's operatore: the list, a request with support needs, a
// confirmed appointment, the propose page, the day agenda, and the
// refusal form sent without a reason.
func TestBrowser_StaffAppointmentPagesPassAxe(t *testing.T) {
	b := browsertest.New(t)
	e := &apptEnv{bookingEnv: newBookingEnv(t, 1)}
	e.base = officePath(e.officeID, "/appuntamenti")
	const email = "op.browser@example.org"
	_, pw := addStaff(t, e.Store, email, auth.RoleOperator, e.officeID)
	req := e.bookWith(booking.Educatore, 0, "req@example.org", url.Values{
		"interprete": {"si"}, "interprete_lingua": {"Arabo"}, "accessibilita": {"si"}, "accessibilita_nota": {"Accesso senza gradini"}})
	conf := e.bookWith(booking.AssistenteSociale, 0, "conf@example.org", nil)

	tab := b.NewTab(t)
	b.Run(t, tab, browsertest.SetViewport(360))
	staffBrowserLogin(t, b, tab, e.Server.URL, email, pw)
	// The pages below are the logged-in ones, not the login form.
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+e.base), chromedp.WaitVisible(chromedp.CSS("#elenco-title")))
	b.CheckPages(t, e.Server.URL, []string{
		e.base,
		e.base + "?stato=richiesta&figura=educatore",
		e.path(req, ""),
		e.path(conf, ""),
		e.path(req, "/proponi"),
		e.base + "/giorno",
		e.base + "/giorno?data=" + hours.DateOf(conf.start).String(),
	})

	// No b.Watch on this tab: the form with errors answers 422 on purpose.
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+e.path(req, "")),
		chromedp.WaitVisible(chromedp.CSS("#motivo")),
	)
	submitStep(t, b, tab, e.path(req, "/rifiuta"), "#motivo-error")
	b.Axe(t, tab, "refusal without a reason")
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+e.base+"?da=ieri"), chromedp.WaitVisible(chromedp.CSS("#error-summary")))
	b.Axe(t, tab, "list with a bad date")

	// On paper the agenda keeps the office, the day and the table only.
	day := e.base + "/giorno?data=" + hours.DateOf(conf.start).String()
	b.Run(t, tab, chromedp.Navigate(e.Server.URL+day), chromedp.WaitVisible(chromedp.CSS(".staff-agenda-table")), emulateMedia("print"))
	printed, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
		const shown = (sel) => getComputedStyle(document.querySelector(sel)).display !== "none";
		return !shown(".it-header-wrapper") && !shown(".breadcrumb-container") && !shown(".it-footer") &&
			!shown(".staff-agenda-controls") && shown(".staff-agenda-table") && shown("h1");
	})()`))
	if err != nil || !printed {
		t.Errorf("print view of the agenda: %v %v", printed, err)
	}
	b.Run(t, tab, emulateMedia(""))
}

// emulateMedia makes the tab render for the CSS media type ("print"); ""
// goes back to the screen.
func emulateMedia(media string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: media})
		return err
	})
}
