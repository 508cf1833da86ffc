// Command devmail is the development mail server: an SMTP server on
// 127.0.0.1 that delivers nothing and writes every message it receives to
// a folder as an .eml file (internal/mailsink). `make run` starts the
// portal under it when SMTP_URL is unset, so that the portal's binary
// never contains the sink.
//
//	devmail [-dir DIR] -- COMMAND [ARG…]   run COMMAND with SMTP_URL set to the sink
//	devmail [-dir DIR]                     print the SMTP_URL and serve until interrupted
//
// DIR defaults to $DEV_MAIL_DIR, else .tmp/mail. With a command, devmail
// passes SIGINT and SIGTERM on to it, keeps receiving until it exits (so
// the mail it sends while shutting down is kept) and exits with its
// status. Development only: never point a production portal at it.
package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"syscall"

	"github.com/udc-umbria/portal/internal/mailsink"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	os.Exit(run(os.Args[1:], os.Stderr, sigs))
}

// run does the command's work and returns its exit status: the
// command's, or 1 when devmail itself fails (2 for bad usage).
func run(args []string, stderr io.Writer, sigs <-chan os.Signal) int {
	fs := flag.NewFlagSet("devmail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", cmp.Or(os.Getenv("DEV_MAIL_DIR"), ".tmp/mail"), "folder the .eml files are written to")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: devmail [-dir DIR] [-- COMMAND [ARG…]]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink, err := mailsink.Start(ctx, *dir)
	if err != nil {
		fmt.Fprintln(stderr, "devmail:", err)
		return 1
	}
	defer sink.Close()

	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "devmail: every message sent to SMTP_URL=%s is written to %s (*.eml), not delivered\n", sink.URL(), *dir)
		<-sigs
		return 0
	}
	cmd := exec.Command(fs.Arg(0), fs.Args()[1:]...)
	cmd.Env = append(os.Environ(), "SMTP_URL="+sink.URL())
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(stderr, "devmail:", err)
		return 1
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	for {
		select {
		case sig := <-sigs:
			// A terminal's Ctrl-C reaches the command directly too; a signal
			// sent to devmail alone must reach it as well.
			_ = cmd.Process.Signal(sig)
		case err := <-done:
			var exit *exec.ExitError
			switch {
			case err == nil:
				return 0
			case errors.As(err, &exit) && exit.ExitCode() >= 0:
				return exit.ExitCode()
			default:
				fmt.Fprintln(stderr, "devmail:", err)
				return 1
			}
		}
	}
}
