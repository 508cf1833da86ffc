package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/jobs"
	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailsink"
)

// TestBooking_ConfirmationArrivesAtTheSMTPServer books through HTTP and
// lets a real job-queue worker deliver the queued confirmation over SMTP
// to the in-process sink, then reads the real message: subject, text with
// the booking code and personal link, HTML, and the .ics attachment.
func TestBooking_ConfirmationArrivesAtTheSMTPServer(t *testing.T) {
	e := newBookingEnv(t, 1)
	ctx, sink := e.startSMTPDelivery(t)

	e.book("", "giulia.verdi@example.org")
	got, err := sink.WaitFor(ctx, 1)
	if err != nil {
		t.Fatalf("no message reached the SMTP server: %v", err)
	}
	m := got[0]
	if len(m.To) != 1 || m.To[0] != "giulia.verdi@example.org" {
		t.Errorf("recipients %v", m.To)
	}
	var code string
	if err := e.Store.Pool().QueryRow(ctx, `SELECT code FROM appointments`).Scan(&code); err != nil {
		t.Fatal(err)
	}
	text := m.TextBody()
	for _, want := range []string{code, "/appuntamento/", "Ufficio della Cittadinanza di prova"} {
		if !strings.Contains(text, want) {
			t.Errorf("text body lacks %q", want)
		}
	}
	if !strings.Contains(m.HTMLBody(), code) {
		t.Error("HTML body lacks the booking code")
	}
	parts, err := m.Parts()
	if err != nil {
		t.Fatal(err)
	}
	var ics string
	for _, p := range parts {
		if strings.HasSuffix(p.Filename, ".ics") {
			ics = string(p.Body)
		}
	}
	for _, want := range []string{"BEGIN:VCALENDAR", "TZID=Europe/Rome", "UID:", "SEQUENCE:0"} {
		if !strings.Contains(ics, want) {
			t.Errorf(".ics attachment lacks %q", want)
		}
	}
	if m.Subject() == "" || strings.Contains(m.Subject(), "Giulia") {
		t.Errorf("subject %q: must exist and carry no personal data", m.Subject())
	}
	if id := m.Header("Message-Id"); !strings.HasSuffix(id, "@127.0.0.1>") {
		t.Errorf("Message-ID %q: want one derived from the delivery, at BASE_URL's host", id)
	}

	// The working link arrived; the database keeps nothing usable of it,
	// neither in the job once completed nor in the delivery record.
	token := manageRE.FindStringSubmatch(text)
	if token == nil {
		t.Fatal("no personal link in the e-mail")
	}
	deadline := time.Now().Add(30 * time.Second)
	for e.count(`SELECT count(*) FROM river_job WHERE kind = 'send_email' AND state <> 'completed'`) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the job did not complete")
		}
		time.Sleep(50 * time.Millisecond)
	}
	var stored string
	if err := e.Store.Pool().QueryRow(ctx, `SELECT string_agg(args::text || coalesce(errors::text, '') || metadata::text, ' ')
		FROM river_job WHERE kind = 'send_email'`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stored, token[1]) || strings.Contains(stored, "/appuntamento/") {
		t.Errorf("river_job keeps the personal link:\n%s", stored)
	}
	if n := e.count(`SELECT count(*) FROM email_deliveries WHERE delivered_at IS NOT NULL AND secret IS NULL`); n != 1 {
		t.Errorf("%d deliveries recorded without secret, want 1", n)
	}
}

// TestBooking_DemoOffice_PageWideNotice: every wizard page that shows a
// demo office carries the "Dati dimostrativi" banner; a real office's
// pages do not.
func TestBooking_DemoOffice_PageWideNotice(t *testing.T) {
	e := newBookingEnv(t, 1)
	_, body := e.get("/prenota?ufficio=" + bookingOfficeSlug)
	if strings.Contains(body, "demo-banner") {
		t.Error("a real office must not carry the demo notice")
	}
	if _, err := e.Store.Pool().Exec(context.Background(), `UPDATE offices SET is_demo = true`); err != nil {
		t.Fatal(err)
	}
	// The change reaches the office cache through LISTEN/NOTIFY.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, body = e.get("/prenota?ufficio=" + bookingOfficeSlug)
		if strings.Contains(body, "demo-banner") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("step 1 with a demo office lacks the demo notice")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// startSMTPDelivery starts an in-process SMTP sink and a real job-queue
// worker delivering the environment's queued e-mails to it, both stopped
// at the end of the test; ctx bounds the test's waits (60 seconds).
func (e *bookingEnv) startSMTPDelivery(t *testing.T) (context.Context, *mailsink.Sink) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	sink, err := mailsink.Start(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	sender, err := mail.NewSMTPSender(sink.URL(), "Uffici della Cittadinanza <noreply@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	worker, err := jobs.New(e.Store.Pool(), jobs.Options{Sender: sender, Notifier: e.mailer.notifier, Deliveries: e.Store, Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	if err := worker.Start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { worker.Stop(context.Background()) })
	return ctx, sink
}
