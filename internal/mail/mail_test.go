package mail_test

import (
	"bytes"
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/mail"
	"github.com/udc-umbria/portal/internal/mailsink"
)

const from = "Uffici della Cittadinanza <noreply@udc.example.it>"

var ics = []byte("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:PUBLISH\r\nBEGIN:VEVENT\r\nSUMMARY:Colloquio – Ufficio di Perugia\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")

func booking() mail.Message {
	return mail.Message{
		To:      "mario.rossi@example.it",
		Subject: "Appuntamento confermato: lunedì 9 marzo, ore 9:30",
		Text:    "Gentile Mario,\nil suo appuntamento è confermato.\nCodice: ABCD-1234\n" + strings.Repeat("Una riga lunga più di settantasei caratteri, da spezzare nel quoted-printable. ", 2),
		HTML:    `<p>Gentile Mario,</p><p>il suo appuntamento è <strong>confermato</strong>.</p>`,
		Attachments: []mail.Attachment{
			{Name: "invito.ics", ContentType: mail.CalendarContentType, Data: ics},
		},
	}
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestSMTPSender_TextHTMLAndInvitation_ArriveIntact(t *testing.T) {
	sink, err := mailsink.Start(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, err := mail.NewSMTPSender(sink.URL(), from)
	if err != nil {
		t.Fatal(err)
	}
	want := booking()
	if err := s.Send(ctx(t), want); err != nil {
		t.Fatal(err)
	}
	msgs, err := sink.WaitFor(ctx(t), 1)
	if err != nil {
		t.Fatal(err)
	}
	got := msgs[0]
	if got.From != "noreply@udc.example.it" || len(got.To) != 1 || got.To[0] != want.To {
		t.Errorf("envelope: from %q to %q", got.From, got.To)
	}
	if got.Subject() != want.Subject {
		t.Errorf("subject %q, want %q", got.Subject(), want.Subject)
	}
	if got.Header("Auto-Submitted") != "auto-generated" {
		t.Errorf("Auto-Submitted = %q", got.Header("Auto-Submitted"))
	}
	if !strings.HasSuffix(got.Header("Message-Id"), "@udc.example.it>") || got.Header("Date") == "" {
		t.Error("Message-ID or Date missing")
	}
	if strings.Contains(got.Header("User-Agent")+got.Header("X-Mailer"), "go-mail") {
		t.Error("the mailer library is advertised")
	}
	if got.TextBody() != want.Text {
		t.Errorf("text body:\n%q\nwant\n%q", got.TextBody(), want.Text)
	}
	if got.HTMLBody() != want.HTML {
		t.Errorf("HTML body:\n%q\nwant\n%q", got.HTMLBody(), want.HTML)
	}
	p, ok := got.AttachmentPart("invito.ics")
	if !ok {
		t.Fatal("no invito.ics")
	}
	if !bytes.Equal(p.Body, ics) || !bytes.Equal(got.Attachment("invito.ics"), ics) {
		t.Errorf("invito.ics = %q", p.Body)
	}
	if p.MediaType != "text/calendar" || p.Params["method"] != "PUBLISH" || p.Params["charset"] != "utf-8" || !p.Attachment {
		t.Errorf("invito.ics part: %s %v attachment=%v", p.MediaType, p.Params, p.Attachment)
	}
	// Structure: mixed { alternative { plain, html }, calendar }.
	if ct := got.Header("Content-Type"); !strings.HasPrefix(ct, "multipart/mixed") {
		t.Errorf("top-level Content-Type %q", ct)
	}
}

func TestSMTPSender_TextOnly_NoAlternative(t *testing.T) {
	sink, err := mailsink.Start(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, _ := mail.NewSMTPSender(sink.URL(), from)
	if err := s.Send(ctx(t), mail.Message{To: "a@example.it", Subject: "Prova", Text: "Solo testo."}); err != nil {
		t.Fatal(err)
	}
	msgs, _ := sink.WaitFor(ctx(t), 1)
	if msgs[0].TextBody() != "Solo testo." || msgs[0].HTMLBody() != "" {
		t.Errorf("text %q html %q", msgs[0].TextBody(), msgs[0].HTMLBody())
	}
}

func TestSMTPSender_ServerDown_TemporaryErrorWithoutAddress(t *testing.T) {
	addr := closedPort(t)
	s, err := mail.NewSMTPSender("smtp://"+addr, from)
	if err != nil {
		t.Fatal(err)
	}
	err = s.Send(ctx(t), booking())
	if err == nil {
		t.Fatal("sent to a closed port")
	}
	if mail.IsPermanent(err) {
		t.Error("connection refused classified as permanent")
	}
	if strings.Contains(err.Error(), "@") {
		t.Errorf("error leaks an address: %v", err)
	}
}

func TestSMTPSender_RecipientRejected_PermanentOnlyFor5xx(t *testing.T) {
	sink, err := mailsink.Start(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, _ := mail.NewSMTPSender(sink.URL(), from)
	for _, tc := range []struct {
		code      int
		permanent bool
	}{{550, true}, {451, false}} {
		sink.FailWith(tc.code)
		err := s.Send(ctx(t), booking())
		if err == nil {
			t.Fatalf("%d: no error", tc.code)
		}
		if mail.IsPermanent(err) != tc.permanent {
			t.Errorf("%d: permanent = %v, want %v (%v)", tc.code, !tc.permanent, tc.permanent, err)
		}
		if strings.Contains(err.Error(), "@example.it") {
			t.Errorf("%d: error leaks the address: %v", tc.code, err)
		}
		if !strings.Contains(err.Error(), "@udc.example.it>") {
			t.Errorf("%d: error lost the Message-ID, needed to trace it at the relay: %v", tc.code, err)
		}
	}
	if n := len(sink.Messages()); n != 0 {
		t.Errorf("%d messages accepted while rejecting", n)
	}
}

func TestNewSMTPSender_URLs(t *testing.T) {
	for _, tc := range []struct {
		url string
		ok  bool
	}{
		{"smtp://relay.example.it", true},
		{"smtp://user:p%40ss@relay.example.it:587", true},
		{"smtps://user:pass@relay.example.it", true},
		{"smtp://relay.example.it:587?starttls=required", true},
		{"smtp://relay.example.it?starttls=maybe", false},
		{"http://relay.example.it", false},
		{"smtp://:25", false},
		{"smtp://user:secret@relay.example.it:99999", false},
		{"smtp://user:secret@relay example.it", false},
	} {
		_, err := mail.NewSMTPSender(tc.url, from)
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v", tc.url, err)
		}
		if err != nil && strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: error leaks the password: %v", tc.url, err)
		}
	}
	if _, err := mail.NewSMTPSender("smtp://relay.example.it", "not an address"); err == nil {
		t.Error("invalid MAIL_FROM accepted")
	}
}

func TestMessage_Validate(t *testing.T) {
	ok := booking()
	if err := ok.Validate(); err != nil {
		t.Fatal(err)
	}
	for name, m := range map[string]mail.Message{
		"no recipient":       {Subject: "s", Text: "t"},
		"two recipients":     {To: "a@example.it, b@example.it", Subject: "s", Text: "t"},
		"header injection":   {To: "a@example.it\r\nBcc: b@example.it", Subject: "s", Text: "t"},
		"no subject":         {To: "a@example.it", Text: "t"},
		"no text":            {To: "a@example.it", Subject: "s", HTML: "<p>h</p>"},
		"unnamed attachment": {To: "a@example.it", Subject: "s", Text: "t", Attachments: []mail.Attachment{{ContentType: "text/plain"}}},
	} {
		err := m.Validate()
		if err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "@") {
			t.Errorf("%s: error leaks the address: %v", name, err)
		}
	}
}

func TestRedact(t *testing.T) {
	got := mail.Redact("550 5.1.1 <mario.rossi@example.it>: Recipient address rejected, affected recipient(s): mario.rossi@example.it")
	if strings.Contains(got, "@") || !strings.Contains(got, "550 5.1.1") {
		t.Errorf("Redact = %q", got)
	}
}

func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestSMTPSender_GivenMessageID_IsSentAsIs(t *testing.T) {
	sink, err := mailsink.Start(ctx(t), "")
	if err != nil {
		t.Fatal(err)
	}
	defer sink.Close()
	s, _ := mail.NewSMTPSender(sink.URL(), from)
	m := booking()
	m.MessageID = "k3m9qx2abc@udc.example.it"
	if err := s.Send(ctx(t), m); err != nil {
		t.Fatal(err)
	}
	msgs, _ := sink.WaitFor(ctx(t), 1)
	if got := msgs[0].Header("Message-Id"); got != "<k3m9qx2abc@udc.example.it>" {
		t.Errorf("Message-ID = %q", got)
	}
	for _, bad := range []string{"<x@y>", "x@y\r\nBcc: z@y", "senza-chiocciola"} {
		m.MessageID = bad
		if err := m.Validate(); err == nil {
			t.Errorf("Message-ID %q accepted", bad)
		}
	}
}
