package web_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/browsertest"
)

// bookingSubmit is the submit button of the wizard form posting to path.
func bookingSubmit(path string) chromedp.Action[chromedp.Void] {
	// A DOM click rather than a mouse click at coordinates: while fonts
	// load the layout can shift, and a coordinate click then lands on
	// another element now and then.
	return chromedp.Evaluate[chromedp.Void](`document.querySelector('form[action="` + path + `"] button[type="submit"]').click()`)
}

// check ticks a checkbox or radio by id; Bootstrap Italia draws its own
// box over the input, so the input itself is not clickable.
func check(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`document.getElementById(` + "`" + id + "`" + `).checked = true`)
}

// submitStep sends the form posting to path and waits until the next
// page has loaded and shows sel. It marks the old document first, because
// a query issued while the browser is still leaving the page can hang.
func submitStep(t *testing.T, b *browsertest.Browser, ctx context.Context, path, sel string) {
	t.Helper()
	b.Run(t, ctx, chromedp.Evaluate[chromedp.Void](`window.__leaving = true`), bookingSubmit(path))
	// Evaluating while the browser navigates fails: try again until the
	// new document answers.
	for i := 0; ; i++ {
		ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.__leaving && document.readyState === "complete"`))
		if err == nil && ready {
			break
		}
		if i == 200 {
			t.Fatalf("after sending %s: the next page did not load (%v)", path, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Run(t, ctx, chromedp.WaitVisible(chromedp.CSS(sel)))
}

// TestBrowser_BookingWithJavaScript walks the whole wizard in Chromium,
// with JavaScript, at a phone's width, and checks every step and the
// personal appointment pages with axe-core. A second tab, sharing the
// cookies, audits the error states of the steps (their 422 and 404
// answers would count as console errors for Watch). The markup is the
// same without JavaScript (the script only moves the focus to the error
// summary and reveals the print button), so this also audits the pages of
// TestBooking_WholeFlowWithoutJavaScript.
func TestBrowser_BookingWithJavaScript(t *testing.T) {
	b := browsertest.New(t)
	e := newBookingEnv(t, 1)
	ctx := b.NewTab(t)
	b.Watch(t, ctx, e.Server.URL)
	b.Run(t, ctx, browsertest.SetViewport(360))
	errTab := b.NewTab(t)
	b.Run(t, errTab, browsertest.SetViewport(360))
	// errorState opens page in the second tab, sends its form empty and
	// audits the error summary.
	errorState := func(label, page, form string) {
		t.Helper()
		b.Run(t, errTab, chromedp.Navigate(e.Server.URL+page), chromedp.WaitVisible(chromedp.CSS(`form[action="`+form+`"]`)))
		submitStep(t, b, errTab, form, `#error-summary`)
		b.Axe(t, errTab, label)
		focused, err := chromedp.Run(errTab, chromedp.Evaluate[string](`document.activeElement.id`))
		if err != nil || focused != "error-summary" {
			t.Errorf("%s: focus on %q, want the error summary (%v)", label, focused, err)
		}
	}

	b.Run(t, ctx, chromedp.Navigate(e.Server.URL+"/prenota"), chromedp.WaitVisible(chromedp.CSS(`#comune`)))
	b.Axe(t, ctx, "step 1, Comune")
	b.Run(t, ctx, chromedp.SetValue(chromedp.CSS(`#comune`), "perugia"))
	submitStep(t, b, ctx, "/prenota", `label[for="ufficio-`+bookingOfficeSlug+`"]`)
	b.Axe(t, ctx, "step 1, offices")
	errorState("step 1, error", "/prenota?comune=perugia", "/prenota/luogo")

	b.Run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="ufficio-`+bookingOfficeSlug+`"]`)))
	submitStep(t, b, ctx, "/prenota/luogo", `label[for="figura-assistente-sociale"]`)
	b.Axe(t, ctx, "step 2, professional")
	b.Run(t, ctx, chromedp.Click(chromedp.CSS(`label[for="figura-assistente-sociale"]`)))
	submitStep(t, b, ctx, "/prenota/data", `#settimana`)
	b.Axe(t, ctx, "step 2, times")
	errorState("step 2, error", "/prenota/data", "/prenota/data")

	b.Run(t, ctx, chromedp.Click(chromedp.CSS(`input[name="orario"]:not([disabled]) + label`)))
	submitStep(t, b, ctx, "/prenota/data", `#nota`)
	b.Axe(t, ctx, "step 3")
	errorState("step 3, error", "/prenota/dettagli", "/prenota/dettagli")

	b.Run(t, ctx,
		chromedp.Click(chromedp.CSS(`label[for="motivo-0"]`)),
		chromedp.SendKeys(chromedp.CSS(`#nota`), "Vorrei informazioni sui centri estivi"))
	submitStep(t, b, ctx, "/prenota/dettagli", `#nome`)
	b.Axe(t, ctx, "step 4")
	errorState("step 4, errors", "/prenota/richiedente", "/prenota/richiedente")

	b.Run(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#nome`), "Maria"),
		chromedp.SendKeys(chromedp.CSS(`#cognome`), "Rossi"),
		chromedp.SendKeys(chromedp.CSS(`#email`), "maria.rossi@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#codice_fiscale`), "RSSMRA80A01G478P"),
		check("privacy"))
	submitStep(t, b, ctx, "/prenota/richiedente", `form[action="/prenota/conferma"]`)
	b.Axe(t, ctx, "step 5, summary")

	e.clock.Add(10 * time.Second)
	// The script reveals the print button.
	submitStep(t, b, ctx, "/prenota/conferma", `[data-print]`)
	b.Axe(t, ctx, "confirmation")
	if n := e.count(`SELECT count(*) FROM appointments`); n != 1 {
		t.Fatalf("%d appointments", n)
	}

	base := e.Server.URL + "/appuntamento/" + e.manageToken()
	for _, page := range []struct{ label, path, wait string }{
		{"personal page", "", `.booking-code`},
		{"move", "/sposta", `#settimana`},
		{"cancel", "/annulla", `form[action$="/annulla"]`},
	} {
		b.Run(t, ctx, chromedp.Navigate(base+page.path), chromedp.WaitVisible(chromedp.CSS(page.wait)))
		b.Axe(t, ctx, page.label)
	}
	b.Run(t, errTab, chromedp.Navigate(e.Server.URL+"/appuntamento/link-sbagliato-o-scaduto-0000000000000"),
		chromedp.WaitVisible(chromedp.CSS(`h1`)))
	b.Axe(t, errTab, "invalid link")
}
