// Package mail sends e-mail through an SMTP server.
//
// A Message is what the portal wants to say to one citizen; the job queue
// (internal/jobs) stores it and hands it to a Sender until delivery
// succeeds. Addresses and bodies are personal data: nothing in this package
// logs them, and every error it returns has addresses redacted, because
// errors end up in logs and in the job queue's attempt history.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"regexp"
	"strings"
)

// Message is one e-mail to one recipient, with a plain-text body, an
// optional HTML alternative and optional attachments.
type Message struct {
	// To is the recipient's address, e.g. "mario.rossi@example.it".
	To string `json:"to"`
	// Subject is the subject line (UTF-8; encoded when sent).
	Subject string `json:"subject"`
	// Text is the plain-text body; every message has one.
	Text string `json:"text"`
	// HTML is the HTML alternative of Text; empty sends text only.
	HTML string `json:"html,omitempty"`
	// Attachments are sent after the body, e.g. an invito.ics.
	Attachments []Attachment `json:"attachments,omitempty"`
	// MessageID is the Message-ID header without angle brackets,
	// "k3m9…@udc.example.it": the same for every attempt of one e-mail, so
	// that a copy sent twice is recognisable. Empty: a random one.
	MessageID string `json:"message_id,omitempty"`
}

// Attachment is a file sent with a Message.
type Attachment struct {
	// Name is the file name the recipient sees, e.g. "invito.ics".
	Name string `json:"name"`
	// ContentType is the MIME type, e.g. CalendarContentType.
	ContentType string `json:"content_type"`
	// Data is the file's content.
	Data []byte `json:"data"`
}

// CalendarContentType is the MIME type of an iCalendar invitation that the
// recipient adds to their calendar (RFC 5545, method PUBLISH: no RSVP).
const CalendarContentType = "text/calendar; method=PUBLISH; charset=utf-8"

// Validate reports whether the message can be sent: a single valid
// recipient address, a subject and a text body. The error never contains
// the address.
func (m Message) Validate() error {
	var errs []error
	if a, err := netmail.ParseAddress(m.To); err != nil || a.Name != "" || strings.ContainsAny(m.To, "\r\n") {
		errs = append(errs, errors.New("mail: recipient is not a single valid address"))
	}
	if strings.TrimSpace(m.Subject) == "" {
		errs = append(errs, errors.New("mail: subject is empty"))
	}
	if strings.TrimSpace(m.Text) == "" {
		errs = append(errs, errors.New("mail: text body is empty"))
	}
	if m.MessageID != "" && (strings.ContainsAny(m.MessageID, "\r\n<> ") || !strings.Contains(m.MessageID, "@")) {
		errs = append(errs, errors.New("mail: Message-ID must be local@domain, without brackets or spaces"))
	}
	for _, a := range m.Attachments {
		if a.Name == "" || a.ContentType == "" {
			errs = append(errs, errors.New("mail: attachment without name or content type"))
		}
	}
	return errors.Join(errs...)
}

// Sender delivers a message. Implementations must be safe for concurrent
// use and must not log addresses or content.
type Sender interface {
	Send(ctx context.Context, msg Message) error
}

// ErrNotConfigured is returned by NotConfigured: no SMTP server is set, so
// mail waits in the queue until one is.
var ErrNotConfigured = errors.New("mail: no SMTP server configured (SMTP_URL)")

// NotConfigured is the Sender used when SMTP_URL is empty outside
// development: every Send fails with ErrNotConfigured, so queued mail is
// kept (not lost) until the portal restarts with an SMTP server.
type NotConfigured struct{}

// Send always returns ErrNotConfigured.
func (NotConfigured) Send(context.Context, Message) error { return ErrNotConfigured }

// addressRE matches anything that looks like an e-mail address inside an
// error text (SMTP replies often quote the recipient).
var addressRE = regexp.MustCompile(`[^\s<>()\[\]"',;:]+@[^\s<>()\[\]"',;:]+`)

// Redact returns s with every e-mail address replaced by "[address]".
func Redact(s string) string { return addressRE.ReplaceAllString(s, "[address]") }

// redactedError carries a delivery error whose text is safe to log and to
// store: addresses are removed. Unwrap keeps the original for errors.As.
type redactedError struct {
	err       error
	permanent bool
	messageID string // kept: it is ours, and the relay's logs know it
}

func (e *redactedError) Error() string {
	s := e.err.Error()
	if e.messageID == "" {
		return Redact(s)
	}
	const mark = "\x00"
	s = Redact(strings.ReplaceAll(s, e.messageID, mark))
	return strings.ReplaceAll(s, mark, e.messageID)
}

func (e *redactedError) Unwrap() error { return e.err }

// IsPermanent reports whether err says the recipient's address was
// rejected for good (an SMTP 5xx reply to RCPT TO): retrying cannot help.
// Every other failure — connection refused, timeouts, 4xx replies, a
// rejected sender or authentication (configuration problems that an
// operator can fix) — is worth retrying.
func IsPermanent(err error) bool {
	var re *redactedError
	return errors.As(err, &re) && re.permanent
}

// Redacted returns err with e-mail addresses removed from its text (its
// chain is kept for errors.Is/As); errors from SMTPSender already are.
func Redacted(err error) error {
	if _, ok := err.(*redactedError); ok || err == nil {
		return err
	}
	return &redactedError{err: err}
}

func redact(err error, permanent bool, messageID string) error {
	if err == nil {
		return nil
	}
	return &redactedError{err: fmt.Errorf("mail: send: %w", err), permanent: permanent, messageID: messageID}
}
