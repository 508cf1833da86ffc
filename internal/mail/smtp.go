package mail

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Timeout bounds connecting to the SMTP server and each command of the
// conversation, so that a hung server fails the attempt (and the job is
// retried) instead of holding a worker forever.
const Timeout = 30 * time.Second

// SMTPSender sends through an SMTP server. It opens one connection per
// message: the portal sends a few messages an hour, and a fresh connection
// never inherits a broken one.
type SMTPSender struct {
	host      string
	port      int
	implicit  bool // smtps://: TLS from the first byte
	tlsPolicy gomail.TLSPolicy
	user      string
	pass      string
	from      string
	domain    string // of from, for Message-IDs
}

// NewSMTPSender parses smtpURL and returns a Sender that sends as from
// (e.g. "Uffici della Cittadinanza <noreply@example.it>").
//
//	smtp://host[:port]            port 25; STARTTLS when the server offers it
//	smtp://user:pass@host:587     the same, then SMTP AUTH
//	smtps://user:pass@host[:465]  implicit TLS
//	smtp://host:587?starttls=required  refuse to send unless STARTTLS succeeds
//
// Credentials are sent only over TLS, or with a challenge-response
// mechanism (SCRAM, CRAM-MD5) when the connection is plain. User and
// password are URL-encoded (%40 for @). Errors never repeat the URL, which
// holds the password.
func NewSMTPSender(smtpURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil {
		return nil, errors.New("mail: SMTP_URL is not a valid URL")
	}
	s := &SMTPSender{host: u.Hostname(), tlsPolicy: gomail.TLSOpportunistic}
	switch u.Scheme {
	case "smtp":
		s.port = 25
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, errors.New("mail: SMTP_URL must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, errors.New("mail: SMTP_URL has no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, errors.New("mail: SMTP_URL has an invalid port")
		}
		s.port = n
	}
	switch v := u.Query().Get("starttls"); v {
	case "", "opportunistic":
	case "required":
		s.tlsPolicy = gomail.TLSMandatory
	default:
		return nil, fmt.Errorf("mail: SMTP_URL: starttls=%q must be opportunistic or required", v)
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	a, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, errors.New("mail: MAIL_FROM is not a valid address")
	}
	s.from = from
	s.domain = a.Address[strings.LastIndexByte(a.Address, '@')+1:]
	return s, nil
}

// Send delivers msg, or returns an error (with addresses redacted) that
// IsPermanent classifies.
func (s *SMTPSender) Send(ctx context.Context, msg Message) error {
	if err := msg.Validate(); err != nil {
		return err
	}
	m, err := s.build(msg)
	if err != nil {
		return err
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port),
		gomail.WithTimeout(Timeout),
	}
	if s.implicit {
		opts = append(opts, gomail.WithSSL())
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.tlsPolicy))
	}
	if s.user != "" {
		opts = append(opts,
			gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(s.user),
			gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return redact(err, false, "")
	}
	if err := c.DialAndSendWithContext(ctx, m); err != nil {
		return redact(err, rejectedRecipient(err), strings.Trim(m.GetMessageID(), "<>"))
	}
	return nil
}

// build turns msg into a go-mail message: multipart/alternative text +
// HTML inside multipart/mixed when there are attachments.
func (s *SMTPSender) build(msg Message) (*gomail.Msg, error) {
	m := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := m.From(s.from); err != nil {
		return nil, errors.New("mail: MAIL_FROM is not a valid address")
	}
	if err := m.To(msg.To); err != nil {
		return nil, errors.New("mail: recipient is not a valid address")
	}
	m.Subject(msg.Subject)
	m.SetDate()
	if msg.MessageID != "" {
		m.SetMessageIDWithValue(msg.MessageID)
	} else {
		// The sender's domain rather than the host name of the container.
		m.SetMessageIDWithValue(rand.Text() + "@" + s.domain)
	}
	// RFC 3834: an automatic message; out-of-office replies stay away.
	m.SetGenHeader("Auto-Submitted", "auto-generated")
	m.SetBodyString(gomail.TypeTextPlain, msg.Text)
	if msg.HTML != "" {
		m.AddAlternativeString(gomail.TypeTextHTML, msg.HTML)
	}
	for _, a := range msg.Attachments {
		if err := m.AttachReader(a.Name, bytes.NewReader(a.Data),
			gomail.WithFileContentType(gomail.ContentType(a.ContentType))); err != nil {
			return nil, fmt.Errorf("mail: attachment: %w", err)
		}
	}
	return m, nil
}

// rejectedRecipient reports an SMTP 5xx reply to RCPT TO.
func rejectedRecipient(err error) bool {
	var se *gomail.SendError
	if !errors.As(err, &se) {
		return false
	}
	return se.Reason == gomail.ErrSMTPRcptTo && !se.IsTemp() && se.ErrorCode() >= 500 && se.ErrorCode() < 600
}
