package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/udc-umbria/portal/internal/mail"
)

// The tests run this test binary again as the command devmail starts;
// DEVMAIL_TEST_CHILD says what it does then.
func TestMain(m *testing.M) {
	switch os.Getenv("DEVMAIL_TEST_CHILD") {
	case "send":
		os.Exit(sendOne())
	case "wait":
		os.Exit(waitForTerm())
	}
	os.Exit(m.Run())
}

// sendOne sends one message to SMTP_URL, as the portal would, and exits
// with status 3.
func sendOne() int {
	s, err := mail.NewSMTPSender(os.Getenv("SMTP_URL"), "Portale <noreply@example.org>")
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		err = s.Send(ctx, mail.Message{To: "cittadino@example.org", Subject: "Prova devmail", Text: "Ciao."})
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 3
}

// waitForTerm creates DEVMAIL_TEST_READY, then waits for SIGTERM and
// exits with status 4.
func waitForTerm() int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	if err := os.WriteFile(os.Getenv("DEVMAIL_TEST_READY"), nil, 0o600); err != nil {
		return 1
	}
	select {
	case <-sigs:
		return 4
	case <-time.After(30 * time.Second):
		return 1
	}
}

func TestRun_CommandSendsToTheSink_MessageWrittenAndStatusPassedOn(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "mail")
	t.Setenv("DEV_MAIL_DIR", dir) // the folder when -dir is not given
	t.Setenv("DEVMAIL_TEST_CHILD", "send")
	var stderr bytes.Buffer
	if code := run([]string{"--", os.Args[0]}, &stderr, make(chan os.Signal)); code != 3 {
		t.Fatalf("status %d, want the command's 3; stderr:\n%s", code, stderr.String())
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.eml"))
	if err != nil || len(files) != 1 {
		t.Fatalf(".eml files %v %v", files, err)
	}
	data, err := os.ReadFile(files[0])
	if err != nil || !strings.Contains(string(data), "Subject: Prova devmail") {
		t.Errorf("message %v:\n%s", err, data)
	}
}

func TestRun_SignalPassedOnToTheCommand(t *testing.T) {
	ready := filepath.Join(t.TempDir(), "ready")
	t.Setenv("DEVMAIL_TEST_CHILD", "wait")
	t.Setenv("DEVMAIL_TEST_READY", ready)
	sigs := make(chan os.Signal, 1)
	go func() {
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if _, err := os.Stat(ready); err == nil {
				break
			}
		}
		sigs <- syscall.SIGTERM
	}()
	var stderr bytes.Buffer
	if code := run([]string{"-dir", t.TempDir(), "--", os.Args[0]}, &stderr, sigs); code != 4 {
		t.Fatalf("status %d, want 4 (the command got SIGTERM); stderr:\n%s", code, stderr.String())
	}
}

func TestRun_BadFlag_Usage(t *testing.T) {
	var stderr bytes.Buffer
	if code := run([]string{"-nope"}, &stderr, make(chan os.Signal)); code != 2 || !strings.Contains(stderr.String(), "usage: devmail") {
		t.Errorf("status %d, stderr %q", code, stderr.String())
	}
}
