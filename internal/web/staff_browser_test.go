package web_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/udc-umbria/portal/internal/auth"
	"github.com/udc-umbria/portal/internal/booking"
	"github.com/udc-umbria/portal/internal/browsertest"
	"github.com/udc-umbria/portal/internal/report"
	"github.com/udc-umbria/portal/internal/store"
)

// TestBrowser_StaffPagesPassAxe checks every staff page in headless
// Chromium, logged in through the real form, at 360 and 1280 px, plus the
// pages with form errors. Later staff features add their pages here.
func TestBrowser_StaffPagesPassAxe(t *testing.T) {
	b := browsertest.New(t)
	e := newTestEnv(t)
	ctx := context.Background()
	a := addOffice(t, e.Store, "udc-a", "UdC di Alfa")
	admin, adPw := addStaff(t, e.Store, "ad@example.org", auth.RoleAdmin)
	op, _ := addStaff(t, e.Store, "op@example.org", auth.RoleOperator, a)
	totpUser, totpPw := addStaff(t, e.Store, "totp@example.org", auth.RoleEditor)
	if err := e.Store.EnableTOTP(ctx, totpUser.ID, "JBSWY3DPEHPK3PXP", 0); err != nil {
		t.Fatal(err)
	}
	_, token, err := e.Store.CreateStaff(ctx, admin.ID, store.NewStaff{Email: "nuovo@example.org", Name: "Nuova Persona", Role: auth.RoleEditor}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	setPw := "/area-riservata/imposta-password/" + token
	// A report and a past week of figures, so that the reports and the
	// statistics pages show their tables and charts.
	rep, err := e.Store.CreateReport(ctx, store.NewReport{Category: report.CategoryClosed, Description: "Ufficio chiuso alle 10.",
		OfficeID: a, Name: "Maria", Email: "maria@example.org", ReplyConsent: true})
	if err != nil {
		t.Fatal(err)
	}
	lastWeek := time.Now().AddDate(0, 0, -7)
	addPastAppointment(t, e.Store, a, lastWeek, 3, booking.StatusDone, "Maria")
	addPastAppointment(t, e.Store, a, lastWeek.Add(time.Hour), 6, booking.StatusNoShow, "Luca")
	if err := e.Store.AddRating(ctx, store.Rating{PagePath: "/uffici/udc-a", Stars: 2, Answer: "Ho avuto problemi tecnici"}); err != nil {
		t.Fatal(err)
	}

	// Without a session.
	b.CheckPages(t, e.Server.URL, []string{"/area-riservata/login", setPw})

	// No b.Watch on this tab: the forms with errors answer 422 on purpose,
	// which the browser logs as a failed load.
	tab := b.NewTab(t)
	submit := func(form string) chromedp.Action[chromedp.Void] { return chromedp.Submit(chromedp.CSS(form)) }
	// Login with errors, then the password step of an account with TOTP
	// and its error, then the set-password form with errors.
	b.Run(t, tab,
		browsertest.SetViewport(360),
		chromedp.Navigate(e.Server.URL+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ad@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), "sbagliata sbagliata"),
		submit(`form[action="/area-riservata/login"]`),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "login with a wrong password")
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+setPw),
		chromedp.SendKeys(chromedp.CSS("#password"), "corta"),
		submit(`form[method="post"]`),
		chromedp.WaitVisible(chromedp.CSS("#password-error")),
	)
	b.Axe(t, tab, "set password with errors")
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "totp@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), totpPw),
		submit(`form[action="/area-riservata/login"]`),
		chromedp.WaitVisible(chromedp.CSS("#code")),
	)
	b.Axe(t, tab, "second-factor step")
	b.Run(t, tab,
		chromedp.SendKeys(chromedp.CSS("#code"), "000000"),
		submit(`form[action="/area-riservata/login/codice"]`),
		chromedp.WaitVisible(chromedp.CSS("#code-error")),
	)
	b.Axe(t, tab, "second-factor step with a wrong code")

	// Logged in as administrator: every page, then the invite form with
	// errors. The other tabs share the browser's cookies.
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+"/area-riservata/login"),
		chromedp.SendKeys(chromedp.CSS("#email"), "ad@example.org"),
		chromedp.SendKeys(chromedp.CSS("#password"), adPw),
		submit(`form[action="/area-riservata/login"]`),
		chromedp.WaitVisible(`//h1[contains(., "Benvenuto")]`),
	)
	b.CheckPages(t, e.Server.URL, []string{
		"/area-riservata",
		fmt.Sprintf("/area-riservata/uffici/%d", a),
		"/area-riservata/utenti",
		"/area-riservata/utenti/nuovo",
		fmt.Sprintf("/area-riservata/utenti/%d", op.ID),
		fmt.Sprintf("/area-riservata/utenti/%d", admin.ID),
		"/area-riservata/registro",
		"/area-riservata/sicurezza",
		"/area-riservata/segnalazioni",
		fmt.Sprintf("/area-riservata/segnalazioni/%d", rep.ID),
		"/area-riservata/statistiche",
	})
	// A tab lives a minute: the checks above took their own tabs, the
	// steps below get a fresh one.
	tab = b.NewTab(t)
	b.Run(t, tab,
		browsertest.SetViewport(1280),
		chromedp.Navigate(e.Server.URL+"/area-riservata/utenti/nuovo"),
		chromedp.SendKeys(chromedp.CSS("#email"), "non-valida"),
		chromedp.Click(chromedp.CSS(`label[for="role-2"]`)),
		submit(`form[action="/area-riservata/utenti/nuovo"]`),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "invite with errors")
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+"/area-riservata/registro?dal=ieri"),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "audit log with a bad date")
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+"/area-riservata/statistiche?dal=ieri"),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "statistics with a bad date")
	b.Run(t, tab,
		chromedp.Navigate(e.Server.URL+"/area-riservata/segnalazioni?stato=aperta"),
		chromedp.WaitVisible(chromedp.CSS("#error-summary")),
	)
	b.Axe(t, tab, "reports with a bad filter")
	for _, width := range []int{360, 1280} {
		rep, err := b.Inspect(b.NewTab(t), e.Server.URL+"/area-riservata/uffici/999999", width)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Status != 404 {
			t.Errorf("status %d, want 404", rep.Status)
		}
		for _, v := range rep.Violations {
			t.Errorf("staff 404 @%d: %s", width, v)
		}
	}
}
