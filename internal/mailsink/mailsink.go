// Package mailsink is an in-process SMTP server that accepts every message
// and keeps it, for tests and for development (cmd/devmail, started by
// `make run`): the portal sends real SMTP to it, and a test reads the real
// message — subject, bodies, attachments — back. With a directory, each
// message is also written there as an .eml file a developer can open in a
// mail client.
//
// The sink listens only on the loopback interface and is never linked into
// the portal's binary (cmd/portal's tests check it).
package mailsink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/emersion/go-smtp"
)

// Sink is a running SMTP server that keeps what it receives.
type Sink struct {
	srv  *smtp.Server
	ln   net.Listener
	dir  string
	stop func() bool // detaches the context that closes the sink

	mu       sync.Mutex
	msgs     []Received
	changed  chan struct{} // closed and replaced on each new message
	failCode int
	closed   bool
}

// Start runs a sink on a free port of 127.0.0.1. When dir is not empty,
// every message is also written to dir/<timestamp>-<n>.eml (the folder is
// created, readable only by the current user). The sink stops when ctx is
// done or Close is called.
func Start(ctx context.Context, dir string) (*Sink, error) {
	return StartOn(ctx, "127.0.0.1:0", dir)
}

// StartOn is Start on a given address, e.g. to bring a sink up where a
// sender has been failing to connect.
func StartOn(ctx context.Context, addr, dir string) (*Sink, error) {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("mailsink: %w", err)
		}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("mailsink: listen: %w", err)
	}
	s := &Sink{ln: ln, dir: dir, changed: make(chan struct{})}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{sink: s}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 25 << 20
	srv.MaxRecipients = 100
	srv.ErrorLog = log.New(io.Discard, "", 0)
	s.srv = srv
	s.stop = context.AfterFunc(ctx, func() { _ = s.Close() })
	go func() { _ = srv.Serve(ln) }()
	return s, nil
}

// Addr is the host:port the sink listens on.
func (s *Sink) Addr() string { return s.ln.Addr().String() }

// URL is the SMTP_URL that sends to the sink: smtp://127.0.0.1:port.
func (s *Sink) URL() string { return "smtp://" + s.Addr() }

// Close stops the sink; received messages stay readable.
func (s *Sink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.stop()
	// Close the listener too: if Serve has not started yet, the server
	// does not know it and would otherwise accept connections afterwards.
	lnErr := s.ln.Close()
	if err := s.srv.Close(); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		return err
	}
	if lnErr != nil && !errors.Is(lnErr, net.ErrClosed) {
		return lnErr
	}
	return nil
}

// Messages returns every message received so far, oldest first.
func (s *Sink) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor waits until at least n messages have arrived and returns all of
// them, or returns ctx's error (with what has arrived) when ctx ends first.
func (s *Sink) WaitFor(ctx context.Context, n int) ([]Received, error) {
	for {
		s.mu.Lock()
		msgs, changed := slices.Clone(s.msgs), s.changed
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs, nil
		}
		select {
		case <-ctx.Done():
			return msgs, fmt.Errorf("mailsink: %d of %d messages arrived: %w", len(msgs), n, ctx.Err())
		case <-changed:
		}
	}
}

// FailWith makes the sink reject every recipient with the SMTP reply code
// (e.g. 451 for "try again later", 550 for "no such user") until it is
// called with 0. It lets tests exercise retries and permanent failures.
func (s *Sink) FailWith(code int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failCode = code
}

func (s *Sink) rcptError() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failCode == 0 {
		return nil
	}
	class := 5
	if s.failCode < 500 {
		class = 4
	}
	return &smtp.SMTPError{Code: s.failCode, EnhancedCode: smtp.EnhancedCode{class, 1, 1}, Message: "rejected by the test sink"}
}

func (s *Sink) add(r Received) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		name := fmt.Sprintf("%s-%d.eml", r.At.Format("20060102-150405.000"), len(s.msgs)+1)
		if err := os.WriteFile(filepath.Join(s.dir, name), r.Data, 0o600); err != nil {
			// The sender sees a temporary failure and retries: nothing is lost.
			return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "cannot store the message"}
		}
	}
	s.msgs = append(s.msgs, r)
	close(s.changed)
	s.changed = make(chan struct{})
	return nil
}

// session is one SMTP conversation; it accepts any sender and, unless
// FailWith says otherwise, any recipient.
type session struct {
	sink *Sink
	from string
	to   []string
}

func (c *session) Reset()        { c.from, c.to = "", nil }
func (c *session) Logout() error { return nil }

func (c *session) Mail(from string, _ *smtp.MailOptions) error {
	c.from = from
	return nil
}

func (c *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if err := c.sink.rcptError(); err != nil {
		return err
	}
	c.to = append(c.to, to)
	return nil
}

func (c *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if len(c.to) == 0 {
		return errors.New("no recipients")
	}
	return c.sink.add(Received{At: time.Now(), From: c.from, To: slices.Clone(c.to), Data: data})
}
