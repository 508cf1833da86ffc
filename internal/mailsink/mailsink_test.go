package mailsink_test

import (
	"context"
	"errors"
	"net/smtp"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/mailsink"
)

// The sink is tested with the standard library's client, independently of
// the portal's sender (internal/mail tests the two together).
const raw = "From: Ufficio <noreply@udc.example.it>\r\n" +
	"To: anna@example.it\r\n" +
	"Subject: =?UTF-8?q?Promemoria:_domani_alle_10:00_=E2=80=93_Terni?=\r\n" +
	"MIME-Version: 1.0\r\n" +
	"Content-Type: multipart/mixed; boundary=XX\r\n" +
	"\r\n" +
	"--XX\r\n" +
	"Content-Type: multipart/alternative; boundary=YY\r\n" +
	"\r\n" +
	"--YY\r\n" +
	"Content-Type: text/plain; charset=UTF-8\r\n" +
	"Content-Transfer-Encoding: quoted-printable\r\n" +
	"\r\n" +
	"Le ricordiamo l'appuntamento di domani =C3=A8 alle 10:00.\r\n" +
	"--YY\r\n" +
	"Content-Type: text/html; charset=UTF-8\r\n" +
	"\r\n" +
	"<p>Le ricordiamo l'appuntamento.</p>\r\n" +
	"--YY--\r\n" +
	"--XX\r\n" +
	"Content-Type: text/calendar; method=PUBLISH; charset=utf-8; name=\"invito.ics\"\r\n" +
	"Content-Disposition: attachment; filename=\"invito.ics\"\r\n" +
	"Content-Transfer-Encoding: base64\r\n" +
	"\r\n" +
	"QkVHSU46VkNBTEVOREFSDQpF\r\nTkQ6VkNBTEVOREFSDQo=\r\n" +
	"--XX--\r\n"

func send(t *testing.T, addr string) {
	t.Helper()
	if err := smtp.SendMail(addr, nil, "noreply@udc.example.it", []string{"anna@example.it"}, []byte(raw)); err != nil {
		t.Fatal(err)
	}
}

func TestSink_ParsesWhatItReceives_AndWritesEML(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	sink, err := mailsink.Start(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	if !strings.HasPrefix(sink.URL(), "smtp://127.0.0.1:") {
		t.Errorf("URL %q", sink.URL())
	}
	send(t, sink.Addr())
	send(t, sink.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := sink.WaitFor(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	m := msgs[0]
	if m.From != "noreply@udc.example.it" || len(m.To) != 1 || m.To[0] != "anna@example.it" {
		t.Errorf("envelope %q %q", m.From, m.To)
	}
	if got := m.Subject(); got != "Promemoria: domani alle 10:00 – Terni" {
		t.Errorf("Subject %q", got)
	}
	if got := m.TextBody(); got != "Le ricordiamo l'appuntamento di domani è alle 10:00." {
		t.Errorf("TextBody %q", got)
	}
	if got := m.HTMLBody(); got != "<p>Le ricordiamo l'appuntamento.</p>" {
		t.Errorf("HTMLBody %q", got)
	}
	if got := string(m.Attachment("invito.ics")); got != "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n" {
		t.Errorf("invito.ics %q", got)
	}
	if m.Attachment("other.pdf") != nil {
		t.Error("attachment that does not exist")
	}

	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) != 2 {
		t.Fatalf("eml files: %v %v", files, err)
	}
	b, _ := os.ReadFile(files[0])
	if string(b) != string(m.Data) {
		t.Error(".eml differs from the received data")
	}
	if fi, _ := os.Stat(files[0]); fi.Mode().Perm() != 0o600 {
		t.Errorf(".eml mode %v: personal data must be private", fi.Mode().Perm())
	}
}

func TestSink_WaitFor_TimesOutWithWhatArrived(t *testing.T) {
	sink, err := mailsink.Start(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	send(t, sink.Addr())
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	msgs, err := sink.WaitFor(ctx, 2)
	if !errors.Is(err, context.DeadlineExceeded) || len(msgs) != 1 {
		t.Fatalf("WaitFor = %d, %v", len(msgs), err)
	}
}

func TestSink_FailWith_RejectsUntilCleared(t *testing.T) {
	sink, err := mailsink.Start(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	sink.FailWith(451)
	err = smtp.SendMail(sink.Addr(), nil, "a@example.it", []string{"b@example.it"}, []byte(raw))
	if err == nil || !strings.HasPrefix(err.Error(), "451") {
		t.Fatalf("err = %v, want 451", err)
	}
	sink.FailWith(0)
	send(t, sink.Addr())
	if n := len(sink.Messages()); n != 1 {
		t.Fatalf("%d messages", n)
	}
}

func TestSink_StopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	sink, err := mailsink.Start(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := smtp.Dial(sink.Addr())
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("sink still accepting after its context ended")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if err := sink.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}
