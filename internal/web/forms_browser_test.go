package web_test

import (
	"cmp"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/browsertest"
)

// TestBrowser_FormPages_WithAndWithoutJavaScript_BothWidths fills every
// form a citizen meets, and the staff's refusal form, in Chromium with and
// without JavaScript, at 360 and 1280 px: each step of the booking wizard
// empty (with its errors) and filled in, the summary, the confirmation,
// the page rating and its follow-up. b.Axe audits each page with axe-core
// and checks that no label, legend or heading is drawn over another and
// that nothing makes the page scroll sideways.
func TestBrowser_FormPages_WithAndWithoutJavaScript_BothWidths(t *testing.T) {
	b := browsertest.New(t)
	e := &apptEnv{bookingEnv: newBookingEnv(t, 1)}
	e.base = officePath(e.officeID, "/appuntamenti")
	const operator = "op.moduli@example.org"
	_, pw := addStaff(t, e.Store, operator, auth.RoleOperator, e.officeID)

	for i, mode := range []struct {
		js    bool
		width int
		// lang is the path prefix of the language the wizard is walked
		// in: "" Italian, "/en" English (without JavaScript, as the
		// no-JS booking test).
		lang string
	}{{true, 360, ""}, {true, 1280, ""}, {false, 360, ""}, {false, 1280, ""}, {false, 360, "/en"}, {false, 1280, "/en"}} {
		name := fmt.Sprintf("js=%v@%d", mode.js, mode.width)
		if mode.lang != "" {
			name += "-" + strings.TrimPrefix(mode.lang, "/")
		}
		L := mode.lang
		t.Run(name, func(t *testing.T) {
			tab := b.NewTab(t)
			if !mode.js {
				b.Run(t, tab, browsertest.WithoutJavaScript())
			}
			b.Run(t, tab, browsertest.SetViewport(mode.width))
			open := func(path, sel string) {
				t.Helper()
				b.Run(t, tab, chromedp.Navigate(e.Server.URL+path), chromedp.WaitVisible(chromedp.CSS(sel)))
			}

			// Step 1: the Comune, then the office; sent empty first.
			open(L+"/prenota", "#comune")
			b.Axe(t, tab, "step 1, Comune")
			if lang, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.documentElement.lang`)); err != nil || lang != cmp.Or(strings.TrimPrefix(L, "/"), "it") {
				t.Errorf("html lang %q (%v)", lang, err)
			}
			open(L+"/prenota?comune=perugia", `label[for="ufficio-`+bookingOfficeSlug+`"]`)
			b.Axe(t, tab, "step 1, offices")
			submitStep(t, b, tab, L+"/prenota/luogo", "#error-summary")
			b.Axe(t, tab, "step 1 with its error")
			b.Run(t, tab, check("ufficio-"+bookingOfficeSlug))
			submitStep(t, b, tab, L+"/prenota/luogo", `label[for="figura-assistente-sociale"]`)

			// Step 2: the professional, then the time.
			b.Axe(t, tab, "step 2, professional")
			submitStep(t, b, tab, L+"/prenota/data", "#error-summary")
			b.Axe(t, tab, "step 2, professional, with its error")
			b.Run(t, tab, check("figura-assistente-sociale"))
			submitStep(t, b, tab, L+"/prenota/data", "#settimana")
			b.Axe(t, tab, "step 2, times")
			submitStep(t, b, tab, L+"/prenota/data", "#error-summary")
			b.Axe(t, tab, "step 2, times, with its error")
			// Each walk books its own time: the earlier ones are full.
			b.Run(t, tab, chromedp.Evaluate[chromedp.Void](`document.querySelector('input[name="orario"]:not([disabled])').checked = true`))
			submitStep(t, b, tab, L+"/prenota/data", "#nota")

			// Step 3: the reason and the note.
			b.Axe(t, tab, "step 3")
			submitStep(t, b, tab, L+"/prenota/dettagli", "#error-summary")
			b.Axe(t, tab, "step 3 with its error")
			b.Run(t, tab, check("motivo-0"))
			submitStep(t, b, tab, L+"/prenota/dettagli", "#nome")

			// Step 4: the applicant, with both support needs ticked and
			// their fields left empty, then filled in.
			b.Axe(t, tab, "step 4")
			b.Run(t, tab, check("interprete"), check("accessibilita"))
			submitStep(t, b, tab, L+"/prenota/richiedente", "#error-summary")
			b.Axe(t, tab, "step 4 with its errors")
			b.Run(t, tab, setValues("nome", "Maria", "cognome", "Rossi", "email", fmt.Sprintf("maria.moduli%d@example.org", i),
				"interprete_lingua", "Arabo", "accessibilita_nota", "Accesso senza gradini"))
			// The privacy label is all text: clicking it ticks the box (the
			// notice is a link of its own).
			b.Run(t, tab, chromedp.ScrollIntoView(chromedp.CSS(`label[for="privacy"]`)), chromedp.Click(chromedp.CSS(`label[for="privacy"]`)))
			if ticked, err := chromedp.Run(tab, chromedp.Evaluate[bool](`document.getElementById("privacy").checked && location.pathname === "`+L+`/prenota/richiedente"`)); err != nil || !ticked {
				t.Errorf("clicking the privacy label did not tick the box (%v)", err)
			}
			submitStep(t, b, tab, L+"/prenota/richiedente", `form[action="`+L+`/prenota/conferma"]`)
			b.Axe(t, tab, "step 5, summary")

			e.clock.Add(10 * time.Second)
			submitStep(t, b, tab, L+"/prenota/conferma", ".booking-code")
			b.Axe(t, tab, "confirmation, with the rating of the service")
			if L != "" {
				// The personal pages in the language; the rating and the
				// staff's pages are walked in Italian.
				base := L + "/appuntamento/" + e.manageToken()
				open(base, ".booking-code")
				b.Axe(t, tab, "personal page")
				open(base+"/sposta", "#settimana")
				b.Axe(t, tab, "move")
				submitStep(t, b, tab, base+"/sposta", "#error-summary")
				b.Axe(t, tab, "move with its error")
				open(base+"/annulla", `form[action$="/annulla"]`)
				b.Axe(t, tab, "cancel")
				return
			}

			// The page rating: stars, then the follow-up; sent without
			// stars first.
			open("/servizi/ufficio-della-cittadinanza", `form[data-page-rating]`)
			submitStep(t, b, tab, "/valutazione", "#error-summary")
			b.Axe(t, tab, "rating without stars")
			b.Run(t, tab, chromedp.Click(chromedp.CSS(`label[for="star2"]`)))
			if mode.js {
				// The follow-up appears in place.
				b.Run(t, tab, chromedp.WaitVisible(chromedp.CSS(`#answer-neg-0`)))
				b.Axe(t, tab, "rating with its follow-up shown")
			} else {
				// The stars are sent and the follow-up comes on its own page.
				submitStep(t, b, tab, "/valutazione", `#answer-neg-0`)
				b.Axe(t, tab, "rating, follow-up page")
			}

			// The staff's refusal of a request, sent without a reason.
			req := e.bookWith(booking.Educatore, 0, fmt.Sprintf("req.moduli%d@example.org", i), url.Values{
				"interprete": {"si"}, "interprete_lingua": {"Arabo"}})
			staffBrowserLogin(t, b, tab, e.Server.URL, operator, pw)
			open(e.path(req, ""), "#motivo")
			b.Axe(t, tab, "staff: request with the refusal form")
			submitStep(t, b, tab, e.path(req, "/rifiuta"), "#motivo-error")
			b.Axe(t, tab, "staff: refusal without a reason")
			// Log out: the next walk's tab shares the browser's cookies.
			submitStep(t, b, tab, "/area-riservata/esci", "#email")
		})
	}
}
